"""Activation as moto users expect it (issue 13, "Activation that users expect from moto";
api-contract.md, "Additions"): the class decorator on ``unittest.TestCase`` and on pytest-style
classes with set-up methods, nested test classes, and ``start()``/``stop()``."""

from __future__ import annotations

import os
import socket
import unittest
from collections.abc import Iterator
from typing import Any, ClassVar

import boto3
import pytest

from pytest_modelreg import ModelRegistryHandle, mock_modelreg
from pytest_modelreg.activation import active


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # A call made outside the activation would head for AWS: fail it here, offline.
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield


def _groups() -> list[str]:
    page = boto3.client("sagemaker").list_model_package_groups()
    return sorted(g["ModelPackageGroupName"] for g in page["ModelPackageGroupSummaryList"])


def _run_with_unittest(case: type[unittest.TestCase]) -> unittest.TestResult:
    with open(os.devnull, "w") as quiet:
        runner = unittest.TextTestRunner(stream=quiet, verbosity=0)
        return runner.run(unittest.defaultTestLoader.loadTestsFromTestCase(case))


# -- unittest.TestCase ------------------------------------------------------------------------------
@mock_modelreg(enforce="off")
class RegistryTestCase(unittest.TestCase):
    __test__ = False  # run by the test below, through unittest's own runner
    seen: ClassVar[list[tuple[str, list[str]]]] = []

    def setUp(self) -> None:
        boto3.client("sagemaker").create_model_package_group(ModelPackageGroupName="from-setup")
        self.addCleanup(lambda: self.seen.append(("cleanup", _groups())))

    def tearDown(self) -> None:
        self.seen.append(("tearDown", _groups()))

    def test_one(self) -> None:
        self.seen.append(("test_one", _groups()))
        boto3.client("sagemaker").create_model_package_group(ModelPackageGroupName="from-one")

    def test_two(self) -> None:
        self.seen.append(("test_two", _groups()))


def test_testcase_setup_test_teardown_and_cleanups_share_one_activation() -> None:
    RegistryTestCase.seen = []
    result = _run_with_unittest(RegistryTestCase)
    assert result.wasSuccessful(), result.errors + result.failures
    assert RegistryTestCase.seen == [
        ("test_one", ["from-setup"]),
        ("tearDown", ["from-one", "from-setup"]),
        ("cleanup", ["from-one", "from-setup"]),
        # Fresh state for the next test.
        ("test_two", ["from-setup"]),
        ("tearDown", ["from-setup"]),
        ("cleanup", ["from-setup"]),
    ]
    assert active() is None


def test_a_testcase_whose_setup_fails_leaves_no_activation_behind() -> None:
    @mock_modelreg
    class Broken(unittest.TestCase):
        def setUp(self) -> None:
            raise RuntimeError("set-up failed")

        def test_it(self) -> None:
            raise AssertionError("not reached")

    result = _run_with_unittest(Broken)
    assert len(result.errors) == 1 and "set-up failed" in result.errors[0][1]
    assert active() is None


@mock_modelreg(enforce="off")
class TestUnittestUnderPytest(unittest.TestCase):
    """The same TestCase form, collected and run by pytest."""

    def setUp(self) -> None:
        boto3.client("sagemaker").create_model_package_group(ModelPackageGroupName="setup")

    def test_setup_ran_inside(self) -> None:
        self.assertEqual(_groups(), ["setup"])

    def test_state_is_fresh(self) -> None:
        self.assertEqual(_groups(), ["setup"])


@mock_modelreg
class TestTheHandleOfADecoratedTestCase(unittest.TestCase):
    """``self.modelreg`` is the activation's handle from ``setUp`` to the cleanups, as the
    ``modelreg`` fixture is for pytest tests."""

    def setUp(self) -> None:
        self.admin = self.modelreg.admin_client("s3")
        self.admin.create_bucket(Bucket="acme-datalake")
        self.admin.put_object(Bucket="acme-datalake", Key="card.md", Body=b"# churn")
        self.addCleanup(lambda: self.assertIs(self.modelreg, active()))

    def test_arrange_as_admin_and_expect_a_denial(self) -> None:
        self.assertIs(self.modelreg, active())
        # The managed policy reads only buckets with "sagemaker" in their name.
        with self.modelreg.expect_denial("s3:GetObject"):
            boto3.client("s3").get_object(Bucket="acme-datalake", Key="card.md")


def test_the_handle_attribute_is_dropped_with_the_activation_and_never_overrides() -> None:
    handles: list[Any] = []
    cases: list[unittest.TestCase] = []

    @mock_modelreg(enforce="off")
    class Keeps(unittest.TestCase):
        modelreg = "the test's own"

        def test_it(self) -> None:
            handles.append(self.modelreg)

    @mock_modelreg(enforce="off")
    class Gets(unittest.TestCase):
        def test_it(self) -> None:
            handles.append(self.modelreg)
            cases.append(self)

    for case in (Keeps, Gets):
        assert _run_with_unittest(case).wasSuccessful()
    assert handles[0] == "the test's own"
    assert isinstance(handles[1], ModelRegistryHandle)
    # The finished TestCase no longer holds the handle (unittest keeps cases until the run ends).
    assert "modelreg" not in vars(cases[0])


# -- pytest-style classes -------------------------------------------------------------------------
@mock_modelreg(enforce="off")
class TestSetupMethod:
    def setup_method(self, method: Any) -> None:
        self.handle = active()
        boto3.client("sagemaker").create_model_package_group(
            ModelPackageGroupName=f"for-{method.__name__.replace('_', '-')}"
        )

    def teardown_method(self) -> None:
        assert active() is self.handle is not None  # still inside the same activation
        assert len(_groups()) == 1

    def test_setup_method_ran_inside(self) -> None:
        assert active() is self.handle
        assert _groups() == ["for-test-setup-method-ran-inside"]

    def test_state_is_fresh(self) -> None:
        assert _groups() == ["for-test-state-is-fresh"]


def test_a_failing_setup_method_ends_its_activation() -> None:
    @mock_modelreg
    class TestBroken:
        def setup_method(self) -> None:
            raise RuntimeError("set-up failed")

    with pytest.raises(RuntimeError, match="set-up failed"):
        TestBroken().setup_method(None)  # type: ignore[call-arg]
    assert active() is None


@mock_modelreg(enforce="off")
class TestOuter:
    def test_outer(self) -> None:
        assert active() is not None

    class TestInner:
        def test_nested_class_is_decorated_too(self) -> None:
            handle = active()
            assert handle is not None and handle.enforce == "off"


# -- start() / stop() -----------------------------------------------------------------------------
def test_start_returns_the_handle_and_stop_ends_the_activation() -> None:
    mock = mock_modelreg(region="eu-west-1")
    reg = mock.start()
    try:
        assert isinstance(reg, ModelRegistryHandle) and active() is reg
        assert boto3.client("sts").get_caller_identity()["Arn"] == reg.principal_arn
    finally:
        mock.stop()
    assert active() is None
    again = mock.start()  # a stopped object starts again, with fresh state
    assert again is not reg and again.calls == []
    mock.stop()


def test_stop_before_start_is_an_error_naming_it() -> None:
    with pytest.raises(RuntimeError, match=r"stop\(\) called before start\(\)"):
        mock_modelreg().stop()


def test_a_second_start_is_an_error_naming_it() -> None:
    mock = mock_modelreg()
    mock.start()
    try:
        with pytest.raises(RuntimeError, match=r"start\(\) called twice.*already started"):
            mock.start()
    finally:
        mock.stop()
    assert active() is None


def test_start_in_setup_and_stop_in_a_cleanup(request: pytest.FixtureRequest) -> None:
    # The unittest idiom the README shows: the handle is an attribute of the test.
    mock = mock_modelreg(enforce="off")
    reg = mock.start()
    request.addfinalizer(mock.stop)
    reg.client("sagemaker").create_model_package_group(ModelPackageGroupName="g")
    assert [c.operation for c in reg.calls] == ["CreateModelPackageGroup"]

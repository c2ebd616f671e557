"""The project's registry operations (``registry_ops``) tested the unittest way: the class
decorator, ``start()``/``stop()`` in ``setUp`` with ``addCleanup``, arranging with the admin
client, denials asserted with ``assertRaises`` and ``reg.expect_denial``, and the least-privilege
policy read at the end. No pytest import: ``python -m unittest`` runs this module as it is.

The policy of the principal under test is the default, the AWS managed policy
``AmazonSageMakerModelRegistryFullAccess`` (v2): what it allows and denies below is read off that
document (``pytest_modelreg.policies.MODEL_REGISTRY_FULL_ACCESS``)."""

from __future__ import annotations

import unittest

import boto3
from botocore.exceptions import ClientError

from pytest_modelreg import mock_modelreg
from tests.unittest_style import registry_ops as ops

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"
# The managed policy allows s3:GetObject only on buckets whose name contains "sagemaker"
# (statement AmazonSageMakerModelRegistryS3GetPermission: arn:aws:s3:::*sagemaker*).
MODEL_BUCKET = "acme-sagemaker-models"
DATALAKE = "acme-datalake"
CARD_KEY = "churn/model-card.md"


def _error_code(error: ClientError) -> str:
    return str(error.response["Error"]["Code"])


@mock_modelreg(region="eu-west-1")
class ClassDecoratorTest(unittest.TestCase):
    """``@mock_modelreg`` on the class: ``setUp``, the test method, ``tearDown`` and cleanups run
    inside one activation per test method, which starts empty."""

    def setUp(self) -> None:
        # Arranged as the principal under test: the managed policy allows registering.
        self.arn = ops.register_model_version("churn", IMAGE, "s3://acme-sagemaker-models/m.tgz")

    def tearDown(self) -> None:
        # Still inside the test's activation: what setUp registered is there.
        status = boto3.client("sagemaker").describe_model_package(ModelPackageName=self.arn)
        self.assertIn(status["ModelApprovalStatus"], ("PendingManualApproval", "Approved"))

    def test_decorator_arguments_apply(self) -> None:
        # region="eu-west-1" from the decorator; version 1, since every test starts empty.
        self.assertEqual(self.arn, "arn:aws:sagemaker:eu-west-1:123456789012:model-package/churn/1")

    def test_a_new_version_is_not_approved(self) -> None:
        self.assertIsNone(ops.latest_approved("churn"))

    def test_the_training_commit_is_recorded(self) -> None:
        arn = ops.register_model_version("churn", IMAGE, "s3://sagemaker-m/m.tgz", commit="4f2a9c1")
        described = boto3.client("sagemaker").describe_model_package(ModelPackageName=arn)
        self.assertEqual(described["CustomerMetadataProperties"], {"git_commit": "4f2a9c1"})

    def test_the_latest_approved_version_wins(self) -> None:
        second = ops.register_model_version("churn", IMAGE, "s3://acme-sagemaker-models/m2.tgz")
        ops.approve(self.arn, "first")
        self.assertEqual(ops.latest_approved("churn"), self.arn)
        ops.approve(second, "better AUC")
        self.assertEqual(ops.latest_approved("churn"), second)
        self.assertTrue(second.endswith("/churn/2"))

    # The same body twice: whichever runs second fails if the first one's group leaked into it.
    def _fresh_state(self) -> None:
        sm = boto3.client("sagemaker")
        with self.assertRaises(ClientError) as caught:
            sm.describe_model_package_group(ModelPackageGroupName="scratch")
        self.assertEqual(_error_code(caught.exception), "ValidationException")
        ops.register_model_version("scratch", IMAGE, "s3://acme-sagemaker-models/s.tgz")

    def test_state_isolation_first(self) -> None:
        self._fresh_state()

    def test_state_isolation_second(self) -> None:
        self._fresh_state()


class ProductionPolicyTest(unittest.TestCase):
    """``start()`` in ``setUp``, ``stop()`` as a cleanup; data arranged with the admin client,
    whose calls are never denied and never count towards the principal's policy."""

    def setUp(self) -> None:
        mock = mock_modelreg()
        self.reg = mock.start()
        self.addCleanup(mock.stop)  # runs after tearDown, and even when setUp fails below
        s3 = self.reg.admin_client("s3")
        for bucket in (MODEL_BUCKET, DATALAKE):
            s3.create_bucket(Bucket=bucket)
            s3.put_object(Bucket=bucket, Key=CARD_KEY, Body=b"# churn model\n")

    def tearDown(self) -> None:
        # The activation is still running here (the cleanup that stops it comes later).
        s3 = self.reg.admin_client("s3")
        for bucket in (MODEL_BUCKET, DATALAKE):
            s3.delete_object(Bucket=bucket, Key=CARD_KEY)
            s3.delete_bucket(Bucket=bucket)

    def test_listing_groups_is_denied_as_in_production(self) -> None:
        # The managed policy grants no sagemaker:ListModelPackageGroups: the dashboard's listing
        # fails in production, so it fails here, with SageMaker's error code and AWS's wording.
        with self.assertRaises(ClientError) as caught:
            ops.group_names()
        self.assertEqual(_error_code(caught.exception), "AccessDeniedException")
        self.assertEqual(
            caught.exception.response["Error"]["Message"],
            f"User: {self.reg.principal_arn} is not authorized to perform: "
            "sagemaker:ListModelPackageGroups on resource: "
            "arn:aws:sagemaker:us-east-1:123456789012:model-package-group/* "
            "because no identity-based policy allows the sagemaker:ListModelPackageGroups action",
        )
        self.assertEqual([c.operation for c in self.reg.denied], ["ListModelPackageGroups"])

    def test_reading_outside_sagemaker_buckets_is_denied(self) -> None:
        with self.reg.expect_denial("s3:GetObject") as denial:
            ops.read_model_card(DATALAKE, CARD_KEY)
        assert denial.error is not None
        self.assertEqual(_error_code(denial.error), "AccessDenied")  # S3's own code
        self.assertIn(f'"arn:aws:s3:::{DATALAKE}/{CARD_KEY}"', str(denial.error))
        # The same object in a bucket named like SageMaker's is readable.
        self.assertEqual(ops.read_model_card(MODEL_BUCKET, CARD_KEY), "# churn model\n")

    def test_a_denied_call_changes_nothing(self) -> None:
        # s3:PutObject is not in the managed policy: the upload is refused and nothing is written.
        with self.reg.expect_denial("s3:PutObject"):
            boto3.client("s3").put_object(Bucket=MODEL_BUCKET, Key=CARD_KEY, Body=b"overwritten")
        self.assertEqual(ops.read_model_card(MODEL_BUCKET, CARD_KEY), "# churn model\n")

    def test_required_policy_of_the_release_flow(self) -> None:
        arn = ops.register_model_version("churn", IMAGE, f"s3://{MODEL_BUCKET}/churn/model.tgz")
        ops.approve(arn, "passed evaluation")
        self.assertEqual(ops.latest_approved("churn"), arn)
        self.assertEqual(ops.read_model_card(MODEL_BUCKET, CARD_KEY), "# churn model\n")
        with self.reg.expect_denial("sagemaker:ListModelPackageGroups"):
            ops.group_names()
        # Read at the end: the admin client's arranging and the expected denial are left out;
        # versions are generalized to the group's packages.
        group = "arn:aws:sagemaker:us-east-1:123456789012:model-package-group/churn"
        self.assertEqual(
            self.reg.required_policy(),
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{MODEL_BUCKET}/{CARD_KEY}",
                    },
                    {
                        "Effect": "Allow",
                        "Action": [
                            "sagemaker:CreateModelPackage",
                            "sagemaker:ListModelPackages",
                            "sagemaker:UpdateModelPackage",
                        ],
                        "Resource": "arn:aws:sagemaker:us-east-1:123456789012:model-package/churn/*",
                    },
                    {
                        "Effect": "Allow",
                        "Action": [
                            "sagemaker:CreateModelPackageGroup",
                            "sagemaker:DescribeModelPackageGroup",
                        ],
                        "Resource": group,
                    },
                ],
            },
        )


if __name__ == "__main__":
    unittest.main()

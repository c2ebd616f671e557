"""The adapter's reads for SageMaker acting as an execution role
(pytest_modelreg.simulation.moto.deployment and iam.role_session_key) against the installed moto,
each with the resource present, absent, and in the states the execution role checks tell apart."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from pytest_modelreg import ModelRegistryHandle, mock_modelreg
from pytest_modelreg.simulation import moto
from pytest_modelreg.simulation.moto import deployment

from ..execution_role.conftest import trust
from ..sdk_common import IMAGE_MANIFEST

ACCOUNT = "123456789012"
REGION = "us-east-1"
TRUST = json.dumps(trust())


@pytest.fixture
def reg() -> Iterator[ModelRegistryHandle]:
    with mock_modelreg(enforce="off") as handle:
        yield handle


def test_s3_objects_regions_encryption_and_delete_markers(reg: ModelRegistryHandle) -> None:
    s3 = reg.admin_client("s3")
    s3.create_bucket(Bucket="models")
    s3.put_object(Bucket="models", Key="a/one", Body=b"1")
    key = reg.admin_client("kms").create_key()["KeyMetadata"]["Arn"]
    s3.put_object(
        Bucket="models", Key="a/two", Body=b"2", ServerSideEncryption="aws:kms", SSEKMSKeyId=key
    )
    s3.put_bucket_versioning(Bucket="models", VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket="models", Key="a/gone", Body=b"3")
    s3.delete_object(Bucket="models", Key="a/gone")  # a delete marker is now current
    eu = reg.admin_client("s3", region_name="eu-west-1")
    eu.create_bucket(
        Bucket="models-eu", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )

    assert deployment.bucket_region("models") == REGION
    assert deployment.bucket_region("models-eu") == "eu-west-1"
    assert deployment.bucket_region("none") is None
    assert deployment.s3_object("models", "a/one") == deployment.S3Object("a/one", REGION, None)
    assert deployment.s3_object("models", "a/two") == deployment.S3Object("a/two", REGION, key)
    assert deployment.s3_object("models", "a/gone") is None
    assert deployment.s3_object("none", "a/one") is None
    assert [o.key for o in deployment.s3_objects("models", "a/") or []] == ["a/one", "a/two"]
    assert deployment.s3_objects("models", "b/") == []
    assert deployment.s3_objects("none", "") is None


def test_ecr_images_by_tag_and_digest(reg: ModelRegistryHandle) -> None:
    assert not deployment.ecr_holds(ACCOUNT, REGION)
    assert deployment.ecr_image(ACCOUNT, REGION, "churn", "1") is None
    ecr = reg.admin_client("ecr")
    ecr.create_repository(repositoryName="churn")
    digest = ecr.put_image(repositoryName="churn", imageManifest=IMAGE_MANIFEST, imageTag="1")[
        "image"
    ]["imageId"]["imageDigest"]
    assert deployment.ecr_holds(ACCOUNT, REGION)
    assert deployment.ecr_image(ACCOUNT, REGION, "churn", "1") is True
    assert deployment.ecr_image(ACCOUNT, REGION, "churn", digest) is True
    assert deployment.ecr_image(ACCOUNT, REGION, "churn", "2") is False
    assert deployment.ecr_image(ACCOUNT, REGION, "other", "1") is False
    assert not deployment.ecr_holds("763104351884", REGION)


def test_models_endpoints_and_their_status(reg: ModelRegistryHandle) -> None:
    sm = reg.admin_client("sagemaker")
    role = "arn:aws:iam::123456789012:role/exec"
    sm.create_model(
        ModelName="m",
        ExecutionRoleArn=role,
        PrimaryContainer={"Image": "img:1"},
        Containers=[{"Image": "img:2"}],
    )
    variant = {"ModelName": "m", "InitialInstanceCount": 1, "InstanceType": "ml.m5.large"}
    sm.create_endpoint_config(
        EndpointConfigName="c1", ProductionVariants=[{**variant, "VariantName": "a"}]
    )
    sm.create_endpoint_config(
        EndpointConfigName="c2", ProductionVariants=[{**variant, "VariantName": "b"}]
    )
    sm.create_endpoint(EndpointName="e", EndpointConfigName="c1")

    found = deployment.model(ACCOUNT, REGION, "m")
    assert found is not None and found.execution_role_arn == role
    assert [c["Image"] for c in found.containers] == ["img:1", "img:2"]
    assert deployment.model(ACCOUNT, REGION, "none") is None
    assert deployment.endpoint_config_variants(ACCOUNT, REGION, "c1") == [("a", "m")]
    assert deployment.endpoint_config_variants(ACCOUNT, REGION, "none") is None
    assert deployment.endpoint_state(ACCOUNT, REGION, "e") == ("c1", "InService")
    assert deployment.endpoint_state(ACCOUNT, REGION, "none") is None

    assert deployment.fail("endpoint", ACCOUNT, REGION, "e", "reason")
    failed = sm.describe_endpoint(EndpointName="e")
    assert (failed["EndpointStatus"], failed["FailureReason"]) == ("Failed", "reason")
    assert deployment.endpoint_state(ACCOUNT, REGION, "e") == ("c1", "Failed")
    assert not deployment.fail("endpoint", ACCOUNT, REGION, "none", "reason")
    deployment.update_endpoint(ACCOUNT, REGION, "e", "c2")
    updated = sm.describe_endpoint(EndpointName="e")
    assert (updated["EndpointStatus"], updated["EndpointConfigName"]) == ("InService", "c2")
    assert "FailureReason" not in updated
    assert [v["VariantName"] for v in updated["ProductionVariants"]] == ["b"]


def test_transform_job_failure(reg: ModelRegistryHandle) -> None:
    sm = reg.admin_client("sagemaker")
    sm.create_model(ModelName="m", ExecutionRoleArn="arn:aws:iam::123456789012:role/r")
    source = {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://b/in"}}
    sm.create_transform_job(
        TransformJobName="t",
        ModelName="m",
        TransformInput={"DataSource": source},
        TransformOutput={"S3OutputPath": "s3://b/out"},
        TransformResources={"InstanceType": "ml.m5.large", "InstanceCount": 1},
    )
    assert deployment.fail("transform-job", ACCOUNT, REGION, "t", "reason")
    job = sm.describe_transform_job(TransformJobName="t")
    assert (job["TransformJobStatus"], job["FailureReason"]) == ("Failed", "reason")
    assert not deployment.fail("transform-job", ACCOUNT, REGION, "none", "reason")


def test_role_session_key_finds_the_role_by_name(reg: ModelRegistryHandle) -> None:
    iam = reg.admin_client("iam")
    role = iam.create_role(RoleName="exec", Path="/service-role/", AssumeRolePolicyDocument=TRUST)
    iam.put_role_policy(
        RoleName="exec",
        PolicyName="p",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
            }
        ),
    )
    arn = role["Role"]["Arn"]
    key = moto.role_session_key(arn, "SageMaker")
    assert key is not None and key.role is not None
    assert (key.role_arn, key.session_name, list(key.role.inline_policies)) == (
        arn,
        "SageMaker",
        ["p"],
    )
    # Without its path, the ARN names the same role (IAM resolves a role by account and name).
    assert moto.role_session_key("arn:aws:iam::123456789012:role/exec", "s") is not None
    assert moto.role_session_key("arn:aws:iam::123456789012:role/none", "s") is None
    assert moto.role_session_key("arn:aws:iam::210987654321:role/exec", "s") is None
    assert moto.role_session_key("not-an-arn", "s") is None

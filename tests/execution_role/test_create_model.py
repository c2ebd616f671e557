"""CreateModel: SageMaker assumes the execution role and reads the model data as the role.

The texts are SageMaker's own, as public reports quote them (cited in
pytest_modelreg/simulation/execution_role.py); the choices they do not settle are in
pytest_modelreg/simulation/_guesses.py.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from pytest_modelreg import ModelRegistryHandle
from pytest_modelreg.simulation.execution_role import INVALID_ROLE, MODEL_DATA_ACCESS

from ..conftest import ALLOW_ALL
from .conftest import BUCKET, KEY, ROLE, World, allow, arrange, trust

pytestmark = pytest.mark.modelreg(policy=ALLOW_ALL)

SESSION = f"arn:aws:sts::123456789012:assumed-role/{ROLE}/SageMaker"


def _refused(call: Any) -> str:
    with pytest.raises(ClientError) as raised:
        call()
    error = raised.value.response["Error"]
    assert error["Code"] == "ValidationException"
    return str(error["Message"])


def _access(world: World, url: str | None = None) -> str:
    return MODEL_DATA_ACCESS.format(
        url=url or world.model_data, role=world.role_arn, region="us-east-1"
    )


def test_a_role_with_the_smallest_permissions_creates_the_model(world: World) -> None:
    world.grant(world.smallest())
    world.create_model()
    service = [(c.principal_arn, c.service, c.operation, c.decision) for c in world.reg.calls[-2:]]
    # SageMaker assumed the role (as itself), then read the artifact as the role's session.
    assert service == [
        ("sagemaker.amazonaws.com", "sts", "AssumeRole", "allowed"),
        (SESSION, "s3", "GetObject", "allowed"),
    ]
    assert {c.via for c in world.reg.calls[-2:]} == {"sagemaker.amazonaws.com"}
    assume = world.reg.calls[-2].authorizations[0]
    assert (assume.action, assume.resource) == ("sts:AssumeRole", world.role_arn)


@pytest.mark.parametrize(
    "role_trust",
    [
        pytest.param(trust("ec2.amazonaws.com"), id="trusts-another-service"),
        # "Cross-service confused deputy prevention" (SageMaker Developer Guide): the trust policy
        # may test aws:SourceAccount; SageMaker sends the caller's account.
        pytest.param(
            trust(StringEquals={"aws:SourceAccount": "111122223333"}), id="other-source-account"
        ),
        pytest.param(
            trust(ArnLike={"aws:SourceArn": "arn:aws:sagemaker:*:*:endpoint/*"}),
            id="source-arn-not-a-model",
        ),
    ],
)
def test_a_role_that_does_not_trust_sagemaker_is_invalid(
    modelreg: ModelRegistryHandle, role_trust: dict[str, Any]
) -> None:
    world = arrange(modelreg, role_trust)
    world.grant(world.smallest())
    assert _refused(world.create_model) == INVALID_ROLE.format(role=world.role_arn)
    assume = modelreg.calls[-1]
    assert (assume.principal_arn, assume.operation, assume.decision) == (
        "sagemaker.amazonaws.com",
        "AssumeRole",
        "implicitDeny",
    )


def test_source_conditions_are_evaluated_against_the_real_values(
    modelreg: ModelRegistryHandle,
) -> None:
    world = arrange(
        modelreg,
        trust(
            StringEquals={"aws:SourceAccount": "123456789012"},
            ArnLike={"aws:SourceArn": "arn:aws:sagemaker:us-east-1:123456789012:model/*"},
        ),
    )
    world.grant(world.smallest())
    world.create_model()


def test_a_role_that_does_not_exist_is_invalid(world: World) -> None:
    sm = world.reg.client("sagemaker")
    missing = "arn:aws:iam::123456789012:role/NoSuchRole"
    message = _refused(
        lambda: sm.create_model(
            ModelName="m",
            ExecutionRoleArn=missing,
            PrimaryContainer={"Image": world.image, "ModelDataUrl": world.model_data},
        )
    )
    assert message == INVALID_ROLE.format(role=missing)


def test_without_s3_get_object_the_model_data_cannot_be_accessed(world: World) -> None:
    world.grant(allow(("ecr:*", "*")))
    assert _refused(world.create_model) == _access(world)
    read = world.reg.calls[-1]
    assert (read.principal_arn, read.operation, read.decision) == (
        SESSION,
        "GetObject",
        "implicitDeny",
    )
    assert world.reg.client("sagemaker").list_models()["Models"] == []


def test_a_bucket_policy_that_denies_the_role_wins(world: World) -> None:
    world.grant(world.smallest())
    deny = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Deny",
                "Principal": {"AWS": world.role_arn},
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{BUCKET}/*",
            }
        ],
    }
    world.reg.admin_client("s3").put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(deny))
    assert _refused(world.create_model) == _access(world)
    assert world.reg.calls[-1].decision == "explicitDeny"


def test_a_missing_object_is_not_found_when_the_role_may_list_the_bucket(world: World) -> None:
    world.grant(allow(("s3:GetObject", "*"), ("s3:ListBucket", f"arn:aws:s3:::{BUCKET}")))
    url = f"s3://{BUCKET}/churn/missing.tar.gz"
    message = _refused(lambda: world.create_model(Image=world.image, ModelDataUrl=url))
    assert message == f"Could not find model data at {url}."


def test_a_missing_object_is_access_denied_without_list_bucket(world: World) -> None:
    # GetObject (botocore's s3 model): without s3:ListBucket, S3 answers a missing key with 403.
    world.grant(allow(("s3:GetObject", "*")))
    url = f"s3://{BUCKET}/churn/missing.tar.gz"
    message = _refused(lambda: world.create_model(Image=world.image, ModelDataUrl=url))
    assert message == _access(world, url)
    assert [c.operation for c in world.reg.calls[-2:]] == ["GetObject", "ListObjectsV2"]


def test_a_missing_bucket_is_not_found(world: World) -> None:
    world.grant(allow(("s3:*", "*")))
    url = "s3://no-such-bucket/model.tar.gz"
    message = _refused(lambda: world.create_model(Image=world.image, ModelDataUrl=url))
    assert message == f"Could not find model data at {url}."


def test_model_data_in_another_region_cannot_be_accessed(world: World) -> None:
    # aws/amazon-sagemaker-examples#275: the artifact must be in the endpoint's region.
    world.grant(allow(("s3:*", "*")))
    s3 = world.reg.admin_client("s3", region_name="eu-west-1")
    s3.create_bucket(
        Bucket="churn-eu", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    s3.put_object(Bucket="churn-eu", Key=KEY, Body=b"model")
    url = f"s3://churn-eu/{KEY}"
    message = _refused(lambda: world.create_model(Image=world.image, ModelDataUrl=url))
    assert message == _access(world, url)


def test_an_sse_kms_artifact_needs_kms_decrypt(world: World) -> None:
    key, url = world.kms_object()
    world.grant(allow(("s3:GetObject", "*")))
    message = _refused(lambda: world.create_model(Image=world.image, ModelDataUrl=url))
    assert message == _access(world, url)
    decrypt = world.reg.calls[-1]
    assert (decrypt.principal_arn, decrypt.service, decrypt.operation) == (
        SESSION,
        "kms",
        "Decrypt",
    )
    assert decrypt.authorizations[0].resource == key
    # The default key policy delegates to IAM: kms:Decrypt in the role's policy is enough.
    world.grant(allow(("kms:Decrypt", key)), name="decrypt")
    world.create_model(Image=world.image, ModelDataUrl=url)
    evaluation = world.reg.calls[-1].authorizations[0].evaluation
    assert evaluation is not None and evaluation.decision == "allowed"
    assert evaluation.request.context["kms:ViaService"] == "s3.us-east-1.amazonaws.com"


def test_an_uncompressed_prefix_needs_list_bucket_and_each_object(world: World) -> None:
    s3 = world.reg.admin_client("s3")
    for name in ("config.json", "weights.bin"):
        s3.put_object(Bucket=BUCKET, Key=f"raw/{name}", Body=b"x")
    source = {
        "S3DataSource": {
            "S3Uri": f"s3://{BUCKET}/raw/",
            "S3DataType": "S3Prefix",
            "CompressionType": "None",
        }
    }
    world.grant(allow(("s3:GetObject", f"arn:aws:s3:::{BUCKET}/raw/*")))
    message = _refused(lambda: world.create_model(Image=world.image, ModelDataSource=source))
    assert message == _access(world, f"s3://{BUCKET}/raw/")
    world.grant(allow(("s3:ListBucket", f"arn:aws:s3:::{BUCKET}")), name="list")
    world.create_model(Image=world.image, ModelDataSource=source)
    reads = [(c.operation, c.params.get("Key")) for c in world.reg.calls[-3:]]
    assert reads == [
        ("ListObjectsV2", None),
        ("GetObject", "raw/config.json"),
        ("GetObject", "raw/weights.bin"),
    ]


def test_a_multi_model_prefix_needs_list_bucket_only(world: World) -> None:
    world.grant(allow(("s3:ListBucket", f"arn:aws:s3:::{BUCKET}")))
    world.create_model(Image=world.image, ModelDataUrl=f"s3://{BUCKET}/churn/", Mode="MultiModel")
    assert world.reg.calls[-1].operation == "ListObjectsV2"


def test_every_container_of_a_multi_container_model_is_read(world: World) -> None:
    world.grant(world.smallest())
    sm = world.reg.client("sagemaker")
    other = f"s3://{BUCKET}/other/model.tar.gz"
    world.reg.admin_client("s3").put_object(Bucket=BUCKET, Key="other/model.tar.gz", Body=b"m")
    message = _refused(
        lambda: sm.create_model(
            ModelName="pipeline",
            ExecutionRoleArn=world.role_arn,
            Containers=[
                {"Image": world.image, "ModelDataUrl": world.model_data},
                {"Image": world.image, "ModelDataUrl": other},
            ],
        )
    )
    assert message == _access(world, other)


def test_a_model_without_an_execution_role_is_not_checked(world: World) -> None:
    before = len(world.reg.calls)
    world.reg.client("sagemaker").create_model(
        ModelName="m", PrimaryContainer={"Image": world.image}
    )
    assert [c.via for c in world.reg.calls[before:]] == [None]


def _create_in_mode(enforce: Any) -> list[Any]:
    """A model whose role has no permissions, created under ``enforce``; the calls made."""
    from pytest_modelreg import mock_modelreg

    with mock_modelreg(policy=ALLOW_ALL, enforce=enforce) as reg:
        arrange(reg).create_model()
        models = reg.client("sagemaker").list_models()["Models"]
        assert [m["ModelName"] for m in models] == ["churn"]
        return list(reg.calls)


def test_warn_mode_warns_and_creates_the_model() -> None:
    with pytest.warns(Warning, match="production would fail: Could not access model data"):
        calls = _create_in_mode("warn")
    assert [c.decision for c in calls if c.via] == ["allowed", "implicitDeny"]


def test_off_mode_checks_nothing() -> None:
    assert [c for c in _create_in_mode("off") if c.via] == []


def test_a_package_shared_by_another_account_is_read_with_its_bucket_policy(
    modelreg: ModelRegistryHandle,
) -> None:
    """A version in another account, shared by its group policy: the consumer's execution role
    reads the owner's artifact, which takes the owner's bucket policy (cross-account access needs
    both sides: "Cross-account policy evaluation logic", IAM User Guide)."""
    world = arrange(modelreg)
    world.grant(allow(("s3:GetObject", "*"), ("ecr:*", "*")))
    owner = modelreg.principal("Owner", ALLOW_ALL, account_id="111122223333")
    s3 = owner.client("s3")
    s3.create_bucket(Bucket="owner-models")
    s3.put_object(Bucket="owner-models", Key="churn/model.tar.gz", Body=b"m")
    sm = owner.client("sagemaker")
    group = sm.create_model_package_group(ModelPackageGroupName="shared")["ModelPackageGroupArn"]
    url = "s3://owner-models/churn/model.tar.gz"
    package = sm.create_model_package(
        ModelPackageGroupName="shared",
        ModelApprovalStatus="Approved",
        InferenceSpecification={
            "Containers": [{"Image": world.image, "ModelDataUrl": url}],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
        },
    )["ModelPackageArn"]
    share = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                "Action": ["sagemaker:DescribeModelPackage", "sagemaker:CreateModel"],
                "Resource": f"{group.replace('model-package-group', 'model-package')}/*",
            }
        ],
    }
    sm.put_model_package_group_policy(
        ModelPackageGroupName="shared", ResourcePolicy=json.dumps(share)
    )
    consumer = modelreg.client("sagemaker")

    def create() -> Any:
        return consumer.create_model(
            ModelName="shared",
            ExecutionRoleArn=world.role_arn,
            Containers=[{"ModelPackageName": package}],
        )

    assert _refused(create) == _access(world, url)
    read = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": world.role_arn},
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::owner-models/churn/*",
            }
        ],
    }
    s3.put_bucket_policy(Bucket="owner-models", Policy=json.dumps(read))
    create()
    assert world.reg.calls[-1].params == {"Bucket": "owner-models", "Key": "churn/model.tar.gz"}


def test_additional_model_data_sources_are_read_too(world: World) -> None:
    # ContainerDefinition.AdditionalModelDataSources (botocore's sagemaker model): more model data
    # for the same container, read by SageMaker as the primary data is.
    world.grant(world.smallest())
    extra = f"s3://{BUCKET}/adapters/lora.tar.gz"
    world.reg.admin_client("s3").put_object(Bucket=BUCKET, Key="adapters/lora.tar.gz", Body=b"a")
    source = {"S3Uri": extra, "S3DataType": "S3Object", "CompressionType": "Gzip"}
    message = _refused(
        lambda: world.create_model(
            Image=world.image,
            ModelDataUrl=world.model_data,
            AdditionalModelDataSources=[{"ChannelName": "lora", "S3DataSource": source}],
        )
    )
    assert message == _access(world, extra)

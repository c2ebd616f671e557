"""What authorization reads from moto through the adapter, seen end to end: ECR repository
policies and tags, S3 object tags, KMS aliases given as ARNs."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from pytest_modelreg import ModelRegistryHandle

from ..conftest import ALLOW_ALL, statement

ACCOUNT = "123456789012"
REGION = "us-east-1"


def _denied(call: Any) -> dict[str, Any]:
    with pytest.raises(ClientError) as denied:
        call()
    error: dict[str, Any] = denied.value.response["Error"]
    return error


@pytest.mark.modelreg(policy=ALLOW_ALL)
def test_an_ecr_repository_policy_without_resource_is_evaluated_for_its_repository(
    modelreg: ModelRegistryHandle,
) -> None:
    # "Private repository policies in Amazon ECR" (Amazon ECR User Guide): repository policy
    # statements name no Resource; the repository they are set on is implied.
    admin = modelreg.admin_client("ecr")
    admin.create_repository(repositoryName="locked")
    admin.create_repository(repositoryName="open")
    admin.set_repository_policy(
        repositoryName="locked",
        policyText=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "nopull",
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "ecr:DescribeImages",
                    }
                ],
            }
        ),
    )
    ecr = modelreg.client("ecr")
    error = _denied(lambda: ecr.describe_images(repositoryName="locked"))
    arn = f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/locked"
    assert error["Code"] == "AccessDeniedException"
    assert error["Message"] == (
        f"User: {modelreg.principal_arn} is not authorized to perform: ecr:DescribeImages on "
        f"resource: {arn} with an explicit deny in a resource-based policy"
    )
    ecr.describe_images(repositoryName="open")  # the other repository has no policy


@pytest.mark.modelreg(
    policy=statement(
        "Allow",
        "ecr:DescribeImages",
        "*",
        Condition={"StringEquals": {"aws:ResourceTag/team": "ml"}},
    )
)
def test_ecr_repository_tags_reach_resource_tag_conditions(modelreg: ModelRegistryHandle) -> None:
    admin = modelreg.admin_client("ecr")
    admin.create_repository(repositoryName="ours", tags=[{"Key": "team", "Value": "ml"}])
    admin.create_repository(repositoryName="theirs", tags=[{"Key": "team", "Value": "web"}])
    ecr = modelreg.client("ecr")
    ecr.describe_images(repositoryName="ours")
    assert _denied(lambda: ecr.describe_images(repositoryName="theirs"))["Code"] == (
        "AccessDeniedException"
    )


@pytest.mark.modelreg(
    policy={
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
            {
                "Effect": "Deny",
                "Action": "s3:GetObject",
                "Resource": "*",
                "Condition": {"StringEquals": {"s3:ExistingObjectTag/secret": "true"}},
            },
        ],
    }
)
def test_s3_object_tags_reach_existing_object_tag_conditions(
    modelreg: ModelRegistryHandle,
) -> None:
    admin = modelreg.admin_client("s3")
    admin.create_bucket(Bucket="models")
    admin.put_object(Bucket="models", Key="secret.tar.gz", Body=b"x", Tagging="secret=true")
    admin.put_object(Bucket="models", Key="public.tar.gz", Body=b"x", Tagging="secret=false")
    s3 = modelreg.client("s3")
    assert s3.get_object(Bucket="models", Key="public.tar.gz")["Body"].read() == b"x"
    error = _denied(lambda: s3.get_object(Bucket="models", Key="secret.tar.gz"))
    assert error["Code"] == "AccessDenied"
    assert "with an explicit deny in an identity-based policy" in error["Message"]


@pytest.mark.modelreg(policy=ALLOW_ALL)
def test_a_kms_alias_arn_is_authorized_as_its_key(modelreg: ModelRegistryHandle) -> None:
    kms = modelreg.admin_client("kms")
    key = kms.create_key()["KeyMetadata"]
    kms.create_alias(AliasName="alias/models", TargetKeyId=key["KeyId"])
    sm = modelreg.client("sagemaker")
    sm.create_model_package_group(ModelPackageGroupName="g")
    sm.create_model_package(
        ModelPackageGroupName="g",
        InferenceSpecification={
            "Containers": [{"Image": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/i:1"}],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
        },
        SecurityConfig={"KmsKeyId": f"arn:aws:kms:{REGION}:{ACCOUNT}:alias/models"},
    )
    kms_resources = {
        a.resource for a in modelreg.calls[-1].authorizations if a.action.startswith("kms:")
    }
    assert kms_resources == {key["Arn"]}


def test_a_policy_that_is_no_json_object_is_left_for_the_iam_engine_to_refuse() -> None:
    # moto refuses such repository policies today; should a release keep one, the IAM engine
    # reports it (MalformedPolicyDocument) instead of a JSON error escaping from the simulation.
    import pytest

    from pytest_modelreg.iam import MalformedPolicyDocument, role_trust_policy

    arn = f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/r"
    for text in ("not json", "[1]"):
        with pytest.raises(MalformedPolicyDocument):
            role_trust_policy(text, arn)
    filled = role_trust_policy(
        '{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Principal": "*", "Action": "*"}}',
        arn,
    )
    assert [st.raw.get("Resource") for st in filled.statements] == [arn]

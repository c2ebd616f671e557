"""Batch calls AWS authorizes item by item: allowed items are served, denied ones reported.

S3 DeleteObjects (botocore service model, s3 DeleteObjects documentation): "For each key, Amazon
S3 performs a delete operation and returns the result of that delete, success or failure, in the
response." A denied key: Code AccessDenied, Message "Access Denied", HTTP 200 (boto/boto#3586).
Tagging API (botocore service model, resourcegroupstaggingapi FailureInfo): failures are returned
per ARN in FailedResourcesMap, AccessDeniedException when the caller lacks the owning service's
tagging permission.
"""

from __future__ import annotations

from typing import Any

import boto3  # noqa: F401  (activation needs botocore.session imported; see the report)
import pytest
from botocore.exceptions import ClientError

from pytest_modelreg import ModelRegistryHandle

BUCKET = "models"
ACCOUNT = "123456789012"


def _policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


DELETE_PUBLIC_ONLY = _policy(
    {"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": f"arn:aws:s3:::{BUCKET}/public/*"}
)


@pytest.mark.modelreg(policy=DELETE_PUBLIC_ONLY)
def test_delete_objects_deletes_the_allowed_keys(modelreg: ModelRegistryHandle) -> None:
    admin = modelreg.admin_client("s3")
    admin.create_bucket(Bucket=BUCKET)
    for key in ("public/a", "secret/b", "public/c"):
        admin.put_object(Bucket=BUCKET, Key=key, Body=b"x")
    objects = [{"Key": k} for k in ("public/a", "secret/b", "public/c")]
    response = modelreg.client("s3").delete_objects(Bucket=BUCKET, Delete={"Objects": objects})
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert sorted(d["Key"] for d in response["Deleted"]) == ["public/a", "public/c"]
    assert response["Errors"] == [
        {"Key": "secret/b", "Code": "AccessDenied", "Message": "Access Denied"}
    ]
    left = admin.list_objects_v2(Bucket=BUCKET)["Contents"]
    assert [o["Key"] for o in left] == ["secret/b"]
    # The record keeps the denial, so the report explains it.
    (record,) = [c for c in modelreg.calls if c.operation == "DeleteObjects"]
    assert record.decision == "implicitDeny"


@pytest.mark.modelreg(policy=DELETE_PUBLIC_ONLY)
def test_delete_objects_quiet_lists_only_failures(modelreg: ModelRegistryHandle) -> None:
    admin = modelreg.admin_client("s3")
    admin.create_bucket(Bucket=BUCKET)
    admin.put_object(Bucket=BUCKET, Key="public/a", Body=b"x")
    response = modelreg.client("s3").delete_objects(
        Bucket=BUCKET,
        Delete={"Objects": [{"Key": "public/a"}, {"Key": "secret/b"}], "Quiet": True},
    )
    assert "Deleted" not in response
    assert [e["Key"] for e in response["Errors"]] == ["secret/b"]


@pytest.mark.modelreg(
    policy=_policy({"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"})
)
def test_delete_objects_all_denied_is_still_answered(modelreg: ModelRegistryHandle) -> None:
    modelreg.admin_client("s3").create_bucket(Bucket=BUCKET)
    response = modelreg.client("s3").delete_objects(
        Bucket=BUCKET, Delete={"Objects": [{"Key": "a"}]}
    )
    assert response["Errors"][0]["Code"] == "AccessDenied"
    assert response.get("Deleted", []) == []


TAG_ONE_GROUP = _policy(
    {"Effect": "Allow", "Action": "tag:TagResources", "Resource": "*"},
    {
        "Effect": "Allow",
        "Action": "sagemaker:AddTags",
        "Resource": f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:model-package-group/open",
    },
)


@pytest.mark.modelreg(policy=TAG_ONE_GROUP)
def test_tag_resources_reports_denied_arns(modelreg: ModelRegistryHandle) -> None:
    sm = modelreg.admin_client("sagemaker")
    arns = [
        sm.create_model_package_group(ModelPackageGroupName=name)["ModelPackageGroupArn"]
        for name in ("open", "closed")
    ]
    tagging = modelreg.client("resourcegroupstaggingapi")
    response = tagging.tag_resources(ResourceARNList=arns, Tags={"team": "ml"})
    failed = response["FailedResourcesMap"]
    assert list(failed) == [arns[1]]
    assert failed[arns[1]]["StatusCode"] == 403
    assert failed[arns[1]]["ErrorCode"] == "AccessDeniedException"
    assert "sagemaker:AddTags" in failed[arns[1]]["ErrorMessage"]
    tags = {a: sm.list_tags(ResourceArn=a)["Tags"] for a in arns}
    assert tags == {arns[0]: [{"Key": "team", "Value": "ml"}], arns[1]: []}


@pytest.mark.modelreg(
    policy=_policy({"Effect": "Allow", "Action": "sagemaker:AddTags", "Resource": "*"})
)
def test_tag_resources_without_tag_permission_is_denied_whole(
    modelreg: ModelRegistryHandle,
) -> None:
    arn = modelreg.admin_client("sagemaker").create_model_package_group(ModelPackageGroupName="g")[
        "ModelPackageGroupArn"
    ]
    with pytest.raises(ClientError):
        modelreg.client("resourcegroupstaggingapi").tag_resources(
            ResourceARNList=[arn], Tags={"a": "b"}
        )


DESCRIBE_ONE = _policy(
    {
        "Effect": "Allow",
        "Action": "sagemaker:BatchDescribeModelPackage",
        "Resource": f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:model-package/open/*",
    }
)


@pytest.mark.modelreg(policy=DESCRIBE_ONE)
def test_batch_describe_reports_denied_arns_in_the_error_map(
    modelreg: ModelRegistryHandle,
) -> None:
    # [INFERRED] (registry _guesses.BATCH_DESCRIBE_DENIED_IN_ERROR_MAP): not settled by AWS docs.
    sm = modelreg.admin_client("sagemaker")
    arns = []
    for name in ("open", "closed"):
        sm.create_model_package_group(ModelPackageGroupName=name)
        arns.append(
            sm.create_model_package(
                ModelPackageGroupName=name,
                InferenceSpecification={
                    "Containers": [{"Image": f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/m:1"}],
                    "SupportedContentTypes": ["text/csv"],
                    "SupportedResponseMIMETypes": ["text/csv"],
                },
            )["ModelPackageArn"]
        )
    response = modelreg.client("sagemaker").batch_describe_model_package(ModelPackageArnList=arns)
    assert list(response["ModelPackageSummaries"]) == [arns[0]]
    error = response["BatchDescribeModelPackageErrorMap"][arns[1]]
    assert error["ErrorCode"] == "AccessDeniedException"
    assert "sagemaker:BatchDescribeModelPackage" in error["ErrorResponse"]

"""The workflow under the AWS managed policy AmazonSageMakerModelRegistryFullAccess (the default):
what it allows passes, and what it does not allow fails exactly as it would in production."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from mlops.registry import ModelRegistryClient

from pytest_modelreg import ModelRegistryHandle, mock_modelreg


def test_register_then_approve(modelreg: ModelRegistryHandle, artifacts: dict[str, Any]) -> None:
    client = ModelRegistryClient()
    first = client.register("churn", artifacts["model_data_url"], artifacts["image_uri"])
    second = client.register("churn", artifacts["model_data_url"], artifacts["image_uri"])
    assert (first.version, second.version) == (1, 2)
    assert first.status == "PendingManualApproval"
    assert client.approve(second.arn).status == "Approved"
    assert client.latest_approved("churn") == second.arn
    assert modelreg.denied == []


def test_deploy_is_denied_when_waiting_for_the_endpoint(
    modelreg: ModelRegistryHandle, artifacts: dict[str, Any]
) -> None:
    client = ModelRegistryClient()
    version = client.register("churn", artifacts["model_data_url"], artifacts["image_uri"])
    client.approve(version.arn)
    client.deploy_latest_approved("churn", "churn-prod", artifacts["role_arn"])
    # The managed policy grants CreateEndpoint but not DescribeEndpoint.
    with pytest.raises(ClientError) as denied:
        client.endpoint_status("churn-prod")
    error = denied.value.response["Error"]
    assert error["Code"] == "AccessDeniedException"
    assert error["Message"] == (
        f"User: {modelreg.principal_arn} is not authorized to perform: sagemaker:DescribeEndpoint "
        f"on resource: arn:aws:sagemaker:us-east-1:{modelreg.account_id}:endpoint/churn-prod "
        "because no identity-based policy allows the sagemaker:DescribeEndpoint action"
    )


def test_registering_from_a_bucket_without_sagemaker_in_its_name_is_denied(
    modelreg: ModelRegistryHandle, artifacts: dict[str, Any]
) -> None:
    modelreg.admin_client("s3").create_bucket(Bucket="ml-artifacts")
    modelreg.admin_client("s3").put_object(Bucket="ml-artifacts", Key="m.tar.gz", Body=b"x")
    with pytest.raises(ClientError) as denied:
        ModelRegistryClient().register(
            "churn", "s3://ml-artifacts/m.tar.gz", artifacts["image_uri"]
        )
    # HeadObject has no response body: S3 answers a bare 403.
    assert denied.value.response["Error"] == {"Code": "403", "Message": "Forbidden"}


def test_listing_groups_needs_more_than_the_managed_policy(modelreg: ModelRegistryHandle) -> None:
    with pytest.raises(ClientError) as denied:
        ModelRegistryClient().group_names()
    assert denied.value.response["Error"]["Code"] == "AccessDeniedException"
    assert [c.operation for c in modelreg.denied] == ["ListModelPackageGroups"]


@pytest.mark.modelreg(
    policy=[
        "AmazonSageMakerModelRegistryFullAccess",
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "sagemaker:ListModelPackageGroups", "Resource": "*"}
            ],
        },
    ]
)
def test_listing_groups_with_an_extra_statement(modelreg: ModelRegistryHandle) -> None:
    client = ModelRegistryClient()
    client.ensure_group("fraud")
    assert client.group_names() == ["fraud"]


@mock_modelreg(enforce="warn")
def test_warn_mode_lets_the_call_through_and_warns() -> None:
    with pytest.warns(UserWarning, match="sagemaker:ListModelPackageGroups"):
        assert ModelRegistryClient().group_names() == []

"""Partitions: "A partition is a group of AWS Regions. Each AWS account is scoped to one
partition." (IAM User Guide, "Identify AWS resources with Amazon Resource Names (ARNs)"). botocore's
partition data puts cn-* in ``aws-cn`` and us-gov-* in ``aws-us-gov``: every ARN minted or matched
in those regions names that partition, so an ``arn:aws:`` policy grants nothing there.
"""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError

from pytest_modelreg import mock_modelreg
from pytest_modelreg.arn import Arn

REGIONS = {
    "cn-north-1": "aws-cn",
    "cn-northwest-1": "aws-cn",
    "us-gov-west-1": "aws-us-gov",
    "us-gov-east-1": "aws-us-gov",
}
ALLOW_SAGEMAKER = "arn:{partition}:sagemaker:*:*:*"


def _partition(arn: str) -> str:
    parsed = Arn.parse(arn)
    assert parsed is not None, arn
    return parsed.partition


@pytest.mark.parametrize("region", REGIONS)
def test_every_minted_and_authorized_arn_names_the_partition(region: str) -> None:
    partition = REGIONS[region]
    with mock_modelreg(region=region) as reg:
        sm = boto3.client("sagemaker", region_name=region)
        minted = [
            sm.create_model_package_group(ModelPackageGroupName="g")["ModelPackageGroupArn"],
            boto3.client("sts", region_name=region).get_caller_identity()["Arn"],
            reg.principal_arn,
        ]
        query = {
            "ResourceTypeFilters": ["AWS::AllSupported"],
            "TagFilters": [{"Key": "k", "Values": ["v"]}],
        }
        with reg.unrestricted():
            minted += [
                boto3.client("resource-groups", region_name=region).create_group(
                    Name="x",
                    ResourceQuery={"Type": "TAG_FILTERS_1_0", "Query": json.dumps(query)},
                )["Group"]["GroupArn"],
                boto3.client("kms", region_name=region).create_key()["KeyMetadata"]["Arn"],
                boto3.client("ecr", region_name=region).create_repository(repositoryName="rr")[
                    "repository"
                ]["repositoryArn"],
                boto3.client("iam", region_name=region).create_role(
                    RoleName="r", AssumeRolePolicyDocument="{}"
                )["Role"]["Arn"],
            ]
        assert {_partition(arn) for arn in minted} == {partition}
        judged = [a.resource for c in reg.calls for a in c.authorizations if a.resource != "*"]
        assert judged and {_partition(arn) for arn in judged} == {partition}


@pytest.mark.parametrize("region", REGIONS)
def test_an_arn_aws_policy_grants_nothing_outside_aws(region: str) -> None:
    def policy(partition: str) -> dict[str, object]:
        resource = ALLOW_SAGEMAKER.format(partition=partition)
        statement = {"Effect": "Allow", "Action": "sagemaker:*", "Resource": resource}
        return {"Version": "2012-10-17", "Statement": [statement]}

    with (
        mock_modelreg(region=region, policy=policy("aws")),
        pytest.raises(ClientError, match="AccessDenied"),
    ):
        boto3.client("sagemaker").create_model_package_group(ModelPackageGroupName="g")
    with mock_modelreg(region=region, policy=policy(REGIONS[region])):
        boto3.client("sagemaker").create_model_package_group(ModelPackageGroupName="g")


@pytest.mark.parametrize("region", REGIONS)
def test_default_managed_policy_works_in_every_partition(region: str) -> None:
    with mock_modelreg(region=region) as reg:
        sm = reg.client("sagemaker")
        sm.create_model_package_group(ModelPackageGroupName="g")
        sm.describe_model_package_group(ModelPackageGroupName="g")
        assert all(c.decision == "allowed" for c in reg.calls)


@pytest.mark.parametrize("region", ["cn-north-1", "us-gov-west-1"])
def test_managed_policies_live_at_the_partition_arn(region: str) -> None:
    partition = REGIONS[region]
    name = "AmazonSageMakerModelRegistryFullAccess"
    with mock_modelreg(region=region) as reg:
        iam = reg.admin_client("iam")
        iam.create_role(RoleName="r", AssumeRolePolicyDocument="{}")
        here = f"arn:{partition}:iam::aws:policy/{name}"
        iam.attach_role_policy(RoleName="r", PolicyArn=here)
        version = iam.get_policy_version(PolicyArn=here, VersionId="v2")["PolicyVersion"]
        resources = json.dumps(version["Document"])
        assert "arn:aws:" not in resources and f"arn:{partition}:" in resources
        with pytest.raises(ClientError) as elsewhere:
            iam.attach_role_policy(RoleName="r", PolicyArn=f"arn:aws:iam::aws:policy/{name}")
        assert elsewhere.value.response["Error"]["Code"] == "NoSuchEntity"

"""ARNs minted in a region name that region's partition: ``aws-cn`` in the China regions,
``aws-us-gov`` in AWS GovCloud (US) ("Partitions", AWS General Reference; the registry's ARN
patterns in botocore's model accept ``arn:aws[a-z\\-]*``)."""

from __future__ import annotations

import pytest

from pytest_modelreg.principals import Principal
from pytest_modelreg.simulation.registry import ModelRegistry

from ._helpers import ACCOUNT, INFERENCE_SPEC, Caller, FakeTime, make_ctx


@pytest.mark.parametrize(
    ("region", "partition"),
    [("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov"), ("eu-west-1", "aws")],
)
def test_registry_resources_name_the_partition_of_their_region(region: str, partition: str) -> None:
    call = Caller(ModelRegistry(clock=FakeTime()), make_ctx(region=region))
    group = call("CreateModelPackageGroup", ModelPackageGroupName="g")["ModelPackageGroupArn"]
    assert group == f"arn:{partition}:sagemaker:{region}:{ACCOUNT}:model-package-group/g"
    version = call(
        "CreateModelPackage", ModelPackageGroupName="g", InferenceSpecification=INFERENCE_SPEC
    )["ModelPackageArn"]
    assert version == f"arn:{partition}:sagemaker:{region}:{ACCOUNT}:model-package/g/1"
    # The ARN resolves back to the package, in its own partition.
    assert call("DescribeModelPackage", ModelPackageName=version)["ModelPackageArn"] == version
    assert (
        call("DescribeModelPackageGroup", ModelPackageGroupName=group)["ModelPackageGroupArn"]
        == group
    )
    artifacts = call("ListArtifacts")["ArtifactSummaries"]
    assert artifacts and all(a["ArtifactArn"].startswith(f"arn:{partition}:") for a in artifacts)


@pytest.mark.parametrize("kind", ["role", "user"])
def test_principals_name_the_partition_of_their_region(kind: str) -> None:
    principal = Principal(
        "ci",
        account_id=ACCOUNT,
        region="cn-northwest-1",
        kind="role" if kind == "role" else "user",
        identity_policies=[],
        path="/team/",
    )
    if kind == "role":
        assert principal.arn == f"arn:aws-cn:sts::{ACCOUNT}:assumed-role/ci/pytest-modelreg"
        assert principal.identity.role_arn == f"arn:aws-cn:iam::{ACCOUNT}:role/team/ci"
    else:
        assert principal.arn == f"arn:aws-cn:iam::{ACCOUNT}:user/team/ci"

"""AWS managed policies in the simulated IAM, and policy ARNs IAM does not hold.

Evidence: attaching ``arn:aws:iam::aws:policy/AmazonSageMakerModelRegistryFullAccess`` must work as
in AWS, where the policy exists with versions v1 and v2, v2 the default ("AWS managed policies for
Amazon SageMaker AI", SageMaker Developer Guide). A policy IAM does not hold answers NoSuchEntity,
404, "Policy <arn> does not exist or is not attachable." (pulumi/pulumi#7419, aws/aws-cdk#19830);
the managed-policy path is part of the ARN (aws/aws-cdk#19830, hashicorp/terraform#31748).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from pytest_modelreg import ModelRegistryHandle
from pytest_modelreg.explain import explain_call
from pytest_modelreg.simulation.moto import aws_managed_policies

from ..conftest import ALLOW_ALL
from ._helpers import assume, trust_account

REGISTRY = "arn:aws:iam::aws:policy/AmazonSageMakerModelRegistryFullAccess"
LAMBDA_BASIC = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
MISSING = "arn:aws:iam::aws:policy/NoSuchManagedPolicy"
ACCOUNT = "123456789012"


def _role(reg: ModelRegistryHandle, name: str = "r", **extra: Any) -> str:
    iam = reg.admin_client("iam")
    arn: str = iam.create_role(
        RoleName=name, AssumeRolePolicyDocument=trust_account(ACCOUNT), **extra
    )["Role"]["Arn"]
    return arn


def test_registry_policy_has_both_versions_v2_default(modelreg: ModelRegistryHandle) -> None:
    iam = modelreg.admin_client("iam")
    _role(modelreg)
    iam.attach_role_policy(RoleName="r", PolicyArn=REGISTRY)
    policy = iam.get_policy(PolicyArn=REGISTRY)["Policy"]
    assert (policy["PolicyName"], policy["DefaultVersionId"]) == (
        "AmazonSageMakerModelRegistryFullAccess",
        "v2",
    )
    versions = iam.list_policy_versions(PolicyArn=REGISTRY)["Versions"]
    assert sorted((v["VersionId"], v["IsDefaultVersion"]) for v in versions) == [
        ("v1", False),
        ("v2", True),
    ]
    v1 = iam.get_policy_version(PolicyArn=REGISTRY, VersionId="v1")["PolicyVersion"]
    v2 = iam.get_policy_version(PolicyArn=REGISTRY, VersionId="v2")["PolicyVersion"]
    # v2 added a Sid to each statement (the shipped documents).
    assert all("Sid" not in st for st in v1["Document"]["Statement"])
    assert all("Sid" in st for st in v2["Document"]["Statement"])


@pytest.mark.parametrize(
    "attach",
    [
        pytest.param(
            lambda iam: iam.attach_role_policy(RoleName="r", PolicyArn=REGISTRY), id="role"
        ),
        pytest.param(
            lambda iam: iam.attach_user_policy(UserName="u", PolicyArn=REGISTRY), id="user"
        ),
        pytest.param(
            lambda iam: iam.attach_group_policy(GroupName="g", PolicyArn=REGISTRY), id="group"
        ),
    ],
)
def test_aws_managed_policy_attaches_to_users_groups_roles(
    modelreg: ModelRegistryHandle, attach: Callable[[Any], None]
) -> None:
    iam = modelreg.admin_client("iam")
    _role(modelreg)
    iam.create_user(UserName="u")
    iam.create_group(GroupName="g")
    attach(iam)
    listed = (
        iam.list_attached_role_policies(RoleName="r")["AttachedPolicies"]
        + iam.list_attached_user_policies(UserName="u")["AttachedPolicies"]
        + iam.list_attached_group_policies(GroupName="g")["AttachedPolicies"]
    )
    assert [p["PolicyArn"] for p in listed] == [REGISTRY]


def test_aws_managed_policy_as_role_permissions_boundary(modelreg: ModelRegistryHandle) -> None:
    iam = modelreg.admin_client("iam")
    _role(modelreg, "bounded", PermissionsBoundary=REGISTRY)
    _role(modelreg, "later")
    iam.put_role_permissions_boundary(RoleName="later", PermissionsBoundary=LAMBDA_BASIC)
    for name, arn in (("bounded", REGISTRY), ("later", LAMBDA_BASIC)):
        boundary = iam.get_role(RoleName=name)["Role"]["PermissionsBoundary"]
        assert boundary["PermissionsBoundaryArn"] == arn


def test_role_with_attached_registry_policy_is_granted_by_it(
    modelreg: ModelRegistryHandle,
) -> None:
    iam = modelreg.admin_client("iam")
    arn = _role(modelreg)
    sagemaker = assume(modelreg, arn).client("sagemaker")
    with pytest.raises(ClientError, match="AccessDenied"):
        sagemaker.create_model_package_group(ModelPackageGroupName="before")
    iam.attach_role_policy(RoleName="r", PolicyArn=REGISTRY)
    sagemaker.create_model_package_group(ModelPackageGroupName="after")


def test_managed_policy_path_is_part_of_its_arn(modelreg: ModelRegistryHandle) -> None:
    """aws/aws-cdk#19830: ``policy/service-role/AWSLambdaBasicExecutionRole`` attaches, the same
    name without ``service-role/`` answers NoSuchEntity."""
    iam = modelreg.admin_client("iam")
    _role(modelreg)
    iam.attach_role_policy(RoleName="r", PolicyArn=LAMBDA_BASIC)
    without_path = "arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole"
    with pytest.raises(ClientError) as missing:
        iam.attach_role_policy(RoleName="r", PolicyArn=without_path)
    assert missing.value.response["Error"]["Code"] == "NoSuchEntity"


def _attach_role(iam: Any, arn: str) -> None:
    iam.attach_role_policy(RoleName="r", PolicyArn=arn)


def _attach_user(iam: Any, arn: str) -> None:
    iam.attach_user_policy(UserName="u", PolicyArn=arn)


def _attach_group(iam: Any, arn: str) -> None:
    iam.attach_group_policy(GroupName="g", PolicyArn=arn)


def _create_role(iam: Any, arn: str) -> None:
    iam.create_role(RoleName="new", AssumeRolePolicyDocument="{}", PermissionsBoundary=arn)


def _create_user(iam: Any, arn: str) -> None:
    iam.create_user(UserName="new", PermissionsBoundary=arn)


def _put_role_boundary(iam: Any, arn: str) -> None:
    iam.put_role_permissions_boundary(RoleName="r", PermissionsBoundary=arn)


# Attach*: observed wording (pulumi/pulumi#7419). Boundaries: the same wording is inferred
# (simulation/_guesses.py).
@pytest.mark.parametrize(
    "call",
    [_attach_role, _attach_user, _attach_group, _create_role, _create_user, _put_role_boundary],
)
@pytest.mark.parametrize("arn", [MISSING, f"arn:aws:iam::{ACCOUNT}:policy/never-created"])
def test_policy_iam_does_not_hold_is_refused(
    modelreg: ModelRegistryHandle, call: Callable[[Any, str], None], arn: str
) -> None:
    iam = modelreg.admin_client("iam")
    _role(modelreg)
    iam.create_user(UserName="u")
    iam.create_group(GroupName="g")
    with pytest.raises(ClientError) as refused:
        call(iam, arn)
    error = refused.value.response
    assert error["Error"]["Code"] == "NoSuchEntity"
    assert error["Error"]["Message"] == f"Policy {arn} does not exist or is not attachable."
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert "new" not in [r["RoleName"] for r in iam.list_roles()["Roles"]]
    assert "new" not in [u["UserName"] for u in iam.list_users()["Users"]]


@pytest.mark.parametrize("as_boundary", [True, False], ids=["boundary", "attached"])
def test_policy_deleted_while_in_use_denies_and_is_named(
    modelreg: ModelRegistryHandle, as_boundary: bool
) -> None:
    """An unresolvable boundary must not leave the role unbounded, nor an unresolvable attached
    policy be skipped silently: the call is denied and the explanation names the policy."""
    iam = modelreg.admin_client("iam")
    arn = iam.create_policy(PolicyName="p", PolicyDocument=json.dumps(ALLOW_ALL))["Policy"]["Arn"]
    role = _role(modelreg)
    iam.put_role_policy(RoleName="r", PolicyName="all", PolicyDocument=json.dumps(ALLOW_ALL))
    if as_boundary:
        iam.put_role_permissions_boundary(RoleName="r", PermissionsBoundary=arn)
    else:
        iam.attach_role_policy(RoleName="r", PolicyArn=arn)
    sagemaker = assume(modelreg, role).client("sagemaker")
    sagemaker.list_model_package_groups()
    iam.delete_policy(PolicyArn=arn)  # moto allows it while attached; AWS would refuse
    with pytest.raises(ClientError, match="AccessDenied"):
        sagemaker.list_model_package_groups()
    assert f"{arn} (unresolvable" in explain_call(modelreg.calls[-1])


def test_no_iam_call_loads_no_managed_policy_bundle(modelreg: ModelRegistryHandle) -> None:
    aws_managed_policies.cache_clear()
    modelreg.client("sagemaker").create_model_package_group(ModelPackageGroupName="g")
    iam = modelreg.admin_client("iam")
    _role(modelreg)
    iam.attach_role_policy(RoleName="r", PolicyArn=REGISTRY)  # shipped: no bundle needed
    assert aws_managed_policies.cache_info().currsize == 0
    iam.attach_role_policy(RoleName="r", PolicyArn=LAMBDA_BASIC)
    # Only the policies a call named are in the simulated IAM.
    listed = iam.list_policies(Scope="AWS")["Policies"]
    assert sorted(p["Arn"] for p in listed) == [REGISTRY, LAMBDA_BASIC]


def test_user_permissions_boundary_bounds_the_user(modelreg: ModelRegistryHandle) -> None:
    """moto drops a user's boundary: a user created with one must not act unbounded ("A
    permissions boundary ... sets the maximum permissions that an identity-based policy can grant
    to an IAM entity", IAM User Guide, "Permissions boundaries for IAM entities")."""
    iam = modelreg.admin_client("iam")
    created = iam.create_user(UserName="u", PermissionsBoundary=LAMBDA_BASIC)["User"]
    assert created["PermissionsBoundary"]["PermissionsBoundaryArn"] == LAMBDA_BASIC
    boundary = iam.get_user(UserName="u")["User"]["PermissionsBoundary"]
    assert boundary["PermissionsBoundaryArn"] == LAMBDA_BASIC
    iam.put_user_policy(UserName="u", PolicyName="all", PolicyDocument=json.dumps(ALLOW_ALL))
    key = iam.create_access_key(UserName="u")["AccessKey"]
    session = boto3.Session(
        aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=key["SecretAccessKey"],
        region_name=modelreg.region,
    )
    sagemaker = session.client("sagemaker")
    with pytest.raises(ClientError, match="because no permissions boundary allows"):
        sagemaker.create_model_package_group(ModelPackageGroupName="g")
    iam.put_user_permissions_boundary(UserName="u", PermissionsBoundary=REGISTRY)
    sagemaker.create_model_package_group(ModelPackageGroupName="g")
    with pytest.raises(ClientError, match="because no permissions boundary allows"):
        session.client("iam").create_role(RoleName="x", AssumeRolePolicyDocument="{}")
    iam.delete_user_permissions_boundary(UserName="u")
    session.client("iam").create_role(RoleName="x", AssumeRolePolicyDocument="{}")
    with pytest.raises(ClientError) as missing:
        iam.put_user_permissions_boundary(UserName="nobody", PermissionsBoundary=REGISTRY)
    assert missing.value.response["Error"]["Code"] == "NoSuchEntity"

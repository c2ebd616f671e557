"""The same-account exceptions: a role's trust policy and a KMS key's key policy must allow the
caller; an identity-based allow alone is not enough.

IAM User Guide, "Policy evaluation logic": "IAM role trust policies and KMS key policies are
exceptions to this logic, because they must explicitly allow access for principals."
AWS KMS Developer Guide, "Key policies in AWS KMS": "Unless the key policy explicitly allows it,
you cannot use IAM policies to allow access to a KMS key."
"""

from __future__ import annotations

import json
from typing import Any

import boto3  # noqa: F401  (see the report: activation without boto3 imported fails)
import pytest
from botocore.exceptions import ClientError

from pytest_modelreg import ModelRegistryHandle
from pytest_modelreg.explain import explain_call
from pytest_modelreg.iam import role_trust_policy, simulate

from ..conftest import ALLOW_ALL, statement

ACCOUNT = "123456789012"
KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/deployer"
USER = f"arn:aws:iam::{ACCOUNT}:user/alice"
TRUST_RULE = (
    "IAM User Guide, Policy evaluation logic: IAM role trust policies and KMS key policies are "
    "exceptions to this logic, because they must explicitly allow access for principals."
)
KEY_RULE = (
    "AWS KMS Developer Guide, Key policies in AWS KMS: Unless the key policy explicitly allows "
    "it, you cannot use IAM policies to allow access to a KMS key."
)


def _resource_policy(principal: dict[str, Any], action: str, **extra: Any) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": principal, "Action": action, **extra}],
    }


DEFAULT_KEY_POLICY = _resource_policy(
    {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "kms:*", Resource="*"
)
TRUST_SAGEMAKER = _resource_policy({"Service": "sagemaker.amazonaws.com"}, "sts:AssumeRole")
TRUST_ACCOUNT = _resource_policy({"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "sts:AssumeRole")
TRUST_ALICE = _resource_policy({"AWS": USER}, "sts:AssumeRole")

# (action, resource, identity policy, resource policy, expected, rule)
ROWS: list[tuple[str, str, dict[str, Any] | None, dict[str, Any] | None, str, str]] = [
    ("kms:Decrypt", KEY, ALLOW_ALL, None, "implicitDeny", KEY_RULE + " (no key policy)"),
    (
        "kms:Decrypt",
        KEY,
        ALLOW_ALL,
        _resource_policy({"AWS": f"arn:aws:iam::{ACCOUNT}:user/bob"}, "kms:*", Resource="*"),
        "implicitDeny",
        KEY_RULE + " (the key policy names someone else)",
    ),
    ("kms:Decrypt", KEY, ALLOW_ALL, DEFAULT_KEY_POLICY, "allowed", KEY_RULE + " (delegated)"),
    ("kms:Decrypt", KEY, None, DEFAULT_KEY_POLICY, "implicitDeny", KEY_RULE + " (IAM must allow)"),
    (
        "kms:Decrypt",
        KEY,
        None,
        _resource_policy({"AWS": USER}, "kms:Decrypt", Resource="*"),
        "allowed",
        KEY_RULE + " (the key policy grants the caller itself)",
    ),
    ("sts:AssumeRole", ROLE, ALLOW_ALL, TRUST_SAGEMAKER, "implicitDeny", TRUST_RULE),
    ("sts:AssumeRole", ROLE, ALLOW_ALL, None, "implicitDeny", TRUST_RULE + " (no trust policy)"),
    ("sts:AssumeRole", ROLE, ALLOW_ALL, TRUST_ACCOUNT, "allowed", TRUST_RULE + " (delegated)"),
    ("sts:AssumeRole", ROLE, None, TRUST_ACCOUNT, "implicitDeny", TRUST_RULE + " (IAM must allow)"),
    ("sts:AssumeRole", ROLE, None, TRUST_ALICE, "allowed", TRUST_RULE + " (names the caller)"),
    ("sts:TagSession", ROLE, ALLOW_ALL, TRUST_SAGEMAKER, "implicitDeny", TRUST_RULE),
    ("sts:SetSourceIdentity", ROLE, ALLOW_ALL, TRUST_SAGEMAKER, "implicitDeny", TRUST_RULE),
    ("sts:AssumeRoleWithWebIdentity", ROLE, ALLOW_ALL, None, "implicitDeny", TRUST_RULE),
    # Other actions on a role are not decided by its trust policy.
    ("iam:GetRole", ROLE, ALLOW_ALL, None, "allowed", TRUST_RULE + " (only assuming)"),
]


@pytest.mark.parametrize(
    ("action", "resource", "identity", "resource_policy", "expected", "rule"), ROWS
)
def test_simulate_requires_trust_and_key_policies(
    action: str,
    resource: str,
    identity: dict[str, Any] | None,
    resource_policy: dict[str, Any] | None,
    expected: str,
    rule: str,
) -> None:
    evaluation = simulate(
        action,
        resource,
        principal=USER,
        identity_policies=() if identity is None else identity,
        resource_policy=(
            # A trust policy names no Resource: the role is implied.
            role_trust_policy(resource_policy, resource)
            if resource_policy is not None and resource == ROLE
            else resource_policy
        ),
    )
    assert evaluation.decision == expected, rule


def test_a_role_does_not_trust_itself() -> None:
    # "Announcing an update to IAM role trust policy behavior" (AWS Security Blog): a role's
    # sessions may assume it again only if its trust policy names it.
    session = f"arn:aws:sts::{ACCOUNT}:assumed-role/deployer/s1"
    denied = simulate(
        "sts:AssumeRole",
        ROLE,
        principal=session,
        identity_policies=ALLOW_ALL,
        resource_policy=role_trust_policy(TRUST_SAGEMAKER, ROLE),
    )
    assert denied.decision == "implicitDeny", TRUST_RULE
    named = simulate(
        "sts:AssumeRole",
        ROLE,
        principal=session,
        identity_policies=ALLOW_ALL,
        resource_policy=role_trust_policy(_resource_policy({"AWS": ROLE}, "sts:AssumeRole"), ROLE),
    )
    assert named.decision == "allowed"


def test_assume_role_needs_the_trust_policy(modelreg: ModelRegistryHandle) -> None:
    iam = modelreg.admin_client("iam")
    role = iam.create_role(
        RoleName="deployer", AssumeRolePolicyDocument=json.dumps(TRUST_SAGEMAKER)
    )["Role"]
    caller = modelreg.principal("assumer", policies=statement("Allow", "sts:AssumeRole"))
    with pytest.raises(ClientError) as denied:
        caller.client("sts").assume_role(RoleArn=role["Arn"], RoleSessionName="s1")
    error = denied.value.response["Error"]
    assert error["Code"] == "AccessDenied"
    # The observed STS wording names no reason (data-dot-all/dataall#140).
    assert error["Message"] == (
        f"User: {caller.arn} is not authorized to perform: sts:AssumeRole on resource: {ROLE}"
    )
    text = explain_call(modelreg.calls[-1])
    assert "the role's trust policy does not allow the caller to assume the role" in text
    assert "the trust policy must allow" in text
    assert f"add it to the trust policy of {ROLE}" in text
    # Trusting the account delegates to IAM: the same caller may now assume it.
    iam.update_assume_role_policy(RoleName="deployer", PolicyDocument=json.dumps(TRUST_ACCOUNT))
    caller.client("sts").assume_role(RoleArn=role["Arn"], RoleSessionName="s1")


@pytest.mark.modelreg(policy=ALLOW_ALL)
def test_kms_needs_the_key_policy(modelreg: ModelRegistryHandle) -> None:
    kms = modelreg.admin_client("kms")
    own = _resource_policy(
        {"AWS": f"arn:aws:iam::{ACCOUNT}:role/ModelregAdmin"}, "kms:*", Resource="*"
    )
    locked = kms.create_key(Policy=json.dumps(own))["KeyMetadata"]["Arn"]
    default = kms.create_key()["KeyMetadata"]["Arn"]  # the default key policy delegates
    client = modelreg.client("kms")
    assert client.describe_key(KeyId=default)["KeyMetadata"]["Arn"] == default
    with pytest.raises(ClientError) as denied:
        client.describe_key(KeyId=locked)
    error = denied.value.response["Error"]
    assert error["Code"] == "AccessDeniedException"
    assert error["Message"].endswith(
        "because no resource-based policy allows the kms:DescribeKey action"
    )
    text = explain_call(modelreg.calls[-1])
    assert "the key policy does not allow the caller" in text
    assert f"add it to the key policy of {locked}" in text


@pytest.mark.modelreg(policy=ALLOW_ALL)
def test_kms_on_the_callers_behalf_needs_the_key_policy(modelreg: ModelRegistryHandle) -> None:
    # The kms:ViaService request S3 makes for an SSE-KMS upload is a KMS request like any other.
    admin = modelreg.admin_session()
    own = _resource_policy(
        {"AWS": f"arn:aws:iam::{ACCOUNT}:role/ModelregAdmin"}, "kms:*", Resource="*"
    )
    locked = admin.client("kms").create_key(Policy=json.dumps(own))["KeyMetadata"]["Arn"]
    admin.client("s3").create_bucket(Bucket="models")
    with pytest.raises(ClientError):
        modelreg.client("s3").put_object(
            Bucket="models", Key="m", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=locked
        )
    denied = [a for a in modelreg.calls[-1].authorizations if not a.allowed]
    assert [(a.action, a.resource) for a in denied] == [("kms:GenerateDataKey", locked)], KEY_RULE

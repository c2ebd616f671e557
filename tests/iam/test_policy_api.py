"""The engine's API for code that needs one policy's answer (the registry's cross-account checks,
the report's action listing, role trust policies): no caller walks policy JSON itself."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pytest_modelreg.iam import MalformedPolicyDocument, Policy, role_trust_policy, simulate

from ._helpers import (
    ACCOUNT,
    ACTION_DOC,
    NOTACTION_DOC,
    OTHER,
    PRINCIPAL_DOC,
    RESOURCE_DOC,
    ROLE,
    SESSION_ARN,
    USER,
    doc,
    stmt,
)

GROUP = f"arn:aws:sagemaker:us-east-1:{OTHER}:model-package-group/shared"
# The cross-account policy the SageMaker Developer Guide shows for a model package group.
SHARED = Policy.parse(
    doc(
        stmt(
            "sagemaker:DescribeModelPackageGroup",
            GROUP,
            Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
        ),
        stmt(
            ["sagemaker:DescribeModelPackage", "sagemaker:ListModelPackages"],
            f"arn:aws:sagemaker:us-east-1:{OTHER}:model-package/shared/*",
            Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
        ),
    ),
    policy_type="resource",
)


@pytest.mark.parametrize(
    ("action", "resource", "principal", "expected", "rule"),
    [
        ("sagemaker:DescribeModelPackageGroup", GROUP, USER, True, PRINCIPAL_DOC + " (account)"),
        ("sagemaker:describemodelpackagegroup", GROUP, SESSION_ARN, True, ACTION_DOC),
        (
            "sagemaker:DescribeModelPackageGroup",
            GROUP,
            f"arn:aws:iam::{OTHER}:user/x",
            False,
            PRINCIPAL_DOC,
        ),
        ("sagemaker:DescribeModelPackageGroup", GROUP + "x", USER, False, RESOURCE_DOC),
        ("sagemaker:DescribeModelPackageGroup", None, USER, True, "resource not checked"),
        ("sagemaker:DeleteModelPackageGroup", None, USER, False, ACTION_DOC),
        (
            "sagemaker:DescribeModelPackage",
            f"arn:aws:sagemaker:us-east-1:{OTHER}:model-package/shared/3",
            USER,
            True,
            RESOURCE_DOC,
        ),
    ],
)
def test_grants_on_a_resource_policy(
    action: str, resource: str | None, principal: str, expected: bool, rule: str
) -> None:
    assert SHARED.grants(action, resource, principal=principal) is expected, rule


def test_decide_is_the_policy_alone() -> None:
    policy = Policy.parse(
        doc(
            stmt("s3:*", "arn:aws:s3:::b/*"),
            stmt("s3:DeleteObject", "*", effect="Deny"),
            stmt(
                "s3:PutObject",
                "*",
                Condition={"StringEquals": {"s3:x-amz-acl": "private"}},
            ),
        )
    )
    assert policy.decide("s3:GetObject", "arn:aws:s3:::b/k") == "allowed"
    assert policy.decide("s3:GetObject", "arn:aws:s3:::c/k") == "implicitDeny"
    assert policy.decide("s3:DeleteObject", "arn:aws:s3:::b/k") == "explicitDeny"
    assert policy.decide("s3:PutObject", "arn:aws:s3:::c/k") == "implicitDeny"
    assert (
        policy.decide("s3:PutObject", "arn:aws:s3:::c/k", context={"s3:x-amz-acl": "private"})
        == "allowed"
    )
    assert not policy.grants("s3:DeleteObject", None)
    # The same verdict as the full evaluation of a user holding only this policy.
    full = simulate("s3:GetObject", "arn:aws:s3:::b/k", identity_policies=[policy])
    assert full.allowed


def test_matches_action_ignores_resource_and_conditions() -> None:
    policy = Policy.parse(
        doc(
            stmt(
                "s3:Get*", "arn:aws:s3:::b/*", Condition={"Bool": {"aws:SecureTransport": "false"}}
            ),
            stmt("s3:GetObject", "*", effect="Deny"),
        )
    )
    assert policy.matches_action("S3:GETOBJECTTAGGING"), ACTION_DOC
    assert not policy.matches_action("s3:PutObject")
    assert policy.matches_action("s3:GetObject", effect="Deny")
    assert not policy.matches_action("s3:GetObjectTagging", effect="Deny")


@pytest.mark.parametrize(
    ("statements", "named", "spans"),
    [
        ([stmt(["s3:GetObject", "SageMaker:Describe*"])], {"s3", "sagemaker"}, False),
        ([stmt("*")], set(), True),
        ([stmt("*:GetObject"), stmt("kms:Decrypt")], {"kms"}, True),
        ([stmt(NotAction="iam:*")], set(), True),  # NOTACTION_DOC: every other service
        ([stmt("s3:GetObject"), stmt("iam:*", effect="Deny")], {"s3"}, False),
    ],
)
def test_services_a_policy_can_allow(
    statements: list[dict[str, Any]], named: set[str], spans: bool
) -> None:
    policy = Policy.parse(doc(*statements))
    assert policy.named_services() == named
    assert policy.spans_services() is spans, NOTACTION_DOC


TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "sagemaker.amazonaws.com"},
            "Action": "sts:AssumeRole",
        },
        {"Effect": "Allow", "Principal": {"AWS": USER}, "Action": "sts:AssumeRole"},
    ],
}


@pytest.mark.parametrize("form", [TRUST, json.dumps(TRUST), json.dumps(TRUST).encode()])
def test_role_trust_policy_is_the_roles_resource_policy(form: Any) -> None:
    # IAM User Guide, "Roles terms and concepts": the trust policy is the role's resource-based
    # policy; it names no Resource, the role is implied.
    policy = role_trust_policy(form, ROLE, policy_id="trust")
    assert (policy.type, policy.id) == ("resource", "trust")
    assert policy.grants("sts:AssumeRole", ROLE, principal=USER)
    assert policy.grants("sts:AssumeRole", ROLE, principal="sagemaker.amazonaws.com")
    assert not policy.grants("sts:AssumeRole", ROLE, principal=f"arn:aws:iam::{ACCOUNT}:user/bob")
    assert not policy.grants("sts:AssumeRole", ROLE + "-other", principal=USER)
    assert TRUST["Statement"][0].get("Resource") is None  # the caller's document is not changed


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("not json", "Syntax errors in policy."),
        (
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}],
            },
            "Missing required field Principal",
        ),
        ({"Statement": 5}, "Syntax errors in policy."),
    ],
)
def test_role_trust_policy_refuses_what_iam_refuses(document: Any, message: str) -> None:
    with pytest.raises(MalformedPolicyDocument) as e:
        role_trust_policy(document, ROLE)
    assert e.value.message == message


def test_statements_keep_their_text() -> None:
    written = stmt("s3:GetObject", "arn:aws:s3:::b/*", Sid="Read")
    policy = Policy.parse(doc(written))
    assert dict(policy.statements[0].raw) == written

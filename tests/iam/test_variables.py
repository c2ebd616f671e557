"""Policy variables and the Version element (VARIABLES_DOC, VERSION_DOC)."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_modelreg.iam import MalformedPolicyDocument

from ._helpers import (
    ACCOUNT,
    FIFTH_COLON_RULE,
    SESSION_ARN,
    SETOPS_DOC,
    USER,
    VARIABLES_DOC,
    VERSION_DOC,
    decide,
    doc,
    stmt,
)

HOME = "arn:aws:s3:::bucket/${aws:username}/*"
V = VARIABLES_DOC
# (version, Resource, principal, context, requested resource, expected, rule)
RESOURCE_ROWS: list[tuple[str | None, str, str, dict[str, Any] | None, str, str, str]] = [
    (
        "2012-10-17",
        HOME,
        USER,
        None,
        "arn:aws:s3:::bucket/alice/x",
        "allowed",
        V + " (aws:username of an IAM user)",
    ),
    ("2012-10-17", HOME, USER, None, "arn:aws:s3:::bucket/bob/x", "implicitDeny", V),
    (
        "2012-10-17",
        HOME,
        SESSION_ARN,
        None,
        "arn:aws:s3:::bucket/alice/x",
        "implicitDeny",
        V + " (no aws:username for a role session: the value matches nothing)",
    ),
    (
        "2012-10-17",
        HOME,
        SESSION_ARN,
        None,
        "arn:aws:s3:::bucket/${aws:username}/x",
        "implicitDeny",
        V + " (an unresolved variable is not literal text either)",
    ),
    (
        "2012-10-17",
        HOME,
        SESSION_ARN,
        {"aws:username": "bob"},
        "arn:aws:s3:::bucket/bob/x",
        "allowed",
        V + " (value from the request context)",
    ),
    (
        "2008-10-17",
        HOME,
        USER,
        None,
        "arn:aws:s3:::bucket/alice/x",
        "implicitDeny",
        VERSION_DOC + " (2008-10-17: variables are literal strings)",
    ),
    (
        "2008-10-17",
        HOME,
        USER,
        None,
        "arn:aws:s3:::bucket/${aws:username}/x",
        "allowed",
        VERSION_DOC + " (literal text matches literally)",
    ),
    (
        None,
        HOME,
        USER,
        None,
        "arn:aws:s3:::bucket/alice/x",
        "implicitDeny",
        V + " (no Version element: literal)",
    ),
    (None, HOME, USER, None, "arn:aws:s3:::bucket/${aws:username}/x", "allowed", V),
    (
        "2012-10-17",
        "arn:aws:s3:::bucket/${AWS:UserName}/*",
        USER,
        None,
        "arn:aws:s3:::bucket/alice/x",
        "allowed",
        V + " (key names are case-insensitive)",
    ),
    (
        "2012-10-17",
        "arn:aws:s3:::bucket/${aws:username}/*",
        USER,
        None,
        "arn:aws:s3:::bucket/ALICE/x",
        "implicitDeny",
        V + " (the ARN stays case-sensitive)",
    ),
    (
        "2012-10-17",
        "arn:aws:s3:::bucket/${aws:PrincipalTag/team}/*",
        USER,
        {"aws:PrincipalTag/team": "ml"},
        "arn:aws:s3:::bucket/ml/x",
        "allowed",
        V + " (tags as policy variables)",
    ),
    (
        "2012-10-17",
        "arn:aws:s3:::bucket/${aws:PrincipalTag/team}/*",
        USER,
        None,
        "arn:aws:s3:::bucket/ml/x",
        "implicitDeny",
        V,
    ),
    (
        "2012-10-17",
        "arn:aws:s3:::bucket/${aws:PrincipalTag/team, 'shared'}/*",
        USER,
        None,
        "arn:aws:s3:::bucket/shared/x",
        "allowed",
        V + "#policy-vars-default-values",
    ),
    (
        "2012-10-17",
        "arn:aws:s3:::bucket/${aws:PrincipalTag/team, 'shared'}/*",
        USER,
        {"aws:PrincipalTag/team": "ml"},
        "arn:aws:s3:::bucket/ml/x",
        "allowed",
        V + "#policy-vars-default-values (the value wins over the default)",
    ),
    (
        "2012-10-17",
        "arn:aws:s3:::bucket/${aws:PrincipalTag/team, 'shared'}/*",
        USER,
        {"aws:PrincipalTag/team": "ml"},
        "arn:aws:s3:::bucket/shared/x",
        "implicitDeny",
        V + "#policy-vars-default-values",
    ),
    (
        "2012-10-17",
        "arn:aws:s3:::bucket/${*}",
        USER,
        None,
        "arn:aws:s3:::bucket/*",
        "allowed",
        V + " (${*} is a literal *)",
    ),
    (
        "2012-10-17",
        "arn:aws:s3:::bucket/${*}",
        USER,
        None,
        "arn:aws:s3:::bucket/x",
        "implicitDeny",
        V + " (${*} is not a wildcard)",
    ),
    (
        "2012-10-17",
        "arn:aws:s3:::bucket/a${?}",
        USER,
        None,
        "arn:aws:s3:::bucket/a?",
        "allowed",
        V + " (${?} is a literal ?)",
    ),
    (
        "2012-10-17",
        "arn:aws:s3:::bucket/a${?}",
        USER,
        None,
        "arn:aws:s3:::bucket/ab",
        "implicitDeny",
        V,
    ),
    (
        "2012-10-17",
        "arn:aws:s3:::bucket/${$}x",
        USER,
        None,
        "arn:aws:s3:::bucket/$x",
        "allowed",
        V + " (${$} is a literal $)",
    ),
    (
        "2008-10-17",
        "arn:aws:s3:::bucket/${*}",
        USER,
        None,
        "arn:aws:s3:::bucket/${x}",
        "allowed",
        VERSION_DOC + " (no escapes in 2008-10-17: the * is a wildcard)",
    ),
    (
        "2012-10-17",
        "arn:aws:s3:::bucket/${aws:TagKeys}",
        USER,
        {"aws:TagKeys": ["a", "b"]},
        "arn:aws:s3:::bucket/a",
        "implicitDeny",
        SETOPS_DOC + " (multivalued keys cannot be policy variables)",
    ),
    (
        "2012-10-17",
        ["arn:aws:s3:::bucket/${aws:PrincipalTag/none}", "arn:aws:s3:::bucket/x"],
        USER,
        None,
        "arn:aws:s3:::bucket/x",
        "allowed",
        V + " (an unresolved value does not spoil the others)",
    ),
    # Before the fifth colon a variable is not substituted: the characters stay as written.
    (
        "2012-10-17",
        "arn:aws:iam::${aws:PrincipalAccount}:role/Admin",
        USER,
        None,
        f"arn:aws:iam::{ACCOUNT}:role/Admin",
        "implicitDeny",
        FIFTH_COLON_RULE + " (account)",
    ),
    (
        "2012-10-17",
        "arn:aws:sagemaker:${aws:RequestedRegion}:*:model/m",
        USER,
        {"aws:RequestedRegion": "us-east-1"},
        f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:model/m",
        "implicitDeny",
        FIFTH_COLON_RULE + " (region)",
    ),
    (
        "2012-10-17",
        f"arn:aws:iam::{ACCOUNT}:user/${{aws:username}}",
        USER,
        None,
        USER,
        "allowed",
        FIFTH_COLON_RULE + " (after the fifth colon it is substituted)",
    ),
    (
        "2012-10-17",
        "arn:aws:s3:::${aws:PrincipalTag/team}:x/*",
        USER,
        {"aws:PrincipalTag/team": "a:b"},
        "arn:aws:s3:::a:b:x/k",
        "allowed",
        FIFTH_COLON_RULE + " (a substituted value's colons belong to the resource)",
    ),
]


@pytest.mark.parametrize(
    ("version", "pattern", "principal", "context", "resource", "expected", "rule"),
    RESOURCE_ROWS,
)
def test_variables_in_resource(
    version: str | None,
    pattern: Any,
    principal: str,
    context: dict[str, Any] | None,
    resource: str,
    expected: str,
    rule: str,
) -> None:
    policy = doc(stmt("s3:GetObject", pattern), version=version)
    got = decide(policy, "s3:GetObject", resource, context, principal=principal)
    assert got == expected, rule


# Condition values: variables substitute in String and ARN operators only (V, "Condition element").
COND_ROWS: list[tuple[str, str, str, str, dict[str, Any], bool, str]] = [
    ("StringEquals", "s3:prefix", "${aws:username}/", USER, {"s3:prefix": "alice/"}, True, V),
    ("StringEquals", "s3:prefix", "${aws:username}/", USER, {"s3:prefix": "bob/"}, False, V),
    ("StringLike", "s3:prefix", "${aws:username}/*", USER, {"s3:prefix": "alice/docs"}, True, V),
    ("StringLike", "s3:prefix", "${aws:username}/*", USER, {"s3:prefix": "bob/docs"}, False, V),
    (
        "StringEqualsIgnoreCase",
        "s3:prefix",
        "${aws:username}",
        USER,
        {"s3:prefix": "ALICE"},
        True,
        V,
    ),
    (
        "StringEquals",
        "s3:prefix",
        "${aws:username}",
        SESSION_ARN,
        {"s3:prefix": "alice"},
        False,
        V + " (unresolved: the positive operator is false)",
    ),
    (
        "StringNotEquals",
        "s3:prefix",
        "${aws:username}",
        SESSION_ARN,
        {"s3:prefix": "alice"},
        True,
        V + " (unresolved: the negated operator is true)",
    ),
    (
        "StringEquals",
        "aws:ResourceTag/owner",
        "${aws:PrincipalTag/owner}",
        USER,
        {"aws:ResourceTag/owner": "t1", "aws:PrincipalTag/owner": "t1"},
        True,
        V + " (ABAC)",
    ),
    (
        "StringEquals",
        "aws:ResourceTag/owner",
        "${aws:PrincipalTag/owner}",
        USER,
        {"aws:ResourceTag/owner": "t1", "aws:PrincipalTag/owner": "t2"},
        False,
        V + " (ABAC)",
    ),
    (
        "ArnLike",
        "aws:SourceArn",
        "arn:aws:s3:::${aws:username}-*",
        USER,
        {"aws:SourceArn": "arn:aws:s3:::alice-logs"},
        True,
        V + " (ARN operators)",
    ),
    (
        "ArnEquals",
        "aws:SourceArn",
        "arn:aws:s3:::${aws:username}",
        USER,
        {"aws:SourceArn": "arn:aws:s3:::bob"},
        False,
        V,
    ),
    (
        "NumericEquals",
        "s3:max-keys",
        "${aws:username}",
        USER,
        {"s3:max-keys": "10", "aws:username": "10"},
        False,
        V + " (no variables in Numeric operators)",
    ),
    ("StringEquals", "s3:prefix", "${*}", USER, {"s3:prefix": "*"}, True, V + " (escape)"),
    ("StringLike", "s3:prefix", "${*}", USER, {"s3:prefix": "abc"}, False, V + " (escape)"),
    (
        "ArnEquals",
        "aws:PrincipalArn",
        "arn:aws:iam::${aws:PrincipalAccount}:user/alice",
        USER,
        {},
        True,
        V + " (ARN operators substitute anywhere: the fifth-colon rule is the Resource element's)",
    ),
    (
        "StringLike",
        "s3:prefix",
        "${aws:PrincipalTag/t, 'x'}*",
        USER,
        {"s3:prefix": "xy"},
        True,
        V + "#policy-vars-default-values",
    ),
]


@pytest.mark.parametrize(
    ("op", "key", "value", "principal", "context", "expected", "rule"), COND_ROWS
)
def test_variables_in_conditions(
    op: str,
    key: str,
    value: str,
    principal: str,
    context: dict[str, Any],
    expected: bool,
    rule: str,
) -> None:
    policy = doc(stmt(Condition={op: {key: value}}))
    got = decide(policy, "s3:ListBucket", "*", context, principal=principal)
    assert got == ("allowed" if expected else "implicitDeny"), rule


def test_version_2008_condition_values_are_literal() -> None:
    # VERSION_DOC: in 2008-10-17 "${aws:username}" is the literal string.
    policy = doc(
        stmt(Condition={"StringEquals": {"s3:prefix": "${aws:username}"}}), version="2008-10-17"
    )
    assert decide(policy, "s3:ListBucket", context={"s3:prefix": "alice"}) == "implicitDeny"
    assert decide(policy, "s3:ListBucket", context={"s3:prefix": "${aws:username}"}) == "allowed"


def test_variables_are_not_allowed_in_action() -> None:
    # V, "Where you can use policy variables": Resource and Condition only; in Action the
    # variable's own colon makes IAM reject the document.
    with pytest.raises(MalformedPolicyDocument, match="only one colon"):
        decide(doc(stmt("s3:${aws:username}")), "s3:alice")

"""Condition operators: one row per documented rule, checked on Allow and on Deny statements.

Each row: operator, key, policy value(s), the request's value(s) (MISSING: key absent), whether
the condition is true, and the rule's page. True on an Allow statement means "allowed"; the same
condition on a Deny statement next to an allow-all statement means "explicitDeny".
"""

from __future__ import annotations

from typing import Any

import pytest

from ._helpers import (
    ARN_OPERATOR_RULE,
    MULTI_DOC,
    OPERATORS_DOC,
    SETOPS_DOC,
    SHORT_ARN_RULE,
    decide,
    doc,
    stmt,
)

MISSING = object()
OPS = OPERATORS_DOC
S = OPERATORS_DOC + "#Conditions_String"
N = OPERATORS_DOC + "#Conditions_Numeric"
D = OPERATORS_DOC + "#Conditions_Date"
B = OPERATORS_DOC + "#Conditions_Boolean"
BIN = OPERATORS_DOC + "#Conditions_BinaryEquals"
IP = OPERATORS_DOC + "#Conditions_IPAddress"
ARN = OPERATORS_DOC + "#Conditions_ARN"
NULL = OPERATORS_DOC + "#Conditions_Null"
IFX = OPERATORS_DOC + "#Conditions_IfExists"

Row = tuple[str, str, Any, Any, bool, str]

ROWS: list[Row] = [
    # --- String ---------------------------------------------------------------------------
    ("StringEquals", "s3:prefix", "home/", "home/", True, S),
    ("StringEquals", "s3:prefix", "home/", "Home/", False, S + " (case-sensitive)"),
    ("StringEquals", "s3:prefix", "home/", MISSING, False, OPS + " (missing key: false)"),
    ("StringEquals", "s3:prefix", ["a", "home/"], "home/", True, MULTI_DOC + " (values OR-ed)"),
    ("StringEquals", "s3:prefix", ["a", "b"], "c", False, MULTI_DOC),
    ("StringEquals", "s3:prefix", "*", "anything", False, S + " (no wildcards in StringEquals)"),
    ("StringEquals", "s3:prefix", "", "", True, S + " (empty string value)"),
    ("StringEquals", "aws:MultiFactorAuthPresent", True, "true", True, S + " (JSON bool text)"),
    ("StringNotEquals", "s3:prefix", "home/", "home/", False, S),
    ("StringNotEquals", "s3:prefix", "home/", "other/", True, S),
    ("StringNotEquals", "s3:prefix", "home/", MISSING, True, OPS + " (negated, missing: true)"),
    ("StringNotEquals", "s3:prefix", ["a", "b"], "a", False, MULTI_DOC + " (negated: NOR)"),
    ("StringNotEquals", "s3:prefix", ["a", "b"], "c", True, MULTI_DOC + " (negated: NOR)"),
    ("StringNotEquals", "s3:prefix", "home/", "HOME/", True, S + " (case-sensitive)"),
    ("StringEqualsIgnoreCase", "aws:PrincipalTag/env", "Prod", "prod", True, S),
    ("StringEqualsIgnoreCase", "aws:PrincipalTag/env", "Prod", "PROD", True, S),
    ("StringEqualsIgnoreCase", "aws:PrincipalTag/env", "Prod", "dev", False, S),
    ("StringEqualsIgnoreCase", "aws:PrincipalTag/env", "Prod", MISSING, False, OPS),
    ("StringEqualsIgnoreCase", "aws:PrincipalTag/env", "P*", "prod", False, S + " (no wildcards)"),
    ("StringNotEqualsIgnoreCase", "aws:PrincipalTag/env", "Prod", "prod", False, S),
    ("StringNotEqualsIgnoreCase", "aws:PrincipalTag/env", "Prod", "dev", True, S),
    ("StringNotEqualsIgnoreCase", "aws:PrincipalTag/env", "Prod", MISSING, True, OPS),
    ("StringLike", "s3:prefix", "home/*", "home/alice/x", True, S + " (StringLike *)"),
    ("StringLike", "s3:prefix", "home/*", "home/", True, S + " (* matches empty)"),
    ("StringLike", "s3:prefix", "home/*", "Home/x", False, S + " (case-sensitive)"),
    ("StringLike", "s3:prefix", "h?me", "home", True, S + " (? one character)"),
    ("StringLike", "s3:prefix", "h?me", "hme", False, S),
    ("StringLike", "s3:prefix", "*", "", True, S),
    ("StringLike", "s3:prefix", "a.c", "abc", False, S + " (dot is literal)"),
    ("StringLike", "s3:prefix", "home/*", MISSING, False, OPS),
    (
        "StringLike",
        "kms:ViaService",
        "sagemaker.*.amazonaws.com",
        "sagemaker.us-east-1.amazonaws.com",
        True,
        S,
    ),
    (
        "StringLike",
        "kms:ViaService",
        "sagemaker.*.amazonaws.com",
        "s3.us-east-1.amazonaws.com",
        False,
        S,
    ),
    ("StringLike", "s3:prefix", ["a*", "b*"], "bz", True, MULTI_DOC),
    ("StringNotLike", "s3:prefix", "home/*", "home/x", False, S),
    ("StringNotLike", "s3:prefix", "home/*", "tmp/x", True, S),
    ("StringNotLike", "s3:prefix", "home/*", MISSING, True, OPS),
    ("StringNotLike", "s3:prefix", ["a*", "b*"], "bz", False, MULTI_DOC + " (NOR)"),
    ("StringNotLike", "s3:prefix", ["a*", "b*"], "cz", True, MULTI_DOC + " (NOR)"),
    # --- Numeric --------------------------------------------------------------------------
    ("NumericEquals", "s3:max-keys", "10", "10", True, N),
    ("NumericEquals", "s3:max-keys", "10", "10.0", True, N + " (numbers, not text)"),
    ("NumericEquals", "s3:max-keys", 10, "10", True, N + " (JSON number)"),
    ("NumericEquals", "s3:max-keys", "10", "11", False, N),
    ("NumericEquals", "s3:max-keys", "10", "ten", False, N + " (not a number)"),
    ("NumericEquals", "s3:max-keys", "10", MISSING, False, OPS),
    ("NumericNotEquals", "s3:max-keys", "10", "10", False, N),
    ("NumericNotEquals", "s3:max-keys", "10", "11", True, N),
    ("NumericNotEquals", "s3:max-keys", "10", MISSING, True, OPS + " (negated, missing)"),
    ("NumericLessThan", "s3:max-keys", "10", "9", True, N),
    ("NumericLessThan", "s3:max-keys", "10", "10", False, N),
    ("NumericLessThan", "s3:max-keys", "10", "-3.5", True, N),
    ("NumericLessThan", "s3:max-keys", ["5", "10"], "7", True, MULTI_DOC),
    ("NumericLessThan", "s3:max-keys", "10", MISSING, False, OPS),
    ("NumericLessThanEquals", "s3:max-keys", "10", "10", True, N),
    ("NumericLessThanEquals", "s3:max-keys", "10", "11", False, N),
    ("NumericGreaterThan", "s3:max-keys", "10", "11", True, N),
    ("NumericGreaterThan", "s3:max-keys", "10", "10", False, N),
    ("NumericGreaterThanEquals", "s3:max-keys", "10", "10", True, N),
    ("NumericGreaterThanEquals", "s3:max-keys", "10", "9", False, N),
    ("NumericGreaterThanEquals", "s3:max-keys", "1e3", "1000", True, N),
    # --- Date -----------------------------------------------------------------------------
    (
        "DateGreaterThan",
        "aws:TokenIssueTime",
        "2020-01-01T00:00:00Z",
        "2021-01-01T00:00:00Z",
        True,
        D,
    ),
    (
        "DateGreaterThan",
        "aws:TokenIssueTime",
        "2020-01-01T00:00:00Z",
        "2019-12-31T23:59:59Z",
        False,
        D,
    ),
    (
        "DateGreaterThan",
        "aws:TokenIssueTime",
        "2020-01-01T00:00:00Z",
        "1609459200",
        True,
        D + " (epoch seconds)",
    ),
    ("DateGreaterThan", "aws:TokenIssueTime", "2020-01-01T00:00:00Z", MISSING, False, OPS),
    (
        "DateLessThan",
        "aws:TokenIssueTime",
        "2020-01-01T00:00:00Z",
        "2019-06-01",
        True,
        D + " (ISO 8601 date)",
    ),
    ("DateLessThan", "aws:TokenIssueTime", "2020-01-01", "2020-01-01T00:00:01Z", False, D),
    (
        "DateEquals",
        "aws:TokenIssueTime",
        "2020-01-01T00:00:00Z",
        "1577836800",
        True,
        D + " (epoch equals ISO)",
    ),
    (
        "DateEquals",
        "aws:TokenIssueTime",
        "1577836800",
        "2020-01-01T00:00:00Z",
        True,
        D + " (epoch policy value)",
    ),
    (
        "DateEquals",
        "aws:TokenIssueTime",
        "2020-01-01T00:00:00Z",
        "2020-01-01T01:00:00+01:00",
        True,
        D + " (UTC offset)",
    ),
    (
        "DateEquals",
        "aws:TokenIssueTime",
        "2020-01-01T00:00:00Z",
        "2020-01-01T00:00:00.000Z",
        True,
        D + " (fraction)",
    ),
    ("DateEquals", "aws:TokenIssueTime", "2020-01-01T00:00:00Z", "yesterday", False, D),
    (
        "DateNotEquals",
        "aws:TokenIssueTime",
        "2020-01-01T00:00:00Z",
        "2020-01-02T00:00:00Z",
        True,
        D,
    ),
    (
        "DateNotEquals",
        "aws:TokenIssueTime",
        "2020-01-01T00:00:00Z",
        "2020-01-01T00:00:00Z",
        False,
        D,
    ),
    ("DateNotEquals", "aws:TokenIssueTime", "2020-01-01T00:00:00Z", MISSING, True, OPS),
    (
        "DateLessThanEquals",
        "aws:TokenIssueTime",
        "2020-01-01T00:00:00Z",
        "2020-01-01T00:00:00Z",
        True,
        D,
    ),
    (
        "DateGreaterThanEquals",
        "aws:TokenIssueTime",
        "2020-01-01T00:00:00Z",
        "2020-01-01T00:00:00Z",
        True,
        D,
    ),
    ("DateGreaterThanEquals", "aws:TokenIssueTime", "2020-01-01T00:00:00Z", "1577836799", False, D),
    # --- Bool / Binary --------------------------------------------------------------------
    ("Bool", "aws:MultiFactorAuthPresent", "true", "true", True, B),
    ("Bool", "aws:MultiFactorAuthPresent", "true", "false", False, B),
    ("Bool", "aws:MultiFactorAuthPresent", True, "true", True, B + " (JSON boolean)"),
    ("Bool", "aws:MultiFactorAuthPresent", "true", MISSING, False, OPS),
    ("Bool", "aws:MultiFactorAuthPresent", "false", MISSING, False, B + " (missing is not false)"),
    ("Bool", "aws:MultiFactorAuthPresent", "false", "false", True, B),
    ("BinaryEquals", "key", "QmluYXJ5VmFsdWUx", "QmluYXJ5VmFsdWUx", True, BIN),
    ("BinaryEquals", "key", "QmluYXJ5VmFsdWUx", "QmluYXJ5VmFsdWUy", False, BIN),
    ("BinaryEquals", "key", "QmluYXJ5VmFsdWUx", MISSING, False, OPS),
    # --- IP address -----------------------------------------------------------------------
    ("IpAddress", "aws:SourceIp", "203.0.113.0/24", "203.0.113.5", True, IP),
    ("IpAddress", "aws:SourceIp", "203.0.113.0/24", "203.0.114.5", False, IP),
    ("IpAddress", "aws:SourceIp", "203.0.113.0/24", MISSING, False, OPS),
    ("IpAddress", "aws:SourceIp", "203.0.113.7", "203.0.113.7", True, IP + " (single address)"),
    ("IpAddress", "aws:SourceIp", "203.0.113.7", "203.0.113.8", False, IP),
    ("IpAddress", "aws:SourceIp", "203.0.113.7/32", "203.0.113.7", True, IP),
    ("IpAddress", "aws:SourceIp", "0.0.0.0/0", "198.51.100.1", True, IP),
    (
        "IpAddress",
        "aws:SourceIp",
        ["192.0.2.0/24", "203.0.113.0/24"],
        "203.0.113.9",
        True,
        MULTI_DOC,
    ),
    (
        "IpAddress",
        "aws:SourceIp",
        "2001:DB8:1234:5678::/64",
        "2001:db8:1234:5678::1",
        True,
        IP + " (IPv6)",
    ),
    (
        "IpAddress",
        "aws:SourceIp",
        "2001:DB8:1234:5678::/64",
        "2001:db8:1234:5679::1",
        False,
        IP + " (IPv6)",
    ),
    ("IpAddress", "aws:SourceIp", "203.0.113.0/24", "2001:db8::1", False, IP + " (v4 vs v6)"),
    ("IpAddress", "aws:SourceIp", "203.0.113.0/24", "not-an-ip", False, IP),
    ("IpAddress", "aws:SourceIp", ["203.0.113.0/24", "2001:DB8::/32"], "2001:db8::5", True, IP),
    ("NotIpAddress", "aws:SourceIp", "203.0.113.0/24", "203.0.113.5", False, IP),
    ("NotIpAddress", "aws:SourceIp", "203.0.113.0/24", "198.51.100.5", True, IP),
    ("NotIpAddress", "aws:SourceIp", "203.0.113.0/24", MISSING, True, OPS + " (negated)"),
    (
        "NotIpAddress",
        "aws:SourceIp",
        ["192.0.2.0/24", "203.0.113.0/24"],
        "192.0.2.1",
        False,
        MULTI_DOC + " (NOR)",
    ),
    # --- ARN ------------------------------------------------------------------------------
    (
        "ArnEquals",
        "aws:SourceArn",
        "arn:aws:sns:us-east-1:111122223333:t",
        "arn:aws:sns:us-east-1:111122223333:t",
        True,
        ARN,
    ),
    (
        "ArnEquals",
        "aws:SourceArn",
        "arn:aws:sns:us-east-1:111122223333:t",
        "arn:aws:sns:us-east-1:111122223333:T",
        False,
        ARN + " (case-sensitive)",
    ),
    (
        "ArnEquals",
        "aws:SourceArn",
        "arn:aws:sns:*:111122223333:*",
        "arn:aws:sns:eu-west-1:111122223333:t",
        True,
        ARN + " (ArnEquals takes wildcards)",
    ),
    (
        "ArnLike",
        "aws:PrincipalArn",
        "arn:aws:iam::*:role/*",
        "arn:aws:iam::111122223333:role/path/x",
        True,
        ARN,
    ),
    (
        "ArnLike",
        "aws:PrincipalArn",
        "arn:aws:iam::*:role/*",
        "arn:aws:iam::111122223333:user/x",
        False,
        ARN,
    ),
    ("ArnLike", "aws:SourceArn", "arn:aws:s3:::bucket-?", "arn:aws:s3:::bucket-1", True, ARN),
    (
        "ArnLike",
        "aws:SourceArn",
        "arn:aws:sagemaker:us-*:111122223333:*",
        "arn:aws:sagemaker:us-east-1:111122223333:model/m",
        True,
        ARN + " (per segment)",
    ),
    (
        "ArnLike",
        "aws:SourceArn",
        "arn:aws:sagemaker:us-*:111122223333:*",
        "arn:aws:sagemaker:eu-west-1:111122223333:model/m",
        False,
        ARN,
    ),
    ("ArnLike", "aws:SourceArn", "arn:aws:s3:::b", MISSING, False, OPS),
    # Six components, each checked separately (a * in one never reaches into the next).
    (
        "ArnLike",
        "aws:SourceArn",
        "arn:aws:sns:us-*:111122223333:t*",
        "arn:aws:sns:us-east-1:111122223333:topic:sub",
        True,
        ARN_OPERATOR_RULE + " (the sixth component keeps its colons)",
    ),
    (
        "ArnLike",
        "aws:SourceArn",
        "arn:aws:sns:*:*:*",
        "arn:aws:sns:us-east-1:topic",
        False,
        ARN_OPERATOR_RULE + " (a value of five components is not matched)",
    ),
    ("ArnLike", "aws:SourceArn", "arn:aws:s3:::*", "not-an-arn", False, ARN_OPERATOR_RULE),
    (
        "ArnEquals",
        "aws:SourceArn",
        "arn:aws:sns:us-east-?:111122223333:t",
        "arn:aws:sns:us-east-1:111122223333:t",
        True,
        ARN_OPERATOR_RULE + " (? in ArnEquals)",
    ),
    (
        "ArnLike",
        "aws:PrincipalArn",
        "arn:aws:iam::*",
        "arn:aws:iam::111122223333:user/alice",
        True,
        SHORT_ARN_RULE + " (a short pattern in a condition)",
    ),
    (
        "ArnLike",
        "aws:SourceArn",
        "arn:aws:s3:*bucket",
        "arn:aws:s3:::my-bucket",
        False,
        SHORT_ARN_RULE + " (a * inside a segment does not cross colons)",
    ),
    ("ArnNotEquals", "aws:SourceArn", "arn:aws:s3:::b", "arn:aws:s3:::b", False, ARN),
    ("ArnNotEquals", "aws:SourceArn", "arn:aws:s3:::b", "arn:aws:s3:::c", True, ARN),
    ("ArnNotEquals", "aws:SourceArn", "arn:aws:s3:::b", MISSING, True, OPS),
    ("ArnNotLike", "aws:SourceArn", "arn:aws:s3:::b*", "arn:aws:s3:::bx", False, ARN),
    ("ArnNotLike", "aws:SourceArn", "arn:aws:s3:::b*", "arn:aws:s3:::cx", True, ARN),
    ("ArnNotLike", "aws:SourceArn", "arn:aws:s3:::b*", MISSING, True, OPS),
    # --- Null -----------------------------------------------------------------------------
    ("Null", "aws:TokenIssueTime", "true", MISSING, True, NULL),
    ("Null", "aws:TokenIssueTime", "true", "2020-01-01T00:00:00Z", False, NULL),
    ("Null", "aws:TokenIssueTime", "false", "2020-01-01T00:00:00Z", True, NULL),
    ("Null", "aws:TokenIssueTime", "false", MISSING, False, NULL),
    ("Null", "aws:TokenIssueTime", True, MISSING, True, NULL + " (JSON boolean)"),
    ("Null", "aws:TagKeys", "true", [], True, NULL + " (an empty set is no value)"),
    # --- ...IfExists ----------------------------------------------------------------------
    ("StringEqualsIfExists", "ec2:InstanceType", "t2.micro", MISSING, True, IFX),
    ("StringEqualsIfExists", "ec2:InstanceType", "t2.micro", "t2.micro", True, IFX),
    ("StringEqualsIfExists", "ec2:InstanceType", "t2.micro", "m5.large", False, IFX),
    ("StringNotEqualsIfExists", "ec2:InstanceType", "t2.micro", MISSING, True, IFX),
    ("StringNotEqualsIfExists", "ec2:InstanceType", "t2.micro", "t2.micro", False, IFX),
    ("StringLikeIfExists", "ec2:InstanceType", "t2.*", MISSING, True, IFX),
    ("NumericLessThanIfExists", "s3:max-keys", "10", MISSING, True, IFX),
    ("NumericLessThanIfExists", "s3:max-keys", "10", "20", False, IFX),
    ("DateLessThanIfExists", "aws:TokenIssueTime", "2020-01-01", MISSING, True, IFX),
    ("BoolIfExists", "aws:MultiFactorAuthPresent", "false", MISSING, True, IFX),
    ("BoolIfExists", "aws:MultiFactorAuthPresent", "false", "true", False, IFX),
    ("IpAddressIfExists", "aws:SourceIp", "203.0.113.0/24", MISSING, True, IFX),
    ("IpAddressIfExists", "aws:SourceIp", "203.0.113.0/24", "192.0.2.1", False, IFX),
    ("ArnLikeIfExists", "aws:SourceArn", "arn:aws:s3:::b*", MISSING, True, IFX),
    ("ArnLikeIfExists", "aws:SourceArn", "arn:aws:s3:::b*", "arn:aws:s3:::c", False, IFX),
    ("BinaryEqualsIfExists", "key", "QmluYXJ5VmFsdWUx", MISSING, True, IFX),
    # --- set operators on multivalued keys ------------------------------------------------
    ("ForAllValues:StringEquals", "aws:TagKeys", ["a", "b"], ["a"], True, SETOPS_DOC),
    ("ForAllValues:StringEquals", "aws:TagKeys", ["a", "b"], ["a", "b"], True, SETOPS_DOC),
    ("ForAllValues:StringEquals", "aws:TagKeys", ["a", "b"], ["a", "c"], False, SETOPS_DOC),
    (
        "ForAllValues:StringEquals",
        "aws:TagKeys",
        ["a", "b"],
        [],
        True,
        SETOPS_DOC + " (empty set: true)",
    ),
    (
        "ForAllValues:StringEquals",
        "aws:TagKeys",
        ["a", "b"],
        MISSING,
        True,
        SETOPS_DOC + " (key absent: true)",
    ),
    ("ForAllValues:StringEquals", "aws:TagKeys", ["a", "b"], ["A"], False, SETOPS_DOC),
    ("ForAllValues:StringLike", "aws:TagKeys", "team-*", ["team-a", "team-b"], True, SETOPS_DOC),
    ("ForAllValues:StringLike", "aws:TagKeys", "team-*", ["team-a", "x"], False, SETOPS_DOC),
    (
        "ForAllValues:StringEqualsIgnoreCase",
        "aws:TagKeys",
        "Team",
        ["team", "TEAM"],
        True,
        SETOPS_DOC,
    ),
    ("ForAllValues:StringNotEquals", "aws:TagKeys", "a", ["b", "c"], True, SETOPS_DOC),
    ("ForAllValues:StringNotEquals", "aws:TagKeys", "a", ["a", "b"], False, SETOPS_DOC),
    ("ForAllValues:StringNotEquals", "aws:TagKeys", "a", MISSING, True, SETOPS_DOC),
    ("ForAnyValue:StringEquals", "aws:TagKeys", ["a", "b"], ["a", "c"], True, SETOPS_DOC),
    ("ForAnyValue:StringEquals", "aws:TagKeys", ["a", "b"], ["c"], False, SETOPS_DOC),
    (
        "ForAnyValue:StringEquals",
        "aws:TagKeys",
        ["a", "b"],
        [],
        False,
        SETOPS_DOC + " (empty set: false)",
    ),
    (
        "ForAnyValue:StringEquals",
        "aws:TagKeys",
        ["a", "b"],
        MISSING,
        False,
        SETOPS_DOC + " (key absent: false)",
    ),
    (
        "ForAnyValue:StringEquals",
        "aws:TagKeys",
        "a",
        "a",
        True,
        SETOPS_DOC + " (a single value is a one-element set)",
    ),
    (
        "ForAnyValue:StringLike",
        "aws:TagKeys",
        "sagemaker:*",
        ["x", "sagemaker:collection"],
        True,
        SETOPS_DOC,
    ),
    ("ForAnyValue:StringNotEquals", "aws:TagKeys", "a", ["a", "b"], True, SETOPS_DOC),
    ("ForAnyValue:StringNotEquals", "aws:TagKeys", "a", ["a"], False, SETOPS_DOC),
    ("ForAnyValue:StringNotEquals", "aws:TagKeys", "a", MISSING, False, SETOPS_DOC),
    ("ForAnyValue:StringEqualsIfExists", "aws:TagKeys", "a", MISSING, True, IFX),
    (
        "ForAllValues:ArnLike",
        "aws:PrincipalServiceNamesList",
        "arn:aws:s3:::*",
        ["arn:aws:s3:::a", "arn:aws:s3:::b"],
        True,
        SETOPS_DOC,
    ),
    (
        "ForAnyValue:IpAddress",
        "aws:SourceIp",
        "203.0.113.0/24",
        ["192.0.2.1", "203.0.113.1"],
        True,
        SETOPS_DOC,
    ),
    ("ForAllValues:NumericLessThan", "k", "10", ["1", "2", "30"], False, SETOPS_DOC),
    ("ForAnyValue:NumericLessThan", "k", "10", ["1", "2", "30"], True, SETOPS_DOC),
    (
        "ForAnyValue:DateGreaterThan",
        "k",
        "2020-01-01",
        ["2019-01-01", "2021-01-01"],
        True,
        SETOPS_DOC,
    ),
    ("ForAllValues:Bool", "k", "true", ["true", "true"], True, SETOPS_DOC),
]


def _case_id(row: Row) -> str:
    op, key, pv, cv, exp, _ = row
    shown = "MISSING" if cv is MISSING else cv
    return f"{op}-{key}-{pv}-{shown}-{exp}"


def _ctx(key: str, value: Any) -> dict[str, Any] | None:
    return None if value is MISSING else {key: value}


@pytest.mark.parametrize("row", ROWS, ids=[_case_id(r) for r in ROWS])
def test_condition_on_allow(row: Row) -> None:
    op, key, pv, cv, expected, rule = row
    policy = doc(stmt(Condition={op: {key: pv}}))
    got = decide(policy, "s3:ListBucket", context=_ctx(key, cv))
    assert got == ("allowed" if expected else "implicitDeny"), rule


@pytest.mark.parametrize("row", ROWS, ids=[_case_id(r) for r in ROWS])
def test_condition_on_deny(row: Row) -> None:
    op, key, pv, cv, expected, rule = row
    policy = doc(stmt(), stmt(effect="Deny", Condition={op: {key: pv}}))
    got = decide(policy, "s3:ListBucket", context=_ctx(key, cv))
    assert got == ("explicitDeny" if expected else "allowed"), rule


# Several keys, several operators: all AND-ed (MULTI_DOC).
MULTI_ROWS = [
    ({"StringEquals": {"k1": "a", "k2": "b"}}, {"k1": "a", "k2": "b"}, True),
    ({"StringEquals": {"k1": "a", "k2": "b"}}, {"k1": "a", "k2": "x"}, False),
    ({"StringEquals": {"k1": "a", "k2": "b"}}, {"k1": "a"}, False),
    ({"StringEquals": {"k1": "a"}, "NumericLessThan": {"n": "5"}}, {"k1": "a", "n": "4"}, True),
    ({"StringEquals": {"k1": "a"}, "NumericLessThan": {"n": "5"}}, {"k1": "a", "n": "6"}, False),
    ({"StringEquals": {"k1": "a"}, "NumericLessThan": {"n": "5"}}, {"k1": "b", "n": "4"}, False),
    ({"StringLike": {"k1": "a*"}, "StringNotLike": {"k1": "ab*"}}, {"k1": "ac"}, True),
    ({"StringLike": {"k1": "a*"}, "StringNotLike": {"k1": "ab*"}}, {"k1": "abc"}, False),
    ({"StringEquals": {"k1": ["a", "b"], "k2": ["c", "d"]}}, {"k1": "b", "k2": "d"}, True),
    ({"StringEquals": {"k1": ["a", "b"], "k2": ["c", "d"]}}, {"k1": "b", "k2": "e"}, False),
    ({}, {}, True),
    ({"StringEquals": {}}, {}, True),
]


@pytest.mark.parametrize(("condition", "context", "expected"), MULTI_ROWS)
def test_multiple_keys_and_operators(
    condition: dict[str, Any], context: dict[str, Any], expected: bool
) -> None:
    got = decide(doc(stmt(Condition=condition)), "s3:ListBucket", context=context)
    assert got == ("allowed" if expected else "implicitDeny"), MULTI_DOC


KEY_CASE_ROWS = [
    ("s3:prefix", "S3:Prefix"),
    ("AWS:SourceIp", "aws:sourceip"),
    ("aws:PrincipalTag/Team", "aws:principaltag/team"),
]


@pytest.mark.parametrize(("policy_key", "context_key"), KEY_CASE_ROWS)
def test_condition_key_names_are_case_insensitive(policy_key: str, context_key: str) -> None:
    # VARIABLES page, "Key names are case-insensitive" (aws:CurrentTime == AWS:currenttime).
    policy = doc(stmt(Condition={"StringEquals": {policy_key: "v"}}))
    assert decide(policy, "s3:ListBucket", context={context_key: "v"}) == "allowed"
    assert decide(policy, "s3:ListBucket", context={context_key: "V"}) == "implicitDeny"

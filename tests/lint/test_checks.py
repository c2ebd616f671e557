"""pytest_modelreg.lint(): each row is a policy and the exact findings it gets (severity, code, JSON
path), with the rule the row encodes. A row with no findings guards against false positives."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_modelreg import lint
from pytest_modelreg.linter import CHECKS, SEVERITIES

ACCOUNT = "123456789012"
SM = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}"
GROUP = f"{SM}:model-package-group/churn"
S0 = "$.Statement[0]"
S1 = "$.Statement[1]"


def allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def cond(operator: str, key: str, value: Any) -> dict[str, Any]:
    return {"Condition": {operator: {key: value}}}


def doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


Row = tuple[str, dict[str, Any], set[tuple[str, str, str]]]

# "IAM JSON policy elements: Action" (IAM User Guide): "Specify a value using a service namespace
# as an action prefix (iam, ec2, sqs, sns, s3, etc.) followed by the name of the action to allow
# or deny." / "Prefixes and action names are case insensitive."; the names are those of the
# Service Authorization Reference ("Actions defined by ...").
ACTIONS: list[Row] = [
    (
        "unknown-service-prefix",
        doc(allow("sagemkaer:DescribeModelPackageGroup")),
        {("ERROR", "INVALID_SERVICE_IN_ACTION", f"{S0}.Action")},
    ),
    (
        "unknown-action",
        doc(allow(["sagemaker:DescribeModelPackageGroup", "sagemaker:CreateModelPackageGroupp"])),
        {("ERROR", "INVALID_ACTION", f"{S0}.Action[1]")},
    ),
    (
        "wildcard-matching-no-action",
        doc(allow("sagemaker:Descrbe*")),
        {("ERROR", "INVALID_ACTION", f"{S0}.Action")},
    ),
    ("action-names-are-case-insensitive", doc(allow("SageMaker:describemodelpackagegroup")), set()),
    ("wildcard-matching-actions", doc(allow("sagemaker:Describe*")), set()),
    ("any-service-wildcard", doc(allow("*:Describe*")), set()),
    (
        "unknown-action-in-not-action",
        doc({"Effect": "Deny", "NotAction": "s3:GetObjekt", "Resource": "*"}),
        {("ERROR", "INVALID_ACTION", f"{S0}.NotAction")},
    ),
]

# Service Authorization Reference, each service page: "The Resource types column of the Actions
# table indicates whether each action supports resource-level permissions. If there is no value
# for this column, you must specify all resources ("*") to which the policy applies in the
# Resource element of your policy statement." The resource types' ARN formats are in its
# "Resource types defined by ..." table; ARNs match case-sensitively ("IAM JSON policy elements:
# Resource").
RESOURCES: list[Row] = [
    (
        "bucket-action-on-object-arn",
        doc(allow("s3:ListBucket", "arn:aws:s3:::models/*")),
        {("ERROR", "UNSUPPORTED_RESOURCE_ARN_IN_POLICY", f"{S0}.Resource")},
    ),
    ("object-action-on-object-arn", doc(allow("s3:GetObject", "arn:aws:s3:::models/*")), set()),
    (
        "each-arn-fits-one-of-the-actions",
        doc(
            allow(
                ["s3:ListBucket", "s3:GetObject"],
                ["arn:aws:s3:::models", "arn:aws:s3:::models/*"],
            )
        ),
        set(),
    ),
    (
        "group-action-on-version-arn",
        doc(allow("sagemaker:DescribeModelPackageGroup", f"{SM}:model-package/churn/1")),
        {("ERROR", "UNSUPPORTED_RESOURCE_ARN_IN_POLICY", f"{S0}.Resource")},
    ),
    (
        "arn-type-is-case-sensitive",
        doc(allow("sagemaker:DescribeModelPackageGroup", f"{SM}:Model-Package-Group/churn")),
        {("ERROR", "UNSUPPORTED_RESOURCE_ARN_IN_POLICY", f"{S0}.Resource")},
    ),
    (
        "s3-bucket-arn-has-no-region",
        doc(allow("s3:ListBucket", "arn:aws:s3:us-east-1::models")),
        {("ERROR", "UNSUPPORTED_RESOURCE_ARN_IN_POLICY", f"{S0}.Resource")},
    ),
    (
        "action-without-resource-types-on-an-arn",
        doc(allow("sagemaker:ListModelPackageGroups", f"{SM}:model-package-group/*")),
        {("WARNING", "ARN_FOR_ACTIONS_WITHOUT_RESOURCE_TYPES", f"{S0}.Resource")},
    ),
    (
        "policy-variable-in-resource",
        doc(allow("s3:GetObject", "arn:aws:s3:::home/${aws:username}/*")),
        set(),
    ),
    (
        "wildcards-in-arn-segments",
        doc(allow("sagemaker:DescribeModelPackage", "arn:aws:sagemaker:*:*:model-package/*")),
        set(),
    ),
    # Beyond the reference: SageMaker's cross-account deployment docs grant sagemaker:CreateModel
    # on model-package/<group>/* in the group's resource policy.
    (
        "create-model-on-model-package-versions",
        doc(allow("sagemaker:CreateModel", [f"{SM}:model/churn-*", f"{SM}:model-package/churn/*"])),
        set(),
    ),
    (
        "account-of-eleven-digits",
        doc(allow("sagemaker:DescribeModelPackageGroup", GROUP.replace(ACCOUNT, "12345678901"))),
        {("ERROR", "INVALID_ARN_ACCOUNT", f"{S0}.Resource")},
    ),
]

# "IAM JSON policy elements: Condition operators" (IAM User Guide): "Boolean conditions let you
# construct Condition elements that restrict access based on comparing a key to true or false.";
# "Date condition operators let you construct Condition elements that restrict access based on
# comparing a key to a date/time value."; "Numeric condition operators ... comparing a key to an
# integer or decimal value."; "IP address condition operators ... comparing a key to an IPv4 or
# IPv6 address or range of IP addresses."; "You can add IfExists to the end of any condition
# operator name except the Null condition". Keys and their data types: "AWS global condition
# context keys", and the Service Authorization Reference's "Condition keys for ..." tables, which
# also say which actions support each key.
CONDITIONS: list[Row] = [
    (
        "string-operator-on-bool-key",
        doc(allow("s3:GetObject", **cond("StringEquals", "aws:SecureTransport", "true"))),
        {
            (
                "ERROR",
                "CONDITION_TYPE_MISMATCH",
                f"{S0}.Condition.StringEquals['aws:SecureTransport']",
            )
        },
    ),
    (
        "string-operator-on-date-key",
        doc(allow("s3:GetObject", **cond("StringLike", "aws:CurrentTime", "2026-*"))),
        {("ERROR", "CONDITION_TYPE_MISMATCH", f"{S0}.Condition.StringLike['aws:CurrentTime']")},
    ),
    (
        "arn-operator-on-string-key",
        doc(
            allow(
                "iam:PassRole",
                f"arn:aws:iam::{ACCOUNT}:role/r",
                **cond("ArnEquals", "iam:PassedToService", "sagemaker.amazonaws.com"),
            )
        ),
        {("ERROR", "CONDITION_TYPE_MISMATCH", f"{S0}.Condition.ArnEquals['iam:PassedToService']")},
    ),
    (
        "date-operator-on-date-key",
        doc(allow("s3:GetObject", **cond("DateLessThan", "aws:CurrentTime", "2026-12-31"))),
        set(),
    ),
    (
        "string-operator-on-arn-key",
        doc(allow("s3:GetObject", **cond("StringLike", "aws:SourceArn", "arn:aws:*"))),
        set(),
    ),
    (
        "numeric-value-that-is-no-number",
        doc(
            allow(
                "s3:GetObject", **cond("NumericLessThan", "aws:MultiFactorAuthAge", ["3600", "ten"])
            )
        ),
        {
            (
                "ERROR",
                "DATA_TYPE_MISMATCH",
                f"{S0}.Condition.NumericLessThan['aws:MultiFactorAuthAge'][1]",
            )
        },
    ),
    (
        "bool-value-that-is-no-bool",
        doc(allow("s3:GetObject", **cond("Bool", "aws:SecureTransport", "yes"))),
        {("ERROR", "DATA_TYPE_MISMATCH", f"{S0}.Condition.Bool['aws:SecureTransport']")},
    ),
    (
        "json-true-is-a-bool",
        doc(allow("s3:GetObject", **cond("Bool", "aws:SecureTransport", True))),
        set(),
    ),
    (
        "ip-value-that-is-no-address",
        doc(allow("s3:GetObject", **cond("IpAddress", "aws:SourceIp", "intranet"))),
        {("ERROR", "DATA_TYPE_MISMATCH", f"{S0}.Condition.IpAddress['aws:SourceIp']")},
    ),
    (
        "null-with-if-exists",
        doc(allow("s3:GetObject", **cond("NullIfExists", "aws:SourceIp", "true"))),
        {("ERROR", "NULL_WITH_IF_EXISTS", f"{S0}.Condition.NullIfExists['aws:SourceIp']")},
    ),
    (
        "null-value-that-is-no-bool",
        doc(allow("s3:GetObject", **cond("Null", "aws:SourceIp", "maybe"))),
        {("ERROR", "DATA_TYPE_MISMATCH", f"{S0}.Condition.Null['aws:SourceIp']")},
    ),
    (
        "unknown-global-key",
        doc(allow("s3:GetObject", **cond("IpAddress", "aws:SorceIp", "10.0.0.0/8"))),
        {("ERROR", "INVALID_GLOBAL_CONDITION_KEY", f"{S0}.Condition.IpAddress['aws:SorceIp']")},
    ),
    (
        "unknown-service-key",
        doc(allow("sagemaker:CreateModelPackage", **cond("StringEquals", "sagemaker:Stage", "x"))),
        {
            (
                "ERROR",
                "INVALID_SERVICE_CONDITION_KEY",
                f"{S0}.Condition.StringEquals['sagemaker:Stage']",
            )
        },
    ),
    (
        "key-without-prefix",
        doc(allow("s3:GetObject", **cond("IpAddress", "SourceIp", "10.0.0.0/8"))),
        {("ERROR", "INVALID_CONDITION_KEY_FORMAT", f"{S0}.Condition.IpAddress.SourceIp")},
    ),
    (
        "service-key-no-action-of-the-statement-supports",
        doc(
            allow(
                "sagemaker:DescribeModelPackageGroup",
                GROUP,
                **cond("StringEquals", "sagemaker:ModelApprovalStatus", "Approved"),
            )
        ),
        {
            (
                "WARNING",
                "CONDITION_KEY_NOT_SUPPORTED_BY_ACTIONS",
                f"{S0}.Condition.StringEquals['sagemaker:ModelApprovalStatus']",
            )
        },
    ),
    (
        "key-of-another-service",
        doc(allow("s3:GetObject", **cond("StringEquals", "iam:PassedToService", "x"))),
        {
            (
                "WARNING",
                "CONDITION_KEY_NOT_SUPPORTED_BY_ACTIONS",
                f"{S0}.Condition.StringEquals['iam:PassedToService']",
            )
        },
    ),
    (
        "templated-resource-tag-key",
        doc(
            allow(
                "sagemaker:DescribeModelPackageGroup",
                GROUP,
                **cond("StringEquals", "sagemaker:ResourceTag/team", "ml"),
            )
        ),
        set(),
    ),
    (
        "identity-provider-key-of-sts",
        doc(
            allow(
                "sts:AssumeRoleWithWebIdentity",
                f"arn:aws:iam::{ACCOUNT}:role/ci",
                **cond("StringLike", "token.actions.githubusercontent.com:sub", "repo:org/*"),
            )
        ),
        set(),
    ),
    (
        "identity-provider-key-on-another-service",
        doc(allow("s3:GetObject", **cond("StringEquals", "accounts.google.com:aud", "app"))),
        {
            (
                "WARNING",
                "CONDITION_KEY_NOT_SUPPORTED_BY_ACTIONS",
                f"{S0}.Condition.StringEquals['accounts.google.com:aud']",
            )
        },
    ),
    (
        "for-all-values-on-single-valued-key-in-allow",
        doc(
            allow(
                "s3:GetObject",
                **cond("ForAllValues:StringEquals", "aws:RequestedRegion", "eu-west-1"),
            )
        ),
        {
            (
                "SECURITY_WARNING",
                "FORALLVALUES_WITH_SINGLE_VALUED_KEY",
                f"{S0}.Condition['ForAllValues:StringEquals']['aws:RequestedRegion']",
            )
        },
    ),
    (
        "for-all-values-on-single-valued-key-in-deny",
        doc(deny("s3:GetObject", **cond("ForAllValues:StringEquals", "aws:RequestedRegion", "x"))),
        set(),
    ),
    (
        "for-any-value-on-multivalued-key",
        doc(allow("sagemaker:AddTags", **cond("ForAnyValue:StringEquals", "aws:TagKeys", "team"))),
        set(),
    ),
]

# "Grant a user permissions to pass a role to an AWS service" (IAM User Guide) limits iam:PassRole
# to named roles and to the service with the iam:PassedToService key. "IAM JSON policy elements:
# NotAction" / "NotResource": with "Effect": "Allow", the statement allows everything except what
# is listed, including what is added later.
BROAD: list[Row] = [
    (
        "pass-role-on-star",
        doc(allow("iam:PassRole", "*")),
        {("SECURITY_WARNING", "PASS_ROLE_WITH_STAR_IN_RESOURCE", f"{S0}.Resource")},
    ),
    (
        "pass-role-on-every-role-through-iam-star",
        doc(allow("iam:*", "arn:aws:iam::*:role/*")),
        {("SECURITY_WARNING", "PASS_ROLE_WITH_STAR_IN_RESOURCE", f"{S0}.Resource")},
    ),
    (
        "everything-includes-pass-role",
        doc(allow("*", "*")),
        {("SECURITY_WARNING", "PASS_ROLE_WITH_STAR_IN_RESOURCE", f"{S0}.Resource")},
    ),
    (
        "pass-role-on-star-to-one-service",
        doc(
            allow(
                "iam:PassRole",
                "*",
                **cond("StringEquals", "iam:PassedToService", "sagemaker.amazonaws.com"),
            )
        ),
        set(),
    ),
    ("pass-role-on-one-role", doc(allow("iam:PassRole", f"arn:aws:iam::{ACCOUNT}:role/r")), set()),
    (
        "allow-with-not-action",
        doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}),
        {("SECURITY_WARNING", "ALLOW_WITH_NOT_ACTION", f"{S0}.NotAction")},
    ),
    ("deny-with-not-action", doc({"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"}), set()),
    (
        "allow-with-not-resource",
        doc({"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/*"}),
        {("SECURITY_WARNING", "ALLOW_WITH_NOT_RESOURCE", f"{S0}.NotResource")},
    ),
]

# "Policy evaluation logic" (IAM User Guide): "An explicit deny in any of these policies overrides
# the allow." A statement applies when its action, resource and all its conditions match, so a
# statement whose every request another statement (with fewer conditions) also matches adds
# nothing.
REDUNDANT: list[Row] = [
    (
        "the-same-statement-twice",
        doc(allow("s3:GetObject"), allow("s3:GetObject")),
        {("SUGGESTION", "REDUNDANT_STATEMENT", S1)},
    ),
    (
        "a-broader-statement-first",
        doc(allow("sagemaker:*"), allow("sagemaker:DescribeModelPackageGroup", GROUP)),
        {("SUGGESTION", "REDUNDANT_STATEMENT", S1)},
    ),
    (
        "a-broader-statement-after",
        doc(allow("sagemaker:DescribeModelPackageGroup", GROUP), allow("sagemaker:Describe*")),
        {("SUGGESTION", "REDUNDANT_STATEMENT", S0)},
    ),
    (
        "more-conditions-are-covered",
        doc(
            allow("s3:GetObject"),
            allow("s3:GetObject", **cond("Bool", "aws:SecureTransport", "true")),
        ),
        {("SUGGESTION", "REDUNDANT_STATEMENT", S1)},
    ),
    (
        "fewer-conditions-are-not-covered",
        doc(
            allow("s3:GetObject", **cond("Bool", "aws:SecureTransport", "true")),
            allow("s3:GetObject"),
        ),
        {("SUGGESTION", "REDUNDANT_STATEMENT", S0)},
    ),
    (
        "other-resources-are-not-covered",
        doc(allow("s3:GetObject", "arn:aws:s3:::a/*"), allow("s3:GetObject", "arn:aws:s3:::b/*")),
        set(),
    ),
    (
        "allow-shadowed-by-deny",
        doc(deny("sagemaker:Delete*"), allow("sagemaker:DeleteModelPackageGroup", GROUP)),
        {("WARNING", "SHADOWED_STATEMENT", S1)},
    ),
    (
        "conditional-deny-does-not-shadow",
        doc(
            deny(
                "sagemaker:Delete*", **cond("StringNotEquals", "aws:RequestedRegion", "eu-west-1")
            ),
            allow("sagemaker:DeleteModelPackageGroup", GROUP),
        ),
        set(),
    ),
    (
        "action-listed-twice",
        doc(allow(["sagemaker:CreateModel", "SageMaker:createmodel"])),
        {("SUGGESTION", "REDUNDANT_ACTION", f"{S0}.Action[1]")},
    ),
    (
        "action-covered-by-a-wildcard",
        doc(allow(["sagemaker:CreateModel", "sagemaker:Create*"])),
        {("SUGGESTION", "REDUNDANT_ACTION", f"{S0}.Action[0]")},
    ),
    (
        "resource-covered-by-a-wildcard",
        doc(allow("s3:GetObject", ["arn:aws:s3:::models/*", "arn:aws:s3:::models/churn.tar.gz"])),
        {("SUGGESTION", "REDUNDANT_RESOURCE", f"{S0}.Resource[1]")},
    ),
]

# "IAM JSON policy elements: Version": "If you do not include a Version element, the value
# defaults to 2008-10-17, but newer features, such as policy variables, will not work with your
# policy." Documents IAM would not store: the IAM engine's MalformedPolicyDocument, as a finding.
DOCUMENT: list[Row] = [
    (
        "no-version",
        {"Statement": [allow("s3:GetObject")]},
        {("WARNING", "MISSING_VERSION", "$")},
    ),
    (
        "single-statement-object",
        {"Version": "2012-10-17", "Statement": allow("s3:GetObjekt")},
        {("ERROR", "INVALID_ACTION", "$.Statement.Action")},
    ),
    (
        "effect-that-is-not-allow-or-deny",
        doc({"Effect": "Permit", "Action": "s3:GetObject", "Resource": "*"}),
        {("ERROR", "MALFORMED_POLICY_DOCUMENT", "$")},
    ),
    (
        "action-without-vendor",
        doc(allow("GetObject")),
        {("ERROR", "MALFORMED_POLICY_DOCUMENT", "$")},
    ),
]

ROWS = ACTIONS + RESOURCES + CONDITIONS + BROAD + REDUNDANT + DOCUMENT


@pytest.mark.parametrize(("policy", "expected"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_lint(policy: dict[str, Any], expected: set[tuple[str, str, str]]) -> None:
    findings = lint(policy)
    assert {(f.severity, f.code, f.path) for f in findings} == expected
    for f in findings:
        assert CHECKS[f.code].severity == f.severity
        assert f.message


def test_every_check_is_exercised_by_a_row() -> None:
    assert {code for _, _, expected in ROWS for _, code, _ in expected} == set(CHECKS)
    assert {c.severity for c in CHECKS.values()} == set(SEVERITIES)


@pytest.mark.parametrize(
    ("policy", "message"),
    [
        (
            doc(allow("sagemkaer:DescribeModelPackageGroup")),
            "sagemkaer is not a service prefix (did you mean sagemaker?)",
        ),
        (
            doc(allow("sagemaker:CreateModelPackageGroupp")),
            "sagemaker has no action CreateModelPackageGroupp (did you mean "
            "CreateModelPackageGroup?)",
        ),
        (doc(allow("sagemaker:Descrbe*")), "sagemaker:Descrbe* matches no action of sagemaker"),
        (
            doc(allow("s3:ListBucket", "arn:aws:s3:::models/*")),
            "arn:aws:s3:::models/* fits none of the resource types of the statement's actions "
            "(accesspoint, bucket)",
        ),
        (
            doc(allow("s3:GetObject", **cond("StringEquals", "aws:SecureTransport", "true"))),
            "StringEquals does not fit aws:SecureTransport, whose data type is Bool: use Bool",
        ),
        (
            doc(allow("iam:PassRole", "*")),
            "iam:PassRole is allowed on * for any service: name the roles, or add an "
            "iam:PassedToService condition",
        ),
        (
            doc(deny("sagemaker:Delete*"), allow("sagemaker:DeleteModelPackageGroup", GROUP)),
            "statement 0 denies everything this statement allows",
        ),
        (
            {"Version": "2012-10-17", "Statement": [{"Effect": "Permit"}]},
            "Syntax errors in policy.",
        ),
    ],
)
def test_messages(policy: dict[str, Any], message: str) -> None:
    assert [f.message for f in lint(policy)] == [message]

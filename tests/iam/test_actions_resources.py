"""Action/NotAction and Resource/NotResource matching, one row per documented rule."""

from __future__ import annotations

import pytest

from ._helpers import (
    ACTION_DOC,
    NOTACTION_DOC,
    NOTRESOURCE_DOC,
    RESOURCE_DOC,
    SEGMENT_RULE,
    SHORT_ARN_RULE,
    decide,
    doc,
    stmt,
)

A = "allowed"
I = "implicitDeny"  # noqa: E741
E = "explicitDeny"

# (policy Action value, requested action, expected, rule)
ACTION_ROWS = [
    ("sagemaker:CreateModelPackage", "sagemaker:CreateModelPackage", A, "exact name"),
    ("sagemaker:CreateModelPackage", "sagemaker:createmodelpackage", A, "name is case-insensitive"),
    ("SAGEMAKER:createModelPackage", "sagemaker:CreateModelPackage", A, "prefix case-insensitive"),
    ("sagemaker:CreateModelPackage", "sagemaker:CreateModelPackageGroup", I, "no implicit prefix"),
    ("sagemaker:Create*", "sagemaker:CreateModelPackageGroup", A, "* matches a run"),
    ("sagemaker:create*", "sagemaker:CreateModel", A, "wildcard pattern case-insensitive"),
    ("sagemaker:*", "sagemaker:DescribeModelPackage", A, "service wildcard"),
    ("sagemaker:*", "s3:GetObject", I, "service wildcard is per service"),
    ("*", "s3:GetObject", A, "* alone matches every action"),
    ("s3:*Object", "s3:GetObject", A, "leading * in name"),
    ("s3:*Object", "s3:GetObjectTagging", I, "pattern must match whole name"),
    ("s3:Get*Tagging", "s3:GetObjectTagging", A, "infix *"),
    ("s3:Get?bject", "s3:GetObject", A, "? matches one character"),
    ("s3:Get?bject", "s3:GetObbject", I, "? matches exactly one character"),
    ("s3:Get?Object", "s3:GetObject", I, "? is not optional"),
    ("s3:???Object", "s3:PutObject", A, "several ?"),
    ("s3:G.tObject", "s3:GetObject", I, "a dot is literal, not a regex"),
    ("s3:Get+Object", "s3:GetObject", I, "a plus is literal"),
    ("*:GetObject", "s3:GetObject", A, "* in the service prefix"),
    ("iam:PassRole", "iam:passrole", A, "lower-case request"),
    ("iam:PassRole", "sts:PassRole", I, "different service"),
    ("tag:GetResources", "tagging:GetResources", I, "prefix is the IAM prefix, not signing name"),
    (["s3:GetObject", "s3:PutObject"], "s3:PutObject", A, "list of actions OR-ed"),
    (["s3:GetObject", "s3:PutObject"], "s3:DeleteObject", I, "list without match"),
    ("sagemaker:*ModelPackage*", "sagemaker:UpdateModelPackage", A, "two wildcards"),
    ("sagemaker:Describe*", "sagemaker:ListModelPackages", I, "wildcard mismatch"),
    ("ecr:BatchGet*", "ECR:BATCHGETIMAGE", A, "upper-case request"),
]


@pytest.mark.parametrize(("pattern", "action", "expected", "rule"), ACTION_ROWS)
def test_action(pattern: str | list[str], action: str, expected: str, rule: str) -> None:
    # Rule: ACTION_DOC — action names are case-insensitive, * and ? are wildcards.
    assert decide(doc(stmt(pattern)), action) == expected, (ACTION_DOC, rule)


NOTACTION_ROWS = [
    ("iam:*", "s3:GetObject", A, "Allow+NotAction allows every other action"),
    ("iam:*", "iam:CreateUser", I, "the listed actions are not allowed by it"),
    ("IAM:*", "iam:CreateUser", I, "NotAction is case-insensitive too"),
    (["iam:*", "s3:*"], "s3:GetObject", I, "NotAction list"),
    (["iam:*", "s3:*"], "sagemaker:Search", A, "NotAction list, other action"),
    ("s3:Get?bject", "s3:GetObject", I, "? in NotAction"),
]


@pytest.mark.parametrize(("pattern", "action", "expected", "rule"), NOTACTION_ROWS)
def test_not_action_allow(pattern: str | list[str], action: str, expected: str, rule: str) -> None:
    # Rule: NOTACTION_DOC — NotAction matches everything except the listed actions.
    assert decide(doc(stmt(NotAction=pattern)), action) == expected, (NOTACTION_DOC, rule)


@pytest.mark.parametrize(
    ("action", "expected"),
    [("iam:CreateUser", E), ("iam:GetUser", A), ("s3:GetObject", E), ("IAM:GETUSER", A)],
)
def test_deny_not_action(action: str, expected: str) -> None:
    # NOTACTION_DOC: "Deny" with NotAction denies everything except the listed actions.
    policy = doc(stmt(), stmt(effect="Deny", NotAction=["iam:Get*", "iam:List*"]))
    assert decide(policy, action) == expected, NOTACTION_DOC


R = "arn:aws:sagemaker:us-east-1:111122223333:model-package/grp/1"
# (policy Resource value, requested resource, expected, rule)
RESOURCE_ROWS = [
    ("*", R, A, "* alone matches every resource"),
    ("*", "*", A, "* matches the * resource of actions without resource types"),
    (R, R, A, "exact ARN"),
    (R.upper(), R, I, "ARNs are case-sensitive"),
    (R.replace("grp", "GRP"), R, I, "resource part is case-sensitive"),
    ("arn:aws:sagemaker:us-east-1:111122223333:model-package/*", R, A, "* spans /"),
    ("arn:aws:sagemaker:us-east-1:111122223333:model-package/grp/*", R, A, "prefix with *"),
    ("arn:aws:sagemaker:us-east-1:111122223333:model-package/grp/?", R, A, "? one char"),
    ("arn:aws:sagemaker:us-east-1:111122223333:model-package/grp/??", R, I, "?? two chars"),
    ("arn:aws:sagemaker:*:111122223333:model-package/*", R, A, "* for the region"),
    ("arn:aws:sagemaker:*:*:*", R, A, "* in every segment"),
    ("arn:aws:sagemaker:us-west-2:111122223333:model-package/*", R, I, "region differs"),
    ("arn:aws:sagemaker:us-east-1:444455556666:model-package/*", R, I, "account differs"),
    ("arn:aws:sagemaker:us-east-1:111122223333:model-package-group/*", R, I, "type differs"),
    ("arn:aws:s3:::*", "arn:aws:s3:::bucket/key/with/slashes", A, "s3 * spans /"),
    ("arn:aws:s3:::bucket", "arn:aws:s3:::bucket/key", I, "bucket ARN is not its objects"),
    ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", I, "objects pattern not the bucket"),
    ("arn:aws:s3:::bucket*", "arn:aws:s3:::bucket-2/k", A, "* after the bucket name"),
    ("arn:aws:s3:::*sagemaker*", "arn:aws:s3:::my-sagemaker-bucket/k", A, "infix *"),
    ("arn:aws:s3:::*sagemaker*", "arn:aws:s3:::my-SageMaker-bucket/k", I, "case-sensitive infix"),
    ("arn:aws:s3:::b.ucket/*", "arn:aws:s3:::bxucket/k", I, "dot is literal"),
    ("arn:aws:iam::*:role/*", "arn:aws:iam::111122223333:role/path/r", A, "role with path"),
    ("arn:aws:iam::*:role/*", "arn:aws:iam::111122223333:user/r", I, "user is not role"),
    (R, "*", I, "a specific ARN does not match the * resource"),
    ([R, "arn:aws:s3:::x"], "arn:aws:s3:::x", A, "list of resources OR-ed"),
    ("arn:aws:kms:*:*:key/*", "arn:aws:kms:eu-west-1:111122223333:key/abc-123", A, "kms key"),
    ("arn:aws:kms:*:*:key/*", "arn:aws:kms:eu-west-1:111122223333:alias/abc", I, "kms alias"),
    (
        "arn:aws:logs:*:*:log-group:*",
        "arn:aws:logs:us-east-1:111122223333:log-group:g:log-stream:s",
        A,
        "* spans : in the resource part",
    ),
    ("arn:aws:s3:::*", "arn:aws:s3:::b/k?x", A, "a ? in the request is an ordinary character"),
    # Fewer than six parts: a segment-ending * spans colons, any other wildcard stays in its segment.
    ("arn:aws:sagemaker:*", R, A, SHORT_ARN_RULE),
    ("arn:aws:sagemaker:us-*:model-package/grp/1", R, A, SHORT_ARN_RULE + " (region and account)"),
    ("arn:aws:sagemaker:*:model-package/grp/1", R, A, SHORT_ARN_RULE + " (* alone spans two)"),
    ("arn:aws:sagemaker:us-*:model-package/grp/2", R, I, SHORT_ARN_RULE + " (the rest must match)"),
    ("arn:aws:sagemaker:eu-*", R, I, SHORT_ARN_RULE + " (the segment's start must match)"),
    ("arn:aws:s3:*bucket", "arn:aws:s3:::my-bucket", I, SHORT_ARN_RULE + " (* inside: no colon)"),
    ("arn:aws:s3:*:*bucket", "arn:aws:s3:::my-bucket", A, SHORT_ARN_RULE + " (* then segment)"),
    ("arn:aws:s3:?:b", "arn:aws:s3:::b", I, SEGMENT_RULE + " (? never matches a colon)"),
    (
        "arn:aws:sagemaker:us-*1:model-package/grp/1",
        "arn:aws:sagemaker:us-east-1:111122223331:model-package/grp/1",
        I,
        SHORT_ARN_RULE + " (a * inside a segment does not cross into the account)",
    ),
]


@pytest.mark.parametrize(("pattern", "resource", "expected", "rule"), RESOURCE_ROWS)
def test_resource(pattern: str | list[str], resource: str, expected: str, rule: str) -> None:
    # Rule: RESOURCE_DOC — ARNs match case-sensitively; * and ? wildcards; * alone is all.
    assert decide(doc(stmt("s3:GetObject", pattern)), "s3:GetObject", resource) == expected, (
        RESOURCE_DOC,
        rule,
    )


NOTRESOURCE_ROWS = [
    ("arn:aws:s3:::secret/*", "arn:aws:s3:::public/k", A, "everything else is allowed"),
    ("arn:aws:s3:::secret/*", "arn:aws:s3:::secret/k", I, "listed resource not matched"),
    ("arn:aws:s3:::secret/*", "arn:aws:s3:::SECRET/k", A, "case-sensitive"),
    (["arn:aws:s3:::a", "arn:aws:s3:::b"], "arn:aws:s3:::b", I, "list"),
    ("*", "arn:aws:s3:::x", I, "NotResource * matches nothing"),
]


@pytest.mark.parametrize(("pattern", "resource", "expected", "rule"), NOTRESOURCE_ROWS)
def test_not_resource(pattern: str | list[str], resource: str, expected: str, rule: str) -> None:
    # Rule: NOTRESOURCE_DOC — the statement applies to every resource except those listed.
    policy = doc(stmt("s3:GetObject", NotResource=pattern))
    assert decide(policy, "s3:GetObject", resource) == expected, (NOTRESOURCE_DOC, rule)


@pytest.mark.parametrize(
    ("resource", "expected"),
    [("arn:aws:s3:::public/k", E), ("arn:aws:s3:::mine/k", A), ("arn:aws:s3:::mine", A)],
)
def test_deny_not_resource(resource: str, expected: str) -> None:
    # NOTRESOURCE_DOC: Deny + NotResource denies every resource that is not listed.
    policy = doc(
        stmt(), stmt(effect="Deny", NotResource=["arn:aws:s3:::mine", "arn:aws:s3:::mine/*"])
    )
    assert decide(policy, "s3:GetObject", resource) == expected, NOTRESOURCE_DOC

"""AmazonSageMakerModelRegistryFullAccess (v2) statement by statement.

Document: moto's bundled AWS managed policies data, the same document as the AWS Managed Policy
Reference page for AmazonSageMakerModelRegistryFullAccess (MANAGED_DOC). Each row cites the
statement (Sid) whose rule it checks; the not-allowed rows follow from what no statement names.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from pytest_modelreg.iam import Policy, PolicySet, Request, evaluate

from ._helpers import ACCOUNT

MANAGED_DOC = (
    "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/"
    "AmazonSageMakerModelRegistryFullAccess.html"
)


def _managed() -> dict[str, Any]:
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    data = json.loads(aws_managed_policies_data)
    document: dict[str, Any] = data["AmazonSageMakerModelRegistryFullAccess"]["Document"]
    return document


POLICY = Policy.parse(_managed(), policy_id="AmazonSageMakerModelRegistryFullAccess")
CALLER = f"arn:aws:sts::{ACCOUNT}:assumed-role/ModelRegistryRole/test"
DEFAULT_KEY_POLICY = Policy.parse(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "kms:*",
                "Resource": "*",
            }
        ],
    },
    policy_id="key-policy",
    policy_type="resource",
)
SM = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}"
GROUP = f"arn:aws:resource-groups:us-east-1:{ACCOUNT}:group/my-collection"
KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
P = "AmazonSageMakerModelRegistry"

READ = [
    "DescribeAction",
    "DescribeInferenceRecommendationsJob",
    "DescribeModelPackage",
    "DescribeModelPackageGroup",
    "DescribePipeline",
    "DescribePipelineExecution",
    "ListAssociations",
    "ListArtifacts",
    "ListModelMetadata",
    "ListModelPackages",
    "Search",
    "GetSearchSuggestions",
]
WRITE = [
    "AddTags",
    "CreateModel",
    "CreateModelPackage",
    "CreateModelPackageGroup",
    "CreateEndpoint",
    "CreateEndpointConfig",
    "CreateInferenceRecommendationsJob",
    "DeleteModelPackage",
    "DeleteModelPackageGroup",
    "DeleteTags",
    "UpdateModelPackage",
]
NOT_ALLOWED = [
    "ListModelPackageGroups",
    "BatchDescribeModelPackage",
    "PutModelPackageGroupPolicy",
    "GetModelPackageGroupPolicy",
    "DeleteModelPackageGroupPolicy",
    "ListTags",
    "DescribeModel",
    "DescribeEndpoint",
    "DescribeEndpointConfig",
    "DeleteModel",
    "DeleteEndpoint",
    "DeleteEndpointConfig",
    "UpdateEndpoint",
    "InvokeEndpoint",
    "DescribeArtifact",
    "ListActions",
    "ListContexts",
    "CreateArtifact",
    "CreateAction",
    "CreateContext",
    "AddAssociation",
    "StopInferenceRecommendationsJob",
    "ListInferenceRecommendationsJobs",
]

TAGKEYS = "aws:TagKeys"
# (action, resource, context, expected Sid or None for implicitDeny)
ROWS: list[tuple[str, str, dict[str, Any], str | None]] = [
    *[(f"sagemaker:{a}", "*", {}, f"{P}SageMakerReadPermission") for a in READ],
    *[
        (f"sagemaker:{a}", f"{SM}:model-package/g/1", {}, f"{P}SageMakerReadPermission")
        for a in READ[:3]
    ],
    *[
        (f"sagemaker:{a}", f"{SM}:model-package/g/1", {}, f"{P}SageMakerWritePermission")
        for a in WRITE
    ],
    *[(f"sagemaker:{a}", f"{SM}:model-package/g/1", {}, None) for a in NOT_ALLOWED],
    ("s3:GetObject", "arn:aws:s3:::my-sagemaker-bucket/model.tar.gz", {}, f"{P}S3GetPermission"),
    ("s3:GetObject", "arn:aws:s3:::SageMaker-artifacts/m", {}, f"{P}S3GetPermission"),
    ("s3:GetObject", "arn:aws:s3:::Sagemaker-x/m", {}, f"{P}S3GetPermission"),
    ("s3:GetObject", "arn:aws:s3:::bucket/sagemaker/m", {}, f"{P}S3GetPermission"),
    ("s3:GetObject", "arn:aws:s3:::SAGEMAKER-upper/m", {}, None),
    ("s3:GetObject", "arn:aws:s3:::other-bucket/m", {}, None),
    ("s3:ListBucket", "arn:aws:s3:::any-bucket", {}, f"{P}S3ListPermission"),
    ("s3:ListAllMyBuckets", "*", {}, f"{P}S3ListPermission"),
    ("s3:PutObject", "arn:aws:s3:::my-sagemaker-bucket/k", {}, None),
    ("s3:CreateBucket", "arn:aws:s3:::sagemaker-us-east-1-111122223333", {}, None),
    (
        "ecr:BatchGetImage",
        f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/r",
        {},
        f"{P}ECRReadPermission",
    ),
    (
        "ecr:DescribeImages",
        f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/r",
        {},
        f"{P}ECRReadPermission",
    ),
    ("ecr:GetAuthorizationToken", "*", {}, None),
    (
        "iam:PassRole",
        f"arn:aws:iam::{ACCOUNT}:role/SageMakerExec",
        {"iam:PassedToService": "sagemaker.amazonaws.com"},
        f"{P}IAMPassRolePermission",
    ),
    (
        "iam:PassRole",
        f"arn:aws:iam::{ACCOUNT}:role/path/SageMakerExec",
        {"iam:PassedToService": "sagemaker.amazonaws.com"},
        f"{P}IAMPassRolePermission",
    ),
    (
        "iam:PassRole",
        f"arn:aws:iam::{ACCOUNT}:role/SageMakerExec",
        {"iam:PassedToService": "ec2.amazonaws.com"},
        None,
    ),
    ("iam:PassRole", f"arn:aws:iam::{ACCOUNT}:role/SageMakerExec", {}, None),
    (
        "iam:PassRole",
        f"arn:aws:iam::{ACCOUNT}:user/u",
        {"iam:PassedToService": "sagemaker.amazonaws.com"},
        None,
    ),
    ("tag:GetResources", "*", {}, f"{P}TagReadPermission"),
    ("resource-groups:GetGroupQuery", GROUP, {}, f"{P}ResourceGroupGetPermission"),
    ("resource-groups:GetGroupQuery", "*", {}, None),
    ("resource-groups:ListGroupResources", GROUP, {}, f"{P}ResourceGroupListPermission"),
    (
        "resource-groups:CreateGroup",
        GROUP,
        {TAGKEYS: ["sagemaker:collection"]},
        f"{P}ResourceGroupWritePermission",
    ),
    (
        "resource-groups:CreateGroup",
        GROUP,
        {TAGKEYS: ["team", "sagemaker:collection"]},
        f"{P}ResourceGroupWritePermission",
    ),
    ("resource-groups:CreateGroup", GROUP, {TAGKEYS: ["team"]}, None),
    ("resource-groups:CreateGroup", GROUP, {}, None),
    ("resource-groups:CreateGroup", GROUP, {TAGKEYS: []}, None),
    (
        "resource-groups:Tag",
        GROUP,
        {TAGKEYS: ["sagemaker:collection"]},
        f"{P}ResourceGroupWritePermission",
    ),
    ("resource-groups:CreateGroup", "*", {TAGKEYS: ["sagemaker:collection"]}, None),
    (
        "resource-groups:DeleteGroup",
        GROUP,
        {"aws:ResourceTag/sagemaker:collection": "true"},
        f"{P}ResourceGroupDeletePermission",
    ),
    ("resource-groups:DeleteGroup", GROUP, {"aws:ResourceTag/sagemaker:collection": "false"}, None),
    ("resource-groups:DeleteGroup", GROUP, {}, None),
    (
        "kms:Decrypt",
        KEY,
        {
            "aws:ResourceTag/sagemaker": "true",
            "kms:ViaService": "sagemaker.us-east-1.amazonaws.com",
        },
        f"{P}ResourceKMSPermission",
    ),
    (
        "kms:CreateGrant",
        KEY,
        {
            "aws:ResourceTag/sagemaker": "true",
            "kms:ViaService": "sagemaker.eu-west-1.amazonaws.com",
        },
        f"{P}ResourceKMSPermission",
    ),
    (
        "kms:GenerateDataKey",
        KEY,
        {"aws:ResourceTag/sagemaker": "true", "kms:ViaService": "s3.us-east-1.amazonaws.com"},
        None,
    ),
    ("kms:DescribeKey", KEY, {"kms:ViaService": "sagemaker.us-east-1.amazonaws.com"}, None),
    (
        "kms:Decrypt",
        KEY,
        {
            "aws:ResourceTag/sagemaker": "True",
            "kms:ViaService": "sagemaker.us-east-1.amazonaws.com",
        },
        None,
    ),
    (
        "kms:Decrypt",
        f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/a",
        {
            "aws:ResourceTag/sagemaker": "true",
            "kms:ViaService": "sagemaker.us-east-1.amazonaws.com",
        },
        None,
    ),
    (
        "kms:Encrypt",
        KEY,
        {
            "aws:ResourceTag/sagemaker": "true",
            "kms:ViaService": "sagemaker.us-east-1.amazonaws.com",
        },
        None,
    ),
]


@pytest.mark.parametrize(("action", "resource", "context", "sid"), ROWS)
def test_managed_policy(
    action: str, resource: str, context: dict[str, Any], sid: str | None
) -> None:
    # A KMS key must also be allowed by its key policy; KMS's default one delegates to the account
    # ("Unless the key policy explicitly allows it, you cannot use IAM policies to allow access to
    # a KMS key", AWS KMS Developer Guide, Key policies in AWS KMS).
    key_policy = DEFAULT_KEY_POLICY if action.startswith("kms:") and ":key/" in resource else None
    result = evaluate(
        Request(action, resource, CALLER, context),
        PolicySet(identity=(POLICY,), resource_policy=key_policy),
    )
    if sid is None:
        assert result.decision == "implicitDeny", MANAGED_DOC
        assert result.denial_reason(action) == (
            f"because no identity-based policy allows the {action} action"
        )
    else:
        assert result.decision == "allowed", MANAGED_DOC
        matched = [m.sid for m in result.matched_statements if m.policy_type == "identity"]
        assert matched == [sid]


def test_managed_policy_has_twelve_statements() -> None:
    assert len(POLICY.statements) == 12
    assert POLICY.version == "2012-10-17"

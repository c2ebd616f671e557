"""Comparing two wildcard patterns. "IAM JSON policy elements: Resource" (IAM User Guide): "You can
use wildcard characters (* and ?) within any ARN segment ... An asterisk (*) represents any
combination of zero or more characters, and a question mark (?) represents any single character."
Within the first five segments a wildcard stays inside its segment."""

from __future__ import annotations

import pytest

from pytest_modelreg.linter.globs import action_pattern, contains, intersects, resource_pattern
from pytest_modelreg.linter.reference import fits, resource_fields, template_fields

MODEL_PACKAGE = "arn:${Partition}:sagemaker:${Region}:${Account}:model-package/${ModelPackageName}"
BUCKET = "arn:${Partition}:s3:::${BucketName}"
OBJECT = "arn:${Partition}:s3:::${BucketName}/${ObjectName}"


@pytest.mark.parametrize(
    ("resource", "template", "fit"),
    [
        ("arn:aws:sagemaker:us-east-1:123456789012:model-package/churn/1", MODEL_PACKAGE, True),
        ("arn:aws:sagemaker:*:*:model-package/*", MODEL_PACKAGE, True),
        ("arn:aws:sagemaker:*:*:*", MODEL_PACKAGE, True),
        ("arn:aws:sagemaker:*:*:model-package-group/*", MODEL_PACKAGE, False),
        ("arn:aws:sagemaker:us-east-1:123456789012:model/x", MODEL_PACKAGE, False),
        # A bucket name holds no "/": an object ARN is no bucket ARN (S3 bucket naming rules).
        ("arn:aws:s3:::models/*", BUCKET, False),
        ("arn:aws:s3:::models/*", OBJECT, True),
        ("arn:aws:s3:::*sagemaker*", BUCKET, True),
        ("arn:aws:s3:::*sagemaker*", OBJECT, True),
        # A "*" in the region segment does not reach into the account or resource.
        ("arn:aws:s3:*:123456789012:models", BUCKET, False),
        # Not an ARN of six parts: compared whole ("arn:aws:s3:*" spans the rest).
        ("arn:aws:s3:*", OBJECT, True),
        ("arn:aws:sqs:*", OBJECT, False),
    ],
)
def test_fits(resource: str, template: str, fit: bool) -> None:
    assert fits(resource_fields(resource, True), template_fields(template)) is fit


@pytest.mark.parametrize(
    ("outer", "inner", "covered"),
    [
        ("sagemaker:*", "sagemaker:CreateModel", True),
        ("sagemaker:Create*", "SAGEMAKER:createmodel*", True),
        ("sagemaker:Create*", "sagemaker:C*", False),
        ("sagemaker:Describe?odel", "sagemaker:DescribeModel", True),
        ("sagemaker:Describe?odel", "sagemaker:Describe*odel", False),
        ("*", "s3:*", True),
        ("s3:*", "*", False),
    ],
)
def test_contains_actions(outer: str, inner: str, covered: bool) -> None:
    assert contains(action_pattern(outer), action_pattern(inner)) is covered


@pytest.mark.parametrize(
    ("outer", "inner", "covered"),
    [
        ("*", "arn:aws:s3:::b/*", True),
        ("arn:aws:s3:::b/*", "arn:aws:s3:::b/k/*", True),
        ("arn:aws:s3:::b/*", "arn:aws:s3:::b", False),
        ("arn:aws:iam::*:role/*", "arn:aws:iam::123456789012:role/r", True),
        # "*" in the region segment cannot stand for text with a colon; in the resource it can.
        ("arn:aws:sagemaker:*:1:model/x", "arn:aws:sagemaker:a:b:1:model/x", False),
        ("arn:aws:sagemaker:*:*:*", "arn:aws:sagemaker:us-east-1:1:model/a:b", True),
        ("arn:aws:sagemaker:us-east-1:*:*", "arn:aws:sagemaker:*:1:model/x", False),
    ],
)
def test_contains_resources(outer: str, inner: str, covered: bool) -> None:
    assert contains(resource_pattern(outer), resource_pattern(inner)) is covered


@pytest.mark.parametrize(
    ("a", "b", "meet"),
    [("s3:Get*", "s3:*Object", True), ("s3:Get*", "s3:Put*", False), ("a?c", "*b*", True)],
)
def test_intersects(a: str, b: str, meet: bool) -> None:
    assert intersects(action_pattern(a), action_pattern(b)) is meet
    assert intersects(action_pattern(b), action_pattern(a)) is meet

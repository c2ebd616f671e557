"""The documented rules that make a generated policy deployable: what differs from run to run is
generalized, everything else stays as the calls named it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from pytest_modelreg import mock_modelreg
from pytest_modelreg.explain import suggested_statement
from pytest_modelreg.least_privilege import (
    GENERALIZATIONS,
    Grant,
    generalize,
    policy_for,
    policy_resource,
)

SM = "arn:aws:sagemaker:us-east-1:123456789012"
S3 = "arn:aws:s3:::sagemaker-us-east-1-123456789012"

# (resource as a call named it, resource as the policy names it)
ROWS = [
    # Model package versions: "a versioned model package's ARN ends in <group>/<version>"
    # (SageMaker API Reference, CreateModelPackage: ModelPackageArn; DescribeModelPackage:
    # ModelPackageVersion).
    (f"{SM}:model-package/churn/1", f"{SM}:model-package/churn/*"),
    (f"{SM}:model-package/churn/12", f"{SM}:model-package/churn/*"),
    (f"{SM}:model-package/Churn-Model/3", f"{SM}:model-package/Churn-Model/*"),
    # An unversioned model package has no version to generalize.
    (f"{SM}:model-package/my-algorithm", f"{SM}:model-package/my-algorithm"),
    # Only SageMaker's model packages are versioned: an S3 key of that shape stays.
    (f"{S3}/model-package/churn/1", f"{S3}/model-package/churn/1"),
    # sagemaker.utils.name_from_base: "<base>-%Y-%m-%d-%H-%M-%S-<ms>" (sagemaker_timestamp).
    (f"{SM}:model/churn-2026-11-30-14-33-35-556", f"{SM}:model/churn-*"),
    (f"{SM}:endpoint/churn-prod-2026-01-02-03-04-05-006", f"{SM}:endpoint/churn-prod-*"),
    # name_from_base of a generated name (the SDK names an endpoint after its model): one "*".
    (
        f"{SM}:endpoint-config/churn-2026-11-30-14-33-35-556-2026-11-30-14-33-36-001",
        f"{SM}:endpoint-config/churn-*",
    ),
    # name_from_base(short=True): "<base>-%y%m%d-%H%M" (sagemaker_short_timestamp).
    (f"{SM}:model/churn-261130-1433", f"{SM}:model/churn-*"),
    # unique_name_from_base: "<base>-<int(time.time())>-<4 hex digits>"; in an S3 key the
    # generated folder is generalized and the rest of the key stays.
    (f"{S3}/churn-1764513215-3f9a/model.tar.gz", f"{S3}/churn-*/model.tar.gz"),
    # unique_name_from_base_uuid4: "<base>-<uuid4>"; SMPYTHONSDK-<uuid4> job names.
    (f"{SM}:model/churn-1b4e28ba-2fa1-41d2-883f-0016d3cca427", f"{SM}:model/churn-*"),
    (
        f"{SM}:inference-recommendations-job/SMPYTHONSDK-1b4e28ba-2fa1-41d2-883f-0016d3cca427",
        f"{SM}:inference-recommendations-job/SMPYTHONSDK-*",
    ),
    # A name that is a stamp alone has no base to keep: it stays literal.
    (f"{SM}:model/2026-11-30-14-33-35-556", f"{SM}:model/2026-11-30-14-33-35-556"),
    # Names the tests chose stay literal, dates and digits included.
    (f"{SM}:model-package-group/churn", f"{SM}:model-package-group/churn"),
    (f"{SM}:model/churn-2026", f"{SM}:model/churn-2026"),
    (f"{SM}:endpoint/churn-v2-1433", f"{SM}:endpoint/churn-v2-1433"),
    (f"{S3}/churn/2026-11-30/model.tar.gz", f"{S3}/churn/2026-11-30/model.tar.gz"),
    # A KMS key id is a UUID with no base: the key a test uses stays pinned.
    (
        "arn:aws:kms:us-east-1:123456789012:key/1b4e28ba-2fa1-41d2-883f-0016d3cca427",
        "arn:aws:kms:us-east-1:123456789012:key/1b4e28ba-2fa1-41d2-883f-0016d3cca427",
    ),
    # Account and region are never generalized.
    (
        "arn:aws:sagemaker:eu-west-1:210987654321:model-package/churn/4",
        "arn:aws:sagemaker:eu-west-1:210987654321:model-package/churn/*",
    ),
    ("*", "*"),
]


@pytest.mark.parametrize(("called", "written"), ROWS)
def test_generalize(called: str, written: str) -> None:
    assert generalize(called) == written
    assert generalize(written) == written  # a generalized resource is left as it is


@pytest.mark.parametrize("rule", GENERALIZATIONS, ids=lambda r: r.example[0])
def test_each_rule_does_what_its_example_says(rule: Any) -> None:
    before, after = rule.example
    assert rule.apply(before) == after
    assert rule.evidence and rule.varies


def test_the_sdks_own_name_generators_are_recognized() -> None:
    utils = pytest.importorskip(
        "sagemaker.utils", reason="the SageMaker Python SDK is not installed"
    )
    generated = [
        utils.name_from_base("churn"),
        utils.name_from_base("churn", short=True),
        utils.unique_name_from_base("churn"),
        utils.unique_name_from_base_uuid4("churn"),
        utils.name_from_base(utils.name_from_base("churn")),
    ]
    for name in generated:
        assert generalize(f"{SM}:model/{name}") == f"{SM}:model/churn-*", name
    # The SDK's own inverse agrees on the base it keeps.
    assert utils.base_from_name(utils.name_from_base("churn-prod")) == "churn-prod"


def test_versions_of_one_group_collapse_into_one_resource() -> None:
    policy = policy_for(
        [Grant("sagemaker:DescribeModelPackage", f"{SM}:model-package/churn/{n}") for n in (1, 2)]
        + [Grant("sagemaker:ListModelPackages", f"{SM}:model-package/churn/*")]
    )
    assert policy["Statement"] == [
        {
            "Effect": "Allow",
            "Action": ["sagemaker:DescribeModelPackage", "sagemaker:ListModelPackages"],
            "Resource": f"{SM}:model-package/churn/*",
        }
    ]


def test_conditions_production_needs_stay() -> None:
    key = "arn:aws:kms:us-east-1:123456789012:key/1b4e28ba-2fa1-41d2-883f-0016d3cca427"
    policy = policy_for(
        [
            Grant(
                "kms:GenerateDataKey",
                key,
                (("kms:ViaService", "sagemaker.us-east-1.amazonaws.com"),),
            )
        ]
    )
    assert policy["Statement"] == [
        {
            "Effect": "Allow",
            "Action": "kms:GenerateDataKey",
            "Resource": key,
            "Condition": {"StringEquals": {"kms:ViaService": "sagemaker.us-east-1.amazonaws.com"}},
        }
    ]


def test_policy_resource_generalizes_then_escapes_variables() -> None:
    assert policy_resource("s3:GetObject", f"{S3}/${{x}}/churn-1764513215-3f9a/m") == (
        f"{S3}/${{$}}{{x}}/churn-*/m"
    )
    assert policy_resource("sagemaker:ListModelPackageGroups", f"{SM}:model-package-group/*") == "*"


def test_the_per_test_report_suggests_the_generalized_statement() -> None:
    """The statement a denial's explanation suggests goes through the same rules."""
    name = "churn-2026-11-30-14-33-35-556"
    with mock_modelreg() as reg, pytest.raises(ClientError):
        reg.client("sagemaker").describe_model(ModelName=name)
    (denied,) = reg.denied[-1].denied_authorizations
    assert suggested_statement(reg.principal_arn, denied) == {
        "Effect": "Allow",
        "Action": "sagemaker:DescribeModel",
        "Resource": f"{SM}:model/churn-*",
    }


def test_the_guide_lists_every_rule() -> None:
    guide = Path(__file__).resolve().parents[2] / "docs" / "guide.md"
    text = guide.read_text(encoding="utf-8")
    for rule in GENERALIZATIONS:
        before, after = rule.example
        assert f"| `{before}` | `{after}` |" in text, rule.varies

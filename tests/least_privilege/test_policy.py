"""reg.required_policy(): grouped by service, sorted, as specific as the calls were (but for what
differs from run to run, see test_generalization.py), with the conditions AWS checks; and the
round trip: the policy, enforced alone, lets the same code pass."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_modelreg import mock_modelreg
from pytest_modelreg.iam import Policy
from pytest_modelreg.least_privilege import Grant, policy_for, statement_for
from tests.reporting import _workflow

ACCOUNT = "123456789012"
SM = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}"


def _actions(policy: dict[str, Any]) -> set[str]:
    out: set[str] = set()
    for statement in policy["Statement"]:
        action = statement["Action"]
        out.update([action] if isinstance(action, str) else action)
    return out


def test_round_trip_the_policy_enforced_alone_lets_the_workflow_pass() -> None:
    with mock_modelreg(policy=_workflow.ALLOW_ALL, enforce="warn") as reg:
        data = _workflow.arrange(reg)
        assert _workflow.run(data) == "InService"
        policy = reg.required_policy()
        # SageMaker's requests as the execution role (c.via) are the role's, not the caller's.
        used = {
            a.action
            for c in reg.calls
            if not c.unrestricted and c.via is None
            for a in c.authorizations
        }
    Policy.parse(policy)  # valid as IAM would validate it

    with mock_modelreg(policy=policy, enforce="strict") as reg:
        data = _workflow.arrange(reg)
        assert _workflow.run(data) == "InService"
        assert reg.denied == []
        assert reg.required_policy() == policy

    # It grants no action the workflow did not use.
    assert _actions(policy) == used
    assert used >= {"s3:GetObject", "ecr:DescribeImages", "iam:PassRole", "sagemaker:CreateModel"}


def test_the_workflow_policy_is_scoped_to_the_resources_and_pins_passed_to_service() -> None:
    with mock_modelreg(policy=_workflow.ALLOW_ALL, enforce="warn") as reg:
        _workflow.run(_workflow.arrange(reg))
        statements = reg.required_policy()["Statement"]
    by_action = {
        s["Action"] if isinstance(s["Action"], str) else s["Action"][0]: s for s in statements
    }
    assert by_action["iam:PassRole"] == {
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": f"arn:aws:iam::{ACCOUNT}:role/SageMakerExecution",
        "Condition": {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
    }
    assert by_action["s3:GetObject"]["Resource"] == (
        "arn:aws:s3:::sagemaker-models-example/churn/model.tar.gz"
    )
    assert by_action["ecr:DescribeImages"]["Resource"] == (
        f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/churn-inference"
    )
    # Grouped by service prefix, in order.
    services = [
        s["Action"].split(":")[0] if isinstance(s["Action"], str) else s["Action"][0].split(":")[0]
        for s in statements
    ]
    assert services == sorted(services)
    assert all(s["Resource"] != "*" for s in statements)


def test_actions_sharing_resources_share_a_statement_and_are_sorted() -> None:
    group = f"{SM}:model-package-group/churn"
    policy = policy_for(
        [
            Grant("sagemaker:DescribeModelPackageGroup", group),
            Grant("sagemaker:CreateModelPackageGroup", group),
            Grant("sagemaker:DescribeModelPackage", f"{SM}:model-package/fraud/1"),
            Grant("sagemaker:DescribeModelPackage", f"{SM}:model-package/churn/2"),
            Grant("ecr:DescribeImages", f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/r"),
        ]
    )
    assert policy == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "ecr:DescribeImages",
                "Resource": f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/r",
            },
            {
                "Effect": "Allow",
                "Action": [
                    "sagemaker:CreateModelPackageGroup",
                    "sagemaker:DescribeModelPackageGroup",
                ],
                "Resource": group,
            },
            {
                "Effect": "Allow",
                "Action": "sagemaker:DescribeModelPackage",
                "Resource": [f"{SM}:model-package/churn/*", f"{SM}:model-package/fraud/*"],
            },
        ],
    }


def test_actions_without_resource_types_get_star() -> None:
    # The Service Authorization Reference lists no resource type for these actions.
    policy = policy_for(
        [
            Grant("sagemaker:ListModelPackageGroups", f"{SM}:model-package-group/*"),
            Grant("s3:ListAllMyBuckets", "arn:aws:s3:::*"),
            Grant("sagemaker:Search", f"{SM}:*"),
        ]
    )
    assert policy["Statement"] == [
        {"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"},
        {
            "Effect": "Allow",
            "Action": ["sagemaker:ListModelPackageGroups", "sagemaker:Search"],
            "Resource": "*",
        },
    ]


def test_pinned_conditions_and_policy_variable_escape() -> None:
    role = f"arn:aws:iam::{ACCOUNT}:role/r"
    policy = policy_for(
        [
            Grant("iam:PassRole", role, (("iam:PassedToService", "sagemaker.amazonaws.com"),)),
            Grant("s3:GetObject", "arn:aws:s3:::sagemaker-b/${odd}/key"),
        ]
    )
    assert policy["Statement"][0]["Condition"] == {
        "StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}
    }
    assert policy["Statement"][1]["Resource"] == "arn:aws:s3:::sagemaker-b/${$}{odd}/key"
    Policy.parse(policy)


def test_statement_for_merges_values_of_one_key() -> None:
    assert statement_for(
        ["iam:PassRole"],
        ["*"],
        [
            ("iam:PassedToService", "sagemaker.amazonaws.com"),
            ("iam:PassedToService", "s3.amazonaws.com"),
        ],
    ) == {
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": "*",
        "Condition": {
            "StringEquals": {"iam:PassedToService": ["s3.amazonaws.com", "sagemaker.amazonaws.com"]}
        },
    }


@pytest.mark.parametrize(
    "grant",
    [Grant("a:B", "arn:x"), Grant("iam:PassRole", "arn:y", (("iam:PassedToService", "s"),))],
)
def test_grants_survive_json(grant: Grant) -> None:
    import json

    assert Grant.from_json(json.loads(json.dumps(grant.to_json()))) == grant


def test_calls_with_admin_access_are_not_in_the_policy() -> None:
    with mock_modelreg() as reg:
        reg.admin_client("sagemaker").create_model_package_group(ModelPackageGroupName="g")
        reg.client("sagemaker").describe_model_package_group(ModelPackageGroupName="g")
        assert reg.required_policy() == {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "sagemaker:DescribeModelPackageGroup",
                    "Resource": f"{SM}:model-package-group/g",
                }
            ],
        }

"""The round trip a CI pipeline relies on: the policy one run writes, enforced alone, lets the next
run pass although that run generates other names and gets other version numbers; and it grants
nothing the runs did not use."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pytest_modelreg import CallRecord, lint, mock_modelreg, simulate
from pytest_modelreg.iam import Policy
from pytest_modelreg.iam.matching import ResourceMatcher
from pytest_modelreg.least_privilege import policy_resource

from . import _workflow

ACCOUNT = "123456789012"
SM = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}"


def _statements(policy: dict[str, Any]) -> list[tuple[list[str], list[str]]]:
    def listed(value: str | list[str]) -> list[str]:
        return [value] if isinstance(value, str) else value

    return [(listed(s["Action"]), listed(s["Resource"])) for s in policy["Statement"]]


def _used(calls: list[CallRecord]) -> set[tuple[str, str]]:
    # The principal's own calls: SageMaker's requests as the execution role (c.via) are the role's.
    return {
        (a.action, a.resource)
        for c in calls
        if not c.unrestricted and c.via is None
        for a in c.authorizations
    }


def _first_run() -> tuple[dict[str, Any], set[tuple[str, str]]]:
    with mock_modelreg(policy=_workflow.ALLOW_ALL, enforce="warn") as reg:
        assert _workflow.run(_workflow.arrange(reg, run=1)) == "InService"
        return reg.required_policy(), _used(reg.calls)


@pytest.fixture(scope="module")
def first_run() -> tuple[dict[str, Any], set[tuple[str, str]]]:
    return _first_run()


def test_the_first_runs_policy_enforced_alone_passes_a_run_with_other_names_and_versions(
    first_run: tuple[dict[str, Any], set[tuple[str, str]]],
) -> None:
    policy, used_first = first_run
    Policy.parse(policy, managed=True)  # IAM would store it
    with mock_modelreg(policy=policy, enforce="strict") as reg:
        data = _workflow.arrange(reg, run=7)
        assert _workflow.run(data) == "InService"
        assert reg.denied == []
        used_second = _used(reg.calls)
        # The second run wrote the same policy: nothing in it depends on the run.
        assert reg.required_policy() == policy
    # The runs really differed: no generated name and no version ARN in common.
    differing = {r for _, r in used_first} ^ {r for _, r in used_second}
    assert any("model-package/churn/" in r for r in differing)
    for name in ("model", "endpoint_config", "endpoint", "prefix"):
        assert _workflow.names(1)[name] != data[name]
        assert any(data[name] in r for r in differing)


def test_the_policy_lints_clean(
    first_run: tuple[dict[str, Any], set[tuple[str, str]]],
) -> None:
    """What the package generates, its own lint accepts: every resource fits its action."""
    policy, _ = first_run
    assert lint(policy) == []


def test_the_policy_grants_nothing_the_runs_did_not_use(
    first_run: tuple[dict[str, Any], set[tuple[str, str]]],
) -> None:
    policy, used = first_run
    assert {a for actions, _ in _statements(policy) for a in actions} == {a for a, _ in used}
    for actions, resources in _statements(policy):
        for resource in resources:
            matcher = ResourceMatcher([resource], variables=True)
            for action in actions:
                if resource == "*":
                    # Only an action that takes no resource is granted everywhere.
                    assert policy_resource(action, "arn:aws:x:::y") == "*", action
                    continue
                # Each action is granted only on resources of the shape the run used.
                assert any(a == action and matcher.matches(r, lambda _: None) for a, r in used), (
                    action,
                    resource,
                )


# Literal names stay literal; account and region stay pinned. Each row: an action the policy grants
# and a resource it must not grant it on.
OUTSIDE = [
    ("sagemaker:CreateModelPackage", f"{SM}:model-package/fraud/3"),  # another group
    ("sagemaker:CreateModel", f"{SM}:model/fraud-2026-11-30-14-33-35-556"),  # another base
    ("sagemaker:CreateModel", f"arn:aws:sagemaker:eu-west-1:{ACCOUNT}:model/churn-x"),  # region
    ("sagemaker:CreateModel", "arn:aws:sagemaker:us-east-1:210987654321:model/churn-x"),  # account
    ("sagemaker:DescribeModelPackageGroup", f"{SM}:model-package-group/churn2"),
    ("s3:GetObject", "arn:aws:s3:::sagemaker-models-example/other/model.tar.gz"),
    ("s3:GetObject", "arn:aws:s3:::other-bucket/churn-1764513216-0001/model.tar.gz"),
    ("iam:PassRole", f"arn:aws:iam::{ACCOUNT}:role/OtherRole"),
    ("ecr:DescribeImages", f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/other"),
]


@pytest.mark.parametrize(("action", "resource"), OUTSIDE)
def test_the_policy_does_not_reach_past_what_the_tests_named(
    first_run: tuple[dict[str, Any], set[tuple[str, str]]], action: str, resource: str
) -> None:
    policy, _ = first_run
    context = {"iam:PassedToService": "sagemaker.amazonaws.com"}
    assert not simulate(action, resource, identity_policies=[policy], context=context).allowed


def test_the_generalized_statements_of_the_workflow(
    first_run: tuple[dict[str, Any], set[tuple[str, str]]],
) -> None:
    policy, _ = first_run
    resources = {r for actions, rs in _statements(policy) for r in rs for _ in actions}
    assert {
        f"{SM}:model-package/churn/*",
        f"{SM}:model/churn-*",
        f"{SM}:endpoint-config/churn-*",
        f"{SM}:endpoint/churn-*",
        f"{SM}:model-package-group/churn",
        "arn:aws:s3:::sagemaker-models-example/churn-*/model.tar.gz",
        f"arn:aws:iam::{ACCOUNT}:role/SageMakerExecution",
    } <= resources
    pass_role = next(s for s in policy["Statement"] if s["Action"] == "iam:PassRole")
    assert pass_role["Condition"] == {
        "StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}
    }


def test_round_trip_through_the_policy_file(pytester: pytest.Pytester) -> None:
    """The same through the pytest surface: ``--modelreg-policy-out`` from a run under allow-all
    in warn mode, then ``--modelreg-policy`` of that file alone, strict, on a later run."""
    pytester.makepyfile(
        workflow=_workflow.SOURCE,
        test_workflow="""
            from pathlib import Path

            from workflow import arrange, run

            RUN = int(Path(__file__).with_name("run.txt").read_text())

            def test_register_approve_deploy(modelreg):
                assert run(arrange(modelreg, RUN)) == "InService"
        """,
    )
    pytester.path.joinpath("allow-all.json").write_text(json.dumps(_workflow.ALLOW_ALL))
    pytester.path.joinpath("run.txt").write_text("2")
    first = pytester.runpytest(
        "-p",
        "no:cacheprovider",
        "--modelreg-policy=allow-all.json",
        "--modelreg-enforce=warn",
        "--modelreg-policy-out=needed.json",
    )
    first.assert_outcomes(passed=1)
    written = json.loads(pytester.path.joinpath("needed.json").read_text())
    assert not any(
        "model-package/churn/3" in r or "churn-2026-11-02" in r
        for _, resources in _statements(written)
        for r in resources
    )
    pytester.path.joinpath("run.txt").write_text("5")
    second = pytester.runpytest(
        "-p", "no:cacheprovider", "--modelreg-policy=needed.json", "--modelreg-enforce=strict"
    )
    second.assert_outcomes(passed=1)

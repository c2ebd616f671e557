"""DecisionCache: a remembered decision is the decision ``evaluate`` would make now.

Each test decides the same requests with and without the cache and expects the same decisions;
the rule each encodes is IAM User Guide, "Policy evaluation logic": the decision depends on the
action, the resource, the principal, the policies and the request context, so a change in any of
those the policies read must give a new decision.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from pytest_modelreg import mock_modelreg
from pytest_modelreg.iam import Policy, PolicySet, Request, evaluate
from pytest_modelreg.iam.cache import DecisionCache

from ..iam_simulated._helpers import assume, trust_account

CALLER = "arn:aws:sts::123456789012:assumed-role/r/s"
ROLE = "arn:aws:iam::123456789012:role/r"
PACKAGE = "arn:aws:sagemaker:us-east-1:123456789012:model-package/g/{}"


def _policy(*statements: dict[str, Any]) -> Policy:
    return Policy.parse({"Version": "2012-10-17", "Statement": list(statements)})


def _cache(action: str, resource: str, condition: dict[str, Any] | None = None) -> DecisionCache:
    """A cache over one identity policy with one Allow statement."""
    statement: dict[str, Any] = {"Effect": "Allow", "Action": action, "Resource": resource}
    if condition is not None:
        statement["Condition"] = condition
    return DecisionCache(PolicySet(identity=(_policy(statement),)))


def _request(action: str, resource: str, **context: Any) -> Request:
    return Request(action, resource, CALLER, context=context, role_arn=ROLE)


def _both(cache: DecisionCache, request: Request, resource_policy: Policy | None = None) -> str:
    """The cached decision, checked against a fresh evaluation of the same request."""
    got = cache.evaluate(request, resource_policy)
    fresh = evaluate(
        request, PolicySet(identity=cache._base.identity, resource_policy=resource_policy)
    )
    assert (got.decision, got.matched_statements, got.denied_by) == (
        fresh.decision,
        fresh.matched_statements,
        fresh.denied_by,
    )
    assert got.request is request  # explanations read this request, not the remembered one
    return got.decision


def test_any_resource_statements_decide_new_resources_from_memory() -> None:
    cache = _cache("sagemaker:*", "*")
    for version in range(1, 4):
        assert (
            _both(cache, _request("sagemaker:DescribeModelPackage", PACKAGE.format(version)))
            == "allowed"
        )
    assert len(cache._entries) == 1
    # Another account's resource is a cross-account request: decided anew.
    other = PACKAGE.format(1).replace("123456789012", "210987654321")
    assert _both(cache, _request("sagemaker:DescribeModelPackage", other)) == "implicitDeny"


def test_resource_specific_statements_decide_per_resource() -> None:
    cache = _cache("sagemaker:*", PACKAGE.format(1))
    assert _both(cache, _request("sagemaker:DescribeModelPackage", PACKAGE.format(1))) == "allowed"
    assert (
        _both(cache, _request("sagemaker:DescribeModelPackage", PACKAGE.format(2)))
        == "implicitDeny"
    )


def test_context_keys_the_policies_read_are_part_of_the_decision() -> None:
    cache = _cache(
        "sagemaker:CreateModelPackageGroup",
        "*",
        {"StringEquals": {"aws:RequestTag/team": "ml"}},
    )
    group = "arn:aws:sagemaker:us-east-1:123456789012:model-package-group/g"
    action = "sagemaker:CreateModelPackageGroup"
    assert _both(cache, _request(action, group, **{"aws:RequestTag/team": "ml"})) == "allowed"
    assert _both(cache, _request(action, group, **{"aws:RequestTag/team": "ops"})) == "implicitDeny"
    # Condition keys are case-insensitive (IAM User Guide, "IAM JSON policy elements: Condition").
    assert _both(cache, _request(action, group, **{"AWS:REQUESTTAG/TEAM": "ml"})) == "allowed"
    assert _both(cache, _request(action, group)) == "implicitDeny"
    # A key no statement reads does not split the entries.
    _both(
        cache, _request(action, group, **{"aws:RequestTag/team": "ml", "aws:SourceIp": "1.2.3.4"})
    )
    assert len(cache._entries) == 3


def test_clock_conditions_without_the_key_are_evaluated_every_time() -> None:
    cache = _cache(
        "sagemaker:*", "*", {"DateLessThan": {"aws:CurrentTime": "2999-01-01T00:00:00Z"}}
    )
    assert _both(cache, _request("sagemaker:Search", "*")) == "allowed"
    assert not cache._entries
    late = {"aws:CurrentTime": "3000-01-01T00:00:00Z"}
    assert _both(cache, _request("sagemaker:Search", "*", **late)) == "implicitDeny"


def test_a_different_resource_policy_is_a_different_decision() -> None:
    cache = DecisionCache(PolicySet())
    group = "arn:aws:sagemaker:us-east-1:123456789012:model-package-group/g"
    grants = {
        "Effect": "Allow",
        "Principal": {"AWS": ROLE},
        "Action": "sagemaker:DescribeModelPackageGroup",
        "Resource": group,
    }
    allowing = Policy.parse(
        {"Version": "2012-10-17", "Statement": [grants]}, policy_type="resource"
    )
    denying = Policy.parse(
        {"Version": "2012-10-17", "Statement": [{**grants, "Effect": "Deny"}]},
        policy_type="resource",
    )
    action = "sagemaker:DescribeModelPackageGroup"
    assert _both(cache, _request(action, group), allowing) == "allowed"
    assert _both(cache, _request(action, group), denying) == "explicitDeny"
    assert _both(cache, _request(action, group)) == "implicitDeny"


def test_policy_changes_through_iam_apply_to_the_next_call() -> None:
    """A role's inline policy put, then deleted, during the test: each call sees the policies IAM
    holds at that moment (IAM User Guide, "Adding and removing IAM identity permissions")."""
    with mock_modelreg() as reg:
        iam: Any = reg.admin_client("iam")
        role = iam.create_role(RoleName="r", AssumeRolePolicyDocument=trust_account("123456789012"))
        sm = assume(reg, role["Role"]["Arn"]).client("sagemaker")

        def search() -> bool:
            try:
                sm.search(Resource="ModelPackage")
            except ClientError as exc:
                assert exc.response["Error"]["Code"] == "AccessDeniedException"
                return False
            return True

        assert not search()
        allow = {"Effect": "Allow", "Action": "sagemaker:Search", "Resource": "*"}
        iam.put_role_policy(
            RoleName="r",
            PolicyName="p",
            PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [allow]}),
        )
        assert search()
        iam.put_role_policy(
            RoleName="r",
            PolicyName="p",
            PolicyDocument=json.dumps(
                {"Version": "2012-10-17", "Statement": [allow, {**allow, "Effect": "Deny"}]}
            ),
        )
        assert not search()
        iam.delete_role_policy(RoleName="r", PolicyName="p")
        assert not search()


@pytest.mark.parametrize("approved", [True, False])
def test_the_principal_under_test_keeps_its_own_decisions(approved: bool) -> None:
    """The same call decided twice by the default policy gives the same answer (a hit)."""
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow" if approved else "Deny",
                "Action": "sagemaker:ListModelPackageGroups",
                "Resource": "*",
            }
        ],
    }
    with mock_modelreg(policy=policy):
        sm = boto3.client("sagemaker", region_name="us-east-1")
        for _ in range(2):
            if approved:
                sm.list_model_package_groups()
            else:
                with pytest.raises(ClientError, match="explicit deny"):
                    sm.list_model_package_groups()

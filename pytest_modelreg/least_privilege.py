"""Least privilege: the smallest policy document that allows a set of recorded calls."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from pytest_modelreg.records import CallRecord

# Request context keys that a generated statement must pin, because AWS checks them against what
# the call carried (service-specific keys: `iam:PassedToService`, `kms:ViaService` ...). Global
# `aws:` keys describe the request, not the permission, and are left out.
_PINNED_KEY_PREFIXES = ("iam:PassedToService",)


def _conditions(context: Mapping[str, str | tuple[str, ...]]) -> tuple[tuple[str, str], ...]:
    pinned = []
    for key, value in context.items():
        if key.startswith(_PINNED_KEY_PREFIXES) and isinstance(value, str):
            pinned.append((key, value))
    return tuple(sorted(pinned))


def required_policy(calls: Iterable[CallRecord]) -> dict[str, Any]:
    """Statements grouped by service; within one, actions that need the same resources and
    conditions share a statement. Actions and resources are sorted for a stable document."""
    resources: dict[tuple[str, tuple[tuple[str, str], ...]], set[str]] = defaultdict(set)
    for call in calls:
        for authorization in call.authorizations:
            key = (authorization.action, _conditions(authorization.context))
            resources[key].add(authorization.resource)
    grouped: dict[tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]], list[str]] = defaultdict(list)
    for (action, conditions), arns in resources.items():
        service = action.split(":", 1)[0]
        grouped[(service, tuple(sorted(arns)), conditions)].append(action)
    statements = []
    for (service, arns, conditions), actions in sorted(grouped.items(), key=lambda kv: (kv[0][0], sorted(kv[1]))):
        statement: dict[str, Any] = {
            "Effect": "Allow",
            "Action": sorted(set(actions)),
            "Resource": list(arns) if len(arns) > 1 else arns[0],
        }
        if conditions:
            statement["Condition"] = {"StringEquals": dict(conditions)}
        statements.append(statement)
    return {"Version": "2012-10-17", "Statement": statements}


def dumps(policy: Mapping[str, Any]) -> str:
    return json.dumps(policy, indent=2, sort_keys=False)

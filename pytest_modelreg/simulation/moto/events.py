"""What event delivery reads from and writes to moto: the rules of an EventBridge bus, their
patterns and targets, and the queues and topics events are delivered to.

moto's own ``PutEvents`` delivers to every rule whose pattern matches, disabled ones included, and
re-templates the event for SQS (dropping ``account``); EventBridge delivers the whole event to the
enabled rules only ("Amazon EventBridge rules", EventBridge User Guide: a rule "matches incoming
events and sends them to targets"; "DISABLED: The rule is disabled. EventBridge does not match any
events", PutRule ``State``, EventBridge API Reference). So delivery is done here, with moto's
pattern matcher and moto's SQS and SNS backends.

Reads: ``moto.events.models.events_backends`` (``event_buses``, a bus's ``rules``, a rule's
``state``, ``arn``, ``targets`` and ``event_pattern.matches_event``); SQS ``queues`` and
``send_message``; SNS ``publish``. Nothing is created: a bus moto does not hold has no listeners.

SNS delivers to an SQS subscription as its service principal, which the queue policy must allow
("Example cases for Amazon SNS access control", Amazon SNS Developer Guide: "Publish messages to
an Amazon SQS queue"); moto's ``moto.sns.models.Subscription.publish`` sends whatever the policy.
While moto runs under an activation, :func:`judge_sqs_subscriptions` puts a judge in front of it.
"""

from __future__ import annotations

import json
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple

from pytest_modelreg.arn import Arn
from pytest_modelreg.errors import EventDeliveryWarning

from .resources import CountedPatch, _backend

DEFAULT_BUS = "default"


class Target(NamedTuple):
    """A target of a rule that matched an event, and what it is to receive."""

    rule_arn: str
    arn: str
    body: str | None
    """The message: the event as JSON, ``Input``, or the ``InputPath`` selection; None when the
    target's input cannot be simulated (``InputTransformer``)."""
    params: Mapping[str, Any]
    """The target's other settings (``SqsParameters`` ...)."""


def listening(account: str, region: str) -> bool:
    """True if moto holds an EventBridge default bus with an enabled rule in the account and
    region. Costs nothing when no test has used EventBridge: moto's module is not even imported."""
    if "moto.events.models" not in sys.modules:
        return False
    return any(True for _ in _enabled_rules(account, region))


def _enabled_rules(account: str, region: str) -> Iterator[Any]:
    events = _backend("events", account, region)
    bus = None if events is None else events.event_buses.get(DEFAULT_BUS)
    for rule in [] if bus is None else list(bus.rules.values()):
        if rule.state == "ENABLED":
            yield rule


def matching_targets(event: Mapping[str, Any]) -> list[Target]:
    """The targets of every enabled rule on the default bus of the event's account and region
    whose pattern matches ``event`` (an EventBridge event, JSON-ready)."""
    out: list[Target] = []
    for rule in _enabled_rules(str(event["account"]), str(event["region"])):
        if not rule.event_pattern.matches_event(dict(event)):
            continue
        for target in list(rule.targets):
            out.append(Target(str(rule.arn), str(target["Arn"]), _input(target, event), target))
    return out


def _input(target: Mapping[str, Any], event: Mapping[str, Any]) -> str | None:
    """What a target receives ("Transform the event before it reaches the target": ``Input`` is
    sent as is, ``InputPath`` selects part of the event; EventBridge User Guide)."""
    if "Input" in target:
        return str(target["Input"])
    if "InputPath" in target:
        selected = _select(event, str(target["InputPath"]))
        return None if selected is _MISSING else json.dumps(selected)
    if "InputTransformer" in target:
        return None
    return json.dumps(event)


_MISSING: Any = object()


def _select(event: Mapping[str, Any], path: str) -> Any:
    """A dotted JSONPath (``$``, ``$.detail``, ``$.detail.ModelPackageArn``) into the event;
    anything richer is not simulated."""
    if path == "$":
        return event
    if not path.startswith("$.") or any(c in path for c in "[]*?@"):
        return _MISSING
    node: Any = event
    for part in path[2:].split("."):
        if not isinstance(node, Mapping) or part not in node:
            return _MISSING
        node = node[part]
    return node


class DeliveryFailed(Exception):
    """moto refused the message (a missing queue, a FIFO queue without deduplication ...)."""


def send(target: Target) -> None:
    """Deliver ``target.body`` to an SQS queue or SNS topic moto holds; raises DeliveryFailed."""
    where = Arn.parse(target.arn)
    assert where is not None and target.body is not None
    try:
        if where.service == "sqs":
            sqs = _backend("sqs", where.account, where.region)
            if sqs is None or where.resource not in sqs.queues:
                raise DeliveryFailed(f"no queue {where.resource}")
            group = (target.params.get("SqsParameters") or {}).get("MessageGroupId")
            sqs.send_message(queue_name=where.resource, message_body=target.body, group_id=group)
        elif where.service == "sns":
            sns = _backend("sns", where.account, where.region)
            if sns is None or target.arn not in sns.topics:
                raise DeliveryFailed(f"no topic {target.arn}")
            sns.publish(message=target.body, arn=target.arn)
        else:  # pragma: no cover - the event bus sends only to SQS and SNS targets
            raise DeliveryFailed(f"{where.service} targets are not simulated")
    except DeliveryFailed:
        raise
    except Exception as exc:  # moto's own service errors (QueueDoesNotExist, FIFO checks ...)
        raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from None


# --- SNS to SQS subscriptions -------------------------------------------------------------------

SubscriptionJudge = Callable[[str, str], str | None]
"""(topic ARN, queue ARN) -> why SNS may not send to the queue, or None when it may."""

_judge: SubscriptionJudge | None = None


def judge_sqs_subscriptions(judge: SubscriptionJudge) -> None:
    """Put ``judge`` in front of moto's delivery to SQS subscriptions while moto runs (the judge
    reads only moto's state and the IAM engine, so every activation's is the same)."""
    global _judge
    _judge = judge
    _SUBSCRIPTIONS.take()


def stop_judging_sqs_subscriptions() -> None:
    """Undo one :func:`judge_sqs_subscriptions`; the last one restores moto's delivery."""
    _SUBSCRIPTIONS.give_back()


def _judged_publish(self: Any, message: str, message_id: str, *args: Any, **kwargs: Any) -> Any:
    judge = _judge
    if judge is not None and self.protocol == "sqs":
        refused = judge(str(self.topic.arn), str(self.endpoint))
        if refused is not None:
            warnings.warn(
                EventDeliveryWarning(
                    f"message {message_id} from {self.topic.arn} was not delivered to "
                    f"{self.endpoint}: {refused}"
                ),
                stacklevel=2,
            )
            return None
    return _SUBSCRIPTIONS.original(self, message, message_id, *args, **kwargs)


_SUBSCRIPTIONS = CountedPatch("moto.sns.models", "Subscription", "publish", _judged_publish)

"""The registry's events on the simulated EventBridge default bus: recorded for ``reg.events``,
delivered to the targets of the user's rules.

The registry emits a "SageMaker Model Package State Change" event for every new version and every
status or approval change (``registry/packages.py``). Here each becomes the event EventBridge
delivers ("Events that Amazon SageMaker AI sends to Amazon EventBridge", SageMaker Developer
Guide: ``version``, ``id``, ``detail-type``, ``source``, ``account``, ``time``, ``region``,
``resources``, ``detail``) and goes to the enabled rules of the default bus of the package's
account and region whose pattern matches it.

Delivery costs nothing until a test uses EventBridge: with moto not started, or no enabled rule on
that bus, an event is only recorded (and shaped on first read of ``reg.events``).

Targets:

* SQS: EventBridge sends with its service principal, so the queue policy must allow
  ``events.amazonaws.com`` ``sqs:SendMessage`` ("Amazon SQS permissions", EventBridge User Guide:
  "To allow an EventBridge rule to invoke an Amazon SQS queue" add a queue policy; its example
  conditions on ``aws:SourceArn`` = the rule's ARN). Without one the message is not delivered, as
  on AWS, where the failure shows only in the rule's ``FailedInvocations`` metric.
* SNS: likewise, the topic's access policy must allow ``events.amazonaws.com`` ``sns:Publish``
  ("Amazon SNS permissions", EventBridge User Guide; AWS Knowledge Center, "Why isn't my Amazon
  SNS topic receiving EventBridge notifications?": "Your Amazon SNS topic's resource-based policy
  must allow EventBridge", else the rule's FailedInvocations metric counts the event). A new
  topic's default policy allows only principals of its own account, so a rule on a topic nobody
  gave a policy delivers nothing. Allowed events go through moto's topic to its subscriptions.
* Other targets (Lambda, Step Functions, logs ...) and ``InputTransformer`` are not simulated: an
  :class:`~pytest_modelreg.errors.EventDeliveryWarning` names them, nothing is delivered.

A caller's own ``PutEvents`` to the default bus takes the same path (:class:`PutEventsService`),
so that rules behave alike whoever puts the event.

No "SageMaker Model Package Group State Change" event is emitted: the EventBridge Events
Reference's list of SageMaker events ("Amazon SageMaker AI events") has no group-level event.
"""

from __future__ import annotations

import json
import random
import uuid
import warnings
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any, NamedTuple

from pytest_modelreg.arn import Arn
from pytest_modelreg.errors import EventDeliveryWarning
from pytest_modelreg.simulation import moto
from pytest_modelreg.simulation.moto import events as moto_events

from ._guesses import (
    DETAIL_TIME_SPEC,
    PUT_EVENTS_MALFORMED,
    PUT_EVENTS_MISSING,
    PUT_EVENTS_TOO_MANY,
)
from .base import CallContext, ServiceError
from .deliveries import refusal

#: The envelope's ``time``: ISO-8601 UTC to the second, as in the event structure example of
#: "Amazon EventBridge events" (EventBridge User Guide: "time": "2017-12-22T18:43:48Z").
_EVENT_TIME_SPEC = "seconds"

EVENTS_PRINCIPAL = "events.amazonaws.com"
DEFAULT_BUS = moto_events.DEFAULT_BUS
#: The target services ``moto_events.send`` delivers to, and the action EventBridge needs on each
#: (granted by the target's resource policy).
_TARGET_ACTIONS = {"sqs": "sqs:SendMessage", "sns": "sns:Publish"}


class Delivery(NamedTuple):
    """One attempt to deliver an event to a rule's target."""

    event_id: str
    rule_arn: str
    target_arn: str
    delivered: bool
    reason: str = ""


class EventBus:
    """The default buses of one activation: the registry's events (shaped on demand) and the
    deliveries made to rules' targets."""

    def __init__(
        self,
        moto_backend: moto.MotoBackend,
        recorded: Callable[[], list[dict[str, Any]]],
    ) -> None:
        self._moto = moto_backend
        self._recorded = recorded  # the registry's events, as it keeps them
        self._shaped: dict[int, dict[str, Any]] = {}
        self.deliveries: list[Delivery] = []
        # Event ids: unique, stable across reads, and cheap (no uuid4 per event).
        self._id_base = random.Random().getrandbits(128)

    def publish(self, index: int, event: Mapping[str, Any]) -> None:
        """Deliver the registry's ``index``-th event if a rule on its bus may be listening."""
        if self._listening(event):
            self._send(self._shape(index, event))

    def put(self, event: Mapping[str, Any]) -> None:
        """Deliver an event a caller put on the default bus (JSON-ready, ``id`` set)."""
        if self._listening(event):
            self._send(event)

    def _listening(self, event: Mapping[str, Any]) -> bool:
        return self._moto.started and moto_events.listening(
            str(event["account"]), str(event["region"])
        )

    def _send(self, event: Mapping[str, Any]) -> None:
        for target in moto_events.matching_targets(event):
            self.deliveries.append(self._deliver(str(event["id"]), target))

    @property
    def events(self) -> tuple[dict[str, Any], ...]:
        """Every event so far, oldest first, in EventBridge's shape (copies)."""
        return tuple(_copy(self._shape(i, e)) for i, e in enumerate(self._recorded()))

    def _shape(self, index: int, event: Mapping[str, Any]) -> dict[str, Any]:
        shaped = self._shaped.get(index)
        if shaped is None:
            event_id = str(uuid.UUID(int=(self._id_base + index) % (1 << 128), version=4))
            shaped = self._shaped[index] = _envelope(event, event_id)
        return shaped

    def _deliver(self, event_id: str, target: moto_events.Target) -> Delivery:
        def failed(reason: str) -> Delivery:
            warnings.warn(
                EventDeliveryWarning(
                    f"event {event_id} was not delivered to {target.arn} "
                    f"(rule {target.rule_arn}): {reason}"
                ),
                stacklevel=2,
            )
            return Delivery(event_id, target.rule_arn, target.arn, False, reason)

        where = Arn.parse(target.arn)
        service = "" if where is None else where.service
        action = _TARGET_ACTIONS.get(service)
        if action is None:
            return failed(f"{service or 'this'} targets are not simulated")
        if target.body is None:
            return failed("input transformers and this InputPath are not simulated")
        refused = refusal(EVENTS_PRINCIPAL, action, target.arn, target.rule_arn)
        if refused is not None:
            return failed(f"{refused} (AWS drops the event: FailedInvocations)")
        try:
            moto_events.send(target)
        except moto_events.DeliveryFailed as exc:
            return failed(str(exc))
        return Delivery(event_id, target.rule_arn, target.arn, True)


def _envelope(raw: Mapping[str, Any], event_id: str) -> dict[str, Any]:
    """A registry event as EventBridge delivers it: JSON types only, ``id`` added."""
    return {
        "version": raw["version"],
        "id": event_id,
        "detail-type": raw["detail-type"],
        "source": raw["source"],
        "account": raw["account"],
        "time": _time(raw["time"], _EVENT_TIME_SPEC),
        "region": raw["region"],
        "resources": list(raw["resources"]),
        "detail": {k: _time(v, DETAIL_TIME_SPEC) for k, v in raw["detail"].items()},
    }


def _time(value: Any, timespec: str) -> Any:
    """A datetime as ISO-8601 UTC text ending in ``Z``; other values as they are."""
    if isinstance(value, datetime):
        utc = value.astimezone(timezone.utc).replace(tzinfo=None)
        return utc.isoformat(timespec=timespec) + "Z"
    return value


def _copy(event: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(event)
    out["resources"] = list(event["resources"])
    out["detail"] = dict(event["detail"])
    return out


class PutEventsService:
    """EventBridge ``PutEvents`` to the default bus, served in-process so that the events reach
    the rules as the registry's do (enabled rules only, the whole event, target policies judged).
    Entries for other buses leave the call to moto."""

    def __init__(self, bus: EventBus) -> None:
        self.bus = bus

    def claims(self, service: str, operation: str, params: Mapping[str, Any]) -> bool:
        if (service, operation) != ("events", "PutEvents"):
            return False
        entries = params.get("Entries") or []
        return all(_on_default_bus(e.get("EventBusName")) for e in entries)

    def handle(
        self, service: str, operation: str, params: Mapping[str, Any], ctx: CallContext
    ) -> dict[str, Any]:
        entries = list(params.get("Entries") or [])
        if len(entries) > 10:  # PutEventsRequest Entries: "Length Constraints: ... 10"
            raise ServiceError("ValidationException", PUT_EVENTS_TOO_MANY)
        results: list[dict[str, Any]] = []
        for entry in entries:
            event, error = _entry_event(entry, ctx)
            if event is None:
                results.append(error)
                continue
            results.append({"EventId": event["id"]})
            self.bus.put(event)
        failed = sum(1 for r in results if "ErrorCode" in r)
        return {"FailedEntryCount": failed, "Entries": results}

    def before_moto(
        self, service: str, operation: str, params: Mapping[str, Any], ctx: CallContext
    ) -> None:
        return None


def _on_default_bus(name: Any) -> bool:
    if name in (None, "", DEFAULT_BUS):
        return True
    parsed = Arn.parse(str(name))
    return parsed is not None and parsed.resource == f"event-bus/{DEFAULT_BUS}"


def _entry_event(
    entry: Mapping[str, Any], ctx: CallContext
) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """The event an entry makes, or None and its error (PutEventsResultEntry)."""
    for field in ("Source", "DetailType", "Detail"):
        if not entry.get(field):
            return None, {
                "ErrorCode": "InvalidArgument",
                "ErrorMessage": PUT_EVENTS_MISSING.format(field=field),
            }
    try:
        detail = json.loads(str(entry["Detail"]))
    except ValueError:
        detail = None
    if not isinstance(detail, dict):
        return None, {"ErrorCode": "MalformedDetail", "ErrorMessage": PUT_EVENTS_MALFORMED}
    when = entry.get("Time")
    event = {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": str(entry["DetailType"]),
        "source": str(entry["Source"]),
        "account": ctx.account_id,
        "time": _time(
            when if isinstance(when, datetime) else datetime.now(timezone.utc), "seconds"
        ),
        "region": ctx.region,
        "resources": list(entry.get("Resources") or []),
        "detail": detail,
    }
    return event, {}

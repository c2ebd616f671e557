"""Plans: an operation's rows compiled once, and walked for every call.

Compiling fixes what does not depend on the call: which tag condition keys each row fills from the
resource's existing tags. Running a plan resolves each row's resources, builds its context and
returns one :class:`AuthorizationRequest` per (action, resource).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from pytest_modelreg import arn

from .. import iamref
from ..types import AuthorizationRequest, UnmappedOperation
from .call import Call
from .context import ContextBuilder, Ctx
from .resolvers import Resolver
from .rows import Authz, Predicate
from .table import OwnerLookup


@dataclass(frozen=True)
class Row:
    """A compiled :class:`Authz`."""

    action: str
    resolve: Resolver
    context: tuple[ContextBuilder, ...]
    when: Predicate | None
    tag_prefixes: tuple[str, ...]
    """Condition-key prefixes filled from the resource's tags (``aws:ResourceTag/``...)."""
    action_for: Callable[[str], str] | None = None


@dataclass(frozen=True)
class Plan:
    """What an operation authorizes."""

    service: str
    operation: str
    rows: tuple[Row, ...]
    kind: Literal["precise", "generic", "none"]
    """precise = the service table's entry; generic = the generic rule; none = no request."""
    wildcard_fallback: bool = False
    """The generic rule could not find a required resource's name and authorizes ``*``."""
    unmapped: str | None = None
    """Why the operation cannot be mapped; calling it fails closed."""
    notes: tuple[str, ...] = ()
    owners: tuple[tuple[str, OwnerLookup], ...] = ()
    """(ARN service, lookup): who owns the service's resources whose ARN has no account (S3)."""


_TAG_KEY = re.compile(r"^([A-Za-z0-9-]+):ResourceTag/\$\{TagKey\}$")


def _tag_prefixes(action: str) -> tuple[str, ...]:
    """``aws:ResourceTag/`` plus each ``<prefix>:ResourceTag/`` the action's resource types list."""
    ref = iamref.action(action)
    if ref is None:
        return ("aws:ResourceTag/",)
    prefixes = []
    for rt in ref.resource_types:
        for key in rt.condition_keys:
            m = _TAG_KEY.match(key)
            if m and m.group(1) + ":ResourceTag/" not in prefixes:
                prefixes.append(m.group(1) + ":ResourceTag/")
    if prefixes and "aws:ResourceTag/" not in prefixes:
        prefixes.insert(0, "aws:ResourceTag/")
    return tuple(prefixes)


def compile_rows(rows: Iterable[Authz]) -> tuple[Row, ...]:
    out = []
    for a in rows:
        if a.resource_tags is not None:
            prefixes = a.resource_tags
        elif a.action_for is not None:
            prefixes = ("aws:ResourceTag/",)
        else:
            prefixes = _tag_prefixes(a.action)
        out.append(Row(a.action, a.resource, a.context, a.when, prefixes, a.action_for))
    return tuple(out)


def run_plan(plan: Plan, call: Call) -> list[AuthorizationRequest]:
    """The requests of one call; raises UnmappedOperation for an unmapped plan."""
    if plan.unmapped is not None:
        raise UnmappedOperation(plan.service, plan.operation, plan.unmapped)
    owners = _owners_by_head(call.partition, plan.owners) if plan.owners else ()
    requests: list[AuthorizationRequest] = []
    for row in plan.rows:
        if row.when is not None and not row.when(call):
            continue
        resources = row.resolve(call)
        if not resources:
            if row.when is not None:
                continue
            # The main action is always authorized; a name we cannot find means '*'.
            resources = ["*"]
        ctx: Ctx = {}
        for build in row.context:
            build(call, ctx)
        for res in resources:
            rctx = ctx
            if row.tag_prefixes and res != "*":
                tags = call.state.tags_of(res)
                if tags:
                    rctx = dict(ctx)
                    for k, v in tags.items():
                        for p in row.tag_prefixes:
                            rctx[p + k] = v
            action = row.action if row.action_for is None else row.action_for(res)
            owner = None
            for head, lookup in owners:
                if res.startswith(head):
                    owner = lookup(call, res)
                    break
            requests.append(AuthorizationRequest(action, res, rctx, owner))
    return requests


@functools.cache
def _owners_by_head(
    partition: str, owners: tuple[tuple[str, OwnerLookup], ...]
) -> tuple[tuple[str, OwnerLookup], ...]:
    """Each owner lookup keyed by how the ARNs it answers for begin: those of its service that
    name no region and no account (``arn:aws:s3:::``)."""
    return tuple((arn.build(partition, service, "", "", ""), lookup) for service, lookup in owners)


def describe(plan: Plan) -> str:
    """A readable account of what a plan authorizes (for maintainers and error reports)."""
    head = f"{plan.service}.{plan.operation}"
    if plan.unmapped is not None:
        return f"{head}: UNMAPPED ({plan.unmapped}) - calls are denied"
    if not plan.rows:
        return f"{head}: no authorization ({'; '.join(plan.notes)})"
    fallback = ", wildcard fallback" if plan.wildcard_fallback else ""
    lines = [f"{head} [{plan.kind}{fallback}]"]
    for row in plan.rows:
        keys = sorted({k for b in row.context for k in b.keys})
        when = ""
        if row.when is not None:
            when = f" when {row.when.__doc__ or getattr(row.when, '__name__', 'predicate')}"
        ctx = f" with {', '.join(keys)}" if keys else ""
        lines.append(f"  {row.action} on {row.resolve.describe()}{ctx}{when}")
    return "\n".join(lines)

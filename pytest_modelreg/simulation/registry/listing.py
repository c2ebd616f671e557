"""ListModelPackages: one group's versions, or the account's packages, a page at a time from the
registry's package index (index.py), so that a filtered first page does not scan the registry.

The parameters and their defaults are those of ListModelPackages in botocore's SageMaker service
model (``ModelPackageType``: "UNVERSIONED - List only unversioined models. This is the default
value if no ModelPackageType is specified.").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..base import CallContext
from . import _guesses, index, pagination
from .clock import to_ms
from .core import Core, contains, validation
from .groups import resolve_group
from .state import Backend, Package

_SUMMARY = (
    "ModelPackageArn",
    "ModelPackageDescription",
    "CreationTime",
    "ModelPackageStatus",
    "ModelApprovalStatus",
    "ModelLifeCycle",
    "ModelPackageRegistrationType",
)
_SUMMARY_VERSIONED = ("ModelPackageGroupName", "ModelPackageVersion", *_SUMMARY)
_SUMMARY_UNVERSIONED = ("ModelPackageName", *_SUMMARY)


def summary(pkg: Package) -> dict[str, Any]:
    # Versioned summaries carry no ModelPackageName (aws/sagemaker-python-sdk#5606).
    keys = _SUMMARY_VERSIONED if pkg.versioned else _SUMMARY_UNVERSIONED
    d = pkg.doc
    out = {k: d[k] for k in keys if k in d}
    if "ModelLifeCycle" in out:  # the only nested member of a summary
        out["ModelLifeCycle"] = dict(out["ModelLifeCycle"])
    return out


class _Filter:
    """ListModelPackages' filters, and the index buckets and creation bounds they select."""

    def __init__(self, params: Mapping[str, Any]) -> None:
        self.bounds = index.UNBOUNDED
        self.t_after = self.t_before = None
        if "CreationTimeAfter" in params:
            self.t_after = to_ms(params["CreationTimeAfter"])
            self.bounds = index.creation_bounds("GreaterThan", self.t_after)
        if "CreationTimeBefore" in params:
            self.t_before = to_ms(params["CreationTimeBefore"])
            self.bounds = index.narrow(
                self.bounds, index.creation_bounds("LessThan", self.t_before)
            )
        self.approval = params.get("ModelApprovalStatus")
        self.name_contains = params.get("NameContains")
        kind = params.get("ModelPackageType", "Unversioned")  # the model's documented default
        self.versioned = None if kind == "Both" else kind == "Versioned"

    def buckets(self, group: str | None) -> list[index.Bucket]:
        if group is not None:
            return [("group", group) if self.approval is None else ("group", group, self.approval)]
        out: list[index.Bucket] = []
        if self.versioned is not None:
            out.append(("versioned", self.versioned))
        if self.approval is not None:
            out.append(("status", self.approval))
        return out

    def __call__(self, pkg: Package) -> bool:
        if self.versioned is not None and pkg.versioned is not self.versioned:
            return False
        if self.t_after is not None and not pkg.creation_ms > self.t_after:
            return False
        if self.t_before is not None and not pkg.creation_ms < self.t_before:
            return False
        if self.approval is not None and pkg.doc.get("ModelApprovalStatus") != self.approval:
            return False
        return not (
            self.name_contains
            and not contains(pkg.name, self.name_contains, _guesses.NAME_CONTAINS_CASE_INSENSITIVE)
        )


def list_packages(core: Core, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
    after = pagination.decode("ListModelPackages", params.get("NextToken"))
    limit = pagination.max_results(params, _guesses.DEFAULT_PAGE_SIZE)
    descending = params.get("SortOrder", "Ascending") == "Descending"
    accept = _Filter(params)
    group: str | None = None
    if "ModelPackageGroupName" in params:
        b, g, garn = resolve_group(core, params["ModelPackageGroupName"], ctx)
        if g is None or b is None:
            if _guesses.LIST_MISSING_GROUP_RAISES:
                raise validation(f"ModelPackageGroup {garn} does not exist.")
            return {"ModelPackageSummaryList": []}
        # Within one group, every package has the group's name: both sorts are creation order.
        group, accept.versioned = g.name, True
    else:
        b = core.peek(ctx.account_id, ctx.region)
    if b is None:
        page: list[Package] = []
        next_key = None
    elif group is None and params.get("SortBy") == "Name":
        page, next_key = _by_name(b, accept, after, limit, descending)
    else:
        ordering = b.index.ordering("created", b.index.smallest(accept.buckets(group)))
        try:
            found = index.walk_page(
                b.index, ordering, accept.bounds, after, descending, limit, accept
            )
        except TypeError:  # a token of another listing
            raise validation(_guesses.INVALID_TOKEN) from None
        assert found is not None  # no budget: the walk completes
        page, next_key = found
    out: dict[str, Any] = {"ModelPackageSummaryList": [summary(p) for p in page]}
    if next_key is not None:
        out["NextToken"] = pagination.encode("ListModelPackages", next_key)
    return out


def _by_name(
    b: Backend, accept: _Filter, after: tuple[Any, ...] | None, limit: int, descending: bool
) -> tuple[list[Package], tuple[Any, ...] | None]:
    """SortBy=Name across groups: no index keeps names in order, so sort the matches."""
    candidates = b.index.ordering("created", b.index.smallest(accept.buckets(None)))
    rows = sorted(
        ((p.name, p.version or 0, p.seq), p)
        for p in (b.index.by_seq[k[-1]] for k in candidates.walk(*accept.bounds, False))
        if accept(p)
    )
    return pagination.page_sorted(
        [r[0] for r in rows], [r[1] for r in rows], after, limit, descending
    )

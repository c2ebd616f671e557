"""Property: paging through ListModelPackages / ListModelPackageGroups / Search with any page size
and order yields exactly the full, correctly ordered result, whatever creates and deletes came
before (tokens are opaque; version numbers are never reused [INFERRED])."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_modelreg.simulation.registry import ModelRegistry

from ._helpers import FakeTime, make_ctx

# A script: ("create", group index) or ("delete", version position).
steps = st.lists(
    st.one_of(
        st.tuples(st.just("create"), st.integers(0, 2)),
        st.tuples(st.just("delete"), st.integers(0, 30)),
    ),
    max_size=40,
)


def _pages(registry: ModelRegistry, op: str, key: str, **params: Any) -> list[Any]:
    ctx = make_ctx()
    out: list[Any] = []
    token = None
    for _ in range(1000):
        p = dict(params)
        if token:
            p["NextToken"] = token
        r = registry.handle(op, p, ctx)
        out += r[key]
        token = r.get("NextToken")
        if token is None:
            return out
    raise AssertionError("pagination did not terminate")


@settings(max_examples=60, deadline=None)
@given(script=steps, page=st.integers(1, 7), descending=st.booleans())
def test_paging_equals_full_listing(
    script: list[tuple[str, int]], page: int, descending: bool
) -> None:
    registry = ModelRegistry(clock=FakeTime())
    ctx = make_ctx()
    groups = ["A", "b", "C"]
    for g in groups:
        registry.handle("CreateModelPackageGroup", {"ModelPackageGroupName": g}, ctx)
    live: dict[str, list[int]] = {g: [] for g in groups}
    next_version = dict.fromkeys(groups, 1)
    for action, n in script:
        if action == "create":
            g = groups[n]
            registry.handle("CreateModelPackage", {"ModelPackageGroupName": g}, ctx)
            live[g].append(next_version[g])
            next_version[g] += 1  # never reused [INFERRED]
        else:
            flat = [(g, v) for g in groups for v in live[g]]
            if flat:
                g, v = flat[n % len(flat)]
                registry.handle("DeleteModelPackage", {"ModelPackageName": f"{g}/{v}"}, ctx)
                live[g].remove(v)
    order = "Descending" if descending else "Ascending"
    for g in groups:
        got = _pages(
            registry,
            "ListModelPackages",
            "ModelPackageSummaryList",
            ModelPackageGroupName=g,
            MaxResults=page,
            SortOrder=order,
        )
        want = sorted(live[g], reverse=descending)
        assert [s["ModelPackageVersion"] for s in got] == want
    got = _pages(
        registry,
        "ListModelPackages",
        "ModelPackageSummaryList",
        ModelPackageType="Versioned",
        MaxResults=page,
        SortBy="Name",
        SortOrder=order,
    )
    want_pairs = sorted(((g, v) for g in groups for v in live[g]), reverse=descending)
    assert [(s["ModelPackageGroupName"], s["ModelPackageVersion"]) for s in got] == want_pairs
    found = _pages(
        registry,
        "Search",
        "Results",
        Resource="ModelPackage",
        MaxResults=page,
        SortBy="ModelPackageVersion",
        SortOrder=order,
    )
    assert len(found) == sum(len(v) for v in live.values())
    versions = [r["ModelPackage"]["ModelPackageVersion"] for r in found]
    assert versions == sorted(versions, reverse=descending)
    names = _pages(
        registry,
        "ListModelPackageGroups",
        "ModelPackageGroupSummaryList",
        MaxResults=page,
        SortBy="Name",
        SortOrder=order,
    )
    assert [s["ModelPackageGroupName"] for s in names] == sorted(groups, reverse=descending)

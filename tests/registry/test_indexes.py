"""The registry's package indexes (simulation/registry/index.py) stay right: after any script of
creates, approval changes and deletes, and under concurrent creates, every index-answered Search
and ListModelPackages equals the answer computed from the packages themselves, and the index
equals one rebuilt from scratch."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_modelreg.simulation.registry import ModelRegistry
from pytest_modelreg.simulation.registry.index import PackageIndex

from ._helpers import INFERENCE_SPEC, FakeTime, make_ctx

GROUPS = ("A", "b")
STATUSES = ("Approved", "Rejected", "PendingManualApproval")

Action = tuple[str, int, int]  # ("create" | "update" | "delete", which, status index)
actions = st.lists(
    st.tuples(
        st.sampled_from(["create", "create", "update", "delete"]),
        st.integers(0, 40),
        st.integers(0, 2),
    ),
    max_size=45,
)


def _handle(registry: ModelRegistry, op: str, **params: Any) -> dict[str, Any]:
    return registry.handle(op, params, make_ctx())


def _run_script(registry: ModelRegistry, script: list[Action]) -> None:
    for group in GROUPS:
        _handle(registry, "CreateModelPackageGroup", ModelPackageGroupName=group)
    live: list[str] = []
    unversioned = 0
    for action, which, status in script:
        if action == "create" and which % 5 == 4:  # some unversioned packages, some with a status
            unversioned += 1
            extra = {"ModelApprovalStatus": STATUSES[status]} if status else {}
            arn = _handle(
                registry, "CreateModelPackage", ModelPackageName=f"u{unversioned}", **extra
            )["ModelPackageArn"]
            live.append(arn)
        elif action == "create":
            arn = _handle(
                registry,
                "CreateModelPackage",
                ModelPackageGroupName=GROUPS[which % 2],
                ModelApprovalStatus=STATUSES[status],
                InferenceSpecification=INFERENCE_SPEC,
            )["ModelPackageArn"]
            live.append(arn)
        elif live and action == "update":
            arn = live[which % len(live)]
            if "/" in arn.rsplit(":", 1)[-1].split("/", 1)[1]:  # versioned packages only
                _handle(
                    registry,
                    "UpdateModelPackage",
                    ModelPackageArn=arn,
                    ModelApprovalStatus=STATUSES[status],
                )
        elif live and action == "delete":
            arn = live.pop(which % len(live))
            _handle(registry, "DeleteModelPackage", ModelPackageName=arn)


def _packages(registry: ModelRegistry) -> list[dict[str, Any]]:
    """Every package's description, as DescribeModelPackage gives it (the truth to compare with),
    in creation order (which breaks ties of equal times) under the test-only key ``_order``."""
    core = registry._core
    arns = [arn for b in core.backends.values() for arn in b.packages]
    docs = [_handle(registry, "DescribeModelPackage", ModelPackageName=arn) for arn in arns]
    for n, doc in enumerate(docs):
        doc["_order"] = n
    return docs


def _ms(value: datetime) -> int:
    return (value - datetime(1970, 1, 1, tzinfo=timezone.utc)) // _MS


_MS = datetime(1970, 1, 1, 0, 0, 0, 1000, tzinfo=timezone.utc) - datetime(
    1970, 1, 1, tzinfo=timezone.utc
)


def _created(doc: dict[str, Any]) -> tuple[int, int]:
    return _ms(doc["CreationTime"]), doc["_order"]


def _modified(doc: dict[str, Any]) -> tuple[int, int]:
    return _ms(doc.get("LastModifiedTime") or doc["CreationTime"]), doc["_order"]


def _pages(registry: ModelRegistry, op: str, key: str, **params: Any) -> tuple[list[Any], Any]:
    out: list[Any] = []
    token, first = None, None
    for _ in range(500):
        p = dict(params)
        if token:
            p["NextToken"] = token
        r = _handle(registry, op, **p)
        first = first or r
        assert len(r[key]) <= p["MaxResults"]
        out += r[key]
        token = r.get("NextToken")
        if token is None:
            return out, first
    raise AssertionError("pagination did not terminate")


def assert_index_is_rebuilt_index(registry: ModelRegistry) -> None:
    for backend in registry._core.backends.values():
        rebuilt = PackageIndex()
        for pkg in backend.packages.values():
            rebuilt.add(pkg)
        for table in ("created", "modified"):
            # A bucket emptied by an update keeps its (empty) ordering: the same as none.
            got = {b: o.keys for b, o in getattr(backend.index, table).items() if o.keys}
            want = {b: o.keys for b, o in getattr(rebuilt, table).items()}
            assert got == want, table
        assert backend.index.by_seq == rebuilt.by_seq


def _search_filters(
    docs: list[dict[str, Any]], t_mid: int
) -> list[tuple[list[dict[str, Any]], Callable[[dict[str, Any]], bool]]]:
    """(Search filters, the same filters as a predicate on a description)."""
    mid = datetime.fromtimestamp(t_mid / 1000, timezone.utc).isoformat()
    return [
        ([], lambda d: True),
        (
            [{"Name": "ModelApprovalStatus", "Value": "Approved"}],
            lambda d: d.get("ModelApprovalStatus") == "Approved",
        ),
        (
            [{"Name": "ModelPackageGroupName", "Operator": "Equals", "Value": "b"}],
            lambda d: d.get("ModelPackageGroupName") == "b",
        ),
        (
            [{"Name": "CreationTime", "Operator": "GreaterThanOrEqualTo", "Value": mid}],
            lambda d: _ms(d["CreationTime"]) >= t_mid,
        ),
        (
            [{"Name": "CreationTime", "Operator": "LessThan", "Value": mid}],
            lambda d: _ms(d["CreationTime"]) < t_mid,
        ),
        (  # two buckets (the smaller is walked) and a range: nothing covers it alone
            [
                {"Name": "ModelApprovalStatus", "Value": "Rejected"},
                {"Name": "ModelPackageGroupName", "Value": "A"},
                {"Name": "CreationTime", "Operator": "LessThanOrEqualTo", "Value": mid},
            ],
            lambda d: (
                d.get("ModelApprovalStatus") == "Rejected"
                and d.get("ModelPackageGroupName") == "A"
                and _ms(d["CreationTime"]) <= t_mid
            ),
        ),
    ]


def assert_answers_match_the_packages(registry: ModelRegistry, page: int) -> None:
    docs = _packages(registry)
    times = sorted(_ms(d["CreationTime"]) for d in docs)
    t_mid = times[len(times) // 2] if times else 0
    for filters, matches in _search_filters(docs, t_mid):
        expected_docs = [d for d in docs if matches(d)]
        for sort_by, key in (("CreationTime", _created), (None, _modified)):
            for order in ("Ascending", "Descending"):
                params: dict[str, Any] = {
                    "Resource": "ModelPackage",
                    "MaxResults": page,
                    "SortOrder": order,
                }
                if sort_by:
                    params["SortBy"] = sort_by
                if filters:
                    params["SearchExpression"] = {"Filters": filters}
                got, first = _pages(registry, "Search", "Results", **params)
                want = sorted(expected_docs, key=key, reverse=order == "Descending")
                assert [r["ModelPackage"]["ModelPackageArn"] for r in got] == [
                    d["ModelPackageArn"] for d in want
                ], (filters, sort_by, order)
                assert first["TotalHits"] == {"Value": len(want), "Relation": "EqualTo"}
    groups = [name for b in registry._core.backends.values() for name in b.groups]
    for group in groups:
        for status in STATUSES:
            for order in ("Ascending", "Descending"):
                got, _ = _pages(
                    registry,
                    "ListModelPackages",
                    "ModelPackageSummaryList",
                    ModelPackageGroupName=group,
                    ModelApprovalStatus=status,
                    SortOrder=order,
                    MaxResults=page,
                )
                want = [
                    d
                    for d in docs
                    if d.get("ModelPackageGroupName") == group
                    and d["ModelApprovalStatus"] == status
                ]
                want.sort(key=lambda d: d["ModelPackageVersion"], reverse=order == "Descending")
                assert [s["ModelPackageArn"] for s in got] == [d["ModelPackageArn"] for d in want]
    for kind, versioned in (("Versioned", True), ("Unversioned", False), ("Both", None)):
        for status in (None, "Approved"):
            extra = {} if status is None else {"ModelApprovalStatus": status}
            got, _ = _pages(
                registry,
                "ListModelPackages",
                "ModelPackageSummaryList",
                ModelPackageType=kind,
                MaxResults=page,
                SortOrder="Descending",
                CreationTimeAfter=datetime.fromtimestamp(t_mid / 1000 - 0.001, timezone.utc),
                **extra,
            )
            want = [
                d
                for d in docs
                if (versioned is None or ("ModelPackageVersion" in d) is versioned)
                and (status is None or d.get("ModelApprovalStatus") == status)
                and _ms(d["CreationTime"]) >= t_mid
            ]
            want.sort(key=_created, reverse=True)
            assert [s["ModelPackageArn"] for s in got] == [d["ModelPackageArn"] for d in want]


@settings(max_examples=40, deadline=None)
@given(script=actions, page=st.integers(1, 4))
def test_indexed_answers_equal_the_packages_after_any_script(
    script: list[Action], page: int
) -> None:
    registry = ModelRegistry(clock=FakeTime())
    _run_script(registry, script)
    assert_index_is_rebuilt_index(registry)
    assert_answers_match_the_packages(registry, page)


def test_an_approval_change_moves_the_package_between_status_buckets() -> None:
    registry = ModelRegistry(clock=FakeTime())
    _handle(registry, "CreateModelPackageGroup", ModelPackageGroupName="g")
    arns = [
        _handle(
            registry,
            "CreateModelPackage",
            ModelPackageGroupName="g",
            ModelApprovalStatus="Rejected" if i == 0 else "PendingManualApproval",
        )["ModelPackageArn"]
        for i in range(30)
    ]

    def latest(status: str) -> list[str]:
        r = _handle(
            registry,
            "ListModelPackages",
            ModelPackageGroupName="g",
            ModelApprovalStatus=status,
            SortOrder="Descending",
            MaxResults=1,
        )
        return [s["ModelPackageArn"] for s in r["ModelPackageSummaryList"]]

    assert latest("Rejected") == [arns[0]]
    assert latest("Approved") == []
    _handle(registry, "UpdateModelPackage", ModelPackageArn=arns[5], ModelApprovalStatus="Approved")
    _handle(registry, "UpdateModelPackage", ModelPackageArn=arns[0], ModelApprovalStatus="Approved")
    assert latest("Approved") == [arns[5]]
    assert latest("Rejected") == []
    # The default Search order follows LastModifiedTime: the latest change first.
    r = _handle(
        registry,
        "Search",
        Resource="ModelPackage",
        SearchExpression={"Filters": [{"Name": "ModelApprovalStatus", "Value": "Approved"}]},
    )
    assert [x["ModelPackage"]["ModelPackageArn"] for x in r["Results"]] == [arns[0], arns[5]]
    _handle(registry, "DeleteModelPackage", ModelPackageName=arns[5])
    assert latest("Approved") == [arns[0]]
    assert_index_is_rebuilt_index(registry)


def test_old_creation_range_under_the_default_sort_takes_updated_packages_first() -> None:
    # The walk over LastModifiedTime gives up (its budget is what sorting the range costs) and
    # the packages created in range are sorted instead: both paths must give the same page.
    registry = ModelRegistry(clock=FakeTime())
    _handle(registry, "CreateModelPackageGroup", ModelPackageGroupName="g")
    arns = [
        _handle(registry, "CreateModelPackage", ModelPackageGroupName="g")["ModelPackageArn"]
        for _ in range(60)
    ]
    for i in (3, 1):  # version 4 changes, then version 2: version 2 is the latest change
        _handle(
            registry, "UpdateModelPackage", ModelPackageArn=arns[i], ModelApprovalStatus="Approved"
        )
    cutoff = _handle(registry, "DescribeModelPackage", ModelPackageName=arns[6])["CreationTime"]
    r = _handle(
        registry,
        "Search",
        Resource="ModelPackage",
        MaxResults=4,
        SearchExpression={
            "Filters": [
                {"Name": "CreationTime", "Operator": "LessThan", "Value": cutoff.isoformat()}
            ]
        },
    )
    got = [x["ModelPackage"]["ModelPackageArn"] for x in r["Results"]]
    assert got == [arns[1], arns[3], arns[5], arns[4]]
    assert r["TotalHits"] == {"Value": 6, "Relation": "EqualTo"}
    rest = _handle(
        registry,
        "Search",
        Resource="ModelPackage",
        MaxResults=4,
        NextToken=r["NextToken"],
        SearchExpression={
            "Filters": [
                {"Name": "CreationTime", "Operator": "LessThan", "Value": cutoff.isoformat()}
            ]
        },
    )
    assert [x["ModelPackage"]["ModelPackageArn"] for x in rest["Results"]] == [arns[2], arns[0]]
    assert "NextToken" not in rest


def test_a_package_matches_an_equals_filter_on_its_own_creation_time() -> None:
    # CreationTime is kept in milliseconds; reading it back from the datetime must give the same
    # number (float arithmetic used to give 1 ms less for some values).
    registry = ModelRegistry(clock=lambda: 1_800_000_000.293)
    _handle(registry, "CreateModelPackageGroup", ModelPackageGroupName="g")
    arn = _handle(registry, "CreateModelPackage", ModelPackageGroupName="g")["ModelPackageArn"]
    created = _handle(registry, "DescribeModelPackage", ModelPackageName=arn)["CreationTime"]
    r = _handle(
        registry,
        "Search",
        Resource="ModelPackage",
        SearchExpression={
            "Filters": [
                {"Name": "CreationTime", "Operator": "Equals", "Value": created.isoformat()}
            ]
        },
    )
    assert [x["ModelPackage"]["ModelPackageArn"] for x in r["Results"]] == [arn]


def test_packages_created_in_one_millisecond_keep_creation_order() -> None:
    registry = ModelRegistry(clock=lambda: 1_800_000_000.0)  # every package in the same ms
    _handle(registry, "CreateModelPackageGroup", ModelPackageGroupName="g")
    arns = [
        _handle(registry, "CreateModelPackage", ModelPackageGroupName="g")["ModelPackageArn"]
        for _ in range(12)
    ]
    listed, _ = _pages(
        registry,
        "ListModelPackages",
        "ModelPackageSummaryList",
        ModelPackageType="Versioned",
        MaxResults=5,
    )
    assert [s["ModelPackageArn"] for s in listed] == arns  # version 10 after version 9
    found, _ = _pages(
        registry,
        "Search",
        "Results",
        Resource="ModelPackage",
        SortBy="CreationTime",
        SortOrder="Ascending",
        MaxResults=5,
    )
    assert [x["ModelPackage"]["ModelPackageArn"] for x in found] == arns


def test_a_token_of_another_listing_is_refused() -> None:
    registry = ModelRegistry(clock=FakeTime())
    _handle(registry, "CreateModelPackageGroup", ModelPackageGroupName="g")
    for _ in range(3):
        _handle(registry, "CreateModelPackage", ModelPackageGroupName="g")
    by_name = _handle(
        registry, "ListModelPackages", ModelPackageType="Versioned", SortBy="Name", MaxResults=1
    )["NextToken"]
    from pytest_modelreg.simulation.base import ServiceError

    with pytest.raises(ServiceError) as refused:
        _handle(registry, "ListModelPackages", ModelPackageGroupName="g", NextToken=by_name)
    assert refused.value.code == "ValidationException"


@pytest.fixture
def contention() -> Any:
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads every few bytecodes: races show up
    yield
    sys.setswitchinterval(old)


def test_concurrent_creates_and_approvals_leave_the_index_right(contention: None) -> None:
    registry = ModelRegistry()
    _handle(registry, "CreateModelPackageGroup", ModelPackageGroupName="g")
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def worker(n: int) -> None:
        try:
            barrier.wait()
            for i in range(30):
                arn = _handle(
                    registry,
                    "CreateModelPackage",
                    ModelPackageGroupName="g",
                    ModelApprovalStatus=STATUSES[(n + i) % 3],
                )["ModelPackageArn"]
                if i % 4 == 0:
                    _handle(
                        registry,
                        "UpdateModelPackage",
                        ModelPackageArn=arn,
                        ModelApprovalStatus="Approved",
                    )
                if i % 7 == 0:
                    _handle(registry, "DeleteModelPackage", ModelPackageName=arn)
        except BaseException as exc:  # reported below, with the thread's traceback
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert_index_is_rebuilt_index(registry)
    assert_answers_match_the_packages(registry, page=7)
    listed, _ = _pages(
        registry,
        "ListModelPackages",
        "ModelPackageSummaryList",
        ModelPackageGroupName="g",
        MaxResults=100,
    )
    versions = [s["ModelPackageVersion"] for s in listed]
    assert versions == sorted(versions) and len(versions) == 6 * 30 - 6 * 5

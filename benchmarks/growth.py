"""Growth: per-call cost as the registry grows from 100 to 10,000 model packages (100,000 on
request), for modelreg and for moto holding the same packages, measured interleaved in one process.

    python benchmarks/growth.py [--sizes 100,1000,10000] [--rounds 8] [--calls 10] [--moto-up-to 1000]
    python benchmarks/growth.py --sizes 100,1000,10000,100000 --moto-up-to 0 --rounds 3

The registry layout at every size: a group ``small`` with 10 versions, created first, and a group
``growth`` with the rest. Version 1 of ``growth`` is Rejected, the later ones alternate Approved and
PendingManualApproval, so "the latest Rejected version" is the oldest version of the group. Queries
ask for a first page (10 results; 1 for the "latest" lists). The last column is the modelreg figure
divided by its figure at the first size: what the query costs more as the registry grows.

Both mocks stay up for the whole run, each with its own packages; a round measures one engine, then
the other (modelreg is switched off between its batches, so moto serves the same client's calls).
Packages are created through boto3 in both, by the principal under test in modelreg (authorized, as
a user's calls are). A moto cell reads "n/a" where moto cannot answer the query, and is left empty
above ``--moto-up-to`` packages (moto's Search costs seconds per call at 10,000).
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import CLOCK_NAME, INFERENCE_SPEC, Results, interleave, per_call, session, table, us
from botocore.exceptions import ClientError
from moto import mock_aws

from pytest_modelreg import ModelRegistryHandle, interception, mock_modelreg

GROUP, SMALL, SMALL_SIZE = "growth", "small", 10
SM = session().client("sagemaker")
_toggle = itertools.cycle(["Approved", "PendingManualApproval"])  # never Rejected: see layout


class Engine:
    """One side of the comparison: what it holds, and a way to make it serve calls."""

    def __init__(self, name: str, reg: ModelRegistryHandle) -> None:
        self.name, self.reg = name, reg
        self.count, self.latest = 0, ""
        self.small_end = datetime.now()
        self.middle = datetime.now()

    @contextmanager
    def serving(self) -> Iterator[None]:
        # Without modelreg's handlers on the client, moto's own stubber serves it.
        events = SM.meta.events
        if self.name == "moto":
            for event, _handler in interception._HANDLERS:
                events.unregister(event, unique_id=f"pytest_modelreg.{event}")
        try:
            yield
        finally:
            if self.name == "moto":
                for event, handler in interception._HANDLERS:
                    events.register(event, handler, unique_id=f"pytest_modelreg.{event}")

    def setup(self) -> None:
        with self.serving():
            SM.create_model_package_group(ModelPackageGroupName=SMALL)
            SM.create_model_package_group(ModelPackageGroupName=GROUP)
            for _ in range(SMALL_SIZE):
                self._create(SMALL, "PendingManualApproval")
            created = SM.describe_model_package(ModelPackageName=self.latest)["CreationTime"]
            self.small_end = created + timedelta(milliseconds=1)

    def _create(self, group: str, status: str) -> None:
        arn = SM.create_model_package(
            ModelPackageGroupName=group,
            InferenceSpecification=INFERENCE_SPEC,
            ModelApprovalStatus=status,
        )["ModelPackageArn"]
        self.latest = str(arn)
        self.count += 1

    def grow_to(self, size: int) -> None:
        with self.serving():
            while self.count < size:
                version = self.count - SMALL_SIZE + 1
                status = (
                    "Rejected"
                    if version == 1
                    else ("Approved" if version % 2 == 0 else "PendingManualApproval")
                )
                self._create(GROUP, status)
            middle = f"{self.latest.rsplit('/', 1)[0]}/{(size - SMALL_SIZE) // 2 or 1}"
            self.middle = SM.describe_model_package(ModelPackageName=middle)["CreationTime"]


def _search(*filters: dict[str, Any]) -> Callable[[Engine], object]:
    return lambda e: SM.search(
        Resource="ModelPackage", SearchExpression={"Filters": list(filters)}, MaxResults=10
    )


OPS: dict[str, Callable[[Engine], object]] = {
    "Search: Approved": _search(
        {"Name": "ModelApprovalStatus", "Operator": "Equals", "Value": "Approved"}
    ),
    "Search: group 'small' (10 oldest)": _search(
        {"Name": "ModelPackageGroupName", "Operator": "Equals", "Value": SMALL}
    ),
    "Search: created after the middle": lambda e: SM.search(
        Resource="ModelPackage",
        SearchExpression={
            "Filters": [
                {"Name": "CreationTime", "Operator": "GreaterThan", "Value": e.middle.isoformat()}
            ]
        },
        MaxResults=10,
    ),
    "Search: created before 'growth' (10 oldest)": lambda e: SM.search(
        Resource="ModelPackage",
        SearchExpression={
            "Filters": [
                {"Name": "CreationTime", "Operator": "LessThan", "Value": e.small_end.isoformat()}
            ]
        },
        MaxResults=10,
    ),
    "List: latest Rejected (the oldest)": lambda e: SM.list_model_packages(
        ModelPackageGroupName=GROUP,
        ModelApprovalStatus="Rejected",
        SortOrder="Descending",
        MaxResults=1,
    ),
    "List: latest Approved": lambda e: SM.list_model_packages(
        ModelPackageGroupName=GROUP,
        ModelApprovalStatus="Approved",
        SortOrder="Descending",
        MaxResults=1,
    ),
    "List: 10 newest": lambda e: SM.list_model_packages(
        ModelPackageGroupName=GROUP, MaxResults=10, SortOrder="Descending"
    ),
    "CreateModelPackage": lambda e: SM.create_model_package(
        ModelPackageGroupName=GROUP, InferenceSpecification=INFERENCE_SPEC
    ),
    "DescribeModelPackage (latest)": lambda e: SM.describe_model_package(ModelPackageName=e.latest),
    "UpdateModelPackage (latest)": lambda e: SM.update_model_package(
        ModelPackageArn=e.latest, ModelApprovalStatus=next(_toggle)
    ),
}


def _timed(op: Callable[[], object], calls: int) -> float | None:
    try:
        op()  # a query the engine cannot answer is reported, not timed
    except ClientError:
        return None
    return per_call(op, calls)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--calls", type=int, default=10, help="calls per operation per round")
    parser.add_argument(
        "--moto-up-to",
        type=int,
        default=1000,
        help="measure moto at sizes up to this one only (0: never); its Search is O(n) per result",
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    rows: list[list[str]] = []
    first: dict[str, float] = {}
    with mock_aws(), mock_modelreg() as reg:
        engines = {name: Engine(name, reg) for name in ("moto", "modelreg")}
        if args.moto_up_to <= 0:
            del engines["moto"]
        for engine in engines.values():
            engine.setup()
        for size in sizes:
            if size > args.moto_up_to:
                engines.pop("moto", None)
            for engine in engines.values():
                engine.grow_to(size)

            def contender(engine: Engine) -> Callable[[], Any]:
                @contextmanager
                def run() -> Iterator[Callable[[Results], None]]:
                    def batch(out: Results) -> None:
                        with engine.serving():
                            for row, op in OPS.items():
                                seconds = _timed(partial(op, engine), args.calls)
                                if seconds is not None:
                                    out.add(row, engine.name, seconds)

                    yield batch

                return run

            results = interleave({n: contender(e) for n, e in engines.items()}, args.rounds)
            for row in OPS:
                ours = results.median(row, "modelreg")
                first.setdefault(row, ours)
                moto = (
                    us(results.median(row, "moto"))
                    if results.has(row, "moto")
                    else ("n/a" if "moto" in engines else "")
                )
                rows.append([f"{size:>7,}", row, moto, us(ours), f"{ours / first[row]:5.2f}x"])
    print(
        f"Growth with the registry's size, {CLOCK_NAME} time, median of {args.rounds} interleaved "
        f"rounds x {args.calls} calls\n"
    )
    header = ["packages", "operation", "moto", "modelreg", f"vs {sizes[0]:,}"]
    print(table(header, rows, left=2))


if __name__ == "__main__":
    main()

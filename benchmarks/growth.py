"""Growth: per-call cost with 100 / 1,000 / 10,000 versions in one model package group, against
moto holding the same group, measured interleaved in one process.

    python benchmarks/growth.py [--sizes 100,1000,10000] [--rounds 8] [--calls 10]

Both mocks stay up for the whole run, each with its own group; a round measures one engine, then
the other (modelreg's handlers are taken off the client for moto's batches, so moto serves the same
client's calls).
Versions are created through boto3 in both, by the principal under test in modelreg. Each size is
the count at the start of its measurement; CreateModelPackage adds up to rounds x calls more.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import CLOCK_NAME, INFERENCE_SPEC, Results, interleave, per_call, session, table, us
from moto import mock_aws

from pytest_modelreg import ModelRegistryHandle, interception, mock_modelreg

GROUP = "growth"
SM = session().client("sagemaker")
_status = itertools.cycle(["Approved", "Rejected"])


def _all_pages(sm: Any) -> int:
    count, token = 0, None
    while True:
        kwargs: dict[str, Any] = {"ModelPackageGroupName": GROUP, "MaxResults": 100}
        if token:
            kwargs["NextToken"] = token
        page = sm.list_model_packages(**kwargs)
        count += len(page["ModelPackageSummaryList"])
        token = page.get("NextToken")
        if not token:
            return count


class Engine:
    """One side of the comparison: its latest version ARN and a way to make it serve calls."""

    def __init__(self, name: str, reg: ModelRegistryHandle) -> None:
        self.name, self.reg, self.latest, self.count = name, reg, "", 0

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

    def grow_to(self, size: int) -> None:
        with self.serving():
            while self.count < size:
                arn = SM.create_model_package(
                    ModelPackageGroupName=GROUP, InferenceSpecification=INFERENCE_SPEC
                )
                self.latest = str(arn["ModelPackageArn"])
                self.count = int(self.latest.rsplit("/", 1)[1])


OPS: dict[str, Callable[[Engine], object]] = {
    "CreateModelPackage": lambda e: SM.create_model_package(
        ModelPackageGroupName=GROUP, InferenceSpecification=INFERENCE_SPEC
    ),
    "DescribeModelPackage (latest)": lambda e: SM.describe_model_package(ModelPackageName=e.latest),
    "UpdateModelPackage (approve latest)": lambda e: SM.update_model_package(
        ModelPackageArn=e.latest, ModelApprovalStatus=next(_status)
    ),
    "ListModelPackages (10 newest)": lambda e: SM.list_model_packages(
        ModelPackageGroupName=GROUP, MaxResults=10, SortOrder="Descending"
    ),
    "DescribeModelPackageGroup": lambda e: SM.describe_model_package_group(
        ModelPackageGroupName=GROUP
    ),
}
FULL_LISTING = "ListModelPackages, every page of 100"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--calls", type=int, default=10, help="calls per operation per round")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    table_rows: list[list[str]] = []
    with mock_aws(), mock_modelreg() as reg:
        engines = {"moto": Engine("moto", reg), "modelreg": Engine("modelreg", reg)}
        for engine in engines.values():
            with engine.serving():
                SM.create_model_package_group(ModelPackageGroupName=GROUP)
        for size in sizes:
            for engine in engines.values():
                engine.grow_to(size)

            def contender(engine: Engine) -> Callable[[], Any]:
                @contextmanager
                def run() -> Iterator[Callable[[Results], None]]:
                    def batch(out: Results) -> None:
                        with engine.serving():
                            for row, op in OPS.items():
                                out.add(row, engine.name, per_call(partial(op, engine), args.calls))
                            out.add(FULL_LISTING, engine.name, per_call(lambda: _all_pages(SM), 1))

                    yield batch

                return run

            results = interleave({name: contender(e) for name, e in engines.items()}, args.rounds)
            for row in [*OPS, FULL_LISTING]:
                moto, ours = results.median(row, "moto"), results.median(row, "modelreg")
                table_rows.append([f"{size:>6,}", row, us(moto), us(ours), f"{ours / moto:6.3f}x"])
    print(
        f"Growth with versions in one group, {CLOCK_NAME} time, median of {args.rounds} interleaved rounds x {args.calls} calls\n"
    )
    print(table(["versions", "operation", "moto", "modelreg", "modelreg/moto"], table_rows, left=2))


if __name__ == "__main__":
    main()

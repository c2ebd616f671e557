"""Benchmark (not a test): microseconds to map one call to its IAM requests.

Run: ``python benchmarks/mapping.py [--repeat 5] [--calls 20]``. It walks what the coverage test
(tests/authorization/test_coverage.py) walks: every operation of every served service, with its
required parameters and with all its top-level parameters. Plans are built first, as the
interception layer builds them on first use, so the figure is the per-call cost: walking the
plan's rows. For each call the best of ``--repeat`` batches of ``--calls`` mappings is kept (noise
only adds time), in CPU time unless ``BENCH_CLOCK=wall``. The report gives the median and the 90th
percentile per service and overall.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))

from _harness import CLOCK_NAME, clock

from pytest_modelreg.authorization import UnmappedOperation, authorization_requests
from tests.authorization.test_coverage import (
    ACCOUNT,
    REGION,
    FakeState,
    _input_shape,
    _operations,
    make_params,
)


def calls() -> list[tuple[str, str, dict[str, Any]]]:
    """(service, operation, params) of every mappable call of the coverage test, plans built."""
    found = []
    for service, operation in _operations():
        shape = _input_shape(service, operation)
        for full in (False, True):
            params = make_params(shape, service, full=full) if shape is not None else {}
            try:
                authorization_requests(
                    service, operation, params, account_id=ACCOUNT, region=REGION, state=FakeState()
                )
            except UnmappedOperation:
                continue
            found.append((service, operation, params))
    return found


def per_call_us(service: str, operation: str, params: dict[str, Any], repeat: int, n: int) -> float:
    state = FakeState()
    best = float("inf")
    for _ in range(repeat):
        start = clock()
        for _ in range(n):
            authorization_requests(
                service, operation, params, account_id=ACCOUNT, region=REGION, state=state
            )
        best = min(best, (clock() - start) / n)
    return best * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--calls", type=int, default=20)
    args = parser.parse_args()
    times: dict[str, list[float]] = {}
    for service, operation, params in calls():
        us = per_call_us(service, operation, params, args.repeat, args.calls)
        times.setdefault(service, []).append(us)
    print(f"{CLOCK_NAME} time per mapping")
    print(f"{'service':<26}{'calls':>11}{'median µs':>11}{'p90 µs':>9}")
    everything: list[float] = []
    for service, values in times.items():
        everything += values
        values.sort()
        p90 = values[int(len(values) * 0.9)]
        print(f"{service:<26}{len(values):>11}{statistics.median(values):>11.1f}{p90:>9.1f}")
    everything.sort()
    p90 = everything[int(len(everything) * 0.9)]
    print(f"{'all':<26}{len(everything):>11}{statistics.median(everything):>11.1f}{p90:>9.1f}")


if __name__ == "__main__":
    main()

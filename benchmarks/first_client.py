"""The first ``boto3.client("sagemaker")`` of a test, after the first test, against botocore's own
cost of a client in a warm session and against moto, measured interleaved in one process.

    python benchmarks/first_client.py [--rounds 15] [--repeat 5] [--profile]

Rows:
  botocore, warm session  ``session.client("sagemaker")`` on a boto3 Session that made one before
                          (models loaded, no mock): what a client costs botocore itself
  moto                    the first ``boto3.client`` inside ``mock_aws()`` (it resets the default
                          session too)
  modelreg                the first ``boto3.client`` inside ``mock_modelreg()`` (the 2nd..Nth
                          activation: the default session is new, the shared models are loaded)

Only the client creation is timed, not the activation. --profile prints cProfile's top entries
for the modelreg row.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import boto3
from _harness import CLOCK_NAME, REGION, Results, clock, interleave, ms, session, table
from moto import mock_aws

from pytest_modelreg import mock_modelreg

WARM = session()


def _warm_client() -> None:
    WARM.client("sagemaker")


def _first_client() -> None:
    boto3.client("sagemaker", region_name=REGION)


# row -> (the context each sample runs in, the timed call)
ROWS: dict[str, tuple[Callable[[], AbstractContextManager[Any]], Callable[[], None]]] = {
    "botocore, warm session": (nullcontext, _warm_client),
    "moto": (mock_aws, _first_client),
    "modelreg": (mock_modelreg, _first_client),
}


def engines(repeat: int) -> dict[str, Callable[[], AbstractContextManager[Any]]]:
    def engine(row: str) -> Callable[[], AbstractContextManager[Any]]:
        enter, call = ROWS[row]

        @contextmanager
        def run() -> Iterator[Callable[[Results], None]]:
            def batch(results: Results) -> None:
                samples = []
                for _ in range(repeat):
                    with enter():
                        start = clock()
                        call()
                        samples.append(clock() - start)
                results.add(row, "time", min(samples))

            yield batch

        return run

    return {row: engine(row) for row in ROWS}


def profile(calls: int) -> None:
    profiler = cProfile.Profile()
    for _ in range(calls):
        with mock_modelreg():
            profiler.enable()
            _first_client()
            profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--repeat", type=int, default=5, help="samples per row per round (min)")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    _warm_client()
    for enter, call in ROWS.values():  # first use: imports, model loads, the shared loader
        with enter():
            call()
    results = interleave(engines(args.repeat), args.rounds)
    warm = results.median("botocore, warm session", "time")
    print(
        f"First boto3.client('sagemaker') in a test, {CLOCK_NAME} time, median of {args.rounds} "
        f"interleaved rounds (min of {args.repeat} each)\n"
    )
    rows = [
        [row, ms(results.median(row, "time")), f"{results.median(row, 'time') / warm:5.2f}x"]
        for row in ROWS
    ]
    print(table(["client", "time", "/ botocore warm"], rows))
    print("\ntarget: modelreg under 5 ms")
    if args.profile:
        profile(20)


if __name__ == "__main__":
    main()

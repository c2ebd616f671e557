"""Per-test cost: activation plus teardown of a test that touches only the Model Registry, against
``moto.mock_aws()`` for the same test, measured interleaved in one process; and what importing the
plugin costs a run that never uses it.

    python benchmarks/activation.py [--rounds 15]

Rows:
  empty test          enter and leave the mock, no call
  registry-only test  one CreateModelPackageGroup + one DescribeModelPackageGroup on a client
                      created before the test (the clients a suite-scoped fixture hands out)
  S3-only test        one ListBuckets: modelreg starts moto underneath for it
  ... + boto3.client  the registry-only test, with ``boto3.client("sagemaker")`` created inside the
                      test; both mocks reset boto3's default session
  first boto3.client  ``boto3.client("sagemaker")`` alone, the first in a test (not the first test)

Import: ``import pytest_modelreg.plugin`` in a fresh interpreter that has imported pytest (what the
``pytest11`` entry point costs every run), bytecode cached, best and median of --imports runs.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import boto3
from _harness import CLOCK_NAME, Results, clock, interleave, ms, session, table
from moto import mock_aws

from pytest_modelreg import mock_modelreg

SM = session().client("sagemaker")
S3 = session().client("s3")
_names = itertools.count()


def _registry_test(client: Any) -> None:
    name = f"g-{next(_names)}"
    client.create_model_package_group(ModelPackageGroupName=name)
    client.describe_model_package_group(ModelPackageGroupName=name)


def _first_client() -> None:
    boto3.client("sagemaker", region_name="us-east-1")


TESTS: dict[str, Callable[[], None]] = {
    "empty test": lambda: None,
    "registry-only test": lambda: _registry_test(SM),
    "S3-only test (moto underneath)": lambda: S3.list_buckets(),
    "registry-only test + boto3.client": lambda: _registry_test(
        boto3.client("sagemaker", region_name="us-east-1")
    ),
}
# Timed alone, inside an activation that is already open.
CLIENT_ONLY = "first boto3.client in a test"
MOCKS: dict[str, Callable[[], AbstractContextManager[Any]]] = {
    "moto": lambda: mock_aws(),
    "modelreg": lambda: mock_modelreg(),
}


def engines(repeat: int) -> dict[str, Callable[[], Any]]:
    def engine(name: str) -> Callable[[], Any]:
        @contextmanager
        def run() -> Iterator[Callable[[Results], None]]:
            def batch(results: Results) -> None:
                for row, test in TESTS.items():
                    samples = []
                    for _ in range(repeat):
                        start = clock()
                        with MOCKS[name]():
                            test()
                        samples.append(clock() - start)
                    results.add(row, name, min(samples))
                samples = []
                for _ in range(repeat):
                    with MOCKS[name]():
                        start = clock()
                        _first_client()
                        samples.append(clock() - start)
                results.add(CLIENT_ONLY, name, min(samples))

            yield batch

        return run

    return {name: engine(name) for name in MOCKS}


def import_cost(runs: int) -> tuple[float, float]:
    """Best and median seconds of importing the plugin after pytest, in fresh interpreters."""
    env = {**os.environ, "PYTHONPYCACHEPREFIX": tempfile.mkdtemp()}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # users' installs have bytecode
    probe = "import pytest, time; t = time.perf_counter(); import pytest_modelreg.plugin; print(time.perf_counter() - t)"
    subprocess.run([sys.executable, "-c", probe], env=env, check=True, capture_output=True)
    samples = [
        float(
            subprocess.run(
                [sys.executable, "-c", probe], env=env, check=True, capture_output=True, text=True
            ).stdout
        )
        for _ in range(runs)
    ]
    return min(samples), statistics.median(samples)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3, help="tests per row per round (min taken)")
    parser.add_argument("--imports", type=int, default=15, help="fresh interpreters timed")
    args = parser.parse_args(argv)
    best, median = import_cost(args.imports)
    print(
        f"import pytest_modelreg.plugin (after pytest), wall-clock: best {ms(best)}, "
        f"median {ms(median)} of {args.imports}\n"
    )
    with mock_modelreg(), mock_aws():  # first-use imports and caches are not per-test costs
        _registry_test(SM)
    results = interleave(engines(args.repeat), args.rounds)
    print(
        f"Per-test activation + teardown (+ the test body), {CLOCK_NAME} time, median of {args.rounds} interleaved rounds\n"
    )
    rows = []
    for row in [*TESTS, CLIENT_ONLY]:
        moto, ours = results.median(row, "moto"), results.median(row, "modelreg")
        rows.append([row, ms(moto), ms(ours), f"{ours / moto:6.3f}x"])
    print(table(["test", "moto", "modelreg", "modelreg/moto"], rows))
    print(
        "\ntargets: registry-only test under 20 ms; first boto3.client in a test under 5 ms; "
        "plugin import under 30 ms"
    )


if __name__ == "__main__":
    main()

"""Per-call cost: Model Registry operations and a moto-served S3 HeadObject, against plain moto and
the botocore floor (a client cut short in ``before-call``), measured interleaved in one process.

    python benchmarks/calls.py [--rounds 15] [--calls 40] [--stages]

The floor is botocore alone: parameter build, validation, serialization, endpoint resolution,
then ``before-call`` answers (nothing signed, parsed or sent). Each engine's samples alternate
with floor samples taken right next to them, in slices of a quarter of ``--calls``; a ratio is the
median of those per-sample ratios, so that a shared machine's changes of speed between rounds
cancel out of it (the absolute figures still move with them). Engines:
  moto          ``moto.mock_aws()``
  modelreg      ``mock_modelreg()`` (default policy, enforce="strict"): authorized, then served
  modelreg-off  ``mock_modelreg(enforce="off")``: served, not authorized

--stages adds, for modelreg, where each registry call's time beyond the floor goes: mapping
(authorization_requests), evaluation (the IAM engine, per request), simulation (serving), response
(the HTTP response and request id the interception layer makes), pipeline (the rest of
Pipeline.run: identity, context, record) and interception (the rest: the handlers, parameter
capture, botocore's event dispatch to them). Each stage is timed by a wrapper, which costs ~1 µs
per stage and call, charged to the stage.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import (
    CLOCK_NAME,
    INFERENCE_SPEC,
    Results,
    clock,
    interleave,
    per_call,
    session,
    short_circuit,
    table,
    us,
)
from moto import mock_aws

from pytest_modelreg import interception, mock_modelreg, pipeline
from pytest_modelreg.containment import _ARMED
from pytest_modelreg.simulation import Simulation

GROUP = "bench-group"
BUCKET = "sagemaker-bench-artifacts"  # the default policy allows s3:GetObject on sagemaker* buckets
KEY = "model.tar.gz"

SESSION = session()
SM = SESSION.client("sagemaker")
S3 = SESSION.client("s3")
FLOOR_SM = SESSION.client("sagemaker")
FLOOR_S3 = SESSION.client("s3")
FLOOR_PACKAGE = f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{GROUP}/1"
short_circuit(FLOOR_SM, {"CreateModelPackage": {"ModelPackageArn": FLOOR_PACKAGE}})
short_circuit(FLOOR_S3, {})
for _floor in (FLOOR_SM, FLOOR_S3):
    # The floor is botocore alone: marked as armed, the plugin puts no handler on it.
    setattr(_floor, _ARMED, True)

_names = itertools.count()
_status = itertools.cycle(["Approved", "Rejected"])

Op = Callable[[Any, Any, str], object]

REGISTRY_OPS: dict[str, Op] = {
    "CreateModelPackageGroup": lambda sm, s3, v1: sm.create_model_package_group(
        ModelPackageGroupName=f"g-{next(_names)}"
    ),
    "DescribeModelPackageGroup": lambda sm, s3, v1: sm.describe_model_package_group(
        ModelPackageGroupName=GROUP
    ),
    "CreateModelPackage (version)": lambda sm, s3, v1: sm.create_model_package(
        ModelPackageGroupName=GROUP, InferenceSpecification=INFERENCE_SPEC
    ),
    "DescribeModelPackage": lambda sm, s3, v1: sm.describe_model_package(ModelPackageName=v1),
    "UpdateModelPackage (approve)": lambda sm, s3, v1: sm.update_model_package(
        ModelPackageArn=v1, ModelApprovalStatus=next(_status)
    ),
    "ListModelPackages": lambda sm, s3, v1: sm.list_model_packages(
        ModelPackageGroupName=GROUP, MaxResults=10
    ),
    "Search (approved packages)": lambda sm, s3, v1: sm.search(
        Resource="ModelPackage",
        SearchExpression={
            "Filters": [{"Name": "ModelApprovalStatus", "Operator": "Equals", "Value": "Approved"}]
        },
        MaxResults=10,
    ),
}
S3_OPS: dict[str, Op] = {
    "S3 HeadObject": lambda sm, s3, v1: s3.head_object(Bucket=BUCKET, Key=KEY),
}


def _seed(sm: Any, s3: Any) -> str:
    sm.create_model_package_group(ModelPackageGroupName=GROUP)
    arn = sm.create_model_package(
        ModelPackageGroupName=GROUP, InferenceSpecification=INFERENCE_SPEC
    )
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=b"model")
    return str(arn["ModelPackageArn"])


def _batch(engine: str, sm: Any, s3: Any, v1: str, calls: int) -> Callable[[Results], None]:
    """Each operation, alternating with the floor in slices of ``calls // 4``: every sample of the
    engine has a floor sample taken next to it, and ``<engine>/floor`` is their ratio (a shared
    machine's drift between rounds cancels out of it)."""
    slice_ = max(1, calls // 4)

    def run(results: Results) -> None:
        for row, op in {**REGISTRY_OPS, **S3_OPS}.items():
            op(sm, s3, v1)  # warm this path up in this state
            ours = partial(op, sm, s3, v1)
            floor = partial(op, FLOOR_SM, FLOOR_S3, FLOOR_PACKAGE)
            for _ in range(4):
                floor_seconds = per_call(floor, slice_)
                seconds = per_call(ours, slice_)
                results.add(row, "floor", floor_seconds)
                results.add(row, engine, seconds)
                results.add(row, f"{engine}/floor", seconds / floor_seconds)

    return run


def engines(calls: int) -> dict[str, Callable[[], Any]]:
    @contextmanager
    def moto() -> Iterator[Callable[[Results], None]]:
        with mock_aws():
            v1 = _seed(SM, S3)
            yield _batch("moto", SM, S3, v1, calls)

    def modelreg(enforce: str) -> Callable[[], Any]:
        @contextmanager
        def engine() -> Iterator[Callable[[Results], None]]:
            with mock_modelreg(enforce=enforce) as reg:
                with reg.unrestricted():  # arrange: the role may not create buckets
                    v1 = _seed(SM, S3)
                yield _batch(
                    "modelreg" if enforce == "strict" else "modelreg-off", SM, S3, v1, calls
                )

        return engine

    return {
        "moto": moto,
        "modelreg": modelreg("strict"),
        "modelreg-off": modelreg("off"),
    }


STAGES = ("mapping", "evaluation", "simulation", "response", "pipeline")


class StageTimer:
    """Wraps the functions each stage runs in, adding their time up per stage."""

    def __init__(self) -> None:
        self.spent = dict.fromkeys((*STAGES, "run"), 0.0)
        self._undo: list[Callable[[], None]] = []

    def _wrap(self, owner: Any, name: str, stage: str) -> None:
        original = getattr(owner, name)
        spent = self.spent

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = clock()
            try:
                return original(*args, **kwargs)
            finally:
                spent[stage] += clock() - start

        setattr(owner, name, timed)
        self._undo.append(lambda: setattr(owner, name, original))

    def __enter__(self) -> StageTimer:
        self._wrap(pipeline, "authorization_requests", "mapping")
        self._wrap(pipeline.Pipeline, "_evaluate", "evaluation")
        self._wrap(Simulation, "serve", "simulation")
        self._wrap(interception, "_http_response", "response")
        self._wrap(interception, "_new_request_id", "response")
        self._wrap(pipeline.Pipeline, "run", "run")
        return self

    def __exit__(self, *exc: object) -> None:
        for undo in reversed(self._undo):
            undo()


def stages(rounds: int, calls: int) -> None:
    """Per-stage split of each registry operation, against the floor, medians over rounds."""
    samples: dict[str, dict[str, list[float]]] = {row: {} for row in REGISTRY_OPS}

    def add(row: str, key: str, seconds: float) -> None:
        samples[row].setdefault(key, []).append(seconds)

    with mock_modelreg() as reg:
        with reg.unrestricted():
            v1 = _seed(SM, S3)
        for _ in range(rounds):
            for row, op in REGISTRY_OPS.items():
                op(SM, S3, v1)
                op(FLOOR_SM, FLOOR_S3, FLOOR_PACKAGE)
                add(row, "floor", per_call(partial(op, FLOOR_SM, FLOOR_S3, FLOOR_PACKAGE), calls))
                with StageTimer() as timer:
                    total = per_call(partial(op, SM, S3, v1), calls)
                spent = {k: v / calls for k, v in timer.spent.items()}
                add(row, "total", total)
                for stage in STAGES[:-1]:
                    add(row, stage, spent[stage])
                # The response is made by the interception layer, after Pipeline.run returns.
                add(
                    row,
                    "pipeline",
                    spent["run"] - spent["mapping"] - spent["evaluation"] - spent["simulation"],
                )
    print(f"\nWhere the time beyond the floor goes (modelreg, strict), {CLOCK_NAME} time, µs\n")
    header = ["registry operation", "floor", "total", "interception", *STAGES]
    rows = []
    for row, by_key in samples.items():
        m = {k: statistics.median(v) for k, v in by_key.items()}
        known = sum(m[s] for s in STAGES)
        m["interception"] = m["total"] - m["floor"] - known
        rows.append([row, *(f"{m[k] * 1e6:7.1f}" for k in header[1:])])
    print(table(header, rows))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--calls", type=int, default=40, help="calls per operation per round")
    parser.add_argument("--stages", action="store_true", help="add the per-stage split")
    args = parser.parse_args(argv)
    results = interleave(engines(args.calls), args.rounds)

    def ratio(row: str, engine: str) -> float:
        return results.median(row, f"{engine}/floor")

    def times(row: str) -> list[str]:
        return [us(results.median(row, e)) for e in ("floor", "moto", "modelreg", "modelreg-off")]

    print(
        f"Per-call cost, {CLOCK_NAME} time, medians of {args.rounds} interleaved rounds x "
        f"{args.calls} calls; ratios are medians of ratios to the floor measured next to each "
        "sample\n"
    )
    rows = []
    for row in REGISTRY_OPS:
        ours = ratio(row, "modelreg")
        rows.append(
            [
                row,
                *times(row),
                f"{ours:5.2f}x",
                f"{ratio(row, 'modelreg-off'):5.2f}x",
                f"{ours / ratio(row, 'moto'):5.2f}x",
            ]
        )
    print(
        table(
            [
                "registry operation",
                "floor",
                "moto",
                "modelreg",
                "modelreg-off",
                "modelreg/floor",
                "off/floor",
                "modelreg/moto",
            ],
            rows,
        )
    )
    print("\ntarget: modelreg/floor <= 2x\n")

    rows = []
    for row in S3_OPS:
        moto, ours, off = (ratio(row, e) for e in ("moto", "modelreg", "modelreg-off"))
        rows.append(
            [
                row,
                *times(row),
                f"{ours / moto:5.3f}x",
                f"{(ours - off) / moto * 100:+5.1f}%",
            ]
        )
    print(
        table(
            [
                "moto-served operation",
                "floor",
                "moto",
                "modelreg",
                "modelreg-off",
                "modelreg/moto",
                "enforcement (strict-off)/moto",
            ],
            rows,
        )
    )
    print("\ntarget: enforcement adds < 10% to a moto-served S3 call (modelreg/moto < 1.10)")
    if args.stages:
        stages(args.rounds, args.calls)


if __name__ == "__main__":
    main()

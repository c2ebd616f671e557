"""Shared helpers for the benchmarks: interleaved timing, the botocore floor, report formatting.

Every benchmark measures its contenders in one process, round-robin (one batch of each per round,
the order rotated each round), so that machine noise hits all of them alike; it reports the median
per-call time over rounds.
"""

from __future__ import annotations

import gc
import os
import statistics
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from io import BytesIO
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse

REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's default account and the plugin's default account
INFERENCE_SPEC: dict[str, Any] = {
    "Containers": [{"Image": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/bench:1"}],
    "SupportedContentTypes": ["text/csv"],
    "SupportedResponseMIMETypes": ["text/csv"],
}

# A batch is (engine, operation) -> seconds per call for one round.
Batch = Callable[[], None]


def session() -> Any:
    """One boto3 Session with static keys: its clients are created (and their service models
    loaded) once, then reused by every contender. Unknown keys are the principal under test."""
    return boto3.Session(
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name=REGION,
    )


class _Raw(BytesIO):
    def stream(self, **_: Any) -> Any:
        yield b""


def short_circuit(client: Any, responses: Mapping[str, Mapping[str, Any]]) -> None:
    """Make ``client`` answer in ``before-call`` without signing or sending: the botocore floor.

    botocore still builds the parameters, validates, serializes and resolves the endpoint, as it
    does for every real call; nothing after ``before-call`` runs.
    """

    def answer(model: Any, **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        parsed = dict(responses.get(model.name, {}))
        request_id = str(uuid.uuid4())
        parsed["ResponseMetadata"] = {
            "RequestId": request_id,
            "HTTPStatusCode": 200,
            "HTTPHeaders": {"x-amzn-requestid": request_id},
            "RetryAttempts": 0,
        }
        http = AWSResponse("https://floor/", 200, {}, _Raw())  # type: ignore[arg-type]
        return http, parsed

    client.meta.events.register("before-call.*.*", answer, unique_id="benchmark-floor")


# The clock: this process's CPU time by default, so that other processes on a shared machine do
# not inflate the figures (the benchmarks are single-threaded and never wait on I/O);
# BENCH_CLOCK=wall measures elapsed time instead.
clock = time.perf_counter if os.environ.get("BENCH_CLOCK") == "wall" else time.process_time
CLOCK_NAME = "wall-clock" if clock is time.perf_counter else "CPU"


def per_call(fn: Callable[[], object], n: int) -> float:
    """Seconds per call of ``fn`` over ``n`` calls."""
    start = clock()
    for _ in range(n):
        fn()
    return (clock() - start) / n


class Results:
    """Per-round samples, keyed by (row, engine)."""

    def __init__(self) -> None:
        self.samples: dict[tuple[str, str], list[float]] = {}

    def add(self, row: str, engine: str, seconds: float) -> None:
        self.samples.setdefault((row, engine), []).append(seconds)

    def median(self, row: str, engine: str) -> float:
        return statistics.median(self.samples[(row, engine)])

    def has(self, row: str, engine: str) -> bool:
        return (row, engine) in self.samples


def interleave(
    engines: Mapping[str, Callable[[], AbstractContextManager[Callable[[Results], None]]]],
    rounds: int,
) -> Results:
    """Run ``rounds`` rounds; in each, enter every engine's context (set-up, not timed) and run
    the batch it yields, which records its own samples. The engine order rotates every round."""
    results = Results()
    names = list(engines)
    for r in range(rounds):
        order = names[r % len(names) :] + names[: r % len(names)]
        for name in order:
            with engines[name]() as batch:
                gc.collect()
                batch(results)
    return results


def us(seconds: float) -> str:
    return f"{seconds * 1e6:9.1f} µs"


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:8.2f} ms"


def table(header: Sequence[str], rows: Sequence[Sequence[str]], left: int = 1) -> str:
    """A plain-text table; the first ``left`` columns are labels (left-aligned)."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += [
        "  ".join(
            c.ljust(w) if i < left else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    ]
    return "\n".join(out)


@contextmanager
def nothing() -> Iterator[None]:
    yield

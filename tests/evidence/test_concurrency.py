"""Concurrency: threads with their own clients registering into one group and approving versions,
through boto3 and the whole pipeline (authorization, registry, call records), under forced
contention. Nothing may be lost or duplicated."""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pytest_modelreg import ModelRegistryHandle, mock_modelreg

THREADS = 8
PER_THREAD = 25
GROUP = "concurrent"
INFERENCE_SPEC = {
    "Containers": [{"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/c:1"}],
    "SupportedContentTypes": ["text/csv"],
    "SupportedResponseMIMETypes": ["text/csv"],
}


@pytest.fixture
def contention() -> Iterator[None]:
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads every few bytecodes: races show up
    try:
        yield
    finally:
        sys.setswitchinterval(old)


def _run(workers: list[Callable[[], None]]) -> None:
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(workers))

    def wrap(fn: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            barrier.wait()
            try:
                fn()
            except BaseException as exc:
                errors.append(exc)

        return run

    threads = [threading.Thread(target=wrap(w)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    assert not errors, errors


def _all_versions(sm: Any, **filters: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"ModelPackageGroupName": GROUP, "MaxResults": 100, **filters}
    while True:
        page = sm.list_model_packages(**kwargs)
        out += page["ModelPackageSummaryList"]
        if not page.get("NextToken"):
            return out
        kwargs["NextToken"] = page["NextToken"]


def test_register_and_approve_from_threads(contention: None) -> None:
    with mock_modelreg() as reg:
        session = reg.session()  # one model load; each thread gets its own client from it
        clients = [session.client("sagemaker") for _ in range(THREADS)]
        clients[0].create_model_package_group(ModelPackageGroupName=GROUP)
        created: list[list[str]] = [[] for _ in range(THREADS)]

        def worker(i: int) -> Callable[[], None]:
            def run() -> None:
                sm = clients[i]
                for _ in range(PER_THREAD):
                    arn = sm.create_model_package(
                        ModelPackageGroupName=GROUP,
                        InferenceSpecification=INFERENCE_SPEC,
                        ModelApprovalStatus="PendingManualApproval",
                    )["ModelPackageArn"]
                    created[i].append(arn)
                    sm.update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Approved")

            return run

        _run([worker(i) for i in range(THREADS)])

        total = THREADS * PER_THREAD
        arns = [a for per_thread in created for a in per_thread]
        assert len(set(arns)) == total, "an ARN was handed out twice"
        versions = sorted(int(a.rsplit("/", 1)[1]) for a in arns)
        assert versions == list(range(1, total + 1)), "version numbers lost or duplicated"
        listed = _all_versions(clients[0])
        assert [p["ModelPackageVersion"] for p in listed] == list(range(1, total + 1))
        approved = _all_versions(clients[0], ModelApprovalStatus="Approved")
        assert len(approved) == total, "an approval was lost"
        _assert_records(reg, total)


def _assert_records(reg: ModelRegistryHandle, total: int) -> None:
    ops = [c.operation for c in reg.calls]
    assert ops.count("CreateModelPackage") == total
    assert ops.count("UpdateModelPackage") == total
    assert all(c.allowed for c in reg.calls)


def test_first_moto_served_calls_race_to_start_moto(contention: None) -> None:
    """Moto starts lazily; many threads making the first S3 call at once start it once and every
    object they write is there."""
    with mock_modelreg() as reg:
        session = reg.admin_session()
        clients = [session.client("s3") for _ in range(THREADS)]
        with reg.unrestricted():
            bucket = "sagemaker-concurrency"

            def worker(i: int) -> Callable[[], None]:
                def run() -> None:
                    s3 = clients[i]
                    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
                        s3.create_bucket(Bucket=bucket)
                    for j in range(10):
                        s3.put_object(Bucket=bucket, Key=f"{i}/{j}", Body=b"x")

                return run

            _run([worker(i) for i in range(THREADS)])
            keys = {o["Key"] for o in clients[0].list_objects_v2(Bucket=bucket)["Contents"]}
        assert keys == {f"{i}/{j}" for i in range(THREADS) for j in range(10)}


# -- activations and threads (issue 13, "Threads") ------------------------------------------------
def test_unrestricted_covers_only_the_thread_that_entered_it() -> None:
    with mock_modelreg() as reg:
        session = reg.session()
        clients = [session.client("sagemaker") for _ in range(2)]
        inside = threading.Event()
        done = threading.Event()
        outcomes: dict[str, str] = {}

        def unrestricted_thread() -> None:
            with reg.unrestricted():
                clients[0].list_model_package_groups()
                outcomes["unrestricted"] = "allowed"
                inside.set()
                done.wait(timeout=60)

        def other_thread() -> None:
            inside.wait(timeout=60)
            try:
                clients[1].list_model_package_groups()  # not granted by the default policy
                outcomes["other"] = "allowed"
            except clients[1].exceptions.ClientError as exc:
                outcomes["other"] = exc.response["Error"]["Code"]
            finally:
                done.set()

        _run([unrestricted_thread, other_thread])
    assert outcomes == {"unrestricted": "allowed", "other": "AccessDeniedException"}


def test_activations_in_two_threads_never_share_a_handle() -> None:
    accounts = ["111111111111", "222222222222"]
    both_active = threading.Barrier(2)
    seen: dict[str, tuple[str, list[str]]] = {}

    def in_account(account: str) -> Callable[[], None]:
        def run() -> None:
            with mock_modelreg(account_id=account, enforce="off") as reg:
                sts = reg.client("sts")
                both_active.wait(timeout=60)
                arn = sts.get_caller_identity()["Arn"]
                both_active.wait(timeout=60)  # both calls made while both are active
                seen[account] = (arn, [c.principal_arn for c in reg.calls])

        return run

    _run([in_account(a) for a in accounts])
    for account in accounts:
        arn, recorded = seen[account]
        expected = f"arn:aws:sts::{account}:assumed-role/ModelRegistryTestRole/pytest-modelreg"
        assert arn == expected
        assert recorded == [expected]


def test_a_thread_a_test_starts_is_served_by_the_tests_activation() -> None:
    with mock_modelreg(enforce="off") as reg:
        client = reg.client("sagemaker")
        _run([lambda: client.create_model_package_group(ModelPackageGroupName="from-a-thread")])
        assert [c.operation for c in reg.calls] == ["CreateModelPackageGroup"]

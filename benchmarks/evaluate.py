"""Benchmark (not a test): microseconds per evaluate() decision, and the adversarial run.

Run: ``python benchmarks/evaluate.py [--adversarial-only]``. Documents are parsed once
(Policy.parse caches), as the interception layer does; each number is the median of several timed
batches on one core. For comparison it also times moto's own evaluator
(``moto.iam.access_control.IAMPolicy``) on the same managed policy, which ignores conditions and
resource policies.

The adversarial run decides 1,000 pattern/value pairs built to make a backtracking matcher blow up
(many stars, long near-miss pieces, ``?`` runs, colons against short ARN patterns), in Action,
Resource, StringLike and ArnLike, with values up to the limits AWS puts on them (an S3 object key
of 1,024 bytes, "Naming Amazon S3 objects") and patterns up to a managed policy's 6,144 characters
("IAM and AWS STS quotas"). Each pair is one evaluate() call, timed alone (best of three); the
policy is parsed beforehand, its compile time is reported apart.
"""

from __future__ import annotations

import functools
import json
import random
import statistics
import sys
import time
import timeit
from collections.abc import Callable, Iterator
from typing import Any

from pytest_modelreg.iam import Policy, PolicySet, Request, evaluate

ACCOUNT = "111122223333"
CALLER = f"arn:aws:sts::{ACCOUNT}:assumed-role/ModelRegistryRole/bench"
CONTEXT = {
    "aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/ModelRegistryRole",
    "aws:PrincipalAccount": ACCOUNT,
    "aws:RequestedRegion": "us-east-1",
    "aws:CurrentTime": "2026-11-27T00:00:00Z",
    "aws:SecureTransport": "true",
}


def managed_document() -> dict[str, Any]:
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    data = json.loads(aws_managed_policies_data)
    doc: dict[str, Any] = data["AmazonSageMakerModelRegistryFullAccess"]["Document"]
    return doc


def fifty_statements() -> dict[str, Any]:
    statements = []
    for i in range(50):
        statements.append(
            {
                "Sid": f"S{i}",
                "Effect": "Deny" if i in (10, 20) else "Allow",
                "Action": [f"svc{i}:Get*", f"svc{i}:List*", "sagemaker:Describe*"]
                if i == 49
                else [f"svc{i}:Get*", f"svc{i}:List*"],
                "Resource": f"arn:aws:sagemaker:*:{ACCOUNT}:model-package/team{i}-*/*",
                "Condition": {
                    "StringEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]},
                    "StringLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/*"},
                    "Bool": {"aws:SecureTransport": "true"},
                },
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}


def median_us(fn: Callable[[], object], number: int = 5000, repeat: int = 7) -> float:
    runs = timeit.repeat(fn, number=number, repeat=repeat)
    return statistics.median(runs) / number * 1e6


def main() -> None:
    managed = Policy.parse(managed_document(), policy_id="managed")
    big = Policy.parse(fifty_statements(), policy_id="fifty")
    sm = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}"
    cases = [
        (
            "managed: CreateModelPackage (allowed)",
            managed,
            "sagemaker:CreateModelPackage",
            f"{sm}:model-package/g/1",
            CONTEXT,
        ),
        (
            "managed: ListModelPackageGroups (denied)",
            managed,
            "sagemaker:ListModelPackageGroups",
            "*",
            CONTEXT,
        ),
        (
            "managed: s3:GetObject (allowed)",
            managed,
            "s3:GetObject",
            "arn:aws:s3:::my-sagemaker-bucket/model.tar.gz",
            CONTEXT,
        ),
        (
            "managed: kms:Decrypt, 2 conditions (allowed)",
            managed,
            "kms:Decrypt",
            f"arn:aws:kms:us-east-1:{ACCOUNT}:key/k",
            {
                **CONTEXT,
                "aws:ResourceTag/sagemaker": "true",
                "kms:ViaService": "sagemaker.us-east-1.amazonaws.com",
            },
        ),
        (
            "50 statements with conditions (allowed by the last)",
            big,
            "sagemaker:DescribeModelPackage",
            f"{sm}:model-package/team49-a/1",
            CONTEXT,
        ),
        (
            "50 statements with conditions (denied)",
            big,
            "sagemaker:CreateModel",
            f"{sm}:model/m",
            CONTEXT,
        ),
    ]
    for name, policy, action, resource, context in cases:
        policies = PolicySet(identity=(policy,))
        decision = evaluate(Request(action, resource, CALLER, context), policies).decision

        def one(a: str = action, r: str = resource, c: Any = context, p: Any = policies) -> None:
            evaluate(Request(a, r, CALLER, c), p)

        print(f"{median_us(one):7.2f} us  {decision:13s} {name}")

    try:
        from moto.iam.access_control import IAMPolicy
    except ImportError:  # pragma: no cover
        return
    moto_policy = IAMPolicy(json.dumps(managed_document()))

    def moto_one() -> None:
        moto_policy.is_action_permitted("sagemaker:CreateModelPackage", f"{sm}:model-package/g/1")

    print(f"{median_us(moto_one):7.2f} us  (moto IAMPolicy.is_action_permitted, managed policy)")


# --- the adversarial run -----------------------------------------------------------------------

KEY_LIMIT = 1024  # bytes in an S3 object key
PATTERN_LIMIT = 6144  # characters in a managed policy
S3 = "arn:aws:s3:::"
# (family, Action, Resource, Condition, requested action, requested resource, context)
Pair = tuple[str, str, str, dict[str, Any] | None, str, str, dict[str, str]]


def _stars(piece: str, count: int, tail: str) -> str:
    return ("*" + piece) * count + "*" + tail


def _like(family: str, op: str, key: str, pattern: str, value: str) -> Pair:
    condition = {op: {key: pattern}}
    return (family, "s3:ListBucket", "*", condition, "s3:ListBucket", S3 + "b", {key: value})


def _resource(family: str, pattern: str, resource: str) -> Pair:
    return (family, "s3:GetObject", pattern, None, "s3:GetObject", resource, {})


def adversarial_pairs(seed: int = 14, per_family: int = 125) -> Iterator[Pair]:
    """1,000 pairs (8 families x 125), sizes spread from small to the limits; none matches."""
    rnd = random.Random(seed)

    def size(limit: int) -> int:
        return rnd.randint(limit // 8, limit)

    def stars(most: int) -> int:
        return rnd.randint(2, most)

    longest_stars = PATTERN_LIMIT // 2 - 40  # "*a" repeated: the whole policy is the pattern
    for _ in range(per_family):
        key = "ml-" + "a/" * (size(KEY_LIMIT - 16) // 2) + "model.tar"
        pattern = S3 + "ml-" + "*/" * stars(60) + "*.tar.gz"
        yield _resource("Resource: ml-*/*/.../*.tar.gz", pattern, S3 + key)
    for _ in range(per_family):
        pattern = _stars("a", stars(longest_stars), "b")
        yield _like(
            "StringLike: *a*a...*b", "StringLike", "s3:prefix", pattern, "a" * size(KEY_LIMIT)
        )
    for i in range(per_family):
        half = "a" * rnd.randint(1, KEY_LIMIT // 2)
        # a^k b, or a^k b a^k: a search that checks a candidate's last character first finds it
        # everywhere and compares half the piece each time
        piece = half + "b" + (half if i % 2 else "")
        pattern = "*" + piece + "*"
        yield _like(
            "StringLike: *<near-miss piece>*", "StringLike", "s3:prefix", pattern, "a" * KEY_LIMIT
        )
    for _ in range(per_family):
        pattern = "*" + "a" * rnd.randint(1, KEY_LIMIT) + "b"
        yield _like(
            "StringLike: *<near-miss piece>", "StringLike", "s3:prefix", pattern, "a" * KEY_LIMIT
        )
    for i in range(per_family):
        if i % 2:  # many short pieces with ?
            pattern = "?" * rnd.randint(0, 40) + _stars("a?", stars(200), "b")
        else:  # one long piece with ?, matching almost everywhere
            pattern = "*" + "a?" * rnd.randint(1, KEY_LIMIT // 2) + "b*"
        yield _like(
            "StringLike: ? pieces", "StringLike", "s3:prefix", pattern, "a" * size(KEY_LIMIT)
        )
    for _ in range(per_family):
        pattern = S3 + _stars("a", stars(600), "b")
        value = S3 + "a" * size(KEY_LIMIT)
        yield _like("ArnLike: arn:aws:s3:::*a*a...*b", "ArnLike", "aws:SourceArn", pattern, value)
    for _ in range(per_family):
        pattern = "arn:aws:s3:" + _stars("a", stars(600), ":b")
        yield _resource(
            "Resource: short ARN, colons", pattern, S3 + "b/" + "a:" * (size(KEY_LIMIT) // 2)
        )
    for _ in range(per_family):
        pattern = "s3:" + _stars("a", stars(longest_stars), "b")
        action = "s3:" + "a" * rnd.randint(8, 128)
        yield ("Action: s3:*a*a...*b", pattern, "*", None, action, "*", {})


def _best_of(fn: Callable[[], object], times: int = 3) -> float:
    best = float("inf")
    for _ in range(times):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def adversarial() -> None:
    families: dict[str, list[float]] = {}
    compile_s: list[float] = []
    longest = (0, 0)
    for (
        family,
        action,
        resource,
        condition,
        req_action,
        req_resource,
        context,
    ) in adversarial_pairs():
        statement: dict[str, Any] = {"Effect": "Allow", "Action": action, "Resource": resource}
        if condition:
            statement["Condition"] = condition
        document = json.dumps({"Version": "2012-10-17", "Statement": [statement]})
        start = time.perf_counter()
        policies = PolicySet(identity=(Policy.parse(document),))
        compile_s.append(time.perf_counter() - start)
        request = Request(req_action, req_resource, CALLER, context)
        decision = evaluate(request, policies).decision
        assert decision == "implicitDeny", (family, decision)
        families.setdefault(family, []).append(
            _best_of(functools.partial(evaluate, request, policies))
        )
        pattern_len = len(action) + len(resource) + len(json.dumps(condition or ""))
        value_len = max(len(req_resource), *(len(v) for v in context.values()), len(req_action))
        longest = (max(longest[0], pattern_len), max(longest[1], value_len))
    every = [t for times in families.values() for t in times]
    print(
        f"\nadversarial run: {len(every)} pairs, patterns up to {longest[0]} characters, values "
        f"up to {longest[1]} characters (one evaluate() each, best of 3)"
    )
    print(f"{'family':42s} {'pairs':>5s} {'median':>10s} {'max':>10s}")
    for family, times in families.items():
        print(
            f"{family:42s} {len(times):5d} {statistics.median(times) * 1e6:7.1f} us "
            f"{max(times) * 1e6:7.1f} us"
        )
    over = sum(1 for t in every if t >= 1e-3)
    print(
        f"{'all':42s} {len(every):5d} {statistics.median(every) * 1e6:7.1f} us "
        f"{max(every) * 1e6:7.1f} us   -> {over} of {len(every)} at 1 ms or more"
    )
    print(
        f"parsing (once per policy, not per decision): median {statistics.median(compile_s) * 1e3:.2f}"
        f" ms, 99th percentile {statistics.quantiles(compile_s, n=100)[-1] * 1e3:.2f} ms,"
        f" max {max(compile_s) * 1e3:.2f} ms (a garbage collection can land in one)"
    )


if __name__ == "__main__":
    if "--adversarial-only" not in sys.argv:
        main()
    adversarial()

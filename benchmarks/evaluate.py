"""Benchmark (not a test): microseconds per evaluate() decision.

Run: ``python benchmarks/evaluate.py``. Documents are parsed once (Policy.parse caches), as
the interception layer does; each number is the median of several timed batches on one core.
For comparison it also times moto's own evaluator (``moto.iam.access_control.IAMPolicy``) on the
same managed policy, which ignores conditions and resource policies.
"""

from __future__ import annotations

import json
import statistics
import timeit
from collections.abc import Callable
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


if __name__ == "__main__":
    main()

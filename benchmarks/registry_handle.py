"""Benchmark (issue 5): the registry against moto 5.2.5 for the same work, in one process.

Run: ``python benchmarks/registry_handle.py`` (from the repo root). Both sides go through a real
boto3 SageMaker client: moto through its ``before-send`` stub, the registry through a minimal
``before-call`` short-circuit (the same hook the interception layer uses), so botocore's own
validation and serialization are paid on both sides. No authorization on either side.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse, HTTPHeaders

from pytest_modelreg.simulation.base import CallContext, ServiceError
from pytest_modelreg.simulation.registry import ModelRegistry

ACCOUNT = "123456789012"
REGION = "us-east-1"
SPEC = {
    "Containers": [
        {
            "Image": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/img:1",
            "ModelDataUrl": "s3://bucket/model.tar.gz",
        }
    ],
    "SupportedContentTypes": ["text/csv"],
    "SupportedResponseMIMETypes": ["text/csv"],
}


def registry_client(registry: ModelRegistry) -> Any:
    ctx = CallContext(ACCOUNT, REGION, f"arn:aws:sts::{ACCOUNT}:assumed-role/R/s", "AROA:s")
    client = boto3.client(
        "sagemaker", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x"
    )

    def capture(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context["raw_params"] = dict(params)

    def serve(model: Any, context: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        params = context["raw_params"]
        try:
            parsed = registry.handle(model.name, params, ctx)
            status = 200
        except ServiceError as e:
            parsed = {"Error": {"Code": e.code, "Message": e.message}}
            status = e.http_status
        parsed["ResponseMetadata"] = {"HTTPStatusCode": status}
        return AWSResponse("https://local", status, HTTPHeaders(), None), parsed

    client.meta.events.register("before-parameter-build.sagemaker", capture)
    handler: Any = serve  # a before-call handler may return a (response, parsed) pair
    client.meta.events.register("before-call.sagemaker", handler)
    return client


def per_call(fn: Callable[[], Any], n: int) -> float:
    best = float("inf")
    for _ in range(3):
        t0 = time.process_time()
        for _ in range(n):
            fn()
        best = min(best, (time.process_time() - t0) / n)
    return best * 1e6


def workload(client: Any, n_versions: int) -> dict[str, float]:
    # CreateModelPackage is measured last: it adds versions the list/search figures must not see.
    client.create_model_package_group(ModelPackageGroupName="G")
    arns = [
        client.create_model_package(ModelPackageGroupName="G", InferenceSpecification=SPEC)[
            "ModelPackageArn"
        ]
        for _ in range(n_versions)
    ]
    arn = arns[n_versions // 2]  # as each side returns it (moto lower-cases the group part)
    out = {
        "DescribeModelPackageGroup": per_call(
            lambda: client.describe_model_package_group(ModelPackageGroupName="G"), 300
        ),
        "DescribeModelPackage": per_call(
            lambda: client.describe_model_package(ModelPackageName=arn), 300
        ),
        "ListModelPackages (1,000 versions, all pages)": per_call(
            lambda: list(
                client.get_paginator("list_model_packages").paginate(
                    ModelPackageGroupName="G", PaginationConfig={"PageSize": 100}
                )
            ),
            5,
        ),
        "Search (1,000 packages)": per_call(
            lambda: client.search(
                Resource="ModelPackage",
                SearchExpression={
                    "Filters": [
                        {"Name": "ModelPackageGroupName", "Value": "G", "Operator": "Equals"}
                    ]
                },
            ),
            10,
        ),
        "CreateModelPackage": per_call(
            lambda: client.create_model_package(
                ModelPackageGroupName="G", InferenceSpecification=SPEC
            ),
            100,
        ),
    }
    return out


def handle_only(n_versions: int) -> dict[str, float]:
    """The registry's own share: ``handle`` called directly, no botocore."""
    registry = ModelRegistry()
    ctx = CallContext(ACCOUNT, REGION, f"arn:aws:sts::{ACCOUNT}:assumed-role/R/s", "AROA:s")

    def h(op: str, **p: Any) -> dict[str, Any]:
        return registry.handle(op, p, ctx)

    h("CreateModelPackageGroup", ModelPackageGroupName="G")
    for _ in range(n_versions):
        h("CreateModelPackage", ModelPackageGroupName="G", InferenceSpecification=SPEC)
    arn = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package/G/{n_versions // 2}"

    def all_pages() -> None:
        token = None
        while True:
            p: dict[str, Any] = {"ModelPackageGroupName": "G", "MaxResults": 100}
            if token:
                p["NextToken"] = token
            token = h("ListModelPackages", **p).get("NextToken")
            if not token:
                return

    return {
        "DescribeModelPackageGroup": per_call(
            lambda: h("DescribeModelPackageGroup", ModelPackageGroupName="G"), 3000
        ),
        "DescribeModelPackage": per_call(
            lambda: h("DescribeModelPackage", ModelPackageName=arn), 3000
        ),
        "ListModelPackages (1,000 versions, all pages)": per_call(all_pages, 20),
        "Search (1,000 packages)": per_call(
            lambda: h(
                "Search",
                Resource="ModelPackage",
                SearchExpression={
                    "Filters": [
                        {"Name": "ModelPackageGroupName", "Value": "G", "Operator": "Equals"}
                    ]
                },
            ),
            20,
        ),
        "CreateModelPackage": per_call(
            lambda: h("CreateModelPackage", ModelPackageGroupName="G", InferenceSpecification=SPEC),
            1000,
        ),
    }


def main() -> None:
    os.environ.setdefault("AWS_DEFAULT_REGION", REGION)
    ours = workload(registry_client(ModelRegistry()), 1000)
    from moto import mock_aws

    with mock_aws():
        theirs = workload(boto3.client("sagemaker", region_name=REGION), 1000)
    alone = handle_only(1000)
    print(
        f"{'operation (per call, CPU time)':48s} {'registry':>9s} {'handle()':>9s} "
        f"{'moto':>10s} {'moto/registry':>14s}"
    )
    for k, v in ours.items():
        print(f"{k:48s} {v:8.1f}µs {alone[k]:7.1f}µs {theirs[k]:8.1f}µs {theirs[k] / v:13.1f}x")


if __name__ == "__main__":
    main()

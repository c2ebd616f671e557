"""Fixtures for driving the SageMaker Python SDK v3 (``sagemaker>=3`` with ``sagemaker-core``)
under the plugin.

v2 and v3 both install as the distribution ``sagemaker``, so this directory runs in an environment
of its own (``pip install -e ".[sdk3]"``; ``.ci/run`` builds one). Elsewhere each test module skips
itself, with the reason shown, through ``pytest.importorskip("sagemaker.core.resources")``; nothing
here imports the SDK at module level.

Three things of v3's own shape the fixtures deal with:

* ``sagemaker.serve`` creates boto3 clients while it is imported (``AIRHub`` in
  ``sagemaker.ai_registry.air_hub``), which fails with ``NoRegionError`` when no region is
  configured; it is imported inside the mock, where the plugin provides one.
* sagemaker-core keeps a process-wide cache of clients (``sagemaker.core.utils.utils.
  SageMakerClient``): the first client made in the process answers every later call that passes
  no session, whoever it was signed for. The plugin empties it whenever an activation starts or
  ends (``test_a_client_cached_in_an_earlier_activation_does_not_outlive_it``).
* ``ModelBuilder.register/build/deploy`` report telemetry on a daemon thread named
  ``sagemaker-telemetry`` (an STS GetCallerIdentity, then an HTTPS GET with ``requests``);
  ``settle()`` waits for those threads while the mock is still active.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from pytest_modelreg import ModelRegistryHandle

from ..network_guard import NetworkGuard, block_network
from ..sdk_common import (
    MANAGED,
    create_default_bucket,
    create_execution_role,
)

IMAGE_URI = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn-inference:1.0"
INSTANCE_TYPE = "ml.m5.large"
# The host v3's telemetry GETs (sagemaker.core.telemetry.telemetry_logging._construct_url).
TELEMETRY_HOST = "sm-pysdk-t-us-east-1.s3.us-east-1.amazonaws.com"

# What v3 needs beyond the managed policy: ListModelPackageGroups for ModelBuilder.register by
# group name (v3's Session has no search(), so it always lists), and the Describe call that each
# sagemaker-core create() makes right after creating a model, endpoint config or endpoint.
DEPLOY_EXTRA: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": "sagemaker:ListModelPackageGroups",
            "Resource": "arn:aws:sagemaker:*:*:model-package-group/*",
        },
        {
            "Effect": "Allow",
            "Action": [
                "sagemaker:DescribeModel",
                "sagemaker:DescribeEndpointConfig",
                "sagemaker:DescribeEndpoint",
            ],
            "Resource": [
                "arn:aws:sagemaker:*:*:model/*",
                "arn:aws:sagemaker:*:*:endpoint-config/*",
                "arn:aws:sagemaker:*:*:endpoint/*",
            ],
        },
    ],
}
DEPLOY_POLICY = [MANAGED, DEPLOY_EXTRA]


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[NetworkGuard]:
    """Block every INET connection and DNS lookup. A test fails if anything but v3's telemetry
    tried one; telemetry's attempts are judged by the telemetry tests (test_model_builder.py)."""
    guard = block_network(monkeypatch)
    yield guard
    others = [a for a in guard.attempts if a.host != TELEMETRY_HOST]
    assert others == [], f"the test tried to reach the network: {others}"


def settle() -> None:
    """Wait for the telemetry threads the SDK started (each makes one STS call, then one GET)."""
    for thread in threading.enumerate():
        if thread.name == "sagemaker-telemetry":
            thread.join(timeout=10)


def operations(reg: ModelRegistryHandle, since: int = 0) -> list[str]:
    """The operations the principal under test made, in order, once telemetry has settled.
    GetCallerIdentity is left out: the SDK and its telemetry threads call it at any time."""
    settle()
    return [
        c.operation
        for c in reg.calls[since:]
        if c.principal_arn == reg.principal_arn and c.operation != "GetCallerIdentity"
    ]


@pytest.fixture
def session(modelreg: ModelRegistryHandle) -> Any:
    """The principal under test's boto3 session: what sagemaker-core resources take."""
    return modelreg.session()


@pytest.fixture
def sdk_session(modelreg: ModelRegistryHandle) -> Iterator[Any]:
    """A v3 ``sagemaker.core.helper.session_helper.Session`` over the principal under test."""
    from sagemaker.core.helper.session_helper import Session

    yield Session(boto_session=modelreg.session())
    settle()  # before the mock goes: telemetry threads call STS


@pytest.fixture
def default_bucket(modelreg: ModelRegistryHandle) -> str:
    return create_default_bucket(modelreg)


@pytest.fixture
def execution_role(modelreg: ModelRegistryHandle) -> str:
    return create_execution_role(modelreg)


@pytest.fixture
def builder(sdk_session: Any, default_bucket: str, execution_role: str) -> Any:
    """A ``ModelBuilder`` for a plain image + artifact (no code to package)."""
    from sagemaker.serve.model_builder import ModelBuilder

    return ModelBuilder(
        image_uri=IMAGE_URI,
        s3_model_data_url=f"s3://{default_bucket}/churn/model.tar.gz",
        role_arn=execution_role,
        sagemaker_session=sdk_session,
    )


def register(builder: Any, group: str, **kwargs: Any) -> str:
    """``ModelBuilder.register`` with what a real-time + batch model needs; returns the ARN."""
    arn: str = builder.register(
        model_package_group_name=group,
        content_types=["text/csv"],
        response_types=["text/csv"],
        inference_instances=[INSTANCE_TYPE],
        transform_instances=[INSTANCE_TYPE],
        **kwargs,
    )
    return arn


def arrange_versions(reg: ModelRegistryHandle, group: str, count: int, **extra: Any) -> list[str]:
    """A group with ``count`` versions, created as admin; returns their ARNs, oldest first."""
    admin = reg.admin_client("sagemaker")
    admin.create_model_package_group(ModelPackageGroupName=group)
    # The artifact in the SDK's default bucket, which the execution role may read.
    bucket = f"sagemaker-{reg.region}-{reg.account_id}"
    if count and bucket not in {
        b["Name"] for b in reg.admin_client("s3").list_buckets()["Buckets"]
    }:
        create_default_bucket(reg)
    spec = {
        "Containers": [{"Image": IMAGE_URI, "ModelDataUrl": f"s3://{bucket}/churn/model.tar.gz"}],
        "SupportedContentTypes": ["text/csv"],
        "SupportedResponseMIMETypes": ["text/csv"],
    }
    return [
        str(
            admin.create_model_package(
                ModelPackageGroupName=group, InferenceSpecification=spec, **extra
            )["ModelPackageArn"]
        )
        for _ in range(count)
    ]


def denial(reg: ModelRegistryHandle, action: str, resource: str) -> str:
    """AWS's message for an action no identity-based policy of the principal under test allows."""
    return (
        f"User: {reg.principal_arn} is not authorized to perform: {action} on resource: "
        f"{resource} because no identity-based policy allows the {action} action"
    )

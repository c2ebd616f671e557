"""Fixtures for driving the real SageMaker Python SDK (v2) under the plugin.

Nothing here imports ``sagemaker`` at module level: each test module starts with
``pytest.importorskip("sagemaker", ...)`` so that the whole directory is skipped, with its reason
shown, when the ``sdk`` extra is not installed.

The call sequences asserted are those of the SDK v2 source (2.257). Verified with sagemaker 2.245.0,
2.250.0 and 2.257.7; 2.240.0 and older fail here on purpose: their ``register`` sends
CreateModelPackageGroup without a Search first and they lack
``Session.get_most_recently_created_approved_model_package``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from pytest_modelreg import ModelRegistryHandle

from ..network_guard import NetworkGuard, block_network
from ..sdk_common import (
    create_default_bucket,
    create_execution_role,
)

IMAGE_URI = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn-inference:1.0"
INSTANCE_TYPE = "ml.m5.large"

# The managed policy plus what ModelPackage.deploy() needs beyond it (sagemaker.model.Model.deploy): the
# DescribeEndpoint wait. s3:CreateBucket lets Session.default_bucket() create its bucket.
DEPLOY_EXTRA: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": "sagemaker:DescribeEndpoint",
            "Resource": "arn:aws:sagemaker:*:*:endpoint/*",
        },
        {"Effect": "Allow", "Action": "s3:CreateBucket", "Resource": "arn:aws:s3:::sagemaker-*"},
    ],
}
DEPLOY_POLICY = ["AmazonSageMakerModelRegistryFullAccess", DEPLOY_EXTRA]


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[NetworkGuard]:
    """Block every INET socket connection and DNS lookup, and fail the test if the SDK tried one
    (even one it caught and swallowed). ``test_network_is_blocked`` proves the block works."""
    guard = block_network(monkeypatch)
    yield guard
    assert guard.attempts == [], f"the test tried to reach the network: {guard.attempts}"


@dataclass
class VirtualClock:
    """Stands in for ``time`` inside ``sagemaker.session``: ``sleep`` returns at once and adds
    up the seconds the SDK would have waited; everything else is the real ``time`` module."""

    slept: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)


@pytest.fixture
def sdk_clock(monkeypatch: pytest.MonkeyPatch) -> VirtualClock:
    """The SDK's waiters sleep between polls (30 s for endpoints) and keep retrying an
    AccessDeniedException for 300 s of that time; with this clock they run at full speed."""
    import sagemaker.session

    clock = VirtualClock()
    monkeypatch.setattr(sagemaker.session, "time", clock)
    return clock


@pytest.fixture
def sdk_session(modelreg: ModelRegistryHandle) -> Any:
    """A ``sagemaker.Session`` over the principal under test's boto3 session."""
    import sagemaker

    return sagemaker.Session(boto_session=modelreg.session())


@pytest.fixture
def default_bucket(modelreg: ModelRegistryHandle) -> str:
    return create_default_bucket(modelreg)


@pytest.fixture
def execution_role(modelreg: ModelRegistryHandle) -> str:
    return create_execution_role(modelreg)


@pytest.fixture
def model(sdk_session: Any, default_bucket: str, execution_role: str) -> Any:
    """A plain SDK ``Model`` (image + artifact, no entry point)."""
    from sagemaker.model import Model

    return Model(
        image_uri=IMAGE_URI,
        model_data=f"s3://{default_bucket}/churn/model.tar.gz",
        role=execution_role,
        sagemaker_session=sdk_session,
    )


def register(model: Any, group: str, **kwargs: Any) -> Any:
    """``Model.register`` with the arguments a real-time + batch model needs."""
    return model.register(
        model_package_group_name=group,
        content_types=["text/csv"],
        response_types=["text/csv"],
        inference_instances=[INSTANCE_TYPE],
        transform_instances=[INSTANCE_TYPE],
        **kwargs,
    )


def operations(reg: ModelRegistryHandle, since: int = 0) -> list[str]:
    """The operations the principal under test made, in order (admin arrangement excluded)."""
    return [c.operation for c in reg.calls[since:] if c.principal_arn == reg.principal_arn]

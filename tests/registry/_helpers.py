"""Helpers for driving ModelRegistry directly (no botocore in the loop)."""

from __future__ import annotations

import itertools
from typing import Any

from pytest_modelreg.simulation.base import CallContext
from pytest_modelreg.simulation.registry import ModelRegistry

from .shape_check import assert_conforms

ACCOUNT = "111122223333"
OTHER = "444455556666"
REGION = "us-east-1"


def make_ctx(account: str = ACCOUNT, region: str = REGION) -> CallContext:
    return CallContext(
        account_id=account,
        region=region,
        caller_arn=f"arn:aws:sts::{account}:assumed-role/Tester/session",
        caller_principal_id="AROAEXAMPLEID:session",
    )


class FakeTime:
    """A controllable clock: each read advances 1 ms so creation order is strict and repeatable."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self._ticks = itertools.count()
        self.start = start

    def __call__(self) -> float:
        return self.start + next(self._ticks) / 1000


class Caller:
    """Calls ``handle`` and checks every successful response against botocore's output shape."""

    def __init__(self, registry: ModelRegistry, ctx: CallContext) -> None:
        self.registry = registry
        self.ctx = ctx

    def __call__(self, operation: str, **params: Any) -> dict[str, Any]:
        response = self.registry.handle(operation, params, self.ctx)
        assert_conforms(operation, response)
        return response

    def as_account(self, account: str, region: str = REGION) -> Caller:
        return Caller(self.registry, make_ctx(account, region))


CONTAINER = {
    "Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/img:1",
    "ModelDataUrl": "s3://bucket/model.tar.gz",
}
INFERENCE_SPEC = {
    "Containers": [CONTAINER],
    "SupportedContentTypes": ["text/csv"],
    "SupportedResponseMIMETypes": ["text/csv"],
}

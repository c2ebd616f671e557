"""Fixtures for driving ModelRegistry directly (no botocore in the loop)."""

from __future__ import annotations

import pytest

from pytest_modelreg.simulation.registry import ModelRegistry

from ._helpers import Caller, FakeTime, make_ctx


@pytest.fixture
def registry() -> ModelRegistry:
    return ModelRegistry(clock=FakeTime())


@pytest.fixture
def call(registry: ModelRegistry) -> Caller:
    return Caller(registry, make_ctx())

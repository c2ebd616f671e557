"""Fuzzing the public surface: random parameters for every Model Registry operation, through boto3.

The only acceptable outcomes are a response botocore would return (checked against the output
shape), an AWS-shaped ``ClientError`` or botocore's own ``ParamValidationError``; anything else
(a ``KeyError`` from the simulation, a ``SimulationError``, a hang) is a bug.
"""

from __future__ import annotations

import re
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError, ParamValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_modelreg import (
    ModelRegistryHandle,
    UnsupportedOperationError,
    mock_modelreg,
)
from pytest_modelreg.simulation.registry import _HANDLERS
from tests.registry.shape_check import assert_conforms

from ._strategies import (
    GROUP,
    INFERENCE_SPEC,
    REGION,
    SAGEMAKER,
    UNVERSIONED,
    operation_params,
)

# Created once: model loading is botocore's cost, not the simulation's. Clients created before an
# activation are covered by it; unknown keys are the principal under test.
_SESSION = boto3.Session(
    aws_access_key_id="AKIAFUZZEXAMPLE", aws_secret_access_key="fuzz", region_name=REGION
)
SM = _SESSION.client("sagemaker")

OPERATIONS = sorted(_HANDLERS)

# Errors SageMaker returns for any operation beyond those its model lists per operation.
COMMON_ERRORS = {"ValidationException", "AccessDeniedException", "ThrottlingException"}

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
    database=None,
    derandomize=True,  # the same examples every run: CI never flakes, strict xfails stay true
)

# Known bugs in code other sessions own: xfail(strict) with the reproducer, so CI stays green and
# the bug stays visible. Keyed by (operation, mode).
KNOWN_BUGS: dict[tuple[str, str], str] = {}

_TAG_OPS = {"AddTags", "DeleteTags", "ListTags"}


def _seed() -> None:
    """A group with one version, an unversioned package, all named in the strategies' pool."""
    SM.create_model_package_group(ModelPackageGroupName=GROUP)
    SM.create_model_package(ModelPackageGroupName=GROUP, InferenceSpecification=INFERENCE_SPEC)
    SM.create_model_package(ModelPackageName=UNVERSIONED, InferenceSpecification=INFERENCE_SPEC)


def check_outcome(operation: str, params: dict[str, Any], reg: ModelRegistryHandle) -> None:
    method = getattr(SM, _snake(operation))
    try:
        response = method(**params)
    except ParamValidationError:
        return
    except UnsupportedOperationError:
        # Documented (README): what neither the registry nor moto serves. Only acceptable for a
        # call the registry does not claim (Search over training jobs, tags of an endpoint, ...).
        assert not reg._pipeline.simulation.registry.claims(operation, params), (
            f"registry claims {params}"
        )
        return
    except ClientError as exc:
        _assert_aws_shaped(operation, exc)
        return
    response.pop("ResponseMetadata")
    assert_conforms(operation, response)


def _assert_aws_shaped(operation: str, exc: ClientError) -> None:
    error = exc.response.get("Error", {})
    code, message = error.get("Code"), error.get("Message")
    status = exc.response["ResponseMetadata"]["HTTPStatusCode"]
    modeled = {e.name for e in SAGEMAKER.operation_model(operation).error_shapes}
    assert code in modeled | COMMON_ERRORS, (
        f"{operation}: unexpected error code {code!r}: {message}"
    )
    assert isinstance(message, str) and message, f"{operation}: empty message for {code}"
    assert 400 <= status < 600, f"{operation}: status {status} for {code}"
    # AWS messages are plain text, never a Python repr of an exception or a traceback.
    assert "Traceback" not in message and not re.search(r"\b(KeyError|TypeError)\b", message)


def _snake(operation: str) -> str:
    return (
        SM.meta.method_to_api_mapping
        and {v: k for k, v in SM.meta.method_to_api_mapping.items()}[operation]
    )


def _cases(mode: str) -> list[Any]:
    out = []
    for op in OPERATIONS:
        reason = KNOWN_BUGS.get((op, mode))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(op, id=op, marks=marks))
    return out


@pytest.mark.parametrize("operation", _cases("off"))
@FUZZ
@given(data=st.data())
def test_random_parameters_enforce_off(operation: str, data: st.DataObject) -> None:
    params = data.draw(operation_params(operation), label="params")
    with mock_modelreg(enforce="off") as reg:
        _seed()
        check_outcome(operation, params, reg)


@pytest.mark.parametrize("operation", _cases("strict"))
@FUZZ
@given(data=st.data())
def test_random_parameters_default_policy(operation: str, data: st.DataObject) -> None:
    params = data.draw(operation_params(operation), label="params")
    with mock_modelreg() as reg:
        with reg.unrestricted():
            _seed()
        check_outcome(operation, params, reg)


@pytest.mark.parametrize("operation", sorted(_TAG_OPS))
def test_tags_of_an_unknown_resource(operation: str) -> None:
    arn = "arn:aws:sagemaker:us-east-1:123456789012:model/whatever"
    params: dict[str, Any] = {"ResourceArn": arn}
    if operation == "AddTags":
        params["Tags"] = [{"Key": "k", "Value": "v"}]
    elif operation == "DeleteTags":
        params["TagKeys"] = ["k"]
    with mock_modelreg(enforce="off") as reg:
        check_outcome(operation, params, reg)

"""What the services next to a registry answer before any authorization: a key AWS does not know
and an unsigned request (the ``rejected`` and ``unsigned`` columns of pytest_modelreg/services.py,
whose module docstring gives each answer's evidence or marks it [INFERRED])."""

from __future__ import annotations

from typing import Any

import boto3
import botocore
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from pytest_modelreg import mock_modelreg
from pytest_modelreg.services import BY_NAME

from ..conftest import ALLOW_ALL

UNKNOWN = "AKIAIOSFODNN7EXAMPLE"
TOKEN_INVALID = "The security token included in the request is invalid."

# (service, method, params, rejected code, rejected status, unsigned code, unsigned status)
ROWS: list[tuple[str, str, dict[str, Any], str, int, str, int]] = [
    # SNS (query): InvalidClientTokenId, 403 (evanshortiss/sns-mobile#14); unsigned [INFERRED]
    # as the query protocol's MissingAuthenticationToken (aws/aws-sdk-js#4286).
    ("sns", "list_topics", {}, "InvalidClientTokenId", 403, "MissingAuthenticationToken", 403),
    # Lambda (REST-JSON): UnrecognizedClientException, 403 (iann0036/iamlive#58).
    (
        "lambda",
        "list_functions",
        {},
        "UnrecognizedClientException",
        403,
        "MissingAuthenticationTokenException",
        403,
    ),
    # SageMaker Runtime: unsigned = MissingAuthenticationTokenException, 403, "Missing
    # Authentication Token" (aws/amazon-sagemaker-examples#290); rejected [INFERRED] as Lambda.
    (
        "sagemaker-runtime",
        "invoke_endpoint",
        {"EndpointName": "e", "Body": b"{}"},
        "UnrecognizedClientException",
        403,
        "MissingAuthenticationTokenException",
        403,
    ),
    # awsJson services (CodePipeline and CodeBuild formerly) [INFERRED]: as SageMaker
    # (ekristen/aws-nuke#774).
    *(
        (
            service,
            method,
            {},
            "UnrecognizedClientException",
            400,
            "MissingAuthenticationTokenException",
            403,
        )
        for service, method in (
            ("dynamodb", "list_tables"),
            ("ssm", "describe_parameters"),
            ("secretsmanager", "list_secrets"),
            ("logs", "describe_log_groups"),
            ("codepipeline", "list_pipelines"),
            ("codebuild", "list_projects"),
        )
    ),
    # CloudWatch (awsQueryCompatible) [INFERRED]: the query protocol's codes.
    (
        "cloudwatch",
        "list_metrics",
        {},
        "InvalidClientTokenId",
        403,
        "MissingAuthenticationToken",
        403,
    ),
]

IDS = [r[0] for r in ROWS]


def _answer(client: Any, method: str, params: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(ClientError) as raised:
        getattr(client, method)(**params)
    response: dict[str, Any] = raised.value.response
    return response


@pytest.mark.parametrize(
    ("service", "method", "params", "code", "status", "_u", "_s"), ROWS, ids=IDS
)
def test_an_unknown_key_is_rejected(
    service: str, method: str, params: dict[str, Any], code: str, status: int, _u: str, _s: int
) -> None:
    with mock_modelreg(policy=ALLOW_ALL) as reg:
        client = boto3.client(
            service,
            region_name="us-east-1",
            aws_access_key_id=UNKNOWN,
            aws_secret_access_key="x",
        )
        response = _answer(client, method, params)
        assert response["Error"]["Code"] == code
        assert response["ResponseMetadata"]["HTTPStatusCode"] == status
        assert response["Error"]["Message"].startswith(TOKEN_INVALID)
        assert reg.calls == []


@pytest.mark.parametrize(
    ("service", "method", "params", "_c", "_s", "code", "status"), ROWS, ids=IDS
)
def test_an_unsigned_request_is_refused_before_authorization(
    service: str, method: str, params: dict[str, Any], _c: str, _s: int, code: str, status: int
) -> None:
    with mock_modelreg(policy=ALLOW_ALL):
        client = boto3.client(
            service, region_name="us-east-1", config=Config(signature_version=botocore.UNSIGNED)
        )
        response = _answer(client, method, params)
        assert response["Error"]["Code"] == code
        assert response["ResponseMetadata"]["HTTPStatusCode"] == status


def test_observed_answers_are_not_marked_as_guesses() -> None:
    # SNS and Lambda rejected-key answers were observed in public threads; the others are not.
    assert not BY_NAME["sns"].rejected.inferred
    assert not BY_NAME["lambda"].rejected.inferred
    guessed = ("sagemaker-runtime", "dynamodb", "ssm", "secretsmanager", "logs", "cloudwatch")
    for service in (*guessed, "codepipeline", "codebuild"):
        assert BY_NAME[service].rejected.inferred, service

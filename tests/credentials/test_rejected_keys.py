"""Credentials AWS rejects: unknown, deleted and inactive keys, keys of deleted users, and what
each served service answers (the ``rejected`` column of the services table)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from pytest_modelreg import mock_modelreg
from pytest_modelreg.credentials import PLACEHOLDER_KEYS
from pytest_modelreg.services import SERVICES
from tests.conftest import ALLOW_ALL

UNKNOWN = "AKIAIOSFODNN7EXAMPLE"
TOKEN_INVALID = "The security token included in the request is invalid."
HINT = "reg.principal(...).client(...)"

# (service, call, code, status). Rule per row: the services table's evidence.
ROWS: list[tuple[str, str, dict[str, Any], str, int]] = [
    # awsJson: UnrecognizedClientException, 400 (SageMaker: ekristen/aws-nuke#774).
    ("sagemaker", "list_model_package_groups", {}, "UnrecognizedClientException", 400),
    ("ecr", "describe_repositories", {}, "UnrecognizedClientException", 400),
    ("kms", "list_keys", {}, "UnrecognizedClientException", 400),
    ("resourcegroupstaggingapi", "get_resources", {}, "UnrecognizedClientException", 400),
    # Query: InvalidClientTokenId, 403 (rhyeal/aws-rotate-iam-keys#81).
    ("iam", "list_users", {}, "InvalidClientTokenId", 403),
    ("sts", "get_caller_identity", {}, "InvalidClientTokenId", 403),
    # REST-JSON [INFERRED]: Lambda's answer (iann0036/iamlive#58).
    ("resource-groups", "list_groups", {}, "UnrecognizedClientException", 403),
]


def _client(service: str, key: str, secret: str = "x", token: str | None = None) -> Any:
    return boto3.client(
        service,
        region_name="us-east-1",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        aws_session_token=token,
    )


@pytest.mark.parametrize(("service", "method", "params", "code", "status"), ROWS)
def test_an_unknown_key_is_rejected_as_each_protocol_does(
    service: str, method: str, params: dict[str, Any], code: str, status: int
) -> None:
    with mock_modelreg(policy=ALLOW_ALL) as reg:
        with pytest.raises(ClientError) as rejected:
            getattr(_client(service, UNKNOWN), method)(**params)
        error = rejected.value.response["Error"]
        assert error["Code"] == code
        assert rejected.value.response["ResponseMetadata"]["HTTPStatusCode"] == status
        assert error["Message"].startswith(TOKEN_INVALID)
        assert HINT in error["Message"]
        assert reg.calls == []  # never authorized, so never recorded


def test_s3_answers_invalid_access_key_id_with_the_key() -> None:
    # raster-foundry/raster-foundry#289: "The AWS Access Key Id you provided does not exist in
    # our records." with <AWSAccessKeyId>.
    with mock_modelreg(policy=ALLOW_ALL), pytest.raises(ClientError) as rejected:
        _client("s3", UNKNOWN).list_buckets()
    error = rejected.value.response["Error"]
    assert error["Code"] == "InvalidAccessKeyId"
    assert error["AWSAccessKeyId"] == UNKNOWN
    assert error["Message"].startswith(
        "The AWS Access Key Id you provided does not exist in our records."
    )
    assert rejected.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_every_served_service_has_a_rejection_answer_and_guesses_are_marked() -> None:
    for service in SERVICES:
        assert service.rejected.code and service.rejected.http_status in (400, 403)
    inferred = {s.name for s in SERVICES if s.rejected.inferred}
    # Observed in public threads: SageMaker, IAM/STS (query), S3; the rest are guesses.
    assert inferred.isdisjoint({"sagemaker", "iam", "sts", "s3"})
    assert "resource-groups" in inferred


@pytest.mark.parametrize("key", sorted(PLACEHOLDER_KEYS))
def test_placeholder_keys_of_moto_suites_sign_as_the_principal_under_test(key: str) -> None:
    with mock_modelreg(policy=ALLOW_ALL) as reg:
        arn = _client("sts", key, "testing").get_caller_identity()["Arn"]
    assert arn == reg.principal_arn


def _user_with_key(reg: Any, policy: str | None = None) -> tuple[Any, dict[str, str]]:
    iam = reg.admin_client("iam")
    iam.create_user(UserName="alice")
    if policy is not None:
        iam.put_user_policy(UserName="alice", PolicyName="p", PolicyDocument=policy)
    key: dict[str, str] = iam.create_access_key(UserName="alice")["AccessKey"]
    return iam, key


def test_an_inactive_key_is_rejected_and_works_again_when_activated() -> None:
    # botocore iam model, AccessKey.Status: "Inactive means it is not [valid for API calls]".
    with mock_modelreg(policy=ALLOW_ALL) as reg:
        iam, key = _user_with_key(reg)
        sts = _client("sts", key["AccessKeyId"], key["SecretAccessKey"])
        assert sts.get_caller_identity()["Arn"].endswith(":user/alice")
        iam.update_access_key(UserName="alice", AccessKeyId=key["AccessKeyId"], Status="Inactive")
        with pytest.raises(ClientError) as rejected:
            sts.get_caller_identity()
        assert rejected.value.response["Error"]["Code"] == "InvalidClientTokenId"
        iam.update_access_key(UserName="alice", AccessKeyId=key["AccessKeyId"], Status="Active")
        assert sts.get_caller_identity()["Arn"].endswith(":user/alice")


def test_a_deleted_key_and_the_key_of_a_deleted_user_are_rejected() -> None:
    with mock_modelreg(policy=ALLOW_ALL) as reg:
        iam, key = _user_with_key(reg)
        second = iam.create_access_key(UserName="alice")["AccessKey"]
        iam.delete_access_key(UserName="alice", AccessKeyId=key["AccessKeyId"])
        with pytest.raises(ClientError) as deleted_key:
            _client("sagemaker", key["AccessKeyId"]).list_model_package_groups()
        assert deleted_key.value.response["Error"]["Code"] == "UnrecognizedClientException"
        iam.delete_access_key(UserName="alice", AccessKeyId=second["AccessKeyId"])
        iam.delete_user(UserName="alice")
        with pytest.raises(ClientError) as deleted_user:
            _client("sagemaker", second["AccessKeyId"]).list_model_package_groups()
        assert deleted_user.value.response["Error"]["Code"] == "UnrecognizedClientException"


def test_warn_mode_warns_and_serves_as_the_principal_under_test() -> None:
    from pytest_modelreg import AccessDeniedWarning

    with (
        mock_modelreg(policy=ALLOW_ALL, enforce="warn") as reg,
        pytest.warns(AccessDeniedWarning, match="security token included"),
    ):
        arn = _client("sts", UNKNOWN).get_caller_identity()["Arn"]
    assert arn == reg.principal_arn

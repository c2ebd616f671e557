"""GetSessionToken as AWS serves it (botocore sts model, GetSessionToken documentation)."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from pytest_modelreg import mock_modelreg
from tests.conftest import ALLOW_ALL, statement

LIST_BUCKETS = json.dumps(statement("Allow", ["s3:ListAllMyBuckets", "iam:ListUsers"]))


def _session(credentials: dict[str, Any]) -> boto3.Session:
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name="us-east-1",
    )


def _alice(reg: Any) -> tuple[Any, Any]:
    iam = reg.admin_client("iam")
    iam.create_user(UserName="alice")
    iam.put_user_policy(UserName="alice", PolicyName="p", PolicyDocument=LIST_BUCKETS)
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    return iam, boto3.client(
        "sts",
        region_name="us-east-1",
        aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=key["SecretAccessKey"],
    )


def test_session_token_credentials_carry_the_users_permissions() -> None:
    # "are based on permissions associated with the IAM user whose credentials were used".
    with mock_modelreg(policy=ALLOW_ALL) as reg:
        iam, sts = _alice(reg)
        session = _session(sts.get_session_token()["Credentials"])
        assert session.client("sts").get_caller_identity()["Arn"].endswith(":user/alice")
        session.client("s3").list_buckets()
        with pytest.raises(ClientError) as denied:
            session.client("sagemaker").list_model_package_groups()
        assert denied.value.response["Error"]["Code"] == "AccessDeniedException"
        assert ":user/alice is not authorized" in denied.value.response["Error"]["Message"]
        # Policies are read at call time, as for the user's own key.
        iam.delete_user_policy(UserName="alice", PolicyName="p")
        with pytest.raises(ClientError):
            session.client("s3").list_buckets()


# botocore sts model, GetSessionToken: "You cannot call any IAM API operations unless MFA
# authentication information is included" (observed answer InvalidClientTokenId:
# cloudyr/aws.iam#15); "You cannot call any STS API except AssumeRole or GetCallerIdentity"
# (observed AccessDenied "Cannot call GetSessionToken with session credentials":
# aws/aws-sdk-net#1704).
@pytest.mark.parametrize(
    ("service", "method", "code", "message"),
    [
        ("iam", "list_users", "InvalidClientTokenId", "The security token included"),
        ("sts", "get_session_token", "AccessDenied", "Cannot call GetSessionToken with session"),
    ],
)
def test_what_session_token_credentials_cannot_call(
    service: str, method: str, code: str, message: str
) -> None:
    with mock_modelreg(policy=ALLOW_ALL) as reg:
        _iam, sts = _alice(reg)
        session = _session(sts.get_session_token()["Credentials"])
        with pytest.raises(ClientError) as refused:
            getattr(session.client(service), method)()
    assert refused.value.response["Error"]["Code"] == code
    assert refused.value.response["Error"]["Message"].startswith(message)


def test_session_token_credentials_with_mfa_may_call_iam() -> None:
    with mock_modelreg(policy=ALLOW_ALL) as reg:
        _iam, sts = _alice(reg)
        mfa = {"SerialNumber": "arn:aws:iam::123456789012:mfa/alice", "TokenCode": "123456"}
        session = _session(sts.get_session_token(**mfa)["Credentials"])
        assert session.client("iam").list_users()["Users"][0]["UserName"] == "alice"


def test_a_role_session_cannot_call_get_session_token() -> None:
    # aws/aws-sdk-net#1704: AccessDenied "Cannot call GetSessionToken with session credentials".
    with mock_modelreg(policy=ALLOW_ALL) as reg, pytest.raises(ClientError) as denied:
        reg.client("sts").get_session_token()
    assert denied.value.response["Error"]["Code"] == "AccessDenied"
    assert denied.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert "Cannot call GetSessionToken with session credentials" in str(denied.value)


def test_a_mock_user_principal_gets_session_credentials_of_its_own() -> None:
    with mock_modelreg(policy=ALLOW_ALL) as reg:
        bob = reg.principal("bob", statement("Allow", "s3:ListAllMyBuckets"), kind="user")
        session = _session(bob.client("sts").get_session_token()["Credentials"])
        assert session.client("sts").get_caller_identity()["Arn"] == bob.arn
        session.client("s3").list_buckets()
        with pytest.raises(ClientError):
            session.client("sagemaker").list_model_package_groups()

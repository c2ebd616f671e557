"""Policy size quotas on the IAM calls that store policies ("IAM and AWS STS quotas": managed
6,144 characters; "the total aggregate policy size (the sum size of all inline policies) per entity"
user 2,048, role 10,240, group 5,120; "IAM does not count white space"), answered with
LimitExceeded, HTTP 409 (aws/aws-cdk#12403, gchq/sleeper#1459, danvk/mapsnap#483)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from pytest_modelreg import ModelRegistryHandle


def _policy(size: int) -> str:
    """A policy of exactly ``size`` non-whitespace characters."""
    base = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Action": "s3:x", "Resource": ""}],
    }
    empty = len(json.dumps(base, separators=(",", ":")))
    base["Statement"][0]["Resource"] = "arn:aws:s3:::" + "a" * (size - empty - 13)  # type: ignore[index]
    return json.dumps(base, indent=2)


def _limit_exceeded(call: Any) -> dict[str, Any]:
    with pytest.raises(ClientError) as refused:
        call()
    response: dict[str, Any] = refused.value.response
    assert response["Error"]["Code"] == "LimitExceeded"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 409
    return response


def test_managed_policy_over_6144_is_refused(modelreg: ModelRegistryHandle) -> None:
    iam = modelreg.admin_client("iam")
    iam.create_policy(PolicyName="fits", PolicyDocument=_policy(6144))  # whitespace not counted
    error = _limit_exceeded(
        lambda: iam.create_policy(PolicyName="big", PolicyDocument=_policy(6145))
    )
    assert error["Error"]["Message"] == "Cannot exceed quota for PolicySize: 6144"
    arn = iam.get_policy(PolicyArn=iam.list_policies(Scope="Local")["Policies"][0]["Arn"])
    _limit_exceeded(
        lambda: iam.create_policy_version(
            PolicyArn=arn["Policy"]["Arn"], PolicyDocument=_policy(6145)
        )
    )


@pytest.mark.parametrize(("kind", "limit"), [("role", 10240), ("user", 2048), ("group", 5120)])
def test_inline_quota_is_on_the_entity_aggregate(
    modelreg: ModelRegistryHandle, kind: str, limit: int
) -> None:
    iam = modelreg.admin_client("iam")
    name = (
        {"RoleName": "e"}
        if kind == "role"
        else {"UserName": "e"}
        if kind == "user"
        else {"GroupName": "e"}
    )
    create = {"role": iam.create_role, "user": iam.create_user, "group": iam.create_group}[kind]
    put = {"role": iam.put_role_policy, "user": iam.put_user_policy, "group": iam.put_group_policy}[
        kind
    ]
    create(**name, **({"AssumeRolePolicyDocument": "{}"} if kind == "role" else {}))
    half = limit // 2
    put(**name, PolicyName="a", PolicyDocument=_policy(half))
    put(**name, PolicyName="a", PolicyDocument=_policy(half))  # replaces itself: still fits
    put(**name, PolicyName="b", PolicyDocument=_policy(limit - half))
    error = _limit_exceeded(lambda: put(**name, PolicyName="c", PolicyDocument=_policy(100)))
    if kind != "group":  # the group wording is a guess (pytest_modelreg/iam/_guesses.py)
        assert error["Error"]["Message"] == (
            f"Maximum policy size of {limit} bytes exceeded for {kind} e"
        )

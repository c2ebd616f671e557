"""Fuzzing policy documents through the public surface: ``pytest_modelreg.simulate``,
``mock_modelreg(policy=...)`` and a model package group's resource policy.

The only acceptable outcomes are a decision, ``MalformedPolicyDocument``, or (through boto3) an
AWS-shaped ``ClientError``; a denial recorded in ``reg.calls`` must be the one the caller got.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_modelreg import MalformedPolicyDocument, mock_modelreg, simulate
from pytest_modelreg.iam import Policy

from ._strategies import ACCOUNT, GROUP, GROUP_ARN, OTHER_ACCOUNT, REGION, VERSION_ARN

ALLOW_SAGEMAKER = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "sagemaker:*", "Resource": "*"}],
}
DECISIONS = {"allowed", "explicitDeny", "implicitDeny"}
FUZZ = settings(
    max_examples=150,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SM = boto3.Session(
    aws_access_key_id="testing", aws_secret_access_key="fuzz", region_name=REGION
).client("sagemaker")

ACTIONS = [
    "sagemaker:DescribeModelPackageGroup",
    "sagemaker:CreateModelPackageGroup",
    "sagemaker:DescribeModelPackage",
    "sagemaker:UpdateModelPackage",
    "sagemaker:*",
    "sagemaker:Describe*",
    "sagemaker:*ModelPackage*",
    "s3:GetObject",
    "*",
    "sagemaker:describemodelpackagegroup",
    "sagemaker:",
    "sagemaker",
    "not-a-service:Foo",
    "",
]
RESOURCES = [
    "*",
    GROUP_ARN,
    VERSION_ARN,
    f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package-group/*",
    f"arn:aws:sagemaker:*:*:model-package/{GROUP}/*",
    "arn:aws:sagemaker:${aws:RequestedRegion}:${aws:PrincipalAccount}:*",
    "arn:aws:s3:::sagemaker-*/*",
    "arn:aws:sagemaker:us-east-1:123456789012:model-package-group/${aws:username}",
    "arn:aws:sagemaker",
    "arn:*",
    "not-an-arn",
    "",
]
CONDITION_KEYS = [
    "aws:RequestedRegion",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:ResourceTag/team",
    "aws:RequestTag/team",
    "aws:TagKeys",
    "aws:CurrentTime",
    "aws:EpochTime",
    "aws:SecureTransport",
    "aws:SourceIp",
    "sagemaker:ResourceTag/team",
    "sagemaker:ModelApprovalStatus",
    "aws:MultiFactorAuthAge",
    "custom:key",
    "",
]
OPERATORS = [
    "StringEquals",
    "StringNotEquals",
    "StringLike",
    "StringEqualsIgnoreCase",
    "ArnLike",
    "ArnNotEquals",
    "NumericLessThan",
    "NumericGreaterThanEquals",
    "DateGreaterThan",
    "DateLessThanEquals",
    "Bool",
    "IpAddress",
    "NotIpAddress",
    "Null",
    "BinaryEquals",
    "ForAnyValue:StringLike",
    "ForAllValues:StringEquals",
    "StringEqualsIfExists",
    "NumericEqualsIfExists",
    "StringEqualz",
    "",
]
VALUES = st.one_of(
    st.sampled_from(
        [
            "us-east-1",
            ACCOUNT,
            "ml",
            "true",
            "false",
            "10",
            "-1",
            "1e3",
            "2026-01-01T00:00:00Z",
            "2026-01-01",
            "192.0.2.0/24",
            "::1/128",
            "300",
            "*",
            "${aws:username}",
            "${aws:PrincipalTag/team}",
            "${",
            "",
            "Approved",
        ]
    ),
    st.text(max_size=8),
    st.booleans(),
    st.integers(-5, 10**12),
    st.floats(allow_nan=False),
    st.none(),
)


def _one_or_many(s: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return s | st.lists(s, max_size=3)


conditions = st.dictionaries(
    st.sampled_from(OPERATORS) | st.text(max_size=6),
    st.dictionaries(
        st.sampled_from(CONDITION_KEYS) | st.text(max_size=6),
        _one_or_many(VALUES) | st.dictionaries(st.text(max_size=3), VALUES, max_size=1),
        max_size=2,
    ),
    max_size=2,
)
principals = st.one_of(
    st.just("*"),
    st.fixed_dictionaries(
        {},
        optional={
            "AWS": _one_or_many(
                st.sampled_from(
                    [
                        "*",
                        ACCOUNT,
                        OTHER_ACCOUNT,
                        f"arn:aws:iam::{OTHER_ACCOUNT}:root",
                        f"arn:aws:iam::{ACCOUNT}:role/ModelRegistryTestRole",
                        f"arn:aws:sts::{ACCOUNT}:assumed-role/ModelRegistryTestRole/pytest-modelreg",
                        "arn:aws:iam::bad",
                        "",
                    ]
                )
            ),
            "Service": _one_or_many(st.sampled_from(["sagemaker.amazonaws.com", "x", ""])),
            "Federated": st.just("cognito-identity.amazonaws.com"),
            "Foo": st.just("bar"),
        },
    ),
    st.integers(),
)
statement = st.fixed_dictionaries(
    {
        "Effect": st.sampled_from(["Allow", "Allow", "Deny", "allow", "Maybe"]),
    },
    optional={
        "Sid": st.sampled_from(["", "S1", "with space", "ünï"]) | st.integers(),
        "Action": _one_or_many(st.sampled_from(ACTIONS)),
        "NotAction": _one_or_many(st.sampled_from(ACTIONS)),
        "Resource": _one_or_many(st.sampled_from(RESOURCES)),
        "NotResource": _one_or_many(st.sampled_from(RESOURCES)),
        "Condition": conditions,
        "Principal": principals,
        "NotPrincipal": principals,
        "Extra": st.just(1),
    },
)
documents = st.fixed_dictionaries(
    {"Statement": statement | st.lists(statement, max_size=3)},
    optional={
        "Version": st.sampled_from(["2012-10-17", "2012-10-17", "2008-10-17", "2020-01-01", ""]),
        "Id": st.text(max_size=5),
    },
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)
garbage = st.dictionaries(
    st.sampled_from(["Version", "Statement", "Id", "x"]), json_values, max_size=3
)
# Dicts, or their JSON text (sometimes cut short): both are documented policy= forms.
any_document = st.one_of(documents, documents, documents, garbage).flatmap(
    lambda d: st.sampled_from([d, json.dumps(d), json.dumps(d)[:-1] or "{"])
)
contexts = st.dictionaries(
    st.sampled_from(CONDITION_KEYS), _one_or_many(st.text(max_size=6)), max_size=3
)


@FUZZ
@given(
    identity=st.lists(any_document, max_size=2),
    boundary=st.none() | any_document,
    resource_policy=st.none() | any_document,
    action=st.sampled_from(ACTIONS[:8]),
    resource=st.sampled_from([GROUP_ARN, VERSION_ARN, "*", "arn:aws:s3:::sagemaker-x/k"]),
    context=contexts,
)
def test_simulate_decides_or_rejects(
    identity: list[Any],
    boundary: Any,
    resource_policy: Any,
    action: str,
    resource: str,
    context: dict[str, Any],
) -> None:
    try:
        evaluation = simulate(
            action,
            resource,
            identity_policies=identity,
            permissions_boundary=boundary,
            resource_policy=resource_policy,
            context=context,
        )
    except MalformedPolicyDocument as exc:
        assert str(exc)
        return
    assert evaluation.decision in DECISIONS


_clients: dict[str, Any] = {}


def _partner_client(reg: Any) -> Any:
    """A client signed as a principal in another account. Its keys derive from its name and
    account, so one client serves every activation (a new one would reload botocore's model)."""
    partner = reg.principal("partner", account_id=OTHER_ACCOUNT, policies=ALLOW_SAGEMAKER)
    key = partner.credentials.access_key
    if key not in _clients:
        _clients[key] = partner.client("sagemaker")
    return _clients[key]


def _call_and_check(reg: Any, call: Any) -> None:
    before = len(reg.calls)
    try:
        call()
    except ClientError as exc:
        code = exc.response["Error"]["Code"]
        assert code in {"AccessDeniedException", "ValidationException", "ResourceNotFound"}, code
        record = reg.calls[before]
        assert (code == "AccessDeniedException") == (not record.allowed), (code, record.decision)
        if code == "AccessDeniedException":
            assert record.decision in {"explicitDeny", "implicitDeny"}
        return
    assert reg.calls[before].decision == "allowed"


@FUZZ
@given(policy=any_document)
def test_mock_with_random_identity_policy(policy: Any) -> None:
    try:
        mock = mock_modelreg(policy=policy)
        reg = mock.__enter__()
    except MalformedPolicyDocument as exc:
        assert str(exc)
        return
    try:
        with reg.unrestricted():
            SM.create_model_package_group(ModelPackageGroupName=GROUP)
        _call_and_check(reg, lambda: SM.describe_model_package_group(ModelPackageGroupName=GROUP))
        _call_and_check(reg, lambda: SM.create_model_package_group(ModelPackageGroupName="other"))
    finally:
        mock.__exit__(None, None, None)


@FUZZ
@given(policy=any_document)
def test_random_group_resource_policy(policy: Any) -> None:
    """A cross-account caller's access is decided by the group's policy; a policy SageMaker would
    refuse is refused at PutModelPackageGroupPolicy, never at a later call."""
    text = policy if isinstance(policy, str) else json.dumps(policy)
    with mock_modelreg() as reg:
        with reg.unrestricted():
            SM.create_model_package_group(ModelPackageGroupName=GROUP)
        try:
            with reg.unrestricted():
                SM.put_model_package_group_policy(ModelPackageGroupName=GROUP, ResourcePolicy=text)
        except ClientError as exc:
            assert exc.response["Error"]["Code"] in {
                "ValidationException",
                "MalformedPolicyDocument",
            }
            return
        # What SageMaker accepts, the engine must be able to evaluate (found by this fuzz test:
        # a statement without Resource used to be accepted, then broke every later call).
        Policy.parse(text, policy_type="resource")
        other = _partner_client(reg)
        _call_and_check(
            reg, lambda: other.describe_model_package_group(ModelPackageGroupName=GROUP_ARN)
        )


def test_group_policy_the_engine_rejects_is_refused_at_put() -> None:
    """Regression (found by test_random_group_resource_policy): a statement without Resource."""
    policy = {
        "Version": "2012-10-17",
        "Statement": {"Effect": "Allow", "Action": "sagemaker:*", "Principal": "*"},
    }
    with mock_modelreg() as reg, reg.unrestricted():
        SM.create_model_package_group(ModelPackageGroupName=GROUP)
        with pytest.raises(ClientError) as caught:
            SM.put_model_package_group_policy(
                ModelPackageGroupName=GROUP, ResourcePolicy=json.dumps(policy)
            )
    assert caught.value.response["Error"]["Code"] == "ValidationException"

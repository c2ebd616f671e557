"""Isolation: every activation starts empty and leaves nothing behind, registry and moto-served
state alike, whether activations follow each other, nest, or run in pytest-xdist workers."""

from __future__ import annotations

import textwrap
from typing import Any

import boto3
import pytest
from moto import mock_aws

from pytest_modelreg import ModelRegistryHandle, mock_modelreg

BUCKET = "sagemaker-isolation"
ROLE_TRUST = (
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
    '"Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}'
)


# Clients made once (a client per call would reload botocore's models); unknown keys are the
# principal under test, and every call here runs unrestricted.
_SESSION = boto3.Session(
    aws_access_key_id="testing", aws_secret_access_key="x", region_name="us-east-1"
)
CLIENTS = {name: _SESSION.client(name) for name in ("sagemaker", "s3", "iam", "kms")}


def _state(reg: ModelRegistryHandle) -> dict[str, list[str]]:
    """What a test could observe: registry groups, and moto-served buckets, roles and keys."""
    with reg.unrestricted():
        sm, s3, iam, kms = (CLIENTS[n] for n in ("sagemaker", "s3", "iam", "kms"))
        return {
            "groups": [
                g["ModelPackageGroupName"]
                for g in sm.list_model_package_groups()["ModelPackageGroupSummaryList"]
            ],
            "buckets": [b["Name"] for b in s3.list_buckets()["Buckets"]],
            "roles": [r["RoleName"] for r in iam.list_roles()["Roles"]],
            "keys": [k["KeyId"] for k in kms.list_keys()["Keys"]],
        }


EMPTY: dict[str, list[str]] = {"groups": [], "buckets": [], "roles": [], "keys": []}


def _populate(reg: ModelRegistryHandle, tag: str) -> None:
    with reg.unrestricted():
        CLIENTS["sagemaker"].create_model_package_group(ModelPackageGroupName=f"g-{tag}")
        CLIENTS["s3"].create_bucket(Bucket=f"{BUCKET}-{tag}")
        CLIENTS["iam"].create_role(RoleName=f"role-{tag}", AssumeRolePolicyDocument=ROLE_TRUST)
        CLIENTS["kms"].create_key(Description=tag)


def test_sequential_activations_start_empty() -> None:
    for tag in ("first", "second", "third"):
        with mock_modelreg() as reg:
            assert _state(reg) == EMPTY
            _populate(reg, tag)
            assert _state(reg)["buckets"] == [f"{BUCKET}-{tag}"]


def test_nested_activation_sees_nothing_of_the_outer_and_leaves_nothing() -> None:
    with mock_modelreg() as outer:
        _populate(outer, "outer")
        before = _state(outer)
        with mock_modelreg() as inner:
            assert _state(inner) == EMPTY
            _populate(inner, "inner")
            assert _state(inner)["groups"] == ["g-inner"]
        assert _state(outer) == before
    with mock_modelreg() as after:
        assert _state(after) == EMPTY


def test_nested_activation_whose_outer_never_started_moto() -> None:
    with mock_modelreg() as outer:
        CLIENTS["sagemaker"].create_model_package_group(ModelPackageGroupName="g-outer")
        with mock_modelreg() as inner:
            _populate(inner, "inner")
        assert _state(outer) == {**EMPTY, "groups": ["g-outer"]}


def test_activation_inside_the_users_own_mock_aws() -> None:
    with mock_aws():
        s3: Any = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="users-bucket")
        with mock_modelreg() as reg:
            assert _state(reg) == EMPTY
            _populate(reg, "inside")
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["users-bucket"]


def _object(s3: Any, bucket: str, body: bytes) -> None:
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="k", Body=body)


def test_leaving_a_nested_activation_keeps_the_outer_users_object_bodies() -> None:
    # moto keeps S3 object bodies in temporary files; leaving the inner activation used to close
    # every one of them, the outer mock_aws's included ("I/O operation on closed file").
    with mock_aws():
        s3: Any = boto3.client("s3", region_name="us-east-1")
        _object(s3, "users-bucket", b"outer body")
        with mock_modelreg() as reg:
            _object(reg.admin_client("s3"), "inner-bucket", b"inner body")
        assert s3.get_object(Bucket="users-bucket", Key="k")["Body"].read() == b"outer body"


def test_leaving_a_nested_activation_keeps_the_outer_activations_object_bodies() -> None:
    with mock_modelreg() as outer:
        s3 = outer.admin_client("s3")
        _object(s3, "outer-bucket", b"outer body")
        with mock_modelreg() as inner:
            _object(inner.admin_client("s3"), "inner-bucket", b"inner body")
        assert s3.get_object(Bucket="outer-bucket", Key="k")["Body"].read() == b"outer body"


@pytest.mark.parametrize("round_", range(3))
def test_fixture_state_does_not_leak_between_tests(
    modelreg: ModelRegistryHandle, round_: int
) -> None:
    # Each parametrized run is its own test: the same names are free every time.
    assert _state(modelreg) == EMPTY
    _populate(modelreg, "same")


XDIST_TESTS = textwrap.dedent(
    """
    import boto3
    import pytest

    SESSION = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="x", region_name="us-east-1"
    )
    SM, S3 = SESSION.client("sagemaker"), SESSION.client("s3")

    @pytest.mark.parametrize("i", range(8))
    def test_same_names_in_every_test(modelreg, i):
        with modelreg.unrestricted():
            assert SM.list_model_package_groups()["ModelPackageGroupSummaryList"] == []
            assert S3.list_buckets()["Buckets"] == []
            SM.create_model_package_group(ModelPackageGroupName="shared-name")
            S3.create_bucket(Bucket="sagemaker-shared-name")
            S3.put_object(Bucket="sagemaker-shared-name", Key="k", Body=str(i).encode())
            body = S3.get_object(Bucket="sagemaker-shared-name", Key="k")["Body"].read()
            assert body == str(i).encode()
    """
)


def test_xdist_workers_are_isolated(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_workers=XDIST_TESTS)
    result = pytester.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=8)

"""Activation styles, state lifetime, environment and client coverage (api-contract.md, "Activation")."""

from __future__ import annotations

import os

import boto3
import pytest
from botocore.exceptions import ClientError

from pytest_modelreg import ModelRegistryHandle, mock_modelreg
from pytest_modelreg.activation import active


def _group_arn(name: str, account: str = "123456789012", region: str = "us-east-1") -> str:
    return f"arn:aws:sagemaker:{region}:{account}:model-package-group/{name}"


@mock_modelreg
def test_bare_decorator_activates_for_the_call() -> None:
    assert active() is not None
    sm = boto3.client("sagemaker")
    arn = sm.create_model_package_group(ModelPackageGroupName="g1")["ModelPackageGroupArn"]
    assert arn == _group_arn("g1")


def test_bare_decorator_is_inactive_outside() -> None:
    assert active() is None


@mock_modelreg(account_id="111122223333", region="eu-west-1")
def test_decorator_arguments_set_account_and_region() -> None:
    sm = boto3.client("sagemaker")
    arn = sm.create_model_package_group(ModelPackageGroupName="g1")["ModelPackageGroupArn"]
    assert arn == _group_arn("g1", "111122223333", "eu-west-1")
    assert boto3.client("sts").get_caller_identity()["Account"] == "111122223333"


@mock_modelreg(enforce="off")
class TestClassDecorator:
    def test_first_method_is_active(self) -> None:
        handle = active()
        assert handle is not None and handle.enforce == "off"

    def test_second_method_gets_fresh_state(self) -> None:
        sm = boto3.client("sagemaker")
        sm.create_model_package_group(ModelPackageGroupName="only-once")
        assert len(active().calls) == 1  # type: ignore[union-attr]

    def helper_is_not_decorated(self) -> None:  # not a test: left alone
        assert active() is None


def test_helper_methods_are_not_decorated() -> None:
    TestClassDecorator().helper_is_not_decorated()


def test_context_manager_yields_the_handle_and_discards_state() -> None:
    with mock_modelreg() as reg:
        assert isinstance(reg, ModelRegistryHandle)
        reg.client("sagemaker").create_model_package_group(ModelPackageGroupName="kept-inside")
    with mock_modelreg() as reg:
        with pytest.raises(ClientError) as missing:
            reg.admin_client("sagemaker").describe_model_package_group(
                ModelPackageGroupName="kept-inside"
            )
        assert missing.value.response["Error"]["Code"] == "ValidationException"


def test_nested_activation_has_its_own_registry_and_restores_the_outer() -> None:
    with mock_modelreg() as outer:
        outer.client("sagemaker").create_model_package_group(ModelPackageGroupName="outer")
        with mock_modelreg() as inner:
            assert active() is inner
            with pytest.raises(ClientError):
                inner.admin_client("sagemaker").describe_model_package_group(
                    ModelPackageGroupName="outer"
                )
        assert active() is outer
        outer.client("sagemaker").describe_model_package_group(ModelPackageGroupName="outer")


def test_clients_created_before_activation_are_covered() -> None:
    early = boto3.client(
        "sagemaker",
        region_name="us-east-1",
        # A placeholder key moto users set (moto docs, Getting Started): the principal under test.
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    with mock_modelreg() as reg:
        early.create_model_package_group(ModelPackageGroupName="early")
        assert reg.calls[-1].principal_arn == reg.principal_arn
        with pytest.raises(ClientError) as denied:
            early.list_model_package_groups()
        assert denied.value.response["Error"]["Code"] == "AccessDeniedException"


def test_environment_points_at_the_principal_under_test_and_is_restored() -> None:
    before = dict(os.environ)
    with mock_modelreg(region="ap-southeast-2") as reg:
        session = boto3.Session()
        assert session.region_name == "ap-southeast-2"
        identity = boto3.client("sts").get_caller_identity()
        assert identity["Arn"] == reg.principal_arn
        assert os.environ["AWS_EC2_METADATA_DISABLED"] == "true"
    assert dict(os.environ) == before


def test_async_functions_can_be_decorated() -> None:
    import asyncio

    @mock_modelreg
    async def body() -> bool:
        return active() is not None

    assert asyncio.run(body()) is True


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"enforce": "loud"}, "enforce must be one of 'strict', 'warn', 'off', not 'loud'"),
        ({"account_id": "12345"}, "account_id must be 12 digits"),
        ({"region": "Mars"}, "region must be a region name"),
    ],
)
def test_bad_arguments_are_rejected_with_a_clear_message(
    kwargs: dict[str, str], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        mock_modelreg(**kwargs)  # type: ignore[arg-type]


def test_an_operation_nobody_simulates_fails_naming_it() -> None:
    from pytest_modelreg import UnsupportedOperationError

    with mock_modelreg(enforce="off") as reg:
        with pytest.raises(UnsupportedOperationError) as unsupported:
            reg.client("sagemaker").describe_hub(HubName="h")
        assert "sagemaker.DescribeHub" in str(unsupported.value)
        assert isinstance(unsupported.value, NotImplementedError)


def test_a_service_outside_the_simulation_fails_naming_it() -> None:
    from pytest_modelreg import UnsupportedOperationError

    with mock_modelreg() as reg:
        runtime = reg.client("lex-runtime")
        with pytest.raises(
            UnsupportedOperationError,
            match=r"lex-runtime\.PostText: the 'lex-runtime' service is not simulated",
        ):
            runtime.post_text(botName="b", botAlias="a", userId="user", inputText="hi")


# The handle's members as README.md ("The handle") and api-contract.md document them; anything
# else on it is private (a leading underscore).
DOCUMENTED_HANDLE_MEMBERS = {
    "account_id",
    "region",
    "principal_arn",
    "enforce",
    "policies",
    "session",
    "client",
    "admin_session",
    "admin_client",
    "unrestricted",
    "principal",
    "calls",
    "denied",
    "required_policy",
    "expect_denial",
}


def test_the_handle_exposes_exactly_the_documented_members() -> None:
    with mock_modelreg() as reg:
        public = {name for name in dir(reg) if not name.startswith("_")}
    assert public == DOCUMENTED_HANDLE_MEMBERS


def test_leaving_activations_in_any_order_restores_the_environment_exactly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_REGION", "sa-east-1")
    monkeypatch.setenv("AWS_PROFILE", "production")
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    before = dict(os.environ)
    default_session = boto3.DEFAULT_SESSION
    first, second = mock_modelreg(region="eu-west-1"), mock_modelreg(region="ap-south-1")
    first.__enter__()
    inner = second.__enter__()
    first.__exit__(None, None, None)  # the outer one leaves first
    assert os.environ["AWS_REGION"] == "ap-south-1"  # the one still active keeps its environment
    assert boto3.client("sts").get_caller_identity()["Arn"] == inner.principal_arn
    second.__exit__(None, None, None)
    assert dict(os.environ) == before
    assert boto3.DEFAULT_SESSION is default_session

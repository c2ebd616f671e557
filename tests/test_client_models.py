"""Clients made under a mock share botocore's model work (pytest_modelreg.client_models), never
their state: each client keeps its own class, credentials, configuration and event handlers, as
botocore gives them (botocore docs, "Session": a session "stores configuration state and allows you
to create service clients"; "Event system": handlers registered on a session apply to the clients
it creates).
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from pytest_modelreg import mock_modelreg
from pytest_modelreg.containment import MockEndedError


def _session(key: str) -> boto3.Session:
    return boto3.Session(
        aws_access_key_id=key, aws_secret_access_key="secret", region_name="us-east-1"
    )


def test_clients_of_two_sessions_keep_their_own_credentials_config_and_class() -> None:
    with mock_modelreg():
        a = _session("testing").client("sagemaker", config=Config(retries={"max_attempts": 1}))
        b = _session("ak").client("sagemaker", region_name="eu-west-1")
        assert a.meta.service_model is b.meta.service_model  # shared, read-only
        assert type(a) is not type(b)  # botocore makes a class per client
        assert a.meta.method_to_api_mapping is not b.meta.method_to_api_mapping
        assert a._request_signer._credentials.access_key == "testing"
        assert b._request_signer._credentials.access_key == "ak"
        assert a.meta.config.retries["total_max_attempts"] == 2  # botocore counts the first try
        assert b.meta.config.retries != a.meta.config.retries
        assert (a.meta.region_name, b.meta.region_name) == ("us-east-1", "eu-west-1")
        assert a.meta.events is not b.meta.events


def test_handlers_registered_on_one_session_fire_for_its_clients_only() -> None:
    seen: list[str] = []

    def before_call(model: Any, **_: Any) -> None:
        seen.append(model.name)

    with mock_modelreg():
        mine, other = _session("testing"), _session("testing")
        mine.events.register("before-call.sagemaker", before_call)
        mine.client("sagemaker").list_model_packages()
        other.client("sagemaker").list_model_packages()
        boto3.client("sagemaker", region_name="us-east-1").list_model_packages()
    assert seen == ["ListModelPackages"]


def test_creating_client_class_handlers_still_shape_each_class() -> None:
    """botocore's creating-client-class event runs for every client, with a fresh attribute
    dict: a method one session adds is on that session's clients only."""

    def add_method(class_attributes: dict[str, Any], **_: Any) -> None:
        class_attributes["ping"] = lambda self: "pong"

    with mock_modelreg():
        extended = _session("testing")
        extended.events.register("creating-client-class.sagemaker", add_method)
        assert extended.client("sagemaker").ping() == "pong"
        plain = _session("testing").client("sagemaker")
        assert not hasattr(plain, "ping")
        assert plain.list_model_packages()["ModelPackageSummaryList"] == []


def test_a_client_of_one_activation_is_not_used_by_the_next() -> None:
    with mock_modelreg():
        first = boto3.client("sagemaker", region_name="us-east-1")
        first.create_model_package_group(ModelPackageGroupName="g")
    with mock_modelreg():
        second = boto3.client("sagemaker", region_name="us-east-1")
        assert second is not first and type(second) is not type(first)
        with pytest.raises(ClientError, match=r"ValidationException|does not exist"):
            second.describe_model_package_group(ModelPackageGroupName="g")
    with pytest.raises(MockEndedError):
        first.list_model_packages()


def test_methods_are_botocores_outside_a_mock() -> None:
    """A session made outside any mock builds its client as botocore does (nothing shared)."""
    with mock_modelreg():
        inside = boto3.client("sagemaker", region_name="us-east-1")
    outside = _session("testing").client("sagemaker")
    assert outside.meta.service_model is not inside.meta.service_model
    assert outside.create_model_package_group is not inside.create_model_package_group

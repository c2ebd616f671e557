"""moto's ``mock_aws`` in the same test as the plugin, with a service outside the explicit rows
(DynamoDB): the plugin judges, moto serves, and neither loses state when the other exits.

* ``mock_aws`` outside: the activation sets the user's moto state aside, starts empty (state
  starts empty for each activation) and gives it back on exit.
* ``mock_aws`` inside: moto is already running under the activation; moto's nested start neither
  resets nor stops it (``MockAWS._nested_count``), so both see one state until the activation ends.
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from pytest_modelreg import mock_modelreg

REGION = "us-east-1"
KEY_SCHEMA: dict[str, Any] = {
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
    "BillingMode": "PAY_PER_REQUEST",
}


def _tables(client: Any) -> list[str]:
    return list(client.list_tables()["TableNames"])


def test_a_table_made_under_mock_aws_survives_the_activation() -> None:
    with mock_aws():
        users = boto3.client("dynamodb", region_name=REGION)
        users.create_table(TableName="outer", **KEY_SCHEMA)
        users.put_item(TableName="outer", Item={"id": {"S": "1"}})
        with mock_modelreg() as reg:
            inner = reg.admin_client("dynamodb")
            assert _tables(inner) == []  # the activation starts empty
            inner.create_table(TableName="inner", **KEY_SCHEMA)
            assert _tables(inner) == ["inner"]
            # Judged: the managed policy grants no DynamoDB action.
            assert reg.calls[-1].service == "dynamodb"
        assert _tables(users) == ["outer"]  # the outer table, and only it
        item = users.get_item(TableName="outer", Key={"id": {"S": "1"}})["Item"]
        assert item == {"id": {"S": "1"}}


def test_a_table_made_under_an_inner_mock_aws_stays_for_the_activation() -> None:
    with mock_modelreg() as reg:
        admin = reg.admin_client("dynamodb")
        admin.create_table(TableName="before", **KEY_SCHEMA)
        with mock_aws():
            # moto is already running: the nested mock_aws sees the activation's state ...
            assert _tables(admin) == ["before"]
            admin.create_table(TableName="during", **KEY_SCHEMA)
        # ... and leaving it keeps what was made inside it.
        assert _tables(admin) == ["before", "during"]
        admin.put_item(TableName="during", Item={"id": {"S": "2"}})
        calls = [c.operation for c in reg.calls if c.service == "dynamodb"]
        assert calls.count("CreateTable") == 2  # the call inside mock_aws was judged too


def test_an_inner_mock_aws_started_before_moto_runs_keeps_its_tables_for_the_activation() -> None:
    with mock_modelreg() as reg:
        with mock_aws():  # the activation has not started moto yet
            reg.admin_client("dynamodb").create_table(TableName="first", **KEY_SCHEMA)
        assert _tables(reg.admin_client("dynamodb")) == ["first"]
    # After both: nothing leaks into a later activation or a later mock_aws.
    with mock_aws():
        assert _tables(boto3.client("dynamodb", region_name=REGION)) == []
    with mock_modelreg() as reg:
        assert _tables(reg.admin_client("dynamodb")) == []


def test_judging_applies_inside_the_users_mock_aws() -> None:
    with mock_aws(), mock_modelreg() as reg:
        with pytest.raises(ClientError) as denied:
            reg.client("dynamodb").create_table(TableName="t", **KEY_SCHEMA)
        assert denied.value.response["Error"]["Code"] == "AccessDeniedException"
        assert "dynamodb:CreateTable" in str(denied.value)
        assert _tables(reg.admin_client("dynamodb")) == []

"""Resource Groups' PutGroupConfiguration/GetGroupConfiguration and tag-sync tasks, and the
Tagging API's answer for a resource type it does not support, through boto3.

Every expectation comes from botocore's ``resource-groups`` / ``resourcegroupstaggingapi`` service
models (cited per test); the plugin's own choices are named after their ``_guesses`` entry.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

from pytest_modelreg import ModelRegistryHandle

from .test_collections import ACCOUNT, RG_ARN, conforms

ROLE = f"arn:aws:iam::{ACCOUNT}:role/tag-sync"
GENERIC = [
    {
        "Type": "AWS::ResourceGroups::Generic",
        "Parameters": [{"Name": "allowed-resource-types", "Values": ["AWS::S3::Bucket"]}],
    }
]
# TagSyncTaskArn pattern (botocore's resource-groups model).
TASK_ARN = re.compile(
    r"arn:aws(-[a-z]+)*:resource-groups:[a-z]{2}(-[a-z]+)+-\d{1}:[0-9]{12}:"
    r"group/[a-zA-Z0-9_\.-]{1,150}/[a-z0-9]{26}/tag-sync-task/[a-z0-9]{26}"
)


def _tag_query(key: str) -> dict[str, str]:
    return {
        "Type": "TAG_FILTERS_1_0",
        "Query": json.dumps(
            {"ResourceTypeFilters": ["AWS::AllSupported"], "TagFilters": [{"Key": key}]}
        ),
    }


@pytest.fixture
def rg(modelreg: ModelRegistryHandle) -> Any:
    return modelreg.admin_client("resource-groups")


# --- PutGroupConfiguration / GetGroupConfiguration ---------------------------------------------


def test_put_group_configuration_replaces_what_get_returns(rg: Any) -> None:
    rg.create_group(Name="apps", ResourceQuery=_tag_query("team"))
    assert "GroupConfiguration" not in rg.get_group_configuration(Group="apps")
    out = rg.put_group_configuration(Group="apps", Configuration=GENERIC)
    conforms("resource-groups", "PutGroupConfiguration", out)
    got = rg.get_group_configuration(Group=f"{RG_ARN}/apps")  # name or ARN (GroupString)
    conforms("resource-groups", "GetGroupConfiguration", got)
    # Configuration is "the configuration currently associated with the group and in effect";
    # the update is applied at once, so no ProposedConfiguration is left (GroupConfiguration).
    assert got["GroupConfiguration"] == {"Configuration": GENERIC, "Status": "UPDATE_COMPLETE"}
    rg.put_group_configuration(Group="apps", Configuration=[])
    assert "GroupConfiguration" not in rg.get_group_configuration(Group="apps")


def test_put_group_configuration_refuses_more_than_two_items_and_missing_groups(rg: Any) -> None:
    rg.create_group(Name="apps", Configuration=GENERIC)
    with pytest.raises(ClientError) as too_many:
        rg.put_group_configuration(Group="apps", Configuration=GENERIC * 3)
    # GroupConfigurationList: max 2 (botocore's model); BadRequestException is the service's 400.
    assert too_many.value.response["Error"]["Code"] == "BadRequestException"
    assert "less than or equal to 2" in too_many.value.response["Error"]["Message"]
    assert (
        rg.get_group_configuration(Group="apps")["GroupConfiguration"]["Configuration"] == GENERIC
    )
    with pytest.raises(ClientError) as missing:
        rg.put_group_configuration(Group="nope", Configuration=GENERIC)
    assert missing.value.response["Error"]["Code"] == "NotFoundException"


# --- tag-sync tasks ----------------------------------------------------------------------------


def test_a_tag_sync_task_is_started_listed_read_and_cancelled(rg: Any) -> None:
    rg.create_group(Name="app", ResourceQuery=_tag_query("app"))
    with freeze_time("2024-05-01 12:00:00"):
        started = rg.start_tag_sync_task(Group="app", TagKey="app", TagValue="churn", RoleArn=ROLE)
    conforms("resource-groups", "StartTagSyncTask", started)
    assert TASK_ARN.fullmatch(started["TaskArn"])
    assert {k: v for k, v in started.items() if k not in ("TaskArn", "ResponseMetadata")} == {
        "GroupArn": f"{RG_ARN}/app",
        "GroupName": "app",
        "TagKey": "app",
        "TagValue": "churn",
        "RoleArn": ROLE,
    }
    got = rg.get_tag_sync_task(TaskArn=started["TaskArn"])
    conforms("resource-groups", "GetTagSyncTask", got)
    assert got["Status"] == "ACTIVE"  # _guesses.TAG_SYNC_STATUS
    assert got["CreatedAt"] == datetime.fromisoformat("2024-05-01T12:00:00+00:00")
    listed = rg.list_tag_sync_tasks()
    conforms("resource-groups", "ListTagSyncTasks", listed)
    assert [t["TaskArn"] for t in listed["TagSyncTasks"]] == [started["TaskArn"]]
    out = rg.cancel_tag_sync_task(TaskArn=started["TaskArn"])
    assert set(out) == {"ResponseMetadata"}  # CancelTagSyncTask has no output shape
    assert rg.list_tag_sync_tasks()["TagSyncTasks"] == []
    with pytest.raises(ClientError) as gone:
        rg.get_tag_sync_task(TaskArn=started["TaskArn"])
    assert gone.value.response["Error"]["Code"] == "NotFoundException"
    with pytest.raises(ClientError) as again:
        rg.cancel_tag_sync_task(TaskArn=started["TaskArn"])
    # CancelTagSyncTask declares no NotFoundException (botocore's model).
    assert again.value.response["Error"]["Code"] == "BadRequestException"


def test_a_task_defined_by_a_tag_query_echoes_it(rg: Any) -> None:
    rg.create_group(Name="app", ResourceQuery=_tag_query("app"))
    query = _tag_query("stage")
    started = rg.start_tag_sync_task(Group=f"{RG_ARN}/app", ResourceQuery=query, RoleArn=ROLE)
    assert started["ResourceQuery"] == query
    assert "TagKey" not in started and "TagValue" not in started


@pytest.mark.parametrize(
    "definition",
    [
        # "If you specify a tag key-value pair, you can't use the ResourceQuery parameter."
        {"TagKey": "a", "TagValue": "b", "ResourceQuery": _tag_query("a")},
        # "When using the TagKey parameter, you must also specify the TagValue parameter."
        {"TagKey": "a"},
        {"TagValue": "b"},
        # A task is defined by one or the other.
        {},
        # "see the tag-based query type" (StartTagSyncTaskInput.ResourceQuery).
        {
            "ResourceQuery": {
                "Type": "CLOUDFORMATION_STACK_1_0",
                "Query": json.dumps(
                    {"StackIdentifier": f"arn:aws:cloudformation:us-east-1:{ACCOUNT}:stack/s/1"}
                ),
            }
        },
        # QueryType is TAG_FILTERS_1_0 or CLOUDFORMATION_STACK_1_0; Query is a JSON string.
        {"ResourceQuery": {"Type": "TAG_FILTERS_1.0", "Query": "bar"}},
    ],
)
def test_a_task_needs_a_tag_pair_or_a_tag_query(rg: Any, definition: dict[str, Any]) -> None:
    rg.create_group(Name="app", ResourceQuery=_tag_query("app"))
    with pytest.raises(ClientError) as exc:
        rg.start_tag_sync_task(Group="app", RoleArn=ROLE, **definition)
    assert exc.value.response["Error"]["Code"] == "BadRequestException"
    assert rg.list_tag_sync_tasks()["TagSyncTasks"] == []


def test_a_task_needs_an_iam_role_arn_and_an_existing_group(rg: Any) -> None:
    rg.create_group(Name="app", ResourceQuery=_tag_query("app"))
    with pytest.raises(ClientError) as bad_role:
        # RoleArn pattern: arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?... (botocore's model).
        rg.start_tag_sync_task(
            Group="app", TagKey="a", TagValue="b", RoleArn=f"arn:aws:iam::{ACCOUNT}:user/someone"
        )
    assert bad_role.value.response["Error"]["Code"] == "BadRequestException"
    with pytest.raises(ClientError) as no_group:
        rg.start_tag_sync_task(Group="nope", TagKey="a", TagValue="b", RoleArn=ROLE)
    assert no_group.value.response["Error"]["Code"] == "NotFoundException"


def test_list_filters_name_one_group_each_and_several_match_any(rg: Any) -> None:
    tasks = {}
    for name in ("one", "two", "three"):
        rg.create_group(Name=name, ResourceQuery=_tag_query("app"))
        tasks[name] = rg.start_tag_sync_task(Group=name, TagKey="app", TagValue=name, RoleArn=ROLE)[
            "TaskArn"
        ]

    def names(**kwargs: Any) -> list[str]:
        return [t["GroupName"] for t in rg.list_tag_sync_tasks(**kwargs)["TagSyncTasks"]]

    assert names(Filters=[{"GroupName": "two"}]) == ["two"]
    assert names(Filters=[{"GroupArn": f"{RG_ARN}/three"}]) == ["three"]
    assert sorted(names(Filters=[{"GroupName": "one"}, {"GroupArn": f"{RG_ARN}/two"}])) == [
        "one",
        "two",
    ]
    assert names(Filters=[{"GroupName": "nope"}]) == []
    # MaxResults 1-50 with NextToken (botocore's model): every task once, in pages.
    first = rg.list_tag_sync_tasks(MaxResults=2)
    rest = rg.list_tag_sync_tasks(MaxResults=2, NextToken=first["NextToken"])
    assert "NextToken" not in rest
    paged = [t["TaskArn"] for t in first["TagSyncTasks"] + rest["TagSyncTasks"]]
    assert sorted(paged) == sorted(tasks.values())
    # A group's tasks end with it.
    rg.delete_group(Group="one")
    assert sorted(names()) == ["three", "two"]


def test_tasks_are_per_account_and_region(modelreg: ModelRegistryHandle) -> None:
    east = modelreg.admin_client("resource-groups")
    west = modelreg.admin_client("resource-groups", region_name="us-west-2")
    east.create_group(Name="app", ResourceQuery=_tag_query("app"))
    east.start_tag_sync_task(Group="app", TagKey="a", TagValue="b", RoleArn=ROLE)
    assert west.list_tag_sync_tasks()["TagSyncTasks"] == []


# --- Tagging API: unsupported resource types ---------------------------------------------------


@pytest.mark.parametrize("operation", ["tag_resources", "untag_resources"])
def test_an_arn_of_a_service_not_simulated_fails_as_an_unsupported_type(
    modelreg: ModelRegistryHandle, operation: str
) -> None:
    tagging = modelreg.admin_client("resourcegroupstaggingapi")
    unknown = f"arn:aws:unknown:us-east-1:{ACCOUNT}:thing/x"
    missing_bucket = "arn:aws:s3:::no-such-bucket"
    payload: dict[str, Any] = (
        {"Tags": {"k": "v"}} if operation == "tag_resources" else {"TagKeys": ["k"]}
    )
    failed = getattr(tagging, operation)(ResourceARNList=[unknown, missing_bucket], **payload)[
        "FailedResourcesMap"
    ]
    # FailureInfo: InternalServiceException "can also mean that the resource type in the request is
    # not supported by the Resource Groups Tagging API"; the shape is a fault (5xx).
    assert failed[unknown]["ErrorCode"] == "InternalServiceException"
    assert failed[unknown]["StatusCode"] == 500
    # A served service's resource that does not exist stays InvalidParameterException ("The
    # target ID is invalid, unsupported, or doesn't exist", InvalidParameterException).
    assert failed[missing_bucket]["ErrorCode"] == "InvalidParameterException"

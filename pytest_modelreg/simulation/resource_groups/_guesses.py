"""Every [INFERRED] choice of the Resource Groups / Tagging API simulation, in one place.

Nothing here is evidenced by a real AWS response; change it here when evidence turns up. Evidenced
behaviour lives next to the code that implements it, with its source.
"""

from __future__ import annotations

from typing import Final

# --- Resource Groups -----------------------------------------------------------------------------
#: Duplicate CreateGroup. The SageMaker Python SDK (collection.py) only matches "group already
#: exists" in the message; the prefix is a guess.
GROUP_EXISTS: Final = "Cannot create group: group already exists"
#: Missing group (any op). botocore's documentation string of NotFoundException.
GROUP_NOT_FOUND: Final = "One or more of the specified resources don't exist."
#: CreateGroup with neither ResourceQuery nor Configuration.
NO_QUERY_NOR_CONFIGURATION: Final = (
    "Must specify either ResourceQuery or Configuration with type AWS::ResourceGroups::Generic"
)
#: A query whose text is not what its Type requires.
QUERY_INVALID: Final = "Query not valid: {why}"
#: GetGroupQuery / UpdateGroupQuery on a group that has a configuration instead of a query.
NO_QUERY: Final = "Group {name} does not have a resource query"
#: GroupResources / UngroupResources on a tag-query group.
NOT_A_GENERIC_GROUP: Final = "Group {name} does not support adding or removing resources"
#: DeleteGroup of a generic group with deletion-protection UNLESS_EMPTY that still has members.
NOT_EMPTY: Final = "Group {name} cannot be deleted while it contains resources"
#: A NextToken this service did not issue for this call.
BAD_TOKEN_RG: Final = "Invalid NextToken"
#: Reserved prefix / tag limits (general AWS tagging rules; wording guessed).
TAG_RESERVED: Final = "Tag keys must not start with 'aws:': {key}"
TAG_LIMIT: Final = "A resource can have at most 50 tags"
#: ListGroupResources with resource-type filters outside the group's query. The first sentence is
#: documented (API_ListGroupResources: "a message similar to the following"); how the list of
#: failing types is appended is a guess.
INVALID_FILTER_TYPES: Final = (
    "The resource types specified as filters in the request are not valid. "
    "Invalid resource types: [{types}]"
)
#: ListGroups' default page size (ListGroupResources' 50 is documented: API_ListGroupResources,
#: MaxResults "By default, this number is 50").
LIST_GROUPS_PAGE: Final = 50
LIST_GROUP_RESOURCES_PAGE: Final = 50
#: A group never lists itself, even when its own tags match its own query.
GROUP_EXCLUDES_ITSELF: Final = True
#: ListGroupResources always carries QueryErrors (an empty list when there are none).
ALWAYS_QUERY_ERRORS: Final = True
#: Message of the QueryError for a CloudFormation stack query (CloudFormation is not simulated, so
#: no stack exists).
STACK_NOT_EXISTING: Final = "Stack {stack} does not exist"

# --- Tag-sync tasks ------------------------------------------------------------------------------
#: A task's Status: always ACTIVE (AWS reports ERROR when it cannot manage the application, e.g.
#: a role it cannot assume; the simulation neither assumes the role nor tags resources).
TAG_SYNC_STATUS: Final = "ACTIVE"
#: What a task does (tag matching resources with awsApplication) is not simulated: a task is
#: recorded and reported only.
#: StartTagSyncTask with both a tag pair and a ResourceQuery, neither, or half a pair. No AWS
#: response is public; the wording is moto 5.2.5's (its test_start_tag_sync_task_with_query_and_
#: tags), kept so that code matching it behaves alike.
TAG_SYNC_DEFINITION: Final = (
    "To define a task, you can use TagKey and TagValue with non-null values, or use a ResourceQuery"
)
#: StartTagSyncTask with a query that is not tag-based.
TAG_SYNC_QUERY_TYPE: Final = "Query type {type} is not supported for tag-sync tasks"
#: CancelTagSyncTask of a task that does not exist (the operation declares no NotFoundException).
TAG_SYNC_NOT_FOUND: Final = "Tag-sync task {arn} does not exist"
#: ListTagSyncTasks' default page size (MaxResults is 1-50, botocore's model).
LIST_TAG_SYNC_TASKS_PAGE: Final = 50

# --- Tagging API ---------------------------------------------------------------------------------
#: GetResources default ResourcesPerPage (documented range 1-100) and TagsPerPage (100-500).
RESOURCES_PER_PAGE: Final = 100
TAGS_PER_PAGE: Final = 500
BAD_TOKEN_TAGGING: Final = "The specified pagination token is not valid"
RESOURCES_PER_PAGE_RANGE: Final = "ResourcesPerPage must be between 1 and 100"
TAGS_PER_PAGE_RANGE: Final = "TagsPerPage must be between 100 and 500"
ARN_LIST_WITH_FILTERS: Final = (
    "Specify either ResourceARNList or TagFilters/ResourceTypeFilters, but not both"
)
#: FailedResourcesMap message for an ARN of a service the simulation does not serve (the code,
#: InternalServiceException, is documented: botocore's model, FailureInfo).
UNSUPPORTED_TYPE: Final = "The resource type of {arn} is not supported"
#: FailedResourcesMap entry for an ARN of a served service that nothing in the simulation holds.
UNKNOWN_RESOURCE: Final = (404, "InvalidParameterException", "Resource {arn} does not exist")

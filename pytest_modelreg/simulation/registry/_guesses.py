"""Every behaviour the spec marks [INFERRED], in one place so it is easy to correct.

Each constant cites the spec section it comes from. When real AWS evidence turns up, change the
value here; nothing else in the registry hard-codes these texts or choices.
"""

from __future__ import annotations

# --- messages -----------------------------------------------------------------------------------

# §2.4: deleting a group that still holds versions. Code: ConflictException (the only modelled one).
GROUP_NOT_EMPTY = (
    "Model Package Group {name} has model packages. "
    "Delete all the model packages in the group before deleting the group."
)
# §4.1 + Addendum: code written against real AWS matches this text for a missing group on create.
CREATE_PACKAGE_GROUP_MISSING = "Model Package Group does not exist."
# §4.1: a group being deleted.
GROUP_NOT_READY = "Model Package Group {arn} is in {status} status."
# §4.1: duplicate unversioned name; the real text is only known to contain
# "ModelPackage already exists".
PACKAGE_ALREADY_EXISTS = "ModelPackage already exists: {arn}"
# §3/§4.1, Addendum: versioned packages cannot carry tags.
VERSIONED_TAGS_ON_CREATE = "Tags cannot be specified when ModelPackageGroupName is specified."
# §3: SDK-side refusals assumed to be enforced by the service too.
UNVERSIONED_MODEL_DATA_SOURCE = (
    "ModelDataSource cannot be specified when using non-versioned ModelPackages"
)
UNVERSIONED_SOURCE_URI = "SourceUri cannot be specified when using non-versioned ModelPackages"
# §4.1: SourceUri (not an ARN) together with an InferenceSpecification.
SOURCE_URI_WITH_INFERENCE_SPEC = (
    "InferenceSpecification cannot be specified together with a SourceUri that is not a "
    "model or model package ARN."
)
# §4.1: same ClientToken, different request.
CLIENT_TOKEN_MISMATCH_CODE = "ConflictException"
CLIENT_TOKEN_MISMATCH = "The ClientToken {token} was already used with a different request."
# §6.4
UPDATE_UNVERSIONED = "UpdateModelPackage is only supported for versioned model packages: {arn}"
UPDATE_NOTHING = "No updatable field was specified for ModelPackage {arn}."
UPDATE_IN_PROGRESS = "ModelPackage {arn} cannot be modified while its status is {status}."
METADATA_SET_AND_REMOVE = (
    "CustomerMetadataProperties and CustomerMetadataPropertiesToRemove contain the same key: {key}"
)
METADATA_TOO_MANY = "CustomerMetadataProperties cannot have more than 50 entries."
ADDITIONAL_SPECS_TOO_MANY = (
    "Total number of additional Inference Specifications can not exceed 15"  # [MODEL] doc text
)
ADDITIONAL_SPEC_DUPLICATE = "AdditionalInferenceSpecification with Name {name} already exists."
# §6.5
DELETE_IN_PROGRESS = "ModelPackage {arn} cannot be deleted while its status is {status}."
# §7: invalid group policy.
POLICY_INVALID = "Invalid resource policy: {reason}"
# §1.5
INVALID_TOKEN = "Invalid pagination token"
# §8.4
TAG_LIMIT = "Resource {arn} cannot have more than 50 tags."
TAG_RESERVED_PREFIX = "Tag keys starting with 'aws:' are reserved for system use: {key}"
VERSIONED_TAGS = "Tags cannot be added to a versioned model package: {arn}"
# §8.1 Search
SEARCH_UNKNOWN_PROPERTY = "Unknown property name: {name}"  # [MOTO] wording
SEARCH_EMPTY_EXPRESSION = (
    "SearchExpression must contain at least one Filter, NestedFilter or SubExpression."
)
SEARCH_TOO_COMPLEX = (
    "The maximum number of recursive SubExpressions, NestedFilters, and Filters in a "
    "SearchExpression is 50."
)
SEARCH_OPERATOR_TYPE = "Operator {operator} is not supported for property {name}."
SEARCH_VALUE_MISSING = "Filter on {name} with operator {operator} requires a Value."
SEARCH_BAD_NUMBER = "Value '{value}' for property {name} must be a number."
SEARCH_BAD_TIMESTAMP = "Value '{value}' for property {name} must be an ISO 8601 timestamp."
SEARCH_NESTED_PREFIX = "Nested filter property {name} must start with {prefix}."
# §12.1 CreateModel from a package
CREATE_MODEL_NOT_APPROVED = (
    "Model Package {arn} is not approved. "
    "Only approved model packages can be used to create a model."
)
CREATE_MODEL_NOT_COMPLETED = "Model Package {arn} is not in Completed status (status: {status})."
CREATE_MODEL_SPEC_MISSING = (
    "InferenceSpecificationName {name} does not exist in Model Package {arn}."
)
# §11 Inference Recommender
IR_INPUT_EXACTLY_ONE = "Exactly one of ModelPackageVersionArn and ModelName must be provided."
IR_UNVERSIONED = "Inference Recommender requires a versioned model package: {arn}"
IR_JOB_EXISTS = "Inference recommendations job {arn} already exists."
IR_JOB_MISSING = "Inference recommendations job {name} does not exist."
# §9 lineage
LINEAGE_MISSING = "{kind} {arn} does not exist."

# --- behaviour choices --------------------------------------------------------------------------


# §1.2: path of a list element in validation messages (AWS JSON family form).
def list_member_path(path: str, index: int) -> str:
    return f"{path}.{index + 1}.member"


# §1.2: "." in model patterns (PolicyString and ModelCardContent are ".*") also matches line breaks.
# Java's default would refuse a pretty-printed policy document, which AWS is not known to do; a
# false rejection hurts tests more than a false acceptance.
PATTERN_DOT_MATCHES_NEWLINE = True

# §1.5: default page sizes for ops whose model does not document one.
DEFAULT_PAGE_SIZE = 10
DEFAULT_LIST_TAGS_PAGE_SIZE = 50
# §2.3: NameContains is matched case-insensitively.
NAME_CONTAINS_CASE_INSENSITIVE = True
# §6.3: ListModelPackages on a group that does not exist raises (True) or returns [] (False).
LIST_MISSING_GROUP_RAISES = True
# §3 / Addendum: reject Tags on versioned packages (create and AddTags). Older accounts may accept.
REJECT_TAGS_ON_VERSIONED = True
# §4.1 boto/boto3#4510: AdditionalS3DataSource is refused by the service.
REJECT_ADDITIONAL_S3_DATA_SOURCE = True
# §8.1: a record lacking the property matches NotEquals (and not Equals/ranges/In/Contains).
NOT_EQUALS_MATCHES_MISSING = True
# §8.1: sort property used when a record lacks LastModifiedTime (never updated).
LAST_MODIFIED_FALLBACK = "CreationTime"
# §9: lineage entity types and naming.
MODEL_DATA_ARTIFACT_TYPE = "Model"  # DataHub stubs; the SDK also knows "ModelData"
APPROVAL_ACTION_TYPE = "Approval"
# Association between the package artifact and its approval action.
APPROVAL_ASSOCIATION_TYPE = "ContributedTo"
# Approval action Status mirrors the approval status.
APPROVAL_ACTION_STATUS = {
    "PendingManualApproval": "InProgress",
    "Approved": "Completed",
    "Rejected": "Failed",
}
# §11: FailureReason texts come from the DOC troubleshooting table; these two have no DOC text.
IR_MISSING_TASK = (
    "Specify Task in the Model Package version {version}. "
    "Task is a mandatory parameter for the job."
)
IR_MISSING_PAYLOAD = (
    "Specify SamplePayloadUrl in the Model Package version {version}. "
    "SamplePayloadUrl is a mandatory parameter for the job."
)
IR_MISSING_FRAMEWORK_VERSION = (
    "Specify FrameworkVersion in the Model Package version {version}. "
    "FrameworkVersion is a mandatory parameter for the job."
)

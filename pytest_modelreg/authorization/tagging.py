"""Resource Groups Tagging API: actions ``tag:<Operation>`` (the IAM prefix is ``tag``, not the
endpoint prefix ``tagging``; see ``pytest_modelreg.services``).

Read operations have no resource-level permissions ('*'). TagResources / UntagResources also need
the owning service's own tagging permission on every ARN ("you must have ... tag:TagResources
... and the permissions to tag the resources", API_TagResources "Permissions";
https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_TagResources.html).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Final

from pytest_modelreg.arn import Arn

from .language import (
    STAR,
    Call,
    Fn,
    RequestTags,
    ServiceTable,
    Table,
    TagKeys,
    authz,
    reference,
)

#: ARN service -> (tag action, untag action) of the service that owns the resource.
SERVICE_TAG_ACTIONS: Final[Mapping[str, tuple[str, str]]] = {
    "sagemaker": ("sagemaker:AddTags", "sagemaker:DeleteTags"),
    "resource-groups": ("resource-groups:Tag", "resource-groups:Untag"),
    "ecr": ("ecr:TagResource", "ecr:UntagResource"),
    "kms": ("kms:TagResource", "kms:UntagResource"),
    # S3 buckets: the whole tag set is replaced (s3:PutBucketTagging for both directions).
    "s3": ("s3:PutBucketTagging", "s3:PutBucketTagging"),
}
_IAM_TAG_ACTIONS: Final[Mapping[str, str]] = {
    "role": "Role",
    "user": "User",
    "policy": "Policy",
    "instance-profile": "InstanceProfile",
    "oidc-provider": "OpenIDConnectProvider",
    "saml-provider": "SAMLProvider",
    "server-certificate": "ServerCertificate",
    "mfa": "MFADevice",
}


def service_tag_action(arn: str, untag: bool) -> str:
    """The owning service's tagging action for an ARN (default ``<service>:TagResource``)."""
    parsed = Arn.parse(arn)
    if parsed is None:
        return "tag:TagResources"
    service = parsed.service
    if service == "iam":
        kind = _IAM_TAG_ACTIONS.get(parsed.resource_type, "Role")
        return f"iam:{'Untag' if untag else 'Tag'}{kind}"
    pair = SERVICE_TAG_ACTIONS.get(service)
    if pair:
        return pair[1] if untag else pair[0]
    return _other_service_action(service, untag)


@functools.cache
def _other_service_action(service: str, untag: bool) -> str:
    """The first tagging action the SAR knows for the service (EC2: CreateTags/DeleteTags)."""
    names = (
        ("UntagResource", "DeleteTags", "RemoveTags")
        if untag
        else ("TagResource", "CreateTags", "AddTags")
    )
    for name in names:
        if reference.action_exists(f"{service}:{name}"):
            return f"{service}:{name}"
    return f"{service}:{names[0]}"


def _s3_arns(call: Call) -> list[str]:
    """The S3 buckets in ResourceARNList."""
    found = []
    for text in call.params.get("ResourceARNList") or ():
        parsed = Arn.parse(text) if isinstance(text, str) else None
        if parsed is not None and parsed.service == "s3":
            found.append(text)
    return found


S3_BUCKETS: Final = Fn(_s3_arns, "each S3 bucket in ResourceARNList[]")


def _names_s3(call: Call) -> bool:
    return bool(_s3_arns(call))


_names_s3.__doc__ = "ResourceARNList has S3 buckets"


def _tag_action(arn: str) -> str:
    return service_tag_action(arn, untag=False)


def _untag_action(arn: str) -> str:
    return service_tag_action(arn, untag=True)


TAGGING: Final[Table] = {
    "GetResources": (authz("tag:GetResources", STAR),),
    "GetTagKeys": (authz("tag:GetTagKeys", STAR),),
    "GetTagValues": (authz("tag:GetTagValues", STAR),),
    "TagResources": (
        authz("tag:TagResources", STAR, RequestTags()),
        authz(
            "<owning service's tag action>",
            "ResourceARNList[]",
            RequestTags(),
            action_for=_tag_action,
        ),
        # "to tag an Amazon S3 bucket, you must also have the s3:GetBucketTagging permission"
        # (API_TagResources "Minimum permissions", botocore 1.44.8 model documentation).
        authz("s3:GetBucketTagging", S3_BUCKETS, when=_names_s3),
    ),
    "UntagResources": (
        authz("tag:UntagResources", STAR, TagKeys("TagKeys")),
        authz(
            "<owning service's untag action>",
            "ResourceARNList[]",
            TagKeys("TagKeys"),
            action_for=_untag_action,
        ),
    ),
}

TABLE: Final = ServiceTable("resourcegroupstaggingapi", TAGGING)

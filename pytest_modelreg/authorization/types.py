"""The data the mapping layer hands to the IAM evaluator, and what it needs from the simulation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

ContextValue = str | tuple[str, ...]
"""A request-context value; a tuple is a multivalued key (``aws:TagKeys``)."""


@dataclass(frozen=True, slots=True)  # made for every call
class AuthorizationRequest:
    """One (action, resource, context) triple AWS authorizes for a call.

    ``action`` is the IAM action (``s3:GetObject``), never the SigV4 signing name.
    ``resource`` is an ARN or ``"*"``. ``context`` holds only request-specific keys; global
    principal keys (``aws:PrincipalArn`` ...) are added by the interception layer.
    """

    action: str
    resource: str
    context: Mapping[str, ContextValue] = field(default_factory=dict, hash=False)
    resource_account: str | None = None
    """The account that owns the resource when its ARN does not say (S3 buckets and objects,
    from the optional state method ``bucket_owner``); None = read it from the ARN."""

    @property
    def service_prefix(self) -> str:
        return self.action.partition(":")[0]


@runtime_checkable
class ResourceState(Protocol):
    """What the mapping reads from the simulated state. Kept deliberately small.

    Optional extras (looked up with ``getattr``; implement them to be more precise):

    * ``next_model_package_version(group_arn: str) -> int | None`` - the version number the next
      ``CreateModelPackage`` into the group will get (so the new version's ARN is exact).
    * ``kms_key_arn(account_id: str, region: str, key_id: str) -> str | None`` - resolves a key id,
      key ARN, alias name or alias ARN to the key ARN.
    * ``model_package_kms_key(package_arn: str) -> str | None`` - the KMS key a model package was
      created with (``SecurityConfig.KmsKeyId``), for the KMS calls SageMaker makes when reading it.
    * ``bucket_owner(bucket: str) -> str | None`` - the account owning an S3 bucket (S3 ARNs carry
      no account), returned as ``AuthorizationRequest.resource_account`` for cross-account checks.
    * ``secret_arn(account_id, region, secret_id) -> str | None`` - a secret's name or ARN resolved
      to its full ARN (random suffix included); ``secret_kms_key(...)`` - the customer managed key
      it is encrypted with.
    * ``partition_key(account_id, region, table) -> str | None`` - a DynamoDB table's partition
      key attribute (for ``dynamodb:LeadingKeys``).
    """

    def tags_of(self, arn: str) -> Mapping[str, str] | None:
        """Tags of an existing resource (S3 objects: the object tags); None if it does not exist."""
        ...

    def role_arn(self, account_id: str, role_name: str) -> str | None:
        """The IAM role's ARN including its path; None if the role does not exist."""
        ...


class UnmappedOperation(NotImplementedError):
    """No authorization mapping exists for an operation: the call must be denied (fail closed)."""

    def __init__(self, service: str, operation: str, reason: str = "") -> None:
        self.service = service
        self.operation = operation
        self.reason = reason
        detail = f" ({reason})" if reason else ""
        super().__init__(
            f"pytest-modelreg has no IAM authorization mapping for {service}.{operation}{detail}; "
            "the call is denied rather than allowed unchecked. Add an entry for it in "
            f"pytest_modelreg/authorization/ (the {service} table), or report it at the "
            "pytest-modelreg issue tracker with the operation name and the IAM actions AWS "
            "documents for it in the Service Authorization Reference."
        )

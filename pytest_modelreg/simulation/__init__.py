"""The simulated AWS of one activation: the package's own Model Registry, moto for the rest, and
the read-only view of their state that authorization needs (tags, resource policies, owners).

Seams:

* ``registry`` (:class:`~pytest_modelreg.simulation.registry.ModelRegistry`) serves every SageMaker
  call it ``claims``; it is called in-process, without an HTTP round trip.
* ``moto`` (:class:`~pytest_modelreg.simulation.moto.MotoBackend`) is started on the first call no
  in-process service claims and serves it through botocore's ``before-send``. Everything read from
  moto's state goes through the adapter :mod:`pytest_modelreg.simulation.moto`.
* :class:`Simulation` implements the authorization layer's ``ResourceState`` protocol over both.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Protocol

from pytest_modelreg.arn import Arn
from pytest_modelreg.simulation import moto
from pytest_modelreg.simulation.base import CallContext, ServiceError
from pytest_modelreg.simulation.identity import IdentityService
from pytest_modelreg.simulation.moto import MotoBackend
from pytest_modelreg.simulation.registry import ModelRegistry
from pytest_modelreg.simulation.registry.arns import is_registry_arn
from pytest_modelreg.simulation.resource_groups import ResourceGroupsService

__all__ = ["CallContext", "InProcessService", "ServiceError", "Simulation"]


class InProcessService(Protocol):
    """A simulated service (or part of one) answered in-process, ahead of moto."""

    def claims(self, service: str, operation: str, params: Mapping[str, Any]) -> bool:
        """True if this service answers the call itself."""

    def handle(
        self, service: str, operation: str, params: Mapping[str, Any], ctx: CallContext
    ) -> dict[str, Any]:
        """The parsed response, as botocore returns it; raises ServiceError for AWS's errors."""

    def before_moto(
        self, service: str, operation: str, params: Mapping[str, Any], ctx: CallContext
    ) -> None:
        """Checks on a call moto will serve that depend on this service's state (may raise)."""


class _RegistryService:
    """The Model Registry, seen as one of the in-process services (it only speaks SageMaker)."""

    def __init__(self, registry: ModelRegistry) -> None:
        self.registry = registry

    def claims(self, service: str, operation: str, params: Mapping[str, Any]) -> bool:
        return service == "sagemaker" and self.registry.claims(operation, params)

    def handle(
        self, service: str, operation: str, params: Mapping[str, Any], ctx: CallContext
    ) -> dict[str, Any]:
        return self.registry.handle(operation, params, ctx)

    def before_moto(
        self, service: str, operation: str, params: Mapping[str, Any], ctx: CallContext
    ) -> None:
        if service == "sagemaker":
            self.registry.before_moto(operation, params, ctx)


class _SageMakerTagsOnMotoResources:
    """Tag calls on the SageMaker resources moto owns (models, endpoints ...). moto crashes on an
    ARN it does not hold; AWS answers ``ValidationException: Resource does not exist`` (observed
    for a tuning job's ARN in the public issue boto/boto3#4606)."""

    _OPERATIONS = frozenset({"AddTags", "DeleteTags", "ListTags"})

    def __init__(self, moto: MotoBackend) -> None:
        self.moto = moto

    def claims(self, service: str, operation: str, params: Mapping[str, Any]) -> bool:
        return False

    def handle(
        self, service: str, operation: str, params: Mapping[str, Any], ctx: CallContext
    ) -> dict[str, Any]:
        raise AssertionError("claims nothing")

    def before_moto(
        self, service: str, operation: str, params: Mapping[str, Any], ctx: CallContext
    ) -> None:
        if service == "sagemaker" and operation in self._OPERATIONS:
            self.moto.ensure_started()
            if moto.tags_of(str(params.get("ResourceArn", ""))) is None:
                raise ServiceError("ValidationException", "Resource does not exist")


class Simulation:
    """All simulated state of one activation."""

    def __init__(self) -> None:
        self.registry = ModelRegistry()
        self.moto = MotoBackend()
        # Asked in order; the first that claims a call serves it. Whatever none claims goes to moto.
        # Resource Groups and the Tagging API are served whole, over the registry and moto.
        self.resource_groups = ResourceGroupsService(self.registry, self.moto)
        self.services: list[InProcessService] = [
            _RegistryService(self.registry),
            IdentityService(self.moto),
            self.resource_groups,
            _SageMakerTagsOnMotoResources(self.moto),
        ]

    def close(self) -> None:
        self.moto.stop()

    def serve(
        self, service: str, operation: str, params: Mapping[str, Any], ctx: CallContext
    ) -> dict[str, Any] | None:
        """The parsed response of a call served in-process, or None if moto must serve it (in
        which case it is started). Raises ServiceError for the service's own errors."""
        for simulated in self.services:
            if simulated.claims(service, operation, params):
                return simulated.handle(service, operation, params, ctx)
        for simulated in self.services:
            simulated.before_moto(service, operation, params, ctx)
        self.moto.ensure_started()
        return None

    # -- ResourceState: what authorization reads -------------------------------------------
    def tags_of(self, arn: str) -> Mapping[str, str] | None:
        tags = self.registry.tags_of(arn)
        if tags is None:
            tags = self.resource_groups.tags_of(arn)  # resource groups (collections)
        # Registry resources live only in the registry: asking moto about one (a version being
        # created, say) would page through its SageMaker tags for nothing.
        if tags is not None or not self.moto.started or is_registry_arn(arn):
            return tags
        return moto.tags_of(arn)

    def role_arn(self, account_id: str, role_name: str) -> str | None:
        return moto.role_arn(account_id, role_name) if self.moto.started else None

    def bucket_owner(self, bucket: str) -> str | None:
        """The account that owns an S3 bucket (S3 ARNs carry no account)."""
        return moto.bucket_owner(bucket) if self.moto.started else None

    def kms_key_arn(self, account_id: str, region: str, key_id: str) -> str | None:
        """A key id, key ARN, alias name or alias ARN resolved to the key's ARN."""
        return moto.kms_key_arn(account_id, region, key_id) if self.moto.started else None

    def next_model_package_version(self, group_arn: str) -> int | None:
        return self.registry.next_model_package_version(group_arn)

    def model_package_kms_key(self, package_arn: str) -> str | None:
        return self.registry.model_package_kms_key(package_arn)

    def resource_policy(self, arn: str, action: str) -> dict[str, Any] | str | None:
        """The resource-based policy AWS evaluates for ``action`` on ``arn``, if there is one."""
        policy = self.registry.resource_policy(arn)
        if policy is not None or not self.moto.started:
            return policy
        parsed = Arn.parse(arn)
        if parsed is None:
            return None
        kind = (parsed.service, parsed.resource_type)
        if kind == ("iam", "role") and not action.lower().startswith(_ASSUME_ACTIONS):
            return None
        document = moto.resource_policy(arn)
        if document is None or kind not in _IMPLIED_RESOURCE:
            return document
        return _with_resource(document, arn)


# A role's trust policy is its resource policy for the actions that assume the role only ("Roles
# terms and concepts", IAM User Guide: the trust policy "defines which principals can assume the
# role").
_ASSUME_ACTIONS = ("sts:assumerole", "sts:tagsession", "sts:setsourceidentity")
# Policies whose statements name no Resource: the resource they are attached to is implied (a
# role's trust policy; an ECR repository policy, "Private repository policies in Amazon ECR",
# Amazon ECR User Guide, whose examples carry no Resource element).
_IMPLIED_RESOURCE = frozenset({("iam", "role"), ("ecr", "repository")})


def _with_resource(text: str, arn: str) -> dict[str, Any] | str:
    """The policy with ``arn`` filled in as the Resource of every statement that names none, as
    the IAM engine needs every statement to name its resources. Text that is no JSON object is
    left for the IAM engine to refuse, in IAM's words."""
    try:
        document = json.loads(text)
    except ValueError:
        return text
    if not isinstance(document, dict):
        return text
    statements = document.get("Statement", [])
    for st in statements if isinstance(statements, list) else [statements]:
        if isinstance(st, dict) and "Resource" not in st and "NotResource" not in st:
            st["Resource"] = arn
    return document

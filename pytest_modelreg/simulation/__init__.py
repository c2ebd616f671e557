"""The simulated AWS of one activation: the package's own Model Registry, moto for the rest, and
the read-only view of their state that authorization needs (tags, resource policies, owners).

Seams:

* ``registry`` (:class:`~pytest_modelreg.simulation.registry.ModelRegistry`) serves every SageMaker
  call it ``claims``; it is called in-process, without an HTTP round trip.
* ``moto`` (:class:`~pytest_modelreg.simulation.moto_backend.MotoBackend`) is started on the first
  call the registry does not own and serves it through botocore's ``before-send``.
* :class:`Simulation` implements the authorization layer's ``ResourceState`` protocol over both.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Protocol

from pytest_modelreg.arn import Arn
from pytest_modelreg.simulation.base import CallContext, ServiceError
from pytest_modelreg.simulation.identity import IdentityService
from pytest_modelreg.simulation.moto_backend import MotoBackend
from pytest_modelreg.simulation.registry import ModelRegistry
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
    ARN it does not hold; AWS answers ``ValidationException: Resource does not exist`` (spec §1.7,
    [REAL] boto/boto3#4606)."""

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
            if _moto_tags_of(str(params.get("ResourceArn", ""))) is None:
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
            IdentityService(),
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
        if tags is not None or not self.moto.started:
            return tags
        return _moto_tags_of(arn)

    def role_arn(self, account_id: str, role_name: str) -> str | None:
        if not self.moto.started:
            return None
        from moto.iam.models import iam_backends

        if account_id not in iam_backends:
            return None
        role = next(
            (r for r in iam_backends[account_id]["aws"].roles.values() if r.name == role_name),
            None,
        )
        return None if role is None else str(role.arn)

    def bucket_owner(self, bucket: str) -> str | None:
        """The account that owns an S3 bucket (S3 ARNs carry no account)."""
        if not self.moto.started:
            return None
        from moto.s3.models import s3_backends

        for account_id, backends in list(s3_backends.items()):
            if bucket in backends["aws"].buckets:
                return str(account_id)
        return None

    def kms_key_arn(self, account_id: str, region: str, key_id: str) -> str | None:
        """A key id, key ARN, alias name or alias ARN resolved to the key's ARN."""
        if not self.moto.started:
            return None
        from moto.kms.models import kms_backends

        try:
            kms = kms_backends[account_id][region]
            resolved = kms.get_key_id(key_id)
            if resolved.startswith("alias/"):
                resolved = kms.get_key_id_from_alias(resolved) or ""
            key = kms.keys.get(resolved.rsplit("/", 1)[-1])
        except Exception:  # moto raises its own NotFound types for unknown aliases
            return None
        return None if key is None else str(key.arn)

    def next_model_package_version(self, group_arn: str) -> int | None:
        lookup = getattr(self.registry, "next_model_package_version", None)
        return None if lookup is None else lookup(group_arn)

    def model_package_kms_key(self, package_arn: str) -> str | None:
        lookup = getattr(self.registry, "model_package_kms_key", None)
        return None if lookup is None else lookup(package_arn)

    def resource_policy(self, arn: str, action: str) -> dict[str, Any] | str | None:
        """The resource-based policy AWS evaluates for ``action`` on ``arn``, if there is one."""
        policy = self.registry.resource_policy(arn)
        if policy is not None or not self.moto.started:
            return policy
        if ":iam::" in arn and ":role/" in arn:
            # A role's trust policy is its resource policy for sts:AssumeRole* only (IAM User
            # Guide, "Roles terms and concepts"); it names no Resource, the role is implied.
            if not action.lower().startswith(
                ("sts:assumerole", "sts:tagsession", "sts:setsourceidentity")
            ):
                return None
            trust = _moto_resource_policy(arn)
            if trust is None:
                return None
            document = json.loads(trust) if isinstance(trust, str) else dict(trust)
            statements = document.get("Statement", [])
            for st in statements if isinstance(statements, list) else [statements]:
                if isinstance(st, dict) and "Resource" not in st and "NotResource" not in st:
                    st["Resource"] = arn
            return document
        return _moto_resource_policy(arn)


def _moto_tags_of(arn: str) -> Mapping[str, str] | None:
    parsed = Arn.parse(arn)
    if parsed is None:
        return None
    service, region, account, resource = (
        parsed.service,
        parsed.region,
        parsed.account,
        parsed.resource,
    )
    try:
        if service == "s3" and "/" not in resource:
            from moto.s3.models import s3_backends

            for backends in list(s3_backends.values()):
                bucket = backends["aws"].buckets.get(resource)
                if bucket is not None:
                    return dict(backends["aws"].tagger.get_tag_dict_for_resource(bucket.arn))
            return None
        if service == "kms" and resource.startswith("key/"):
            from moto.kms.models import kms_backends

            kms = kms_backends[account][region]
            key_id = resource[len("key/") :]
            if key_id not in kms.keys:
                return None
            return dict(kms.tagger.get_tag_dict_for_resource(key_id))
        if service == "resource-groups" and resource.startswith("group/"):
            from moto.resourcegroups.models import resourcegroups_backends

            groups = resourcegroups_backends[account][region].groups
            group = groups.by_name.get(resource[len("group/") :])
            return None if group is None else dict(group.tags or {})
        if service == "iam" and resource.startswith("role/"):
            from moto.iam.models import iam_backends

            name = resource.rsplit("/", 1)[-1]
            for role in iam_backends[account]["aws"].roles.values():
                if role.name == name:
                    return (
                        {t["Key"]: t["Value"] for t in role.tags}
                        if isinstance(role.tags, list)
                        else {}
                    )
            return None
        if service == "sagemaker":
            from moto.sagemaker.models import sagemaker_backends

            sagemaker = sagemaker_backends[account][region]
            try:
                return {t["Key"]: t["Value"] for t in sagemaker.list_tags(arn)[0]}
            except Exception:
                return None
    except (KeyError, AttributeError):
        return None
    return None


def _moto_resource_policy(arn: str) -> dict[str, Any] | str | None:
    parsed = Arn.parse(arn)
    if parsed is None:
        return None
    service, region, account, resource = (
        parsed.service,
        parsed.region,
        parsed.account,
        parsed.resource,
    )
    try:
        if service == "s3":
            from moto.s3.models import s3_backends

            bucket_name = resource.split("/", 1)[0]
            for backends in list(s3_backends.values()):
                bucket = backends["aws"].buckets.get(bucket_name)
                if bucket is not None:
                    policy = bucket.policy
                    if not policy:
                        return None
                    return policy.decode() if isinstance(policy, bytes) else str(policy)
            return None
        if service == "kms" and resource.startswith("key/"):
            from moto.kms.models import kms_backends

            key = kms_backends[account][region].keys.get(resource[len("key/") :])
            return None if key is None else str(key.policy)
        if service == "iam" and resource.startswith("role/"):
            from moto.iam.models import iam_backends

            name = resource.rsplit("/", 1)[-1]
            for role in iam_backends[account]["aws"].roles.values():
                if role.name == name:
                    document = role.assume_role_policy_document
                    return document if isinstance(document, str) else json.dumps(document)
    except (KeyError, AttributeError):
        return None
    return None

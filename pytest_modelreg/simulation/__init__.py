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

from collections.abc import Mapping
from typing import Any, Protocol

from pytest_modelreg.arn import Arn
from pytest_modelreg.iam import Policy, role_trust_policy
from pytest_modelreg.iam.evaluation import TRUST_ACTIONS
from pytest_modelreg.simulation import moto
from pytest_modelreg.simulation._guesses import AWS_IMAGE_REPOSITORY_POLICY
from pytest_modelreg.simulation.base import CallContext, MotoCheck, ServiceError
from pytest_modelreg.simulation.deliveries import sqs_subscription_refusal
from pytest_modelreg.simulation.eventbus import EventBus, PutEventsService
from pytest_modelreg.simulation.execution_role import ExecutionRoles
from pytest_modelreg.simulation.identity import IdentityService
from pytest_modelreg.simulation.moto import MotoBackend
from pytest_modelreg.simulation.registry import ModelRegistry
from pytest_modelreg.simulation.registry.arns import is_registry_arn
from pytest_modelreg.simulation.resource_groups import ResourceGroupsService
from pytest_modelreg.simulation.runtime import EndpointInvocations

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


class _SageMakerTagsOnMotoResources(MotoCheck):
    """Tag calls on the SageMaker resources moto owns (models, endpoints ...). moto crashes on an
    ARN it does not hold; AWS answers ``ValidationException: Resource does not exist`` (observed
    for a tuning job's ARN in the public issue boto/boto3#4606)."""

    _OPERATIONS = frozenset({"AddTags", "DeleteTags", "ListTags"})

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
        self.moto = MotoBackend(sqs_subscription_judge=sqs_subscription_refusal)
        self.registry.read_models_with(self._model_containers)
        # Asked in order; the first that claims a call serves it. Whatever none claims goes to moto.
        # Resource Groups and the Tagging API are served whole, over the registry and moto.
        self.resource_groups = ResourceGroupsService(self.registry, self.moto)
        # SageMaker acting as execution roles; the pipeline gives it its judge.
        self.execution_roles = ExecutionRoles(self.registry, self.moto)
        self.services: list[InProcessService] = [
            self.execution_roles.jobs,
            _RegistryService(self.registry),
            IdentityService(self.moto),
            self.resource_groups,
            _SageMakerTagsOnMotoResources(self.moto),
            EndpointInvocations(self.moto),
            self.execution_roles,
        ]
        # The registry's events, delivered to the rules of the simulated EventBridge.
        self.eventbus = EventBus(self.moto, lambda: self.registry.events)
        self.registry.subscribe(self.eventbus.publish)
        self.services.append(PutEventsService(self.eventbus))

    def _model_containers(self, arn: str) -> list[dict[str, Any]] | None:
        return moto.sagemaker_model_containers(arn) if self.moto.started else None

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

    def serve_items(
        self, service: str, operation: str, params: Mapping[str, Any], ctx: CallContext
    ) -> dict[str, Any]:
        """A batch call reduced to the items the caller may act on (:mod:`.partial`), served
        in-process: DeleteObjects from moto's S3 state, the rest by their in-process service."""
        if (service, operation) == ("s3", "DeleteObjects"):
            self.moto.ensure_started()
            bucket = str(params.get("Bucket", ""))
            if moto.bucket_owner(bucket) is None:
                raise ServiceError("NoSuchBucket", "The specified bucket does not exist", 404)
            out = moto.delete_objects(bucket, list(params["Delete"].get("Objects") or ()))
            if params["Delete"].get("Quiet"):  # quiet mode lists only the keys that failed
                out.pop("Deleted", None)
            return out
        parsed = self.serve(service, operation, params, ctx)
        if parsed is None:  # pragma: no cover - only in-process operations are per item
            raise AssertionError(f"{service}.{operation} is not served in-process")
        return parsed

    # -- ResourceState: what authorization reads -------------------------------------------
    def tags_of(self, arn: str) -> Mapping[str, str] | None:
        # Registry resources live only in the registry: asking the collections or moto about one
        # (a version being created, say) would look through their resources for nothing.
        if is_registry_arn(arn):
            return self.registry.tags_of(arn)
        tags = self.resource_groups.tags_of(arn)  # resource groups (collections)
        if tags is not None or not self.moto.started:
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

    # The services next to a registry: names resolved through moto's state.
    def secret_arn(self, account_id: str, region: str, secret_id: str) -> str | None:
        """The full ARN of a secret named by name, partial or full ARN."""
        return moto.secret_arn(account_id, region, secret_id) if self.moto.started else None

    def secret_kms_key(self, account_id: str, region: str, secret_id: str) -> str | None:
        """The customer managed key a secret is encrypted with, if any."""
        return moto.secret_kms_key(account_id, region, secret_id) if self.moto.started else None

    def partition_key(self, account_id: str, region: str, table: str) -> str | None:
        """The partition key attribute of a DynamoDB table."""
        return moto.partition_key(account_id, region, table) if self.moto.started else None

    def next_model_package_version(self, group_arn: str) -> int | None:
        return self.registry.next_model_package_version(group_arn)

    def model_package_kms_key(self, package_arn: str) -> str | None:
        return self.registry.model_package_kms_key(package_arn)

    def resource_policy(self, arn: str, action: str) -> Policy | None:
        """The resource-based policy AWS evaluates for ``action`` on ``arn``, if there is one,
        parsed as a resource policy."""
        document: dict[str, Any] | str | None = self.registry.resource_policy(arn)
        policy_id = f"resource-policy:{arn}"
        if document is None and self.moto.started and not is_registry_arn(arn):
            parsed = Arn.parse(arn)
            kind = None if parsed is None else (parsed.service, parsed.resource_type)
            if kind == ("iam", "role") and action.lower() not in TRUST_ACTIONS:
                return None  # a trust policy decides only who assumes the role
            document = moto.resource_policy(arn)
            if (
                kind == ("ecr", "repository")
                and parsed is not None
                and document is None
                and not moto.deployment.ecr_holds(parsed.account, parsed.region)
            ):
                document = AWS_IMAGE_REPOSITORY_POLICY  # AWS's own images (a guess)
            if document is not None and kind in _IMPLIED_RESOURCE:
                # role_trust_policy fills in the implied Resource of every statement.
                return role_trust_policy(document, arn, policy_id=policy_id)
        if document is None:
            return None
        return Policy.parse(document, policy_id=policy_id, policy_type="resource")


# Policies whose statements name no Resource: the resource they are attached to is implied (a
# role's trust policy, "Roles terms and concepts", IAM User Guide: the trust policy "defines which
# principals can assume the role"; an ECR repository policy, "Private repository policies in
# Amazon ECR", Amazon ECR User Guide, whose examples carry no Resource element).
_IMPLIED_RESOURCE = frozenset({("iam", "role"), ("ecr", "repository")})

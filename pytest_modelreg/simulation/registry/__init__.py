"""The in-memory SageMaker Model Registry: state of one activation, all accounts and regions.

The interception layer asks ``claims`` whether a SageMaker call is ours, then calls ``handle`` with
the caller's parameters; ``handle`` returns the parsed response as botocore would, or raises
``ServiceError``. Every operation first runs the server-side constraint checks derived from
botocore's service model (validation.py), then its own semantic checks.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from ..base import CallContext, ServiceError
from . import arns, deploy, groups, inference, lineage, listing, metadata, packages, search, tags
from .clock import Clock
from .core import Core, Options, copy
from .validation import validate_input

__all__ = ["ModelRegistry", "Options"]

Handler = Callable[[Core, Mapping[str, Any], CallContext], dict[str, Any]]

_HANDLERS: dict[str, Handler] = {
    "CreateModelPackageGroup": groups.create,
    "DescribeModelPackageGroup": groups.describe,
    "ListModelPackageGroups": groups.list_groups,
    "DeleteModelPackageGroup": groups.delete,
    "PutModelPackageGroupPolicy": groups.put_policy,
    "GetModelPackageGroupPolicy": groups.get_policy,
    "DeleteModelPackageGroupPolicy": groups.delete_policy,
    "CreateModelPackage": packages.create,
    "DescribeModelPackage": packages.describe,
    "BatchDescribeModelPackage": packages.batch_describe,
    "ListModelPackages": listing.list_packages,
    "UpdateModelPackage": packages.update,
    "DeleteModelPackage": packages.delete,
    "AddTags": tags.add_tags,
    "DeleteTags": tags.delete_tags,
    "ListTags": tags.list_tags,
    "ListAssociations": lineage.list_associations,
    "ListArtifacts": lineage.list_artifacts,
    "DescribeAction": lineage.describe_action,
    "Search": search.search,
    "GetSearchSuggestions": search.suggestions,
    "ListModelMetadata": metadata.list_model_metadata,
    "CreateInferenceRecommendationsJob": inference.create,
    "DescribeInferenceRecommendationsJob": inference.describe,
}
_TAG_OPS = frozenset({"AddTags", "DeleteTags", "ListTags"})
# Search over other resource types (TrainingJob, Endpoint, ...) stays with moto.
_SEARCH_OPS = frozenset({"Search", "GetSearchSuggestions"})


class ModelRegistry:
    """State of one activation, all accounts and regions; thread-safe (one lock)."""

    def __init__(
        self, clock: Callable[[], float] | None = None, options: Options | None = None
    ) -> None:
        # One lock for everything: moto loses writes under contention; version numbers must not.
        self._lock = threading.RLock()
        self._core = Core(Clock(clock), options or Options())

    # --- interception interface -----------------------------------------------------------------

    def claims(self, operation: str, params: Mapping[str, Any]) -> bool:
        """True if the registry serves this SageMaker call (tag ops only for registry ARNs)."""
        if operation in _TAG_OPS:
            return tags.claims_arn(params)
        if operation in _SEARCH_OPS:
            return search.claims(params)
        return operation in _HANDLERS

    def handle(self, operation: str, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
        handler = _HANDLERS.get(operation)
        if handler is None:
            raise ServiceError(
                "UnknownOperationException", f"The registry does not serve {operation}."
            )
        validate_input(operation, params)
        with self._lock:
            return handler(self._core, params, ctx)

    def before_moto(self, operation: str, params: Mapping[str, Any], ctx: CallContext) -> None:
        """Checks on SageMaker calls moto serves.

        Every call first gets the server-side constraint checks moto does not make (max, pattern,
        enum; e.g. AddTags on a malformed ARN), then the registry-dependent ones: CreateModel from
        a package needs an existing, Completed, Approved version (deploy.py).
        """
        validate_input(operation, params)
        if operation == "CreateModel":
            with self._lock:
                deploy.check_create_model(self._core, params, ctx)

    def read_models_with(self, reader: Callable[[str], list[dict[str, Any]] | None]) -> None:
        """Where the registry finds a SageMaker Model's containers by ARN (CreateModelPackage with
        a model ARN as SourceUri): the simulation's moto, which serves CreateModel."""
        self._core.model_containers = reader

    # --- read-only queries for authorization and collections ------------------------------------

    def tags_of(self, arn: str) -> dict[str, str] | None:
        with self._lock:
            r = tags.find(self._core, arn)
            return None if r is None else dict(r.tags)

    def resource_policy(self, arn: str) -> str | None:
        """The group's resource policy as it was put (JSON text: a policy compiled once is found
        again by its text), for a group ARN or the ARN of a version in that group."""
        found = arns.registry_resource(arn)
        if found is None:
            return None
        parsed, rtype, path = found
        if rtype == arns.PACKAGE:  # a version's group; an unversioned package has none
            path = path.split("/", 1)[0] if "/" in path else ""
        with self._lock:
            b = self._core.peek_arn(parsed)
            g = b.groups.get(path) if b and path else None
            return None if g is None else g.policy

    def next_model_package_version(self, group_arn: str) -> int | None:
        """The version number the next CreateModelPackage into the group gets (for its ARN)."""
        found = arns.registry_resource(group_arn)
        if found is None or found[1] != arns.GROUP:
            return None
        with self._lock:
            b = self._core.peek_arn(found[0])
            g = b.groups.get(found[2]) if b else None
            return None if g is None else g.next_version

    def package_containers(
        self, ref: str, ctx: CallContext, spec_name: str | None = None
    ) -> list[dict[str, Any]] | None:
        """The containers a model made from package ``ref`` (a name or an ARN, in any account)
        runs: its InferenceSpecification's, or those of the AdditionalInferenceSpecifications
        entry ``spec_name`` names; None when the package is gone."""
        with self._lock:
            pkg, _arn = packages.locate(self._core, ref, ctx)
            if pkg is None:
                return None
            spec = pkg.doc.get("InferenceSpecification") or {}
            if spec_name:
                extra = pkg.doc.get("AdditionalInferenceSpecifications") or []
                spec = next((s for s in extra if s.get("Name") == spec_name), {})
            return [copy(c) for c in spec.get("Containers") or []]

    def model_package_kms_key(self, package_arn: str) -> str | None:
        """The KMS key a package was created with (``SecurityConfig.KmsKeyId``)."""
        found = arns.registry_resource(package_arn)
        if found is None:
            return None
        with self._lock:
            b = self._core.peek_arn(found[0])
            p = b.packages.get(package_arn) if b else None
            key = None if p is None else p.doc.get("SecurityConfig", {}).get("KmsKeyId")
            return None if key is None else str(key)

    def resources(self, account_id: str, region: str) -> list[tuple[str, str, dict[str, str]]]:
        """(arn, resource type, tags) of every group and package, for the Tagging API."""
        with self._lock:
            b = self._core.peek(account_id, region)
            if b is None:
                return []
            out = [
                (g.arn, "sagemaker:model-package-group", dict(g.tags)) for g in b.groups.values()
            ]
            out.extend(
                (p.arn, "sagemaker:model-package", dict(p.tags)) for p in b.packages.values()
            )
            return out

    def subscribe(self, listener: Callable[[int, dict[str, Any]], None]) -> None:
        """Have ``listener`` called with the index and the event of every event emitted from now
        on (under the registry's lock: it must not call the registry)."""
        with self._lock:
            self._core.listeners.append(listener)

    @property
    def events(self) -> list[dict[str, Any]]:
        """EventBridge-shaped "SageMaker Model Package State Change" events so far (copies)."""
        with self._lock:
            return [copy(e) for e in self._core.events]

    # --- deterministic drivers for asynchronous states ------------------------------------------

    def advance_validations(self, steps: int = 1) -> None:
        """Move every running package validation one step (Pending→InProgress→Completed|Failed)."""
        with self._lock:
            for _ in range(steps):
                packages.advance_validations(self._core)

    def advance_inference_jobs(self, steps: int = 1, fail: Mapping[str, str] | None = None) -> None:
        """Move every running Inference Recommender job one step per ``steps``.

        PENDING → IN_PROGRESS → COMPLETED, or FAILED with the package's missing prerequisite
        (inference.py) or the reason given for the job's name in ``fail``.
        """
        with self._lock:
            for _ in range(steps):
                inference.advance(self._core, fail)

    def fail_inference_job(self, ctx: CallContext, name: str, reason: str) -> None:
        """Make the caller's Inference Recommender job ``name`` end FAILED with ``reason`` (its
        execution role cannot read the model; simulation/execution_role.py)."""
        with self._lock:
            b = self._core.peek(ctx.account_id, ctx.region)
            job = b.inference_jobs.get(name) if b else None
            if job is not None:
                job.failure = reason

    def fail_validation(self, package_arn: str, reason: str) -> None:
        """Make a running validation end in Failed with ``reason`` as FailureReason."""
        with self._lock:
            if package_arn not in self._core.in_flight:
                raise KeyError(package_arn)
            self._core.in_flight[package_arn] = reason

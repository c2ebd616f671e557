"""What SageMaker reads when it acts as a model's execution role, from moto's state: the model
artifacts in S3, the images in ECR, and the models, endpoint configs, endpoints and transform jobs
of moto's SageMaker; and the one write, an endpoint's or a transform job's failure.

Nothing here creates moto state (every read goes through :func:`.resources._backend`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from .resources import _backend, _bucket


class S3Object(NamedTuple):
    """An object as SageMaker finds it: the bucket's region and the object's SSE-KMS key."""

    key: str
    region: str
    kms_key_id: str | None
    """The KMS key an ``aws:kms`` (or ``aws:kms:dsse``) object is encrypted with, else None."""


def _current(bucket: Any, key: str) -> Any:
    found = bucket.keys.get(key)
    # A delete marker is the current version of a deleted object: the object is gone.
    return found if found is not None and hasattr(found, "value") else None


def _described(bucket: Any, key: Any) -> S3Object:
    encryption = getattr(key, "encryption", None) or ""
    kms = getattr(key, "kms_key_id", None) if encryption.startswith("aws:kms") else None
    return S3Object(str(key.name), str(bucket.region_name), None if kms is None else str(kms))


def bucket_region(bucket: str) -> str | None:
    """The region of a bucket moto holds; None when there is no such bucket."""
    found = _bucket(bucket)
    return None if found is None else str(found.bucket.region_name)


def s3_object(bucket: str, key: str) -> S3Object | None:
    """The current version of ``key``; None when the bucket or the object does not exist."""
    found = _bucket(bucket)
    obj = None if found is None else _current(found.bucket, key)
    return None if found is None or obj is None else _described(found.bucket, obj)


def s3_objects(bucket: str, prefix: str) -> list[S3Object] | None:
    """Every current object under ``prefix``, in key order; None when there is no such bucket."""
    found = _bucket(bucket)
    if found is None:
        return None
    names = sorted(k for k in list(found.bucket.keys.keys()) if str(k).startswith(prefix))
    objects = (_current(found.bucket, name) for name in names)
    return [_described(found.bucket, o) for o in objects if o is not None]


def ecr_holds(account: str, region: str) -> bool:
    """Whether moto's ECR holds any repository in that account and region: if not, the account is
    one the simulation does not hold (AWS's own image accounts, say)."""
    ecr = _backend("ecr", account, region)
    return ecr is not None and bool(ecr.repositories)


def ecr_image(account: str, region: str, repository: str, reference: str) -> bool | None:
    """Whether the repository holds the image (a tag, or a ``sha256:`` digest); None in an account
    the simulation does not hold (:func:`ecr_holds`)."""
    if not ecr_holds(account, region):
        return None
    repo = _backend("ecr", account, region).repositories.get(repository)
    if repo is None:
        return False
    digest = reference.startswith("sha256:")
    return any(
        (image.get_image_digest() == reference) if digest else (reference in image.image_tags)
        for image in list(repo.images)
    )


class Model(NamedTuple):
    execution_role_arn: str
    containers: list[Mapping[str, Any]]
    """The primary container first, then ``Containers``, as CreateModel gave them."""


def model(account: str, region: str, name: str) -> Model | None:
    sagemaker = _backend("sagemaker", account, region)
    found = None if sagemaker is None else sagemaker._models.get(name)
    if found is None:
        return None
    containers = list(found.containers or [])
    if found.primary_container:
        containers.insert(0, found.primary_container)
    role = found.execution_role_arn
    return Model("" if role == "arn:test" else str(role), containers)  # moto's placeholder


def endpoint_config_variants(account: str, region: str, name: str) -> list[tuple[str, str]] | None:
    """(variant name, model name) of each production variant; None when there is no config."""
    sagemaker = _backend("sagemaker", account, region)
    config = None if sagemaker is None else sagemaker.endpoint_configs.get(name)
    if config is None:
        return None
    return [
        (str(v.get("VariantName", "")), str(v.get("ModelName", "")))
        for v in config.production_variants
    ]


def endpoint_state(account: str, region: str, endpoint: str) -> tuple[str, str] | None:
    """(the config it runs, its status) of an endpoint; None when there is no such endpoint."""
    sagemaker = _backend("sagemaker", account, region)
    found = None if sagemaker is None else sagemaker.endpoints.get(endpoint)
    return None if found is None else (str(found.endpoint_config_name), str(found.endpoint_status))


# moto's status and failure attributes of each resource kind SageMaker can fail.
_FAILABLE = {
    "endpoint": ("endpoints", "endpoint_status"),
    "transform-job": ("transform_jobs", "transform_job_status"),
}


def fail(kind: str, account: str, region: str, name: str, reason: str) -> bool:
    """Mark an endpoint or a transform job (``kind``) ``Failed`` with ``reason`` as its
    FailureReason; False if moto holds no such resource."""
    table, status = _FAILABLE[kind]
    sagemaker = _backend("sagemaker", account, region)
    found = None if sagemaker is None else getattr(sagemaker, table).get(name)
    if found is None:
        return False
    setattr(found, status, "Failed")
    found.failure_reason = reason
    return True


def update_endpoint(account: str, region: str, endpoint: str, config: str) -> str:
    """Point an endpoint at another config (UpdateEndpoint, which moto lacks): its ARN, with
    status ``InService`` and the new config's variants."""
    sagemaker = _backend("sagemaker", account, region)
    found = sagemaker.endpoints[endpoint]
    variants = sagemaker.endpoint_configs[config].production_variants
    found.endpoint_config_name = config
    found.production_variants = found._process_production_variants(variants)
    found.endpoint_status = "InService"
    found.failure_reason = None
    return str(found.arn)

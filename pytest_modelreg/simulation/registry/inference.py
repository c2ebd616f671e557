"""Inference Recommender jobs against a package version (CreateInferenceRecommendationsJob and
DescribeInferenceRecommendationsJob in botocore's model), with a driveable status clock."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from pytest_modelreg.arn import build

from ..base import CallContext, ServiceError
from . import _guesses
from .clock import to_datetime
from .core import Core, copy, validation
from .packages import require_package
from .state import InferenceJob, Package

_FINAL = ("COMPLETED", "FAILED", "STOPPED", "DELETED")


def _prerequisite_failure(pkg: Package, input_config: Mapping[str, Any]) -> str | None:
    """What the job would fail with, decided from the package (the prerequisites and failure
    texts of "Inference Recommender prerequisites" and "... troubleshooting", SageMaker Developer
    Guide)."""
    d = pkg.doc
    v = pkg.version
    if not d.get("Domain"):
        return (
            f"Specify Domain in the Model Package version {v}. "
            "Domain is a mandatory parameter for the job."
        )
    containers = (d.get("InferenceSpecification") or {}).get("Containers") or []
    override = input_config.get("ContainerConfig") or {}
    if not override.get("Framework") and not any(c.get("Framework") for c in containers):
        # [DOC] verbatim, including the missing space after the period.
        return (
            f"Specify Framework in the Model Package version {v}."
            "Framework is a mandatory parameter for the job."
        )
    if not override.get("FrameworkVersion") and not any(
        c.get("FrameworkVersion") for c in containers
    ):
        return _guesses.IR_MISSING_FRAMEWORK_VERSION.format(version=v)
    if not d.get("Task") and not override.get("Task"):
        return _guesses.IR_MISSING_TASK.format(version=v)
    if not d.get("SamplePayloadUrl") and not override.get("PayloadConfig"):
        return _guesses.IR_MISSING_PAYLOAD.format(version=v)
    for ec in input_config.get("EndpointConfigurations") or []:
        itype = ec.get("InstanceType", "")
        if itype.startswith(("ml.t2.", "ml.t3.")):
            return f"Burstable instance type {itype} is not allowed."  # [DOC]
    return None


def _instance_type(pkg: Package | None, input_config: Mapping[str, Any]) -> str:
    for ec in input_config.get("EndpointConfigurations") or []:
        if ec.get("InstanceType"):
            return str(ec["InstanceType"])
    if pkg is not None:
        types = (pkg.doc.get("InferenceSpecification") or {}).get(
            "SupportedRealtimeInferenceInstanceTypes"
        ) or []
        if types:
            return str(types[0])
    return "ml.m5.large"


def create(core: Core, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
    name = params["JobName"]
    b = core.own(ctx)
    resource = f"inference-recommendations-job/{name}"
    arn = build(ctx.partition, "sagemaker", ctx.region, ctx.account_id, resource)
    if name in b.inference_jobs:
        raise ServiceError("ResourceInUse", _guesses.IR_JOB_EXISTS.format(arn=arn))
    limit = core.options.max_inference_jobs
    if limit is not None and len(b.inference_jobs) >= limit:
        raise ServiceError(
            "ResourceLimitExceeded",
            f"The account-level service limit for inference recommendations jobs is {limit}.",
        )
    ic = params["InputConfig"]
    if ("ModelPackageVersionArn" in ic) == ("ModelName" in ic):
        raise validation(_guesses.IR_INPUT_EXACTLY_ONE)
    pkg: Package | None = None
    failure: str | None = None
    if "ModelPackageVersionArn" in ic:
        pkg = require_package(core, ic["ModelPackageVersionArn"], ctx)
        if not pkg.versioned:  # "you must have a versioned model package" [DOC]
            raise validation(_guesses.IR_UNVERSIONED.format(arn=pkg.arn))
        failure = _prerequisite_failure(pkg, ic)
    now = to_datetime(core.clock.now_ms())
    doc: dict[str, Any] = {"JobName": name}
    if "JobDescription" in params:
        doc["JobDescription"] = params["JobDescription"]
    doc.update(
        {
            "JobType": params["JobType"],
            "JobArn": arn,
            "RoleArn": params["RoleArn"],
            "Status": "PENDING",
            "CreationTime": now,
            "LastModifiedTime": now,
            "InputConfig": copy(dict(ic)),
        }
    )
    if "StoppingConditions" in params:
        doc["StoppingConditions"] = copy(params["StoppingConditions"])
    job = InferenceJob(
        name=name,
        arn=arn,
        doc=doc,
        failure=failure,
        package_arn=pkg.arn if pkg else None,
        instance_type=_instance_type(pkg, ic),
    )
    b.inference_jobs[name] = job
    return {"JobArn": arn}


def describe(core: Core, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
    b = core.peek(ctx.account_id, ctx.region)
    job = b.inference_jobs.get(params["JobName"]) if b else None
    if job is None:
        raise ServiceError(
            "ResourceNotFound", _guesses.IR_JOB_MISSING.format(name=params["JobName"])
        )
    out: dict[str, Any] = copy(job.doc)
    return out


def advance(core: Core, fail: Mapping[str, str] | None = None) -> None:
    """One step for every running job: PENDING → IN_PROGRESS → COMPLETED | FAILED."""
    for b in core.backends.values():
        for job in b.inference_jobs.values():
            doc = job.doc
            status = doc["Status"]
            if status in _FINAL:
                continue
            now = to_datetime(core.clock.now_ms())
            doc["LastModifiedTime"] = now
            if status == "PENDING":
                doc["Status"] = "IN_PROGRESS"
                continue
            if status == "STOPPING":
                doc["Status"] = "STOPPED"
                continue
            reason = (fail or {}).get(job.name) or job.failure
            doc["CompletionTime"] = now
            if reason:
                doc["Status"] = "FAILED"
                doc["FailureReason"] = reason
                continue
            doc["Status"] = "COMPLETED"
            rid = hashlib.md5(job.arn.encode(), usedforsecurity=False).hexdigest()[:8]
            doc["InferenceRecommendations"] = [
                {
                    "RecommendationId": f"{job.name}/{rid}",
                    "Metrics": {
                        "CostPerHour": 0.23,
                        "CostPerInference": 0.000002,
                        "MaxInvocations": 1800,
                        "ModelLatency": 25,
                    },
                    "EndpointConfiguration": {
                        "EndpointName": f"sm-epc-{rid}",
                        "VariantName": f"sm-vc-{rid}",
                        "InstanceType": job.instance_type,
                        "InitialInstanceCount": 1,
                    },
                    "ModelConfiguration": {},
                }
            ]

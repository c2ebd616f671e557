"""CreateModel from a registry package: checked here, then served by moto."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..base import CallContext
from . import _guesses
from .core import Core, validation
from .packages import require_package


def check_create_model(core: Core, params: Mapping[str, Any], ctx: CallContext) -> None:
    containers = list(params.get("Containers") or [])
    if params.get("PrimaryContainer"):
        containers.insert(0, params["PrimaryContainer"])
    for c in containers:
        ref = c.get("ModelPackageName") if isinstance(c, Mapping) else None
        if not ref:
            continue
        pkg = require_package(core, ref, ctx)  # "ModelPackage <arn> does not exist."
        d = pkg.doc
        if d["ModelPackageStatus"] != "Completed":
            raise validation(
                _guesses.CREATE_MODEL_NOT_COMPLETED.format(
                    arn=pkg.arn, status=d["ModelPackageStatus"]
                )
            )
        # [MODEL] "For versioned models, the value ... must be set to Approved to deploy the model."
        if pkg.versioned and d.get("ModelApprovalStatus") != "Approved":
            raise validation(_guesses.CREATE_MODEL_NOT_APPROVED.format(arn=pkg.arn))
        spec_name = c.get("InferenceSpecificationName")
        if spec_name and not any(
            s.get("Name") == spec_name for s in d.get("AdditionalInferenceSpecifications") or []
        ):
            raise validation(_guesses.CREATE_MODEL_SPEC_MISSING.format(name=spec_name, arn=pkg.arn))

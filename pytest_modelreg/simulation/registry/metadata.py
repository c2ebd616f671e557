"""ListModelMetadata: a small static catalog of common model-zoo models.

The real catalog is AWS's and unpublished; these rows reproduce the documented samples in today's
shape (Framework and FrameworkVersion split) and are enough for Inference Recommender flows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..base import CallContext
from . import pagination
from .core import Core

CATALOG: tuple[dict[str, str], ...] = (
    {
        "Domain": "NATURAL_LANGUAGE_PROCESSING",
        "Framework": "PYTORCH",
        "FrameworkVersion": "1.6.0",
        "Task": "FILL_MASK",
        "Model": "bert-base-cased",
    },
    {
        "Domain": "NATURAL_LANGUAGE_PROCESSING",
        "Framework": "PYTORCH",
        "FrameworkVersion": "1.6.0",
        "Task": "FILL_MASK",
        "Model": "bert-base-uncased",
    },
    {
        "Domain": "COMPUTER_VISION",
        "Framework": "MXNET",
        "FrameworkVersion": "1.8.0",
        "Task": "IMAGE_CLASSIFICATION",
        "Model": "resnet18v2-gluon",
    },
    {
        "Domain": "COMPUTER_VISION",
        "Framework": "PYTORCH",
        "FrameworkVersion": "1.6.0",
        "Task": "IMAGE_CLASSIFICATION",
        "Model": "resnet152",
    },
    {
        "Domain": "COMPUTER_VISION",
        "Framework": "TENSORFLOW",
        "FrameworkVersion": "2.3.0",
        "Task": "OBJECT_DETECTION",
        "Model": "ssd-mobilenet-v2",
    },
    {
        "Domain": "MACHINE_LEARNING",
        "Framework": "XGBOOST",
        "FrameworkVersion": "1.2.0",
        "Task": "CLASSIFICATION",
        "Model": "xgboost-classifier",
    },
    {
        "Domain": "MACHINE_LEARNING",
        "Framework": "SKLEARN",
        "FrameworkVersion": "0.23.1",
        "Task": "REGRESSION",
        "Model": "sklearn-linear-regression",
    },
)


def list_model_metadata(core: Core, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
    after = pagination.decode("ListModelMetadata", params.get("NextToken"))
    limit = pagination.max_results(params, 10)
    filters = [
        (f["Name"], f["Value"]) for f in (params.get("SearchExpression") or {}).get("Filters") or []
    ]
    # "Filter names and values are case-sensitive" [MODEL]; filters are ANDed.
    rows = [r for r in CATALOG if all(r.get(n) == v for n, v in filters)]
    keys = [(i,) for i in range(len(rows))]
    page, nk = pagination.page_sorted(keys, rows, after, limit, descending=False)
    out: dict[str, Any] = {"ModelMetadataSummaries": [dict(r) for r in page]}
    if nk is not None:
        out["NextToken"] = pagination.encode("ListModelMetadata", nk)
    return out

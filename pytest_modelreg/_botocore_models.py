"""botocore's service models, loaded without a botocore Session: a Session reads the user's AWS
config (and fails on a missing ``AWS_PROFILE``), which the plugin must never do at import."""

from __future__ import annotations

import functools

from botocore.loaders import create_loader
from botocore.model import ServiceModel


@functools.cache
def service_model(service_name: str) -> ServiceModel:
    loader = create_loader()
    return ServiceModel(
        loader.load_service_model(service_name, "service-2"), service_name=service_name
    )

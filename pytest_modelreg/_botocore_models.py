"""botocore's service models: one loader and one cache of parsed models for the whole package.

Loaded without a botocore Session: a Session reads the user's AWS config (and fails on a missing
``AWS_PROFILE``), which the plugin must never do. The loader caches the JSON it reads
(``botocore.loaders.instance_cache``), so sessions given :func:`loader` as their ``data_loader``
share the models too.
"""

from __future__ import annotations

import functools
import os
from typing import Any

from botocore.exceptions import DataNotFoundError
from botocore.loaders import Loader, create_loader
from botocore.model import ServiceModel


@functools.cache
def loader() -> Loader:
    """The package's one botocore data loader."""
    return create_loader()


@functools.cache
def service_model(service_name: str) -> ServiceModel:
    """botocore's model of ``service_name`` (``"sagemaker"``, ``"s3"`` ...), parsed once."""
    return ServiceModel(
        loader().load_service_model(service_name, "service-2"), service_name=service_name
    )


@functools.cache
def service_metadata(service_name: str) -> dict[str, Any]:
    """The ``metadata`` of botocore's model of ``service_name``, read without keeping the model:
    indexing every served service's endpoint prefix must not hold ~165 parsed models in memory."""
    data_loader = loader()
    version = data_loader.determine_latest_version(service_name, "service-2")
    for path in data_loader.search_paths:
        found = data_loader.file_loader.load_file(
            os.path.join(path, service_name, version, "service-2")
        )
        if found is not None:
            return dict(found.get("metadata", {}))
    raise DataNotFoundError(data_path=f"{service_name}/{version}/service-2")

"""botocore's per-client model work, done once per service under a mock.

For every client, botocore builds a ``ServiceModel`` from the loaded service description, then a
new client class: one method per operation (``ClientCreator._create_methods`` makes an
``OperationModel`` and a docstring for each of SageMaker's ~430 operations), and, registering
endpoint discovery, walks every operation model again. That was most of the first
``boto3.client("sagemaker")`` of a test. Sessions made while a mock is active share one data
loader (:func:`pytest_modelreg.interception.shared_loader`), hence one service description per
service and API version; for their clients the ``ServiceModel`` (with the operation models it
caches) and the method functions are made once and reused.

What users see does not change: every client still gets its own class, built by botocore from a
fresh copy of the methods, its own ``meta.method_to_api_mapping``, and ``creating-client-class``
handlers run for each one. A method only forwards to ``self._make_api_call(operation_name,
kwargs)``; its lazy docstring comes from the first client's operation model (the same
description). Clients of one service share the ``ServiceModel`` object, which botocore only reads.
"""

from __future__ import annotations

from typing import Any, Final

import botocore.client
from botocore.model import ServiceModel

from pytest_modelreg.activation import active

__all__ = ["install"]

_CREATOR: Any = botocore.client.ClientCreator
_ORIGINAL: Final = {
    name: getattr(_CREATOR, name)
    for name in ("_load_service_model", "_create_methods", "_create_name_mapping")
}
_INSTALLED: Final = "_pytest_modelreg_shared_models"

# (id(description), service name) -> (the description, its ServiceModel); id(ServiceModel) ->
# (the model, its methods, py name -> operation name). Each entry holds the object whose id keys
# it, so the id is not reused while the entry lives.
_MODELS: dict[tuple[int, str], tuple[object, ServiceModel]] = {}
_METHODS: dict[int, tuple[ServiceModel, dict[str, Any], dict[str, str]]] = {}


def _shared(creator: Any) -> bool:
    """Whether ``creator`` belongs to a session made under a mock (it uses the shared loader)."""
    from pytest_modelreg.interception import shared_loader

    return active() is not None and getattr(creator, "_loader", None) is shared_loader()


def _load_service_model(creator: Any, service_name: str, api_version: str | None = None) -> Any:
    if not _shared(creator):
        return _ORIGINAL["_load_service_model"](creator, service_name, api_version)
    # botocore's own steps (ClientCreator._load_service_model), the model kept per description.
    description = creator._loader.load_service_model(
        service_name, "service-2", api_version=api_version
    )
    key = (id(description), service_name)
    made = _MODELS.get(key)
    if made is None or made[0] is not description:
        made = _MODELS[key] = (description, ServiceModel(description, service_name=service_name))
    return made[1]


def _methods(creator: Any, service_model: Any) -> tuple[dict[str, Any], dict[str, str]] | None:
    """The methods and name mapping of ``service_model``'s client class, made once per shared
    model; None for a model made elsewhere (botocore makes them)."""
    made = _METHODS.get(id(service_model))
    if made is None or made[0] is not service_model:
        if not _shared(creator) or not any(m is service_model for _, m in _MODELS.values()):
            return None
        made = _METHODS[id(service_model)] = (
            service_model,
            _ORIGINAL["_create_methods"](creator, service_model),
            _ORIGINAL["_create_name_mapping"](creator, service_model),
        )
    return made[1], made[2]


def _create_methods(creator: Any, service_model: Any) -> dict[str, Any]:
    made = _methods(creator, service_model)
    if made is None:
        return _ORIGINAL["_create_methods"](creator, service_model)  # type: ignore[no-any-return]
    return dict(made[0])  # creating-client-class handlers may add to or change this dict


def _create_name_mapping(creator: Any, service_model: Any) -> dict[str, str]:
    made = _methods(creator, service_model)
    if made is None:
        return _ORIGINAL["_create_name_mapping"](creator, service_model)  # type: ignore[no-any-return]
    return dict(made[1])  # client.meta.method_to_api_mapping, one per client as in botocore


def install() -> None:
    """Patch botocore's ClientCreator (idempotent)."""
    if getattr(_CREATOR, _INSTALLED, False):
        return
    setattr(_CREATOR, _INSTALLED, True)
    _CREATOR._load_service_model = _load_service_model
    _CREATOR._create_methods = _create_methods
    _CREATOR._create_name_mapping = _create_name_mapping

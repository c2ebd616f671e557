"""The interception layer: botocore event handlers that route every call while a mock is active,
and do nothing otherwise.

Per call (botocore emits these in this order, see ``BaseClient._make_api_call``):

1. ``before-parameter-build``: keep the caller's parameters, before serialization.
2. ``before-call``: hand the call to the active activation's pipeline
   (:mod:`pytest_modelreg.pipeline`), then either answer it (denial, or the registry's response)
   — which ends the call there, unsigned and unsent — or let it continue to moto.
3. ``before-send``: serve what continued with moto.

:func:`install` registers them, once, through botocore's session initializers: every botocore
session created afterwards carries them, and boto3's default session if it exists already. While
an activation is active, those sessions also share one loader of botocore's data, so that a
client made in a test does not parse the service model again.
"""

from __future__ import annotations

import copy
import functools
import random
import sys
from collections.abc import Callable
from io import BytesIO
from typing import Any

import botocore
import botocore.handlers
import botocore.session
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.compat import HTTPHeaders
from botocore.hooks import HierarchicalEmitter
from botocore.loaders import Loader
from botocore.model import OperationModel

from pytest_modelreg import raw_http
from pytest_modelreg.activation import active, active_pipeline
from pytest_modelreg.anonymous import UNSIGNED
from pytest_modelreg.errors import UnsupportedOperationError
from pytest_modelreg.services import SERVED

# The services the plugin serves (botocore service names).
SERVED_SERVICES = SERVED

_PARAMS_KEY = "pytest_modelreg.params"
_OPERATION_HEADER = "x-pytest-modelreg-operation"


def _capture_params(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
    if active() is not None:
        context[_PARAMS_KEY] = _plain(params)


def _plain(value: Any) -> Any:
    """The caller's parameters as the service receives them: JSON's own types, not subclasses.

    AWS only ever sees the serialized request, so an ``Enum`` that subclasses ``str`` (the
    SageMaker SDK passes ``ModelApprovalStatusEnum.APPROVED``) must be stored and returned as
    the plain string. Values of other types (datetimes, bytes, file objects) stay as they are.
    """
    kind = type(value)
    if kind is dict:
        return {k: _plain(v) for k, v in value.items()}
    if kind is list:
        return [_plain(v) for v in value]
    if kind in (str, int, float, bool) or value is None:
        return value
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int.__index__(value)
    if isinstance(value, float):
        return float.__float__(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _before_call(
    model: OperationModel,
    params: dict[str, Any],
    request_signer: Any,
    context: dict[str, Any],
    **_: Any,
) -> tuple[AWSResponse, dict[str, Any]] | None:
    pipeline = active_pipeline()
    if pipeline is None:
        return None
    service = model.service_model.service_name
    operation = model.name
    if service not in SERVED_SERVICES:
        raise UnsupportedOperationError(
            service,
            operation,
            f"the {service!r} service is not simulated "
            f"(served: {', '.join(sorted(SERVED_SERVICES))})",
        )
    caller_params = context.get(_PARAMS_KEY, {})
    access_key = _access_key(request_signer)
    region = request_signer.region_name or pipeline.region
    outcome = pipeline.run(service, operation, caller_params, access_key, region)
    if outcome.response is not None:
        status, parsed = outcome.response
        # One request id per call, as AWS sends it: in the header and in ResponseMetadata.
        request_id = _new_request_id()
        parsed["ResponseMetadata"] = {
            "RequestId": request_id,
            "HTTPStatusCode": status,
            "HTTPHeaders": {"x-amzn-requestid": request_id},
            "RetryAttempts": 0,
        }
        return _http_response(status, model, request_id), parsed
    headers = params.setdefault("headers", {})
    headers["x-moto-account-id"] = outcome.account_id
    headers[_OPERATION_HEADER] = f"{service}.{operation}"
    return None


def _before_send(request: AWSPreparedRequest, **kwargs: Any) -> AWSResponse | None:
    pipeline = active_pipeline()
    if pipeline is None:
        return None
    raw = request.headers.get(_OPERATION_HEADER, "unknown.unknown")
    # Prepared headers may hold bytes; str(b"...") would put "b'" into error messages.
    label = raw.decode("ascii", "replace") if isinstance(raw, bytes) else str(raw)
    service, _dot, operation = label.partition(".")
    return pipeline.simulation.moto.send(request, service, operation)


def _access_key(request_signer: Any) -> str | None:
    if getattr(request_signer, "signature_version", None) is botocore.UNSIGNED:
        return UNSIGNED  # Config(signature_version=UNSIGNED): the anonymous caller
    credentials = getattr(request_signer, "_credentials", None)
    if credentials is None:
        return None
    try:
        return str(credentials.access_key)
    except Exception:  # refreshable credentials whose refresh fails: treat as unknown
        return None


class _Raw(BytesIO):
    def stream(self, **_: Any) -> Any:
        yield b""


def _http_response(status: int, model: OperationModel, request_id: str) -> AWSResponse:
    headers = HTTPHeaders()
    headers["x-amzn-requestid"] = request_id
    url = f"https://{model.service_model.endpoint_prefix}.amazonaws.com/"
    return AWSResponse(url, status, headers, _Raw())


# Request ids need to look like AWS's (UUID text), not to be unpredictable: a seeded PRNG is several
# times cheaper than uuid4() (os.urandom plus a UUID object) on every answered call.
_ids = random.Random()


def _new_request_id() -> str:
    h = f"{_ids.getrandbits(128):032x}"
    variant = "89ab"[int(h[16], 16) & 3]  # RFC 4122 version 4 layout, as uuid4() gives
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{variant}{h[17:20]}-{h[20:]}"


_HANDLERS: list[tuple[str, Callable[..., Any]]] = [
    ("before-parameter-build", _capture_params),
    ("before-call", _before_call),
    ("before-send", _before_send),
]


_installed = False


def install() -> None:
    """Register the handlers on every botocore session created from now on, and on boto3's default
    session if it exists (idempotent; every activation calls it)."""
    global _installed
    if _installed:
        return
    _installed = True
    raw_http.install()  # requests to AWS made without botocore
    botocore.register_initializer(_initialize_session)
    # boto3 may be half-imported (install() runs as soon as botocore.session is): no default
    # session can exist then.
    default = getattr(sys.modules.get("boto3"), "DEFAULT_SESSION", None)
    if default is not None:
        _register_handlers(default._session)


def _register_handlers(session: botocore.session.Session) -> None:
    for event, handler in _HANDLERS:
        session.register(event, handler, unique_id=f"pytest_modelreg.{event}")


def _initialize_session(session: botocore.session.Session) -> None:
    _register_handlers(session)
    if active() is not None:
        # boto3.client() in a test makes a new session (activation resets the default one): it
        # shares the models already loaded instead of parsing them again (~90 ms for SageMaker).
        session.register_component("data_loader", shared_loader())


class _UniquePaths(list[str]):
    """Search paths that ignore a path already present: every boto3.Session appends its own data
    directory to its loader, and this loader is shared by all of them."""

    def append(self, path: str) -> None:
        if path not in self:
            super().append(path)


class _SharedLoader(Loader):
    def __init__(self) -> None:
        super().__init__()
        self._unique_paths = _UniquePaths(super().search_paths)

    @property
    def search_paths(self) -> list[str]:
        return self._unique_paths


@functools.cache
def shared_loader() -> Loader:
    """The one botocore data loader of the sessions created while an activation is active."""
    return _SharedLoader()


# The event handlers of a botocore session made once: a copy of them is what a new session gets
# from botocore's ~140 built-in handlers, in a fraction of the time registering them takes
# (checking each handler's signature). Rebuilt if a library appends to BUILTIN_HANDLERS.
_template: tuple[int, HierarchicalEmitter] | None = None


def setup_default_session(**kwargs: Any) -> None:
    """``boto3.setup_default_session`` while an activation is active: each activation resets the
    default session, and the first ``boto3.client()`` of a test makes the next one cheaply."""
    global _template
    import boto3

    count = len(botocore.handlers.BUILTIN_HANDLERS)
    if _template is None or _template[0] != count:
        template: Any = botocore.session.Session()
        _template = (count, template._original_handler)
    if "botocore_session" not in kwargs:
        kwargs["botocore_session"] = botocore.session.Session(
            event_hooks=copy.copy(_template[1]), include_builtin_handlers=False
        )
    boto3.DEFAULT_SESSION = boto3.Session(**kwargs)

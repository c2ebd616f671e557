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
import itertools
import random
import sys
from collections.abc import Callable
from types import MappingProxyType
from typing import Any, Final

import botocore
import botocore.handlers
import botocore.session
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.hooks import HierarchicalEmitter
from botocore.loaders import Loader
from botocore.model import OperationModel

from pytest_modelreg import raw_http
from pytest_modelreg._import_hook import run_pending
from pytest_modelreg.activation import active, active_pipeline
from pytest_modelreg.anonymous import UNSIGNED
from pytest_modelreg.containment import access_key_of
from pytest_modelreg.errors import UnsupportedOperationError
from pytest_modelreg.http_answers import Answer, when_read
from pytest_modelreg.services import SERVED, is_served

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


_SECURE: Final = MappingProxyType({"aws:SecureTransport": "true"})
_INSECURE: Final = MappingProxyType({"aws:SecureTransport": "false"})


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
    if service not in SERVED and not is_served(service):
        raise UnsupportedOperationError(
            service,
            operation,
            f"the {service!r} service is not simulated: moto does not serve it, and "
            "pytest-modelreg serves only the services moto implements",
        )
    caller_params = context.get(_PARAMS_KEY, {})
    access_key = _access_key(request_signer)
    region = request_signer.region_name or pipeline.region
    # aws:SecureTransport is the scheme of the endpoint the request goes to (botocore has put the
    # resolved URL in the request dict by before-call).
    secure = not str(params.get("url", "https:")).startswith("http:")
    outcome = pipeline.run(
        service, operation, caller_params, access_key, region, _SECURE if secure else _INSECURE
    )
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


def _before_send(request: AWSPreparedRequest, **kwargs: Any) -> Any:
    pipeline = active_pipeline()
    if pipeline is None:
        return None
    raw = request.headers.get(_OPERATION_HEADER, "unknown.unknown")
    # Prepared headers may hold bytes; str(b"...") would put "b'" into error messages.
    label = raw.decode("ascii", "replace") if isinstance(raw, bytes) else str(raw)
    service, _dot, operation = label.partition(".")
    moto = pipeline.simulation.moto
    # aiobotocore's bodies are read with await: then this answers with a coroutine it awaits.
    return when_read(request, lambda prepared: moto.send(prepared, service, operation))


def _access_key(request_signer: Any) -> str | None:
    if getattr(request_signer, "signature_version", None) is botocore.UNSIGNED:
        return UNSIGNED  # Config(signature_version=UNSIGNED): the anonymous caller
    return access_key_of(getattr(request_signer, "_credentials", None))


def _http_response(status: int, model: OperationModel, request_id: str) -> AWSResponse:
    # An Answer: aiobotocore's after-call handlers await its content where botocore's read it.
    answer = Answer(_endpoint_url(model.service_model.endpoint_prefix), status, _NO_HEADERS, b"")
    # Set on the HeadersDict AWSResponse made: cheaper than its copy of a mapping.
    answer.headers["x-amzn-requestid"] = request_id
    return answer


# AWSResponse copies the headers it is given into a HeadersDict (its stubs say HTTPHeaders, whose
# construction costs more than the rest of the response).
_NO_HEADERS: Any = MappingProxyType({})


@functools.cache
def _endpoint_url(endpoint_prefix: str) -> str:
    return f"https://{endpoint_prefix}.amazonaws.com/"


# Request ids need to look like AWS's (UUID text) and be unique, not unpredictable: a random prefix
# per process and a counter (RFC 4122 version 4 layout, as uuid4() gives) cost a fraction of
# uuid4() or of formatting 128 random bits on every answered call.
_ids = random.Random()
_ID_PREFIX = (
    f"{_ids.getrandbits(32):08x}-{_ids.getrandbits(16):04x}-4{_ids.getrandbits(12):03x}-"
    f"{'89ab'[_ids.getrandbits(2)]}{_ids.getrandbits(12):03x}-"
)
_id_counter = itertools.count(_ids.getrandbits(40))


def _new_request_id() -> str:
    return f"{_ID_PREFIX}{next(_id_counter) & 0xFFFFFFFFFFFF:012x}"


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
        run_pending()  # hooks asked for while their module (moto's core) was still importing
        return
    _installed = True
    from pytest_modelreg.containment import install as guard_botocore

    guard_botocore()  # botocore's own send path and credential providers
    from pytest_modelreg import client_models

    client_models.install()  # service models and client methods made once per service
    raw_http.install()  # requests to AWS made without botocore
    botocore.register_initializer(_initialize_session)
    # boto3 may not be imported at all: then no default session exists yet.
    default = getattr(sys.modules.get("boto3"), "DEFAULT_SESSION", None)
    if default is not None:
        register_handlers(default._session)


def register_handlers(target: botocore.session.Session | HierarchicalEmitter) -> None:
    """Register the handlers on a session or on one client's event emitter."""
    events: Any = getattr(target, "_events", target)  # a session's EventAliaser
    # A unique id registered before is a no-op for botocore, after it has inspected the handler's
    # signature: skipped here (a session copied from the template and each client made from it
    # carry them already).
    registered = getattr(getattr(events, "_emitter", events), "_unique_id_handlers", {})
    for event, handler in _HANDLERS:
        unique_id = f"pytest_modelreg.{event}"
        if unique_id not in registered:
            target.register(event, handler, unique_id=unique_id)


def _initialize_session(session: botocore.session.Session) -> None:
    register_handlers(session)
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

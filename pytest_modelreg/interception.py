"""The interception layer: permanent botocore event handlers that route every call while a mock is
active, and do nothing otherwise.

Per call (botocore emits these in this order, see ``BaseClient._make_api_call``):

1. ``before-parameter-build``: keep the caller's parameters, before serialization.
2. ``before-call``: find the principal that signs the call, authorize it (authorization mapping →
   IAM engine), then either answer it (denial, or the registry's response) — which ends the call
   there, unsigned and unsent — or let it continue to moto.
3. ``before-send``: serve what continued with moto.

The handlers are appended to ``botocore.handlers.BUILTIN_HANDLERS`` on import, as moto does with its
own, so every session and client created afterwards carries them, including clients created
before a test activates the mock.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from io import BytesIO
from typing import TYPE_CHECKING, Any

import botocore.handlers
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.compat import HTTPHeaders
from botocore.model import OperationModel

from pytest_modelreg.errors import UnsupportedOperationError
from pytest_modelreg.services import SERVED

if TYPE_CHECKING:
    from pytest_modelreg.activation import ModelRegistryHandle as ActiveMock

# The services the plugin serves (botocore service names).
SERVED_SERVICES = SERVED

_PARAMS_KEY = "pytest_modelreg.params"
_OPERATION_HEADER = "x-pytest-modelreg-operation"

_stack_lock = threading.Lock()
_active_stack: list[ActiveMock] = []


def push(mock: ActiveMock) -> None:
    with _stack_lock:
        _active_stack.append(mock)


def pop(mock: ActiveMock) -> None:
    with _stack_lock:
        _active_stack.remove(mock)


def active() -> ActiveMock | None:
    """The innermost active mock, or None."""
    stack = _active_stack
    return stack[-1] if stack else None


def _capture_params(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
    if _active_stack:
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
    mock = active()
    if mock is None:
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
    region = request_signer.region_name or mock.region
    outcome = mock.dispatch(service, operation, caller_params, access_key, region)
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
    mock = active()
    if mock is None:
        return None
    raw = request.headers.get(_OPERATION_HEADER, "unknown.unknown")
    # Prepared headers may hold bytes; str(b"...") would put "b'" into error messages.
    label = raw.decode("ascii", "replace") if isinstance(raw, bytes) else str(raw)
    service, _dot, operation = label.partition(".")
    return mock.simulation.moto.send(request, service, operation)


def _access_key(request_signer: Any) -> str | None:
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


def install() -> None:
    """Register the handlers for every botocore session created from now on (idempotent)."""
    builtin = botocore.handlers.BUILTIN_HANDLERS
    for entry in _HANDLERS:
        if entry not in builtin:
            builtin.append(entry)
    # boto3's default session may predate the plugin; give it the handlers too.
    try:
        import boto3

        session = boto3.DEFAULT_SESSION
    except ImportError:  # pragma: no cover
        session = None
    if session is not None:
        events = session._session.get_component("event_emitter")
        for event, handler in _HANDLERS:
            events.register(event, handler, unique_id=f"pytest_modelreg.{event}")


install()

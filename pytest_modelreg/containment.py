"""Nothing leaves the process while a mock is active, whichever botocore client sends it.

The interception handlers are registered on sessions (:mod:`pytest_modelreg.interception`), which
misses clients whose session never got them. :func:`install` therefore guards botocore's own code
paths, once per process:

* ``BaseClient._make_api_call``: every client, whatever session made it, gets the handlers on its
  first call under a mock; a client made under a mock and called after it ended raises
  :class:`MockEndedError` instead of sending;
* ``Endpoint._send`` (where botocore hands a request to its HTTP session): while a mock is active,
  a request no handler answered raises :class:`NetworkBlockedError`, naming it;
* the real credential providers (``credential_process``, SSO and assume-role fetchers, instance
  metadata, container credentials, any refresh of refreshable credentials) raise
  :class:`RealCredentialsError` instead of running while a mock is active.

A client made without credentials is served as the principal under test: its requests go
unsigned to the simulation (a ``choose-signer`` handler), where botocore would raise
``NoCredentialsError``.
"""

from __future__ import annotations

import functools
import sys
import weakref
from collections.abc import Callable
from typing import Any

import botocore
import botocore.client
import botocore.credentials
import botocore.endpoint
import botocore.utils

from pytest_modelreg.errors import ModelregError

__all__ = ["MockEndedError", "NetworkBlockedError", "RealCredentialsError", "access_key_of"]

_MADE_UNDER = "_pytest_modelreg_made_under_mock"
_GUARDED = "_pytest_modelreg_guarded"
_ARMED = "_pytest_modelreg_armed"


class MockEndedError(ModelregError, RuntimeError):
    """A client made under a mock was called after the mock ended."""


class NetworkBlockedError(ModelregError, RuntimeError):
    """A botocore request was about to reach the network while a mock was active."""


class RealCredentialsError(ModelregError, RuntimeError):
    """A real credential provider was about to run while a mock was active."""


def active() -> Any:
    """The active handle, looked up at call time: a pytester in-process run drops and re-imports
    the package, while botocore (and these guards) may stay."""
    activation = sys.modules.get("pytest_modelreg.activation")
    return None if activation is None else activation.active()


def access_key_of(credentials: Any) -> str | None:
    """The access key a request signer holds, read without refreshing it (a refresh would run
    a real credential provider); None if it holds none, or none loaded yet."""
    if credentials is None:
        return None
    if isinstance(credentials, botocore.credentials.RefreshableCredentials):
        key = getattr(credentials, "_access_key", None)
    else:
        key = getattr(credentials, "access_key", None)
    return None if key is None else str(key)


def _make_api_call(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def make_api_call(self: Any, operation_name: str, api_params: Any) -> Any:
        if active() is None:
            if getattr(self, _MADE_UNDER, False):
                service = self.meta.service_model.service_name
                raise MockEndedError(
                    f"this {service} client was made while a pytest-modelreg mock was active, "
                    f"and {operation_name} was called after the mock ended; nothing was sent. "
                    "Make clients inside the test (or the mock_modelreg block) that uses them, "
                    "or keep the mock active for as long as the client is used."
                )
        elif not getattr(self, _ARMED, False):
            _arm(self)
        return original(self, operation_name, api_params)

    return make_api_call


def _arm(client: Any) -> None:
    """Put the interception handlers on a client its session did not give them to."""
    from pytest_modelreg.interception import register_handlers

    events = client.meta.events
    register_handlers(events)
    ref = weakref.ref(client)

    def sign_without_credentials(**_: Any) -> Any:
        held = ref()
        if held is None or active() is None:
            return None
        signer = held._request_signer
        if signer.signature_version is botocore.UNSIGNED:
            return None
        if access_key_of(signer._credentials) is None:
            return botocore.UNSIGNED
        return None

    # First: botocore's own choose-signer handler answers for most operations.
    events.register_first(
        "choose-signer", sign_without_credentials, unique_id="pytest_modelreg.choose-signer"
    )
    setattr(client, _ARMED, True)


def _create_client(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def create_client(self: Any, *args: Any, **kwargs: Any) -> Any:
        client = original(self, *args, **kwargs)
        if active() is not None:
            setattr(client, _MADE_UNDER, True)
            _arm(client)
        return client

    return create_client


def _send(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def send(self: Any, request: Any) -> Any:
        if active() is not None:
            raise NetworkBlockedError(
                f"pytest-modelreg blocked {request.method} {request.url}: a botocore request "
                "reached the network while a mock was active, and nothing was sent. Make the "
                "client with boto3.client(...) or reg.client(...) inside the test."
            )
        return original(self, request)

    return send


def _provider(what: str, original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def provide(*args: Any, **kwargs: Any) -> Any:
        if active() is not None:
            raise RealCredentialsError(
                f"pytest-modelreg refused to run {what} while a mock is active: real credentials "
                "are never loaded in a test. Make the client with boto3.client(...) or "
                "reg.client(...) inside the test (the mock's credentials), or "
                "reg.principal(...).client(...) for another principal."
            )
        return original(*args, **kwargs)

    return provide


# The real credential providers: (owner, method, what a user would call it).
_PROVIDERS: tuple[tuple[Any, str, str], ...] = (
    (botocore.credentials.ProcessProvider, "_retrieve_credentials_using", "credential_process"),
    (
        botocore.credentials.CachedCredentialFetcher,
        "fetch_credentials",
        "an SSO or assume-role fetch",
    ),
    (botocore.credentials.RefreshableCredentials, "_protected_refresh", "a credential refresh"),
    (botocore.utils.InstanceMetadataFetcher, "retrieve_iam_role_credentials", "instance metadata"),
    (botocore.utils.ContainerMetadataFetcher, "retrieve_full_uri", "container credentials"),
    (botocore.utils.ContainerMetadataFetcher, "retrieve_uri", "container credentials"),
)


def install() -> None:
    """Guard botocore's send path and credential providers (idempotent, once per botocore)."""
    client_class: Any = botocore.client.BaseClient
    if getattr(client_class, _GUARDED, False):
        return
    setattr(client_class, _GUARDED, True)
    client_class._make_api_call = _make_api_call(client_class._make_api_call)
    creator: Any = botocore.client.ClientCreator
    creator.create_client = _create_client(creator.create_client)
    endpoint: Any = botocore.endpoint.Endpoint
    endpoint._send = _send(endpoint._send)
    for owner, name, what in _PROVIDERS:
        setattr(owner, name, _provider(what, getattr(owner, name)))

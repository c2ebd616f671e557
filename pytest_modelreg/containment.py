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

aiobotocore's subclasses of these (``AioBaseClient``, ``AioClientCreator``, ``AioEndpoint`` and
its credential providers) override each of these methods with a coroutine: they are guarded the
same way, with the same checks, as soon as ``aiobotocore.session`` is imported.

A client made without credentials is served as the principal under test: its requests go
unsigned to the simulation (a ``choose-signer`` handler), where botocore would raise
``NoCredentialsError``.
"""

from __future__ import annotations

import functools
import inspect
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


def _check_call(client: Any, operation_name: str, *_: Any) -> None:
    if active() is None:
        if getattr(client, _MADE_UNDER, False):
            service = client.meta.service_model.service_name
            raise MockEndedError(
                f"this {service} client was made while a pytest-modelreg mock was active, "
                f"and {operation_name} was called after the mock ended; nothing was sent. "
                "Make clients inside the test (or the mock_modelreg block) that uses them, "
                "or keep the mock active for as long as the client is used."
            )
    elif not getattr(client, _ARMED, False):
        _arm(client)


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


def _mark_made_under_mock(client: Any) -> Any:
    if active() is not None:
        setattr(client, _MADE_UNDER, True)
        _arm(client)
    return client


def _check_send(endpoint: Any, request: Any) -> None:
    if active() is not None:
        raise NetworkBlockedError(
            f"pytest-modelreg blocked {request.method} {request.url}: a botocore request "
            "reached the network while a mock was active, and nothing was sent. Make the "
            "client with boto3.client(...) or reg.client(...) inside the test."
        )


def _guard(
    original: Callable[..., Any],
    before: Callable[..., None] | None = None,
    after: Callable[[Any], Any] | None = None,
) -> Callable[..., Any]:
    """``original`` with ``before`` (given its arguments) run first and ``after`` applied to its
    result; a coroutine function stays one (aiobotocore's counterparts of botocore's methods)."""
    if inspect.iscoroutinefunction(original):

        @functools.wraps(original)
        async def guarded_async(*args: Any, **kwargs: Any) -> Any:
            if before is not None:
                before(*args, **kwargs)
            result = await original(*args, **kwargs)
            return result if after is None else after(result)

        setattr(guarded_async, _GUARDED, True)
        return guarded_async

    @functools.wraps(original)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if before is not None:
            before(*args, **kwargs)
        result = original(*args, **kwargs)
        return result if after is None else after(result)

    setattr(guarded, _GUARDED, True)
    return guarded


def _refusing(what: str) -> Callable[..., None]:
    def refuse(*_: Any, **__: Any) -> None:
        if active() is not None:
            raise RealCredentialsError(
                f"pytest-modelreg refused to run {what} while a mock is active: real credentials "
                "are never loaded in a test. Make the client with boto3.client(...) or "
                "reg.client(...) inside the test (the mock's credentials), or "
                "reg.principal(...).client(...) for another principal."
            )

    return refuse


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


def _patch(owner: Any, name: str, **checks: Any) -> None:
    """Guard ``owner.name`` if ``owner`` itself defines it (a subclass that only inherits it is
    guarded through its base), once."""
    original = vars(owner).get(name)
    if original is not None and not getattr(original, _GUARDED, False):
        setattr(owner, name, _guard(original, **checks))


def _patch_all(client: Any, creator: Any, endpoint: Any, providers: Any) -> None:
    _patch(client, "_make_api_call", before=_check_call)
    _patch(creator, "create_client", after=_mark_made_under_mock)
    _patch(endpoint, "_send", before=_check_send)
    for owner, name, what in providers:
        _patch(owner, name, before=_refusing(what))


def install() -> None:
    """Guard botocore's send path and credential providers (idempotent, once per botocore), and
    aiobotocore's whenever it is imported."""
    _patch_all(
        botocore.client.BaseClient,
        botocore.client.ClientCreator,
        botocore.endpoint.Endpoint,
        _PROVIDERS,
    )
    from pytest_modelreg._import_hook import after_import

    after_import("aiobotocore.session", _install_aiobotocore)


# -- aiobotocore ----------------------------------------------------------------------------------
# aiobotocore subclasses botocore's client, endpoint and credential classes and overrides the
# guarded methods with coroutines, so the guards above would not see its calls: its own classes are
# guarded the same way, with the same checks (its handlers are botocore's, from the session).
def _install_aiobotocore() -> None:
    import aiobotocore.client
    import aiobotocore.credentials
    import aiobotocore.endpoint
    import aiobotocore.utils

    credentials: Any = aiobotocore.credentials
    utils: Any = aiobotocore.utils
    providers = (
        (credentials.AioProcessProvider, "_retrieve_credentials_using", "credential_process"),
        (
            credentials.AioCachedCredentialFetcher,
            "fetch_credentials",
            "an SSO or assume-role fetch",
        ),
        (credentials.AioRefreshableCredentials, "_protected_refresh", "a credential refresh"),
        (utils.AioInstanceMetadataFetcher, "retrieve_iam_role_credentials", "instance metadata"),
        (utils.AioContainerMetadataFetcher, "retrieve_full_uri", "container credentials"),
        (utils.AioContainerMetadataFetcher, "retrieve_uri", "container credentials"),
    )
    client: Any = aiobotocore.client
    endpoint: Any = aiobotocore.endpoint
    _patch_all(client.AioBaseClient, client.AioClientCreator, endpoint.AioEndpoint, providers)

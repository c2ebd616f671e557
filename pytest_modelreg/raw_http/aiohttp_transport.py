"""Raw HTTP requests to AWS made with aiohttp (aiobotocore's HTTP client, and a common way to fetch
a presigned URL in asyncio code): answered in-process, as :mod:`.transport` answers ``requests``,
``urllib3``, ``urllib.request`` and ``http.client``.

aiohttp opens its connections in ``TCPConnector._create_connection`` (resolving the host through
its own resolver and DNS cache, or through a proxy), not through ``http.client``. While a mock is
active, a connection for a request to an AWS host is instead an in-memory transport
(:class:`_Loopback`) that hands the bytes aiohttp writes to
:func:`~pytest_modelreg.raw_http.serve.respond` and feeds the answer back to aiohttp's protocol:
no DNS lookup (so no cached address from before the mock is used), no proxy, no socket. A request
that cannot be judged reaches the caller as :class:`~.messages.RequestRefusedError`.

The ``socket.getaddrinfo`` guard of :mod:`.transport` stays behind it for a connector that does not
go through ``TCPConnector._create_connection``.
"""

from __future__ import annotations

import asyncio
import functools
import sys
from collections.abc import Callable, Iterable
from typing import Any

from pytest_modelreg.activation import active
from pytest_modelreg.raw_http.endpoints import aws_host_prefix
from pytest_modelreg.raw_http.messages import RequestRefusedError
from pytest_modelreg.raw_http.transport import _read_request as read_request
from pytest_modelreg.raw_http.transport import _write_response as write_response

__all__ = ["install"]

_HOOKED = "_pytest_modelreg_hooked"
_CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"


class _Loopback(asyncio.Transport):
    """The transport of an aiohttp connection to an AWS endpoint: one request, one answer."""

    def __init__(self, protocol: asyncio.Protocol, scheme: str, authority: str) -> None:
        super().__init__()
        self._protocol = protocol
        self._scheme = scheme
        self._authority = authority
        self._sent = bytearray()
        self._closing = False
        self._continued = False
        self._loop = asyncio.get_running_loop()

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self._sent += data
        request, expects_continue = read_request(bytes(self._sent), self._scheme, self._authority)
        if request is None:
            # More to come; a client that asked to (expect100=True) waits for 100 Continue first.
            if expects_continue and not self._continued:
                self._continued = True
                self._loop.call_soon(self._protocol.data_received, _CONTINUE)
            return
        del self._sent[:]
        from pytest_modelreg.raw_http.serve import respond

        try:
            answer: bytes | Exception = write_response(request.method, respond(request))
        except RequestRefusedError as refused:
            answer = refused
        self._loop.call_soon(self._deliver, answer)

    def writelines(self, list_of_data: Iterable[bytes | bytearray | memoryview]) -> None:
        self.write(b"".join(list_of_data))

    def _deliver(self, answer: bytes | Exception) -> None:
        if self._closing:
            return
        protocol: Any = self._protocol
        if isinstance(answer, Exception):
            protocol.set_exception(answer)  # what the caller's await raises
            return
        protocol.data_received(answer)
        protocol.eof_received()

    def is_closing(self) -> bool:
        return self._closing

    def close(self) -> None:
        if not self._closing:
            self._closing = True
            self._loop.call_soon(self._protocol.connection_lost, None)

    def abort(self) -> None:
        self.close()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return default

    def can_write_eof(self) -> bool:
        return False

    def get_write_buffer_size(self) -> int:
        return 0

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        return None

    def is_reading(self) -> bool:
        return not self._closing

    def pause_reading(self) -> None:
        return None

    def resume_reading(self) -> None:
        return None


def _guard_create_connection(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    async def create_connection(self: Any, req: Any, *args: Any, **kwargs: Any) -> Any:
        host = req.url.raw_host if active() is not None else None
        if not host or aws_host_prefix(host.rstrip(".")) is None:
            return await original(self, req, *args, **kwargs)
        port = req.url.port
        https = req.url.scheme in ("https", "wss")
        default = 443 if https else 80
        authority = host if port in (None, default) else f"{host}:{port}"
        protocol = self._factory()  # aiohttp's own ResponseHandler for this connector
        protocol.connection_made(_Loopback(protocol, "https" if https else "http", authority))
        return protocol

    setattr(create_connection, _HOOKED, True)
    return create_connection


def install() -> None:
    """Patch aiohttp's TCP connector (idempotent; called once aiohttp's connector is imported)."""
    # From sys.modules: called while the aiohttp package may still be importing it, before
    # the package has the attribute.
    connector: Any = sys.modules["aiohttp.connector"].TCPConnector
    original = connector.__dict__.get("_create_connection")
    if original is not None and not getattr(original, _HOOKED, False):
        connector._create_connection = _guard_create_connection(original)

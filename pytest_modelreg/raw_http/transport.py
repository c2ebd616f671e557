"""Where raw HTTP requests to AWS are caught, whatever library makes them.

``requests``, ``urllib3``, ``urllib.request`` and ``http.client`` all send through a subclass of
``http.client.HTTPConnection``. While a mock is active, a connection whose target is an AWS host
(:func:`~pytest_modelreg.raw_http.endpoints.aws_host_prefix`) does not connect: its socket is a
:class:`_Loopback`, which collects the bytes the client writes and, when the client reads the
response, answers the request with :func:`~pytest_modelreg.raw_http.serve.respond`. No DNS lookup,
no TCP connection and no TLS handshake happens, and the client reads a plain HTTP/1.1 response
(``Connection: close``: one request per connection).

Patched, once (:func:`install`), each delegating to the original for any other host or when no
mock is active:

* ``connect`` of ``http.client.HTTPConnection`` / ``HTTPSConnection`` and of urllib3's
  ``HTTPConnection`` / ``HTTPSConnection``; the target is the tunnelled host behind an HTTPS proxy;
* ``http.client.HTTPConnection.putrequest``: a request line with an absolute AWS URL (a plain
  HTTP proxy) marks the connection as AWS-bound before it connects;
* ``socket.getaddrinfo``: any other library resolving an AWS host name gets ``socket.gaierror``
  naming the host, so nothing it sends can reach AWS;
* moto's ``responses`` mock (``moto.core.models.responses_mock``), which answers ``requests``
  calls by itself once moto has started: requests to AWS hosts go on to the real
  ``HTTPAdapter.send`` and so to the loopback.
"""

from __future__ import annotations

import http.client
import os
import socket
from collections.abc import Callable
from io import BytesIO
from typing import Any
from urllib.parse import urlsplit

from pytest_modelreg.activation import active
from pytest_modelreg.raw_http.endpoints import aws_host_prefix
from pytest_modelreg.raw_http.messages import RawRequest, RawResponse, RequestRefusedError

__all__ = ["hook_moto_responses", "install"]

_AWS_BOUND = "_pytest_modelreg_aws_host"
_HOOKED = "_pytest_modelreg_hooked"


class _Loopback:
    """Stands in for the socket of a connection to an AWS endpoint."""

    def __init__(self, scheme: str, authority: str) -> None:
        self._scheme = scheme
        self._authority = authority
        self._sent = bytearray()
        self._pipe: tuple[int, int] | None = None
        self._timeout: float | None = None

    # -- what clients call on a socket ------------------------------------------------------
    def sendall(self, data: bytes | bytearray | memoryview) -> None:
        self._sent += data

    def send(self, data: bytes | bytearray | memoryview) -> int:
        self._sent += data
        return len(data)

    def makefile(self, mode: str = "rb", *args: Any, **kwargs: Any) -> BytesIO:
        return BytesIO(self._answer())

    def settimeout(self, timeout: float | None) -> None:
        self._timeout = timeout

    def gettimeout(self) -> float | None:
        return self._timeout

    def setsockopt(self, *args: Any) -> None:
        return None

    def shutdown(self, how: int) -> None:
        return None

    def fileno(self) -> int:
        # Some clients wait for the socket to be readable (botocore's 100-continue handling): a
        # pipe with a byte in it always is. Made only when asked for.
        if self._pipe is None:
            self._pipe = os.pipe()
            os.write(self._pipe[1], b"\0")
        return self._pipe[0]

    def close(self) -> None:
        pipe, self._pipe = self._pipe, None
        if pipe is not None:
            for fd in pipe:
                os.close(fd)

    # -- the exchange -----------------------------------------------------------------------
    def _answer(self) -> bytes:
        request, expects_continue = _read_request(bytes(self._sent), self._scheme, self._authority)
        if request is None:
            if expects_continue:
                return b"HTTP/1.1 100 Continue\r\n\r\n"
            raise RequestRefusedError(
                "?", f"{self._scheme}://{self._authority}/", "the request was incomplete"
            )
        del self._sent[:]
        from pytest_modelreg.raw_http.serve import respond

        return _write_response(request.method, respond(request))


def _read_request(data: bytes, scheme: str, authority: str) -> tuple[RawRequest | None, bool]:
    """The request in ``data``, or (None, whether it waits for 100 Continue) if incomplete."""
    head, separator, rest = data.partition(b"\r\n\r\n")
    if not separator:
        return None, False
    lines = head.decode("latin-1").split("\r\n")
    method, target, _version = [*lines[0].split(" ", 2), "", ""][:3]
    headers = tuple(
        (name.strip(), value.strip())
        for name, _colon, value in (line.partition(":") for line in lines[1:])
        if name.strip()
    )
    lower = {name.lower(): value for name, value in reversed(headers)}
    if "chunked" in lower.get("transfer-encoding", "").lower():
        body, complete = _dechunk(rest)
    else:
        length = int(lower.get("content-length", "0") or 0)
        body, complete = rest[:length], len(rest) >= length
    if not complete:
        return None, lower.get("expect", "").lower() == "100-continue"
    if target.startswith(("http://", "https://")):
        url = target
    else:
        url = f"{scheme}://{lower.get('host') or authority}{target}"
    return RawRequest(method, url, headers, body), False


def _dechunk(data: bytes) -> tuple[bytes, bool]:
    body = bytearray()
    position = 0
    while True:
        end = data.find(b"\r\n", position)
        if end < 0:
            return bytes(body), False
        size = int(data[position:end].split(b";", 1)[0] or b"0", 16)
        if size == 0:
            return bytes(body), True
        start = end + 2
        if len(data) < start + size + 2:
            return bytes(body), False
        body += data[start : start + size]
        position = start + size + 2


_HOP_BY_HOP = frozenset({"content-length", "transfer-encoding", "connection"})


def _write_response(method: str, response: RawResponse) -> bytes:
    reason = http.client.responses.get(response.status, "")
    lines = [f"HTTP/1.1 {response.status} {reason}"]
    length: str | None = None
    for name, value in response.headers:
        if name.lower() == "content-length":
            length = value
        if name.lower() not in _HOP_BY_HOP:
            lines.append(f"{name}: {value}")
    # A HEAD answer has no body but announces the length of the one GET would return.
    head = method == "HEAD"
    lines.append(f"Content-Length: {length if head and length else len(response.body)}")
    lines.append("Connection: close")
    wire = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
    return wire if head else wire + response.body


# -- the patches ----------------------------------------------------------------------------------
def _aws_target(connection: Any) -> str | None:
    host = getattr(connection, _AWS_BOUND, None) or getattr(connection, "_tunnel_host", None)
    host = host or connection.host
    return host if isinstance(host, str) and aws_host_prefix(host) is not None else None


def _guard_connect(original: Callable[[Any], None]) -> Callable[[Any], None]:
    def connect(self: Any) -> None:
        host = _aws_target(self) if active() is not None else None
        # The mark of a proxied request line holds for that request only.
        self.__dict__.pop(_AWS_BOUND, None)
        if host is None:
            original(self)
            return
        port = getattr(self, "_tunnel_port", None) or self.port
        https = self.default_port == 443
        default = 443 if https else 80
        authority = host if port in (None, default) else f"{host}:{port}"
        self.sock = _Loopback("https" if https else "http", authority)
        if hasattr(self, "is_verified"):  # urllib3: nothing insecure about an in-process answer
            self.is_verified = True
            self._has_connected_to_proxy = False

    return connect


def _guard_putrequest(original: Callable[..., None]) -> Callable[..., None]:
    def putrequest(self: Any, method: str, url: str, *args: Any, **kwargs: Any) -> None:
        if active() is not None and url.startswith(("http://", "https://")):
            host = urlsplit(url).hostname or ""
            if aws_host_prefix(host) is not None and not isinstance(self.sock, _Loopback):
                if self.sock is not None:
                    raise RequestRefusedError(
                        method, url, "it would be sent over an open connection to a proxy"
                    )
                setattr(self, _AWS_BOUND, host)
        original(self, method, url, *args, **kwargs)

    return putrequest


_real_getaddrinfo: Callable[..., Any] = socket.getaddrinfo


def _guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if isinstance(host, (str, bytes)) and active() is not None:
        name = host.decode("ascii", "replace") if isinstance(host, bytes) else host
        if aws_host_prefix(name) is not None:
            raise socket.gaierror(
                socket.EAI_NONAME,
                f"pytest-modelreg refused to resolve {name} while a mock is active: requests to "
                "AWS endpoints are served only when made with botocore, requests, urllib3, "
                "urllib.request, http.client or aiohttp; nothing was sent",
            )
    return _real_getaddrinfo(host, *args, **kwargs)


def _patch(cls: type, name: str, guard: Callable[[Any], Any]) -> None:
    original = cls.__dict__.get(name)
    if original is not None and not getattr(original, _HOOKED, False):
        patched = guard(original)
        setattr(patched, _HOOKED, True)
        setattr(cls, name, patched)


_installed = False


def install() -> None:
    """Patch the connection classes and the resolver (idempotent)."""
    global _installed, _real_getaddrinfo
    if _installed:
        return
    _installed = True
    classes: list[type] = [http.client.HTTPConnection, http.client.HTTPSConnection]
    try:
        import urllib3.connection

        classes += [urllib3.connection.HTTPConnection, urllib3.connection.HTTPSConnection]
    except ImportError:  # pragma: no cover - botocore depends on urllib3
        pass
    for cls in classes:
        _patch(cls, "connect", _guard_connect)
    _patch(http.client.HTTPConnection, "putrequest", _guard_putrequest)
    _real_getaddrinfo = socket.getaddrinfo
    socket.getaddrinfo = _guarded_getaddrinfo


def hook_moto_responses() -> None:
    """Send ``requests`` calls to AWS hosts past moto's ``responses`` mock while a mock is
    active (idempotent; called once moto's core is imported)."""
    import responses
    from moto.core import models

    mock = models.responses_mock
    if getattr(mock, _HOOKED, False):
        return
    original = mock._on_request

    def on_request(adapter: Any, request: Any, **kwargs: Any) -> Any:
        if active() is not None and aws_host_prefix(urlsplit(str(request.url)).hostname or ""):
            kwargs.pop("retries", None)
            return responses._real_send(adapter, request, **kwargs)
        return original(adapter, request, **kwargs)

    # An instance attribute: it outlives moto's start(), stop() and reset() of the mock.
    setattr(mock, "_on_request", on_request)  # noqa: B010
    setattr(mock, _HOOKED, True)

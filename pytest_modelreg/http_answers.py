"""The HTTP response a simulated botocore call is answered with, readable by botocore and by
aiobotocore alike.

Both clients take the answer a ``before-call`` or ``before-send`` handler returns as the
``AWSResponse`` the network would have given, and read it their own way:

* botocore reads ``response.content`` (bytes) and, for a streaming output such as S3
  ``GetObject``'s ``Body``, wraps ``response.raw`` (``read(amt)``, ``stream()``) in its
  ``StreamingBody``;
* aiobotocore awaits ``response.content`` and ``response.text``, and its ``StreamingBody`` wraps
  ``response.raw`` as an aiohttp ``ClientResponse``: ``await raw.content.read(n)``,
  ``raw.at_eof()``, and ``async with`` (entering gives the response, whose ``read()`` is awaited).

One answer serves both: :class:`Answer`'s ``content`` and ``text`` are ``bytes``/``str`` that can
also be awaited (to themselves), and :class:`AnswerBody` is a ``BytesIO`` that also offers the
aiohttp surface. Nothing here depends on aiobotocore; it is never imported.

The request side has one asynchronous case: aiobotocore's request bodies may only be read with
``await body.read()`` (its ``AioAwsChunkedWrapper``, which S3 uploads get for their checksums, and
the async files it accepts). :func:`when_read` serves such a request once its body is read; the
emitter of aiobotocore awaits what a handler returns when it is awaitable, and botocore's bodies
never take this path.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable, Coroutine, Generator, Iterator
from io import BytesIO
from typing import Any

import botocore.utils
from botocore.awsrequest import AWSPreparedRequest, AWSResponse

__all__ = ["Answer", "AnswerBody", "when_read"]


class _Ready:
    """A value that is also an awaitable of itself (what aiobotocore awaits, botocore reads)."""

    __slots__ = ()

    def __await__(self) -> Generator[Any, None, Any]:
        yield from ()
        return self


class _ReadyBytes(_Ready, bytes):
    __slots__ = ()


class _ReadyStr(_Ready, str):
    __slots__ = ()


class _AsyncReader:
    """The asynchronous view of an :class:`AnswerBody`: what aiohttp's ``ClientResponse`` and
    its ``content`` stream offer for reading."""

    def __init__(self, body: AnswerBody) -> None:
        self._body = body

    @property
    def content(self) -> _AsyncReader:
        return self

    async def read(self, n: int = -1) -> bytes:
        return self._body.read(None if n is None or n < 0 else n)

    async def readany(self) -> bytes:
        return self._body.read()

    def at_eof(self) -> bool:
        return self._body.at_eof()

    async def iter_chunked(self, n: int) -> AsyncIterator[bytes]:
        chunk = self._body.read(n)
        while chunk:
            yield chunk
            chunk = self._body.read(n)

    async def iter_any(self) -> AsyncIterator[bytes]:
        chunk = self._body.read()
        if chunk:
            yield chunk

    async def iter_chunks(self) -> AsyncIterator[tuple[bytes, bool]]:
        """aiohttp's ``StreamReader.iter_chunks``: (chunk, whether it ends an HTTP chunk)."""
        chunk = self._body.read()
        if chunk:
            yield chunk, True


class AnswerBody(BytesIO):
    """The body of an answer: a urllib3-like stream for botocore (``read``, ``stream``) and an
    aiohttp-like one for aiobotocore (``content.read``, ``at_eof``, ``async with``)."""

    def __init__(self, data: bytes, url: str = "") -> None:
        super().__init__(data)
        self._size = len(data)
        self.url = url

    def stream(self, amt: int | None = None, **_: Any) -> Iterator[bytes]:
        chunk = self.read(amt)
        while chunk:
            yield chunk
            chunk = self.read(amt)

    def at_eof(self) -> bool:
        return self.tell() >= self._size

    @property
    def content(self) -> _AsyncReader:
        return _AsyncReader(self)

    async def __aenter__(self) -> _AsyncReader:
        return _AsyncReader(self)

    async def __aexit__(self, *exc_info: object) -> None:
        self.close()


class Answer(AWSResponse):
    """An ``AWSResponse`` whose ``content`` and ``text`` aiobotocore can await."""

    raw: AnswerBody

    def __init__(self, url: str, status_code: int, headers: Any, body: bytes) -> None:
        super().__init__(url, status_code, headers, AnswerBody(body, url))
        self._ready: _ReadyBytes | None = None

    @property
    def content(self) -> bytes:
        if self._ready is None:
            self._ready = _ReadyBytes(b"".join(self.raw.stream()))
        return self._ready

    @property
    def text(self) -> str:
        encoding = botocore.utils.get_encoding_from_headers(self.headers) or "utf-8"
        return _ReadyStr(self.content.decode(encoding))


def when_read(
    request: AWSPreparedRequest, serve: Callable[[AWSPreparedRequest], AWSResponse]
) -> AWSResponse | Coroutine[Any, Any, AWSResponse]:
    """``serve(request)``; or, if the request's body is read asynchronously, a coroutine that
    reads it into bytes first and then serves (for aiobotocore to await)."""
    read = getattr(request.body, "read", None)
    if read is None or not inspect.iscoroutinefunction(read):
        return serve(request)

    async def read_then_serve() -> AWSResponse:
        request.body = await read()
        return serve(request)

    return read_then_serve()

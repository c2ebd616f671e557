"""The answer objects (pytest_modelreg.http_answers) read both ways: as botocore reads an
``AWSResponse`` (bytes, urllib3-like stream) and as aiobotocore does (awaited content, aiohttp-like
stream). Needs no aiobotocore: runs in every environment."""

from __future__ import annotations

import asyncio
from typing import Any

from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.response import StreamingBody

from pytest_modelreg.http_answers import Answer, when_read

DATA = b"line one\nline two\n"


def _answer(data: bytes = DATA) -> Answer:
    return Answer("https://s3.amazonaws.com/b/k", 200, {"content-type": "text/plain"}, data)


def test_botocore_reads_content_text_and_stream() -> None:
    answer = _answer()
    assert answer.content == DATA
    assert answer.text == DATA.decode()
    assert StreamingBody(_answer().raw, str(len(DATA))).read() == DATA
    assert list(StreamingBody(_answer().raw, None).iter_chunks(8)) == [
        DATA[:8],
        DATA[8:16],
        DATA[16:],
    ]


def test_aiobotocore_awaits_content_and_text() -> None:
    async def read() -> tuple[Any, Any]:
        answer = _answer()
        return await answer.content, await answer.text

    content, text = asyncio.run(read())
    assert (content, text) == (DATA, DATA.decode())
    assert type(content) is not bytes  # awaiting gives the same value, still readable as bytes


def test_the_body_offers_what_aiobotocore_reads_of_an_aiohttp_response() -> None:
    async def read() -> dict[str, Any]:
        body = _answer().raw
        seen: dict[str, Any] = {"eof_before": body.at_eof()}
        seen["first"] = await body.content.read(4)
        seen["rest"] = await body.content.read(-1)
        seen["eof_after"] = body.at_eof()
        async with _answer().raw as response:  # entering gives the response, read() awaited
            seen["entered"] = await response.read()
        seen["chunked"] = [c async for c in _answer().raw.content.iter_chunked(8)]
        seen["chunks"] = [c async for c in _answer().raw.content.iter_chunks()]
        return seen

    seen = asyncio.run(read())
    assert seen["eof_before"] is False
    assert (seen["first"], seen["rest"], seen["eof_after"]) == (b"line", DATA[4:], True)
    assert seen["entered"] == DATA
    assert seen["chunked"] == [DATA[:8], DATA[8:16], DATA[16:]]
    assert seen["chunks"] == [(DATA, True)]


class _AsyncBody:
    """A request body aiobotocore reads with await (as its AioAwsChunkedWrapper)."""

    async def read(self, size: int | None = None) -> bytes:
        return b"uploaded"


def _serve(request: AWSPreparedRequest) -> AWSResponse:
    return Answer(request.url, 200, {}, bytes(request.body))


def test_a_request_body_read_with_await_is_read_before_it_is_served() -> None:
    request = AWSPreparedRequest("PUT", "https://s3.amazonaws.com/b/k", {}, _AsyncBody(), False)
    pending = when_read(request, _serve)
    assert asyncio.iscoroutine(pending)
    answer = asyncio.run(pending)
    assert answer.content == b"uploaded"
    assert request.body == b"uploaded"


def test_a_request_body_read_without_await_is_served_at_once() -> None:
    request = AWSPreparedRequest("PUT", "https://s3.amazonaws.com/b/k", {}, b"plain", False)
    answer = when_read(request, _serve)
    assert isinstance(answer, Answer)
    assert answer.content == b"plain"

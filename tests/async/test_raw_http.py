"""Presigned URLs made with aiobotocore (whose generate_presigned_url is a coroutine), and raw
aiohttp requests to AWS hosts: judged as the principal whose key signed them and answered
in-process, as ``requests``/``urllib3`` requests are (tests/escapes/test_presigned.py); nothing
leaves the machine."""

from __future__ import annotations

import socket
from typing import Any
from xml.etree import ElementTree as ET

import pytest
import requests

from pytest_modelreg import ModelRegistryHandle
from pytest_modelreg.raw_http import RequestRefusedError

from ..conftest import statement
from ..network_guard import block_network
from .conftest import S3_ALL, SKIP_REASON, AsyncClient

pytest.importorskip("aiobotocore", reason=SKIP_REASON)

import aiohttp

pytestmark = [pytest.mark.anyio, pytest.mark.modelreg(policy=S3_ALL)]

BUCKET = "async-presigned"
READER_POLICY = statement("Allow", "s3:GetObject", f"arn:aws:s3:::{BUCKET}/allowed/*")


@pytest.fixture
async def bucket(aio_client: AsyncClient) -> str:
    async with aio_client("s3") as s3:
        await s3.create_bucket(Bucket=BUCKET)
        for key in ("allowed/model.tar.gz", "secret/model.tar.gz"):
            await s3.put_object(Bucket=BUCKET, Key=key, Body=b"weights")
    return BUCKET


async def _presign(aio_client: AsyncClient, signer: Any, key: str) -> str:
    async with aio_client("s3", signer) as s3:
        url = await s3.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": key})
    return str(url)


def _code(body: bytes) -> str:
    return ET.fromstring(body).findtext("Code") or ""


async def test_a_presigned_url_is_served_and_denied_as_its_signer(
    modelreg: ModelRegistryHandle, aio_client: AsyncClient, bucket: str
) -> None:
    reader = modelreg.principal("Reader", policies=READER_POLICY)
    allowed = await _presign(aio_client, reader, "allowed/model.tar.gz")
    secret = await _presign(aio_client, reader, "secret/model.tar.gz")
    assert reader.credentials.access_key in allowed
    served = requests.get(allowed, timeout=5)
    refused = requests.get(secret, timeout=5)
    async with aiohttp.ClientSession() as http:
        async with http.get(allowed) as response:
            aio_served = (response.status, await response.read())
        async with http.get(secret) as response:
            aio_refused = (response.status, await response.read())
    assert (served.status_code, served.content) == (200, b"weights")
    assert aio_served == (200, b"weights")
    assert (refused.status_code, _code(refused.content)) == (403, "AccessDenied")
    assert (aio_refused[0], _code(aio_refused[1])) == (403, "AccessDenied")
    fetches = [c for c in modelreg.calls if c.principal_arn == reader.arn]
    assert [(c.operation, c.params["Key"], c.decision) for c in fetches] == [
        ("GetObject", "allowed/model.tar.gz", "allowed"),
        ("GetObject", "secret/model.tar.gz", "implicitDeny"),
        ("GetObject", "allowed/model.tar.gz", "allowed"),
        ("GetObject", "secret/model.tar.gz", "implicitDeny"),
    ]


async def test_aiohttp_requests_to_aws_never_reach_the_network(
    modelreg: ModelRegistryHandle, monkeypatch: pytest.MonkeyPatch, bucket: str
) -> None:
    guard = block_network(monkeypatch)
    async with aiohttp.ClientSession() as http:
        # Unsigned: judged as the anonymous caller, and denied by S3.
        async with http.get(f"https://{BUCKET}.s3.amazonaws.com/allowed/model.tar.gz") as response:
            anonymous = (response.status, _code(await response.read()))
        # Not an operation of a served service: refused, naming the request.
        with pytest.raises(RequestRefusedError, match=r"refused GET https://example\.execute-api"):
            await http.get("https://example.execute-api.us-east-1.amazonaws.com/prod")
    assert anonymous == (403, "AccessDenied")
    assert guard.attempts == []


async def test_a_cached_address_from_before_the_mock_is_not_used(
    modelreg: ModelRegistryHandle, monkeypatch: pytest.MonkeyPatch, bucket: str
) -> None:
    """aiohttp keeps resolved addresses (TCPConnector's DNS cache): one from before the mock must
    not take a request under it to the network."""
    guard = block_network(monkeypatch)
    host = f"{BUCKET}.s3.amazonaws.com"
    connector = aiohttp.TCPConnector()
    connector._cached_hosts.add(  # what a lookup before the mock would have left
        (host, 443),
        [
            {
                "hostname": host,
                "host": "192.0.2.1",
                "port": 443,
                "family": socket.AF_INET,
                "proto": 0,
                "flags": 0,
            }
        ],
    )
    async with (
        aiohttp.ClientSession(connector=connector) as http,
        http.get(f"https://{host}/allowed/model.tar.gz") as response,
    ):
        assert response.status == 403
    assert guard.attempts == []


async def test_a_presigned_put_with_aiohttp_stores_the_object(
    modelreg: ModelRegistryHandle, aio_client: AsyncClient, bucket: str
) -> None:
    async with aio_client("s3") as s3:
        url = await s3.generate_presigned_url(
            "put_object", Params={"Bucket": BUCKET, "Key": "uploaded"}
        )

    async def chunks() -> Any:  # sent with Transfer-Encoding: chunked
        yield b"new "
        yield b"weights"

    async with aiohttp.ClientSession() as http:
        async with http.put(url, data=chunks()) as response:
            chunked = response.status
        stored = await _get(aio_client, "uploaded")
        # expect100: the body waits for the 100 Continue the in-process answer gives.
        async with http.put(url, data=b"retrained", expect100=True) as response:
            continued = response.status
    assert (chunked, stored) == (200, b"new weights")
    assert (continued, await _get(aio_client, "uploaded")) == (200, b"retrained")
    puts = [c for c in modelreg.calls if c.operation == "PutObject"]
    assert [c.params["Key"] for c in puts[-2:]] == ["uploaded", "uploaded"]


async def _get(aio_client: AsyncClient, key: str) -> bytes:
    async with aio_client("s3") as s3:
        got = await s3.get_object(Bucket=BUCKET, Key=key)
        return bytes(await got["Body"].read())

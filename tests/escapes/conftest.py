"""Fixtures for the escape routes: the network is blocked for every test here (a request that
escaped would fail the test), and one helper sends a raw HTTP request with each client library."""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
import requests
import urllib3

from tests.network_guard import NetworkGuard, block_network

LIBRARIES = ("requests", "urllib3", "urllib.request", "http.client")


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[NetworkGuard]:
    """No socket connects and no name resolves during these tests; one that tried fails."""
    guard = block_network(monkeypatch)
    yield guard
    assert guard.attempts == [], f"the test tried to reach the network: {guard.attempts}"


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Mapping[str, str]
    body: bytes


def send(
    library: str,
    method: str,
    url: str,
    headers: Mapping[str, str] | None = None,
    body: bytes = b"",
) -> Reply:
    """Send one request with ``library``, as code under test would, and return the answer."""
    headers = dict(headers or {})
    if library == "requests":
        r = requests.request(method, url, headers=headers, data=body or None)
        return Reply(r.status_code, _lower(r.headers.items()), r.content)
    if library == "urllib3":
        u = urllib3.request(method, url, headers=headers, body=body or None, retries=False)
        return Reply(u.status, _lower(u.headers.items()), u.data)
    if library == "urllib.request":
        request = urllib.request.Request(url, data=body or None, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request) as answer:
                return Reply(answer.status, _lower(answer.headers.items()), answer.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, _lower(error.headers.items()), error.read())
    assert library == "http.client"
    parts = urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(parts.netloc)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    connection.request(method, target or "/", body=body or None, headers=headers)
    answer = connection.getresponse()
    reply = Reply(answer.status, _lower(answer.getheaders()), answer.read())
    connection.close()
    return reply


def _lower(items: object) -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in items}  # type: ignore[attr-defined]


@pytest.fixture(params=LIBRARIES)
def library(request: pytest.FixtureRequest) -> str:
    """Each client library a test's code could send raw HTTP with."""
    return str(request.param)

"""Every test here runs with sockets refused: a request that escapes the mock fails the test."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from tests.conftest import ALLOW_ALL


@pytest.fixture(autouse=True)
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: Any, **__: Any) -> None:
        raise AssertionError("a socket was opened")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def allow_all() -> dict[str, Any]:
    return ALLOW_ALL

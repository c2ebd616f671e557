"""A network block for tests: every INET connection and DNS lookup is refused and remembered,
so that a test can fail if anything it ran tried one (even one the code caught and swallowed)."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from typing import Any

import pytest


@dataclass
class NetworkGuard:
    """Every attempt to open a network connection or resolve a name, while the guard is up."""

    attempts: list[str] = field(default_factory=list)

    def refuse(self, what: str) -> OSError:
        self.attempts.append(what)
        return ConnectionRefusedError(f"pytest-modelreg tests: network blocked ({what})")


def block_network(monkeypatch: pytest.MonkeyPatch) -> NetworkGuard:
    """Refuse every INET socket connection and DNS lookup until ``monkeypatch`` is undone."""
    guard = NetworkGuard()
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def connect(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise guard.refuse(f"connect {address!r}")
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise guard.refuse(f"connect_ex {address!r}")
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        raise guard.refuse(f"getaddrinfo {host!r}:{port!r}")

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> Any:
        raise guard.refuse(f"create_connection {address!r}")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    return guard

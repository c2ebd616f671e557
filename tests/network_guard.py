"""A network block for tests: every INET connection and DNS lookup is refused and remembered,
so that a test can fail if anything it ran tried one (even one the code caught and swallowed).
Only INET/INET6 sockets and name lookups are refused: Unix sockets keep working."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from typing import Any

import pytest


@dataclass(frozen=True)
class Attempt:
    """One refused connection or lookup: the socket call, and the host it was for."""

    call: str
    host: str

    def __str__(self) -> str:
        return f"{self.call} {self.host}"


@dataclass
class NetworkGuard:
    """Every attempt to open a network connection or resolve a name, while the guard is up."""

    attempts: list[Attempt] = field(default_factory=list)

    def refuse(self, call: str, address: Any) -> OSError:
        host = str(address[0]) if isinstance(address, tuple) and address else str(address)
        self.attempts.append(Attempt(call, host))
        return ConnectionRefusedError(
            f"pytest-modelreg tests: network blocked ({call} {address!r})"
        )


def block_network(monkeypatch: pytest.MonkeyPatch) -> NetworkGuard:
    """Refuse every INET socket connection and DNS lookup until ``monkeypatch`` is undone."""
    guard = NetworkGuard()
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def connect(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise guard.refuse("connect", address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise guard.refuse("connect_ex", address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        raise guard.refuse("getaddrinfo", (host, port))

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> Any:
        raise guard.refuse("create_connection", address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    return guard

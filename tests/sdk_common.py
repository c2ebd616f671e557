"""What the suites that drive a real SageMaker Python SDK (tests/sdk for v2, tests/sdk3 for v3)
share: a network block that records every attempt the SDK makes, even one it catches and
swallows; the resources an SDK flow needs arranged as admin; the two policies flows run under.

Only INET/INET6 sockets and name lookups are refused: Unix sockets keep working."""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass, field
from typing import Any

import pytest

from pytest_modelreg import ModelRegistryHandle

MANAGED = "AmazonSageMakerModelRegistryFullAccess"


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


def both_policies(deploy_policy: list[Any]) -> pytest.MarkDecorator:
    """Run a test (argument ``policy``) under the managed policy and under ``deploy_policy``:
    the flows the managed policy allows behave the same under a policy that grants more."""
    return pytest.mark.parametrize(
        "policy",
        [
            pytest.param(MANAGED, marks=pytest.mark.modelreg(policy=MANAGED), id="managed"),
            pytest.param(
                deploy_policy,
                marks=pytest.mark.modelreg(policy=deploy_policy),
                id="deploy-policy",
            ),
        ],
    )


def create_default_bucket(reg: ModelRegistryHandle) -> str:
    """The SDK's default bucket with an artifact in it, created as admin (the managed policy
    cannot create it)."""
    name = f"sagemaker-{reg.region}-{reg.account_id}"
    reg.admin_client("s3").create_bucket(Bucket=name)
    reg.admin_client("s3").put_object(Bucket=name, Key="churn/model.tar.gz", Body=b"model")
    return name


def create_execution_role(reg: ModelRegistryHandle) -> str:
    """A role SageMaker may assume, created as admin; returns its ARN."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "sagemaker.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    role: dict[str, Any] = reg.admin_client("iam").create_role(
        RoleName="SageMakerExecution", AssumeRolePolicyDocument=json.dumps(trust)
    )["Role"]
    return str(role["Arn"])

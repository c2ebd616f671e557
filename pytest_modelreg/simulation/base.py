"""Types shared by every simulated service: the caller of a call, and AWS-shaped service errors."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pytest_modelreg.arn import partition_of

if TYPE_CHECKING:
    from pytest_modelreg.simulation.moto import MotoBackend


@dataclass(frozen=True)
class CallContext:
    """Who makes a call, and where: what a simulated service needs beyond the call's parameters."""

    account_id: str
    region: str
    caller_arn: str
    """The caller's ARN as AWS reports it (an assumed-role session ARN for role sessions)."""
    caller_principal_id: str = ""
    """The caller's unique id (``AROA...:session`` for role sessions, ``AIDA...`` for users)."""

    @property
    def partition(self) -> str:
        """The partition of the call's region: the one its new resources' ARNs name."""
        return partition_of(self.region)


class ServiceError(Exception):
    """An error the service itself answers with; the interception layer turns it into a ClientError.

    ``code`` is the wire error code (``ValidationException``, ``ResourceNotFound`` ...), ``message``
    AWS's wording, ``http_status`` the status the real service sends with it.
    """

    def __init__(self, code: str, message: str, http_status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.http_status = http_status


class MotoCheck:
    """An in-process service that serves nothing: it checks calls moto will serve against the
    simulated state (``before_moto``) and raises the ServiceError AWS would answer with."""

    def __init__(self, moto: MotoBackend) -> None:
        self.moto = moto

    def claims(self, service: str, operation: str, params: Mapping[str, Any]) -> bool:
        return False

    def handle(
        self, service: str, operation: str, params: Mapping[str, Any], ctx: CallContext
    ) -> dict[str, Any]:
        raise AssertionError("claims nothing")

    def before_moto(
        self, service: str, operation: str, params: Mapping[str, Any], ctx: CallContext
    ) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

"""Answers that depend only on who is calling, which moto cannot know (it sees our principals'
keys as strangers)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pytest_modelreg.simulation.base import CallContext


class IdentityService:
    """``sts:GetCallerIdentity``: the caller's UserId, Account and Arn (STS API Reference)."""

    def claims(self, service: str, operation: str, params: Mapping[str, Any]) -> bool:
        return service == "sts" and operation == "GetCallerIdentity"

    def handle(
        self, service: str, operation: str, params: Mapping[str, Any], ctx: CallContext
    ) -> dict[str, Any]:
        return {"UserId": ctx.caller_principal_id, "Account": ctx.account_id, "Arn": ctx.caller_arn}

    def before_moto(
        self, service: str, operation: str, params: Mapping[str, Any], ctx: CallContext
    ) -> None:
        return None

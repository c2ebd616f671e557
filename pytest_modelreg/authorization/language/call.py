"""The call being mapped: its parameters, where it is made, and the simulated state to consult."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from pytest_modelreg import arn

from ..types import ResourceState

#: ARN namespaces whose ARNs carry no region (IAM, STS) or neither region nor account (S3)
#: ("Identify AWS resources with Amazon Resource Names (ARNs)", IAM User Guide).
_GLOBAL: Final = frozenset({"iam", "sts"})
_NO_ACCOUNT: Final = frozenset({"s3"})


class Call:
    """One botocore call: its parameters plus where it is made."""

    __slots__ = (
        "_memo",
        "account_id",
        "operation",
        "params",
        "partition",
        "region",
        "service",
        "state",
    )

    def __init__(
        self,
        service: str,
        operation: str,
        params: Mapping[str, Any],
        account_id: str,
        region: str,
        partition: str,
        state: ResourceState,
    ) -> None:
        self.service = service
        self.operation = operation
        self.params = params
        self.account_id = account_id
        self.region = region
        self.partition = partition
        self.state = state
        self._memo: dict[str, Any] | None = None

    def memo(self, key: str, compute: Callable[[Call], Any]) -> Any:
        """Compute a per-call value once (parsed CopySource, state look-ups)."""
        if self._memo is None:
            self._memo = {}
        if key not in self._memo:
            self._memo[key] = compute(self)
        return self._memo[key]

    def arn(
        self, service: str, resource: str, *, region: str | None = None, account: str | None = None
    ) -> str:
        """The ARN of ``resource`` in this call's partition, account and region, as ``service``
        formats it (S3: no region or account; IAM, STS: no region)."""
        if service in _NO_ACCOUNT:
            return arn.build(self.partition, service, "", "", resource)
        acct = self.account_id if account is None else account
        if service in _GLOBAL:
            return arn.build(self.partition, service, "", acct, resource)
        reg = self.region if region is None else region
        return arn.build(self.partition, service, reg, acct, resource)

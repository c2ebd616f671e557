"""What the mock remembers of each intercepted call (``reg.calls``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

if TYPE_CHECKING:
    from pytest_modelreg.iam import Evaluation

Decision = Literal["allowed", "explicitDeny", "implicitDeny"]

# Made and kept for every call: immutable named tuples, built in a fraction of the time a frozen
# dataclass takes (which sets each field through object.__setattr__).


class Authorization(NamedTuple):
    """One IAM request AWS authorizes for a call, and the evaluator's answer."""

    action: str
    resource: str
    context: Mapping[str, str | tuple[str, ...]]
    decision: Decision
    evaluation: Evaluation | None = None
    """The evaluator's full answer (matched statements, missing keys, trace); None when the
    call was made with unrestricted access."""

    @property
    def allowed(self) -> bool:
        return self.decision == "allowed"

    def __repr__(self) -> str:  # the evaluation is long: explain() shows it
        return (
            f"Authorization(action={self.action!r}, resource={self.resource!r}, "
            f"context={self.context!r}, decision={self.decision!r})"
        )


class CallRecord(NamedTuple):
    """One botocore call made while the mock was active."""

    service: str
    operation: str
    principal_arn: str
    params: Mapping[str, Any]
    authorizations: tuple[Authorization, ...]
    decision: Decision
    enforce: str
    """The enforce mode the call ran under (``strict``, ``warn`` or ``off``)."""
    unrestricted: bool = False
    """True for calls made with admin credentials or inside ``reg.unrestricted()``."""
    via: str | None = None
    """The AWS service that made this request itself (``sagemaker.amazonaws.com`` assuming an
    execution role and acting as it); None for the calls of the code under test."""

    @property
    def allowed(self) -> bool:
        return self.decision == "allowed"

    @property
    def denied_authorizations(self) -> tuple[Authorization, ...]:
        return tuple(a for a in self.authorizations if not a.allowed)

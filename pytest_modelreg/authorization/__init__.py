"""Authorization mapping: a botocore call becomes the IAM requests AWS authorizes for it.

``authorization_requests(service, operation, params, ...)`` returns one
:class:`AuthorizationRequest` per (action, resource) AWS checks, with the request-specific
condition keys. One table per service (``sagemaker.py``, ``s3.py``, ...) lists the operations whose
mapping differs from the generic rule in ``rules.py`` (``<prefix>:<Operation>`` on the resource the
parameters name). An operation nobody can map raises :class:`UnmappedOperation` (fail closed).

Every [INFERRED] choice is marked with that tag in the table where it is made and listed in that
module's docstring; ``grep -rn INFERRED pytest_modelreg/authorization`` lists them all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import (  # noqa: F401  (importing a table registers it)
    ecr,
    iam,
    kms,
    resource_groups,
    s3,
    sagemaker,
    sts,
    tagging,
)
from .errors import DeniedError, access_denied_error, denied_error
from .rules import IAM_PREFIX, Call, Plan, describe_plan, plan_for, run_plan
from .types import AuthorizationRequest, ContextValue, ResourceState, UnmappedOperation

__all__ = [
    "IAM_PREFIX",
    "AuthorizationRequest",
    "ContextValue",
    "DeniedError",
    "Plan",
    "ResourceState",
    "UnmappedOperation",
    "access_denied_error",
    "authorization_requests",
    "denied_error",
    "describe_plan",
    "plan_for",
]


def authorization_requests(
    service: str,
    operation: str,
    params: Mapping[str, Any],
    *,
    account_id: str,
    region: str,
    state: ResourceState,
    partition: str = "aws",
) -> list[AuthorizationRequest]:
    """The IAM requests AWS authorizes for one call; [] means the call needs no permission.

    Raises UnmappedOperation when no mapping exists (the caller must deny the call).
    """
    plan = plan_for(service, operation)
    return run_plan(plan, Call(service, operation, params, account_id, region, partition, state))

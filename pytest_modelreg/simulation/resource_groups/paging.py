"""Opaque page tokens that resume after a sort key (stable when items come and go between pages).

Standard base64: Resource Groups' NextToken pattern is ``^[a-zA-Z0-9+/]*={0,2}$`` (botocore model).
"""

from __future__ import annotations

import base64
import bisect
import json
from collections.abc import Sequence
from typing import TypeVar

from ..base import ServiceError

T = TypeVar("T")


def encode(operation: str, key: str) -> str:
    return base64.b64encode(json.dumps([operation, key]).encode()).decode()


def decode(operation: str, token: str | None, error: ServiceError) -> str | None:
    """The key to resume after; None for a first page: an absent or empty token (the SageMaker
    Python SDK sends ``NextToken=""`` to ListGroupResources for a first page)."""
    if not token:
        return None
    try:
        op, key = json.loads(base64.b64decode(token.encode(), validate=True))
    except (ValueError, TypeError):
        raise error from None
    if op != operation or not isinstance(key, str):
        raise error
    return key


def page(
    keys: Sequence[str], items: Sequence[T], after: str | None, limit: int
) -> tuple[list[T], str | None]:
    """Items after ``after`` (``keys`` sorted ascending), at most ``limit``; and the resume key."""
    start = 0 if after is None else bisect.bisect_right(keys, after)
    end = min(len(items), start + limit)
    return list(items[start:end]), (keys[end - 1] if end < len(items) else None)

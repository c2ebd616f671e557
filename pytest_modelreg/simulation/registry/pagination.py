"""Opaque NextToken handling: a token names the sort key of the last item returned.

Resuming by key (bisect) rather than by offset keeps pages stable when items are created or deleted
between calls, and costs O(log n) to find the resume point.
"""

from __future__ import annotations

import base64
import bisect
import json
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from ..base import ServiceError
from . import _guesses

T = TypeVar("T")
Key = tuple[Any, ...]


def encode(operation: str, key: Key) -> str:
    raw = json.dumps([operation, list(key)], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode()


def decode(operation: str, token: str | None) -> Key | None:
    """The key after which to resume, None for the first page (an empty token is a first page)."""
    if not token:
        return None
    try:
        op, key = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (ValueError, TypeError):
        raise ServiceError("ValidationException", _guesses.INVALID_TOKEN) from None
    if op != operation or not isinstance(key, list):
        raise ServiceError("ValidationException", _guesses.INVALID_TOKEN)
    return tuple(_untuple(k) for k in key)


def _untuple(v: Any) -> Any:
    return tuple(_untuple(x) for x in v) if isinstance(v, list) else v


def max_results(params: Mapping[str, Any], default: int) -> int:
    v = params.get("MaxResults")
    return default if v is None else int(v)


def page_sorted(
    keys: Sequence[Key],
    items: Sequence[T],
    after: Key | None,
    limit: int,
    descending: bool,
) -> tuple[list[T], Key | None]:
    """One page of ``items`` (sorted ascending by ``keys``); returns the page and the resume key."""
    n = len(items)
    if not descending:
        start = 0 if after is None else _bisect_right(keys, after)
        end = min(n, start + limit)
        page = list(items[start:end])
        return page, (keys[end - 1] if end < n and page else None)
    start = n - 1 if after is None else _bisect_left(keys, after) - 1
    stop = max(-1, start - limit)
    page = [items[i] for i in range(start, stop, -1)]
    return page, (keys[stop + 1] if stop >= 0 and page else None)


def _bisect_right(keys: Sequence[Key], k: Key) -> int:
    try:
        return bisect.bisect_right(keys, k)
    except TypeError:  # a token from another query whose key types differ
        raise ServiceError("ValidationException", _guesses.INVALID_TOKEN) from None


def _bisect_left(keys: Sequence[Key], k: Key) -> int:
    try:
        return bisect.bisect_left(keys, k)
    except TypeError:
        raise ServiceError("ValidationException", _guesses.INVALID_TOKEN) from None

"""Timestamps as botocore would hand them to the caller: millisecond precision, timezone-aware."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from botocore.utils import get_tzinfo_options, parse_timestamp

# botocore parses epoch timestamps with the first of these (tzlocal on POSIX); one shared instance.
_TZ = get_tzinfo_options()[0]()
# dateutil's tzlocal conversion costs ~15 µs; when the local zone is UTC all year (CI machines), the
# wall time equals UTC and attaching the same tzinfo object to a UTC wall time is exact and cheap.
_LOCAL_IS_UTC = all(
    _TZ.utcoffset(datetime(year, month, 1)) == timedelta(0)
    for year in (2000, 2025)
    for month in (1, 7)
)
_EPOCH = datetime(1970, 1, 1)
_EPOCH_UTC = _EPOCH.replace(tzinfo=timezone.utc)
_EPOCH_LOCAL = _EPOCH.replace(tzinfo=_TZ)
_MS = timedelta(milliseconds=1)


def _wall_clock() -> float:
    # Looked up on the time module at each call, never bound once: freezegun replaces
    # ``time.time`` on the module while a freeze is active (time-machine patches the C function),
    # and a test that freezes time expects the frozen CreationTime, even one earlier than the last.
    return time.time()


class Clock:
    """Epoch milliseconds read at each call; the source is injectable for deterministic tests."""

    def __init__(self, source: Callable[[], float] | None = None) -> None:
        self._source = source or _wall_clock

    def now_ms(self) -> int:
        return int(self._source() * 1000)


def to_datetime(ms: int) -> datetime:
    """The datetime botocore's parser produces for an epoch-seconds timestamp on the wire."""
    if _LOCAL_IS_UTC:
        # Aware arithmetic keeps the tzinfo without asking it anything: a fifth of the cost of
        # replace(tzinfo=...) on a naive result, and made for every created or updated resource.
        seconds, millis = divmod(ms, 1000)
        return _EPOCH_LOCAL + timedelta(0, seconds, millis * 1000)
    return datetime.fromtimestamp(ms / 1000, _TZ)


def to_ms(value: datetime | str | float | int) -> int:
    """A caller-supplied timestamp (datetime, ISO string or epoch seconds) as epoch ms."""
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, (int, float)):
        return int(value * 1000)
    else:
        dt = parse_timestamp(value)
    if dt.tzinfo is None:  # botocore serialises naive datetimes as UTC
        dt = dt.replace(tzinfo=timezone.utc)
    # Integer arithmetic: timestamp() * 1000 is a float and truncates 1 ms low for some values,
    # which made a record miss an Equals filter on its own CreationTime.
    return (dt - _EPOCH_UTC) // _MS

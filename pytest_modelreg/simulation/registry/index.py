"""Indexes over one backend's model packages, so that a first page costs the same at 100 and at
100,000 packages: Search and ListModelPackages walk an ordering from the end they need and stop
once the page is full, instead of filtering and sorting every package.

Each bucket (every package; the versioned, or the unversioned ones; the ones with one approval
status; the versions of one group; the versions of one group with one approval status) keeps two
orderings:

* ``created``: by CreationTime, key ``(0, 1, creation ms, seq)``;
* ``modified``: by LastModifiedTime, the creation time for a package never updated (the order of
  Search's default sort), key ``(0, 1, ms, seq)``.

Keys have the shape of Search's sort keys (present, numeric, value, tie-break), so a NextToken
resumes the same way whether its page came from an index or from a scan. ``seq`` is the package's
creation sequence number: packages created in the same millisecond keep their creation order.

The registry's one lock guards every change; packages.create/update/delete keep the index current.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Hashable, Iterator
from typing import Any

from .state import Package

Key = tuple[Any, ...]
Bucket = Hashable
"""``ALL``; ``("versioned", bool)``; ``("status", s)``; ``("group", name)``;
``("group", name, status)``."""
ALL: Bucket = "all"
Accept = Callable[[Package], bool]


def created_key(pkg: Package) -> Key:
    return (0, 1, pkg.creation_ms, pkg.seq)


def modified_key(pkg: Package) -> Key:
    ms = pkg.creation_ms if pkg.modified_ms is None else pkg.modified_ms
    return (0, 1, ms, pkg.seq)


class Ordered:
    """Unique keys kept sorted (bisect to resume; PackageIndex._move inserts and removes);
    ``key_of`` gives a package's key in this ordering."""

    __slots__ = ("key_of", "keys")

    def __init__(self, key_of: Callable[[Package], Key]) -> None:
        self.key_of = key_of
        self.keys: list[Key] = []

    def __len__(self) -> int:
        return len(self.keys)

    def span(self, low: Key | None, high: Key | None) -> tuple[int, int]:
        """The index range of the keys with ``low < key < high`` (None: unbounded)."""
        keys = self.keys
        start = 0 if low is None else bisect.bisect_right(keys, low)
        stop = len(keys) if high is None else bisect.bisect_left(keys, high)
        return start, max(start, stop)

    def walk(self, low: Key | None, high: Key | None, descending: bool) -> Iterator[Key]:
        """The keys strictly between ``low`` and ``high``, from the low or from the high end."""
        start, stop = self.span(low, high)
        keys = self.keys
        indexes = range(stop - 1, start - 1, -1) if descending else range(start, stop)
        for i in indexes:
            yield keys[i]


def _buckets(pkg: Package) -> list[Bucket]:
    out: list[Bucket] = [ALL, ("versioned", pkg.versioned)]
    status = pkg.doc.get("ModelApprovalStatus")
    if status is not None:
        out.append(("status", status))
    if pkg.versioned:
        out.append(("group", pkg.name))
        out.append(("group", pkg.name, status))
    return out


_EMPTY_CREATED = Ordered(created_key)
_EMPTY_MODIFIED = Ordered(modified_key)


class PackageIndex:
    """The orderings of one backend's packages, by bucket; ``by_seq`` finds a key's package."""

    def __init__(self) -> None:
        self.created: dict[Bucket, Ordered] = {}
        self.modified: dict[Bucket, Ordered] = {}
        self.by_seq: dict[int, Package] = {}
        # seq -> (buckets, created key, modified key) between before_change and after_change.
        self._changing: dict[int, tuple[list[Bucket], Key, Key]] = {}

    def ordering(self, kind: str, bucket: Bucket) -> Ordered:
        """The ``created`` or ``modified`` ordering of a bucket (an empty one if it holds none)."""
        if kind == "created":
            return self.created.get(bucket, _EMPTY_CREATED)
        return self.modified.get(bucket, _EMPTY_MODIFIED)

    def size(self, bucket: Bucket) -> int:
        return len(self.created.get(bucket, _EMPTY_CREATED))

    def smallest(self, buckets: list[Bucket]) -> Bucket:
        """The bucket of ``buckets`` holding the fewest packages (``ALL`` when none is given)."""
        return min(buckets, key=self.size) if buckets else ALL

    def add(self, pkg: Package) -> None:
        self.by_seq[pkg.seq] = pkg
        self._place(pkg, add=True)

    def remove(self, pkg: Package) -> None:
        self._place(pkg, add=False)
        del self.by_seq[pkg.seq]

    def before_change(self, pkg: Package) -> None:
        """Call before changing a package's approval status or LastModifiedTime..."""
        self._changing[pkg.seq] = (_buckets(pkg), created_key(pkg), modified_key(pkg))

    def after_change(self, pkg: Package) -> None:
        """...and after: the package is moved where its key or buckets changed."""
        old_buckets, old_created, old_modified = self._changing.pop(pkg.seq)
        buckets = _buckets(pkg)
        for table, key_of, old_key in (
            (self.created, created_key, old_created),
            (self.modified, modified_key, old_modified),
        ):
            key = key_of(pkg)
            if key == old_key:  # only the buckets it left or joined
                left, joined = _minus(old_buckets, buckets), _minus(buckets, old_buckets)
                self._move(table, key_of, old_key, key, left, joined)
            else:
                self._move(table, key_of, old_key, key, old_buckets, buckets)

    def _place(self, pkg: Package, add: bool) -> None:
        buckets = _buckets(pkg)
        for table, key_of in ((self.created, created_key), (self.modified, modified_key)):
            key = key_of(pkg)
            self._move(table, key_of, key, key, [] if add else buckets, buckets if add else [])

    @staticmethod
    def _move(
        table: dict[Bucket, Ordered],
        key_of: Callable[[Package], Key],
        old_key: Key,
        key: Key,
        leave: list[Bucket],
        join: list[Bucket],
    ) -> None:
        """Remove ``old_key`` from the ``leave`` buckets, then add ``key`` to the ``join`` ones.

        Runs on every update, in up to ten orderings: the key lists are edited in place, without a
        method call per ordering. A bucket left empty is kept (an approval status a version
        leaves, it often joins again), so that only buckets ever used hold an ordering.
        """
        for bucket in leave:
            ordered = table.get(bucket)
            if ordered is not None:
                keys = ordered.keys
                i = bisect.bisect_left(keys, old_key)
                if i == len(keys) or keys[i] != old_key:
                    raise KeyError(old_key)
                del keys[i]
        for bucket in join:
            ordered = table.get(bucket)
            if ordered is None:
                ordered = table[bucket] = Ordered(key_of)
            keys = ordered.keys
            if not keys or keys[-1] < key:
                keys.append(key)  # the common case: the newest package, or the latest change
            else:
                bisect.insort(keys, key)


def _minus(buckets: list[Bucket], others: list[Bucket]) -> list[Bucket]:
    return [b for b in buckets if b not in others]


# --- bounds and pages -----------------------------------------------------------------------------

Bounds = tuple[Key | None, Key | None]
UNBOUNDED: Bounds = (None, None)


def creation_bounds(op: str, ms: int) -> Bounds:
    """The exclusive (low, high) key bounds of ``CreationTime <op> ms`` in a ``created`` ordering
    (``seq`` is finite, so ±inf places a bound before or after every key of a millisecond)."""
    before, after = (0, 1, ms, -math.inf), (0, 1, ms, math.inf)
    return {
        "GreaterThan": (after, None),
        "GreaterThanOrEqualTo": (before, None),
        "LessThan": (None, before),
        "LessThanOrEqualTo": (None, after),
        "Equals": (before, after),
    }[op]


def narrow(bounds: Bounds, other: Bounds) -> Bounds:
    """The intersection of two exclusive key ranges."""
    (low, high), (lo, hi) = bounds, other
    low = lo if low is None else (low if lo is None else max(low, lo))
    high = hi if high is None else (high if hi is None else min(high, hi))
    return low, high


def walk_page(
    index: PackageIndex,
    ordering: Ordered,
    bounds: Bounds,
    after: Key | None,
    descending: bool,
    limit: int,
    accept: Accept,
    budget: int | None = None,
) -> tuple[list[Package], Key | None] | None:
    """The first ``limit`` packages ``accept`` takes, walking ``ordering`` within ``bounds`` and
    past the NextToken key ``after``, and the key to resume after when more follow. None when
    ``budget`` keys were walked before the page was complete (the caller takes another path).

    Raises TypeError for an ``after`` key of another shape (a token of another query)."""
    if after is not None:
        bounds = narrow(bounds, (None, after) if descending else (after, None))
    page: list[Package] = []
    by_seq = index.by_seq
    for walked, key in enumerate(ordering.walk(*bounds, descending)):
        if budget is not None and walked >= budget:
            return None
        pkg = by_seq[key[-1]]
        if accept(pkg):
            if len(page) == limit:  # one more match exists: there is a next page
                return page, ordering.key_of(page[-1])
            page.append(pkg)
    return page, None

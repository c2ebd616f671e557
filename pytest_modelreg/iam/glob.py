"""Wildcard patterns (``*``, ``?``), compiled once into matchers that never backtrack.

A regular-expression translation (``*`` to ``.*``) backtracks: ``arn:aws:s3:::ml-*/*/*/*/*.tar.gz``
against a long S3 key, or ``*a*a*a*a*b`` against ``aaaa...``, costs the value's length to the
power of the number of stars. Here a pattern is cut at its stars into fixed-length pieces: the
first piece must sit at the start of the value, the last at its end, and every piece between is
taken at its leftmost place after the one before. That choice is exact for a glob (an earlier
place never leaves less room for the rest) and is never revisited, so a match reads the value once
per piece: a literal piece is found with ``str.find``, a piece with ``?`` in it by the regex
engine (a pattern without repetition: it cannot backtrack) or, when that could take long, by a
bit-parallel scan that is linear in the value.

ARN patterns (Resource, NotResource and the Arn* condition operators) follow the IAM User Guide:

* "IAM JSON policy elements: Condition operators", ARN condition operators: "Each of the six
  colon-delimited components of the ARN is checked separately and each can include multi-character
  match wildcards (*) or single-character match wildcards (?)." A pattern of six parts is matched
  component by component; the sixth (the resource) is one component, colons included.
* "IAM JSON policy elements: Resource": "If the * wildcard is the last character of a resource ARN
  segment, it can expand to match beyond the colon boundaries." In a pattern of fewer than six
  parts such a ``*`` spans whole segments; any other ``*`` or ``?`` stays inside its segment.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

Runs = tuple[tuple[bool, str], ...]  # (is_literal, text) pieces of a pattern
Check = Callable[[str], bool]

# A pattern as units: one literal character, or a wildcard (never a one-character string).
_STAR = "<*>"
_ONE = "<?>"
# A ``?`` piece is searched by the regex engine while (piece length x stretch) stays below this;
# beyond it, the bit-parallel scan (linear in the stretch) is the cheaper bound.
_SRE_SEARCH_BUDGET = 20_000


def has_wildcard(text: str) -> bool:
    return "*" in text or "?" in text


def _units(runs: Runs) -> list[str]:
    """The pattern's characters; consecutive stars fold into one (they match the same)."""
    out: list[str] = []
    for literal, text in runs:
        for ch in text:
            if literal:
                out.append(ch)
            elif ch == "*":
                if not out or out[-1] != _STAR:
                    out.append(_STAR)
            else:
                out.append(_ONE if ch == "?" else ch)
    return out


def _split(units: Sequence[str], sep: str) -> list[list[str]]:
    parts: list[list[str]] = [[]]
    for u in units:
        if u == sep:
            parts.append([])
        else:
            parts[-1].append(u)
    return parts


class _Piece:
    """A fixed-length stretch of pattern: literal characters and ``?``."""

    __slots__ = ("length", "masks", "one_mask", "rx", "text")

    def __init__(self, units: Sequence[str]) -> None:
        self.length = len(units)
        self.masks: dict[str, int] = {}
        self.one_mask = 0
        if _ONE not in units:
            self.text: str | None = "".join(units)
            self.rx: re.Pattern[str] | None = None
            return
        self.text = None
        self.rx = re.compile("".join("." if u == _ONE else re.escape(u) for u in units), re.DOTALL)
        # For the scan: per character, the positions it may fill (its own, and every ?).
        for i, u in enumerate(units):
            if u == _ONE:
                self.one_mask |= 1 << i
            else:
                self.masks[u] = self.masks.get(u, 0) | 1 << i
        self.masks = {c: m | self.one_mask for c, m in self.masks.items()}

    def at(self, value: str, pos: int) -> bool:
        if self.rx is None:
            return value.startswith(self.text or "", pos)
        return self.rx.match(value, pos) is not None

    def find(self, value: str, start: int, end: int) -> int:
        """The leftmost ``i`` with ``start <= i`` and ``i + length <= end`` where the piece sits."""
        if self.rx is None:
            return value.find(self.text or "", start, end)
        if self.length * (end - start) <= _SRE_SEARCH_BUDGET:
            m = self.rx.search(value, start, end)
            return -1 if m is None else m.start()
        return self._scan(value, start, end)

    def _scan(self, value: str, start: int, end: int) -> int:
        """Shift-And: bit i of ``state`` says the piece's first i+1 units end here."""
        mask, other, done = self.masks.get, self.one_mask, 1 << (self.length - 1)
        state = 0
        for i, ch in enumerate(value[start:end], start):
            state = ((state << 1) | 1) & mask(ch, other)
            if state & done:
                return i - self.length + 1
        return -1


def _plain(units: Sequence[str]) -> Check:
    """A check for a glob over any characters (``*`` and ``?`` cross everything).

    The common shapes (no ``?``; one or two stars) get a check made of single string methods.
    """
    pieces = [_Piece(p) for p in _split(units, _STAR)]
    first, last = pieces[0], pieces[-1]
    if len(pieces) == 1:
        if first.text is not None:
            return first.text.__eq__
        return lambda v: len(v) == first.length and first.at(v, 0)
    middle = pieces[1:-1]
    min_len = sum(p.length for p in pieces)
    head, tail = first.text, last.text
    texts = [p.text for p in middle]
    if head is not None and tail is not None and None not in texts:
        if not texts:
            if not tail:
                return lambda v: v.startswith(head)
            return lambda v: len(v) >= min_len and v.startswith(head) and v.endswith(tail)
        if len(texts) == 1 and not head and not tail:
            inner = middle[0].text or ""
            return lambda v: inner in v
    return _pieces_check(first, middle, last, min_len)


def _pieces_check(first: _Piece, middle: Sequence[_Piece], last: _Piece, min_len: int) -> Check:
    def check(v: str) -> bool:
        if len(v) < min_len or not first.at(v, 0):
            return False
        end = len(v) - last.length
        if not last.at(v, end):
            return False
        pos = first.length
        for piece in middle:
            i = piece.find(v, pos, end)
            if i < 0:
                return False
            pos = i + piece.length
        return True

    return check


def _full_arn(segments: list[list[str]]) -> Check:
    """Six components, each checked separately; the resource keeps its own colons."""
    resource: list[str] = []
    for i, seg in enumerate(segments[5:]):
        resource.extend([":", *seg] if i else seg)
    components = [*segments[:5], resource]
    # Components written out in full before the first wildcard are checked as one prefix.
    literal = 0
    while literal < 5 and not any(u in (_STAR, _ONE) for u in components[literal]):
        literal += 1
    prefix = "".join("".join(c) + ":" for c in components[:literal])
    checks = [(i, _plain(c)) for i, c in enumerate(components) if i >= literal and c != [_STAR]]
    if literal == 5:  # only the resource is left: it is what follows the prefix
        resource_check = checks[0][1] if checks else None
        if resource_check is None:
            return lambda v: v.startswith(prefix)
        start = len(prefix)
        return lambda v: v.startswith(prefix) and resource_check(v[start:])

    def check(v: str) -> bool:
        if not v.startswith(prefix):
            return False
        parts = v.split(":", 5)
        if len(parts) != 6:
            return False
        for i, c in checks:  # noqa: SIM110 - a loop: no generator on every decision
            if not c(parts[i]):
                return False
        return True

    return check


def _short_arn(segments: list[list[str]]) -> Check:
    """Fewer than six parts: a segment-ending ``*`` spans whole segments of the value.

    Matched at the level of segments like a glob: each pattern segment matches one value segment
    (a segment-ending ``*`` its rest), and after such a segment any number of whole segments may
    follow. Groups of segments between them are placed leftmost, as pieces are in ``_plain``.
    """
    groups: list[list[Check]] = [[]]
    for seg in segments:
        groups[-1].append(_plain(seg))
        if seg and seg[-1] == _STAR:
            groups.append([])
    if len(groups) == 1:
        only = groups[0]
        return lambda v: v.count(":") == len(only) - 1 and _fits(only, v.split(":"), 0)
    first, *middle, last = groups
    min_len = sum(len(g) for g in groups)

    def check(v: str) -> bool:
        segs = v.split(":")
        end = len(segs) - len(last)
        if len(segs) < min_len or not _fits(first, segs, 0) or not _fits(last, segs, end):
            return False
        pos = len(first)
        for group in middle:
            for j in range(pos, end - len(group) + 1):
                if _fits(group, segs, j):
                    pos = j + len(group)
                    break
            else:
                return False
        return True

    return check


def _fits(group: Sequence[Check], segs: Sequence[str], at: int) -> bool:
    return all(c(segs[at + k]) for k, c in enumerate(group))


class Glob:
    """A compiled wildcard pattern: ``fullmatch(value)`` says whether it matches all of it."""

    __slots__ = ("fullmatch", "pattern")

    def __init__(self, pattern: str, fullmatch: Check) -> None:
        self.pattern = pattern
        self.fullmatch = fullmatch

    def __repr__(self) -> str:
        return f"Glob({self.pattern!r})"


@lru_cache(maxsize=4096)
def compile_glob(runs: Runs, *, arn: bool = False) -> Glob:
    """The matcher for a pattern (cached: resolved templates repeat).

    ``runs`` are ``(is_literal, text)`` pieces: in a literal run (a substituted policy variable or
    an escape such as ``${*}``) ``*`` and ``?`` are ordinary characters. ``arn`` applies the ARN
    rules above.
    """
    units = _units(runs)
    if arn:
        segments = _split(units, ":")
        check = _full_arn(segments) if len(segments) >= 6 else _short_arn(segments)
    else:
        check = _plain(units)
    return Glob("".join(text for _, text in runs), check)


def glob(pattern: str, *, arn: bool = False) -> Glob:
    """``compile_glob`` for a plain pattern string (no literal runs)."""
    return compile_glob(((False, pattern),), arn=arn)

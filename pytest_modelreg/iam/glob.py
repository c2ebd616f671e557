"""Wildcard patterns (``*``, ``?``) compiled to regular expressions that never backtrack far.

A naive translation (``*`` to ``.*``) backtracks: ``arn:aws:s3:::ml-*/*/*/*/*.tar.gz`` against a
long S3 key, or ``*a*a*a*a*b`` against ``aaaa...``, takes time that grows with the value's length
to the power of the number of stars. Here every ``*`` but the last is followed by its piece of
pattern inside an emulated atomic group, ``(?=(?P<g>.*?piece))(?P=g)``: the leftmost occurrence of
the piece is taken and never revisited, which is exact for a glob (an earlier match never leaves
less for the rest of the pattern). Each piece is searched once over its stretch of the value, so a
match costs at most (value length x piece length) steps, all inside the regular-expression engine.
(Python 3.11 has real atomic groups; the lookahead form also works on 3.10.)

ARN patterns (Resource, NotResource, the Arn* condition operators) follow the IAM User Guide:

* "IAM JSON policy elements: Condition operators", ARN operators: "Each of the six colon-delimited
  components of the ARN is checked separately and each can include multi-character match wildcards
  (*) or single-character match wildcards (?)." So in a pattern of six parts, wildcards in the first
  five components never cross a colon; the sixth (the resource) is matched whole, colons included.
* "IAM JSON policy elements: Resource": "If the * wildcard is the last character of a resource ARN
  segment, it can expand to match beyond the colon boundaries." In a pattern of fewer than six
  parts, such a ``*`` spans colons; a ``*`` or ``?`` anywhere else stays inside its segment.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

Runs = tuple[tuple[bool, str], ...]  # (is_literal, text) pieces of a pattern

# A pattern as units: one literal character, or a wildcard.
_STAR = "\x00*"
_ONE = "\x00?"
_ANY = "."  # any character (the patterns are compiled with DOTALL)
_IN_SEGMENT = "[^:]"


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


def _pieces(units: Sequence[str]) -> list[list[str]]:
    """The stretches between stars (the first and last may be empty)."""
    pieces: list[list[str]] = [[]]
    for u in units:
        if u == _STAR:
            pieces.append([])
        else:
            pieces[-1].append(u)
    return pieces


def _piece_rx(piece: Sequence[str], one: str) -> str:
    return "".join(one if u == _ONE else re.escape(u) for u in piece)


def _join(pieces: Sequence[str], cls: str, names: Iterator[int], *, open_end: bool) -> str:
    """Regex pieces joined by stars of character class ``cls``.

    Every piece after a star is taken at its leftmost occurrence and committed; the last one too
    when ``open_end`` (the pattern goes on with a star that spans more: its earliest end is best).
    Otherwise the last piece is anchored by what follows it (the end of the value, or a colon).
    """
    if len(pieces) == 1:
        return pieces[0]
    out = [pieces[0]]
    committed = pieces[1:] if open_end else pieces[1:-1]
    for piece in committed:
        n = next(names)
        out.append(f"(?=(?P<g{n}>{cls}*?{piece}))(?P=g{n})")
    if not open_end:
        out.append(f"{cls}*{pieces[-1]}")
    return "".join(out)


def _glob_rx(
    units: Sequence[str], cls: str, names: Iterator[int], *, open_end: bool = False
) -> str:
    return _join([_piece_rx(p, cls) for p in _pieces(units)], cls, names, open_end=open_end)


def _segments(units: Sequence[str]) -> list[list[str]]:
    segments: list[list[str]] = [[]]
    for u in units:
        if u == ":":
            segments.append([])
        else:
            segments[-1].append(u)
    return segments


def _arn_rx(units: Sequence[str], names: Iterator[int]) -> str:
    segments = _segments(units)
    if len(segments) >= 6:
        # Six components, each checked separately; the resource keeps its own colons.
        head = [_glob_rx(s, _IN_SEGMENT, names) for s in segments[:5]]
        resource = list(itertools.chain.from_iterable(_with_colons(segments[5:])))
        return ":".join([*head, _glob_rx(resource, _ANY, names)])
    # A short pattern: split at the segment-ending stars, which span colons.
    chunks: list[str] = []
    current: list[str] = []
    for i, seg in enumerate(segments):
        if i:
            current.append(":")
        if seg and seg[-1] == _STAR:
            current.append(_glob_rx(seg[:-1], _IN_SEGMENT, names, open_end=True))
            chunks.append("".join(current))
            current = []
        else:
            current.append(_glob_rx(seg, _IN_SEGMENT, names))
    chunks.append("".join(current))
    return _join(chunks, _ANY, names, open_end=False)


def _with_colons(segments: Sequence[list[str]]) -> Iterator[list[str]]:
    for i, seg in enumerate(segments):
        yield [":", *seg] if i else seg


@lru_cache(maxsize=4096)
def compile_glob(runs: Runs, *, arn: bool = False, ignore_case: bool = False) -> re.Pattern[str]:
    """A compiled regex whose ``fullmatch`` decides the glob (cached: templates repeat).

    ``runs`` are ``(is_literal, text)`` pieces: in a literal run (a substituted policy variable or
    an escape such as ``${*}``) ``*`` and ``?`` are ordinary characters.
    """
    names = itertools.count()
    units = _units(runs)
    body = _arn_rx(units, names) if arn else _glob_rx(units, _ANY, names)
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.compile(body, flags)


def glob(pattern: str, *, arn: bool = False, ignore_case: bool = False) -> re.Pattern[str]:
    """``compile_glob`` for a plain pattern string (no literal runs)."""
    return compile_glob(((False, pattern),), arn=arn, ignore_case=ignore_case)

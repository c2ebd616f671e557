"""Comparing two IAM patterns with each other (not with a concrete string, as the engine does).

The lint needs two questions answered about patterns that both may hold wildcards:

* :func:`intersects` - can some string match both? (Does a Resource fit a resource type's ARN
  template at all?)
* :func:`contains` - does every string one matches also match the other? (Is a statement's action
  or resource already covered by another?)

Wildcards are IAM's (IAM User Guide, "IAM JSON policy elements: Resource"): ``*`` any run of
characters, ``?`` one character; within the first five colon-separated segments of an ARN a
wildcard does not span a colon. :func:`contains` is sound but not complete: when it says yes, the
containment holds; for a few equal-looking pairs (``?*`` and ``*?``) it says no.
"""

from __future__ import annotations

from collections import deque
from functools import cache, lru_cache

# One pattern position: a literal character, or a wildcard kind.
ONE = "\x00?"  # exactly one character
ANY = "\x00*"  # any run of characters
ANY_NO_SLASH = "\x00/"  # any run of characters without "/" (a name that cannot hold a path)
ANY_NO_COLON = "\x00:"  # a "*" within the first five segments of an ARN
_STARS = frozenset({ANY, ANY_NO_SLASH, ANY_NO_COLON})

Token = str
Pattern = tuple[Token, ...]


def tokens(pattern: str, *, arn: bool = False) -> Pattern:
    """A pattern's positions; ``arn`` keeps wildcards before the fifth colon within a segment."""
    segmented = arn and pattern.count(":") >= 5
    out: list[Token] = []
    colons = 0
    for ch in pattern:
        if ch == "*":
            out.append(ANY_NO_COLON if segmented and colons < 5 else ANY)
        elif ch == "?":
            out.append(ONE)
        else:
            colons += ch == ":"
            out.append(ch)
    return tuple(out)


def _accepts(token: Token, ch: str) -> bool:
    """Can a wildcard token consume the literal ``ch``?"""
    if token == ANY_NO_SLASH:
        return ch != "/"
    if token == ANY_NO_COLON:
        return ch != ":"
    return True


def _fold(pattern: Pattern, ignore_case: bool) -> Pattern:
    return tuple(t.lower() for t in pattern) if ignore_case else pattern


@lru_cache(maxsize=8192)
def intersects(a: Pattern, b: Pattern) -> bool:
    """Is there a string both patterns match? (A search over pairs of positions.)"""
    start = (0, 0)
    seen = {start}
    todo = deque([start])
    while todo:
        i, j = todo.popleft()
        if i == len(a) and j == len(b):
            return True
        moves: list[tuple[int, int]] = []
        ta = a[i] if i < len(a) else None
        tb = b[j] if j < len(b) else None
        if ta in _STARS:
            moves.append((i + 1, j))  # the run ends here
        if tb in _STARS:
            moves.append((i, j + 1))
        if ta is not None and tb is not None and _one_char_fits(ta, tb):
            moves.append((i if ta in _STARS else i + 1, j if tb in _STARS else j + 1))
        for move in moves:
            if move not in seen:
                seen.add(move)
                todo.append(move)
    return False


def _one_char_fits(ta: Token, tb: Token) -> bool:
    """Is there one character both positions accept?"""
    a_wild, b_wild = ta.startswith("\x00"), tb.startswith("\x00")
    if not a_wild and not b_wild:
        return ta == tb
    if a_wild and b_wild:
        return True  # e.g. "x" fits any pair of wildcards
    literal, wildcard = (tb, ta) if a_wild else (ta, tb)
    return _accepts(wildcard, literal)


@lru_cache(maxsize=8192)
def contains(outer: Pattern, inner: Pattern) -> bool:
    """Does ``outer`` match every string ``inner`` matches?

    Each wildcard of ``inner`` must be absorbed by a wildcard of ``outer`` at least as wide: a
    ``*`` of ``inner`` only by a ``*`` of ``outer`` (that accepts what it may hold), a ``?`` by a
    ``?`` or a ``*``; literals must be equal.
    """

    def absorbs(o: Token, t: Token) -> bool:
        if t in _STARS:
            return o in (ANY, t)
        if t == ONE:
            return o in _STARS or o == ONE
        if o in _STARS:
            return _accepts(o, t)
        return o in (ONE, t)

    @cache
    def match(i: int, j: int) -> bool:
        if i == len(outer):
            return j == len(inner)
        o = outer[i]
        if o in _STARS:
            # The run absorbs nothing more, or absorbs inner[j] and goes on.
            return match(i + 1, j) or (j < len(inner) and absorbs(o, inner[j]) and match(i, j + 1))
        return j < len(inner) and absorbs(o, inner[j]) and match(i + 1, j + 1)

    return match(0, 0)


@lru_cache(maxsize=8192)
def action_pattern(action: str) -> Pattern:
    """An action pattern's positions; action names match case-insensitively."""
    return _fold(tokens(action), ignore_case=True)


@lru_cache(maxsize=8192)
def resource_pattern(resource: str) -> Pattern:
    """A Resource value's positions, with ARN segment rules."""
    return tokens(resource, arn=True)

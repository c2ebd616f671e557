"""Wildcard matching: the same answers as a plain reference matcher, and never exponential time.

The reference below decides a pattern character by character (a memoized search), from the rules
as the AWS pages state them; ``glob`` must agree with it on every generated pattern. The timing
guard runs patterns that a backtracking matcher takes minutes (or far longer) to reject, under a
generous alarm: it fails on a regression, it does not measure speed (benchmarks/evaluate.py does).
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_modelreg.iam.glob import compile_glob, glob
from pytest_modelreg.iam.variables import parse_template

from ._helpers import (
    ARN_OPERATOR_RULE,
    FIFTH_COLON_RULE,
    SHORT_ARN_RULE,
    decide,
    doc,
    stmt,
)


def _reference(pattern: str, value: str, *, arn: bool) -> bool:
    """A direct reading of the rules: each wildcard knows whether it may match a colon."""
    units: list[tuple[str, bool]] = []  # (character or "*"/"?", may match a colon)
    segments = pattern.split(":")
    full = len(segments) >= 6
    for i, seg in enumerate(segments):
        if i:
            units.append((":", False))
        for j, ch in enumerate(seg):
            if not arn:
                crosses = True
            elif full:
                crosses = i >= 5  # the sixth component (the resource) keeps its colons
            else:
                crosses = ch == "*" and j == len(seg) - 1  # a segment-ending * in a short pattern
            units.append((ch, crosses))

    @cache
    def match(i: int, j: int) -> bool:
        if i == len(units):
            return j == len(value)
        ch, crosses = units[i]
        if ch == "*":
            if match(i + 1, j):
                return True
            return j < len(value) and (crosses or value[j] != ":") and match(i, j + 1)
        if j == len(value):
            return False
        if ch == "?":
            return (crosses or value[j] != ":") and match(i + 1, j + 1)
        return ch == value[j] and match(i + 1, j + 1)

    return match(0, 0)


patterns = st.text(alphabet="ab:*?/", max_size=14)
values = st.text(alphabet="ab:/", max_size=14)


@settings(max_examples=600, deadline=None, database=None, derandomize=True)
@given(patterns, values)
def test_plain_glob_agrees_with_the_reference(pattern: str, value: str) -> None:
    assert bool(glob(pattern).fullmatch(value)) == _reference(pattern, value, arn=False)


@settings(max_examples=600, deadline=None, database=None, derandomize=True)
@given(patterns, values)
def test_arn_glob_agrees_with_the_reference(pattern: str, value: str) -> None:
    # SHORT_ARN_RULE for fewer than six parts, ARN_OPERATOR_RULE for six.
    got = bool(glob(pattern, arn=True).fullmatch(value))
    assert got == _reference(pattern, value, arn=True), (SHORT_ARN_RULE, ARN_OPERATOR_RULE)


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(
    st.text(alphabet="a:", min_size=5, max_size=10).map(lambda s: "arn:" + s + ":*"),
    st.text(alphabet="a:", max_size=12),
)
def test_arn_glob_six_part_values(head: str, tail: str) -> None:
    value = "arn:" + tail
    assert bool(glob(head, arn=True).fullmatch(value)) == _reference(head, value, arn=True)


@settings(max_examples=400, deadline=None, database=None, derandomize=True)
@given(st.text(alphabet="ab?*", max_size=10), st.text(alphabet="ab", max_size=30))
def test_bit_parallel_scan_agrees_with_the_reference(pattern: str, value: str) -> None:
    # Long pieces with ? are found by the Shift-And scan; force it for every piece.
    with mock.patch("pytest_modelreg.iam.glob._SRE_SEARCH_BUDGET", 0):
        got = bool(glob(pattern).fullmatch(value))
    assert got == _reference(pattern, value, arn=False)


def test_literal_runs_keep_their_wildcards_and_colons() -> None:
    # FIFTH_COLON_RULE: a variable before the fifth colon stays as written, colon and all.
    template = parse_template("arn:aws:iam::${aws:PrincipalAccount}:role/*", arn_resource=True)
    assert template is not None and template.keys == ()
    runs = template.resolve(lambda _: None)
    assert runs is not None
    rx = compile_glob(runs, arn=True)
    assert rx.fullmatch("arn:aws:iam::${aws:PrincipalAccount}:role/x"), FIFTH_COLON_RULE
    assert not rx.fullmatch("arn:aws:iam::111122223333:role/x"), FIFTH_COLON_RULE
    # A substituted value is literal: its * is not a wildcard.
    star = compile_glob(((False, "arn:aws:s3:::b/"), (True, "a*"), (False, "/*")), arn=True)
    assert star.fullmatch("arn:aws:s3:::b/a*/k")
    assert not star.fullmatch("arn:aws:s3:::b/ab/k")


# --- no backtracking ----------------------------------------------------------------------------

KEY = "ml-" + "a/" * 500 + "model.tar"  # 1,012 characters: near S3's 1,024-byte key limit
PATHOLOGICAL: list[tuple[str, Any, str, dict[str, Any] | None]] = [
    # (what, policy, resource, context); every one is a non-match, the worst case to search
    (
        "Resource",
        stmt("s3:GetObject", "arn:aws:s3:::ml-*/*/*/*/*.tar.gz"),
        f"arn:aws:s3:::{KEY}",
        None,
    ),
    (
        "StringLike",
        stmt(Condition={"StringLike": {"s3:prefix": "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b"}}),
        "*",
        {"s3:prefix": "a" * 1024},
    ),
    (
        "ArnLike",
        stmt(Condition={"ArnLike": {"aws:SourceArn": "arn:aws:s3:::*a*a*a*a*a*a*a*a*a*a*a*b"}}),
        "*",
        {"aws:SourceArn": "arn:aws:s3:::" + "a" * 1011},
    ),
    (
        "short ARN",
        stmt("s3:GetObject", "arn:aws:s3:*a*a*a*a*a*a*a*a*a*a*a*:b"),
        "arn:aws:s3:::" + "a:" * 505,
        None,
    ),
    ("Action", stmt("s3:*a*a*a*a*a*a*a*a*a*a*a*a*b"), "*", None),
]


class _TooSlow(Exception):
    pass


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` (the regex engine checks for signals as it runs)."""

    def fire(*_: object) -> None:
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.skipif(sys.platform == "win32", reason="needs SIGALRM")
@pytest.mark.parametrize(("what", "statement", "resource", "context"), PATHOLOGICAL)
def test_pathological_patterns_finish(
    what: str, statement: dict[str, Any], resource: str, context: dict[str, Any] | None
) -> None:
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signals reach the main thread only")
    action = "s3:" + "a" * 200 if what == "Action" else "s3:GetObject"
    try:
        with _alarm(20.0):  # a backtracking matcher needs minutes to hours for these
            got = decide(doc(statement), action, resource, context)
    except _TooSlow:
        pytest.fail(f"{what} matching backtracks")
    assert got == "implicitDeny"

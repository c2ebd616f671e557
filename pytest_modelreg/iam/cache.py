"""Decisions remembered for one caller: the same request against the same policies decides alike.

An evaluation depends on the action, the resource (and the account that owns it), the caller, the
policies in play and the values of the condition keys their statements about the action read (in
Condition blocks and as ``${...}`` variables); nothing else. When every statement about the action
matches any resource (``"Resource": "*"``), the resource counts only by its account and by whether
a trust or key policy must allow (so creating a new resource each call still hits).

:class:`DecisionCache` keys each decision on exactly those, with the policies held by identity:
a :class:`~pytest_modelreg.iam.policy.Policy` is compiled once and never changes, and a policy
changed through IAM (PutRolePolicy, CreatePolicyVersion ...) is a new object, so a changed policy
set never meets an old decision.

Requests whose policies read ``aws:CurrentTime`` or ``aws:EpochTime`` without carrying them are
not cached: the engine reads the clock for them.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Final

from .evaluation import Evaluation, PolicySet, Request, evaluate, must_allow
from .evaluation import _arn_account as arn_account
from .policy import Policy, Statement

__all__ = ["DecisionCache"]

_CLOCK_KEYS: Final = frozenset({"aws:currenttime", "aws:epochtime"})
_MAX_ENTRIES: Final = 4096


def _hashable(value: str | Sequence[str]) -> Hashable:
    return value if isinstance(value, (str, int, float)) else tuple(value)


def _any_resource(st: Statement) -> bool:
    """Whether the statement matches every resource (``Resource: "*"`` or no Resource element)."""
    if st.not_resource is not None:
        return False
    return st.resource is None or st.raw.get("Resource") in ("*", ["*"])


@dataclass(frozen=True)
class _Reads:
    """What decisions of one action read besides the action and the caller."""

    keys: frozenset[str]
    """The condition keys (lower case) of the statements about the action."""
    any_resource: bool
    """Every statement about the action matches every resource: the resource ARN matters only
    for whose it is and whether a trust or key policy must allow."""


def _reads(action: str, policies: Sequence[Policy | None]) -> _Reads:
    action_l = action.lower()
    statements = [
        st
        for p in policies
        if p is not None
        for st in p.candidates(action_l)
        if st.action_matches(action_l)
    ]
    return _Reads(
        frozenset(k.lower() for st in statements for k in st.condition_keys),
        all(_any_resource(st) for st in statements),
    )


class DecisionCache:
    """Evaluations against one base :class:`PolicySet` (a caller's identity-side policies), each
    with or without a resource policy."""

    __slots__ = ("_base", "_base_policies", "_entries", "_reads")

    def __init__(self, base: PolicySet) -> None:
        self._base = base
        self._base_policies: tuple[Policy | None, ...] = (
            *base.identity,
            base.permissions_boundary,
            *(base.session_policies or ()),
            *(base.scps or ()),
            *(base.rcps or ()),
            base.resource_policy,
        )
        self._reads: dict[tuple[str, Policy | None], _Reads] = {}
        self._entries: dict[Hashable, Evaluation] = {}

    def evaluate(self, request: Request, resource_policy: Policy | None = None) -> Evaluation:
        """``evaluate(request, base with resource_policy)``, from memory when decided before."""
        policies = self._base
        if resource_policy is not None:
            policies = replace(policies, resource_policy=resource_policy)
        reads = self._reads.get((request.action, resource_policy))
        if reads is None:
            if len(self._reads) >= _MAX_ENTRIES:
                self._reads.clear()
            reads = self._reads[(request.action, resource_policy)] = _reads(
                request.action, (*self._base_policies, resource_policy)
            )
        key = self._key(request, resource_policy, reads)
        if key is None:
            return evaluate(request, policies)
        hit = self._entries.get(key)
        if hit is None:
            if len(self._entries) >= _MAX_ENTRIES:
                self._entries.clear()
            hit = self._entries[key] = evaluate(request, policies)
            return hit
        # The remembered decision, reported for this request (explanations read its context).
        return Evaluation(hit.decision, hit.matched_statements, hit.denied_by, request, policies)

    @staticmethod
    def _key(request: Request, resource_policy: Policy | None, reads: _Reads) -> Hashable | None:
        context: tuple[tuple[str, Hashable], ...] = ()
        if reads.keys:
            read = _context_read(request.context, reads.keys)
            if not (reads.keys & _CLOCK_KEYS).issubset(read):
                return None  # the engine would read the clock
            context = tuple(sorted(read.items()))
        resource: Hashable = request.resource
        if reads.any_resource:
            # What the engine still reads from the ARN: its account, and must_allow's verdict.
            resource = (arn_account(request.resource), must_allow(request.action, request.resource))
        return (
            request.action,
            resource,
            request.resource_account,
            request.principal_arn,
            request.role_arn,
            resource_policy,
            context,
        )


def _context_read(
    context: Mapping[str, str | Sequence[str]], keys: frozenset[str]
) -> dict[str, Hashable]:
    """The context's values of ``keys`` (condition keys are case-insensitive; the last of two
    spellings wins, as in the engine's own look-up)."""
    read: dict[str, Hashable] = {}
    for k, v in context.items():
        k_l = k.lower()
        if k_l in keys:
            read[k_l] = _hashable(v)
    return read

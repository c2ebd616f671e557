"""``simulate()``: the public, IAM-policy-simulator-like entry point (see the API contract)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .evaluation import Evaluation, PolicySet, Request, evaluate
from .policy import Policy, PolicyType

Document = Mapping[str, Any] | str | bytes | Policy

DEFAULT_PRINCIPAL = "arn:aws:iam::123456789012:user/simulated-user"


def _policy(doc: Document, policy_type: PolicyType, policy_id: str) -> Policy:
    if isinstance(doc, Policy):
        if doc.type != policy_type:
            # The same document may serve as another type; re-parse so its rules apply.
            pid = doc.id or policy_id
            return Policy.parse(doc.document, policy_id=pid, policy_type=policy_type)
        return doc
    return Policy.parse(doc, policy_id=policy_id, policy_type=policy_type)


def _policies(
    docs: Sequence[Document] | Document | None, policy_type: PolicyType, prefix: str
) -> tuple[Policy, ...] | None:
    if docs is None:
        return None
    if isinstance(docs, (str, bytes, bytearray, Mapping, Policy)):
        # One document (bytes too: iterating them would give integers, not documents).
        docs = [docs]
    return tuple(_policy(d, policy_type, f"{prefix}{i + 1}") for i, d in enumerate(docs))


def simulate(
    action: str,
    resource: str,
    *,
    identity_policies: Sequence[Document] | Document = (),
    context: Mapping[str, str | Sequence[str]] | None = None,
    principal: str = DEFAULT_PRINCIPAL,
    resource_account: str | None = None,
    permissions_boundary: Document | None = None,
    session_policies: Sequence[Document] | None = None,
    scps: Sequence[Document] | None = None,
    rcps: Sequence[Document] | None = None,
    resource_policy: Document | None = None,
) -> Evaluation:
    """Evaluate one action on one resource; documents are dicts, JSON text or UTF-8 bytes, or
    ``Policy`` objects.

    Every document is validated first (MalformedPolicyDocument with IAM's message). Policy ids in
    the result are ``identity-policy-1``, ``session-policy-1``, ``scp-1``, ``rcp-1``,
    ``permissions-boundary`` and ``resource-policy`` unless a ``Policy`` carries its own id.
    """
    identity = _policies(identity_policies, "identity", "identity-policy-") or ()
    boundary = (
        None
        if permissions_boundary is None
        else _policy(permissions_boundary, "permissions-boundary", "permissions-boundary")
    )
    resource_doc = (
        None if resource_policy is None else _policy(resource_policy, "resource", "resource-policy")
    )
    request = Request(
        action=action,
        resource=resource,
        principal_arn=principal,
        context=dict(context or {}),
        resource_account=resource_account,
    )
    policies = PolicySet(
        identity=identity,
        permissions_boundary=boundary,
        session_policies=_policies(session_policies, "session", "session-policy-"),
        scps=_policies(scps, "scp", "scp-"),
        rcps=_policies(rcps, "rcp", "rcp-"),
        resource_policy=resource_doc,
    )
    return evaluate(request, policies)

"""The per-call pipeline of one activation: who is calling, which IAM requests AWS authorizes for
the call, what the policies decide, then deny it or have the simulation serve it, and record it.

One :class:`Pipeline` per activation; the interception layer hands it each call
(:meth:`Pipeline.run`) and acts on the :class:`Outcome`. The handle users hold
(:class:`~pytest_modelreg.activation.ModelRegistryHandle`) is a view over it.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
import warnings
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

import boto3
import botocore

import pytest_modelreg
from pytest_modelreg.anonymous import (
    ANONYMOUS_ARN,
    ANONYMOUS_DENIED_MESSAGE,
    UNSIGNED,
    anonymous_identity,
    public_acl_allows,
)
from pytest_modelreg.arn import Arn, partition_of
from pytest_modelreg.authorization import (
    AuthorizationRequest,
    UnmappedOperation,
    authorization_requests,
    denied_error,
)
from pytest_modelreg.credentials import CredentialJudge, RejectedCredentials
from pytest_modelreg.errors import AccessDeniedWarning
from pytest_modelreg.expected import RecordedCalls
from pytest_modelreg.iam import Policy, PolicySet, Request
from pytest_modelreg.iam.cache import DecisionCache
from pytest_modelreg.policies import policy_documents
from pytest_modelreg.principals import Identity, Principal
from pytest_modelreg.records import Authorization, CallRecord
from pytest_modelreg.services import unsigned_error
from pytest_modelreg.settings import Settings
from pytest_modelreg.simulation import CallContext, ServiceError, Simulation
from pytest_modelreg.simulation.partial import denied_items, per_item

__all__ = ["Outcome", "Pipeline", "denial_message", "denied_answer"]

PRINCIPAL_ROLE_NAME = "ModelRegistryTestRole"
ADMIN_ROLE_NAME = "ModelregAdmin"


class _PerThread(threading.local):
    """What ``reg.unrestricted()`` changes, per thread (a default here: looking up an attribute
    a thread never set costs an exception, on every call)."""

    unrestricted = 0


class Outcome(NamedTuple):  # a named tuple: one is made per call
    """What the interception layer does with a call: answer it now, or send it on to moto."""

    response: tuple[int, dict[str, Any]] | None
    account_id: str


class Pipeline:
    """Everything one activation knows: settings, principals, simulated state, the call records."""

    def __init__(self, settings: Settings) -> None:
        settings = settings.resolved()
        assert settings.enforce and settings.account_id and settings.region
        self.enforce = settings.enforce
        self.account_id: str = settings.account_id
        self.region: str = settings.region
        self.policies: tuple[Policy, ...] = tuple(
            Policy.parse(doc, policy_id=f"policy[{i}]")
            for i, doc in enumerate(policy_documents(settings.policy, partition_of(self.region)))
        )
        self.simulation = Simulation()
        self.calls = RecordedCalls()
        self._principals: dict[str, Principal] = {}
        self._facts: dict[int, _Facts] = {}
        # reg.unrestricted() covers the thread that entered it, not threads running beside it.
        self._local = _PerThread()
        self.under_test = self._own_role(PRINCIPAL_ROLE_NAME, self.policies)
        self.admin = self._own_role(ADMIN_ROLE_NAME, (), unrestricted=True)
        self.anonymous = anonymous_identity(self.account_id)
        self.credentials = CredentialJudge(
            self._principals, self.under_test, lambda: self.simulation.moto.started
        )
        self.simulation.execution_roles.judge = self

    def _own_role(
        self, name: str, policies: tuple[Policy, ...], *, unrestricted: bool = False
    ) -> Principal:
        return self.add(
            Principal(
                name,
                account_id=self.account_id,
                region=self.region,
                kind="role",
                identity_policies=policies,
                unrestricted=unrestricted,
            )
        )

    def add(self, principal: Principal) -> Principal:
        """Make ``principal``'s credentials known, so that calls signed with them are its own."""
        self._principals[principal.credentials.access_key] = principal
        return principal

    @contextlib.contextmanager
    def unrestricted(self) -> Iterator[None]:
        local = self._local
        local.unrestricted += 1
        try:
            yield
        finally:
            local.unrestricted -= 1

    def close(self) -> None:
        self.simulation.close()

    # -- one call ---------------------------------------------------------------------------
    def identity(self, access_key: str | None, service: str = "sts") -> Identity:
        """Who signed a call with ``access_key`` (:mod:`pytest_modelreg.credentials`); raises
        :class:`~pytest_modelreg.credentials.RejectedCredentials` with ``service``'s answer if AWS
        would not accept the key; ``UNSIGNED`` is the anonymous caller."""
        if access_key == UNSIGNED:
            return self.anonymous
        return self.credentials.identity(service, access_key)

    def _facts_of(self, identity: Identity) -> _Facts:
        """What every call of ``identity`` shares, made once per identity object (the mock's own
        principals keep theirs; a moto-minted identity is read afresh on every call)."""
        facts = self._facts.get(id(identity))
        if facts is None or facts.identity is not identity:
            if len(self._facts) > 64:
                self._facts.clear()
            facts = self._facts[id(identity)] = _Facts(identity)
        return facts

    def run(
        self,
        service: str,
        operation: str,
        params: Mapping[str, Any],
        access_key: str | None,
        region: str,
        context: Mapping[str, str] | None = None,
    ) -> Outcome:
        """Authorize one call, then deny it or serve it; record it either way.

        ``access_key`` is ``UNSIGNED`` for a request without a signature; ``context`` adds
        condition keys the request itself sets (``aws:SecureTransport``, ``s3:authType`` ...).
        """
        try:
            identity = self.identity(access_key, service)
            self.credentials.check(service, operation, access_key, identity)
        except RejectedCredentials as exc:
            if self.enforce == "strict":
                return Outcome(exc.response(service, operation), self.account_id)
            if self.enforce == "warn":
                _warn(AccessDeniedWarning(f"{service}.{operation}: {exc.message}"))
            identity = self.under_test.identity
        if identity is self.anonymous:
            unsigned = unsigned_error(service)
            if unsigned is not None:
                # Authentication fails before any authorization: nothing to evaluate or record.
                return Outcome(
                    _error(unsigned.code, unsigned.message, unsigned.http_status),
                    identity.account_id,
                )
        unrestricted = identity.unrestricted or self._local.unrestricted > 0
        authorizations: tuple[Authorization, ...] = ()
        if self.enforce != "off" and not unrestricted:
            authorizations = self._authorize(
                service, operation, params, identity, region, context or {}
            )
        denied = self._record(service, operation, params, identity, authorizations, unrestricted)
        ctx = self._facts_of(identity).call_context(region)
        if denied is not None and self.enforce == "strict":
            partial = self._serve_allowed_items(service, operation, params, authorizations, ctx)
            if partial is not None:
                return partial
        if denied is not None:
            if self.enforce == "strict":
                answer = denied_answer(service, operation, identity.arn, denied)
                return Outcome(_error(*answer), identity.account_id)
            message = denial_message(service, identity.arn, denied)
            from pytest_modelreg.explain import explain_denial

            # AWS's message first, then the explanation the test report would show.
            explanation = explain_denial(service, operation, identity.arn, authorizations)
            _warn(AccessDeniedWarning(f"{service}.{operation}: {message}\n{explanation}"))
        try:
            parsed = self.credentials.serve(service, operation, params, identity)
            if parsed is None:
                parsed = self.simulation.serve(service, operation, params, ctx)
        except ServiceError as exc:
            return Outcome(_error(exc.code, exc.message, exc.http_status), identity.account_id)
        return Outcome(None if parsed is None else (200, parsed), identity.account_id)

    # -- requests a service makes itself (simulation/execution_role.py) ----------------------
    def on_behalf(
        self,
        identity: Identity,
        service: str,
        operation: str,
        params: Mapping[str, Any],
        region: str,
        context: Mapping[str, str],
        via: str,
    ) -> tuple[Authorization, ...]:
        """Authorize a request the service ``via`` makes as ``identity`` (itself, or an execution
        role's session) and record it: it shows in ``reg.calls`` under that principal."""
        authorizations = self._authorize(service, operation, params, identity, region, context)
        self._record(service, operation, params, identity, authorizations, via=via)
        return authorizations

    def _record(
        self,
        service: str,
        operation: str,
        params: Mapping[str, Any],
        identity: Identity,
        authorizations: tuple[Authorization, ...],
        unrestricted: bool = False,
        via: str | None = None,
    ) -> Authorization | None:
        """Record one call in ``reg.calls``; its first denied authorization, if any."""
        denied = None
        for a in authorizations:
            if a.decision != "allowed":
                denied = a
                break
        # Positional: a record is made for every call (the fields' order is CallRecord's).
        self.calls.record(
            CallRecord(
                service,
                operation,
                identity.arn,
                params,
                authorizations,
                "allowed" if denied is None else denied.decision,
                self.enforce,
                unrestricted,
                via,
            ),
            denied is not None,
        )
        return denied

    def warn(self, message: str) -> None:
        _warn(AccessDeniedWarning(message))

    # -- evaluation step: batch calls AWS authorizes item by item (simulation/partial.py) ---
    def _serve_allowed_items(
        self,
        service: str,
        operation: str,
        params: Mapping[str, Any],
        authorizations: tuple[Authorization, ...],
        ctx: CallContext,
    ) -> Outcome | None:
        """Serve the allowed items of a per-item batch call and report the denied ones in the
        response; None when the call is denied as a whole."""
        rule = per_item(service, operation)
        if rule is None:
            return None
        refused = [a for a in authorizations if not a.allowed]
        ids = denied_items(rule, params, [a.resource for a in refused])
        if ids is None:
            return None
        items = rule.items(params)
        kept = [i for i in items if rule.item_id(i) not in ids]
        by_item = {rule.request_item(a.resource): a for a in refused}
        try:
            reduced = rule.without(params, kept)
            parsed = self.simulation.serve_items(service, operation, reduced, ctx) if kept else {}
        except ServiceError as exc:
            return Outcome(_error(exc.code, exc.message, exc.http_status), ctx.account_id)
        rule.report(
            parsed,
            [i for i in items if rule.item_id(i) in ids],
            lambda i: denial_message(service, ctx.caller_arn, by_item[rule.item_id(i)]),
        )
        return Outcome((200, parsed), ctx.account_id)

    def _authorize(
        self,
        service: str,
        operation: str,
        params: Mapping[str, Any],
        identity: Identity,
        region: str,
        context: Mapping[str, str],
    ) -> tuple[Authorization, ...]:
        try:
            requests = authorization_requests(
                service,
                operation,
                params,
                account_id=identity.account_id,
                region=region,
                state=self.simulation,
            )
        except UnmappedOperation:
            if self.enforce == "strict":
                raise
            _warn(AccessDeniedWarning(f"{service}.{operation} has no authorization mapping"))
            return ()
        facts = self._facts_of(identity)
        return tuple([self._evaluate(r, facts, region, context) for r in requests])

    def _evaluate(
        self,
        request: AuthorizationRequest,
        facts: _Facts,
        region: str,
        extra: Mapping[str, str],
    ) -> Authorization:
        identity = facts.identity
        resource_policy = self.simulation.resource_policy(request.resource, request.action)
        resource_account = request.resource_account
        if resource_account is None:
            parsed = Arn.parse(request.resource)
            resource_account = parsed.account if parsed else ""
        context = facts.request_context(region, extra, resource_account)
        if request.context:
            context = {**context, **request.context}
        # Positional, in the order of Request's fields: one is made per authorization.
        evaluation = facts.decisions.evaluate(
            Request(
                request.action,
                request.resource,
                identity.arn,
                context,
                resource_account or None,
                identity.role_arn,
            ),
            resource_policy,
        )
        decision = evaluation.decision
        if (
            decision == "implicitDeny"
            and identity is self.anonymous
            and public_acl_allows(self.simulation, request.action, request.resource)
        ):
            decision = "allowed"  # an ACL grant to everyone (S3), which no policy denies
        return Authorization(
            request.action, request.resource, dict(request.context), decision, evaluation
        )


# Frames of these packages are skipped when a warning names the line that made the call.
_INTERNAL_DIRS = tuple(
    os.path.dirname(module.__file__ or "") + os.sep for module in (botocore, boto3, pytest_modelreg)
)


def _warn(warning: Warning) -> None:
    """Warn, pointing at the user's call rather than at botocore or the plugin."""
    frame = sys._getframe(1)
    level = 2  # stacklevel=1 is this function; 2 its caller, the frame we start from
    while frame.f_back is not None and frame.f_code.co_filename.startswith(_INTERNAL_DIRS):
        frame = frame.f_back
        level += 1
    warnings.warn(warning, stacklevel=level)


Context = dict[str, str | tuple[str, ...]]
"""A request's condition keys and their values."""


class _Facts:
    """What every call of one identity shares: its global condition keys, its identity-based
    policies as a PolicySet, and the CallContext of each region it calls."""

    __slots__ = ("_contexts", "_requests", "decisions", "global_context", "identity", "policies")

    def __init__(self, identity: Identity) -> None:
        self.identity = identity
        self.global_context: Context = {
            **identity.global_context(),
            "aws:SecureTransport": "true",
            "aws:ViaAWSService": "false",
        }
        self.policies = PolicySet(
            identity=identity.identity_policies,
            permissions_boundary=identity.permissions_boundary,
            session_policies=identity.session_policies,
        )
        # Its decisions, remembered (the identity's policies never change: IAM changes make a
        # new Identity, hence new _Facts).
        self.decisions = DecisionCache(self.policies)
        self._contexts: dict[str, CallContext] = {}
        self._requests: dict[tuple[Any, ...], tuple[str, Context]] = {}

    def call_context(self, region: str) -> CallContext:
        ctx = self._contexts.get(region)
        if ctx is None:
            identity = self.identity
            ctx = self._contexts[region] = CallContext(
                account_id=identity.account_id,
                region=region,
                caller_arn=identity.arn,
                caller_principal_id=identity.principal_id,
            )
        return ctx

    def request_context(
        self, region: str, extra: Mapping[str, str], resource_account: str
    ) -> Context:
        """The condition keys of a request made now in ``region`` on a resource of
        ``resource_account`` ('' when the resource names none), ``extra`` (what the request
        itself sets) last. Made once per second (the clock keys) and shared by the requests that
        add no keys of their own: read-only, a request's own keys go into a copy."""
        current_time, epoch_time = _clock_keys()
        key = (region, resource_account, *extra.items())
        made = self._requests.get(key)
        if made is None or made[0] != epoch_time:
            if len(self._requests) > 64:
                self._requests.clear()
            context: Context = {
                **self.global_context,
                "aws:RequestedRegion": region,
                "aws:CurrentTime": current_time,
                "aws:EpochTime": epoch_time,
                **extra,
            }
            if resource_account:
                context["aws:ResourceAccount"] = resource_account
            made = self._requests[key] = (epoch_time, context)
        return made[1]


_clock_cache: tuple[int, str, str] = (-1, "", "")


def _clock_keys() -> tuple[str, str]:
    """aws:CurrentTime and aws:EpochTime, formatted once per second (strftime on every call
    was a visible share of an authorized call)."""
    global _clock_cache
    second = int(time.time())
    cached = _clock_cache
    if cached[0] != second:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(second))
        cached = _clock_cache = (second, stamp, str(second))
    return cached[1], cached[2]


# S3 quotes the resource in its access-denied message (Amazon S3 User Guide, "Troubleshoot access
# denied (403 Forbidden) errors"); the other services do not.
_QUOTED_RESOURCE_SERVICES = frozenset({"s3"})
# SQS (JSON protocol) names the action in lower case: "... is not authorized to perform:
# sqs:createqueue on resource: arn:aws:sqs:... because no identity-based policy allows the
# sqs:createqueue action" (observed JSON-era denials of CreateQueue, ReceiveMessage,
# GetQueueAttributes and SendMessage).
_LOWERCASE_ACTION_SERVICES = frozenset({"sqs"})


def denial_message(service: str, caller_arn: str, authorization: Authorization) -> str:
    """AWS's access-denied message for the first authorization that failed."""
    resource = authorization.resource
    on = ""
    if resource and resource != "*":
        on = (
            f' on resource: "{resource}"'
            if service in _QUOTED_RESOURCE_SERVICES
            else f" on resource: {resource}"
        )
    assert authorization.evaluation is not None
    action = authorization.action
    if service in _LOWERCASE_ACTION_SERVICES:
        action = action.lower()
    reason = authorization.evaluation.denial_reason(action)
    tail = f" {reason}" if reason else ""  # STS names no reason for a trust policy
    return f"User: {caller_arn} is not authorized to perform: {action}{on}{tail}"


def denied_answer(
    service: str, operation: str, caller_arn: str, authorization: Authorization
) -> tuple[str, str, int]:
    """The error code, message and HTTP status a denied call gets (``enforce="strict"``)."""
    error = denied_error(service, operation)
    if error.message_prefix:
        # A HEAD response has no body: botocore reports only the status (S3).
        message = error.message_prefix
    elif caller_arn == ANONYMOUS_ARN:
        message = ANONYMOUS_DENIED_MESSAGE
    else:
        message = denial_message(service, caller_arn, authorization)
    return error.code, message, error.http_status


def _error(code: str, message: str, status: int) -> tuple[int, dict[str, Any]]:
    return status, {"Error": {"Code": code, "Message": message}}

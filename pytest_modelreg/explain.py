"""Why a call was denied, in the words of IAM's policy simulator, and the statement that fixes it.

The text is built only from a :class:`~pytest_modelreg.records.CallRecord` and the evaluator's
:class:`~pytest_modelreg.iam.Evaluation` it carries, so it can be produced at any time after the
call: in a warning, in a test report section, in a teardown failure. A request a service made as
an execution role (``CallRecord.via``) is told from the role's side: "the execution role <role ARN>
may not <action> on <resource> because <reason>", then the statement to add and where.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from pytest_modelreg.arn import Arn, iam_arn
from pytest_modelreg.iam import (
    ConditionTrace,
    Evaluation,
    MatchedStatement,
    Policy,
    StatementTrace,
)
from pytest_modelreg.iam.evaluation import RESOURCE, must_allow
from pytest_modelreg.least_privilege import pinned_conditions, policy_resource, statement_for
from pytest_modelreg.records import Authorization, CallRecord

__all__ = [
    "explain_authorization",
    "explain_call",
    "explain_calls",
    "explain_denial",
    "suggested_statement",
]

_INDENT = "  "

# Where the suggested statement belongs, by the policy type that failed to allow the request.
_PASTE_INTO = {
    "identity-based policy": "an identity-based policy of the principal",
    "permissions boundary": "the principal's permissions boundary",
    "session policy": "the session policy",
    "service control policy": "a service control policy of the account",
    "resource-based policy": "the resource-based policy of the resource",
}
_TYPE_LABELS = {
    "identity": "",
    "permissions-boundary": "permissions boundary ",
    "session": "session policy ",
    "scp": "SCP ",
    "rcp": "RCP ",
    "resource": "resource-based policy ",
}
# Names a statement in an explanation.
_Namer = Callable[[MatchedStatement | StatementTrace], str]


def explain_calls(calls: Sequence[CallRecord]) -> str:
    """The explanations of several denied calls, separated by a blank line."""
    return "\n\n".join(explain_call(c) for c in calls)


def explain_call(call: CallRecord) -> str:
    """The explanation of every denied authorization of one call."""
    return explain_denial(
        call.service, call.operation, call.principal_arn, call.authorizations, via=call.via
    )


def explain_denial(
    service: str,
    operation: str,
    principal_arn: str,
    authorizations: Sequence[Authorization],
    via: str | None = None,
) -> str:
    """The explanation of every denied authorization of a call, before it is recorded; ``via``:
    the service that made the request as ``principal_arn`` (``CallRecord.via``)."""
    return "\n".join(
        explain_authorization(service, operation, principal_arn, a, via=via)
        for a in authorizations
        if not a.allowed
    )


def explain_authorization(
    service: str,
    operation: str,
    principal_arn: str,
    authorization: Authorization,
    via: str | None = None,
) -> str:
    """Simulator-style text for one denied authorization, with a statement that would allow it.
    A request a service made as an execution role (``via``) is told from the role's side."""
    if via is not None and authorization.evaluation is not None:
        return "\n".join(
            _on_behalf(
                service, operation, principal_arn, authorization, authorization.evaluation, via
            )
        )
    lines = [
        f"{service}.{operation} was denied",
        f"{_INDENT}principal: {principal_arn}",
        f"{_INDENT}action:    {authorization.action}",
        f"{_INDENT}resource:  {authorization.resource}",
        f"{_INDENT}decision:  {authorization.decision}",
    ]
    evaluation = authorization.evaluation
    if evaluation is None:  # pragma: no cover - denied authorizations always carry one
        return "\n".join(lines)
    if authorization.decision == "explicitDeny":
        lines.extend(_explicit_deny(evaluation))
    else:
        lines.extend(_implicit_deny(authorization, evaluation))
        lines.extend(_suggestion(principal_arn, authorization, evaluation))
    return "\n".join(lines)


def _explicit_deny(evaluation: Evaluation, name: _Namer | None = None) -> Iterator[str]:
    denies = [m for m in evaluation.matched_statements if m.effect == "Deny"]
    yield f"{_INDENT}why:       an explicit Deny applies; no Allow statement can override it"
    traces = {(t.policy_id, t.index): t for t in evaluation.statements}
    for matched in denies:
        trace = traces.get((matched.policy_id, matched.index))
        yield f"{_INDENT * 2}denied by {(name or _statement_name)(matched)}"
        if trace is not None:
            for condition in trace.conditions:
                yield f"{_INDENT * 3}{_condition_line(condition)}"
    yield f"{_INDENT}fix:       remove that Deny or narrow its Action, Resource or Condition"


def _required_policy(evaluation: Evaluation) -> str | None:
    """ "trust policy" / "key policy" when that policy is what failed to allow the request."""
    if evaluation.denied_by != RESOURCE:
        return None
    return must_allow(evaluation.request.action, evaluation.request.resource)


# The exceptions of the IAM User Guide's "Policy evaluation logic": "IAM role trust policies and
# KMS key policies are exceptions to this logic, because they must explicitly allow access for
# principals."
_REQUIRED_WHY = {
    "trust policy": "the role's trust policy does not allow the caller to assume the role",
    "key policy": "the key policy does not allow the caller (nor delegates to the account)",
}
_REQUIRED_MISSING = {
    "trust policy": "the simulation holds no such role, so no trust policy allows it",
    "key policy": "the simulation holds no key policy for this key, so none allows it",
}


def _implicit_deny(authorization: Authorization, evaluation: Evaluation) -> Iterator[str]:
    where = evaluation.denied_by or "policy"
    required = _required_policy(evaluation)
    if required is not None:
        yield f"{_INDENT}why:       {_REQUIRED_WHY[required]}"
        yield f"{_INDENT}{_INDENT}an identity-based allow is not enough: the {required} must allow"
        if evaluation.policies.resource_policy is None:
            yield f"{_INDENT}{_REQUIRED_MISSING[required]}"
    else:
        yield (
            f"{_INDENT}why:       no statement in any {where} allows {authorization.action} "
            "on this resource"
        )
    yield from _implicit_details(authorization, evaluation)


def _implicit_details(
    authorization: Authorization,
    evaluation: Evaluation,
    name: _Namer | None = None,
    where: str | None = None,
    whose: str = "the principal's",
) -> Iterator[str]:
    """The statements that came close, those another policy type applied, the missing keys:
    ``name`` names a statement, ``where`` the policy that failed to allow, ``whose`` the
    policies'."""
    name = name or _statement_name
    where = where or f"the {evaluation.denied_by or 'policy'}"
    near = [
        t
        for t in evaluation.statements
        if t.effect == "Allow" and t.action_matched and not t.applies
    ]
    if near:
        yield f"{_INDENT}statements that allow {authorization.action} but did not apply:"
        for trace in near:
            yield f"{_INDENT * 2}{name(trace)}"
            for reason in _why_not(trace, evaluation):
                yield f"{_INDENT * 3}{reason}"
    applied = [t for t in evaluation.statements if t.effect == "Allow" and t.applies]
    for trace in applied:
        # Another policy type allows it: the one named in "why" must allow it as well.
        yield f"{_INDENT}allowed by {name(trace)}; {where} must allow it too"
    if not near and not applied:
        yield f"{_INDENT}no statement of {whose} policies names {authorization.action}"
    missing = evaluation.missing_context_values
    if missing:
        yield f"{_INDENT}missing condition keys: {', '.join(missing)}"


def _why_not(trace: StatementTrace, evaluation: Evaluation) -> Iterator[str]:
    if not trace.resource_matched:
        raw = _raw_statement(evaluation, trace.policy_id, trace.index)
        key = "Resource" if "Resource" in raw else "NotResource"
        yield f"{key} does not match: {json.dumps(raw.get(key))}"
    if trace.principal_matched is False:
        raw = _raw_statement(evaluation, trace.policy_id, trace.index)
        key = "Principal" if "Principal" in raw else "NotPrincipal"
        yield f"{key} does not name the caller: {json.dumps(raw.get(key))}"
    for condition in trace.conditions:
        if not condition.result:
            yield _condition_line(condition)


def _condition_line(condition: ConditionTrace) -> str:
    values = json.dumps(list(condition.policy_values))
    head = f"condition {condition.operator} {condition.key} {values}"
    outcome = "matched" if condition.result else "failed"
    if condition.context_values is None:
        return f"{head} {outcome}: the request has no {condition.key}"
    return f"{head} {outcome}: the request has {json.dumps(list(condition.context_values))}"


def _statement_name(st: MatchedStatement | StatementTrace) -> str:
    name = f"{_TYPE_LABELS.get(st.policy_type, '')}{st.policy_id} statement {st.index}"
    return f'{name} (Sid "{st.sid}")' if st.sid else name


def _policies(evaluation: Evaluation) -> Iterator[Policy]:
    p = evaluation.policies
    yield from p.identity
    if p.permissions_boundary is not None:
        yield p.permissions_boundary
    yield from p.session_policies or ()
    yield from p.scps or ()
    yield from p.rcps or ()
    if p.resource_policy is not None:
        yield p.resource_policy


def _raw_statement(evaluation: Evaluation, policy_id: str, index: int) -> dict[str, Any]:
    for policy in _policies(evaluation):
        if policy.id == policy_id and 0 <= index < len(policy.statements):
            return dict(policy.statements[index].raw)
    return {}


def suggested_statement(principal_arn: str, authorization: Authorization) -> dict[str, Any]:
    """The narrowest Allow statement that grants ``authorization`` (least-privilege style)."""
    statement = statement_for(
        [authorization.action],
        [policy_resource(authorization.action, authorization.resource)],
        pinned_conditions(authorization.context),
    )
    evaluation = authorization.evaluation
    if evaluation is not None and evaluation.denied_by == "resource-based policy":
        # A resource policy statement must name who it grants to: the role, not one session.
        # A service principal (a service assuming a role) is named by its service name.
        who = evaluation.request.role_arn or principal_arn
        statement = {
            "Effect": "Allow",
            "Principal": {"AWS": who} if Arn.parse(who) else {"Service": who},
            **{k: v for k, v in statement.items() if k != "Effect"},
        }
        required = must_allow(authorization.action, authorization.resource)
        if required == "trust policy":  # a trust policy's statements name no Resource
            statement.pop("Resource", None)
        elif required == "key policy":  # in a key policy, "*" means the key itself
            statement["Resource"] = "*"
    return statement


def _suggestion(
    principal_arn: str, authorization: Authorization, evaluation: Evaluation
) -> Iterator[str]:
    required = _required_policy(evaluation)
    where = (
        f"the {required} of {authorization.resource}"
        if required is not None
        else _PASTE_INTO.get(evaluation.denied_by or "", "the principal's policies")
    )
    yield f"{_INDENT}a statement that allows it (add it to {where}):"
    yield from _statement_lines(suggested_statement(principal_arn, authorization))


def _statement_lines(statement: dict[str, Any]) -> Iterator[str]:
    for line in json.dumps(statement, indent=2).splitlines():
        yield f"{_INDENT * 2}{line}"


# -- requests a service made as an execution role (CallRecord.via) -------------------------------
# What a resource-based policy is called, by the service of the resource it is attached to.
_RESOURCE_POLICY_NAMES = {
    "s3": "bucket policy",
    "kms": "key policy",
    "ecr": "repository policy",
    "iam": "trust policy",
}
# Why the role may not, when a policy type other than a resource policy failed to allow it.
_ROLE_WHY = {
    "identity-based policy": "no identity-based policy of the role allows it",
    "permissions boundary": "the role's permissions boundary does not allow it",
    "service control policy": "no service control policy of the account allows it",
    "resource control policy": "no resource control policy of the account allows it",
    "session policy": "the session policy does not allow it",
}
# Where the statement goes, and the IAM call that puts it there.
_ROLE_NEXT = {
    "identity-based policy": "an identity-based policy of the role (PutRolePolicy, or "
    "AttachRolePolicy of a managed policy holding it)",
    "permissions boundary": "the role's permissions boundary (PutRolePermissionsBoundary)",
}


def _resource_policy(resource: str) -> str:
    """ "the bucket policy of <bucket>", "the key policy of <key ARN>", ..."""
    arn = Arn.parse(resource)
    if arn is None:
        return f"the resource-based policy of {resource}"
    name = _RESOURCE_POLICY_NAMES.get(arn.service, "resource-based policy")
    owner = arn.resource.split("/", 1)[0] if arn.service == "s3" else resource
    return f"the {name} of {owner}"


def _role_arn(principal_arn: str, evaluation: Evaluation) -> str:
    """The IAM ARN of the role whose session made the request (its path included when known)."""
    if evaluation.request.role_arn:
        return evaluation.request.role_arn
    session = Arn.parse(principal_arn)
    if session is None or session.resource_type != "assumed-role":
        return principal_arn
    role = session.resource_id.split("/", 1)[0]
    return iam_arn(session.partition, session.account, "role", "/", role)


def _on_behalf(
    service: str,
    operation: str,
    principal_arn: str,
    authorization: Authorization,
    evaluation: Evaluation,
    via: str,
) -> Iterator[str]:
    """A denial of a request ``via`` made as an execution role, told from the role's side: the
    role, the action, the resource, the reason, then what to add and where."""
    trust = principal_arn == via  # the service assuming the role: the role's trust policy decides
    role = authorization.resource if trust else _role_arn(principal_arn, evaluation)
    resource_policy = _resource_policy(authorization.resource)
    missing_role = trust and evaluation.policies.resource_policy is None

    def name(st: MatchedStatement | StatementTrace) -> str:
        if st.policy_type != "resource":
            return _statement_name(st)
        sid = f' (Sid "{st.sid}")' if st.sid else ""
        return f"{resource_policy}, statement {st.index}{sid}"

    denies = [m for m in evaluation.matched_statements if m.effect == "Deny"]
    explicit = authorization.decision == "explicitDeny"
    if explicit:
        why = "an explicit Deny applies" + (f": {name(denies[0])}" if denies else "")
    elif missing_role:
        why = "the role does not exist (the simulation holds no role of that name)"
    elif trust:
        why = f"its trust policy does not allow {via} to sts:AssumeRole"
    elif evaluation.denied_by == RESOURCE:
        why = f"{resource_policy} does not allow the role"
    else:
        why = _ROLE_WHY.get(evaluation.denied_by or "", "no policy of the role allows it")
    if trust:
        yield f"the execution role {role} may not be assumed by {via} because {why}"
        yield f"{_INDENT}{via} asked for {service}.{operation} of the role"
    else:
        yield (
            f"the execution role {role} may not {authorization.action} on "
            f"{authorization.resource} because {why}"
        )
        yield f"{_INDENT}{via} made {service}.{operation} as the role (session {principal_arn})"
    yield f"{_INDENT}decision:  {authorization.decision}"
    if explicit:
        yield from list(_explicit_deny(evaluation, name))[1:-1]
        yield f"{_INDENT}next: remove that Deny or narrow its Action, Resource or Condition"
        return
    where = resource_policy if evaluation.denied_by == RESOURCE else None
    yield from _implicit_details(authorization, evaluation, name, where, "the role's")
    statement = suggested_statement(principal_arn, authorization)
    if missing_role:
        where = "the trust policy of a role of that name (CreateRole's AssumeRolePolicyDocument)"
    elif trust:
        where = "the role's trust policy (UpdateAssumeRolePolicy)"
    elif where is None:
        where = _ROLE_NEXT.get(evaluation.denied_by or "", "a policy of the role")
    if trust:
        statement.update(_source_account(evaluation))
    yield f"{_INDENT}next: add this statement to {where}:"
    yield from _statement_lines(statement)


def _source_account(evaluation: Evaluation) -> dict[str, Any]:
    """The confused-deputy guard for a trust statement, pinned to the account the service acted
    for: "Cross-service confused deputy prevention" (Amazon SageMaker AI Developer Guide)
    recommends the aws:SourceAccount or aws:SourceArn condition in the role's trust policy."""
    account = evaluation.request.context.get("aws:SourceAccount")
    if not isinstance(account, str):
        return {}
    return {"Condition": {"StringEquals": {"aws:SourceAccount": account}}}

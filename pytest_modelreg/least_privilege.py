"""Least privilege: the smallest deployable policy document that allows a set of recorded calls.

A call becomes one :class:`Grant` per IAM request AWS authorized for it (an action on a resource,
plus the condition values a statement must pin). Grants are plain, hashable and JSON-friendly, so
the plugin can merge them over a whole run and across pytest-xdist workers before writing one
policy.

Every resource a generated statement names goes through :func:`policy_resource`, the one place
that decides how a recorded resource is written into a policy (``reg.required_policy()``,
``--modelreg-policy-out`` and the per-test report's suggested statement all use it). What differs
from one run of the same code to the next is generalized by the rules of :data:`GENERALIZATIONS`
(model package versions, names the SageMaker Python SDK generates); everything else the calls named
stays literal, and the account and region of an ARN are never touched, so the policy works for the
next run and grants nothing new in any other account or region.
"""

from __future__ import annotations

import functools
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytest_modelreg.arn import Arn
from pytest_modelreg.authorization import iamref
from pytest_modelreg.records import CallRecord

__all__ = [
    "GENERALIZATIONS",
    "Generalization",
    "Grant",
    "dumps",
    "generalize",
    "grants",
    "made_by",
    "pinned_conditions",
    "policy_for",
    "policy_resource",
    "required_policy",
    "statement_for",
]

# Request context keys a generated statement pins to the value the call carried: AWS checks them
# against the request, and leaving them open would grant more than the call needed (a role passable
# to any service, a KMS key usable directly instead of only through S3). Global ``aws:`` keys
# describe the request, not the permission, and are left out.
PINNED_KEYS = ("iam:PassedToService", "iam:AWSServiceName", "kms:ViaService")
_PINNED_LOWER = {k.lower(): k for k in PINNED_KEYS}


@dataclass(frozen=True, order=True)
class Grant:
    """One permission a policy must give: ``action`` on ``resource``, with pinned conditions."""

    action: str
    resource: str
    conditions: tuple[tuple[str, str], ...] = ()

    def to_json(self) -> list[Any]:
        return [self.action, self.resource, [list(c) for c in self.conditions]]

    @classmethod
    def from_json(cls, data: Any) -> Grant:
        action, resource, conditions = data
        return cls(str(action), str(resource), tuple((str(k), str(v)) for k, v in conditions))


def pinned_conditions(context: Mapping[str, str | tuple[str, ...]]) -> tuple[tuple[str, str], ...]:
    pinned = []
    for key, value in context.items():
        name = _PINNED_LOWER.get(key.lower())
        if name is None:
            continue
        for v in (value,) if isinstance(value, str) else value:
            pinned.append((name, v))
    return tuple(sorted(set(pinned)))


def grants(calls: Iterable[CallRecord]) -> set[Grant]:
    """The grants a policy needs so that every authorization of ``calls`` is allowed.

    Calls made with unrestricted access, or under ``enforce="off"``, carry no authorizations and
    add nothing.
    """
    out: set[Grant] = set()
    for call in calls:
        for authorization in call.authorizations:
            out.add(
                Grant(
                    authorization.action,
                    authorization.resource,
                    pinned_conditions(authorization.context),
                )
            )
    return out


@dataclass(frozen=True)
class Generalization:
    """One rule: a part of a resource that differs from run to run, and what the policy says."""

    varies: str
    """What differs between runs, in words."""
    example: tuple[str, str]
    """A resource part as a call named it, and as the policy names it."""
    evidence: str
    """Where the format is documented (or the source that generates it)."""
    pattern: str
    """A regular expression over the ARN's resource part (after the fifth colon)."""
    replacement: str
    service: str | None = None
    """The ARN's service the rule is limited to; None for every service."""

    def apply(self, resource_part: str) -> str:
        return _compiled(self.pattern).sub(self.replacement, resource_part)


def _generated_suffix(stamp: str) -> str:
    """``<base>-<stamp>`` within one ``/``-separated part of a resource: the stamp, and anything
    the generator appended after it (a second stamp), become ``*``; the base stays. The base must
    not be empty, so a name made of a stamp alone is left literal."""
    return rf"(?<=[^/])-(?:{stamp})(?:-[^/]*)?(?=/|$)"


# The rules, applied in this order. Names are matched as SageMaker and the SDK write them; a name
# a test chose that happens to end like a generated one (``churn-2026-01-01-00-00-00-000``) is
# generalized too: the rules look at the text, not at who wrote it.
GENERALIZATIONS: tuple[Generalization, ...] = (
    Generalization(
        varies="the version number SageMaker gives each model package registered in a group",
        example=("model-package/churn/3", "model-package/churn/*"),
        evidence="SageMaker API Reference, DescribeModelPackage: ModelPackageVersion; a versioned "
        "model package's ARN ends in <group>/<version> (CreateModelPackage: ModelPackageArn)",
        pattern=r"^(model-package/[^/]+)/\d+$",
        replacement=r"\1/*",
        service="sagemaker",
    ),
    Generalization(
        varies="the timestamp the SageMaker Python SDK appends to a name it generates",
        example=("model/churn-2026-11-30-14-33-35-556", "model/churn-*"),
        evidence="sagemaker.utils.name_from_base / sagemaker_timestamp: "
        "<base>-%Y-%m-%d-%H-%M-%S-<milliseconds>, UTC",
        pattern=_generated_suffix(r"\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-\d{3}"),
        replacement="-*",
    ),
    Generalization(
        varies="the short timestamp of the SDK's name_from_base(short=True)",
        example=("endpoint-config/churn-261130-1433", "endpoint-config/churn-*"),
        evidence="sagemaker.utils.sagemaker_short_timestamp: %y%m%d-%H%M",
        pattern=_generated_suffix(r"\d{6}-\d{4}"),
        replacement="-*",
    ),
    Generalization(
        varies="the epoch seconds and random hex digits of the SDK's unique_name_from_base",
        example=("bucket/churn-1764513215-3f9a/model.tar.gz", "bucket/churn-*/model.tar.gz"),
        evidence="sagemaker.utils.unique_name_from_base: <base>-<int(time.time())>-<4 hex digits>",
        pattern=_generated_suffix(r"\d{10}-[0-9a-f]{4}"),
        replacement="-*",
    ),
    Generalization(
        varies="the random UUID of the SDK's unique_name_from_base_uuid4 (and SMPYTHONSDK- jobs)",
        example=("model/churn-1b4e28ba-2fa1-41d2-883f-0016d3cca427", "model/churn-*"),
        evidence="sagemaker.utils.unique_name_from_base_uuid4: <base>-<str(uuid.uuid4())>",
        pattern=_generated_suffix(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
        replacement="-*",
    ),
)


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def generalize(resource: str) -> str:
    """``resource`` with every part that differs from run to run generalized (see
    :data:`GENERALIZATIONS`); anything that is not an ARN is returned unchanged."""
    arn = Arn.parse(resource)
    if arn is None:
        return resource
    part = arn.resource
    for rule in GENERALIZATIONS:
        if rule.service is None or rule.service == arn.service:
            part = rule.apply(part)
    return str(arn.with_resource(part)) if part != arn.resource else resource


def policy_resource(action: str, resource: str) -> str:
    """How a policy names ``resource`` for ``action``: ``*`` for an action that takes no resource,
    else the resource generalized, with ``${`` escaped."""
    ref = iamref.action(action)
    if ref is not None and not ref.resource_types:
        # The Service Authorization Reference lists no resource type: only "*" is meaningful.
        return "*"
    # "${" would start a policy variable; "${$}" is IAM's escape for a literal "$".
    return generalize(resource).replace("${", "${$}{")


def policy_for(required: Iterable[Grant]) -> dict[str, Any]:
    """A policy document allowing every grant, and nothing else the grants did not name.

    Statements are grouped by service (sorted by service prefix); within a service, actions that
    need exactly the same resources and conditions share a statement. Actions, resources and
    condition values are sorted, so the same grants always give the same document.
    """
    # (action, conditions) -> resources
    resources: dict[tuple[str, tuple[tuple[str, str], ...]], set[str]] = defaultdict(set)
    for grant in required:
        resources[(grant.action, grant.conditions)].add(
            policy_resource(grant.action, grant.resource)
        )
    Conditions = tuple[tuple[str, str], ...]
    grouped: dict[tuple[str, tuple[str, ...], Conditions], set[str]] = defaultdict(set)
    for (action, conditions), targets in resources.items():
        service = action.split(":", 1)[0].lower()
        # "*" covers every ARN: listing both would only hide that the action is unscoped.
        scoped = ("*",) if "*" in targets else tuple(sorted(targets))
        grouped[(service, scoped, conditions)].add(action)
    statements = []
    for (_, arns, conditions), actions in sorted(
        grouped.items(),
        key=lambda kv: (kv[0][0], sorted(a.lower() for a in kv[1]), kv[0][1], kv[0][2]),
    ):
        statements.append(statement_for(sorted(actions, key=str.lower), list(arns), conditions))
    return {"Version": "2012-10-17", "Statement": statements}


def statement_for(
    actions: list[str], resources: list[str], conditions: Iterable[tuple[str, str]] = ()
) -> dict[str, Any]:
    """One Allow statement; single values are written as strings, as the IAM console does."""
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Action": actions[0] if len(actions) == 1 else actions,
        "Resource": resources[0] if len(resources) == 1 else resources,
    }
    values: dict[str, list[str]] = defaultdict(list)
    for key, value in sorted(set(conditions)):
        values[key].append(value)
    if values:
        statement["Condition"] = {
            "StringEquals": {k: v[0] if len(v) == 1 else v for k, v in values.items()}
        }
    return statement


def made_by(call: CallRecord, principal_arn: str) -> bool:
    """Whether ``call`` was made by ``principal_arn``: the caller's own ARN, or a role's ARN
    (``arn:aws:iam::<account>:role/<path><name>``) for a call made by a session of that role
    (``arn:aws:sts::<account>:assumed-role/<name>/<session>``)."""
    if call.principal_arn == principal_arn:
        return True
    role, caller = Arn.parse(principal_arn), Arn.parse(call.principal_arn)
    if role is None or caller is None or role.service != "iam" or role.resource_type != "role":
        return False
    session_of = caller.resource_id.split("/", 1)[0]
    return (
        caller.service == "sts"
        and caller.resource_type == "assumed-role"
        and (caller.partition, caller.account) == (role.partition, role.account)
        and session_of == role.name
    )


def required_policy(calls: Iterable[CallRecord]) -> dict[str, Any]:
    """The least-privilege policy document allowing every authorization of ``calls``."""
    return policy_for(grants(calls))


def dumps(policy: Mapping[str, Any]) -> str:
    return json.dumps(policy, indent=2) + "\n"


def execution_role_of(call: CallRecord) -> str | None:
    """The name of the execution role a service acted as for ``call`` (``call.via`` set, made by
    a session of the role), or None: the service principal's own AssumeRole, or the code under
    test's calls. Its policy is written beside the principal's (``--modelreg-policy-out``)."""
    if call.via is None:
        return None
    caller = Arn.parse(call.principal_arn)
    if caller is None or caller.service != "sts" or caller.resource_type != "assumed-role":
        return None
    return caller.resource_id.split("/", 1)[0]


def role_policy_path(path: Path, role: str) -> Path:
    """Where ``--modelreg-policy-out PATH`` writes execution role ``role``'s policy:
    ``<stem>.execution-role.<role><suffix>`` beside PATH."""
    return path.with_name(f"{path.stem}.execution-role.{role}{path.suffix}")

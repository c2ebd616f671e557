"""Model package groups and their resource policies (CreateModelPackageGroup ...
DeleteModelPackageGroupPolicy in botocore's SageMaker model and the SageMaker API Reference)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..base import CallContext, ServiceError
from . import _guesses, arns, pagination
from .clock import to_datetime, to_ms
from .core import Core, conflict, contains, copy, user_context, validation
from .state import Backend, Group
from .tags import check_new_tags


def resolve_group(
    core: Core, value: str, ctx: CallContext
) -> tuple[Backend | None, Group | None, str]:
    """(owning backend, group or None, ARN to name in errors) for a group name or ARN."""
    if not value.startswith("arn:"):  # fast path: a name in the caller's account
        b = core.backends.get((ctx.account_id, ctx.region))
        g = b.groups.get(value) if b is not None else None
        if g is not None:
            return b, g, g.arn
    ref = arns.parse(value, ctx)
    arn = (
        arns.group_arn(ref.partition, ref.region, ref.account_id, ref.path)
        if not ref.resource_type
        else value
    )
    b = core.peek(ref.account_id, ref.region)
    if b is None or ref.resource_type not in ("", "model-package-group"):
        return b, None, arn
    return b, b.groups.get(ref.path), arn


def require_group(core: Core, value: str, ctx: CallContext) -> Group:
    _, g, arn = resolve_group(core, value, ctx)
    if g is None:
        # The text AWS's own clients match: aws-controllers-k8s/sagemaker-controller generator.yaml
        # and the CloudFormation provider's ModelPackageGroup tests.
        raise validation(f"ModelPackageGroup {arn} does not exist.")
    return g


def create(core: Core, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
    name: str = params["ModelPackageGroupName"]
    b = core.own(ctx)
    arn = arns.group_arn(ctx.partition, ctx.region, ctx.account_id, name)
    if name in b.groups:
        # Apache Airflow's SageMakerHook matches this prefix, as do the CloudFormation provider's
        # tests.
        raise validation(f"Model Package Group already exists: {arn}")
    limit = core.options.max_groups
    if limit is not None and len(b.groups) >= limit:
        raise ServiceError(
            "ResourceLimitExceeded",
            f"The account-level service limit "
            f"'Maximum number of model package groups' is {limit} groups.",
        )
    tags = check_new_tags(params.get("Tags") or [], arn)
    ms = core.clock.now_ms()
    doc: dict[str, Any] = {
        "ModelPackageGroupName": name,
        "ModelPackageGroupArn": arn,
    }
    if "ModelPackageGroupDescription" in params:
        doc["ModelPackageGroupDescription"] = params["ModelPackageGroupDescription"]
    doc["CreationTime"] = to_datetime(ms)
    doc["CreatedBy"] = user_context(ctx)
    # AWS goes Pending -> Completed (the CloudFormation provider waits for it); here at once.
    doc["ModelPackageGroupStatus"] = "Completed"
    if "ManagedConfiguration" in params:
        doc["ManagedConfiguration"] = copy(params["ManagedConfiguration"])
    b.groups[name] = Group(
        name=name, arn=arn, creation_ms=ms, doc=doc, seq=core.next_seq(), tags=tags
    )
    return {"ModelPackageGroupArn": arn}


def describe(core: Core, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
    g = require_group(core, params["ModelPackageGroupName"], ctx)
    out: dict[str, Any] = copy(g.doc)
    return out


_SUMMARY = (
    "ModelPackageGroupName",
    "ModelPackageGroupArn",
    "ModelPackageGroupDescription",
    "CreationTime",
    "ModelPackageGroupStatus",
    "ManagedConfiguration",
)


def _summary(g: Group) -> dict[str, Any]:
    d = g.doc
    return {k: copy(d[k]) for k in _SUMMARY if k in d}


def _statement_grants(
    policy: str | None, action: str, ctx: CallContext, resource: str | None = None
) -> bool:
    """Whether a group's resource policy lets the caller perform ``action`` (on ``resource``;
    None: on any resource it names), decided by the IAM engine on that policy alone.

    An approximation of how a group becomes "discoverable to you from other accounts"
    (botocore service model: sagemaker ``ListModelPackageGroups.CrossAccountFilterOption``);
    AWS shares it through AWS RAM, which the simulation does not model.
    """
    if not policy:
        return False
    from pytest_modelreg.iam import MalformedPolicyDocument, Policy  # lazy: no import cycle

    try:
        parsed = Policy.parse(policy, policy_type="resource")
    except MalformedPolicyDocument:
        return False
    return parsed.grants(action, resource, principal=ctx.caller_arn)


def list_groups(core: Core, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
    after = pagination.decode("ListModelPackageGroups", params.get("NextToken"))
    limit = pagination.max_results(params, _guesses.DEFAULT_PAGE_SIZE)
    sort_by = params.get("SortBy", "CreationTime")
    descending = params.get("SortOrder", "Ascending") == "Descending"
    name_contains = params.get("NameContains")
    t_after = to_ms(params["CreationTimeAfter"]) if "CreationTimeAfter" in params else None
    t_before = to_ms(params["CreationTimeBefore"]) if "CreationTimeBefore" in params else None
    if params.get("CrossAccountFilterOption") == "CrossAccount":
        # Groups of other accounts in this region whose policy lets the caller discover them.
        candidates = [
            g
            for (acct, region), b in core.backends.items()
            if acct != ctx.account_id and region == ctx.region
            for g in b.groups.values()
            if _statement_grants(g.policy, "sagemaker:DescribeModelPackageGroup", ctx, g.arn)
        ]
    else:
        b = core.peek(ctx.account_id, ctx.region)
        candidates = list(b.groups.values()) if b else []
    rows: list[tuple[tuple[Any, ...], Group]] = []
    for g in candidates:
        if name_contains and not contains(
            g.name, name_contains, _guesses.NAME_CONTAINS_CASE_INSENSITIVE
        ):
            continue
        if t_after is not None and not g.creation_ms > t_after:
            continue
        if t_before is not None and not g.creation_ms < t_before:
            continue
        key = (g.name, g.arn) if sort_by == "Name" else (g.creation_ms, g.arn)
        rows.append((key, g))
    rows.sort(key=lambda r: r[0])
    page, next_key = pagination.page_sorted(
        [r[0] for r in rows], [r[1] for r in rows], after, limit, descending
    )
    out: dict[str, Any] = {"ModelPackageGroupSummaryList": [_summary(g) for g in page]}
    if next_key is not None:
        out["NextToken"] = pagination.encode("ListModelPackageGroups", next_key)
    return out


def delete(core: Core, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
    b, g, _ = resolve_group(core, params["ModelPackageGroupName"], ctx)
    if g is None or b is None:
        _, _, arn = resolve_group(core, params["ModelPackageGroupName"], ctx)
        raise validation(f"ModelPackageGroup {arn} does not exist.")
    if g.versions:
        raise conflict(_guesses.GROUP_NOT_EMPTY.format(name=g.name))
    # Tags and the resource policy go with the group; lineage entities stay (as on AWS).
    del b.groups[g.name]
    return {}


# --- resource policy: ModelPackageGroupName is an EntityName here (botocore's model), no ARN ------


def _policy_group(core: Core, params: Mapping[str, Any], ctx: CallContext) -> Group:
    name = params["ModelPackageGroupName"]
    b = core.peek(ctx.account_id, ctx.region)
    g = b.groups.get(name) if b else None
    if g is None:
        arn = arns.group_arn(ctx.partition, ctx.region, ctx.account_id, name)
        raise validation(f"Cannot find Model Package Group: {arn}")  # [REAL]
    return g


def _check_policy(text: str, g: Group) -> None:
    """Refuse at Put what IAM's grammar refuses (the IAM engine decides, with IAM's message: a
    policy it cannot parse would make every later authorization of this group fail), then what
    SageMaker adds: SageMaker actions only, on this group or its versions."""
    from pytest_modelreg.iam import MalformedPolicyDocument, Policy  # lazy: no import cycle

    def bad(reason: object) -> ServiceError:
        return validation(_guesses.POLICY_INVALID.format(reason=reason))

    try:
        policy = Policy.parse(text, policy_type="resource")
    except MalformedPolicyDocument as exc:
        raise bad(exc) from None
    if not policy.statements:
        raise bad("the policy must contain a Statement")
    prefix_pkg = g.arn.replace(":model-package-group/", ":model-package/", 1) + "/"
    for st in policy.statements:
        for a in st.action.values if st.action is not None else ():
            if not a.lower().startswith("sagemaker:"):
                raise bad(f"action {a} is not a SageMaker action")
        for r in st.resource.values if st.resource is not None else ():
            if not (r == g.arn or r.startswith(prefix_pkg)):
                raise bad(f"resource {r} is not this model package group or its versions")


def put_policy(core: Core, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
    g = _policy_group(core, params, ctx)
    _check_policy(params["ResourcePolicy"], g)
    g.policy = params["ResourcePolicy"]
    return {"ModelPackageGroupArn": g.arn}


def get_policy(core: Core, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
    g = _policy_group(core, params, ctx)
    if g.policy is None:
        raise validation(f"Cannot find resource policy for: {g.arn}")  # [REAL]
    return {"ResourcePolicy": g.policy}


def delete_policy(core: Core, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
    g = _policy_group(core, params, ctx)
    if g.policy is None:
        raise validation(f"Cannot find resource policy for: {g.arn}")  # [REAL]
    g.policy = None
    return {}

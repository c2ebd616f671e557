"""The generic rule: the mapping of every operation a service table does not list.

AWS names most IAM actions after the API operation, so ``<Operation>`` of a service is authorized
as ``<prefix>:<Operation>`` on the resource the parameters name. The rule reads the action's entry
in the Service Authorization Reference (its resource types, their ARN formats, its condition keys)
and the operation's input shape in botocore's model, and matches ARN-format variables to input
members (``${ModelPackageGroupName}`` -> ``ModelPackageGroupName``; ``${BucketName}`` ->
``Bucket``). A required resource whose name it cannot find is authorized on ``*`` and flagged
(``Plan.wildcard_fallback``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from pytest_modelreg import services
from pytest_modelreg._botocore_models import service_model
from pytest_modelreg.arn import Arn

from .. import iamref
from ..types import UnmappedOperation
from .context import ContextBuilder, RequestTags, TagKeys, Value
from .resolvers import STAR, ArnIfArn, ArnParam, IamByName, KmsKey, Resolver, Template
from .rows import Authz


def input_members(service: str, operation: str) -> Mapping[str, Any]:
    """The top-level members of an operation's input shape in botocore's model."""
    shape = service_model(service).operation_model(operation).input_shape
    return shape.members if shape is not None else {}


_ARN_PARAMS = ("ResourceArn", "ResourceARN", "Arn", "resourceArn", "ResourceArns")
_TAGS_PARAMS = ("Tags", "tags", "TagList")
_TAG_KEYS_PARAMS = ("TagKeys", "tagKeys", "Keys")
#: ARN-format variable -> botocore parameter, where the names differ in more than case.
_VAR_ALIASES: Final[Mapping[str, tuple[str, ...]]] = {
    "BucketName": ("Bucket",),
    "ObjectName": ("Key",),
    "GroupName": ("Group", "GroupName"),
    "KeyId": ("KeyId",),
    "Alias": ("AliasName",),
    "AutoMLJobJobName": ("AutoMLJobName",),
    "FederatedUserName": ("Name",),
    "MfaTokenIdWithPath": ("SerialNumber",),
}


def _find_member(members: Mapping[str, Any], var: str) -> str | None:
    """The parameter that carries an ARN-format variable, or None.

    Tries, in order: the same name (any case), known aliases, the name without ``WithPath`` /
    ``Name``, then a ``...Name`` parameter where one name ends with the other
    (``JobDefinitionName`` for ``${DataQualityJobDefinitionName}``, ``TrainingSessionName`` for
    ``${SessionName}``).
    """
    lowered = {m.lower(): m for m, s in members.items() if s.type_name in ("string", "integer")}
    base = var[: -len("WithPath")] if var.endswith("WithPath") else var
    candidates = [var, *_VAR_ALIASES.get(var, ()), base]
    if base.endswith("Name"):
        candidates.append(base[: -len("Name")])
    for c in candidates:
        found = lowered.get(c.lower())
        if found:
            return found
    if base.endswith("Name"):
        low = base.lower()
        suffixed = [
            m
            for lm, m in lowered.items()
            if lm.endswith("name") and lm != "name" and (low.endswith(lm) or lm.endswith(low))
        ]
        if len(suffixed) == 1:
            return suffixed[0]
        if not suffixed and "name" in lowered:
            return lowered["name"]  # the operation's own "Name" parameter
    return None


_NOT_THE_RESOURCE = ("role", "kms", "key", "token", "execution", "source", "destination")


def _single_arn_member(members: Mapping[str, Any]) -> str | None:
    """The only ``...Arn`` parameter that is not a role/key reference, if exactly one."""
    found = [
        m
        for m, s in members.items()
        if s.type_name == "string"
        and m.lower().endswith("arn")
        and not any(w in m.lower() for w in _NOT_THE_RESOURCE)
    ]
    return found[0] if len(found) == 1 else None


def _camel(rt_name: str) -> str:
    return "".join(p[:1].upper() + p[1:] for p in re.split(r"[-_]", rt_name))


def _resolver_for(
    prefix: str, members: Mapping[str, Any], rt: iamref.ResourceTypeRef
) -> Resolver | None:
    """A resolver for one resource type, built from the input shape; None if none fits."""
    # An '<Type>Arn' parameter (or the operation's only resource-ARN parameter) names it.
    for cand in (f"{_camel(rt.name)}Arn", *_ARN_PARAMS):
        for m in members:
            if m.lower() == cand.lower() and members[m].type_name == "string":
                return ArnParam(m)
    tmpl = Arn.parse(rt.arn_template)
    if tmpl is None:
        return None
    if "${" in tmpl.account and tmpl.account != "${Account}":
        return None
    if tmpl.region not in ("${Region}", ""):
        return None  # fixed-region ARNs (us-west-2 async requests) are not request resources
    if rt.name == "role" and prefix in ("iam", "sts") and "RoleName" in members:
        return IamByName("role", "RoleName")
    path = tmpl.resource
    for var in iamref.template_variables(tmpl.resource):
        member = _find_member(members, var)
        if member is None:
            single = _single_arn_member(members)
            if single:
                return ArnParam(single)
            named = f"{_camel(rt.name)}Name"
            if named in members and members[named].type_name == "string":
                return ArnIfArn(named)
            return None
        path = path.replace("${" + var + "}", "{" + member + "}")
    if "${" in path:
        return None
    if tmpl.service == "kms" and path == "key/{KeyId}":
        return KmsKey("KeyId")
    if tmpl.account not in ("${Account}", ""):
        return None  # AWS-owned resources
    account_param = next((m for m in members if m.lower() == "registryid"), None)
    # A format without a region (DynamoDB global tables) builds region-less ARNs.
    return Template(tmpl.service, path, account_param=account_param, regional=tmpl.region != "")


def _generic_context(
    members: Mapping[str, Any], ref: iamref.ActionRef
) -> tuple[ContextBuilder, ...]:
    keys = ref.all_condition_keys()
    out: list[ContextBuilder] = []
    tags = next((m for m in _TAGS_PARAMS if m in members), None)
    if tags and "aws:RequestTag/${TagKey}" in keys:
        out.append(RequestTags(tags))
    elif "aws:TagKeys" in keys:
        tk = next((m for m in _TAG_KEYS_PARAMS if m in members), None)
        if tk:
            out.append(TagKeys(tk))
    # A service key named like a scalar parameter ("sagemaker:ModelApprovalStatus").
    by_name = {m.lower(): m for m, s in members.items() if s.type_name in ("string", "boolean")}
    for key in ref.condition_keys:
        pfx, _, name = key.partition(":")
        if pfx != ref.prefix or "$" in name or "/" in name or ":" in name:
            continue
        member = by_name.get(name.lower())
        if member:
            out.append(Value(key, member))
    return tuple(out)


def generic_rows(
    service: str, operation: str, action: str | None = None
) -> tuple[tuple[Authz, ...], bool]:
    """The generic rule's rows and whether a required resource fell back to ``*``.

    Raises UnmappedOperation when ``<prefix>:<Operation>`` (or ``action``) is not an IAM action.
    """
    prefix = services.BY_NAME[service].iam_prefix
    wanted = action or f"{prefix}:{operation}"
    ref = iamref.action(wanted)
    if ref is None:
        raise UnmappedOperation(
            service,
            operation,
            f"the Service Authorization Reference data has no action {wanted}",
        )
    members = input_members(service, operation)
    context = _generic_context(members, ref)
    wildcard = False
    rows: list[Authz] = []
    required = [rt for rt in ref.resource_types if rt.required]
    if required:
        for rt in required:
            res = _resolver_for(prefix, members, rt)
            if res is None:
                wildcard = True
                res = STAR
            rows.append(Authz(ref.action, res, context))
    elif ref.resource_types:
        arn_param = next((m for m in _ARN_PARAMS if m in members), None)
        res = ArnParam(arn_param) if arn_param else None
        if res is None:
            # Prefer the optional resource type named in the operation (ListModelPackages ->
            # model-package), then any whose name the parameters give.
            ordered = sorted(
                ref.resource_types,
                key=lambda rt: _camel(rt.name).lower() not in operation.lower(),
            )
            for rt in ordered:
                res = _resolver_for(prefix, members, rt)
                if res is not None:
                    break
        rows.append(Authz(ref.action, res or STAR, context))
    else:
        rows.append(Authz(ref.action, STAR, context))
    return tuple(rows), wildcard

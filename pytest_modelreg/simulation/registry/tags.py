"""AddTags / DeleteTags / ListTags on groups and packages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .. import moto
from ..base import CallContext
from . import _guesses, arns, pagination
from .core import Core, validation
from .state import Group, Package

MAX_TAGS = 50


def check_new_tags(
    tags: Iterable[Mapping[str, str]], arn: str, existing: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Merge ``tags`` into ``existing`` (later keys overwrite); AWS limits and reserved prefix."""
    merged = dict(existing or {})
    for t in tags:
        key = t["Key"]
        if key.lower().startswith("aws:"):
            raise validation(_guesses.TAG_RESERVED_PREFIX.format(key=key))
        merged[key] = t.get("Value", "")
    if len(merged) > MAX_TAGS:
        raise validation(_guesses.TAG_LIMIT.format(arn=arn))
    return merged


def find(core: Core, arn: str) -> Group | Package | None:
    """The group or package an ARN names, in the ARN's own account/region (None if absent)."""
    found = arns.registry_resource(arn)
    b = None if found is None else core.peek_arn(found[0])
    if found is None or b is None:
        return None
    if found[1] == arns.GROUP:
        g = b.groups.get(found[2])
        return g if g is not None and g.arn == arn else None
    return b.packages.get(arn)


def _require(core: Core, arn: str) -> Group | Package:
    r = find(core, arn)
    if r is None:
        # Observed for another SageMaker resource type (boto/boto3#4606).
        raise validation("Resource does not exist")
    return r


def add_tags(core: Core, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
    arn = params["ResourceArn"]
    r = _require(core, arn)
    if isinstance(r, Package) and r.versioned and _guesses.REJECT_TAGS_ON_VERSIONED:
        raise validation(_guesses.VERSIONED_TAGS.format(arn=arn))
    r.tags = check_new_tags(params["Tags"], arn, r.tags)
    return {"Tags": [{"Key": t["Key"], "Value": t.get("Value", "")} for t in params["Tags"]]}


def delete_tags(core: Core, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
    r = _require(core, params["ResourceArn"])
    for k in params["TagKeys"]:
        r.tags.pop(k, None)  # absent keys are not an error [INFERRED]
    return {}


def list_tags(core: Core, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
    r = _require(core, params["ResourceArn"])
    after = pagination.decode("ListTags", params.get("NextToken"))
    limit = pagination.max_results(params, _guesses.DEFAULT_LIST_TAGS_PAGE_SIZE)
    items = list(r.tags.items())
    keys = [(i,) for i in range(len(items))]  # insertion order
    page, next_key = pagination.page_sorted(keys, items, after, limit, descending=False)
    out: dict[str, Any] = {"Tags": [{"Key": k, "Value": v} for k, v in page]}
    if next_key is not None:
        out["NextToken"] = pagination.encode("ListTags", next_key)
    return out


def claims_arn(params: Mapping[str, Any]) -> bool:
    """Registry ARNs are ours; so is any ARN moto cannot parse, which we answer like AWS does for
    an unknown resource instead of letting moto crash."""
    arn = params.get("ResourceArn")
    if not isinstance(arn, str):
        return False
    return arns.is_registry_arn(arn) or not moto.sagemaker_taggable(arn)

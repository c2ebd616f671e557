"""The Resource Groups Tagging API over every simulated resource (registry, groups, moto).

Facts: GetResources "does not return untagged resources" (API_GetResources); ResourceTypeFilters are
``service`` or ``service:resourceType``; TagFilters AND across keys, OR across one key's values, any
value when Values is empty (API_TagFilter); the last page carries ``PaginationToken: ""``, never an
absent token (boto/boto3#2513: "The PaginationToken is never null however, only empty string if
there are no more resources"); errors InvalidParameterException / PaginationTokenExpiredException
(botocore model).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..base import CallContext, ServiceError
from . import _guesses, paging
from .inventory import Resource
from .query import matches_tags

Inventory = Callable[[str, str], list[Resource]]


def invalid(message: str) -> ServiceError:
    return ServiceError("InvalidParameterException", message, 400)


def _token_error() -> ServiceError:
    return ServiceError("PaginationTokenExpiredException", _guesses.BAD_TOKEN_TAGGING, 400)


def _type_matches(tagging_type: str, filters: list[str]) -> bool:
    service = tagging_type.split(":", 1)[0]
    return any(f in (tagging_type, service) for f in filters)


def get_resources(
    inventory: Inventory, params: Mapping[str, Any], ctx: CallContext
) -> dict[str, Any]:
    per_page = params.get("ResourcesPerPage", _guesses.RESOURCES_PER_PAGE)
    if not 1 <= per_page <= 100:
        raise invalid(_guesses.RESOURCES_PER_PAGE_RANGE)
    tags_per_page = params.get("TagsPerPage", _guesses.TAGS_PER_PAGE)
    if not 100 <= tags_per_page <= 500:
        raise invalid(_guesses.TAGS_PER_PAGE_RANGE)
    arn_list = params.get("ResourceARNList")
    tag_filters = [
        (f["Key"], frozenset(f.get("Values") or [])) for f in params.get("TagFilters") or []
    ]
    type_filters = list(params.get("ResourceTypeFilters") or [])
    if arn_list and (tag_filters or type_filters):
        raise invalid(_guesses.ARN_LIST_WITH_FILTERS)
    after = paging.decode("GetResources", params.get("PaginationToken"), _token_error())
    wanted = set(arn_list or ())
    rows = sorted(
        (
            r
            for r in inventory(ctx.account_id, ctx.region)
            if r.tags
            and (not wanted or r.arn in wanted)
            and (not type_filters or _type_matches(r.tagging_type, type_filters))
            and matches_tags(r.tags, tag_filters)
        ),
        key=lambda r: r.arn,
    )
    keys = [r.arn for r in rows]
    candidates, _ = paging.page(keys, rows, after, per_page)
    # TagsPerPage bounds the tags on a page; a resource is never split, and a page holds at least
    # one resource (API_GetResources, TagsPerPage).
    page: list[Resource] = []
    tag_count = 0
    for r in candidates:
        if page and tag_count + len(r.tags) > tags_per_page:
            break
        page.append(r)
        tag_count += len(r.tags)
    more = bool(page) and (keys.index(page[-1].arn) + 1 < len(keys))
    include_compliance = bool(params.get("IncludeComplianceDetails"))
    mappings = []
    for r in page:
        item: dict[str, Any] = {
            "ResourceARN": r.arn,
            "Tags": [{"Key": k, "Value": v} for k, v in r.tags.items()],
        }
        if include_compliance:  # no tag policies are simulated: everything is compliant
            item["ComplianceDetails"] = {
                "NoncompliantKeys": [],
                "KeysWithNoncompliantValues": [],
                "ComplianceStatus": True,
            }
        mappings.append(item)
    if include_compliance and params.get("ExcludeCompliantResources"):
        mappings = []
    return {
        "PaginationToken": paging.encode("GetResources", page[-1].arn) if more else "",
        "ResourceTagMappingList": mappings,
    }


def _distinct_page(
    operation: str, values: set[str], params: Mapping[str, Any], key: str
) -> dict[str, Any]:
    after = paging.decode(operation, params.get("PaginationToken"), _token_error())
    ordered = sorted(values)
    page, resume = paging.page(ordered, ordered, after, 1000)  # [INFERRED] page size
    return {
        "PaginationToken": paging.encode(operation, resume) if resume is not None else "",
        key: page,
    }


def get_tag_keys(
    inventory: Inventory, params: Mapping[str, Any], ctx: CallContext
) -> dict[str, Any]:
    keys = {k for r in inventory(ctx.account_id, ctx.region) for k in r.tags}
    return _distinct_page("GetTagKeys", keys, params, "TagKeys")


def get_tag_values(
    inventory: Inventory, params: Mapping[str, Any], ctx: CallContext
) -> dict[str, Any]:
    key = params["Key"]
    values = {r.tags[key] for r in inventory(ctx.account_id, ctx.region) if key in r.tags}
    return _distinct_page("GetTagValues", values, params, "TagValues")


#: (arn, tags or keys, ctx) -> None; raises ServiceError for a per-resource failure.
Mutator = Callable[[str, Any, CallContext], bool]


def change_tags(
    mutate: Mutator, params: Mapping[str, Any], ctx: CallContext, payload_key: str
) -> dict[str, Any]:
    """TagResources / UntagResources: per-ARN outcome; failures go to FailedResourcesMap."""
    failed: dict[str, dict[str, Any]] = {}
    for arn in params["ResourceARNList"]:
        try:
            found = mutate(arn, params[payload_key], ctx)
        except ServiceError as exc:
            failed[arn] = {
                "StatusCode": exc.http_status,
                "ErrorCode": exc.code
                if exc.code in ("InternalServiceException", "InvalidParameterException")
                else "InvalidParameterException",
                "ErrorMessage": exc.message,
            }
            continue
        if not found:
            status, code, message = _guesses.UNKNOWN_RESOURCE
            failed[arn] = {
                "StatusCode": status,
                "ErrorCode": code,
                "ErrorMessage": message.format(arn=arn),
            }
    return {"FailedResourcesMap": failed}

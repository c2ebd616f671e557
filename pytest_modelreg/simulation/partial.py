"""Batch calls AWS authorizes item by item: the allowed items are served, each denied item is
reported in the response, and the call itself succeeds.

* S3 DeleteObjects: "For each key, Amazon S3 performs a delete operation and returns the result of
  that delete, success or failure, in the response." (botocore service model, s3 DeleteObjects
  documentation); a denied key comes back as ``<Error><Code>AccessDenied</Code><Message>Access
  Denied</Message></Error>`` in an HTTP 200 answer (observed, public issue boto/boto#3586).
* Tagging API TagResources / UntagResources: ``FailedResourcesMap`` maps an ARN to
  ``FailureInfo{StatusCode, ErrorCode, ErrorMessage}``, whose documentation lists
  ``AccessDeniedException`` when the caller lacks the owning service's tagging permission
  (botocore service model, resourcegroupstaggingapi ``FailureInfo``).
* SageMaker BatchDescribeModelPackage: ``BatchDescribeModelPackageErrorMap`` (ARN ->
  ``{ErrorCode, ErrorResponse}``); that a denied ARN lands there is a guess
  (:data:`pytest_modelreg.simulation.registry._guesses.BATCH_DESCRIBE_DENIED_IN_ERROR_MAP`).

An item is denied when an authorization request naming it is denied; a denied request that
names no item (``tag:TagResources`` on ``*``, a KMS request) still denies the whole call.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pytest_modelreg.arn import Arn
from pytest_modelreg.simulation.registry._guesses import BATCH_DESCRIBE_DENIED_IN_ERROR_MAP

__all__ = ["PerItem", "per_item"]


@dataclass(frozen=True)
class PerItem:
    """How one batch operation names its items and reports a denied one."""

    items: Callable[[Mapping[str, Any]], list[Any]]
    """The items of a call, in order."""
    item_id: Callable[[Any], str]
    """The id of an item, as :attr:`request_item` gives it for a request that names the item."""
    request_item: Callable[[str], str | None]
    """The item an authorization request's resource names (None: no item)."""
    without: Callable[[Mapping[str, Any], list[Any]], dict[str, Any]]
    """The call's parameters with only the given items."""
    report: Callable[[dict[str, Any], list[Any], Callable[[Any], str]], None]
    """Adds the denied items to a response, given AWS's denial message of each."""
    whole_when_all_denied: bool = False
    """Deny the call itself when every item is denied."""


def _object_key(resource: str) -> str | None:
    parsed = Arn.parse(resource)
    if parsed is None or parsed.service != "s3" or "/" not in parsed.resource:
        return None
    return parsed.resource.split("/", 1)[1]


def _objects(params: Mapping[str, Any]) -> list[Any]:
    delete = params.get("Delete")
    return list(delete.get("Objects") or ()) if isinstance(delete, Mapping) else []


def _objects_without(params: Mapping[str, Any], kept: list[Any]) -> dict[str, Any]:
    return {**params, "Delete": {**params["Delete"], "Objects": kept}}


def _report_objects(
    response: dict[str, Any], denied: list[Any], message: Callable[[Any], str]
) -> None:
    errors = response.setdefault("Errors", [])
    for o in denied:
        error = {"Key": o["Key"], "Code": "AccessDenied", "Message": "Access Denied"}
        if o.get("VersionId"):
            error["VersionId"] = o["VersionId"]
        errors.append(error)


def _arn_list(key: str) -> Callable[[Mapping[str, Any]], list[Any]]:
    def items(params: Mapping[str, Any]) -> list[Any]:
        return [a for a in params.get(key) or () if isinstance(a, str)]

    return items


def _arn_list_without(key: str) -> Callable[[Mapping[str, Any], list[Any]], dict[str, Any]]:
    def without(params: Mapping[str, Any], kept: list[Any]) -> dict[str, Any]:
        return {**params, key: kept}

    return without


def _report_failed_resources(
    response: dict[str, Any], denied: list[Any], message: Callable[[Any], str]
) -> None:
    failed = response.setdefault("FailedResourcesMap", {})
    for arn in denied:
        failed[arn] = {
            "StatusCode": 403,
            "ErrorCode": "AccessDeniedException",
            "ErrorMessage": message(arn),
        }


def _report_package_errors(
    response: dict[str, Any], denied: list[Any], message: Callable[[Any], str]
) -> None:
    errors = response.setdefault("BatchDescribeModelPackageErrorMap", {})
    for arn in denied:
        errors[arn] = {"ErrorCode": "AccessDeniedException", "ErrorResponse": message(arn)}


def _same(resource: str) -> str | None:
    return resource


def _tagging(key: str) -> PerItem:
    return PerItem(_arn_list(key), str, _same, _arn_list_without(key), _report_failed_resources)


_PER_ITEM: dict[tuple[str, str], PerItem] = {
    ("s3", "DeleteObjects"): PerItem(
        _objects, lambda o: str(o.get("Key")), _object_key, _objects_without, _report_objects
    ),
    ("resourcegroupstaggingapi", "TagResources"): _tagging("ResourceARNList"),
    ("resourcegroupstaggingapi", "UntagResources"): _tagging("ResourceARNList"),
}
if BATCH_DESCRIBE_DENIED_IN_ERROR_MAP:
    _PER_ITEM[("sagemaker", "BatchDescribeModelPackage")] = PerItem(
        _arn_list("ModelPackageArnList"),
        str,
        _same,
        _arn_list_without("ModelPackageArnList"),
        _report_package_errors,
        whole_when_all_denied=True,
    )


def per_item(service: str, operation: str) -> PerItem | None:
    """The per-item rule of a batch operation, or None when AWS authorizes the call as a whole."""
    return _PER_ITEM.get((service, operation))


def denied_items(
    rule: PerItem, params: Mapping[str, Any], denied_resources: Sequence[str | None]
) -> set[str] | None:
    """The ids of the denied items, or None when the call is denied as a whole: a denied request
    names no item of the call, or every item is denied and the rule says so."""
    ids = {rule.item_id(i) for i in rule.items(params)}
    out: set[str] = set()
    for resource in denied_resources:
        item = None if resource is None else rule.request_item(resource)
        if item is None or item not in ids:
            return None
        out.add(item)
    return None if rule.whole_when_all_denied and out == ids else out

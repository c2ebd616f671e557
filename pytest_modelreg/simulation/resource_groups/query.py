"""Resource queries (``TAG_FILTERS_1_0``, ``CLOUDFORMATION_STACK_1_0``): parse, validate, evaluate.

Semantics (Resource Groups User Guide, "Build queries and groups"; ResourceQuery API reference):
a tag query selects resources of one of ``ResourceTypeFilters`` (``AWS::AllSupported`` = every
type) that match *every* tag filter, where a filter matches when the resource has the key with one
of the filter's values (any value when ``Values`` is empty). A stack query selects the resources of
one CloudFormation stack; CloudFormation is not simulated, so every stack query reports the stack
as missing in ``QueryErrors`` rather than inventing members.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from ..base import ServiceError
from . import _guesses
from .inventory import Resource

TAG_FILTERS: Final = "TAG_FILTERS_1_0"
STACK: Final = "CLOUDFORMATION_STACK_1_0"
ALL_SUPPORTED: Final = "AWS::AllSupported"
_TYPE = re.compile(r"AWS::[a-zA-Z0-9]+::[a-zA-Z0-9]+")
_STACK_ARN = re.compile(r"arn:aws(-[a-z]+)*:cloudformation:[a-z0-9-]+:\d{12}:stack/[^/]+/.+")


@dataclass(frozen=True)
class Query:
    kind: str
    types: frozenset[str]  # empty = AWS::AllSupported
    tag_filters: tuple[tuple[str, frozenset[str]], ...] = ()
    stack: str = ""

    def admits_type(self, resource_type: str) -> bool:
        return not self.types or resource_type in self.types


def _bad(why: str) -> ServiceError:
    return ServiceError("BadRequestException", _guesses.QUERY_INVALID.format(why=why), 400)


def _types(doc: Mapping[str, Any], required: bool) -> frozenset[str]:
    raw = doc.get("ResourceTypeFilters")
    if raw is None and not required:
        return frozenset()
    if not isinstance(raw, list) or not raw or not all(isinstance(t, str) for t in raw):
        raise _bad("ResourceTypeFilters must be a non-empty list of resource types")
    if ALL_SUPPORTED in raw:
        if len(raw) > 1:
            raise _bad(f"{ALL_SUPPORTED} cannot be combined with other resource types")
        return frozenset()
    for t in raw:
        if not _TYPE.fullmatch(t):
            raise _bad(f"Invalid resource type {t}")
    return frozenset(raw)


def parse(resource_query: Mapping[str, Any]) -> Query:
    """The query of a ResourceQuery structure; BadRequestException when it is not valid."""
    kind = resource_query.get("Type")
    text = resource_query.get("Query")
    if kind not in (TAG_FILTERS, STACK):
        raise _bad(f"Unsupported query type {kind}")
    if not isinstance(text, str) or len(text) > 4096:  # botocore model: max 4096
        raise _bad("Query must be a string of at most 4096 characters")
    try:
        doc = json.loads(text)
    except ValueError:
        raise _bad("Query is not valid JSON") from None
    if not isinstance(doc, dict):
        raise _bad("Query must be a JSON object")
    if kind == STACK:
        unknown = set(doc) - {"ResourceTypeFilters", "StackIdentifier"}
        stack = doc.get("StackIdentifier")
        if unknown or not isinstance(stack, str) or not _STACK_ARN.fullmatch(stack):
            raise _bad("StackIdentifier must be the ARN of a CloudFormation stack")
        return Query(STACK, _types(doc, required=False), stack=stack)
    if set(doc) - {"ResourceTypeFilters", "TagFilters"}:
        raise _bad(f"Unknown members {sorted(set(doc) - {'ResourceTypeFilters', 'TagFilters'})}")
    types = _types(doc, required=True)
    raw_filters = doc.get("TagFilters")
    if not isinstance(raw_filters, list) or not raw_filters:
        raise _bad("TagFilters must be a non-empty list")
    filters: list[tuple[str, frozenset[str]]] = []
    for f in raw_filters:
        key = f.get("Key") if isinstance(f, dict) else None
        values = f.get("Values", []) if isinstance(f, dict) else None
        if not isinstance(key, str) or not 1 <= len(key) <= 128:
            raise _bad("Each tag filter needs a Key of 1 to 128 characters")
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise _bad("Tag filter Values must be a list of strings")
        filters.append((key, frozenset(values)))
    return Query(TAG_FILTERS, types, tag_filters=tuple(filters))


def matches_tags(tags: Mapping[str, str], filters: Sequence[tuple[str, frozenset[str]]]) -> bool:
    for key, values in filters:
        value = tags.get(key)
        if value is None or (values and value not in values):
            return False
    return True


def evaluate(
    q: Query, resources: Iterable[Resource], self_arn: str
) -> tuple[list[Resource], list[dict[str, str]]]:
    """(members, QueryErrors) of a query over ``resources``."""
    if q.kind == STACK:
        message = _guesses.STACK_NOT_EXISTING.format(stack=q.stack)
        return [], [{"ErrorCode": "CLOUDFORMATION_STACK_NOT_EXISTING", "Message": message}]
    members = [
        r
        for r in resources
        if matches_tags(r.tags, q.tag_filters)  # tags first: most resources fail there
        and q.admits_type(r.resource_type)
        and not (_guesses.GROUP_EXCLUDES_ITSELF and r.arn == self_arn)
    ]
    return members, []

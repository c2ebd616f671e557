"""Search and GetSearchSuggestions over ModelPackage and ModelPackageGroup (the Search, Filter,
NestedFilters and SearchRecord shapes of botocore's SageMaker model and their documentation).

Property names are checked against botocore's SearchRecord shapes, and the shape decides how a
filter's Value is typed (text, number, timestamp, boolean). Filters read the stored records in
place; only the returned page is copied.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape

from ..base import CallContext, ServiceError
from . import _guesses, index, pagination
from .clock import to_ms
from .core import Core, copy, tag_list, validation
from .groups import _statement_grants
from .state import Group, Package
from .validation import shape

RESOURCES = ("ModelPackage", "ModelPackageGroup")
_NUMERIC = ("integer", "long", "float", "double")
_RANGE_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "GreaterThan": operator.gt,
    "GreaterThanOrEqualTo": operator.ge,
    "LessThan": operator.lt,
    "LessThanOrEqualTo": operator.le,
}


@dataclass
class _Record:
    __slots__ = ("created_ms", "doc", "modified_ms", "seq", "tags")
    doc: Mapping[str, Any]
    tags: Mapping[str, str]
    created_ms: int
    modified_ms: int | None
    seq: int


def _record_shape(resource: str) -> StructureShape:
    sh = shape("SearchRecord")
    assert isinstance(sh, StructureShape)
    member = sh.members[resource]
    assert isinstance(member, StructureShape)
    return member


def _resolve_shape(root: Shape, name: str, full_name: str) -> Shape:
    """The leaf shape of a dotted property path, or ValidationException for an unknown name."""
    sh = root
    parts = name.split(".")
    i = 0
    while i < len(parts):
        part = parts[i]
        if isinstance(sh, ListShape):
            sh = sh.member
            continue
        if isinstance(sh, StructureShape):
            if part == "Tags" and sh.name in ("ModelPackage", "ModelPackageGroup"):
                if i + 1 >= len(parts):
                    return sh.members["Tags"]
                return shape("TagValue")  # "Tags.<key>": the rest is the key, dots included
            member = sh.members.get(part)
            if member is None:
                raise validation(_guesses.SEARCH_UNKNOWN_PROPERTY.format(name=full_name))
            sh = member
        elif isinstance(sh, MapShape):
            sh = sh.value
        else:
            raise validation(_guesses.SEARCH_UNKNOWN_PROPERTY.format(name=full_name))
        i += 1
    return sh


def _values(data: Any, parts: list[str], tags: Mapping[str, str] | None) -> list[Any]:
    """Every leaf value at ``parts`` (lists fan out), reading stored data without copying."""
    if parts and parts[0] == "Tags" and tags is not None:
        if len(parts) == 1:
            return [tag_list(tags)] if tags else []
        key = ".".join(parts[1:])
        return [tags[key]] if key in tags else []
    if len(parts) == 1 and type(data) is dict:  # the common case: a top-level member
        v = data.get(parts[0])
        if v is None:
            return []
        if type(v) is list and v and type(v[0]) is not dict:
            return list(v)
        return [v]
    current = [data]
    for part in parts:
        nxt: list[Any] = []
        for item in current:
            # Stored records are plain dicts and lists (core.copy), so exact type checks suffice.
            if type(item) is list:
                for el in item:
                    if type(el) is dict and part in el:
                        nxt.append(el[part])
            elif type(item) is dict and part in item:
                nxt.append(item[part])
        current = nxt
        if not current:
            return []
    out: list[Any] = []
    for v in current:
        if type(v) is list and v and type(v[0]) is not dict:
            out.extend(v)
        else:
            out.append(v)
    return out


Predicate = Callable[[Any, Mapping[str, str] | None], bool]


class _Compiler:
    def __init__(self, root: StructureShape) -> None:
        self.root = root
        self.count = 0
        self.contains = 0

    def _leaf_kind(self, sh: Shape) -> str:
        if sh.type_name == "string":
            return "text"
        if sh.type_name in _NUMERIC:
            return "number"
        return sh.type_name  # timestamp, boolean, structure, list, map

    def filter(self, f: Mapping[str, Any], root: Shape, prefix: str = "") -> Predicate:
        full = f["Name"]
        name = full
        if prefix:
            if not full.startswith(prefix + "."):
                raise validation(_guesses.SEARCH_NESTED_PREFIX.format(name=full, prefix=prefix))
            name = full[len(prefix) + 1 :]
        op = f.get("Operator", "Equals")  # Filter docs: a Value without an Operator is Equals
        leaf = _resolve_shape(root, name, full)
        kind = self._leaf_kind(leaf)
        parts = name.split(".")
        if op in ("Exists", "NotExists"):
            want = op == "Exists"
            return lambda d, t: bool(_values(d, parts, t)) is want
        if "Value" not in f:
            raise validation(_guesses.SEARCH_VALUE_MISSING.format(name=full, operator=op))
        raw: str = f["Value"]
        if op in ("In", "Contains") and kind != "text":
            raise validation(_guesses.SEARCH_OPERATOR_TYPE.format(operator=op, name=full))
        if op in _RANGE_OPS and kind not in ("number", "timestamp"):
            raise validation(_guesses.SEARCH_OPERATOR_TYPE.format(operator=op, name=full))
        if op == "Contains":
            self.contains += 1
            if self.contains > 1:
                raise validation("'CONTAINS' operator usage limit of 1 exceeded.")  # [MODEL doc]
        target, norm = self._typed(raw, kind, full)
        if op == "In":
            allowed = {s.strip() for s in raw.split(",")}
            return lambda d, t: any(v in allowed for v in _values(d, parts, t))
        if op == "Contains":
            return lambda d, t: any(isinstance(v, str) and raw in v for v in _values(d, parts, t))
        if op == "Equals":
            return lambda d, t: any(norm(v) == target for v in _values(d, parts, t))
        if op == "NotEquals":
            missing = _guesses.NOT_EQUALS_MATCHES_MISSING

            def _ne(d: Any, t: Mapping[str, str] | None) -> bool:
                vals = _values(d, parts, t)
                return missing if not vals else all(norm(v) != target for v in vals)

            return _ne
        cmp = _RANGE_OPS[op]
        return lambda d, t: any(
            (n := norm(v)) is not None and cmp(n, target) for v in _values(d, parts, t)
        )

    def _typed(self, raw: str, kind: str, name: str) -> tuple[Any, Callable[[Any], Any]]:
        """The filter value in comparable form, and how to normalise a record value likewise."""
        if kind == "number":
            try:
                return float(raw), _as_float
            except ValueError:
                raise validation(_guesses.SEARCH_BAD_NUMBER.format(value=raw, name=name)) from None
        if kind == "timestamp":
            try:
                return to_ms(raw), _as_ms
            except (ValueError, TypeError):
                raise validation(
                    _guesses.SEARCH_BAD_TIMESTAMP.format(value=raw, name=name)
                ) from None
        if kind == "boolean":
            return raw.lower() == "true", _identity
        return raw, _identity

    def expression(self, e: Mapping[str, Any], root: Shape) -> Predicate:
        filters = e.get("Filters") or []
        nested = e.get("NestedFilters") or []
        subs = e.get("SubExpressions") or []
        self.count += len(filters) + len(nested) + len(subs)
        if self.count > 50:
            raise validation(_guesses.SEARCH_TOO_COMPLEX)
        if not (filters or nested or subs):
            raise validation(_guesses.SEARCH_EMPTY_EXPRESSION)
        preds = [self.filter(f, root) for f in filters]
        preds += [self.nested(n, root) for n in nested]
        preds += [self.expression(s, root) for s in subs]
        if e.get("Operator", "And") == "Or":
            return lambda d, t: any(p(d, t) for p in preds)
        return lambda d, t: all(p(d, t) for p in preds)

    def nested(self, n: Mapping[str, Any], root: Shape) -> Predicate:
        """NestedFilters: one element of the list property must satisfy every filter (the model's
        NestedFilters documentation)."""
        prop = n["NestedPropertyName"]
        list_shape = _resolve_shape(root, prop, prop)
        if not isinstance(list_shape, ListShape):
            raise validation(_guesses.SEARCH_OPERATOR_TYPE.format(operator="Nested", name=prop))
        element = list_shape.member
        preds = [self.filter(f, element, prefix=prop) for f in n["Filters"]]
        parts = prop.split(".")

        def _nested(d: Any, t: Mapping[str, str] | None) -> bool:
            for lst in _values(d, parts, t):
                items = lst if isinstance(lst, list) else [lst]
                if any(all(p(el, None) for p in preds) for el in items):
                    return True
            return False

        return _nested


def _as_float(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return float(v)


def _as_ms(v: Any) -> int | None:
    try:
        return to_ms(v)
    except (ValueError, TypeError):
        return None


def _identity(v: Any) -> Any:
    return v


def _records(
    core: Core, resource: str, params: Mapping[str, Any], ctx: CallContext
) -> Iterable[_Record]:
    cross = params.get("CrossAccountFilterOption") == "CrossAccount"
    if cross:
        action = "sagemaker:Describe" + resource
        for (acct, region), b in core.backends.items():
            if acct == ctx.account_id or region != ctx.region:
                continue
            for g in b.groups.values():
                if not _statement_grants(g.policy, action, ctx):
                    continue
                if resource == "ModelPackageGroup":
                    yield _Record(g.doc, g.tags, g.creation_ms, None, g.seq)
                else:
                    for p in g.versions.values():
                        yield _Record(p.doc, p.tags, p.creation_ms, p.modified_ms, p.seq)
        return
    own = core.peek(ctx.account_id, ctx.region)
    if own is None:
        return
    if resource == "ModelPackageGroup":
        for g in own.groups.values():
            yield _Record(g.doc, g.tags, g.creation_ms, None, g.seq)
    else:
        for p in own.packages.values():
            yield _Record(p.doc, p.tags, p.creation_ms, p.modified_ms, p.seq)


def _sort_value(rec: _Record, parts: list[str], fallback: list[str] | None) -> tuple[Any, ...]:
    # The two timestamp sorts read the stored epoch ms (datetime.timestamp() is slow).
    if parts == ["CreationTime"]:
        return (0, 1, rec.created_ms)
    if parts == ["LastModifiedTime"]:
        if rec.modified_ms is not None:
            return (0, 1, rec.modified_ms)
        if fallback == ["CreationTime"]:
            return (0, 1, rec.created_ms)
    vals = _values(rec.doc, parts, rec.tags)
    if not vals and fallback is not None:
        vals = _values(rec.doc, fallback, rec.tags)
    if not vals:
        return (1, 0, "")  # records lacking the property sort last [INFERRED]
    v = vals[0]
    if isinstance(v, bool):
        return (0, 1, int(v))
    if isinstance(v, (int, float)):
        return (0, 1, v)
    if hasattr(v, "timestamp"):
        return (0, 1, to_ms(v))
    if isinstance(v, str):
        return (0, 2, v)
    return (0, 3, json.dumps(v, sort_keys=True, default=str))


def _require_registry_resource(resource: str) -> None:
    if resource not in RESOURCES:  # claims() sends these to moto; never answer them wrongly here
        raise ServiceError(
            "UnknownOperationException", f"The registry does not search {resource} resources."
        )


def search(core: Core, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
    resource = params["Resource"]
    _require_registry_resource(resource)
    root = _record_shape(resource)
    after = pagination.decode("Search", params.get("NextToken"))
    limit = pagination.max_results(params, _guesses.DEFAULT_PAGE_SIZE)
    descending = params.get("SortOrder", "Descending") == "Descending"
    sort_by = params.get("SortBy")
    fallback: list[str] | None = None
    if sort_by is None:
        sort_by = "LastModifiedTime" if "LastModifiedTime" in root.members else "CreationTime"
        fallback = [_guesses.LAST_MODIFIED_FALLBACK]
    elif sort_by == "LastModifiedTime":
        fallback = [_guesses.LAST_MODIFIED_FALLBACK]
    _resolve_shape(root, sort_by, sort_by)
    sort_parts = sort_by.split(".")
    expr = params.get("SearchExpression")
    pred = _Compiler(root).expression(expr, root) if expr is not None else None
    visibility = [
        (c["Key"][len("Tags.") :], c.get("Value"))
        for c in params.get("VisibilityConditions") or []
        if c.get("Key", "").startswith("Tags.")
    ]

    def accept(doc: Mapping[str, Any], tags: Mapping[str, str]) -> bool:
        if pred is not None and not pred(doc, tags):
            return False
        return all(tags.get(k) == v for k, v in visibility)

    plan = _plan(params, resource, expr, sort_parts, fallback)
    own = core.peek(ctx.account_id, ctx.region)
    found = None
    if plan is not None and own is not None:
        found = _indexed(own.index, plan, after, descending, limit, accept)
    if found is None:
        found = _scanned(core, params, ctx, sort_parts, fallback, after, descending, limit, accept)
    page, next_key, total = found
    members = root.members
    results = []
    for doc, tags in page:
        item = {k: copy(v) for k, v in doc.items() if k in members}
        item["Tags"] = tag_list(tags)
        results.append({resource: item})
    out: dict[str, Any] = {"Results": results}
    if next_key is not None:
        out["NextToken"] = pagination.encode("Search", next_key)
    out["TotalHits"] = {"Value": total, "Relation": "EqualTo"}
    return out


Accept = Callable[[Mapping[str, Any], Mapping[str, str]], bool]
Found = tuple[list[tuple[Mapping[str, Any], Mapping[str, str]]], "index.Key | None", int]


def _scanned(
    core: Core,
    params: Mapping[str, Any],
    ctx: CallContext,
    sort_parts: list[str],
    fallback: list[str] | None,
    after: index.Key | None,
    descending: bool,
    limit: int,
    accept: Accept,
) -> Found:
    """Every record filtered and sorted: any query, at a cost that grows with the registry."""
    rows = sorted(
        ((*_sort_value(rec, sort_parts, fallback), rec.seq), rec)
        for rec in _records(core, params["Resource"], params, ctx)
        if accept(rec.doc, rec.tags)
    )
    page, next_key = pagination.page_sorted(
        [r[0] for r in rows], [r[1] for r in rows], after, limit, descending
    )
    return [(r.doc, r.tags) for r in page], next_key, len(rows)


@dataclass(frozen=True)
class _Plan:
    """A package Search the index answers: walk ``kind`` ordering of the smallest bucket."""

    kind: str  # "created" or "modified"
    buckets: list[index.Bucket]
    bounds: index.Bounds  # of CreationTime, in the created ordering
    covered: bool  # the buckets and bounds are the whole query: TotalHits is a count of keys


# Properties an Equals filter on which selects an index bucket.
_BUCKETED = {"ModelApprovalStatus": "status", "ModelPackageGroupName": "group"}
_RANGES = (*_RANGE_OPS, "Equals")


def _plan(
    params: Mapping[str, Any],
    resource: str,
    expr: Mapping[str, Any] | None,
    sort_parts: list[str],
    fallback: list[str] | None,
) -> _Plan | None:
    """How the index answers this Search, or None when only a scan can."""
    if resource != "ModelPackage" or params.get("CrossAccountFilterOption") == "CrossAccount":
        return None
    if sort_parts == ["CreationTime"]:
        kind = "created"
    elif sort_parts == ["LastModifiedTime"] and fallback == ["CreationTime"]:
        kind = "modified"
    else:
        return None
    covered = not params.get("VisibilityConditions")
    buckets: list[index.Bucket] = []
    bounds = index.UNBOUNDED
    if expr is not None:
        filters = expr.get("Filters") or []
        others = [*(expr.get("NestedFilters") or []), *(expr.get("SubExpressions") or [])]
        if expr.get("Operator", "And") == "Or" and len(filters) + len(others) > 1:
            return None
        covered = covered and not others
        for f in filters:
            name, op, value = f["Name"], f.get("Operator", "Equals"), f.get("Value")
            if op == "Equals" and name in _BUCKETED and isinstance(value, str):
                buckets.append((_BUCKETED[name], value))
            elif name == "CreationTime" and op in _RANGES and value is not None:
                bounds = index.narrow(bounds, index.creation_bounds(op, to_ms(value)))
            else:
                covered = False
    return _Plan(kind, buckets, bounds, covered and len(buckets) <= 1)


def _indexed(
    packages: index.PackageIndex,
    plan: _Plan,
    after: index.Key | None,
    descending: bool,
    limit: int,
    accept: Accept,
) -> Found:
    """A package Search answered by walking an index ordering: a first page costs what it
    walks, not the registry's size."""
    bucket = packages.smallest(plan.buckets)
    created = packages.ordering("created", bucket)
    start, stop = created.span(*plan.bounds)

    def take(pkg: Package) -> bool:
        return accept(pkg.doc, pkg.tags)

    def in_range() -> Iterator[Package]:
        return (packages.by_seq[key[-1]] for key in created.keys[start:stop])

    try:
        if plan.kind == "created":
            found = index.walk_page(packages, created, plan.bounds, after, descending, limit, take)
        else:
            # Creation bounds do not bound LastModifiedTime: walk from the latest change, for no
            # longer than sorting the packages created in range would cost, then sort those.
            budget = None if plan.bounds == index.UNBOUNDED else stop - start + limit
            ordering = packages.ordering("modified", bucket)
            found = index.walk_page(
                packages, ordering, index.UNBOUNDED, after, descending, limit, take, budget
            )
    except TypeError:  # a token of another query
        raise validation(_guesses.INVALID_TOKEN) from None
    if found is None:
        rows = sorted((index.modified_key(p), p) for p in in_range() if take(p))
        found = pagination.page_sorted(
            [r[0] for r in rows], [r[1] for r in rows], after, limit, descending
        )
    page, next_key = found
    total = stop - start if plan.covered else sum(1 for p in in_range() if take(p))
    return [(p.doc, p.tags) for p in page], next_key, total


def suggestions(core: Core, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
    """Tags.<key> (and CustomerMetadataProperties.<key> of packages) whose name starts with the
    hint ("Only property names that begin with the specified hint are included", the model)."""
    resource = params["Resource"]
    _require_registry_resource(resource)
    query = params.get("SuggestionQuery") or {}
    hint = ((query.get("PropertyNameQuery") or {}).get("PropertyNameHint") or "").lower()
    names: set[str] = set()
    b = core.peek(ctx.account_id, ctx.region)
    if b is not None:
        items: Iterable[Group | Package] = (
            b.groups.values() if resource == "ModelPackageGroup" else b.packages.values()
        )
        for r in items:
            names.update(f"Tags.{k}" for k in r.tags)
            if isinstance(r, Package):
                names.update(
                    f"CustomerMetadataProperties.{k}"
                    for k in r.doc.get("CustomerMetadataProperties") or {}
                )
    return {
        "PropertyNameSuggestions": [
            {"PropertyName": n} for n in sorted(names) if n.lower().startswith(hint)
        ]
    }


def claims(params: Mapping[str, Any]) -> bool:
    return params.get("Resource") in RESOURCES

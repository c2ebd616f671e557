"""Contract checker: does a response conform to an operation's botocore output shape?

Checks member names (no member the model lacks), required members, Python types as botocore's parser
produces them (timezone-aware datetimes for timestamps, int for integer/long, ...) and enum values.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import botocore.session
from botocore.model import ListShape, MapShape, Shape, StructureShape

_MODEL = botocore.session.get_session().get_service_model("sagemaker")


def problems(value: Any, shape: Shape, path: str = "") -> list[str]:
    """Every way ``value`` deviates from ``shape`` (empty list when it conforms)."""
    out: list[str] = []
    where = path or "<root>"
    if isinstance(shape, StructureShape):
        if not isinstance(value, Mapping):
            return [f"{where}: expected a dict for {shape.name}, got {type(value).__name__}"]
        for name in value:
            if name not in shape.members:
                out.append(f"{where}: member {name!r} is not in {shape.name}")
        for name in shape.required_members:
            if name not in value:
                out.append(f"{where}: required member {name!r} of {shape.name} is missing")
        for name, v in value.items():
            if name in shape.members:
                if v is None:
                    out.append(f"{path}.{name}: None (absent members must be omitted)")
                else:
                    out.extend(problems(v, shape.members[name], f"{path}.{name}"))
        return out
    if isinstance(shape, ListShape):
        if not isinstance(value, list):
            return [f"{where}: expected a list, got {type(value).__name__}"]
        for i, item in enumerate(value):
            out.extend(problems(item, shape.member, f"{path}[{i}]"))
        return out
    if isinstance(shape, MapShape):
        if not isinstance(value, Mapping):
            return [f"{where}: expected a dict (map), got {type(value).__name__}"]
        for k, v in value.items():
            out.extend(problems(k, shape.key, f"{path}{{key}}"))
            out.extend(problems(v, shape.value, f"{path}[{k!r}]"))
        return out
    t = shape.type_name
    if t == "string":
        if not isinstance(value, str):
            return [f"{where}: expected str, got {type(value).__name__}"]
        enum = getattr(shape, "enum", None)
        if enum and value not in enum:
            return [f"{where}: {value!r} is not one of {shape.name}'s enum values"]
    elif t in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            return [f"{where}: expected int, got {type(value).__name__}"]
    elif t in ("float", "double"):
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return [f"{where}: expected float, got {type(value).__name__}"]
    elif t == "boolean":
        if not isinstance(value, bool):
            return [f"{where}: expected bool, got {type(value).__name__}"]
    elif t == "timestamp":
        if not isinstance(value, datetime) or value.tzinfo is None:
            return [f"{where}: expected a timezone-aware datetime, got {value!r}"]
    elif t == "blob" and not isinstance(value, (bytes, bytearray)):
        return [f"{where}: expected bytes, got {type(value).__name__}"]
    return out


def assert_conforms(operation: str, response: Mapping[str, Any]) -> None:
    """Fail when ``response`` is not what botocore would hand back for ``operation``."""
    shape = _MODEL.operation_model(operation).output_shape
    if shape is None:
        assert response == {}, f"{operation} has no output shape but returned {response!r}"
        return
    found = problems(response, shape)
    assert not found, f"{operation} response does not conform:\n  " + "\n  ".join(found)

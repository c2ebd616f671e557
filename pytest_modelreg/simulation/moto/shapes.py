"""moto's JSON answers brought within botocore's output shapes.

moto writes some optional members it was never given as an empty object (SageMaker
DescribeModel ``VpcConfig: {}``, DescribeEndpointConfig / DescribeEndpoint
``DataCaptureConfig: {}``). AWS omits a member that is not configured, and an empty object cannot
be a value of a structure with required members (botocore's SageMaker model: ``VpcConfig``
requires ``SecurityGroupIds`` and ``Subnets``), so clients that validate answers against the model,
as SageMaker Python SDK v3 does with pydantic, reject it. Such members are dropped; everything else
passes through byte for byte.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape

from pytest_modelreg._botocore_models import service_model

_JSON_PROTOCOLS = frozenset({"json", "rest-json"})


def within_output_shape(service: str, operation: str, body: bytes) -> bytes:
    """``body`` without the empty objects its output shape does not allow."""
    model = service_model(service)  # cached: the protocol is a dict lookup
    if model.metadata.get("protocol") not in _JSON_PROTOCOLS or b"{}" not in body:
        return body  # S3 object bodies, however large, are never scanned
    shape = model.operation_model(operation).output_shape
    try:
        answer = json.loads(body)
    except ValueError:
        return body
    if shape is None or not isinstance(answer, dict) or not _prune(answer, shape):
        return body
    return json.dumps(answer).encode("utf-8")


def _prune(value: Any, shape: Shape) -> bool:
    """Drop, in place, empty objects where ``shape`` requires members; True when something went."""
    changed = False
    if isinstance(shape, StructureShape) and isinstance(value, dict):
        for name, member in shape.members.items():
            key = member.serialization.get("name", name)
            item = value.get(key)
            if item == {} and isinstance(member, StructureShape) and member.required_members:
                del value[key]
                changed = True
            elif item is not None:
                changed |= _prune(item, member)
    elif isinstance(shape, ListShape) and isinstance(value, list):
        for item in value:
            changed |= _prune(item, shape.member)
    elif isinstance(shape, MapShape) and isinstance(value, dict):
        for item in value.values():
            changed |= _prune(item, shape.value)
    return changed

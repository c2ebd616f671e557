"""The HTTP answer to a raw request, laid out in the protocol of the service that answers it.

Errors (botocore.parsers reads each of these back as the same ``Error.Code`` / ``Error.Message``):

* JSON (awsJson): status, ``{"__type": <code>, "message": <message>}``;
* REST-JSON: ``x-amzn-ErrorType: <code>``, ``{"message": <message>}`` (the layout of
  ``MissingAuthenticationTokenException`` in aws/amazon-sagemaker-examples#290);
* query: ``<ErrorResponse><Error><Type>Sender</Type><Code/><Message/></Error><RequestId/>``
  (IAM and STS);
* S3 (REST-XML): ``<Error><Code/><Message/>...<RequestId/><HostId/></Error>`` (Amazon S3 API
  Reference, "Error responses"); an expired presigned URL adds ``<X-Amz-Expires>``, ``<Expires>``
  and ``<ServerTime>`` (aws/aws-sdk-php#1333, aws/aws-sdk-js#3493). A HEAD answer has no body.

Successful answers the simulation produced in-process (the Model Registry, caller identity,
Resource Groups) are written from botocore's output shape: JSON bodies with epoch-second
timestamps, query-protocol XML inside ``<Op>Response``/``<Op>Result``. Everything moto serves
comes back from moto as moto wrote it.
"""

from __future__ import annotations

import base64
import json
import secrets
import uuid
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any
from xml.etree import ElementTree as ET

from botocore.model import OperationModel, Shape

from pytest_modelreg._botocore_models import service_model
from pytest_modelreg.errors import SimulationError
from pytest_modelreg.raw_http._guesses import POLICY_EXPIRED_MESSAGE
from pytest_modelreg.raw_http.messages import RawResponse
from pytest_modelreg.raw_http.signatures import Expiry

__all__ = ["error_answer", "expired_answer", "parsed_answer"]


def parsed_answer(
    service: str, operation: OperationModel, method: str, status: int, parsed: Mapping[str, Any]
) -> RawResponse:
    """The HTTP form of an answer given as botocore's parsed dict (an ``Error`` or the output)."""
    if status >= 300:
        error = parsed.get("Error", {})
        return error_answer(service, method, status, str(error["Code"]), str(error["Message"]))
    protocol = service_model(service).metadata["protocol"]
    request_id = str(uuid.uuid4())
    shape = operation.output_shape
    output = {k: v for k, v in parsed.items() if k != "ResponseMetadata"}
    if protocol == "query":
        return RawResponse.of(
            status,
            [("x-amzn-RequestId", request_id), ("Content-Type", "text/xml")],
            _query_xml(service, operation, shape, output, request_id),
        )
    if protocol in ("json", "rest-json", "smithy-rpc-v2-cbor"):
        # The Tagging API also speaks awsJson, which is how a raw request reached it.
        headers: list[tuple[str, object]] = [
            ("x-amzn-RequestId", request_id),
            ("Content-Type", _json_content_type(service)),
        ]
        body: Any = {}
        if shape is not None:
            payload = shape.serialization.get("payload")
            for member, value in output.items():
                member_shape = shape.members.get(member)
                if member_shape is None:
                    continue
                if member_shape.serialization.get("location") == "header":
                    headers.append((member_shape.serialization.get("name", member), value))
                elif payload is None:
                    body[member_shape.serialization.get("name", member)] = _json(
                        member_shape, value
                    )
                elif member == payload:
                    body = _json(member_shape, value)
        return RawResponse.of(status, headers, json.dumps(body).encode())
    raise SimulationError(
        f"pytest-modelreg answered {service}.{operation.name} in-process, but cannot write a "
        f"{protocol} answer for a raw HTTP request; please report it"
    )


def error_answer(service: str, method: str, status: int, code: str, message: str) -> RawResponse:
    """An error answer in ``service``'s protocol."""
    protocol = service_model(service).metadata["protocol"]
    request_id = str(uuid.uuid4())
    if protocol == "rest-xml":
        return s3_error(method, status, [("Code", code), ("Message", message)])
    if protocol == "query":
        namespace = service_model(service).metadata.get("xmlNamespace", "")
        root = ET.Element("ErrorResponse", {"xmlns": namespace} if namespace else {})
        error = ET.SubElement(root, "Error")
        for tag, text in (("Type", "Sender"), ("Code", code), ("Message", message)):
            ET.SubElement(error, tag).text = text
        ET.SubElement(root, "RequestId").text = request_id
        return RawResponse.of(
            status,
            [("x-amzn-RequestId", request_id), ("Content-Type", "text/xml")],
            _xml_bytes(root),
        )
    headers: list[tuple[str, object]] = [
        ("x-amzn-RequestId", request_id),
        ("Content-Type", _json_content_type(service)),
    ]
    if protocol == "rest-json":
        headers.append(("x-amzn-ErrorType", code))
        body: dict[str, str] = {"message": message}
    else:
        body = {"__type": code, "message": message}
    return RawResponse.of(status, headers, json.dumps(body).encode())


def expired_answer(method: str, expiry: Expiry) -> RawResponse:
    """S3's answer to a presigned URL or POST policy used after it expired: 403 AccessDenied."""
    if expiry.policy:
        return s3_error(
            method, 403, [("Code", "AccessDenied"), ("Message", POLICY_EXPIRED_MESSAGE)]
        )
    elements = [("Code", "AccessDenied"), ("Message", "Request has expired")]
    if expiry.expires_in is not None:
        elements.append(("X-Amz-Expires", expiry.expires_in))
    elements += [("Expires", _iso(expiry.expires)), ("ServerTime", _iso(expiry.server_time))]
    return s3_error(method, 403, elements)


def s3_error(method: str, status: int, elements: list[tuple[str, str]]) -> RawResponse:
    """An S3 XML error (``Code``, ``Message`` and the rest of ``elements``), or a bare status for
    HEAD."""
    request_id = secrets.token_hex(8).upper()
    host_id = base64.b64encode(secrets.token_bytes(48)).decode()
    headers: list[tuple[str, object]] = [("x-amz-request-id", request_id), ("x-amz-id-2", host_id)]
    if method == "HEAD":
        return RawResponse.of(status, headers, b"")
    root = ET.Element("Error")
    for tag, text in [*elements, ("RequestId", request_id), ("HostId", host_id)]:
        ET.SubElement(root, tag).text = text
    headers.append(("Content-Type", "application/xml"))
    return RawResponse.of(
        status, headers, ET.tostring(root, encoding="utf-8", xml_declaration=True)
    )


def _xml_bytes(root: ET.Element) -> bytes:
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def _json_content_type(service: str) -> str:
    metadata = service_model(service).metadata
    if metadata["protocol"] == "rest-json":
        return "application/json"
    return f"application/x-amz-json-{metadata.get('jsonVersion', '1.0')}"


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _json(shape: Shape, value: Any) -> Any:
    """``value`` as JSON protocols carry it: epoch-second timestamps, base64 blobs."""
    kind = shape.type_name
    if kind == "structure" and isinstance(value, Mapping):
        members = shape.members  # type: ignore[attr-defined]
        return {
            members[k].serialization.get("name", k): _json(members[k], v)
            for k, v in value.items()
            if k in members
        }
    if kind == "list":
        return [_json(shape.member, v) for v in value]  # type: ignore[attr-defined]
    if kind == "map":
        return {k: _json(shape.value, v) for k, v in value.items()}  # type: ignore[attr-defined]
    if kind == "timestamp" and isinstance(value, datetime):
        if shape.serialization.get("timestampFormat") == "iso8601":
            return _iso(value)
        stamp = (
            value.timestamp() if value.tzinfo else value.replace(tzinfo=timezone.utc).timestamp()
        )
        return int(stamp) if stamp == int(stamp) else stamp
    if kind == "blob" and isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode()
    return value


def _query_xml(
    service: str,
    operation: OperationModel,
    shape: Shape | None,
    output: Mapping[str, Any],
    request_id: str,
) -> bytes:
    namespace = service_model(service).metadata.get("xmlNamespace", "")
    root = ET.Element(f"{operation.name}Response", {"xmlns": namespace} if namespace else {})
    if shape is not None:
        wrapper = shape.serialization.get("resultWrapper", f"{operation.name}Result")
        _xml(ET.SubElement(root, wrapper), shape, output)
    metadata = ET.SubElement(root, "ResponseMetadata")
    ET.SubElement(metadata, "RequestId").text = request_id
    return _xml_bytes(root)


def _xml(element: ET.Element, shape: Shape, value: Any) -> None:
    """Fill ``element`` with ``value`` as the query protocol's XML lays out ``shape``."""
    kind = shape.type_name
    if kind == "structure":
        members = shape.members  # type: ignore[attr-defined]
        for member, member_value in value.items():
            if member in members and member_value is not None:
                name = members[member].serialization.get("name", member)
                _xml(ET.SubElement(element, name), members[member], member_value)
    elif kind == "list":
        item_name = shape.member.serialization.get("name", "member")  # type: ignore[attr-defined]
        for item in value:
            _xml(ET.SubElement(element, item_name), shape.member, item)  # type: ignore[attr-defined]
    elif kind == "map":
        for key, item in value.items():
            entry = ET.SubElement(element, "entry")
            ET.SubElement(entry, "key").text = str(key)
            _xml(ET.SubElement(entry, "value"), shape.value, item)  # type: ignore[attr-defined]
    elif kind == "timestamp" and isinstance(value, datetime):
        element.text = _iso(value)
    elif kind == "boolean":
        element.text = "true" if value else "false"
    elif kind == "blob" and isinstance(value, (bytes, bytearray)):
        element.text = base64.b64encode(value).decode()
    else:
        element.text = str(value)

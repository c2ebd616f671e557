"""A raw HTTP request read as the operation botocore would have called, with its parameters.

Everything comes from botocore's service model of the addressed service:

* JSON protocols (SageMaker, ECR, KMS, the Tagging API): ``X-Amz-Target: <targetPrefix>.<Op>``
  names the operation; the JSON body is its input.
* Query protocol (IAM, STS): ``Action=<Op>`` in the form body (or the query string); the other
  fields are the input, flattened as botocore's query serializer flattens it
  (``Tags.member.1.Key``).
* REST protocols (S3, Resource Groups): the method and path match one operation's
  ``http.requestUri`` template (``/{Bucket}/{Key+}?tagging``); labels, query-string and header
  members, and the body make the input. When several templates match (``PUT /{Bucket}/{Key+}`` is
  PutObject, CopyObject or UploadPart), the one whose required query and header members the
  request carries wins.
* An S3 ``POST`` of a ``multipart/form-data`` form to a bucket is a browser upload (what
  ``generate_presigned_post`` prepares): PutObject of the form's ``key`` (Amazon S3 API
  Reference, "POST Object"; botocore has no operation for it).

Bodies are decoded with botocore's own parsers run over the operation's input shape. Anything
that names no operation, or more than one, is refused: :class:`RequestRefusedError`.
"""

from __future__ import annotations

import base64
import email.policy
import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from email.message import MIMEPart
from email.parser import BytesParser
from typing import Any
from urllib.parse import parse_qsl, unquote

from botocore.compat import HTTPHeaders
from botocore.model import OperationModel, Shape, StructureShape
from botocore.parsers import create_parser
from botocore.utils import parse_timestamp

from pytest_modelreg._botocore_models import service_model
from pytest_modelreg.raw_http.messages import RawRequest, RequestRefusedError

__all__ = ["Operation", "form_parts", "parse_operation", "post_form"]


@dataclass(frozen=True)
class Operation:
    """The operation a raw request calls."""

    service: str
    model: OperationModel
    params: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.model.name)


def parse_operation(
    service: str, request: RawRequest, bucket: str | None, form: Mapping[str, str] | None
) -> Operation:
    """The operation ``request`` calls on ``service`` (botocore name); ``bucket`` is the bucket a
    virtual-hosted S3 host names, ``form`` the fields of an S3 POST upload."""
    model = service_model(service)
    if (request.header("smithy-protocol") or "").lower() == "rpc-v2-cbor":
        raise _refuse(request, "requests in the smithy-rpc-v2-cbor protocol are not read")
    target = request.header("x-amz-target")
    if target is not None:
        return _json_operation(service, request, target)
    protocol = model.metadata["protocol"]
    if protocol == "query":
        return _query_operation(service, request)
    if protocol in ("rest-json", "rest-xml"):
        path = _s3_path(request, bucket) if service == "s3" else request.parts.path or "/"
        if form is not None:
            return _post_upload(service, request, path, form)
        return _rest_operation(service, request, path)
    raise _refuse(request, f"{service} requests must name their operation in X-Amz-Target")


def _refuse(request: RawRequest, why: str) -> RequestRefusedError:
    return RequestRefusedError(request.method, request.url, why)


# -- JSON ---------------------------------------------------------------------------------------
def _json_operation(service: str, request: RawRequest, target: str) -> Operation:
    model = service_model(service)
    prefix, _dot, name = target.rpartition(".")
    if request.method != "POST" or prefix != model.metadata.get("targetPrefix"):
        raise _refuse(request, f"X-Amz-Target {target!r} names no {service} operation")
    operation = _operation_model(service, name)
    if operation is None:
        raise _refuse(request, f"X-Amz-Target {target!r} names no {service} operation")
    params = _parse_body("json", request, operation.input_shape, request.body)
    return Operation(service, operation, params)


def _operation_model(service: str, name: str) -> OperationModel | None:
    model = service_model(service)
    if name not in model.operation_names:
        return None
    return model.operation_model(name)


def _parse_body(
    protocol: str, request: RawRequest, shape: StructureShape | None, body: bytes
) -> dict[str, Any]:
    """The input members botocore's response parser for ``protocol`` reads from the headers and
    body (a request's input shape is laid out as a response's output shape would be)."""
    if shape is None:
        return {}
    headers = HTTPHeaders()
    for name, value in request.headers:
        headers[name] = value
    try:
        parsed = create_parser(protocol).parse(
            {"status_code": 200, "headers": headers, "body": body}, shape
        )
    except Exception as exc:  # botocore's parsers raise their own types for a malformed body
        raise _refuse(
            request, f"its body is not valid input ({type(exc).__name__}: {exc})"
        ) from exc
    parsed.pop("ResponseMetadata", None)
    return dict(parsed)


# -- query --------------------------------------------------------------------------------------
def _query_operation(service: str, request: RawRequest) -> Operation:
    content_type = (request.header("content-type") or "").lower()
    if request.method == "POST" and content_type.startswith("application/x-www-form-urlencoded"):
        fields = dict(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
    else:
        fields = dict(request.query)
    name = fields.pop("Action", "")
    version = fields.pop("Version", None)
    api_version = service_model(service).metadata.get("apiVersion")
    if version and api_version and version != api_version:
        # Two query APIs at one host (elb 2012-06-01, elbv2 2015-12-01): the Version says which.
        raise _refuse(request, f"Version={version!r} is not {service}'s API version")
    operation = _operation_model(service, name)
    if operation is None:
        raise _refuse(request, f"Action={name!r} names no {service} operation")
    shape = operation.input_shape
    params = _from_query(shape, fields, "") if shape is not None else {}
    return Operation(service, operation, params if isinstance(params, dict) else {})


def _from_query(shape: Shape, fields: Mapping[str, str], prefix: str) -> Any:
    """The value of ``shape`` under the flattened ``prefix`` (botocore.serialize.QuerySerializer's
    layout: ``A.B``, lists as ``A.member.N``, maps as ``A.entry.N.key``)."""
    kind = shape.type_name
    if kind == "structure":
        out: dict[str, Any] = {}
        for member, member_shape in shape.members.items():  # type: ignore[attr-defined]
            key = member_shape.serialization.get("name", member)
            value = _from_query(member_shape, fields, f"{prefix}.{key}" if prefix else key)
            if value is not None:
                out[member] = value
        return out if out or not prefix else None
    if kind == "list":
        member_shape = shape.member  # type: ignore[attr-defined]
        if fields.get(prefix) == "":
            return []  # botocore sends an empty list as "Name="
        if not shape.serialization.get("flattened"):
            list_prefix = f"{prefix}.{member_shape.serialization.get('name', 'member')}"
        elif "name" in member_shape.serialization:
            list_prefix = ".".join([*prefix.split(".")[:-1], member_shape.serialization["name"]])
        else:
            list_prefix = prefix
        items = []
        for i in range(1, len(fields) + 1):
            item = _from_query(member_shape, fields, f"{list_prefix}.{i}")
            if item is None:
                break
            items.append(item)
        return items or None
    if kind == "map":
        entries: dict[str, Any] = {}
        entry = "" if shape.serialization.get("flattened") else ".entry"
        key_name = shape.key.serialization.get("name", "key")  # type: ignore[attr-defined]
        value_name = shape.value.serialization.get("name", "value")  # type: ignore[attr-defined]
        for i in range(1, len(fields) + 1):
            key = fields.get(f"{prefix}{entry}.{i}.{key_name}")
            if key is None:
                break
            entries[key] = _from_query(
                shape.value,  # type: ignore[attr-defined]
                fields,
                f"{prefix}{entry}.{i}.{value_name}",
            )
        return entries or None
    raw = fields.get(prefix)
    return None if raw is None else _scalar(shape, raw)


def _scalar(shape: Shape, raw: str) -> Any:
    kind = shape.type_name
    if kind in ("integer", "long"):
        return int(raw)
    if kind in ("float", "double"):
        return float(raw)
    if kind == "boolean":
        return raw.lower() == "true"
    if kind == "timestamp":
        return parse_timestamp(raw)
    if kind == "blob":
        return base64.b64decode(raw)
    return raw


# -- REST ---------------------------------------------------------------------------------------
def _s3_path(request: RawRequest, bucket: str | None) -> str:
    """The path-style path of an S3 request: the bucket of a virtual-hosted URL goes first;
    ``/bucket/`` is the bucket itself."""
    path = request.parts.path or "/"
    if bucket is not None:
        path = "/" + bucket + ("" if path == "/" else path)
    if path.count("/") == 2 and path.endswith("/"):
        path = path[:-1]
    return path


@dataclass(frozen=True)
class _Route:
    name: str
    method: str
    path: re.Pattern[str]
    static_query: tuple[tuple[str, str], ...]
    deprecated: bool


@functools.cache
def _routes(service: str) -> tuple[_Route, ...]:
    model = service_model(service)
    routes = []
    for name in model.operation_names:
        operation = model.operation_model(name)
        http = operation.http
        template, _q, query = http["requestUri"].partition("?")
        if _sent_elsewhere(operation, template):
            continue
        pattern = "".join(
            f"(?P<{part[1:-2]}>.+)"
            if part.endswith("+}")
            else f"(?P<{part[1:-1]}>[^/]+)"
            if part.startswith("{")
            else re.escape(part)
            for part in re.split(r"(\{[^}]+\})", template)
            if part
        )
        static = tuple(parse_qsl(query, keep_blank_values=True))
        routes.append(
            _Route(name, http["method"], re.compile(pattern), static, bool(operation.deprecated))
        )
    return tuple(routes)


def _sent_elsewhere(operation: OperationModel, template: str) -> bool:
    """True for an operation botocore sends to another host than the service's REST endpoint:
    S3 Object Lambda's, or the S3 Express control endpoint when no bucket is in the path
    (ListDirectoryBuckets); the model says so in ``staticContextParams``."""
    static = {p.name: p.value for p in operation.static_context_parameters}
    if static.get("UseObjectLambdaEndpoint"):
        return True
    return bool(static.get("UseS3ExpressControlEndpoint")) and "{" not in template


def _rest_operation(service: str, request: RawRequest, path: str) -> Operation:
    query = request.query
    query_keys = {k for k, _v in query}
    x_id = next((v for k, v in query if k == "x-id"), None)
    scored: list[tuple[int, _Route, re.Match[str]]] = []
    for route in _routes(service):
        if route.method != request.method:
            continue
        match = route.path.fullmatch(path)
        if match is None or not _static_query_holds(route, query, x_id):
            continue
        score = _required_members_present(service, route.name, request, query_keys)
        if score is not None:
            static = sum(1 for k, _v in route.static_query if k != "x-id")
            # A deprecated operation shares its request with its successor
            # (GetBucketLifecycle, GetBucketLifecycleConfiguration): the successor is meant.
            scored.append((2 * (score + static) + (not route.deprecated), route, match))
    if not scored:
        raise _refuse(request, f"no {service} operation is {request.method} {path}")
    scored.sort(key=lambda s: -s[0])
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        names = " or ".join(sorted(s[1].name for s in scored if s[0] == scored[0][0]))
        raise _refuse(request, f"it could be {names}")
    _score, route, match = scored[0]
    operation = service_model(service).operation_model(route.name)
    return Operation(service, operation, _rest_params(service, operation, request, match))


def _static_query_holds(route: _Route, query: list[tuple[str, str]], x_id: str | None) -> bool:
    for key, value in route.static_query:
        if key == "x-id":
            if x_id is not None and x_id != value:
                return False
        elif not any(k == key and (not value or v == value) for k, v in query):
            return False
    return x_id is None or x_id == route.name or any(k == "x-id" for k, _v in route.static_query)


def _required_members_present(
    service: str, name: str, request: RawRequest, query_keys: set[str]
) -> int | None:
    """How many required query-string and header members of the operation the request carries;
    None if one is missing."""
    shape = service_model(service).operation_model(name).input_shape
    if shape is None:
        return 0
    present = 0
    for member in shape.required_members:
        member_shape = shape.members[member]
        location = member_shape.serialization.get("location")
        wire = member_shape.serialization.get("name", member)
        if location == "querystring":
            if wire not in query_keys:
                return None
            present += 1
        elif location == "header":
            if request.header(wire) is None:
                return None
            present += 1
    return present


def _rest_params(
    service: str, operation: OperationModel, request: RawRequest, match: re.Match[str]
) -> dict[str, Any]:
    shape = operation.input_shape
    if shape is None:
        return {}
    protocol = service_model(service).metadata["protocol"]
    payload = shape.serialization.get("payload")
    payload_shape = shape.members.get(payload) if payload else None
    raw_payload = payload_shape is not None and payload_shape.type_name in ("blob", "string")
    # A blob payload (an object's bytes) is kept as sent; botocore's parser would decode it.
    params = _parse_body(protocol, request, shape, b"" if raw_payload else request.body)
    if raw_payload and payload is not None:
        params.pop(payload, None)
        if request.body:
            params[payload] = request.body
    for member, member_shape in shape.members.items():
        if member_shape.serialization.get("location") == "headers" and not params.get(member):
            params.pop(member, None)  # the parser's empty x-amz-meta-* map: not sent
    labels = {k: unquote(v) for k, v in match.groupdict().items()}
    query = request.query
    for member, member_shape in shape.members.items():
        location = member_shape.serialization.get("location")
        wire = member_shape.serialization.get("name", member)
        if location == "uri" and wire in labels:
            params[member] = labels[wire]
        elif location == "querystring":
            value = _query_member(member_shape, wire, query)
            if value is not None:
                params[member] = value
    return params


def _query_member(shape: Shape, wire: str, query: list[tuple[str, str]]) -> Any:
    if shape.type_name == "map":
        return dict(query) or None
    values = [v for k, v in query if k == wire]
    if not values:
        return None
    if shape.type_name == "list":
        return [_scalar(shape.member, v) for v in values]  # type: ignore[attr-defined]
    return _scalar(shape, values[0])


# -- S3 POST uploads ----------------------------------------------------------------------------
def post_form(request: RawRequest) -> dict[str, str] | None:
    """The text fields of a ``multipart/form-data`` POST (the file's name as ``filename``), or
    None if ``request`` is not one."""
    content_type = request.header("content-type") or ""
    if request.method != "POST" or not content_type.lower().startswith("multipart/form-data"):
        return None
    fields: dict[str, str] = {}
    for name, part in form_parts(request):
        if name.lower() == "file":
            fields["filename"] = part.get_filename() or ""
            continue
        payload = part.get_payload(decode=True)
        fields[name] = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    return fields


def form_parts(request: RawRequest) -> Iterator[tuple[str, MIMEPart]]:
    """(field name, part) of each named part of a ``multipart/form-data`` body."""
    content_type = request.header("content-type") or ""
    message = BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + request.body
    )
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if isinstance(name, str):
            yield name, part


def _post_upload(
    service: str, request: RawRequest, path: str, form: Mapping[str, str]
) -> Operation:
    bucket = path.strip("/")
    fields = {k.lower(): v for k, v in form.items()}
    key = fields.get("key")
    if not bucket or "/" in bucket or key is None:
        raise _refuse(request, "an S3 POST upload needs a bucket and a 'key' field")
    key = key.replace("${filename}", fields.get("filename", ""))
    params: dict[str, Any] = {"Bucket": bucket, "Key": key}
    if "acl" in fields:
        params["ACL"] = fields["acl"]
    if "content-type" in fields:
        params["ContentType"] = fields["content-type"]
    return Operation(service, service_model(service).operation_model("PutObject"), params)

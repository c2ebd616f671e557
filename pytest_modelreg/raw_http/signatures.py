"""Who signed a raw request, how, and whether its signature has expired.

The signature is found where AWS looks for it:

* the ``Authorization`` header: SigV4 ``AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>
  /aws4_request, ...`` or SigV2 ``AWS <key>:<signature>``;
* the query string of a presigned URL: SigV4 ``X-Amz-Algorithm``, ``X-Amz-Credential``,
  ``X-Amz-Date``, ``X-Amz-Expires`` (aws/aws-sdk-js-v3#5577), or SigV2 ``AWSAccessKeyId``,
  ``Expires`` (epoch seconds), ``Signature`` (aws/aws-sdk-js#2306);
* the fields of an S3 POST upload: ``x-amz-credential`` or ``AWSAccessKeyId``, and the
  ``policy`` whose ``expiration`` bounds it (Amazon S3 API Reference, "Browser-Based Uploads Using
  POST").

A request with none of them is unsigned (the anonymous caller). Signatures are not verified: the
simulation does not hold the secret keys of every principal, and a wrong signature is a bug AWS
reports before any authorization.

A presigned URL is judged each time it is used ("You can use the presigned URL multiple times, up
to the expiration date and time", Amazon S3 User Guide, "Download and upload objects with
presigned URLs"): its expiry is checked against the clock at that moment.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone

from pytest_modelreg.anonymous import UNSIGNED
from pytest_modelreg.raw_http.messages import RawRequest, RequestRefusedError

__all__ = ["Expiry", "Signature", "signature_of"]

SIGV4 = "AWS4-HMAC-SHA256"
SIGV2 = "AWS"


@dataclass(frozen=True)
class Expiry:
    """When a presigned request stopped being valid, for the "Request has expired" answer."""

    expires: datetime
    server_time: datetime
    expires_in: str | None = None
    """``X-Amz-Expires`` as sent (SigV4 only)."""
    policy: bool = False
    """True for the policy of an S3 POST upload."""


@dataclass(frozen=True)
class Signature:
    """How a request was signed."""

    access_key: str
    """The signing key id; ``UNSIGNED`` for an unsigned request."""
    auth_type: str
    """S3's ``s3:authType`` condition key: ``REST-HEADER``, ``REST-QUERY-STRING`` or ``POST``
    (Amazon S3 User Guide, "Bucket policy examples using condition keys"); empty if unsigned."""
    version: str
    """``s3:signatureversion``: ``AWS4-HMAC-SHA256`` or ``AWS`` (SigV2); empty if unsigned."""
    region: str | None = None
    """The region of a SigV4 credential scope."""
    expired: Expiry | None = None


def signature_of(
    request: RawRequest, form: Mapping[str, str] | None, now: float | None = None
) -> Signature:
    """The signature of ``request`` (``form``: the fields of an S3 POST upload)."""
    clock = time.time() if now is None else now
    authorization = request.header("authorization")
    if authorization is not None:
        return _from_header(request, authorization)
    query = dict(request.query)
    if "X-Amz-Credential" in query:
        key, region = _credential(request, query["X-Amz-Credential"])
        expired = _sigv4_expiry(request, query, clock)
        return Signature(key, "REST-QUERY-STRING", SIGV4, region, expired)
    if "AWSAccessKeyId" in query and "Signature" in query:
        expired = _sigv2_expiry(request, query.get("Expires", ""), clock)
        return Signature(query["AWSAccessKeyId"], "REST-QUERY-STRING", SIGV2, None, expired)
    if form is not None:
        fields = {k.lower(): v for k, v in form.items()}
        expired = _policy_expiry(request, fields.get("policy"), clock)
        if "x-amz-credential" in fields:
            key, region = _credential(request, fields["x-amz-credential"])
            return Signature(key, "POST", SIGV4, region, expired)
        if "awsaccesskeyid" in fields:
            return Signature(fields["awsaccesskeyid"], "POST", SIGV2, None, expired)
    return Signature(UNSIGNED, "", "")


def _from_header(request: RawRequest, value: str) -> Signature:
    scheme, _space, rest = value.strip().partition(" ")
    if scheme == SIGV4:
        for part in rest.split(","):
            name, _eq, credential = part.strip().partition("=")
            if name == "Credential":
                key, region = _credential(request, credential)
                return Signature(key, "REST-HEADER", SIGV4, region)
    elif scheme == SIGV2 and ":" in rest:
        return Signature(rest.rsplit(":", 1)[0].strip(), "REST-HEADER", SIGV2)
    raise RequestRefusedError(
        request.method, request.url, "its Authorization header is not an AWS signature"
    )


def _credential(request: RawRequest, credential: str) -> tuple[str, str | None]:
    """The key id and region of a SigV4 credential scope ``<key>/<date>/<region>/<svc>/..``."""
    parts = credential.split("/")
    if len(parts) != 5 or not parts[0]:
        raise RequestRefusedError(
            request.method, request.url, f"its SigV4 credential {credential!r} is malformed"
        )
    return parts[0], parts[2] or None


def _sigv4_expiry(request: RawRequest, query: Mapping[str, str], now: float) -> Expiry | None:
    try:
        signed = datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ")
        seconds = int(query["X-Amz-Expires"])
    except (KeyError, ValueError):
        raise RequestRefusedError(
            request.method,
            request.url,
            "a SigV4 presigned URL needs X-Amz-Date (YYYYMMDDTHHMMSSZ) and X-Amz-Expires",
        ) from None
    expires = signed.replace(tzinfo=timezone.utc).timestamp() + seconds
    return _expiry(expires, now, query["X-Amz-Expires"])


def _sigv2_expiry(request: RawRequest, expires: str, now: float) -> Expiry | None:
    try:
        return _expiry(float(expires), now)
    except ValueError:
        raise RequestRefusedError(
            request.method, request.url, "a SigV2 presigned URL needs Expires (epoch seconds)"
        ) from None


def _policy_expiry(request: RawRequest, policy: str | None, now: float) -> Expiry | None:
    if policy is None:
        return None
    try:
        document = json.loads(base64.b64decode(policy))
        stamp = str(document["expiration"]).replace("Z", "+00:00")
        expires = datetime.fromisoformat(stamp).timestamp()
    except (ValueError, KeyError, TypeError):
        raise RequestRefusedError(
            request.method, request.url, "its POST policy is not base64 JSON with an expiration"
        ) from None
    return _expiry(expires, now, policy=True)


def _expiry(
    expires: float, now: float, expires_in: str | None = None, *, policy: bool = False
) -> Expiry | None:
    if now <= expires:
        return None
    return Expiry(
        datetime.fromtimestamp(int(expires), timezone.utc),
        datetime.fromtimestamp(int(now), timezone.utc),
        expires_in,
        policy,
    )

"""The conditions of an S3 POST policy, checked as S3 checks them before an upload is authorized.

A browser-based upload carries a base64 JSON policy whose ``conditions`` every form field must meet
("Creating a POST policy", Amazon S3 API Reference, Browser-based uploads using POST):

* ``{"field": "value"}`` and ``["eq", "$field", "value"]`` match exactly;
* ``["starts-with", "$field", "prefix"]`` matches a prefix, and an empty prefix any value;
* ``["content-length-range", min, max]`` bounds the size of the file, both ends included;
* "Each form field that you specify in a form (except x-amz-signature, file, policy, and field
  names that have an x-ignore- prefix) must appear in the list of conditions." The ``bucket``
  condition is met by the bucket the form is posted to.

S3's answers, as users report them: a condition not met is 403 ``AccessDenied`` "Invalid according
to Policy: Policy Condition failed: [\\"starts-with\\", \\"$content-type\\", \\"\\"]"
(waynehoover/s3_direct_upload#107, aws/aws-sdk-js#1514); a field no condition names is 403
``AccessDenied`` "Invalid according to Policy: Extra input fields: content-type"
(aws/aws-sdk-php#290, cloudreve/cloudreve#959); a file over the range is 400 ``EntityTooLarge``
"Your proposed upload exceeds the maximum allowed size" with ``ProposedSize`` and
``MaxSizeAllowed`` (infinitered/apisauce#245). What no response shows is in ``_guesses``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any

from pytest_modelreg.raw_http import _guesses
from pytest_modelreg.raw_http.answers import s3_error
from pytest_modelreg.raw_http.messages import RawRequest, RawResponse
from pytest_modelreg.raw_http.operations import form_parts

# Fields no condition needs to name: the signature's own (SigV4, and SigV2's), the policy, the file.
_EXEMPT = frozenset({"x-amz-signature", "file", "policy", "signature", "awsaccesskeyid"})


def check(request: RawRequest, form: Mapping[str, str], bucket: str) -> RawResponse | None:
    """S3's answer when the form breaks its policy's conditions, or None when it meets them (or
    carries no policy: an unsigned, anonymous upload has none to meet)."""
    fields = {name.lower(): value for name, value in form.items() if name.lower() != "filename"}
    policy = fields.get("policy")
    if policy is None:
        return None
    conditions = json.loads(base64.b64decode(policy)).get("conditions", [])
    named: set[str] = set()
    for condition in conditions:
        failed = _failed(condition, fields, bucket, request, named)
        if failed is not None:
            return failed
    extra = sorted(
        name
        for name in fields
        if name not in named and name not in _EXEMPT and not name.startswith("x-ignore-")
    )
    if extra:
        return _denied(f"Extra input fields: {', '.join(extra)}")
    return None


def _failed(
    condition: Any, fields: Mapping[str, str], bucket: str, request: RawRequest, named: set[str]
) -> RawResponse | None:
    if isinstance(condition, dict):
        for name, expected in condition.items():
            failed = _compare("eq", f"${name}", expected, fields, bucket, named)
            if failed is not None:
                return failed
        return None
    if isinstance(condition, list) and condition and condition[0] == "content-length-range":
        return _size(condition, request)
    if isinstance(condition, list) and len(condition) == 3 and isinstance(condition[1], str):
        operator, name, expected = condition
        return _compare(str(operator), name, expected, fields, bucket, named)
    return _denied(f"Policy Condition failed: {_printed(condition)}")


def _compare(
    operator: str,
    name: str,
    expected: Any,
    fields: Mapping[str, str],
    bucket: str,
    named: set[str],
) -> RawResponse | None:
    field = name[1:].lower() if name.startswith("$") else None
    condition = [operator, name, expected]
    if field is None or operator not in ("eq", "starts-with") or not isinstance(expected, str):
        return _denied(f"Policy Condition failed: {_printed(condition)}")
    named.add(field)
    value = bucket if field == "bucket" else fields.get(field)
    met = value is not None and (
        value == expected if operator == "eq" else value.startswith(expected)
    )
    return None if met else _denied(f"Policy Condition failed: {_printed(condition)}")


def _size(condition: list[Any], request: RawRequest) -> RawResponse | None:
    low, high = (int(bound) for bound in condition[1:3])
    size = _file_size(request)
    if size > high:
        return s3_error(
            request.method,
            400,
            [
                ("Code", "EntityTooLarge"),
                ("Message", "Your proposed upload exceeds the maximum allowed size"),
                ("ProposedSize", str(size)),
                ("MaxSizeAllowed", str(high)),
            ],
        )
    if size < low:
        return s3_error(
            request.method,
            400,
            [
                ("Code", "EntityTooSmall"),
                ("Message", _guesses.POST_TOO_SMALL_MESSAGE),
                ("ProposedSize", str(size)),
                ("MinSizeAllowed", str(low)),
            ],
        )
    return None


def _file_size(request: RawRequest) -> int:
    for name, part in form_parts(request):
        if name.lower() == "file":
            payload = part.get_payload(decode=True)
            return len(payload) if isinstance(payload, bytes) else 0
    return 0


def _printed(condition: Any) -> str:
    return json.dumps(condition, separators=(", ", ": "))


def _denied(reason: str) -> RawResponse:
    return s3_error(
        "POST",
        403,
        [("Code", "AccessDenied"), ("Message", f"Invalid according to Policy: {reason}")],
    )

"""An S3 POST upload must meet its policy's conditions, as S3 checks them before it authorizes the
upload ("Creating a POST policy", Amazon S3 API Reference). Each row cites the rule and the answer
users report from S3 for breaking it."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

import pytest

from pytest_modelreg import ModelRegistryHandle
from tests.escapes.conftest import send
from tests.escapes.test_presigned import BUCKET, SIGNER_POLICY, object_body, post_form

CONDITIONS: list[Any] = [
    ["starts-with", "$key", "allowed/"],
    {"Content-Type": "text/csv"},
    ["content-length-range", 2, 8],
]


@pytest.fixture
def signer(modelreg: ModelRegistryHandle) -> Any:
    """The presigned tests' signer (may write under allowed/), with their bucket."""
    modelreg.admin_client("s3").create_bucket(Bucket=BUCKET)
    return modelreg.principal("ArtifactReader", policies=SIGNER_POLICY)


def _upload(signer: Any, key: str, content: bytes, **extra: str) -> tuple[int, dict[str, str]]:
    form = signer.client("s3").generate_presigned_post(
        BUCKET, key, Fields={"Content-Type": "text/csv"}, Conditions=CONDITIONS
    )
    fields = {**form["fields"], **extra}
    body, content_type = post_form(fields, "upload.csv", content)
    answer = send("urllib3", "POST", form["url"], {"Content-Type": content_type}, body)
    error = {e.tag: e.text or "" for e in ET.fromstring(answer.body)} if answer.body else {}
    return answer.status, error


def test_a_form_that_meets_every_condition_is_uploaded(
    modelreg: ModelRegistryHandle, signer: Any
) -> None:
    status, _ = _upload(signer, "allowed/a.csv", b"a,b\n")
    assert status == 204
    assert object_body(modelreg, "allowed/a.csv") == b"a,b\n"


@pytest.mark.parametrize(
    ("key", "content", "extra", "status", "code", "message"),
    [
        # starts-with: "the value must start with the specified value" -> 403 AccessDenied,
        # "Invalid according to Policy: Policy Condition failed: [...]" (aws/aws-sdk-js#1514).
        (
            "other/a.csv",
            b"a,b\n",
            {},
            403,
            "AccessDenied",
            'Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "allowed/"]',
        ),
        # An exact-match condition ({"Content-Type": ...}) is an "eq" (waynehoover/s3_direct_upload
        # #107 shows the printed form).
        (
            "allowed/a.csv",
            b"a,b\n",
            {"Content-Type": "text/plain"},
            403,
            "AccessDenied",
            'Invalid according to Policy: Policy Condition failed: ["eq", "$Content-Type", "text/csv"]',
        ),
        # "Each form field ... must appear in the list of conditions" -> "Extra input fields"
        # (aws/aws-sdk-php#290, cloudreve/cloudreve#959).
        (
            "allowed/a.csv",
            b"a,b\n",
            {"x-amz-meta-owner": "me"},
            403,
            "AccessDenied",
            "Invalid according to Policy: Extra input fields: x-amz-meta-owner",
        ),
        # content-length-range, over: 400 EntityTooLarge (infinitered/apisauce#245).
        (
            "allowed/a.csv",
            b"0123456789",
            {},
            400,
            "EntityTooLarge",
            "Your proposed upload exceeds the maximum allowed size",
        ),
        # content-length-range, under: 400 EntityTooSmall (the wording is a guess).
        (
            "allowed/a.csv",
            b"a",
            {},
            400,
            "EntityTooSmall",
            "Your proposed upload is smaller than the minimum allowed size",
        ),
    ],
)
def test_a_form_that_breaks_a_condition_is_refused_and_uploads_nothing(
    modelreg: ModelRegistryHandle,
    signer: Any,
    key: str,
    content: bytes,
    extra: dict[str, str],
    status: int,
    code: str,
    message: str,
) -> None:
    got, error = _upload(signer, key, content, **extra)
    assert (got, error.get("Code"), error.get("Message")) == (status, code, message)
    assert object_body(modelreg, key) is None


def test_fields_prefixed_x_ignore_need_no_condition(
    modelreg: ModelRegistryHandle, signer: Any
) -> None:
    status, _ = _upload(signer, "allowed/b.csv", b"a,b\n", **{"x-ignore-note": "anything"})
    assert status == 204


def test_the_size_answer_names_the_sizes(modelreg: ModelRegistryHandle, signer: Any) -> None:
    _, error = _upload(signer, "allowed/c.csv", b"0123456789")
    assert (error["ProposedSize"], error["MaxSizeAllowed"]) == ("10", "8")

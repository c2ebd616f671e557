"""Presigned S3 URLs and POST forms, used with every client library, are authorized as the principal
whose key signed them, when they are used, and answered as S3 answers.

"The credentials used by the presigned URL are those of the AWS Identity and Access Management (IAM)
principal who generated the URL." (Amazon S3 User Guide, "Download and upload objects with
presigned URLs"). Before this, ``requests`` got the object from moto whatever the signer's
policies, and ``urllib``/``http.client`` tried the real network.
"""

from __future__ import annotations

import re
import time
import types
from typing import Any
from xml.etree import ElementTree as ET

import pytest
import urllib3
from botocore.config import Config
from botocore.exceptions import ClientError

from pytest_modelreg import ModelRegistryHandle
from pytest_modelreg.raw_http import signatures
from tests.escapes.conftest import send

BUCKET = "artifacts"
SIGNER_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            "Resource": f"arn:aws:s3:::{BUCKET}/allowed/*",
        }
    ],
}
# SigV4 (X-Amz-Credential ...) and SigV2 (AWSAccessKeyId, Expires, Signature) query strings: each
# test uses both, each through two of the libraries.
SIGNATURE_VERSION = {
    "requests": "s3v4",
    "urllib3": "s3",
    "urllib.request": "s3",
    "http.client": "s3v4",
}


@pytest.fixture
def bucket(modelreg: ModelRegistryHandle) -> str:
    admin = modelreg.admin_client("s3")
    admin.create_bucket(Bucket=BUCKET)
    for key in ("allowed/model.tar.gz", "secret/model.tar.gz"):
        admin.put_object(Bucket=BUCKET, Key=key, Body=b"weights")
    return BUCKET


@pytest.fixture
def signer(modelreg: ModelRegistryHandle) -> Any:
    return modelreg.principal("ArtifactReader", policies=SIGNER_POLICY)


def presign(signer: Any, version: str, method: str, key: str, **kwargs: Any) -> str:
    client = signer.client("s3", config=Config(signature_version=version))
    return str(
        client.generate_presigned_url(method, Params={"Bucket": BUCKET, "Key": key}, **kwargs)
    )


def denied_message(signer: Any, action: str, key: str) -> str:
    # S3 quotes the resource (Amazon S3 User Guide, "Troubleshoot access denied (403 Forbidden)
    # errors"), as for a botocore call.
    return (
        f"User: {signer.arn} is not authorized to perform: {action} on resource: "
        f'"arn:aws:s3:::{BUCKET}/{key}" because no identity-based policy allows the {action} action'
    )


def error_of(body: bytes) -> dict[str, str]:
    return {child.tag: child.text or "" for child in ET.fromstring(body)}


def object_body(modelreg: ModelRegistryHandle, key: str) -> bytes | None:
    try:
        answer = modelreg.admin_client("s3").get_object(Bucket=BUCKET, Key=key)
    except ClientError:
        return None
    return bytes(answer["Body"].read())


def test_get_is_judged_as_the_signer(
    modelreg: ModelRegistryHandle, bucket: str, signer: Any, library: str
) -> None:
    version = SIGNATURE_VERSION[library]
    allowed = send(library, "GET", presign(signer, version, "get_object", "allowed/model.tar.gz"))
    assert (allowed.status, allowed.body) == (200, b"weights")

    denied = send(library, "GET", presign(signer, version, "get_object", "secret/model.tar.gz"))
    assert denied.status == 403
    error = error_of(denied.body)
    assert error["Code"] == "AccessDenied"
    assert error["Message"] == denied_message(signer, "s3:GetObject", "secret/model.tar.gz")
    assert error["RequestId"] and error["HostId"]

    calls = [(c.operation, c.principal_arn, c.decision) for c in modelreg.calls[-2:]]
    assert calls == [
        ("GetObject", signer.arn, "allowed"),
        ("GetObject", signer.arn, "implicitDeny"),
    ]


def test_put_writes_only_what_the_signer_may_write(
    modelreg: ModelRegistryHandle, bucket: str, signer: Any, library: str
) -> None:
    version = SIGNATURE_VERSION[library]
    url = presign(signer, version, "put_object", "allowed/new.bin")
    # urllib.request would send application/x-www-form-urlencoded, whose body moto drops.
    binary = {"Content-Type": "application/octet-stream"}
    assert send(library, "PUT", url, binary, b"new bytes").status == 200
    assert object_body(modelreg, "allowed/new.bin") == b"new bytes"

    denied = send(
        library, "PUT", presign(signer, version, "put_object", "secret/new.bin"), binary, b"x"
    )
    assert denied.status == 403
    assert error_of(denied.body)["Message"] == denied_message(
        signer, "s3:PutObject", "secret/new.bin"
    )
    assert object_body(modelreg, "secret/new.bin") is None  # a denied call changes nothing


def test_head_and_delete(
    modelreg: ModelRegistryHandle, bucket: str, signer: Any, library: str
) -> None:
    version = SIGNATURE_VERSION[library]
    head = send(library, "HEAD", presign(signer, version, "head_object", "allowed/model.tar.gz"))
    assert (head.status, head.headers["content-length"], head.body) == (200, "7", b"")
    # A HEAD denial has no body: the client sees 403 only.
    denied_head = send(
        library, "HEAD", presign(signer, version, "head_object", "secret/model.tar.gz")
    )
    assert (denied_head.status, denied_head.body) == (403, b"")

    denied = send(
        library, "DELETE", presign(signer, version, "delete_object", "secret/model.tar.gz")
    )
    assert denied.status == 403
    assert object_body(modelreg, "secret/model.tar.gz") == b"weights"
    deleted = send(
        library, "DELETE", presign(signer, version, "delete_object", "allowed/model.tar.gz")
    )
    assert deleted.status == 204
    assert object_body(modelreg, "allowed/model.tar.gz") is None
    assert [c.operation for c in modelreg.calls if c.principal_arn == signer.arn] == [
        "HeadObject",
        "HeadObject",
        "DeleteObject",
        "DeleteObject",
    ]


def post_form(fields: dict[str, str], filename: str, content: bytes) -> tuple[bytes, str]:
    # The file field must come last (Amazon S3 API Reference, "POST Object").
    parts: dict[str, Any] = dict(fields)
    parts["file"] = (filename, content)
    body, content_type = urllib3.encode_multipart_formdata(parts)
    return body, content_type


@pytest.mark.parametrize(("prefix", "status"), [("allowed", 204), ("secret", 403)])
def test_presigned_post_form(
    modelreg: ModelRegistryHandle,
    bucket: str,
    signer: Any,
    library: str,
    prefix: str,
    status: int,
) -> None:
    """``generate_presigned_post`` signs a browser upload: PutObject of the form's key."""
    form = signer.client("s3").generate_presigned_post(BUCKET, prefix + "/${filename}")
    body, content_type = post_form(form["fields"], "upload.csv", b"a,b\n")
    answer = send(library, "POST", form["url"], {"Content-Type": content_type}, body)
    assert answer.status == status
    record = modelreg.calls[-1]
    assert (record.operation, record.principal_arn, record.params["Key"]) == (
        "PutObject",
        signer.arn,
        f"{prefix}/upload.csv",
    )
    assert object_body(modelreg, f"{prefix}/upload.csv") == (b"a,b\n" if status == 204 else None)


def later(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """The URLs are used ``seconds`` after they were made."""
    real = time.time
    monkeypatch.setattr(signatures, "time", types.SimpleNamespace(time=lambda: real() + seconds))


# <X-Amz-Expires>, <Expires>, <ServerTime> (aws/aws-sdk-php#1333, aws/aws-sdk-js#3493); the SigV2
# form answers the same code and message (aws/aws-sdk-js#2306), without X-Amz-Expires.
EXPIRED_ELEMENTS = {
    "s3v4": ["Code", "Message", "X-Amz-Expires", "Expires", "ServerTime"],
    "s3": ["Code", "Message", "Expires", "ServerTime"],
}


def test_an_expired_url_is_refused_when_used(
    modelreg: ModelRegistryHandle,
    bucket: str,
    signer: Any,
    library: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ "You can use the presigned URL multiple times, up to the expiration date and time." (S3
    User Guide, "Download and upload objects with presigned URLs")."""
    version = SIGNATURE_VERSION[library]
    elements = EXPIRED_ELEMENTS[version]
    url = presign(signer, version, "get_object", "allowed/model.tar.gz", ExpiresIn=60)
    assert send(library, "GET", url).status == 200  # within its lifetime: used again below
    recorded = len(modelreg.calls)
    later(monkeypatch, 61)
    answer = send(library, "GET", url)
    assert answer.status == 403
    error = error_of(answer.body)
    assert list(error)[: len(elements)] == elements
    assert (error["Code"], error["Message"]) == ("AccessDenied", "Request has expired")
    if version == "s3v4":
        assert error["X-Amz-Expires"] == "60"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", error["ServerTime"])
    assert error["Expires"] < error["ServerTime"]
    # Refused before authorization: nothing was evaluated, nothing recorded.
    assert len(modelreg.calls) == recorded


@pytest.mark.modelreg(enforce="warn")
def test_warn_mode_lets_a_denied_url_through_and_records_it(
    modelreg: ModelRegistryHandle, bucket: str, signer: Any
) -> None:
    url = presign(signer, "s3v4", "get_object", "secret/model.tar.gz")
    with pytest.warns(UserWarning, match="s3.GetObject: User: .*ArtifactReader"):
        answer = send("requests", "GET", url)
    assert (answer.status, answer.body) == (200, b"weights")
    assert [(c.principal_arn, c.decision) for c in modelreg.denied] == [
        (signer.arn, "implicitDeny")
    ]

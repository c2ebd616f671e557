"""Bucket policies are judged by the plugin's engine with the request's real context; moto's own
bucket policy check never decides.

The two policies are AWS's own examples: Amazon S3 User Guide, "Bucket policy examples", "Enforce
encryption in transit" ("Deny" with "aws:SecureTransport": "false") and "Require SSE-KMS ... /
server-side encryption" (Deny s3:PutObject when s3:x-amz-server-side-encryption is not the one
required). IAM User Guide, "AWS global condition context keys", aws:SecureTransport: "Use this key
to check whether the request was sent using TLS."
"""

from __future__ import annotations

import json

import boto3  # noqa: F401  (activation needs botocore.session imported; see the report)
import pytest
from botocore.exceptions import ClientError

from pytest_modelreg import ModelRegistryHandle

from ..conftest import ALLOW_ALL

BUCKET = "models"
ENFORCE_TLS = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "RestrictToTLSRequestsOnly",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ],
}
ENFORCE_SSE = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyUnencryptedObjectUploads",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:PutObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
            "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "AES256"}},
        }
    ],
}


def _bucket(modelreg: ModelRegistryHandle, policy: dict[str, object]) -> None:
    s3 = modelreg.admin_client("s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))


@pytest.mark.modelreg(policy=ALLOW_ALL)
def test_enforce_tls_allows_https_calls(modelreg: ModelRegistryHandle) -> None:
    _bucket(modelreg, ENFORCE_TLS)
    s3 = modelreg.client("s3")
    s3.put_object(Bucket=BUCKET, Key="model.tar.gz", Body=b"weights")
    assert s3.get_object(Bucket=BUCKET, Key="model.tar.gz")["Body"].read() == b"weights"
    admin = modelreg.admin_client("s3")
    assert admin.get_object(Bucket=BUCKET, Key="model.tar.gz")["Body"].read() == b"weights"
    assert all(c.allowed for c in modelreg.calls)


@pytest.mark.modelreg(policy=ALLOW_ALL)
def test_enforce_tls_denies_plain_http(modelreg: ModelRegistryHandle) -> None:
    _bucket(modelreg, ENFORCE_TLS)
    plain = modelreg.client("s3", endpoint_url="http://s3.us-east-1.amazonaws.com")
    with pytest.raises(ClientError) as denied:
        plain.put_object(Bucket=BUCKET, Key="k", Body=b"x")
    assert denied.value.response["Error"]["Code"] == "AccessDenied"
    record = modelreg.calls[-1]
    assert record.decision == "explicitDeny"
    evaluation = record.authorizations[0].evaluation
    assert evaluation is not None
    assert evaluation.request.context["aws:SecureTransport"] == "false"


@pytest.mark.modelreg(policy=ALLOW_ALL)
def test_enforce_encryption_is_judged_with_the_request(modelreg: ModelRegistryHandle) -> None:
    _bucket(modelreg, ENFORCE_SSE)
    s3 = modelreg.client("s3")
    s3.put_object(Bucket=BUCKET, Key="ok", Body=b"x", ServerSideEncryption="AES256")
    assert modelreg.calls[-1].allowed
    with pytest.raises(ClientError) as denied:
        s3.put_object(Bucket=BUCKET, Key="plain", Body=b"x")
    assert denied.value.response["Error"]["Code"] == "AccessDenied"
    assert denied.value.response["Error"]["Message"].endswith(
        "with an explicit deny in a resource-based policy"
    )
    assert modelreg.calls[-1].decision == "explicitDeny"
    # Reads are not PutObject: the plugin allows them and moto serves them (moto alone answered
    # 403 here, as it judged the policy without the request's encryption header).
    assert s3.get_object(Bucket=BUCKET, Key="ok")["Body"].read() == b"x"
    assert modelreg.calls[-1].allowed

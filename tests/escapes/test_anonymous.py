"""Unsigned requests are the anonymous principal's, not the principal under test's.

"Authentication is not necessary for a few services, such as Amazon S3, that allow some requests
from anonymous users." (IAM User Guide, "Policy evaluation logic"). S3 evaluates them against grants
to everyone; every other service refuses them before any authorization. Before this, a
``Config(signature_version=UNSIGNED)`` client was evaluated as the principal under test, and an
unsigned raw request to S3 was served by moto unjudged.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import botocore
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from pytest_modelreg import ModelRegistryHandle
from tests.escapes.conftest import send

# The default policy (AmazonSageMakerModelRegistryFullAccess) lets the principal under test read
# and list buckets whose name contains "sagemaker": a call judged as that principal would pass.
BUCKET = "sagemaker-public-models"
UNSIGNED = Config(signature_version=botocore.UNSIGNED)


def unsigned(service: str) -> Any:
    return boto3.client(service, region_name="us-east-1", config=UNSIGNED)


@pytest.fixture
def bucket(modelreg: ModelRegistryHandle) -> str:
    admin = modelreg.admin_client("s3")
    admin.create_bucket(Bucket=BUCKET)
    admin.put_object(Bucket=BUCKET, Key="model.tar.gz", Body=b"weights")
    return BUCKET


def set_policy(modelreg: ModelRegistryHandle, *statements: dict[str, Any]) -> None:
    document = {"Version": "2012-10-17", "Statement": list(statements)}
    modelreg.admin_client("s3").put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(document))


def anonymous_read(key: str) -> bytes | None:
    """The object's bytes as an unsigned client reads them; None if S3 answers Access Denied."""
    try:
        answer = unsigned("s3").get_object(Bucket=BUCKET, Key=key)
    except ClientError as error:
        assert error.response["Error"]["Message"] == "Access Denied"
        return None
    return bytes(answer["Body"].read())


def allow(principal: Any, action: str = "s3:GetObject", effect: str = "Allow") -> dict[str, Any]:
    return {
        "Effect": effect,
        "Principal": principal,
        "Action": action,
        "Resource": f"arn:aws:s3:::{BUCKET}/*",
    }


def test_unsigned_s3_calls_on_a_private_bucket_are_denied(
    modelreg: ModelRegistryHandle, bucket: str
) -> None:
    s3 = unsigned("s3")
    for call in (
        lambda: s3.get_object(Bucket=BUCKET, Key="model.tar.gz"),
        lambda: s3.list_objects_v2(Bucket=BUCKET),
    ):
        with pytest.raises(ClientError) as raised:
            call()
        # An unsigned request no public grant allows: AccessDenied "Access Denied"
        # (boto/boto3#3522).
        error = raised.value.response["Error"]
        assert (error["Code"], error["Message"]) == ("AccessDenied", "Access Denied")
        assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    records = modelreg.calls[-2:]
    assert [(c.operation, c.principal_arn, c.decision) for c in records] == [
        ("GetObject", "anonymous", "implicitDeny"),
        ("ListObjectsV2", "anonymous", "implicitDeny"),
    ]
    assert modelreg.required_policy()["Statement"] == []  # not the principal under test's calls


@pytest.mark.parametrize(
    ("principal", "allowed"),
    [
        # "Principal": "*" and {"AWS": "*"} name everyone, anonymous users included (IAM User
        # Guide, "AWS JSON policy elements: Principal", "All principals").
        ("*", True),
        ({"AWS": "*"}, True),
        # A grant to the account is a grant to its authenticated principals only.
        ({"AWS": "arn:aws:iam::123456789012:root"}, False),
    ],
    ids=["star", "aws-star", "account"],
)
def test_a_bucket_policy_grant_to_everyone_allows_anonymous_reads(
    modelreg: ModelRegistryHandle, bucket: str, principal: Any, allowed: bool
) -> None:
    set_policy(modelreg, allow(principal))
    assert anonymous_read("model.tar.gz") == (b"weights" if allowed else None)
    record = modelreg.calls[-1]
    assert (record.principal_arn, record.allowed) == ("anonymous", allowed)


def test_an_explicit_deny_to_everyone_wins(modelreg: ModelRegistryHandle, bucket: str) -> None:
    set_policy(modelreg, allow("*"), allow("*", effect="Deny"))
    assert anonymous_read("model.tar.gz") is None
    assert modelreg.calls[-1].decision == "explicitDeny"


@pytest.mark.parametrize(
    ("ownership", "allowed"),
    [
        # ACLs grant access only when Object Ownership lets them; "Bucket owner enforced"
        # disables ACLs and is every new bucket's setting (Amazon S3 User Guide, "Controlling
        # ownership of objects and disabling ACLs for your bucket").
        ("ObjectWriter", True),
        ("BucketOwnerPreferred", True),
        ("BucketOwnerEnforced", False),
        (None, False),
    ],
)
def test_a_public_read_acl_allows_anonymous_reads_where_acls_apply(
    modelreg: ModelRegistryHandle, bucket: str, ownership: str | None, allowed: bool
) -> None:
    admin = modelreg.admin_client("s3")
    if ownership is not None:
        admin.put_bucket_ownership_controls(
            Bucket=BUCKET, OwnershipControls={"Rules": [{"ObjectOwnership": ownership}]}
        )
    admin.put_object(Bucket=BUCKET, Key="public.csv", Body=b"a,b", ACL="public-read")
    assert anonymous_read("public.csv") == (b"a,b" if allowed else None)
    assert anonymous_read("model.tar.gz") is None  # the ACL grants READ on that object only


def test_unsigned_raw_requests_are_anonymous(
    modelreg: ModelRegistryHandle, bucket: str, library: str
) -> None:
    url = f"https://{BUCKET}.s3.amazonaws.com/model.tar.gz"
    denied = send(library, "GET", url)
    assert denied.status == 403
    assert b"<Code>AccessDenied</Code><Message>Access Denied</Message>" in denied.body
    put = send(library, "PUT", url, {"Content-Type": "application/octet-stream"}, b"overwritten")
    assert put.status == 403
    admin = modelreg.admin_client("s3")
    assert admin.get_object(Bucket=BUCKET, Key="model.tar.gz")["Body"].read() == b"weights"

    set_policy(modelreg, allow("*"))
    assert (send(library, "GET", url).status, send(library, "GET", url).body) == (200, b"weights")
    assert {
        c.principal_arn for c in modelreg.calls if c.service == "s3" and not c.unrestricted
    } == {"anonymous"}


# The answer of each protocol to an unsigned request; see pytest_modelreg.services for the
# evidence: query protocol "MissingAuthenticationToken: Request is missing Authentication Token",
# 403 (cert-manager/aws-privateca-issuer#40, aws/aws-sdk-js#4286); JSON protocols
# {"__type":"MissingAuthenticationTokenException","message":"Missing Authentication Token"}
# (n8n-io/n8n#20023) with 403 (aws/amazon-sagemaker-examples#290; [INFERRED] for these services).
QUERY = ("MissingAuthenticationToken", "Request is missing Authentication Token", 403)
JSON = ("MissingAuthenticationTokenException", "Missing Authentication Token", 403)


@pytest.mark.parametrize(
    ("service", "call", "answer"),
    [
        ("sagemaker", lambda c: c.create_model_package_group(ModelPackageGroupName="g"), JSON),
        ("ecr", lambda c: c.describe_repositories(), JSON),
        ("kms", lambda c: c.list_keys(), JSON),
        ("resource-groups", lambda c: c.list_groups(), JSON),
        ("resourcegroupstaggingapi", lambda c: c.get_resources(), JSON),
        ("sts", lambda c: c.get_caller_identity(), QUERY),
        ("iam", lambda c: c.list_roles(), QUERY),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_other_services_refuse_unsigned_calls(
    modelreg: ModelRegistryHandle, service: str, call: Any, answer: tuple[str, str, int]
) -> None:
    with modelreg.unrestricted(), pytest.raises(ClientError) as raised:
        # Not even reg.unrestricted() authenticates a request that carries no signature.
        call(unsigned(service))
    error = raised.value.response
    assert (
        error["Error"]["Code"],
        error["Error"]["Message"],
        error["ResponseMetadata"]["HTTPStatusCode"],
    ) == answer
    # Refused before any authorization: nothing recorded, nothing created.
    assert modelreg.calls == []
    assert (
        modelreg.admin_client("sagemaker").list_model_package_groups()[
            "ModelPackageGroupSummaryList"
        ]
        == []
    )


def test_unsigned_raw_sagemaker_request(modelreg: ModelRegistryHandle, library: str) -> None:
    headers = {
        "X-Amz-Target": "SageMaker.CreateModelPackageGroup",
        "Content-Type": "application/x-amz-json-1.1",
    }
    body = json.dumps({"ModelPackageGroupName": "churn"}).encode()
    answer = send(library, "POST", "https://api.sagemaker.us-east-1.amazonaws.com/", headers, body)
    assert answer.status == 403
    assert json.loads(answer.body) == {
        "__type": "MissingAuthenticationTokenException",
        "message": "Missing Authentication Token",
    }
    assert (
        modelreg.admin_client("sagemaker").list_model_package_groups()[
            "ModelPackageGroupSummaryList"
        ]
        == []
    )


def test_a_raised_anonymous_denial_is_reported_as_raised(pytester: pytest.Pytester) -> None:
    """The report matches AWS's anonymous message ("Access Denied"), not the signed-caller text."""
    pytester.makepyfile(
        """
        import boto3, botocore
        from botocore.config import Config

        def test_reads(modelreg):
            admin = modelreg.admin_client("s3")
            admin.create_bucket(Bucket="sagemaker-private")
            admin.put_object(Bucket="sagemaker-private", Key="k", Body=b"x")
            s3 = boto3.client("s3", config=Config(signature_version=botocore.UNSIGNED))
            s3.get_object(Bucket="sagemaker-private", Key="k")
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*denied calls: 1 raised, 0 caught by the code under test*"])

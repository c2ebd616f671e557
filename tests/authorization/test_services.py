"""The table of served services agrees with botocore's models, the IAM reference data and the
mapping tables, so no other place needs its own list."""

from __future__ import annotations

import pytest

from pytest_modelreg import services
from pytest_modelreg._botocore_models import service_model
from pytest_modelreg.authorization import iamref
from pytest_modelreg.authorization.tables import TABLES


@pytest.mark.parametrize("row", services.SERVICES, ids=lambda r: r.name)
def test_protocol_is_botocore_s(row: services.ServedService) -> None:
    """The error body follows the service's protocol (botocore model ``metadata.protocol``)."""
    assert service_model(row.name).metadata["protocol"] == row.denied.protocol


@pytest.mark.parametrize("row", services.SERVICES, ids=lambda r: r.name)
def test_iam_prefix_names_the_service_s_actions(row: services.ServedService) -> None:
    """The Service Authorization Reference lists actions under the prefix; the Tagging API's is
    ``tag``, not its endpoint prefix ``tagging``."""
    assert iamref.action_names(row.iam_prefix)
    if row.name == "resourcegroupstaggingapi":
        assert service_model(row.name).metadata["endpointPrefix"] == "tagging"
        assert row.iam_prefix == "tag"


def test_reference_data_is_read_through_one_object() -> None:
    """Action names come back as the reference spells them; an unknown prefix has none."""
    assert "CreateModelPackage" in iamref.action_names("sagemaker")
    assert iamref.action_names("no-such-service") == ()
    ref = iamref.action("SAGEMAKER:createmodelpackage")  # IAM action names ignore case
    assert ref is not None and ref.action == "sagemaker:CreateModelPackage"


def test_every_served_service_has_one_mapping_table() -> None:
    assert sorted(t.service for t in TABLES) == sorted(services.SERVED)


@pytest.mark.parametrize(
    ("service", "code", "status"),
    [
        # "User: ... is not authorized to perform: sagemaker:DescribeModelPackage ..." with
        # AccessDeniedException (aws-samples/ml-edge-getting-started#18); "Status Code: 400; Error
        # Code: AccessDeniedException" (awslabs/service-workbench-on-aws#1176).
        ("sagemaker", "AccessDeniedException", 400),
        # botocore's s3 model: error shape AccessDenied, httpStatusCode 403.
        ("s3", "AccessDenied", 403),
        # "Troubleshoot access denied error messages" (IAM User Guide): AccessDenied, 403.
        ("iam", "AccessDenied", 403),
        ("sts", "AccessDenied", 403),
        # JSON protocols answer AccessDeniedException; the 400 is [INFERRED] from SageMaker's.
        ("ecr", "AccessDeniedException", 400),
        ("kms", "AccessDeniedException", 400),
        ("resourcegroupstaggingapi", "AccessDeniedException", 400),
        # "An error occurred (AccessDeniedException) when calling the CreateGroup operation"
        # (aws-samples/aws-service-catalog-terraform-reference-architecture#9); 403 as botocore's
        # ForbiddenException.
        ("resource-groups", "AccessDeniedException", 403),
        # "... is not authorized to perform: events:PutRule on resource: ... (Service:
        # AmazonCloudWatchEvents; Status Code: 400; Error Code: AccessDeniedException ...)".
        ("events", "AccessDeniedException", 400),
        # "An error occurred (AccessDenied) when calling the ReceiveMessage operation: User: ...
        # is not authorized to perform: sqs:receivemessage ..."; 403 [INFERRED] as in the query era.
        ("sqs", "AccessDenied", 403),
    ],
)
def test_access_denied_answer(service: str, code: str, status: int) -> None:
    error = services.denied_error(service)
    assert (error.code, error.http_status, error.message_prefix) == (code, status, "")


def test_head_requests_and_unknown_services() -> None:
    """A HEAD denial has no body: botocore reports Code '403', Message 'Forbidden'
    (botocore.parsers, _parse_error_from_http_status). Other S3 calls answer AccessDenied."""
    head = services.denied_error("s3", "HeadObject")
    assert (head.code, head.http_status, head.message_prefix) == ("403", 403, "Forbidden")
    assert services.denied_error("s3", "GetObject").code == "AccessDenied"
    # A service nothing serves (moto has no Amazon Translate backend) gets the JSON default.
    assert services.denied_error("translate").code == "AccessDeniedException"

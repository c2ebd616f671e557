"""Model packages: create/describe/list/update/delete (spec §3 to §6)."""

from __future__ import annotations

import pytest
from conftest import ACCOUNT, CONTAINER, INFERENCE_SPEC, OTHER, REGION, Caller

from pytest_modelreg.simulation.base import ServiceError


def pkg_arn(name: str, version: int | None = None, account: str = ACCOUNT) -> str:
    suffix = f"{name}/{version}" if version is not None else name
    return f"arn:aws:sagemaker:{REGION}:{account}:model-package/{suffix}"


@pytest.fixture
def group(call: Caller) -> str:
    call("CreateModelPackageGroup", ModelPackageGroupName="Churn")
    return "Churn"


def create_version(call: Caller, group: str = "Churn", **extra: object) -> str:
    arn: str = call(
        "CreateModelPackage",
        ModelPackageGroupName=group,
        InferenceSpecification=INFERENCE_SPEC,
        **extra,
    )["ModelPackageArn"]
    return arn


def test_versions_number_from_one_and_keep_case(call: Caller, group: str) -> None:
    arns = [create_version(call) for _ in range(3)]
    assert arns == [pkg_arn("Churn", v) for v in (1, 2, 3)]  # §4.2 [DOC], §1.3 [REAL]


def test_describe_version_after_create(call: Caller, group: str) -> None:
    arn = create_version(call, ModelPackageDescription="first")
    d = call("DescribeModelPackage", ModelPackageName=arn)
    # §4.3
    assert d["ModelPackageGroupName"] == "Churn"
    assert d["ModelPackageName"] == "Churn"  # [INFERRED] required output member
    assert d["ModelPackageVersion"] == 1
    assert d["ModelPackageStatus"] == "Completed"
    assert d["ModelPackageStatusDetails"] == {"ValidationStatuses": [], "ImageScanStatuses": []}
    assert d["ModelApprovalStatus"] == "PendingManualApproval"  # §4.1 default
    assert d["CertifyForMarketplace"] is False
    assert d["InferenceSpecification"] == INFERENCE_SPEC
    assert d["ModelPackageDescription"] == "first"
    assert "LastModifiedTime" not in d  # §1.4 [INFERRED]


def test_create_output_has_only_the_arn(call: Caller, group: str) -> None:
    r = call("CreateModelPackage", ModelPackageGroupName="Churn")  # §4: no ModelPackageName
    assert set(r) == {"ModelPackageArn"}


def test_describe_returns_a_copy(call: Caller, group: str) -> None:
    arn = create_version(call)
    d = call("DescribeModelPackage", ModelPackageName=arn)
    d["InferenceSpecification"]["Containers"].clear()
    assert (
        call("DescribeModelPackage", ModelPackageName=arn)["InferenceSpecification"]
        == INFERENCE_SPEC
    )


def test_create_into_group_by_arn_cross_account(call: Caller) -> None:
    owner = call.as_account(OTHER)
    owner("CreateModelPackageGroup", ModelPackageGroupName="Shared")
    arn = call(
        "CreateModelPackage",
        ModelPackageGroupName=f"arn:aws:sagemaker:{REGION}:{OTHER}:model-package-group/Shared",
    )["ModelPackageArn"]
    assert arn == pkg_arn("Shared", 1, OTHER)  # §7 step 5 [DOC]: lives in the owner's account
    assert owner("DescribeModelPackage", ModelPackageName=arn)["CreatedBy"]["IamIdentity"][
        "Arn"
    ].startswith(f"arn:aws:sts::{ACCOUNT}:")


def test_unversioned_package(call: Caller) -> None:
    arn = call(
        "CreateModelPackage",
        ModelPackageName="algo-pkg",
        CertifyForMarketplace=False,
        InferenceSpecification={**INFERENCE_SPEC, "Containers": [CONTAINER]},
        Tags=[{"Key": "team", "Value": "a"}],
    )["ModelPackageArn"]
    assert arn == pkg_arn("algo-pkg")
    d = call("DescribeModelPackage", ModelPackageName="algo-pkg")
    assert "ModelPackageVersion" not in d and "ModelApprovalStatus" not in d
    assert call("DescribeModelPackage", ModelPackageName=arn)["ModelPackageArn"] == arn
    assert call("ListTags", ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "a"}]
    with pytest.raises(ServiceError) as e:  # §4.1 [SDK]: contains "ModelPackage already exists"
        call("CreateModelPackage", ModelPackageName="algo-pkg")
    assert "ModelPackage already exists" in e.value.message


@pytest.mark.parametrize(
    ("params", "message"),
    [
        # §3 [MOTO PR #7165, copied from AWS]
        (
            {"ModelPackageName": "a", "ModelPackageGroupName": "Churn"},
            "Both ModelPackageName and ModelPackageGroupName are provided in the input. "
            "Cannot determine which one to use.",
        ),
        ({}, "Missing ARN."),  # §3
        # §3 [REAL]
        (
            {
                "ModelPackageName": "u",
                "InferenceSpecification": {
                    **INFERENCE_SPEC,
                    "Containers": [{**CONTAINER, "Environment": {"A": "1"}}],
                },
            },
            "1 validation errors detected:Environment variable map cannot be specified when using "
            "non-versioned ModelPackages",
        ),
        # §4.1 [REAL boto/boto3#4510]
        (
            {
                "ModelPackageGroupName": "Churn",
                "InferenceSpecification": {
                    **INFERENCE_SPEC,
                    "Containers": [
                        {
                            **CONTAINER,
                            "AdditionalS3DataSource": {
                                "S3DataType": "S3Object",
                                "S3Uri": "s3://b/k",
                            },
                        }
                    ],
                },
            },
            "AdditionalS3DataSource is not allowed in InferenceSpecification",
        ),
        # §4.1 Addendum: code written against AWS matches this text
        ({"ModelPackageGroupName": "Missing"}, "Model Package Group does not exist."),
        # §3 [DOC/INFERRED text]: no tags on versioned packages
        (
            {"ModelPackageGroupName": "Churn", "Tags": [{"Key": "a", "Value": "b"}]},
            "Tags cannot be specified when ModelPackageGroupName is specified.",
        ),
        # §4.1 [REAL #4843]: ValidationRole must be an ARN
        (
            {
                "ModelPackageGroupName": "Churn",
                "ValidationSpecification": {
                    "ValidationRole": "AmazonSageMaker-ExecutionRole-20230901T123456",
                    "ValidationProfiles": [
                        {
                            "ProfileName": "p",
                            "TransformJobDefinition": {
                                "TransformInput": {
                                    "DataSource": {
                                        "S3DataSource": {
                                            "S3DataType": "S3Prefix",
                                            "S3Uri": "s3://b/in",
                                        }
                                    }
                                },
                                "TransformOutput": {"S3OutputPath": "s3://b/out"},
                                "TransformResources": {
                                    "InstanceType": "ml.m5.large",
                                    "InstanceCount": 1,
                                },
                            },
                        }
                    ],
                },
            },
            "1 validation error detected: Value 'AmazonSageMaker-ExecutionRole-20230901T123456' at "
            "'validationSpecification.validationRole' failed to satisfy constraint: Member must "
            "satisfy regular expression pattern: "
            "arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+",
        ),
        # §1.2 [INFERRED] list element path
        (
            {
                "ModelPackageGroupName": "Churn",
                "InferenceSpecification": {
                    **INFERENCE_SPEC,
                    "Containers": [{**CONTAINER, "Image": "has space"}],
                },
            },
            "1 validation error detected: Value 'has space' at "
            "'inferenceSpecification.containers.1.member.image' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: [\\S]+",
        ),
    ],
)
def test_create_errors(call: Caller, group: str, params: dict[str, object], message: str) -> None:
    with pytest.raises(ServiceError) as e:
        call("CreateModelPackage", **params)
    assert (e.value.code, e.value.message) == ("ValidationException", message)


def test_empty_environment_is_accepted_on_versioned(call: Caller, group: str) -> None:
    # §4.1 [SDK trace]: the SDK always sends Environment={}
    spec = {**INFERENCE_SPEC, "Containers": [{**CONTAINER, "Environment": {}}]}
    arn = call(
        "CreateModelPackage",
        ModelPackageGroupName="Churn",
        InferenceSpecification=spec,
        SkipModelValidation="None",
        CertifyForMarketplace=False,
        ModelApprovalStatus="Approved",
    )["ModelPackageArn"]
    d = call("DescribeModelPackage", ModelPackageName=arn)
    assert d["ModelApprovalStatus"] == "Approved" and d["SkipModelValidation"] == "None"


def test_client_token_idempotency(call: Caller, group: str) -> None:
    # §4.1 [MODEL idempotencyToken; semantics INFERRED]
    a = create_version(call, ClientToken="tok-1")
    assert create_version(call, ClientToken="tok-1") == a
    assert create_version(call, ClientToken="tok-2") == pkg_arn("Churn", 2)
    with pytest.raises(ServiceError) as e:
        create_version(call, ClientToken="tok-1", ModelPackageDescription="other")
    assert e.value.code == "ConflictException"


def test_version_numbers_are_not_reused(call: Caller, group: str) -> None:
    for _ in range(3):
        create_version(call)
    call("DeleteModelPackage", ModelPackageName=pkg_arn("Churn", 3))
    assert create_version(call) == pkg_arn("Churn", 4)  # §4.2 [INFERRED]


def test_describe_group_name_is_not_latest_version(call: Caller, group: str) -> None:
    create_version(call)
    with pytest.raises(ServiceError) as e:  # §6.1 [INFERRED]
        call("DescribeModelPackage", ModelPackageName="Churn")
    assert e.value.message == f"ModelPackage {pkg_arn('Churn')} does not exist."


def test_describe_short_versioned_form(call: Caller, group: str) -> None:
    create_version(call)
    assert call("DescribeModelPackage", ModelPackageName="Churn/1")["ModelPackageVersion"] == 1


def test_describe_missing_quotes_the_arn_as_given(call: Caller) -> None:
    arn = "arn:aws:sagemaker:us-west-2:594846645681:model-package/jina-embeddings-v2-base-en"
    with pytest.raises(ServiceError) as e:
        call("DescribeModelPackage", ModelPackageName=arn)
    # §6.1 [REAL]
    assert e.value.message == f"ModelPackage {arn} does not exist."


def test_describe_bad_pattern(call: Caller) -> None:
    value = "<Customer to specify Model package ARN corresponding to their AWS region>"
    with pytest.raises(ServiceError) as e:
        call("DescribeModelPackage", ModelPackageName=value)
    # §1.2 [REAL] with today's {1,9}
    assert e.value.message == (
        f"1 validation error detected: Value '{value}' at 'modelPackageName' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: "
        "(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:[a-z\\-]*\\/)?"
        "([a-zA-Z0-9]([a-zA-Z0-9-]){0,62})(?<!-)(\\/[0-9]{1,9})?"
    )

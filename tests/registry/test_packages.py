"""Model packages: create/describe/list/update/delete (botocore's model and the
evidence cited per test)."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_modelreg.simulation.base import ServiceError

from ._helpers import ACCOUNT, CONTAINER, INFERENCE_SPEC, OTHER, REGION, Caller


def pkg_arn(name: str, version: int | None = None, account: str = ACCOUNT) -> str:
    suffix = f"{name}/{version}" if version is not None else name
    return f"arn:aws:sagemaker:{REGION}:{account}:model-package/{suffix}"


@pytest.fixture
def group(call: Caller) -> str:
    call("CreateModelPackageGroup", ModelPackageGroupName="Churn")
    return "Churn"


def create_version(call: Caller, group: str = "Churn", **extra: Any) -> str:
    arn: str = call(
        "CreateModelPackage",
        ModelPackageGroupName=group,
        InferenceSpecification=INFERENCE_SPEC,
        **extra,
    )["ModelPackageArn"]
    return arn


def test_versions_number_from_one_and_keep_case(call: Caller, group: str) -> None:
    arns = [create_version(call) for _ in range(3)]
    assert arns == [
        pkg_arn("Churn", v) for v in (1, 2, 3)
    ]  # numbered from 1 ("Model groups and versions"); case kept


def test_describe_version_after_create(call: Caller, group: str) -> None:
    arn = create_version(call, ModelPackageDescription="first")
    d = call("DescribeModelPackage", ModelPackageName=arn)
    # Describe right after create: every member sent, defaults filled in
    assert d["ModelPackageGroupName"] == "Churn"
    assert d["ModelPackageName"] == "Churn"  # [INFERRED] required output member
    assert d["ModelPackageVersion"] == 1
    assert d["ModelPackageStatus"] == "Completed"
    assert d["ModelPackageStatusDetails"] == {"ValidationStatuses": [], "ImageScanStatuses": []}
    assert d["ModelApprovalStatus"] == "PendingManualApproval"  # the documented default
    assert d["CertifyForMarketplace"] is False
    assert d["InferenceSpecification"] == INFERENCE_SPEC
    assert d["ModelPackageDescription"] == "first"
    assert "LastModifiedTime" not in d  # [INFERRED] absent until the first update


def test_create_output_has_only_the_arn(call: Caller, group: str) -> None:
    r = call(
        "CreateModelPackage", ModelPackageGroupName="Churn"
    )  # the model's output: no ModelPackageName
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
    assert arn == pkg_arn(
        "Shared", 1, OTHER
    )  # lives in the owner's account (cross-account registration)
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
    with pytest.raises(ServiceError) as e:  # the SDK matches "ModelPackage already exists"
        call("CreateModelPackage", ModelPackageName="algo-pkg")
    assert "ModelPackage already exists" in e.value.message


@pytest.mark.parametrize(
    ("params", "message"),
    [
        # AWS's text, copied into getmoto/moto PR #7165
        (
            {"ModelPackageName": "a", "ModelPackageGroupName": "Churn"},
            "Both ModelPackageName and ModelPackageGroupName are provided in the input. "
            "Cannot determine which one to use.",
        ),
        ({}, "Missing ARN."),  # moto PR #7165
        # as users quote it
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
        # boto/boto3#4510
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
        # code written against AWS matches this text
        ({"ModelPackageGroupName": "Missing"}, "Model Package Group does not exist."),
        # no tags on versioned packages (the model's CreateModelPackage docs; text [INFERRED])
        (
            {"ModelPackageGroupName": "Churn", "Tags": [{"Key": "a", "Value": "b"}]},
            "Tags cannot be specified when ModelPackageGroupName is specified.",
        ),
        # ValidationRole must be an ARN (aws/amazon-sagemaker-examples#4843)
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
        # [INFERRED] list element path
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
    # the SageMaker Python SDK always sends Environment={}
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
    # the model marks ClientToken idempotencyToken; semantics [INFERRED]
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
    assert create_version(call) == pkg_arn("Churn", 4)  # [INFERRED] numbers not reused


def test_describe_group_name_is_not_latest_version(call: Caller, group: str) -> None:
    create_version(call)
    with pytest.raises(ServiceError) as e:  # [INFERRED]
        call("DescribeModelPackage", ModelPackageName="Churn")
    assert e.value.message == f"ModelPackage {pkg_arn('Churn')} does not exist."


def test_describe_short_versioned_form(call: Caller, group: str) -> None:
    create_version(call)
    assert call("DescribeModelPackage", ModelPackageName="Churn/1")["ModelPackageVersion"] == 1


def test_describe_missing_quotes_the_arn_as_given(call: Caller) -> None:
    arn = "arn:aws:sagemaker:us-west-2:594846645681:model-package/jina-embeddings-v2-base-en"
    with pytest.raises(ServiceError) as e:
        call("DescribeModelPackage", ModelPackageName=arn)
    # an observed DescribeModelPackage error
    assert e.value.message == f"ModelPackage {arn} does not exist."


def test_describe_bad_pattern(call: Caller) -> None:
    value = "<Customer to specify Model package ARN corresponding to their AWS region>"
    with pytest.raises(ServiceError) as e:
        call("DescribeModelPackage", ModelPackageName=value)
    # observed (aws/amazon-sagemaker-examples#2289) with today's {1,9}
    assert e.value.message == (
        f"1 validation error detected: Value '{value}' at 'modelPackageName' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: "
        "(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:[a-z\\-]*\\/)?"
        "([a-zA-Z0-9]([a-zA-Z0-9-]){0,62})(?<!-)(\\/[0-9]{1,9})?"
    )


# --- ListModelPackages -----------------------------------------------------------------------------


def _arns(r: dict[str, object]) -> list[str]:
    return [s["ModelPackageArn"] for s in r["ModelPackageSummaryList"]]  # type: ignore[attr-defined]


def test_list_without_arguments_is_unversioned_only(call: Caller, group: str) -> None:
    create_version(call)
    call("CreateModelPackage", ModelPackageName="loose")
    # the model's ModelPackageType default (boto/boto3#3069)
    assert _arns(call("ListModelPackages")) == [pkg_arn("loose")]
    assert _arns(call("ListModelPackages", ModelPackageType="Versioned")) == [pkg_arn("Churn", 1)]
    assert _arns(call("ListModelPackages", ModelPackageType="Both")) == [
        pkg_arn("Churn", 1),
        pkg_arn("loose"),
    ]


def test_list_group_summaries(call: Caller, group: str) -> None:
    create_version(call, ModelApprovalStatus="Approved")
    call("CreateModelPackage", ModelPackageName="loose", ModelPackageDescription="d")
    s = call("ListModelPackages", ModelPackageGroupName="Churn")["ModelPackageSummaryList"][0]
    # no ModelPackageName on versioned summaries (aws/sagemaker-python-sdk#5606)
    assert set(s) == {
        "ModelPackageGroupName",
        "ModelPackageVersion",
        "ModelPackageArn",
        "CreationTime",
        "ModelPackageStatus",
        "ModelApprovalStatus",
    }
    u = call("ListModelPackages")["ModelPackageSummaryList"][0]
    assert u["ModelPackageName"] == "loose" and "ModelPackageVersion" not in u


def test_list_latest_approved_like_the_sdk(call: Caller, group: str) -> None:
    # the SDK's get_most_recently_created_approved_model_package
    for status in ["Approved", "Rejected", "Approved", "PendingManualApproval"]:
        create_version(call, ModelApprovalStatus=status)
    r = call(
        "ListModelPackages",
        ModelPackageGroupName="Churn",
        ModelApprovalStatus="Approved",
        SortBy="CreationTime",
        SortOrder="Descending",
        MaxResults=1,
    )
    assert _arns(r) == [pkg_arn("Churn", 3)]
    r2 = call(
        "ListModelPackages",
        ModelPackageGroupName="Churn",
        ModelApprovalStatus="Approved",
        SortOrder="Descending",
        MaxResults=1,
        NextToken=r["NextToken"],
    )
    assert _arns(r2) == [pkg_arn("Churn", 1)] and "NextToken" not in r2


def test_list_group_pagination_both_orders(call: Caller, group: str) -> None:
    for _ in range(7):
        create_version(call)
    for order, expected in [("Ascending", range(1, 8)), ("Descending", range(7, 0, -1))]:
        seen: list[str] = []
        token = None
        while True:
            kw: dict[str, object] = {"ModelPackageGroupName": "Churn", "MaxResults": 3}
            kw["SortOrder"] = order
            if token:
                kw["NextToken"] = token
            r = call("ListModelPackages", **kw)
            seen += _arns(r)
            token = r.get("NextToken")
            if not token:
                break
        assert seen == [pkg_arn("Churn", v) for v in expected]


def test_list_pagination_survives_a_delete_between_pages(call: Caller, group: str) -> None:
    for _ in range(4):
        create_version(call)
    r = call("ListModelPackages", ModelPackageGroupName="Churn", MaxResults=2)
    call("DeleteModelPackage", ModelPackageName=pkg_arn("Churn", 2))
    call("DeleteModelPackage", ModelPackageName=pkg_arn("Churn", 3))
    r2 = call("ListModelPackages", ModelPackageGroupName="Churn", NextToken=r["NextToken"])
    assert _arns(r2) == [pkg_arn("Churn", 4)]


def test_list_missing_group(call: Caller) -> None:
    with pytest.raises(ServiceError) as e:  # [INFERRED]
        call("ListModelPackages", ModelPackageGroupName="Nope")
    assert e.value.message.endswith("model-package-group/Nope does not exist.")


def test_list_cross_account_group_by_arn(call: Caller) -> None:
    owner = call.as_account(OTHER)
    owner("CreateModelPackageGroup", ModelPackageGroupName="Shared")
    owner("CreateModelPackage", ModelPackageGroupName="Shared")
    garn = f"arn:aws:sagemaker:{REGION}:{OTHER}:model-package-group/Shared"
    assert _arns(call("ListModelPackages", ModelPackageGroupName=garn)) == [
        pkg_arn("Shared", 1, OTHER)
    ]


def test_list_name_contains_and_time_window(call: Caller, group: str) -> None:
    call("CreateModelPackageGroup", ModelPackageGroupName="Other")
    create_version(call)
    create_version(call, group="Other")
    r = call("ListModelPackages", ModelPackageType="Versioned", NameContains="churn")
    assert _arns(r) == [pkg_arn("Churn", 1)]
    t = call("DescribeModelPackage", ModelPackageName=pkg_arn("Churn", 1))["CreationTime"]
    r = call("ListModelPackages", ModelPackageType="Versioned", CreationTimeAfter=t)
    assert _arns(r) == [pkg_arn("Other", 1)]
    r = call("ListModelPackages", ModelPackageType="Versioned", SortBy="Name")
    assert _arns(r) == [pkg_arn("Churn", 1), pkg_arn("Other", 1)]


def test_list_name_contains_pattern(call: Caller) -> None:
    with pytest.raises(ServiceError) as e:  # [MODEL] NameContains [a-zA-Z0-9\-]+
        call("ListModelPackages", NameContains="a b")
    assert "at 'nameContains'" in e.value.message


# --- BatchDescribeModelPackage --------------------------------------------------------------------


def test_batch_describe(call: Caller, group: str) -> None:
    create_version(call, ModelPackageRegistrationType="Registered")
    call("CreateModelPackage", ModelPackageName="loose")
    missing = pkg_arn("Churn", 9)
    r = call(
        "BatchDescribeModelPackage",
        ModelPackageArnList=[pkg_arn("Churn", 1), missing, pkg_arn("loose")],
    )
    s = r["ModelPackageSummaries"][pkg_arn("Churn", 1)]
    assert s["ModelPackageVersion"] == 1 and s["InferenceSpecification"] == INFERENCE_SPEC
    assert s["ModelPackageRegistrationType"] == "Registered"
    assert r["BatchDescribeModelPackageErrorMap"][missing] == {
        "ErrorCode": "ValidationException",
        "ErrorResponse": f"ModelPackage {missing} does not exist.",
    }
    assert pkg_arn("loose") in r["BatchDescribeModelPackageErrorMap"]  # versioned only


def test_batch_describe_list_max_100(call: Caller) -> None:
    with pytest.raises(ServiceError) as e:  # [MODEL] 1-100
        call("BatchDescribeModelPackage", ModelPackageArnList=[pkg_arn("G", 1)] * 101)
    assert "Member must have length less than or equal to 100" in e.value.message


# --- UpdateModelPackage ---------------------------------------------------------------------------


def test_update_approval_keeps_other_fields(call: Caller, group: str) -> None:
    arn = create_version(call, CustomerMetadataProperties={"a": "1", "b": "2"})
    call(
        "UpdateModelPackage",
        ModelPackageArn=arn,
        ModelApprovalStatus="Approved",
        ApprovalDescription="Approved modelpackage",
    )
    call("UpdateModelPackage", ModelPackageArn=arn, CustomerMetadataProperties={"b": "3", "c": "4"})
    call("UpdateModelPackage", ModelPackageArn=arn, CustomerMetadataPropertiesToRemove=["a", "zz"])
    d = call("DescribeModelPackage", ModelPackageName=arn)
    assert d["ModelApprovalStatus"] == "Approved"  # not reset (a moto bug)
    assert d["ApprovalDescription"] == "Approved modelpackage"  # [REAL ACK e2e]
    assert d["CustomerMetadataProperties"] == {"b": "3", "c": "4"}  # merge + remove [INFERRED]
    assert d["LastModifiedBy"]["IamIdentity"]["Arn"].endswith("/Tester/session")
    assert d["LastModifiedTime"] > d["CreationTime"]


@pytest.mark.parametrize(
    ("start", "to"),
    [
        ("PendingManualApproval", "Approved"),
        ("PendingManualApproval", "Rejected"),
        ("Rejected", "Approved"),
        ("Approved", "Rejected"),
        ("Approved", "PendingManualApproval"),  # [INFERRED] not blocked
        ("Approved", "Approved"),  # same value again: no-op success
    ],
)
def test_update_approval_transitions(call: Caller, group: str, start: str, to: str) -> None:
    # "Update the Approval Status of a Model" (SageMaker Developer Guide)
    arn = create_version(call, ModelApprovalStatus=start)
    assert call("UpdateModelPackage", ModelPackageArn=arn, ModelApprovalStatus=to) == {
        "ModelPackageArn": arn
    }
    assert call("DescribeModelPackage", ModelPackageName=arn)["ModelApprovalStatus"] == to


def test_update_additional_specs_and_replacements(call: Caller, group: str) -> None:
    arn = call("CreateModelPackage", ModelPackageGroupName="Churn", SourceUri="dummy source uri")[
        "ModelPackageArn"
    ]
    extra = {"Name": "gpu", "Containers": [CONTAINER]}
    call("UpdateModelPackage", ModelPackageArn=arn, AdditionalInferenceSpecificationsToAdd=[extra])
    call(
        "UpdateModelPackage",
        ModelPackageArn=arn,
        InferenceSpecification=INFERENCE_SPEC,
        SourceUri="s3://b/new",
        ModelLifeCycle={"Stage": "Production", "StageStatus": "Approved"},
        ModelCard={"ModelCardStatus": "Draft", "ModelCardContent": "{}"},
    )
    d = call("DescribeModelPackage", ModelPackageName=arn)
    assert d["AdditionalInferenceSpecifications"] == [extra]  # [SDK integ]
    assert d["InferenceSpecification"] == INFERENCE_SPEC
    assert d["SourceUri"] == "s3://b/new"
    assert d["ModelLifeCycle"]["Stage"] == "Production"
    with pytest.raises(ServiceError) as e:  # duplicate Name [INFERRED]
        call(
            "UpdateModelPackage",
            ModelPackageArn=arn,
            AdditionalInferenceSpecificationsToAdd=[extra],
        )
    assert e.value.code == "ValidationException"


def test_update_additional_specs_limit_15(call: Caller, group: str) -> None:
    arn = create_version(call)
    specs = [{"Name": f"s{i}", "Containers": [CONTAINER]} for i in range(15)]
    call("UpdateModelPackage", ModelPackageArn=arn, AdditionalInferenceSpecificationsToAdd=specs)
    with pytest.raises(ServiceError) as e:  # [MODEL doc text]
        call(
            "UpdateModelPackage",
            ModelPackageArn=arn,
            AdditionalInferenceSpecificationsToAdd=[{"Name": "x", "Containers": [CONTAINER]}],
        )
    assert e.value.message == (
        "Total number of additional Inference Specifications can not exceed 15"
    )


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({}, "ValidationException"),  # nothing to update [INFERRED]
        (
            {"CustomerMetadataProperties": {"a": "1"}, "CustomerMetadataPropertiesToRemove": ["a"]},
            "ValidationException",
        ),  # [INFERRED]
    ],
)
def test_update_refusals(call: Caller, group: str, extra: dict[str, object], code: str) -> None:
    arn = create_version(call)
    with pytest.raises(ServiceError) as e:
        call("UpdateModelPackage", ModelPackageArn=arn, **extra)
    assert e.value.code == code


def test_update_metadata_limit_50(call: Caller, group: str) -> None:
    arn = create_version(call, CustomerMetadataProperties={f"k{i}": "v" for i in range(50)})
    with pytest.raises(ServiceError):  # result must stay <= 50 [INFERRED]
        call("UpdateModelPackage", ModelPackageArn=arn, CustomerMetadataProperties={"new": "v"})
    d = call("DescribeModelPackage", ModelPackageName=arn)
    assert "new" not in d["CustomerMetadataProperties"]  # a refused update changes nothing


def test_update_needs_an_arn_and_a_version(call: Caller, group: str) -> None:
    with pytest.raises(ServiceError) as e:  # [MODEL] ARN pattern
        call("UpdateModelPackage", ModelPackageArn="Churn/1", ModelApprovalStatus="Approved")
    assert "at 'modelPackageArn' failed to satisfy constraint" in e.value.message
    call("CreateModelPackage", ModelPackageName="loose")
    with pytest.raises(ServiceError) as e:  # "Updates a versioned model." [MODEL]; [INFERRED]
        call("UpdateModelPackage", ModelPackageArn=pkg_arn("loose"), ModelApprovalStatus="Approved")
    assert e.value.code == "ValidationException"
    with pytest.raises(ServiceError) as e:
        call(
            "UpdateModelPackage",
            ModelPackageArn=pkg_arn("Churn", 5),
            ModelApprovalStatus="Approved",
        )
    assert e.value.message == f"ModelPackage {pkg_arn('Churn', 5)} does not exist."


def test_update_bad_enum(call: Caller, group: str) -> None:
    arn = create_version(call)
    with pytest.raises(ServiceError) as e:  # enum phrase [INFERRED]
        call("UpdateModelPackage", ModelPackageArn=arn, ModelApprovalStatus="Bogus")
    assert e.value.message == (
        "1 validation error detected: Value 'Bogus' at 'modelApprovalStatus' failed to satisfy "
        "constraint: Member must satisfy enum value set: "
        "[Approved, Rejected, PendingManualApproval]"
    )


# --- status lifecycle -------------------------------------------------------------------------------

VALIDATION_SPEC = {
    "ValidationRole": f"arn:aws:iam::{ACCOUNT}:role/Validator",
    "ValidationProfiles": [
        {
            "ProfileName": "p1",
            "TransformJobDefinition": {
                "TransformInput": {
                    "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://b/in"}}
                },
                "TransformOutput": {"S3OutputPath": "s3://b/out"},
                "TransformResources": {"InstanceType": "ml.m5.large", "InstanceCount": 1},
            },
        }
    ],
}


def _status(call: Caller, arn: str) -> tuple[str, list[dict[str, str]]]:
    d = call("DescribeModelPackage", ModelPackageName=arn)
    return d["ModelPackageStatus"], d["ModelPackageStatusDetails"]["ValidationStatuses"]


def test_validation_lifecycle(call: Caller, group: str) -> None:
    arn = create_version(call, ValidationSpecification=VALIDATION_SPEC)
    assert _status(call, arn) == ("Pending", [{"Name": "p1", "Status": "NotStarted"}])
    with pytest.raises(ServiceError) as e:  # [INFERRED]
        call("UpdateModelPackage", ModelPackageArn=arn, ModelApprovalStatus="Approved")
    assert e.value.code == "ConflictException"
    with pytest.raises(ServiceError) as e:  # [INFERRED]
        call("DeleteModelPackage", ModelPackageName=arn)
    assert e.value.code == "ConflictException"
    call.registry.advance_validations()
    assert _status(call, arn) == ("InProgress", [{"Name": "p1", "Status": "InProgress"}])
    call.registry.advance_validations()
    assert _status(call, arn) == ("Completed", [{"Name": "p1", "Status": "Completed"}])
    call("UpdateModelPackage", ModelPackageArn=arn, ModelApprovalStatus="Approved")


def test_validation_failure_injection(call: Caller, group: str) -> None:
    arn = create_version(call, ValidationSpecification=VALIDATION_SPEC)
    call.registry.fail_validation(arn, "Transform job failed")
    call.registry.advance_validations(steps=2)
    assert _status(call, arn) == (
        "Failed",
        [{"Name": "p1", "Status": "Failed", "FailureReason": "Transform job failed"}],
    )


# --- DeleteModelPackage ---------------------------------------------------------------------------


def test_delete_approved_version_and_unversioned(call: Caller, group: str) -> None:
    arn = create_version(call, ModelApprovalStatus="Approved")  # [REAL]: approved can be deleted
    assert call("DeleteModelPackage", ModelPackageName=arn) == {}
    with pytest.raises(ServiceError) as e:
        call("DescribeModelPackage", ModelPackageName=arn)
    assert e.value.message == f"ModelPackage {arn} does not exist."
    with pytest.raises(ServiceError):  # not idempotent
        call("DeleteModelPackage", ModelPackageName=arn)
    call("CreateModelPackage", ModelPackageName="loose")
    call("DeleteModelPackage", ModelPackageName="loose")
    call("CreateModelPackage", ModelPackageName="loose")  # the name is free again


# --- SourceUri ------------------------------------------------------------------------------------


def test_source_uri_clone_copies_inference_spec(call: Caller, group: str) -> None:
    src = create_version(call)
    clone = call("CreateModelPackage", ModelPackageGroupName="Churn", SourceUri=src)[
        "ModelPackageArn"
    ]
    d = call("DescribeModelPackage", ModelPackageName=clone)
    assert d["InferenceSpecification"] == INFERENCE_SPEC and d["SourceUri"] == src  # [SDK integ]


def test_source_uri_not_arn_with_inference_spec_is_refused(call: Caller, group: str) -> None:
    with pytest.raises(ServiceError) as e:  # [INFERRED]
        create_version(call, SourceUri="dummy source uri")
    assert e.value.code == "ValidationException"


def test_full_request_round_trips(call: Caller, group: str) -> None:
    # Every optional member the caller sends comes back from Describe.
    full: dict[str, Any] = {
        "ModelPackageDescription": "desc",
        "ModelPackageRegistrationType": "Logged",
        "MetadataProperties": {"CommitId": "abc", "GeneratedBy": "arn:pipeline"},
        "ModelMetrics": {
            "ModelQuality": {
                "Statistics": {"ContentType": "application/json", "S3Uri": "s3://b/stats.json"}
            }
        },
        "DriftCheckBaselines": {
            "ModelQuality": {"Statistics": {"S3Uri": "s3://b/s.json", "ContentType": "json"}}
        },
        "Domain": "MACHINE_LEARNING",
        "Task": "CLASSIFICATION",
        "SamplePayloadUrl": "s3://b/payload.tar.gz",
        "CustomerMetadataProperties": {"team": "a"},
        "SkipModelValidation": "All",
        "SecurityConfig": {"KmsKeyId": "alias/key"},
        "ModelCard": {"ModelCardStatus": "Draft", "ModelCardContent": '{"model_overview": {}}'},
        "ModelLifeCycle": {"Stage": "Development", "StageStatus": "InProgress"},
        "AdditionalInferenceSpecifications": [{"Name": "cpu", "Containers": [CONTAINER]}],
    }
    arn = create_version(call, **full)
    d = call("DescribeModelPackage", ModelPackageName=arn)
    for k, v in full.items():
        assert d[k] == v, k


def test_metadata_only_model_card(call: Caller, group: str) -> None:
    content = (
        '{"model_overview": {"model_id": "m", "model_owner": "secret"},'
        ' "intended_uses": {"risk_rating": "Low", "purpose": "x"}}'
    )
    arn = create_version(call, ModelCard={"ModelCardStatus": "Draft", "ModelCardContent": content})
    d = call("DescribeModelPackage", ModelPackageName=arn, IncludedData="MetadataOnly")
    assert d["ModelCard"]["ModelCardContent"] == (
        '{"model_overview": {"model_id": "m"}, "intended_uses": {"risk_rating": "Low"}}'
    )


# --- limits and odds and ends ---------------------------------------------------------------------


def test_quotas_are_options() -> None:
    from pytest_modelreg.simulation.registry import ModelRegistry, Options

    from ._helpers import make_ctx

    registry = ModelRegistry(options=Options(max_groups=1, max_packages_per_group=1))
    call = Caller(registry, make_ctx())
    call("CreateModelPackageGroup", ModelPackageGroupName="one")
    with pytest.raises(ServiceError) as e:  # [MODEL] ResourceLimitExceeded
        call("CreateModelPackageGroup", ModelPackageGroupName="two")
    assert e.value.code == "ResourceLimitExceeded"
    call("CreateModelPackage", ModelPackageGroupName="one")
    with pytest.raises(ServiceError) as e:
        call("CreateModelPackage", ModelPackageGroupName="one")
    assert e.value.code == "ResourceLimitExceeded"


def test_token_of_another_operation_is_invalid(call: Caller, group: str) -> None:
    for _ in range(3):
        create_version(call)
    token = call("ListModelPackages", ModelPackageGroupName="Churn", MaxResults=1)["NextToken"]
    with pytest.raises(ServiceError) as e:  # [INFERRED]
        call("ListModelPackageGroups", NextToken=token)
    assert e.value.message == "Invalid pagination token"


def test_cross_account_update_records_the_caller(call: Caller) -> None:
    owner = call.as_account(OTHER)
    owner("CreateModelPackageGroup", ModelPackageGroupName="Shared")
    arn = owner("CreateModelPackage", ModelPackageGroupName="Shared")["ModelPackageArn"]
    call(
        "UpdateModelPackage", ModelPackageArn=arn, ModelApprovalStatus="Approved"
    )  # granted by the group policy
    d = owner("DescribeModelPackage", ModelPackageName=arn)
    assert d["ModelApprovalStatus"] == "Approved"
    assert d["LastModifiedBy"]["IamIdentity"]["Arn"].startswith(f"arn:aws:sts::{ACCOUNT}:")


def test_request_params_are_not_aliased(call: Caller, group: str) -> None:
    container = dict(CONTAINER)
    spec = {**INFERENCE_SPEC, "Containers": [container]}
    arn = call("CreateModelPackage", ModelPackageGroupName="Churn", InferenceSpecification=spec)[
        "ModelPackageArn"
    ]
    container["Image"] = "mutated-after-the-call"
    d = call("DescribeModelPackage", ModelPackageName=arn)
    assert d["InferenceSpecification"]["Containers"][0]["Image"] == CONTAINER["Image"]


def test_state_change_events(call: Caller, group: str) -> None:
    # aws-samples/sagemaker-custom-project-templates#15: an event for every new package, unapproved ones included, and on approval changes
    arn = create_version(call)
    call("UpdateModelPackage", ModelPackageArn=arn, ApprovalDescription="no approval change")
    call("UpdateModelPackage", ModelPackageArn=arn, ModelApprovalStatus="Approved")
    events = call.registry.events
    assert [e["detail"]["ModelApprovalStatus"] for e in events] == [
        "PendingManualApproval",
        "Approved",
    ]
    first = events[0]
    assert first["detail-type"] == "SageMaker Model Package State Change"
    assert first["source"] == "aws.sagemaker" and first["resources"] == [arn]
    assert first["account"] == ACCOUNT and first["detail"]["ModelPackageVersion"] == 1
    validated = create_version(call, ValidationSpecification=VALIDATION_SPEC)
    call.registry.advance_validations(steps=2)
    statuses = [
        e["detail"]["ModelPackageStatus"]
        for e in call.registry.events
        if e["resources"] == [validated]
    ]
    assert statuses == ["Pending", "InProgress", "Completed"]

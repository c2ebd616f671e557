"""Lineage the registry creates, Inference Recommender, ListModelMetadata and the
CreateModel-from-package check."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_modelreg.simulation.base import ServiceError

from ._helpers import ACCOUNT, CONTAINER, INFERENCE_SPEC, OTHER, REGION, Caller

ROLE = f"arn:aws:iam::{ACCOUNT}:role/SageMakerRole"


def v(group: str, n: int, account: str = ACCOUNT) -> str:
    return f"arn:aws:sagemaker:{REGION}:{account}:model-package/{group}/{n}"


@pytest.fixture
def version(call: Caller) -> str:
    call("CreateModelPackageGroup", ModelPackageGroupName="G")
    arn: str = call(
        "CreateModelPackage", ModelPackageGroupName="G", InferenceSpecification=INFERENCE_SPEC
    )["ModelPackageArn"]
    return arn


# --- lineage ------------------------------------------------------------------------------------------


def test_registration_creates_artifacts_context_action(call: Caller, version: str) -> None:
    arts = call("ListArtifacts", SortOrder="Ascending")["ArtifactSummaries"]
    by_uri = {a["Source"]["SourceUri"]: a for a in arts}
    assert by_uri[version]["ArtifactType"] == "Model"  # [DOC]: one artifact per package
    assert by_uri[CONTAINER["Image"]]["ArtifactType"] == "Image"
    assert CONTAINER["ModelDataUrl"] in by_uri
    package_artifact = by_uri[version]["ArtifactArn"]
    assocs = call("ListAssociations", SourceArn=package_artifact, MaxResults=100)[
        "AssociationSummaries"
    ]
    kinds = {(a["DestinationType"], a["AssociationType"]) for a in assocs}
    assert kinds == {("ModelGroup", "AssociatedWith"), ("Approval", "ContributedTo")}
    action_arn = next(a["DestinationArn"] for a in assocs if a["DestinationType"] == "Approval")
    action = call("DescribeAction", ActionName=action_arn)
    assert action["Source"]["SourceUri"] == version
    assert action["Status"] == "InProgress"  # PendingManualApproval [INFERRED]
    call("UpdateModelPackage", ModelPackageArn=version, ModelApprovalStatus="Approved")
    assert call("DescribeAction", ActionName=action["ActionName"])["Status"] == "Completed"
    into_package = call("ListAssociations", DestinationArn=package_artifact)["AssociationSummaries"]
    assert {a["SourceType"] for a in into_package} == {"Image", "Model"}


def test_shared_image_is_one_artifact(call: Caller, version: str) -> None:
    call("CreateModelPackage", ModelPackageGroupName="G", InferenceSpecification=INFERENCE_SPEC)
    images = call("ListArtifacts", ArtifactType="Image")["ArtifactSummaries"]
    assert len(images) == 1
    r = call("ListArtifacts", MaxResults=1)
    assert len(r["ArtifactSummaries"]) == 1 and "NextToken" in r


def test_describe_action_missing(call: Caller) -> None:
    with pytest.raises(ServiceError) as e:  # [MODEL] ResourceNotFound
        call("DescribeAction", ActionName="nope")
    assert e.value.code == "ResourceNotFound"


def test_list_associations_filters_and_sort(call: Caller, version: str) -> None:
    r = call("ListAssociations", AssociationType="AssociatedWith")["AssociationSummaries"]
    assert len(r) == 1 and r[0]["DestinationType"] == "ModelGroup"
    r = call("ListAssociations", SortBy="SourceType", SortOrder="Ascending", MaxResults=100)
    types = [a["SourceType"] for a in r["AssociationSummaries"]]
    assert types == sorted(types)


# --- ListModelMetadata ------------------------------------------------------------------------------


def test_model_metadata(call: Caller) -> None:
    r = call(
        "ListModelMetadata",
        SearchExpression={
            "Filters": [
                {"Name": "Task", "Value": "FILL_MASK"},
                {"Name": "Framework", "Value": "PYTORCH"},
            ]
        },
    )
    assert [m["Model"] for m in r["ModelMetadataSummaries"]] == [
        "bert-base-cased",
        "bert-base-uncased",
    ]
    r = call(
        "ListModelMetadata", SearchExpression={"Filters": [{"Name": "Task", "Value": "fill_mask"}]}
    )  # case-sensitive [MODEL]
    assert r["ModelMetadataSummaries"] == []
    r = call("ListModelMetadata", MaxResults=2)
    assert len(r["ModelMetadataSummaries"]) == 2 and "NextToken" in r
    with pytest.raises(ServiceError):  # [MODEL] enum on filter name
        call("ListModelMetadata", SearchExpression={"Filters": [{"Name": "Bogus", "Value": "x"}]})


# --- Inference Recommender -----------------------------------------------------------------------------

READY: dict[str, Any] = {
    "Domain": "MACHINE_LEARNING",
    "Task": "CLASSIFICATION",
    "SamplePayloadUrl": "s3://bucket/payload.tar.gz",
    "InferenceSpecification": {
        **INFERENCE_SPEC,
        "Containers": [{**CONTAINER, "Framework": "XGBOOST", "FrameworkVersion": "1.5-1"}],
        "SupportedRealtimeInferenceInstanceTypes": ["ml.c5.xlarge"],
    },
}


def _job(call: Caller, name: str, arn: str) -> dict[str, Any]:
    return call(
        "CreateInferenceRecommendationsJob",
        JobName=name,
        JobType="Default",
        RoleArn=ROLE,
        InputConfig={"ModelPackageVersionArn": arn},
    )


def test_job_completes(call: Caller) -> None:
    call("CreateModelPackageGroup", ModelPackageGroupName="G")
    arn = call("CreateModelPackage", ModelPackageGroupName="G", **READY)["ModelPackageArn"]
    r = _job(call, "job-1", arn)
    assert r["JobArn"] == (
        f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:inference-recommendations-job/job-1"
    )
    d = call("DescribeInferenceRecommendationsJob", JobName="job-1")
    assert d["Status"] == "PENDING" and d["InputConfig"] == {"ModelPackageVersionArn": arn}
    call.registry.advance_inference_jobs()
    assert call("DescribeInferenceRecommendationsJob", JobName="job-1")["Status"] == "IN_PROGRESS"
    call.registry.advance_inference_jobs()
    d = call("DescribeInferenceRecommendationsJob", JobName="job-1")
    assert d["Status"] == "COMPLETED" and "CompletionTime" in d
    rec = d["InferenceRecommendations"][0]
    assert rec["EndpointConfiguration"]["InstanceType"] == "ml.c5.xlarge"
    call.registry.advance_inference_jobs()  # final states stay
    assert call("DescribeInferenceRecommendationsJob", JobName="job-1")["Status"] == "COMPLETED"


def test_job_fails_on_missing_domain(call: Caller, version: str) -> None:
    _job(call, "job-2", version)
    call.registry.advance_inference_jobs(steps=2)
    d = call("DescribeInferenceRecommendationsJob", JobName="job-2")
    # [DOC troubleshooting] verbatim
    assert (d["Status"], d["FailureReason"]) == (
        "FAILED",
        "Specify Domain in the Model Package version 1. Domain is a mandatory parameter for the job.",
    )


def test_job_failure_injection_and_errors(call: Caller) -> None:
    call("CreateModelPackageGroup", ModelPackageGroupName="G")
    arn = call("CreateModelPackage", ModelPackageGroupName="G", **READY)["ModelPackageArn"]
    _job(call, "job-3", arn)
    call.registry.advance_inference_jobs(steps=2, fail={"job-3": "capacity"})
    assert (
        call("DescribeInferenceRecommendationsJob", JobName="job-3")["FailureReason"] == "capacity"
    )
    with pytest.raises(ServiceError) as e:  # [MODEL] ResourceInUse for a duplicate [INFERRED]
        _job(call, "job-3", arn)
    assert e.value.code == "ResourceInUse"
    with pytest.raises(ServiceError) as e:
        call("DescribeInferenceRecommendationsJob", JobName="nope")
    assert e.value.code == "ResourceNotFound"
    with pytest.raises(ServiceError) as e:
        _job(call, "job-4", v("G", 9))
    assert e.value.message == f"ModelPackage {v('G', 9)} does not exist."
    with pytest.raises(ServiceError):  # exactly one of package / model [INFERRED]
        call(
            "CreateInferenceRecommendationsJob",
            JobName="job-5",
            JobType="Default",
            RoleArn=ROLE,
            InputConfig={"ModelPackageVersionArn": arn, "ModelName": "m"},
        )
    with pytest.raises(ServiceError) as e:  # [MODEL] JobName pattern
        _job(call, "bad_name", arn)
    assert "at 'jobName'" in e.value.message


def test_burstable_instance_fails(call: Caller) -> None:
    call("CreateModelPackageGroup", ModelPackageGroupName="G")
    arn = call("CreateModelPackage", ModelPackageGroupName="G", **READY)["ModelPackageArn"]
    call(
        "CreateInferenceRecommendationsJob",
        JobName="job-6",
        JobType="Advanced",
        RoleArn=ROLE,
        InputConfig={
            "ModelPackageVersionArn": arn,
            "EndpointConfigurations": [{"InstanceType": "ml.t2.medium"}],
        },
    )
    call.registry.advance_inference_jobs(steps=2)
    assert call("DescribeInferenceRecommendationsJob", JobName="job-6")["FailureReason"] == (
        "Burstable instance type ml.t2.medium is not allowed."
    )  # [DOC]


# --- CreateModel from a package ------------------------------------------------------------------------


def test_create_model_requires_an_approved_version(call: Caller, version: str) -> None:
    params = {
        "ModelName": "m",
        "ExecutionRoleArn": ROLE,
        "Containers": [{"ModelPackageName": version}],
    }
    with pytest.raises(ServiceError) as e:  # [MODEL doc]; text [INFERRED]
        call.registry.before_moto("CreateModel", params, call.ctx)
    assert e.value.code == "ValidationException" and "not approved" in e.value.message
    call("UpdateModelPackage", ModelPackageArn=version, ModelApprovalStatus="Approved")
    call.registry.before_moto("CreateModel", params, call.ctx)
    call.registry.before_moto(
        "CreateModel",
        {"ModelName": "m", "PrimaryContainer": {"ModelPackageName": version}},
        call.ctx,
    )
    call.registry.before_moto(
        "CreateModel", {"ModelName": "m", "PrimaryContainer": {"Image": "x"}}, call.ctx
    )  # no package: nothing to check
    call.registry.before_moto("DescribeModel", {"ModelName": "m"}, call.ctx)


def test_create_model_package_missing_or_unknown_spec(call: Caller, version: str) -> None:
    call("UpdateModelPackage", ModelPackageArn=version, ModelApprovalStatus="Approved")
    with pytest.raises(ServiceError) as e:
        call.registry.before_moto(
            "CreateModel",
            {"ModelName": "m", "Containers": [{"ModelPackageName": v("G", 2)}]},
            call.ctx,
        )
    assert e.value.message == f"ModelPackage {v('G', 2)} does not exist."
    with pytest.raises(ServiceError):
        call.registry.before_moto(
            "CreateModel",
            {
                "ModelName": "m",
                "Containers": [{"ModelPackageName": version, "InferenceSpecificationName": "gpu"}],
            },
            call.ctx,
        )


def test_create_model_cross_account_and_unversioned(call: Caller) -> None:
    owner = call.as_account(OTHER)
    owner("CreateModelPackageGroup", ModelPackageGroupName="S")
    arn = owner("CreateModelPackage", ModelPackageGroupName="S", ModelApprovalStatus="Approved")[
        "ModelPackageArn"
    ]
    call.registry.before_moto(
        "CreateModel", {"ModelName": "m", "Containers": [{"ModelPackageName": arn}]}, call.ctx
    )  # cross-account CreateModel ("Deploy a Model Version from a Different Account")
    call("CreateModelPackage", ModelPackageName="algo")
    call.registry.before_moto(
        "CreateModel",
        {"ModelName": "m", "PrimaryContainer": {"ModelPackageName": "algo"}},
        call.ctx,
    )  # unversioned: no approval gate


def test_before_moto_validates_every_sagemaker_call(call: Caller) -> None:
    # the airflow example's message (#3): moto does not validate patterns; the registry does it for it.
    with pytest.raises(ServiceError) as e:
        call.registry.before_moto("CreateModel", {"ModelName": "{{ ti.xcom_pull() }}"}, call.ctx)
    assert e.value.message.startswith(
        "1 validation error detected: Value '{{ ti.xcom_pull() }}' "
        "at 'modelName' failed to satisfy constraint:"
    )
    with pytest.raises(ServiceError) as e:
        call.registry.before_moto("AddTags", {"ResourceArn": "fuzz-group", "Tags": []}, call.ctx)
    assert "at 'resourceArn'" in e.value.message

"""The registry's clock under freezegun, partial model-card updates, and SourceUri naming a
SageMaker Model, through boto3 (moto serves CreateModel underneath)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

from pytest_modelreg import ModelRegistryHandle
from pytest_modelreg.simulation.registry.clock import Clock

ACCOUNT = "123456789012"
IMAGE = f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/churn:1"
MODEL_ARN = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:model/churn-model"


@pytest.fixture
def sm(modelreg: ModelRegistryHandle) -> Any:
    client = modelreg.admin_client("sagemaker")
    client.create_model_package_group(ModelPackageGroupName="churn")
    return client


# --- the clock ---------------------------------------------------------------------------------


def test_creation_and_update_times_follow_a_frozen_clock_even_backwards(sm: Any) -> None:
    """A test that freezes time reads back the frozen time, also earlier than a time already
    handed out (freezegun replaces time.time on the module; the clock reads it per call)."""
    live = sm.create_model_package(ModelPackageGroupName="churn")["ModelPackageArn"]
    with freeze_time("2015-01-01 00:00:00"):
        frozen = sm.create_model_package(ModelPackageGroupName="churn")["ModelPackageArn"]
        group = sm.create_model_package_group(ModelPackageGroupName="old")
    with freeze_time("2020-01-01 12:00:00"):
        sm.update_model_package(ModelPackageArn=live, ModelApprovalStatus="Approved")
    y2015 = datetime(2015, 1, 1, tzinfo=timezone.utc)
    assert sm.describe_model_package(ModelPackageName=frozen)["CreationTime"] == y2015
    assert sm.describe_model_package_group(ModelPackageGroupName="old")["CreationTime"] == y2015
    assert group["ModelPackageGroupArn"].endswith("/old")
    described = sm.describe_model_package(ModelPackageName=live)
    assert described["LastModifiedTime"] == datetime(2020, 1, 1, 12, tzinfo=timezone.utc)
    assert described["CreationTime"] > y2015  # created with the real clock
    # Listing filters and sorts by the frozen times: the 2015 version is the oldest.
    listed = sm.list_model_packages(
        ModelPackageGroupName="churn", SortBy="CreationTime", SortOrder="Ascending"
    )
    assert [s["ModelPackageArn"] for s in listed["ModelPackageSummaryList"]] == [frozen, live]
    before = sm.list_model_packages(
        ModelPackageGroupName="churn", CreationTimeBefore=datetime(2016, 1, 1)
    )
    assert [s["ModelPackageArn"] for s in before["ModelPackageSummaryList"]] == [frozen]


def test_the_default_clock_reads_time_at_each_call(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    clock = Clock()
    monkeypatch.setattr(time, "time", lambda: 1_000.0)
    assert clock.now_ms() == 1_000_000
    monkeypatch.setattr(time, "time", lambda: 10.0)  # backwards: read as it is
    assert clock.now_ms() == 10_000


# --- UpdateModelPackage: ModelCard -------------------------------------------------------------


@pytest.mark.parametrize(
    ("update", "expected"),
    [
        # ModelPackageModelCard's members are optional (botocore's model); the SDK v2's
        # ModelPackage.update_model_card sends content, then status, and reads the status back
        # after the content-only call (sagemaker.model): members not sent keep their value.
        (
            {"ModelCardContent": '{"a": 2}'},
            {"ModelCardContent": '{"a": 2}', "ModelCardStatus": "Draft"},
        ),
        (
            {"ModelCardStatus": "Approved"},
            {"ModelCardContent": '{"a": 1}', "ModelCardStatus": "Approved"},
        ),
        (
            {"ModelCardContent": "{}", "ModelCardStatus": "PendingReview"},
            {"ModelCardContent": "{}", "ModelCardStatus": "PendingReview"},
        ),
    ],
)
def test_a_partial_model_card_update_keeps_the_members_it_omits(
    sm: Any, update: dict[str, str], expected: dict[str, str]
) -> None:
    arn = sm.create_model_package(
        ModelPackageGroupName="churn",
        ModelCard={"ModelCardContent": '{"a": 1}', "ModelCardStatus": "Draft"},
    )["ModelPackageArn"]
    sm.update_model_package(ModelPackageArn=arn, ModelCard=update)
    assert sm.describe_model_package(ModelPackageName=arn)["ModelCard"] == expected


# --- CreateModelPackage: SourceUri = a model ARN -------------------------------------------------


def _create_model(modelreg: ModelRegistryHandle, **containers: Any) -> None:
    iam = modelreg.admin_client("iam")
    role = iam.create_role(
        RoleName="exec",
        AssumeRolePolicyDocument='{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
        '"Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}',
    )["Role"]["Arn"]
    # SageMaker reads the model data as the execution role at CreateModel: it must exist and the
    # role may read it ("Could not find model data at ..." otherwise, simulation/_guesses.py).
    iam.put_role_policy(
        RoleName="exec",
        PolicyName="read-models",
        PolicyDocument='{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
        '"Action": "s3:GetObject", "Resource": "arn:aws:s3:::models/*"}]}',
    )
    s3 = modelreg.admin_client("s3")
    s3.create_bucket(Bucket="models")
    s3.put_object(Bucket="models", Key="churn.tar.gz", Body=b"model")
    modelreg.admin_client("sagemaker").create_model(
        ModelName="churn-model", ExecutionRoleArn=role, **containers
    )


def test_registering_a_model_fills_the_inference_specification_from_its_containers(
    modelreg: ModelRegistryHandle, sm: Any
) -> None:
    """SourceUri: "If you want to register a model, set it to the model ARN." (botocore's model,
    CreateModelPackageInput); the SDK leaves InferenceSpecification out for such sources because
    they "can lead to auto-population of it" (sagemaker.utils)."""
    primary = {
        "Image": IMAGE,
        "ModelDataUrl": "s3://models/churn.tar.gz",
        "Environment": {"MODE": "fast"},
    }
    _create_model(modelreg, PrimaryContainer=primary)
    arn = sm.create_model_package(ModelPackageGroupName="churn", SourceUri=MODEL_ARN)[
        "ModelPackageArn"
    ]
    described = sm.describe_model_package(ModelPackageName=arn)
    assert described["SourceUri"] == MODEL_ARN
    assert described["InferenceSpecification"] == {"Containers": [primary]}


def test_an_inference_specification_in_the_request_wins_over_the_model(
    modelreg: ModelRegistryHandle, sm: Any
) -> None:
    _create_model(
        modelreg, Containers=[{"Image": IMAGE}, {"Image": IMAGE, "ContainerHostname": "b"}]
    )
    spec = {"Containers": [{"Image": f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/other:2"}]}
    given = sm.create_model_package(
        ModelPackageGroupName="churn", SourceUri=MODEL_ARN, InferenceSpecification=spec
    )["ModelPackageArn"]
    assert sm.describe_model_package(ModelPackageName=given)["InferenceSpecification"] == spec
    filled = sm.create_model_package(ModelPackageGroupName="churn", SourceUri=MODEL_ARN)[
        "ModelPackageArn"
    ]
    containers = sm.describe_model_package(ModelPackageName=filled)["InferenceSpecification"]
    assert containers == {
        "Containers": [{"Image": IMAGE}, {"Image": IMAGE, "ContainerHostname": "b"}]
    }


def test_a_model_arn_naming_no_model_is_refused(sm: Any) -> None:
    with pytest.raises(ClientError) as exc:
        sm.create_model_package(ModelPackageGroupName="churn", SourceUri=MODEL_ARN)
    assert exc.value.response["Error"]["Code"] == "ValidationException"
    assert MODEL_ARN in exc.value.response["Error"]["Message"]  # _guesses.SOURCE_MODEL_MISSING
    assert sm.list_model_packages(ModelPackageGroupName="churn")["ModelPackageSummaryList"] == []

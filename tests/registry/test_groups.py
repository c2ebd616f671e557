"""Model package groups and group resource policies."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from pytest_modelreg.simulation.base import ServiceError

from ._helpers import ACCOUNT, INFERENCE_SPEC, OTHER, REGION, Caller


def group_arn(name: str, account: str = ACCOUNT) -> str:
    return f"arn:aws:sagemaker:{REGION}:{account}:model-package-group/{name}"


def test_create_then_describe_returns_every_required_member(call: Caller) -> None:
    arn = call(
        "CreateModelPackageGroup",
        ModelPackageGroupName="Churn-Model",
        ModelPackageGroupDescription="team A",
    )["ModelPackageGroupArn"]
    assert arn == group_arn(
        "Churn-Model"
    )  # case preserved (aws-samples/ml-edge-getting-started#18)
    d = call("DescribeModelPackageGroup", ModelPackageGroupName="Churn-Model")
    assert d["ModelPackageGroupName"] == "Churn-Model"
    assert d["ModelPackageGroupStatus"] == "Completed"
    assert d["ModelPackageGroupDescription"] == "team A"
    assert d["CreatedBy"] == {
        "IamIdentity": {
            "Arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/Tester/session",
            "PrincipalId": "AROAEXAMPLEID:session",
        }
    }  # UserContext: IamIdentity only for IAM callers
    assert d["CreationTime"].tzinfo is not None
    assert "Tags" not in d  # not in the model's output shape


def test_describe_by_arn(call: Caller) -> None:
    call("CreateModelPackageGroup", ModelPackageGroupName="g1")
    assert (
        call("DescribeModelPackageGroup", ModelPackageGroupName=group_arn("g1"))[
            "ModelPackageGroupName"
        ]
        == "g1"
    )


def test_describe_cross_account_arn_reads_the_owner_account(call: Caller) -> None:
    call.as_account(OTHER)("CreateModelPackageGroup", ModelPackageGroupName="shared")
    d = call("DescribeModelPackageGroup", ModelPackageGroupName=group_arn("shared", OTHER))
    assert d["ModelPackageGroupArn"] == group_arn("shared", OTHER)
    with pytest.raises(ServiceError):  # a bare name resolves in the caller's own account
        call("DescribeModelPackageGroup", ModelPackageGroupName="shared")


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        # AWS's format, the model's pattern: an ARN is not a group name (sagemaker-python-sdk#3726)
        (
            {"ModelPackageGroupName": group_arn("x")},
            "ValidationException",
            f"1 validation error detected: Value '{group_arn('x')}' at 'modelPackageGroupName' "
            "failed to satisfy constraint: Member must satisfy regular expression pattern: "
            "[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
        ),
        # AWS's format: length before pattern (the order of an observed message,
        # aws-samples/sagemaker-ml-workflow-with-apache-airflow#3); 64 chars also
        # break the pattern's {0,62}, so both are reported
        (
            {"ModelPackageGroupName": "a" * 64},
            "ValidationException",
            f"2 validation errors detected: Value '{'a' * 64}' at 'modelPackageGroupName' "
            "failed to satisfy constraint: Member must have length less than or equal to 63; "
            f"Value '{'a' * 64}' at 'modelPackageGroupName' failed to satisfy constraint: Member "
            "must satisfy regular expression pattern: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
        ),
        # the model: tag value ≤ 256
        (
            {"ModelPackageGroupName": "g", "Tags": [{"Key": "k", "Value": "v" * 257}]},
            "ValidationException",
            f"1 validation error detected: Value '{'v' * 257}' at 'tags.1.member.value' failed to "
            "satisfy constraint: Member must have length less than or equal to 256",
        ),
        # "aws:" is reserved ("Tagging your AWS resources", AWS General Reference)
        (
            {"ModelPackageGroupName": "g", "Tags": [{"Key": "aws:x", "Value": "v"}]},
            "ValidationException",
            None,
        ),
        # [INFERRED] enum phrase
        (
            {"ModelPackageGroupName": "g", "ManagedConfiguration": {"ManagedStorageType": "Open"}},
            "ValidationException",
            "1 validation error detected: Value 'Open' at "
            "'managedConfiguration.managedStorageType' failed to satisfy constraint: "
            "Member must satisfy enum value set: [Restricted]",
        ),
    ],
)
def test_create_validation(
    call: Caller, params: dict[str, object], code: str, message: str | None
) -> None:
    with pytest.raises(ServiceError) as e:
        call("CreateModelPackageGroup", **params)
    assert e.value.code == code
    if message is not None:
        assert e.value.message == message


def test_two_violations_are_joined(call: Caller) -> None:
    # "N validation errors detected:" joined with "; " (airflow example #3)
    with pytest.raises(ServiceError) as e:
        call("CreateModelPackageGroup", ModelPackageGroupName="bad_" + "a" * 63)
    assert e.value.message.startswith("2 validation errors detected: Value 'bad_")
    assert "; Value 'bad_" in e.value.message


def test_description_pattern_accepts_unicode_letters(call: Caller) -> None:
    # the model's pattern [\p{L}\p{M}\p{Z}\p{S}\p{N}\p{P}]*: letters of any script, but no control chars
    call(
        "CreateModelPackageGroup",
        ModelPackageGroupName="u",
        ModelPackageGroupDescription="Modèle ✓ 模型",
    )
    with pytest.raises(ServiceError):
        call(
            "CreateModelPackageGroup",
            ModelPackageGroupName="v",
            ModelPackageGroupDescription="tab\tno",
        )


def test_duplicate_group_is_refused_and_keeps_tags(call: Caller) -> None:
    call("CreateModelPackageGroup", ModelPackageGroupName="dup", Tags=[{"Key": "a", "Value": "1"}])
    with pytest.raises(ServiceError) as e:
        call("CreateModelPackageGroup", ModelPackageGroupName="dup")
    # Airflow's SageMakerHook matches this text
    assert (e.value.code, e.value.message) == (
        "ValidationException",
        f"Model Package Group already exists: {group_arn('dup')}",
    )
    assert call("ListTags", ResourceArn=group_arn("dup"))["Tags"] == [{"Key": "a", "Value": "1"}]


def test_names_are_case_sensitive(call: Caller) -> None:
    call("CreateModelPackageGroup", ModelPackageGroupName="MyGroup")  # [INFERRED]
    with pytest.raises(ServiceError) as e:
        call("DescribeModelPackageGroup", ModelPackageGroupName="mygroup")
    assert e.value.message == f"ModelPackageGroup {group_arn('mygroup')} does not exist."


def test_describe_missing(call: Caller) -> None:
    with pytest.raises(ServiceError) as e:
        call("DescribeModelPackageGroup", ModelPackageGroupName="nope")
    # ACK's generator.yaml and the CloudFormation provider match this text
    assert (e.value.code, e.value.message) == (
        "ValidationException",
        f"ModelPackageGroup {group_arn('nope')} does not exist.",
    )


def names(r: dict[str, Any]) -> list[str]:
    return [s["ModelPackageGroupName"] for s in r["ModelPackageGroupSummaryList"]]


def test_list_sort_filter_paginate(call: Caller) -> None:
    for n in ["b-grp", "a-grp", "c-other", "d-grp"]:
        call("CreateModelPackageGroup", ModelPackageGroupName=n)
    # the model: default CreationTime Ascending
    assert names(call("ListModelPackageGroups")) == ["b-grp", "a-grp", "c-other", "d-grp"]
    assert names(call("ListModelPackageGroups", SortBy="Name", SortOrder="Descending")) == [
        "d-grp",
        "c-other",
        "b-grp",
        "a-grp",
    ]
    # [INFERRED] case-insensitive substring
    assert names(call("ListModelPackageGroups", NameContains="GRP")) == ["b-grp", "a-grp", "d-grp"]
    seen: list[str] = []
    token = None
    while True:
        kw: dict[str, Any] = {"MaxResults": 1, "SortBy": "Name"}
        if token:
            kw["NextToken"] = token
        r = call("ListModelPackageGroups", **kw)
        seen += names(r)
        token = r.get("NextToken")
        if token is None:  # absent, not empty, on the last page (AWS CLI output)
            break
    assert seen == ["a-grp", "b-grp", "c-other", "d-grp"]


def test_list_creation_time_window_is_strict(call: Caller) -> None:
    call("CreateModelPackageGroup", ModelPackageGroupName="g1")
    t = call("DescribeModelPackageGroup", ModelPackageGroupName="g1")["CreationTime"]
    call("CreateModelPackageGroup", ModelPackageGroupName="g2")
    r = call("ListModelPackageGroups", CreationTimeAfter=t)  # [INFERRED] strict
    assert [s["ModelPackageGroupName"] for s in r["ModelPackageGroupSummaryList"]] == ["g2"]
    naive_utc = t.astimezone(timezone.utc).replace(tzinfo=None) + timedelta(milliseconds=1)
    r = call("ListModelPackageGroups", CreationTimeBefore=naive_utc)
    assert [s["ModelPackageGroupName"] for s in r["ModelPackageGroupSummaryList"]] == ["g1"]
    assert isinstance(t, datetime)


@pytest.mark.parametrize("max_results", [101, 1000])
def test_max_results_above_100_is_refused(call: Caller, max_results: int) -> None:
    with pytest.raises(ServiceError) as e:  # the model: MaxResults 1-100
        call("ListModelPackageGroups", MaxResults=max_results)
    assert e.value.message == (
        f"1 validation error detected: Value '{max_results}' at 'maxResults' failed to satisfy "
        "constraint: Member must have value less than or equal to 100"
    )


def test_bad_token(call: Caller) -> None:
    with pytest.raises(ServiceError) as e:  # [INFERRED]
        call("ListModelPackageGroups", NextToken="garbage!")
    assert e.value.code == "ValidationException"
    assert call("ListModelPackageGroups", NextToken="")["ModelPackageGroupSummaryList"] == []


def test_delete_group(call: Caller) -> None:
    call("CreateModelPackageGroup", ModelPackageGroupName="gone", Tags=[{"Key": "k", "Value": "v"}])
    call(
        "PutModelPackageGroupPolicy",
        ModelPackageGroupName="gone",
        ResourcePolicy=json.dumps(_policy("gone")),
    )
    assert call("DeleteModelPackageGroup", ModelPackageGroupName=group_arn("gone")) == {}
    with pytest.raises(ServiceError) as e:
        call("DescribeModelPackageGroup", ModelPackageGroupName="gone")
    assert e.value.message.endswith("does not exist.")
    with pytest.raises(
        ServiceError
    ) as e:  # not idempotent (the CloudFormation provider's DeleteHandler test)
        call("DeleteModelPackageGroup", ModelPackageGroupName="gone")
    assert e.value.message == f"ModelPackageGroup {group_arn('gone')} does not exist."
    # [INFERRED] recreate allowed; tags and policy did not survive
    call("CreateModelPackageGroup", ModelPackageGroupName="gone")
    assert call("ListTags", ResourceArn=group_arn("gone"))["Tags"] == []
    with pytest.raises(ServiceError):
        call("GetModelPackageGroupPolicy", ModelPackageGroupName="gone")


def test_delete_group_with_versions_is_a_conflict(call: Caller) -> None:
    call("CreateModelPackageGroup", ModelPackageGroupName="busy")
    arn = call(
        "CreateModelPackage", ModelPackageGroupName="busy", InferenceSpecification=INFERENCE_SPEC
    )["ModelPackageArn"]
    with pytest.raises(
        ServiceError
    ) as e:  # AWS-authored cleanups delete versions first; text [INFERRED]
        call("DeleteModelPackageGroup", ModelPackageGroupName="busy")
    assert e.value.code == "ConflictException"
    call("DeleteModelPackage", ModelPackageName=arn)
    call("DeleteModelPackageGroup", ModelPackageGroupName="busy")


def _policy(group: str, owner: str = ACCOUNT, consumer: str = OTHER) -> dict[str, object]:
    # the policy of "Deploy a Model Version from a Different Account" (SageMaker Developer Guide)
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AddPermModelPackageGroup",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{consumer}:root"},
                "Action": ["sagemaker:DescribeModelPackageGroup"],
                "Resource": f"arn:aws:sagemaker:{REGION}:{owner}:model-package-group/{group}",
            },
            {
                "Sid": "AddPermModelPackageVersion",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{consumer}:root"},
                "Action": [
                    "sagemaker:DescribeModelPackage",
                    "sagemaker:ListModelPackages",
                    "sagemaker:UpdateModelPackage",
                    "sagemaker:CreateModel",
                ],
                "Resource": f"arn:aws:sagemaker:{REGION}:{owner}:model-package/{group}/*",
            },
        ],
    }


def test_group_policy_lifecycle(call: Caller) -> None:
    call("CreateModelPackageGroup", ModelPackageGroupName="pg")
    arn = group_arn("pg")
    with pytest.raises(ServiceError) as e:  # Terraform's and the CloudFormation provider's text
        call("GetModelPackageGroupPolicy", ModelPackageGroupName="pg")
    assert e.value.message == f"Cannot find resource policy for: {arn}"
    text = json.dumps(_policy("pg"), indent=2)  # pretty-printed: "." spans lines [INFERRED]
    assert call("PutModelPackageGroupPolicy", ModelPackageGroupName="pg", ResourcePolicy=text) == {
        "ModelPackageGroupArn": arn
    }
    assert call("GetModelPackageGroupPolicy", ModelPackageGroupName="pg") == {
        "ResourcePolicy": text
    }
    assert call.registry.resource_policy(arn) == text
    assert (
        call.registry.resource_policy(f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package/pg/7")
        == text
    )
    call("DeleteModelPackageGroupPolicy", ModelPackageGroupName="pg")
    assert call.registry.resource_policy(arn) is None
    with pytest.raises(ServiceError) as e:
        call("DeleteModelPackageGroupPolicy", ModelPackageGroupName="pg")
    assert e.value.message == f"Cannot find resource policy for: {arn}"


@pytest.mark.parametrize(
    "op",
    ["GetModelPackageGroupPolicy", "DeleteModelPackageGroupPolicy", "PutModelPackageGroupPolicy"],
)
def test_group_policy_missing_group(call: Caller, op: str) -> None:
    params = {"ModelPackageGroupName": "nope"}
    if op == "PutModelPackageGroupPolicy":
        params["ResourcePolicy"] = json.dumps(_policy("nope"))
    with pytest.raises(ServiceError) as e:  # Terraform's and the CloudFormation provider's text
        call(op, **params)
    assert (e.value.code, e.value.message) == (
        "ValidationException",
        f"Cannot find Model Package Group: {group_arn('nope')}",
    )


@pytest.mark.parametrize(
    "policy",
    [
        "not json",
        json.dumps({"Version": "2012-10-17"}),
        # no Resource: IAM's "Policy statement must contain resources." (found by the policy fuzzer)
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": {"Effect": "Allow", "Action": "sagemaker:*", "Principal": "*"},
            }
        ),
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Principal": "*", "Resource": "*"}],
            }
        ),
        json.dumps(
            {
                "Statement": [
                    {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}
                ]
            }
        ),
    ],
)
def test_group_policy_invalid(call: Caller, policy: str) -> None:
    call("CreateModelPackageGroup", ModelPackageGroupName="pv")
    with pytest.raises(ServiceError) as e:  # [INFERRED]
        call("PutModelPackageGroupPolicy", ModelPackageGroupName="pv", ResourcePolicy=policy)
    assert e.value.code == "ValidationException"


def test_group_policy_name_must_not_be_an_arn(call: Caller) -> None:
    with pytest.raises(ServiceError) as e:  # the model: EntityName only
        call("GetModelPackageGroupPolicy", ModelPackageGroupName=group_arn("pg"))
    assert "failed to satisfy constraint: Member must" in e.value.message


def test_cross_account_list_uses_group_policy(call: Caller) -> None:
    owner = call.as_account(OTHER)
    owner("CreateModelPackageGroup", ModelPackageGroupName="shared")
    owner("CreateModelPackageGroup", ModelPackageGroupName="private")
    owner(
        "PutModelPackageGroupPolicy",
        ModelPackageGroupName="shared",
        ResourcePolicy=json.dumps(_policy("shared", owner=OTHER, consumer=ACCOUNT)),
    )
    call("CreateModelPackageGroup", ModelPackageGroupName="mine")
    r = call("ListModelPackageGroups", CrossAccountFilterOption="CrossAccount")
    # an approximation of AWS RAM discoverability
    assert [s["ModelPackageGroupArn"] for s in r["ModelPackageGroupSummaryList"]] == [
        group_arn("shared", OTHER)
    ]


def test_violations_follow_the_model_member_order(call: Caller) -> None:
    # The caller's keyword order must not change the message (the model lists the name first).
    with pytest.raises(ServiceError) as e:
        call.registry.handle(
            "CreateModelPackageGroup",
            {"ModelPackageGroupDescription": "bad\u0001", "ModelPackageGroupName": "bad_name"},
            call.ctx,
        )
    msg = e.value.message
    assert msg.startswith("2 validation errors detected: Value 'bad_name'")
    assert msg.index("modelPackageGroupName") < msg.index("modelPackageGroupDescription")

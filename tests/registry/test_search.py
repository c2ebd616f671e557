"""Search and GetSearchSuggestions over ModelPackage / ModelPackageGroup (botocore's Search and
GetSearchSuggestions shapes and their documentation)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pytest_modelreg.simulation.base import ServiceError

from ._helpers import ACCOUNT, CONTAINER, INFERENCE_SPEC, OTHER, REGION, Caller


@pytest.fixture
def data(call: Caller) -> None:
    call(
        "CreateModelPackageGroup",
        ModelPackageGroupName="churn",
        Tags=[{"Key": "team", "Value": "a"}, {"Key": "stage", "Value": "dev"}],
    )
    call(
        "CreateModelPackageGroup",
        ModelPackageGroupName="fraud",
        ModelPackageGroupDescription="fraud models",
        Tags=[{"Key": "team", "Value": "b"}],
    )
    gpu = {
        **CONTAINER,
        "Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/gpu:2",
        "Framework": "PYTORCH",
    }
    for status, spec in [
        ("Approved", INFERENCE_SPEC),
        ("Rejected", INFERENCE_SPEC),
        ("Approved", {**INFERENCE_SPEC, "Containers": [CONTAINER, gpu]}),
    ]:
        call(
            "CreateModelPackage",
            ModelPackageGroupName="churn",
            ModelApprovalStatus=status,
            InferenceSpecification=spec,
            CustomerMetadataProperties={"owner": "x"},
            ModelLifeCycle={"Stage": "QA", "StageStatus": "OnHold"},
        )
    call("CreateModelPackage", ModelPackageGroupName="fraud")
    call("CreateModelPackage", ModelPackageName="loose", Tags=[{"Key": "team", "Value": "a"}])


def arns(r: dict[str, Any], resource: str = "ModelPackage") -> list[str]:
    key = "ModelPackageArn" if resource == "ModelPackage" else "ModelPackageGroupName"
    return [res[resource][key] for res in r["Results"]]


def v(group: str, n: int) -> str:
    return f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package/{group}/{n}"


def search(call: Caller, *filters: dict[str, Any], **kw: Any) -> dict[str, Any]:
    kw.setdefault("Resource", "ModelPackage")
    kw.setdefault("SortOrder", "Ascending")
    kw.setdefault("SortBy", "CreationTime")
    if filters:
        kw["SearchExpression"] = {"Filters": list(filters)}
    return call("Search", **kw)


def test_sdk_registration_lookup(call: Caller, data: None) -> None:
    # The SageMaker Python SDK's Model.register searches the group by name first
    r = call(
        "Search",
        Resource="ModelPackageGroup",
        SearchExpression={
            "Filters": [{"Name": "ModelPackageGroupName", "Value": "churn", "Operator": "Equals"}]
        },
    )
    assert arns(r, "ModelPackageGroup") == ["churn"]
    rec = r["Results"][0]["ModelPackageGroup"]
    assert rec["Tags"] == [{"Key": "team", "Value": "a"}, {"Key": "stage", "Value": "dev"}]
    assert r["TotalHits"] == {"Value": 1, "Relation": "EqualTo"}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        # Filter docs (the model): a Value without an Operator means Equals
        ([{"Name": "ModelApprovalStatus", "Value": "Approved"}], [("churn", 1), ("churn", 3)]),
        (
            [{"Name": "ModelApprovalStatus", "Value": "Approved", "Operator": "NotEquals"}],
            [("churn", 2), ("fraud", 1), ("loose", 0)],
        ),
        (
            [{"Name": "ModelPackageVersion", "Value": "2", "Operator": "GreaterThanOrEqualTo"}],
            [("churn", 2), ("churn", 3)],
        ),
        (
            [{"Name": "ModelPackageVersion", "Value": "2", "Operator": "LessThan"}],
            [("churn", 1), ("fraud", 1)],
        ),
        (
            [{"Name": "ModelPackageGroupName", "Value": "fraud,churn", "Operator": "In"}],
            [("churn", 1), ("churn", 2), ("churn", 3), ("fraud", 1)],
        ),
        (
            [{"Name": "ModelPackageGroupName", "Value": "rau", "Operator": "Contains"}],
            [("fraud", 1)],
        ),
        ([{"Name": "ModelPackageVersion", "Operator": "NotExists"}], [("loose", 0)]),
        (
            [{"Name": "ModelLifeCycle.Stage", "Value": "QA"}],
            [("churn", 1), ("churn", 2), ("churn", 3)],
        ),  # [DOC] staging construct
        (
            [{"Name": "CustomerMetadataProperties.owner", "Operator": "Exists"}],
            [("churn", 1), ("churn", 2), ("churn", 3)],
        ),
        ([{"Name": "Tags.team", "Value": "a"}], [("loose", 0)]),  # versioned: no tags
        # moto bug: a Tags filter first must not short-circuit later filters
        (
            [
                {"Name": "Tags.team", "Value": "a"},
                {"Name": "ModelPackageStatus", "Value": "Failed"},
            ],
            [],
        ),
        (
            [
                {
                    "Name": "InferenceSpecification.Containers.Image",
                    "Value": "gpu",
                    "Operator": "Contains",
                }
            ],
            [("churn", 3)],
        ),
        (
            [{"Name": "CertifyForMarketplace", "Value": "false"}],
            [("churn", 1), ("churn", 2), ("churn", 3), ("fraud", 1), ("loose", 0)],
        ),
        (
            [{"Name": "CreationTime", "Value": "2027-01-15T08:00:00", "Operator": "GreaterThan"}],
            [("churn", 1), ("churn", 2), ("churn", 3), ("fraud", 1), ("loose", 0)],
        ),
        ([{"Name": "CreationTime", "Value": "2027-01-15T08:00:00", "Operator": "LessThan"}], []),
    ],
)
def test_filter_operators(
    call: Caller, data: None, filters: list[dict[str, Any]], expected: list[tuple[str, int]]
) -> None:
    want = [
        v(g, n) if n else f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package/{g}"
        for g, n in expected
    ]
    assert arns(search(call, *filters)) == want


def test_nested_filters_one_element_satisfies_all(call: Caller, data: None) -> None:
    # NestedFilters docs (the model): the filters match within one list element
    nested = {
        "NestedPropertyName": "InferenceSpecification.Containers",
        "Filters": [
            {
                "Name": "InferenceSpecification.Containers.Image",
                "Value": "gpu",
                "Operator": "Contains",
            },
            {"Name": "InferenceSpecification.Containers.Framework", "Value": "PYTORCH"},
        ],
    }
    r = call("Search", Resource="ModelPackage", SearchExpression={"NestedFilters": [nested]})
    assert arns(r) == [v("churn", 3)]
    nested["Filters"][1]["Value"] = "XGBOOST"  # type: ignore[index]
    r = call("Search", Resource="ModelPackage", SearchExpression={"NestedFilters": [nested]})
    assert arns(r) == []


def test_sub_expressions_and_or(call: Caller, data: None) -> None:
    expr = {
        "Operator": "And",
        "Filters": [{"Name": "ModelPackageGroupName", "Value": "churn"}],
        "SubExpressions": [
            {
                "Operator": "Or",
                "Filters": [
                    {"Name": "ModelPackageVersion", "Value": "1"},
                    {"Name": "ModelPackageVersion", "Value": "3"},
                ],
            }
        ],
    }
    r = call(
        "Search",
        Resource="ModelPackage",
        SearchExpression=expr,
        SortBy="CreationTime",
        SortOrder="Ascending",
    )
    assert arns(r) == [v("churn", 1), v("churn", 3)]


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        # quoted in the model's SearchExpression documentation
        (
            {
                "Filters": [
                    {"Name": "ModelPackageGroupName", "Value": "a", "Operator": "Contains"},
                    {"Name": "ModelPackageDescription", "Value": "b", "Operator": "Contains"},
                ]
            },
            "'CONTAINS' operator usage limit of 1 exceeded.",
        ),
        (
            {"Filters": [{"Name": "NoSuchProperty", "Value": "x"}]},
            "Unknown property name: NoSuchProperty",
        ),  # [MOTO wording]
        (
            {
                "Filters": [
                    {"Name": "ModelPackageGroupName", "Value": "a", "Operator": "GreaterThan"}
                ]
            },
            None,
        ),  # "Not supported for text properties" [MODEL]
        (
            {"Filters": [{"Name": "ModelPackageVersion", "Value": "a", "Operator": "Contains"}]},
            None,
        ),  # "Only supported for text properties" [MODEL]
        ({"Filters": [{"Name": "ModelPackageVersion", "Value": "one"}]}, None),
        (
            {"Filters": [{"Name": "CreationTime", "Value": "yesterday", "Operator": "LessThan"}]},
            None,
        ),
        ({"Operator": "And"}, None),  # at least one element [MODEL]
        (
            {
                "SubExpressions": [
                    {"Filters": [{"Name": "ModelPackageVersion", "Value": "1"}] * 20}
                ]
                * 3
            },
            None,
        ),  # > 50 elements in total [MODEL]
    ],
)
def test_expression_errors(
    call: Caller, data: None, expression: dict[str, Any], message: str | None
) -> None:
    with pytest.raises(ServiceError) as e:
        call("Search", Resource="ModelPackage", SearchExpression=expression)
    assert e.value.code == "ValidationException"
    if message:
        assert e.value.message == message


def test_unknown_resource_is_an_enum_error(call: Caller) -> None:
    with pytest.raises(ServiceError) as e:  # the enum check of validation.py
        call("Search", Resource="Bogus")
    assert (
        "at 'resource' failed to satisfy constraint: Member must satisfy enum value set"
        in e.value.message
    )


def test_sort_and_paginate(call: Caller, data: None) -> None:
    r = call(
        "Search",
        Resource="ModelPackageGroup",
        SortBy="ModelPackageGroupName",
        SortOrder="Descending",
        MaxResults=1,
    )
    assert arns(r, "ModelPackageGroup") == ["fraud"]
    r2 = call(
        "Search",
        Resource="ModelPackageGroup",
        SortBy="ModelPackageGroupName",
        SortOrder="Descending",
        MaxResults=1,
        NextToken=r["NextToken"],
    )
    assert arns(r2, "ModelPackageGroup") == ["churn"] and "NextToken" not in r2
    # Default sort: LastModifiedTime Descending (falls back to CreationTime) [MODEL + INFERRED]
    call("UpdateModelPackage", ModelPackageArn=v("churn", 1), ModelApprovalStatus="Rejected")
    r = call(
        "Search",
        Resource="ModelPackage",
        SearchExpression={"Filters": [{"Name": "ModelPackageGroupName", "Value": "churn"}]},
    )
    assert arns(r) == [v("churn", 1), v("churn", 3), v("churn", 2)]
    with pytest.raises(ServiceError):
        call("Search", Resource="ModelPackage", SortBy="Nope")


def test_visibility_conditions(call: Caller, data: None) -> None:
    r = call(
        "Search",
        Resource="ModelPackageGroup",
        VisibilityConditions=[{"Key": "Tags.team", "Value": "b"}],
    )
    assert arns(r, "ModelPackageGroup") == ["fraud"]


def test_cross_account_search(call: Caller, data: None) -> None:
    owner = call.as_account(OTHER)
    owner("CreateModelPackageGroup", ModelPackageGroupName="shared")
    owner(
        "PutModelPackageGroupPolicy",
        ModelPackageGroupName="shared",
        ResourcePolicy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                        "Action": "sagemaker:DescribeModelPackageGroup",
                        "Resource": f"arn:aws:sagemaker:{REGION}:{OTHER}:model-package-group/shared",
                    }
                ],
            }
        ),
    )
    r = call("Search", Resource="ModelPackageGroup", CrossAccountFilterOption="CrossAccount")
    assert arns(r, "ModelPackageGroup") == ["shared"]


def test_search_records_conform_and_omit_describe_only_members(call: Caller, data: None) -> None:
    r = call("Search", Resource="ModelPackage", MaxResults=100)
    for res in r["Results"]:
        assert "Tags" in res["ModelPackage"]


def test_suggestions(call: Caller, data: None) -> None:
    r = call(
        "GetSearchSuggestions",
        Resource="ModelPackageGroup",
        SuggestionQuery={"PropertyNameQuery": {"PropertyNameHint": "tags.S"}},
    )
    assert r == {"PropertyNameSuggestions": [{"PropertyName": "Tags.stage"}]}  # [INFERRED] case
    r = call(
        "GetSearchSuggestions",
        Resource="ModelPackage",
        SuggestionQuery={"PropertyNameQuery": {"PropertyNameHint": ""}},
    )
    assert r == {
        "PropertyNameSuggestions": [
            {"PropertyName": "CustomerMetadataProperties.owner"},
            {"PropertyName": "Tags.team"},
        ]
    }


def test_other_resources_are_not_answered_here(call: Caller) -> None:
    with pytest.raises(ServiceError) as e:  # claims() routes them to moto
        call("Search", Resource="TrainingJob")
    assert e.value.code == "UnknownOperationException"

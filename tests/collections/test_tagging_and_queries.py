"""The Tagging API and resource queries over every simulated resource: registry groups and
packages, resource groups, and moto's resources; ARNs, types and pagination as AWS returns them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from pytest_modelreg import ModelRegistryHandle

from . import _sdk
from ._sdk import MODEL_GROUP
from .test_collections import ACCOUNT, MPG_ARN, RG_ARN, conforms

ALLOW_ALL = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}


@pytest.fixture
def admin(modelreg: ModelRegistryHandle) -> Any:
    return modelreg.principal("admin", policies=ALLOW_ALL)


def _tag_query(types: list[str], filters: list[dict[str, Any]]) -> dict[str, str]:
    return {
        "Type": "TAG_FILTERS_1_0",
        "Query": json.dumps({"ResourceTypeFilters": types, "TagFilters": filters}),
    }


def test_get_resources_returns_registry_resources_with_aws_arns(
    modelreg: ModelRegistryHandle,
) -> None:
    sm = modelreg.client("sagemaker")
    sm.create_model_package_group(
        ModelPackageGroupName="churn", Tags=[{"Key": "team", "Value": "ml"}]
    )
    sm.create_model_package_group(ModelPackageGroupName="untagged")
    got = modelreg.client("resourcegroupstaggingapi").get_resources(
        ResourceTypeFilters=["sagemaker:model-package-group"]
    )
    conforms("resourcegroupstaggingapi", "GetResources", got)
    # Untagged resources are not returned (API_GetResources); last page token is "" (boto3#2513).
    assert got["ResourceTagMappingList"] == [
        {"ResourceARN": f"{MPG_ARN}/churn", "Tags": [{"Key": "team", "Value": "ml"}]}
    ]
    assert got["PaginationToken"] == ""


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ([{"Key": "team"}], ["a", "b"]),  # no Values: any value
        ([{"Key": "team", "Values": ["ml", "x"]}], ["a"]),  # OR within a key
        ([{"Key": "team", "Values": ["ml", "ops"]}, {"Key": "env"}], ["b"]),  # AND across keys
        ([{"Key": "absent"}], []),
    ],
)
def test_tag_filter_semantics(
    admin: Any, filters: list[dict[str, Any]], expected: list[str]
) -> None:
    sm = admin.client("sagemaker")
    sm.create_model_package_group(ModelPackageGroupName="a", Tags=[{"Key": "team", "Value": "ml"}])
    sm.create_model_package_group(
        ModelPackageGroupName="b",
        Tags=[{"Key": "team", "Value": "ops"}, {"Key": "env", "Value": "p"}],
    )
    got = admin.client("resourcegroupstaggingapi").get_resources(TagFilters=filters)
    assert [m["ResourceARN"] for m in got["ResourceTagMappingList"]] == [
        f"{MPG_ARN}/{n}" for n in expected
    ]
    rg = admin.client("resource-groups")
    rg.create_group(Name="q", ResourceQuery=_tag_query([MODEL_GROUP], filters))
    listed = rg.list_group_resources(Group="q")["ResourceIdentifiers"]
    assert [r["ResourceArn"] for r in listed] == [f"{MPG_ARN}/{n}" for n in expected]


def test_get_resources_pages_like_aws(admin: Any) -> None:
    sm = admin.client("sagemaker")
    for i in range(5):
        sm.create_model_package_group(
            ModelPackageGroupName=f"g{i}", Tags=[{"Key": "k", "Value": "v"}]
        )
    tagging = admin.client("resourcegroupstaggingapi")
    first = tagging.get_resources(ResourcesPerPage=2, PaginationToken="")
    assert len(first["ResourceTagMappingList"]) == 2 and first["PaginationToken"]
    pages = list(tagging.get_paginator("get_resources").paginate(PaginationConfig={"PageSize": 2}))
    assert [len(p["ResourceTagMappingList"]) for p in pages] == [2, 2, 1]
    assert pages[-1]["PaginationToken"] == ""
    arns = [m["ResourceARN"] for p in pages for m in p["ResourceTagMappingList"]]
    assert arns == [f"{MPG_ARN}/g{i}" for i in range(5)]
    with pytest.raises(ClientError) as bad:
        tagging.get_resources(ResourcesPerPage=101)
    assert bad.value.response["Error"]["Code"] == "InvalidParameterException"


def test_list_group_resources_pages_like_aws(admin: Any) -> None:
    sm = admin.client("sagemaker")
    rg = admin.client("resource-groups")
    _sdk.create(rg, "top")
    for i in range(5):
        sm.create_model_package_group(ModelPackageGroupName=f"g{i}")
    _sdk.add_model_groups(rg, sm, "top", [f"g{i}" for i in range(5)])
    first = rg.list_group_resources(Group="top", MaxResults=2, NextToken="")  # "" = first page
    conforms("resource-groups", "ListGroupResources", first)
    assert len(first["Resources"]) == 2 and first["NextToken"]
    pages = list(
        rg.get_paginator("list_group_resources").paginate(
            Group="top", PaginationConfig={"PageSize": 2}
        )
    )
    assert [len(p["Resources"]) for p in pages] == [2, 2, 1]
    assert "NextToken" not in pages[-1]  # absent, not empty, on the last page (AWS CLI output)
    assert _sdk.list_content(rg, "top", MODEL_GROUP) == [f"{MPG_ARN}/g{i}" for i in range(5)]
    with pytest.raises(ClientError) as bad:
        rg.list_group_resources(Group="top", NextToken="bm90LWEtdG9rZW4=")
    assert bad.value.response["Error"]["Code"] == "BadRequestException"


def test_list_groups_and_get_group(admin: Any) -> None:
    rg = admin.client("resource-groups")
    _sdk.create(rg, "b")
    _sdk.create(rg, "a")
    listed = rg.list_groups(MaxResults=1)
    conforms("resource-groups", "ListGroups", listed)
    assert listed["GroupIdentifiers"] == [{"GroupName": "a", "GroupArn": f"{RG_ARN}/a"}]
    assert listed["Groups"] == [{"GroupArn": f"{RG_ARN}/a", "Name": "a"}]
    rest = rg.list_groups(NextToken=listed["NextToken"])
    assert [g["GroupName"] for g in rest["GroupIdentifiers"]] == ["b"] and "NextToken" not in rest
    by_type = rg.list_groups(Filters=[{"Name": "resource-type", "Values": [MODEL_GROUP]}])
    assert len(by_type["Groups"]) == 2
    got = rg.get_group(Group=f"{RG_ARN}/a")  # name or ARN
    conforms("resource-groups", "GetGroup", got)
    tags = rg.get_tags(Arn=f"{RG_ARN}/a")
    conforms("resource-groups", "GetTags", tags)
    assert tags["Tags"]["sagemaker:collection"] == "true"


def test_update_group_query_changes_membership(admin: Any) -> None:
    sm = admin.client("sagemaker")
    rg = admin.client("resource-groups")
    sm.create_model_package_group(ModelPackageGroupName="a", Tags=[{"Key": "team", "Value": "ml"}])
    rg.create_group(Name="q", ResourceQuery=_tag_query([MODEL_GROUP], [{"Key": "other"}]))
    assert rg.list_group_resources(Group="q")["Resources"] == []
    updated = rg.update_group_query(
        Group="q", ResourceQuery=_tag_query([MODEL_GROUP], [{"Key": "team"}])
    )
    conforms("resource-groups", "UpdateGroupQuery", updated)
    assert len(rg.list_group_resources(Group="q")["Resources"]) == 1


def test_tag_resources_across_services(admin: Any) -> None:
    sm = admin.client("sagemaker")
    s3 = admin.client("s3")
    rg = admin.client("resource-groups")
    tagging = admin.client("resourcegroupstaggingapi")
    sm.create_model_package_group(ModelPackageGroupName="churn")
    s3.create_bucket(Bucket="sagemaker-bucket")
    _sdk.create(rg, "top")
    arns = [
        f"{MPG_ARN}/churn",
        "arn:aws:s3:::sagemaker-bucket",
        f"{RG_ARN}/top",
        f"{MPG_ARN}/missing",
    ]
    out = tagging.tag_resources(ResourceARNList=arns, Tags={"cost": "42"})
    conforms("resourcegroupstaggingapi", "TagResources", out)
    assert list(out["FailedResourcesMap"]) == [f"{MPG_ARN}/missing"]
    values = tagging.get_tag_values(Key="cost")
    conforms("resourcegroupstaggingapi", "GetTagValues", values)
    assert values["TagValues"] == ["42"] and values["PaginationToken"] == ""
    tagged = tagging.get_resources(TagFilters=[{"Key": "cost"}])["ResourceTagMappingList"]
    assert sorted(m["ResourceARN"] for m in tagged) == sorted(arns[:3])
    # a query over every supported type sees all three services' resources
    rg.create_group(
        Name="costly", ResourceQuery=_tag_query(["AWS::AllSupported"], [{"Key": "cost"}])
    )
    types = {
        r["ResourceArn"]: r["ResourceType"]
        for r in rg.list_group_resources(Group="costly")["ResourceIdentifiers"]
    }
    assert types == {
        f"{MPG_ARN}/churn": MODEL_GROUP,
        "arn:aws:s3:::sagemaker-bucket": "AWS::S3::Bucket",
        f"{RG_ARN}/top": "AWS::ResourceGroups::Group",
    }
    keys = tagging.get_tag_keys()
    conforms("resourcegroupstaggingapi", "GetTagKeys", keys)
    assert "cost" in keys["TagKeys"]
    untagged = tagging.untag_resources(ResourceARNList=arns[:3], TagKeys=["cost"])
    assert untagged["FailedResourcesMap"] == {}
    assert tagging.get_resources(TagFilters=[{"Key": "cost"}])["ResourceTagMappingList"] == []


def test_registry_packages_are_typed_model_package(admin: Any) -> None:
    sm = admin.client("sagemaker")
    spec = {
        "Containers": [{"Image": f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/x:1"}],
        "SupportedContentTypes": ["text/csv"],
        "SupportedResponseMIMETypes": ["text/csv"],
        "SupportedRealtimeInferenceInstanceTypes": ["ml.m5.large"],
        "SupportedTransformInstanceTypes": ["ml.m5.large"],
    }
    sm.create_model_package_group(ModelPackageGroupName="churn")
    versioned = sm.create_model_package(ModelPackageGroupName="churn", InferenceSpecification=spec)
    unversioned = sm.create_model_package(ModelPackageName="solo", InferenceSpecification=spec)
    arns = [versioned["ModelPackageArn"], unversioned["ModelPackageArn"]]
    tagging = admin.client("resourcegroupstaggingapi")
    out = tagging.tag_resources(ResourceARNList=arns, Tags={"k": "v"})
    # The registry refuses tags on versioned packages (its rule: _guesses.REJECT_TAGS_ON_VERSIONED): reported per resource.
    assert list(out["FailedResourcesMap"]) == [arns[0]]
    assert out["FailedResourcesMap"][arns[0]]["ErrorCode"] == "InvalidParameterException"
    rg = admin.client("resource-groups")
    rg.create_group(
        Name="q", ResourceQuery=_tag_query(["AWS::SageMaker::ModelPackage"], [{"Key": "k"}])
    )
    assert rg.list_group_resources(Group="q")["ResourceIdentifiers"] == [
        {"ResourceArn": arns[1], "ResourceType": "AWS::SageMaker::ModelPackage"}
    ]
    got = tagging.get_resources(ResourceTypeFilters=["sagemaker:model-package"])
    assert [m["ResourceARN"] for m in got["ResourceTagMappingList"]] == [arns[1]]


def test_stack_queries_report_the_missing_stack(admin: Any) -> None:
    # CloudFormation is not simulated: a stack query has no members and says why (QueryErrors).
    rg = admin.client("resource-groups")
    stack = f"arn:aws:cloudformation:us-east-1:{ACCOUNT}:stack/s/0123"
    rg.create_group(
        Name="s",
        ResourceQuery={
            "Type": "CLOUDFORMATION_STACK_1_0",
            "Query": json.dumps({"StackIdentifier": stack}),
        },
    )
    listed = rg.list_group_resources(Group="s")
    conforms("resource-groups", "ListGroupResources", listed)
    assert listed["Resources"] == []
    assert listed["QueryErrors"][0]["ErrorCode"] == "CLOUDFORMATION_STACK_NOT_EXISTING"


def test_generic_groups_hold_explicit_members(admin: Any) -> None:
    rg = admin.client("resource-groups")
    admin.client("sagemaker").create_model_package_group(ModelPackageGroupName="churn")
    rg.create_group(
        Name="gen",
        Configuration=[
            {
                "Type": "AWS::ResourceGroups::Generic",
                "Parameters": [
                    {"Name": "allowed-resource-types", "Values": ["AWS::AllSupported"]},
                    {"Name": "deletion-protection", "Values": ["UNLESS_EMPTY"]},
                ],
            }
        ],
    )
    added = rg.group_resources(Group="gen", ResourceArns=[f"{MPG_ARN}/churn"])
    conforms("resource-groups", "GroupResources", added)
    assert added["Succeeded"] == [f"{MPG_ARN}/churn"]
    assert rg.list_group_resources(Group="gen")["ResourceIdentifiers"] == [
        {"ResourceArn": f"{MPG_ARN}/churn", "ResourceType": MODEL_GROUP}
    ]
    with pytest.raises(ClientError) as protected:  # deletion-protection UNLESS_EMPTY
        rg.delete_group(Group="gen")
    assert protected.value.response["Error"]["Code"] == "BadRequestException"
    rg.ungroup_resources(Group="gen", ResourceArns=[f"{MPG_ARN}/churn"])
    rg.delete_group(Group="gen")


def test_unimplemented_operations_say_so(admin: Any) -> None:
    from pytest_modelreg import UnsupportedOperationError

    with pytest.raises(UnsupportedOperationError, match=r"resource-groups\.GetAccountSettings"):
        admin.client("resource-groups").get_account_settings()


def test_filter_types_outside_the_query_are_refused(admin: Any) -> None:
    # API_ListGroupResources: "The resource types specified as filters in the request are not
    # valid." - except for AWS::AllSupported queries.
    rg = admin.client("resource-groups")
    _sdk.create(rg, "top")
    with pytest.raises(ClientError) as bad:
        rg.list_group_resources(
            Group="top", Filters=[{"Name": "resource-type", "Values": ["AWS::S3::Bucket"]}]
        )
    assert bad.value.response["Error"]["Code"] == "BadRequestException"
    assert bad.value.response["Error"]["Message"].startswith(
        "The resource types specified as filters in the request are not valid."
    )
    rg.create_group(Name="all", ResourceQuery=_tag_query(["AWS::AllSupported"], [{"Key": "k"}]))
    listed = rg.list_group_resources(
        Group="all", Filters=[{"Name": "resource-type", "Values": ["AWS::S3::Bucket"]}]
    )
    assert listed["Resources"] == []

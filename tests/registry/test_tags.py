"""AddTags / DeleteTags / ListTags on registry resources (botocore's model) and the read-only queries."""

from __future__ import annotations

import pytest

from pytest_modelreg.simulation.base import ServiceError
from pytest_modelreg.simulation.registry import ModelRegistry

from ._helpers import ACCOUNT, INFERENCE_SPEC, OTHER, REGION, Caller

GROUP_ARN = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package-group/G"
VERSION_ARN = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package/G/1"
LOOSE_ARN = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package/loose"


@pytest.fixture
def resources(call: Caller) -> None:
    call("CreateModelPackageGroup", ModelPackageGroupName="G", Tags=[{"Key": "a", "Value": "1"}])
    call("CreateModelPackage", ModelPackageGroupName="G", InferenceSpecification=INFERENCE_SPEC)
    call("CreateModelPackage", ModelPackageName="loose", Tags=[{"Key": "u", "Value": "x"}])


def test_add_overwrites_and_delete_ignores_absent(call: Caller, resources: None) -> None:
    r = call(
        "AddTags",
        ResourceArn=GROUP_ARN,
        Tags=[{"Key": "a", "Value": "2"}, {"Key": "b", "Value": ""}],
    )
    assert r == {"Tags": [{"Key": "a", "Value": "2"}, {"Key": "b", "Value": ""}]}
    call("DeleteTags", ResourceArn=GROUP_ARN, TagKeys=["b", "never-there"])  # [INFERRED]
    assert call("ListTags", ResourceArn=GROUP_ARN) == {"Tags": [{"Key": "a", "Value": "2"}]}
    assert call.registry.tags_of(GROUP_ARN) == {"a": "2"}


def test_versioned_packages_have_no_tags(call: Caller, resources: None) -> None:
    # [INFERRED from the Model Registry FAQ] group tags are not copied; AddTags refused
    assert call("ListTags", ResourceArn=VERSION_ARN) == {"Tags": []}
    with pytest.raises(ServiceError) as e:
        call("AddTags", ResourceArn=VERSION_ARN, Tags=[{"Key": "k", "Value": "v"}])
    assert e.value.code == "ValidationException"
    assert call.registry.tags_of(VERSION_ARN) == {}


def test_unversioned_package_tags(call: Caller, resources: None) -> None:
    call("AddTags", ResourceArn=LOOSE_ARN, Tags=[{"Key": "v", "Value": "y"}])
    assert call.registry.tags_of(LOOSE_ARN) == {"u": "x", "v": "y"}


@pytest.mark.parametrize("op", ["AddTags", "DeleteTags", "ListTags"])
def test_unknown_resource(call: Caller, op: str) -> None:
    params: dict[str, object] = {"ResourceArn": GROUP_ARN}
    if op == "AddTags":
        params["Tags"] = [{"Key": "k", "Value": "v"}]
    if op == "DeleteTags":
        params["TagKeys"] = ["k"]
    with pytest.raises(ServiceError) as e:  # [REAL boto/boto3#4606, other resource type]
        call(op, **params)
    assert (e.value.code, e.value.message) == ("ValidationException", "Resource does not exist")


def test_limits(call: Caller, resources: None) -> None:
    call("AddTags", ResourceArn=GROUP_ARN, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(49)])
    with pytest.raises(ServiceError):  # 50 per resource [MODEL]
        call("AddTags", ResourceArn=GROUP_ARN, Tags=[{"Key": "one-more", "Value": "v"}])
    with pytest.raises(ServiceError):  # aws: reserved [DOC]
        call("AddTags", ResourceArn=LOOSE_ARN, Tags=[{"Key": "aws:cloudformation", "Value": "v"}])
    with pytest.raises(ServiceError) as e:  # [MODEL] key pattern
        call("AddTags", ResourceArn=LOOSE_ARN, Tags=[{"Key": "bad\u0000key", "Value": "v"}])
    assert "at 'tags.1.member.key'" in e.value.message


def test_list_tags_pagination(call: Caller, resources: None) -> None:
    call(
        "AddTags",
        ResourceArn=GROUP_ARN,
        Tags=[{"Key": f"k{i:02}", "Value": "v"} for i in range(49)],
    )
    first = call("ListTags", ResourceArn=GROUP_ARN, MaxResults=50)
    assert len(first["Tags"]) == 50 and "NextToken" not in first
    # ListTagsMaxResults has min 50 and no max in botocore's model (unlike the other lists' 1-100)
    assert len(call("ListTags", ResourceArn=GROUP_ARN, MaxResults=1000)["Tags"]) == 50
    with pytest.raises(ServiceError) as e:
        call("ListTags", ResourceArn=GROUP_ARN, MaxResults=49)
    assert "Member must have value greater than or equal to 50" in e.value.message


def test_collection_membership_tags_go_with_the_group(call: Caller, resources: None) -> None:
    # The SDK's collections tag groups; deleting the group removes them [INFERRED]
    key = "sagemaker:collection-path:1795816883601"
    call("AddTags", ResourceArn=GROUP_ARN, Tags=[{"Key": key, "Value": "top/child"}])
    assert (
        "arn:aws:sagemaker:us-east-1:111122223333:model-package-group/G",
        "sagemaker:model-package-group",
        {"a": "1", key: "top/child"},
    ) in call.registry.resources(ACCOUNT, REGION)
    call("DeleteModelPackage", ModelPackageName=VERSION_ARN)
    call("DeleteModelPackageGroup", ModelPackageGroupName="G")
    assert call.registry.tags_of(GROUP_ARN) is None


def test_claims(registry: ModelRegistry) -> None:
    assert registry.claims("CreateModelPackageGroup", {})
    assert registry.claims("DescribeInferenceRecommendationsJob", {})
    assert registry.claims("AddTags", {"ResourceArn": GROUP_ARN})
    assert registry.claims("ListTags", {"ResourceArn": VERSION_ARN})
    assert not registry.claims(
        "ListTags", {"ResourceArn": f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:endpoint/e"}
    )
    # ARNs moto cannot parse are answered here (ValidationException) rather than crash moto
    assert registry.claims("ListTags", {"ResourceArn": "not-an-arn"})
    assert registry.claims("AddTags", {"ResourceArn": "arn:aws:sagemaker::000000000000:0"})
    assert registry.claims(
        "AddTags", {"ResourceArn": f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:hub/h/extra"}
    )
    assert registry.claims("Search", {"Resource": "ModelPackageGroup"})
    assert not registry.claims("Search", {"Resource": "TrainingJob"})
    assert not registry.claims("CreateModel", {"ModelName": "m"})
    assert not registry.claims("DescribeModel", {"ModelName": "m"})


def test_read_only_queries(call: Caller, resources: None) -> None:
    reg = call.registry
    assert reg.tags_of(f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:endpoint/e") is None
    assert reg.tags_of(f"arn:aws:sagemaker:{REGION}:{OTHER}:model-package-group/G") is None
    assert reg.resource_policy(GROUP_ARN) is None
    assert reg.resources(OTHER, REGION) == []
    types = sorted((arn, t) for arn, t, _ in reg.resources(ACCOUNT, REGION))
    assert types == sorted(
        [
            (GROUP_ARN, "sagemaker:model-package-group"),
            (VERSION_ARN, "sagemaker:model-package"),
            (LOOSE_ARN, "sagemaker:model-package"),
        ]
    )


def test_unparseable_arn_is_resource_does_not_exist(call: Caller) -> None:
    with pytest.raises(ServiceError) as e:
        call("AddTags", ResourceArn="arn:aws:sagemaker::000000000000:0", Tags=[])
    assert (e.value.code, e.value.message) == ("ValidationException", "Resource does not exist")


def test_unknown_operation(registry: ModelRegistry, call: Caller) -> None:
    with pytest.raises(ServiceError):
        registry.handle("DescribeEndpoint", {"EndpointName": "e"}, call.ctx)

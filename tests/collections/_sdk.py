"""The boto3 calls the SageMaker SDK's Collection helper makes (the SageMaker Python SDK's
``sagemaker/collection.py``: CreateGroup with a TAG_FILTERS_1_0 query, AddTags on the model package
group, ListGroupResources ...), so the tests drive the same requests without the SDK installed."""

from __future__ import annotations

import json
import time
from typing import Any

from botocore.exceptions import ClientError

MODEL_GROUP = "AWS::SageMaker::ModelPackageGroup"
RESOURCE_GROUP = "AWS::ResourceGroups::Group"
COLLECTION_TAG = "sagemaker:collection"
ROOT_TAG = "sagemaker:collection-path:root"

_last_key = 0


def _rule_key() -> str:
    """``sagemaker:collection-path:<epoch millis>``, unique per collection (collection.py)."""
    global _last_key
    millis = max(int(time.time() * 1000), _last_key + 1)
    _last_key = millis
    return f"sagemaker:collection-path:{millis}"


def query_of(rule_key: str, path: str) -> dict[str, str]:
    return {
        "Type": "TAG_FILTERS_1_0",
        "Query": json.dumps(
            {
                "ResourceTypeFilters": [MODEL_GROUP, RESOURCE_GROUP],
                "TagFilters": [{"Key": rule_key, "Values": [path]}],
            }
        ),
    }


def rule_of(rg: Any, collection: str) -> tuple[str, str]:
    """(tag-rule key, path) of a collection, read back from its query (GetGroupQuery)."""
    try:
        q = rg.get_group_query(Group=collection)["GroupQuery"]["ResourceQuery"]
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "NotFoundException":
            raise ValueError(f"Cannot find collection: {collection}") from None
        raise
    tag_filter = json.loads(q["Query"])["TagFilters"][0]
    return tag_filter["Key"], tag_filter["Values"][0]


def create(rg: Any, name: str, parent: str | None = None) -> dict[str, Any]:
    if parent is None:
        path, tags = name, {COLLECTION_TAG: "true", ROOT_TAG: "true"}
    else:
        parent_key, parent_path = rule_of(rg, parent)
        path, tags = f"{parent_path}/{name}", {parent_key: parent_path, COLLECTION_TAG: "true"}
    try:
        out: dict[str, Any] = rg.create_group(
            Name=name, ResourceQuery=query_of(_rule_key(), path), Tags=tags
        )
    except ClientError as exc:
        if "group already exists" in exc.response["Error"]["Message"]:
            raise ValueError("Collection with the given name already exists") from None
        raise
    return out


def add_model_groups(rg: Any, sm: Any, collection: str, groups: list[str]) -> None:
    key, path = rule_of(rg, collection)
    for g in groups:
        arn = sm.describe_model_package_group(ModelPackageGroupName=g)["ModelPackageGroupArn"]
        sm.add_tags(ResourceArn=arn, Tags=[{"Key": key, "Value": path}])


def remove_model_groups(rg: Any, sm: Any, collection: str, groups: list[str]) -> None:
    key, _ = rule_of(rg, collection)
    for g in groups:
        arn = sm.describe_model_package_group(ModelPackageGroupName=g)["ModelPackageGroupArn"]
        sm.delete_tags(ResourceArn=arn, TagKeys=[key])


def list_content(rg: Any, collection: str, resource_type: str) -> list[str]:
    """ARNs of one type in a collection, every page, starting with NextToken="" as the SDK does."""
    arns: list[str] = []
    token = ""
    while True:
        page = rg.list_group_resources(
            Group=collection,
            Filters=[{"Name": "resource-type", "Values": [resource_type]}],
            NextToken=token,
        )
        arns.extend(r["Identifier"]["ResourceArn"] for r in page["Resources"])
        token = page.get("NextToken", "")
        if not token:
            return arns


def list_roots(tagging: Any) -> list[str]:
    found = tagging.get_resources(
        TagFilters=[{"Key": ROOT_TAG, "Values": ["true"]}],
        ResourceTypeFilters=["resource-groups:group"],
    )["ResourceTagMappingList"]
    return [m["ResourceARN"].split("group/")[1] for m in found]


def delete(rg: Any, names: list[str]) -> list[dict[str, str]]:
    """The SDK's delete: a collection that still holds anything is not deleted (collection.py)."""
    failures = []
    for name in names:
        content = list_content(rg, name, RESOURCE_GROUP) + list_content(rg, name, MODEL_GROUP)
        if content:
            failures.append(
                {"collection": name, "message": "Validation error: Collection not empty"}
            )
            continue
        rg.delete_group(Group=name)
    return failures

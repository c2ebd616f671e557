"""The SDK's Collection helper (sagemaker.collection.Collection) under the plugin: it
drives Resource Groups, the Tagging API and SageMaker AddTags/DeleteTags, all granted by the
managed policy under the collection-tag conditions of §10.1."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_modelreg import ModelRegistryHandle

sagemaker = pytest.importorskip(
    "sagemaker",
    reason="the SageMaker Python SDK is not installed: pip install -e '.[sdk]' to run tests/sdk",
)

pytestmark = pytest.mark.filterwarnings("ignore:.*SageMaker Python SDK v2")


@pytest.fixture
def collections(modelreg: ModelRegistryHandle, sdk_session: Any) -> Any:
    from sagemaker.collection import Collection

    for group in ("churn", "fraud"):
        modelreg.admin_client("sagemaker").create_model_package_group(ModelPackageGroupName=group)
    return Collection(sagemaker_session=sdk_session)


def _names(entries: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return sorted((e["Name"], e["Type"]) for e in entries)


def test_create_nest_add_list_move_remove_delete(
    modelreg: ModelRegistryHandle, collections: Any
) -> None:
    region, account = modelreg.region, modelreg.account_id
    top = collections.create("top")
    assert top == {"Name": "top", "Arn": f"arn:aws:resource-groups:{region}:{account}:group/top"}
    collections.create("child", parent_collection_name="top")
    assert collections.add_model_groups("child", ["churn"]) == {
        "added_groups": ["churn"],
        "failure": [],
    }
    collections.add_model_groups("top", ["fraud"])

    assert _names(collections.list_collection()) == [("top", "Collection")]
    assert _names(collections.list_collection("top")) == [
        ("child", "Collection"),
        ("fraud", "AWS::SageMaker::ModelPackageGroup"),
    ]
    assert _names(collections.list_collection("child")) == [
        ("churn", "AWS::SageMaker::ModelPackageGroup")
    ]

    assert collections.move_model_group("child", "churn", "top") == {"moved_success": "churn"}
    assert collections.list_collection("child") == []
    # A non-empty collection is not deleted (the SDK checks with ListGroupResources).
    not_deleted = collections.delete(["top"])
    assert not_deleted["deleted_collections"] == []
    assert collections.remove_model_groups("top", ["churn", "fraud"]) == {
        "removed_groups": ["churn", "fraud"],
        "failure": [],
    }
    assert collections.delete(["child"])["deleted_collections"] == ["child"]
    assert collections.delete(["top"])["deleted_collections"] == ["top"]
    assert collections.list_collection() == []
    assert modelreg.denied == []


def test_membership_is_a_tag_on_the_model_group(
    modelreg: ModelRegistryHandle, collections: Any
) -> None:
    collections.create("top")
    collections.add_model_groups("top", ["churn"])
    tagged = [c for c in modelreg.calls if c.operation == "AddTags"]
    assert len(tagged) == 1
    (tag,) = tagged[0].params["Tags"]
    assert tag["Key"].startswith("sagemaker:collection-path:") and tag["Value"] == "top"
    arn = f"arn:aws:sagemaker:{modelreg.region}:{modelreg.account_id}:model-package-group/churn"
    tags = modelreg.admin_client("sagemaker").list_tags(ResourceArn=arn)["Tags"]
    assert tags == [tag]


def test_sdk_errors_for_a_duplicate_and_a_missing_parent(collections: Any) -> None:
    collections.create("top")
    with pytest.raises(ValueError, match="Collection with the given name already exists"):
        collections.create("top")
    with pytest.raises(ValueError, match="Cannot find collection: nowhere"):
        collections.create("child", parent_collection_name="nowhere")


def test_a_principal_without_resource_groups_gets_the_sdks_collections_message(
    modelreg: ModelRegistryHandle,
) -> None:
    from sagemaker.collection import Collection

    registry_only = modelreg.principal(
        "registry-only",
        policies={
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "sagemaker:*", "Resource": "*"}],
        },
    )
    session = sagemaker.Session(boto_session=registry_only.session())
    with pytest.raises(Exception, match="AccessDeniedException: This account needs to attach"):
        Collection(sagemaker_session=session).create("top")
    assert [c.operation for c in modelreg.denied] == ["CreateGroup"]

"""The "user code" the suite tests: a small MLOps project's registry operations, written against
boto3 as it would run in production (default clients, errors left to the caller)."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.exceptions import ClientError


def _sagemaker(client: Any = None) -> Any:
    return client if client is not None else boto3.client("sagemaker")


# What the project's inference containers read and write.
CONTENT_TYPES = ["text/csv"]


def register_model_version(
    group: str, image_uri: str, model_data_url: str, *, commit: str = "", sagemaker: Any = None
) -> str:
    """Register a model version pending approval, recording the git commit that trained it,
    creating its group on first use; its ARN."""
    sm = _sagemaker(sagemaker)
    try:
        sm.describe_model_package_group(ModelPackageGroupName=group)
    except ClientError as error:
        if error.response["Error"]["Code"] != "ValidationException":
            raise
        sm.create_model_package_group(
            ModelPackageGroupName=group, ModelPackageGroupDescription=f"{group} models"
        )
    container = {"Image": image_uri, "ModelDataUrl": model_data_url}
    response = sm.create_model_package(
        ModelPackageGroupName=group,
        ModelApprovalStatus="PendingManualApproval",
        CustomerMetadataProperties={"git_commit": commit or "unknown"},
        InferenceSpecification={
            "Containers": [container],
            "SupportedContentTypes": CONTENT_TYPES,
            "SupportedResponseMIMETypes": CONTENT_TYPES,
        },
    )
    return str(response["ModelPackageArn"])


def approve(model_package_arn: str, note: str, *, sagemaker: Any = None) -> None:
    """Approve a model version for deployment."""
    _sagemaker(sagemaker).update_model_package(
        ModelPackageArn=model_package_arn,
        ModelApprovalStatus="Approved",
        ApprovalDescription=note,
    )


def latest_approved(group: str, *, sagemaker: Any = None) -> str | None:
    """The ARN of the group's newest approved version, or None."""
    page = _sagemaker(sagemaker).list_model_packages(
        ModelPackageGroupName=group,
        ModelApprovalStatus="Approved",
        SortBy="CreationTime",
        SortOrder="Descending",
        MaxResults=1,
    )
    summaries = page["ModelPackageSummaryList"]
    return str(summaries[0]["ModelPackageArn"]) if summaries else None


def group_names(*, sagemaker: Any = None) -> list[str]:
    """Every model package group in the account (a dashboard's listing)."""
    pages = _sagemaker(sagemaker).get_paginator("list_model_package_groups").paginate()
    return [g["ModelPackageGroupName"] for p in pages for g in p["ModelPackageGroupSummaryList"]]


def read_model_card(bucket: str, key: str) -> str:
    """A model card stored in S3, as text."""
    body = boto3.client("s3").get_object(Bucket=bucket, Key=key)["Body"]
    return str(body.read().decode("utf-8"))

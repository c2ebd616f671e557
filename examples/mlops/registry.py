"""Register model versions from an S3 artifact and an ECR image, approve them, deploy the latest
approved version. Plain boto3, as production code would be; nothing here knows about the tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import boto3
from botocore.exceptions import ClientError


@dataclass(frozen=True)
class ModelVersion:
    arn: str
    version: int
    status: str


class ModelRegistryClient:
    def __init__(self, session: boto3.Session | None = None) -> None:
        session = session or boto3.Session()
        self.sagemaker: Any = session.client("sagemaker")
        self.s3: Any = session.client("s3")
        self.ecr: Any = session.client("ecr")

    def ensure_group(self, group: str, description: str = "") -> str:
        """Create the model package group unless it exists; return its ARN."""
        try:
            return str(
                self.sagemaker.describe_model_package_group(ModelPackageGroupName=group)[
                    "ModelPackageGroupArn"
                ]
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ValidationException":
                raise
        response = self.sagemaker.create_model_package_group(
            ModelPackageGroupName=group, ModelPackageGroupDescription=description or group
        )
        return str(response["ModelPackageGroupArn"])

    def register(self, group: str, model_data_url: str, image_uri: str) -> ModelVersion:
        """Register a new version after checking that the artifact and the image exist."""
        url = urlparse(model_data_url)
        self.s3.head_object(Bucket=url.netloc, Key=url.path.lstrip("/"))
        repository, _, tag = image_uri.split("/", 1)[1].partition(":")
        self.ecr.describe_images(
            repositoryName=repository, imageIds=[{"imageTag": tag or "latest"}]
        )
        self.ensure_group(group)
        arn = self.sagemaker.create_model_package(
            ModelPackageGroupName=group,
            ModelApprovalStatus="PendingManualApproval",
            InferenceSpecification={
                "Containers": [{"Image": image_uri, "ModelDataUrl": model_data_url}],
                "SupportedContentTypes": ["text/csv"],
                "SupportedResponseMIMETypes": ["text/csv"],
            },
        )["ModelPackageArn"]
        return self.describe(arn)

    def describe(self, arn: str) -> ModelVersion:
        d = self.sagemaker.describe_model_package(ModelPackageName=arn)
        return ModelVersion(arn, int(d.get("ModelPackageVersion", 0)), d["ModelApprovalStatus"])

    def approve(self, arn: str, note: str = "approved by CI") -> ModelVersion:
        self.sagemaker.update_model_package(
            ModelPackageArn=arn, ModelApprovalStatus="Approved", ApprovalDescription=note
        )
        return self.describe(arn)

    def latest_approved(self, group: str) -> str | None:
        packages = self.sagemaker.list_model_packages(
            ModelPackageGroupName=group,
            ModelApprovalStatus="Approved",
            SortBy="CreationTime",
            SortOrder="Descending",
            MaxResults=1,
        )["ModelPackageSummaryList"]
        return str(packages[0]["ModelPackageArn"]) if packages else None

    def deploy_latest_approved(self, group: str, endpoint: str, role_arn: str) -> str:
        """Create a model, endpoint config and endpoint from the newest approved version."""
        arn = self.latest_approved(group)
        if arn is None:
            raise LookupError(f"no approved version in {group}")
        return self.deploy(arn, endpoint, role_arn)

    def deploy(self, arn: str, endpoint: str, role_arn: str) -> str:
        """Create a model, endpoint config and endpoint from one version; the endpoint's ARN."""
        self.sagemaker.create_model(
            ModelName=endpoint,
            ExecutionRoleArn=role_arn,
            Containers=[{"ModelPackageName": arn}],
        )
        self.sagemaker.create_endpoint_config(
            EndpointConfigName=endpoint,
            ProductionVariants=[
                {
                    "VariantName": "AllTraffic",
                    "ModelName": endpoint,
                    "InitialInstanceCount": 1,
                    "InstanceType": "ml.m5.large",
                }
            ],
        )
        return str(
            self.sagemaker.create_endpoint(EndpointName=endpoint, EndpointConfigName=endpoint)[
                "EndpointArn"
            ]
        )

    def endpoint_status(self, endpoint: str) -> str:
        return str(self.sagemaker.describe_endpoint(EndpointName=endpoint)["EndpointStatus"])

    def group_names(self) -> list[str]:
        paginator = self.sagemaker.get_paginator("list_model_package_groups")
        return [
            g["ModelPackageGroupName"]
            for page in paginator.paginate()
            for g in page["ModelPackageGroupSummaryList"]
        ]

"""A realistic registry workflow in plain boto3 (as examples/mlops/registry.py does it): check the
artifact in S3 and the image in ECR, register two versions, approve one, deploy it."""

from __future__ import annotations

import json
from typing import Any

import boto3

from pytest_modelreg import ModelRegistryHandle

BUCKET = "sagemaker-models-example"
KEY = "churn/model.tar.gz"
REPOSITORY = "churn-inference"

ALLOW_ALL: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}


def execution_role_policy(repository_arn: str) -> dict[str, Any]:
    """The smallest permissions of the execution role ("How to use SageMaker AI execution roles",
    SageMaker Developer Guide, CreateModel API: Execution Role Permissions): the bucket's
    artifacts, the repository's image, and an ECR token (which has no resource)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/*"},
            {
                "Effect": "Allow",
                "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                "Resource": repository_arn,
            },
            {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
        ],
    }


def arrange(reg: ModelRegistryHandle) -> dict[str, str]:
    """Test data, made with admin access (never part of the required policy)."""
    s3 = reg.admin_client("s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=b"model bytes")
    ecr = reg.admin_client("ecr")
    repository = ecr.create_repository(repositoryName=REPOSITORY)["repository"]
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": 1,
            "digest": "sha256:" + "0" * 64,
        },
        "layers": [],
    }
    ecr.put_image(repositoryName=REPOSITORY, imageManifest=json.dumps(manifest), imageTag="1.0")
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "sagemaker.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    iam = reg.admin_client("iam")
    role = iam.create_role(
        RoleName="SageMakerExecution", AssumeRolePolicyDocument=json.dumps(trust)
    )["Role"]
    # What SageMaker needs the role for: read the artifacts, pull the image.
    iam.put_role_policy(
        RoleName="SageMakerExecution",
        PolicyName="deploy",
        PolicyDocument=json.dumps(execution_role_policy(repository["repositoryArn"])),
    )
    return {"image": f"{repository['repositoryUri']}:1.0", "role_arn": role["Arn"]}


def run(data: dict[str, str]) -> str:
    """The code under test: register, approve, deploy; returns the endpoint status."""
    sm = boto3.client("sagemaker")
    boto3.client("s3").head_object(Bucket=BUCKET, Key=KEY)
    boto3.client("ecr").describe_images(repositoryName=REPOSITORY, imageIds=[{"imageTag": "1.0"}])
    sm.create_model_package_group(ModelPackageGroupName="churn")
    arns = []
    for _ in range(2):
        arns.append(
            sm.create_model_package(
                ModelPackageGroupName="churn",
                ModelApprovalStatus="PendingManualApproval",
                InferenceSpecification={
                    "Containers": [
                        {"Image": data["image"], "ModelDataUrl": f"s3://{BUCKET}/{KEY}"}
                    ],
                    "SupportedContentTypes": ["text/csv"],
                    "SupportedResponseMIMETypes": ["text/csv"],
                },
            )["ModelPackageArn"]
        )
    sm.update_model_package(ModelPackageArn=arns[1], ModelApprovalStatus="Approved")
    latest = sm.list_model_packages(
        ModelPackageGroupName="churn",
        ModelApprovalStatus="Approved",
        SortBy="CreationTime",
        SortOrder="Descending",
    )["ModelPackageSummaryList"][0]["ModelPackageArn"]
    sm.create_model(
        ModelName="churn-prod",
        ExecutionRoleArn=data["role_arn"],
        Containers=[{"ModelPackageName": latest}],
    )
    sm.create_endpoint_config(
        EndpointConfigName="churn-prod",
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": "churn-prod",
                "InitialInstanceCount": 1,
                "InstanceType": "ml.m5.large",
            }
        ],
    )
    sm.create_endpoint(EndpointName="churn-prod", EndpointConfigName="churn-prod")
    return str(sm.describe_endpoint(EndpointName="churn-prod")["EndpointStatus"])

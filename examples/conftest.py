"""Test data the workflow needs, arranged with admin access (never denied) before the code under
test runs as the principal under test."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pytest_modelreg import ModelRegistryHandle

BUCKET = "sagemaker-models-example"
MODEL_KEY = "churn/model.tar.gz"
REPOSITORY = "churn-inference"


@pytest.fixture
def artifacts(modelreg: ModelRegistryHandle) -> dict[str, Any]:
    s3 = modelreg.admin_client("s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key=MODEL_KEY, Body=b"model bytes")
    ecr = modelreg.admin_client("ecr")
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
    iam = modelreg.admin_client("iam")
    role = iam.create_role(
        RoleName="SageMakerExecution",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "sagemaker.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        ),
    )["Role"]
    # SageMaker reads the artifact and pulls the image as the execution role: the smallest
    # permissions that lets it ("How to use SageMaker AI execution roles", SageMaker Developer
    # Guide). GetAuthorizationToken has no resource of its own.
    iam.put_role_policy(
        RoleName="SageMakerExecution",
        PolicyName="deploy",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{BUCKET}/{MODEL_KEY}",
                    },
                    {
                        "Effect": "Allow",
                        "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                        "Resource": repository["repositoryArn"],
                    },
                    {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
                ],
            }
        ),
    )
    return {
        "model_data_url": f"s3://{BUCKET}/{MODEL_KEY}",
        "image_uri": f"{repository['repositoryUri']}:1.0",
        "role_arn": role["Arn"],
    }

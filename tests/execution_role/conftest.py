"""A deployable model's world, arranged as admin: a bucket with the artifact, an ECR repository with
the image, and an execution role whose trust policy and permissions each test chooses."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from pytest_modelreg import ModelRegistryHandle

# The SDK suite's fixtures, for test_sdk.py: the network block (autouse: every test here stays
# offline), the virtual clock, the SDK session, the default bucket with its artifact, a plain SDK
# model, and an execution role with the smallest permissions.
from ..sdk.conftest import (  # noqa: F401
    default_bucket,
    execution_role,
    model,
    no_network,
    sdk_clock,
    sdk_session,
)
from ..sdk_common import IMAGE_MANIFEST

BUCKET = "churn-models"
KEY = "churn/model.tar.gz"
REPOSITORY = "churn-inference"
ROLE = "SageMakerExecution"


def trust(service: str = "sagemaker.amazonaws.com", **condition: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"Service": service},
        "Action": "sts:AssumeRole",
    }
    if condition:
        statement["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [statement]}


def allow(*statements: tuple[str | list[str], str]) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": a, "Resource": r} for a, r in statements],
    }


@dataclass
class World:
    reg: ModelRegistryHandle
    role_arn: str
    image: str
    repository_arn: str

    @property
    def model_data(self) -> str:
        return f"s3://{BUCKET}/{KEY}"

    def smallest(self) -> dict[str, Any]:
        """The execution role's smallest permissions ("How to use SageMaker AI execution roles",
        SageMaker Developer Guide, CreateModel API: Execution Role Permissions)."""
        return allow(
            ("s3:GetObject", f"arn:aws:s3:::{BUCKET}/{KEY}"),
            (["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], self.repository_arn),
            ("ecr:GetAuthorizationToken", "*"),
        )

    def grant(self, policy: dict[str, Any], name: str = "deploy") -> None:
        self.reg.admin_client("iam").put_role_policy(
            RoleName=ROLE, PolicyName=name, PolicyDocument=json.dumps(policy)
        )

    def trust_only(self, service: str) -> None:
        """Change the role's trust policy to trust ``service`` alone."""
        self.reg.admin_client("iam").update_assume_role_policy(
            RoleName=ROLE, PolicyDocument=json.dumps(trust(service))
        )

    def kms_object(self, key_policy: dict[str, Any] | None = None) -> tuple[str, str]:
        """An SSE-KMS object in the bucket under a new key (with ``key_policy``, else KMS's
        default): the key's ARN and the object's S3 URL."""
        kms = self.reg.admin_client("kms")
        if key_policy is None:
            key = kms.create_key()["KeyMetadata"]["Arn"]
        else:
            policy = json.dumps(key_policy)
            key = kms.create_key(Policy=policy, BypassPolicyLockoutSafetyCheck=True)
            key = key["KeyMetadata"]["Arn"]
        self.reg.admin_client("s3").put_object(
            Bucket=BUCKET,
            Key="kms/model.tar.gz",
            Body=b"m",
            ServerSideEncryption="aws:kms",
            SSEKMSKeyId=key,
        )
        return str(key), f"s3://{BUCKET}/kms/model.tar.gz"

    def create_model(self, name: str = "churn", **container: Any) -> Any:
        return self.reg.client("sagemaker").create_model(
            ModelName=name,
            ExecutionRoleArn=self.role_arn,
            PrimaryContainer=container or {"Image": self.image, "ModelDataUrl": self.model_data},
        )

    def deploy(self, model_name: str = "churn", name: str = "churn-prod") -> dict[str, Any]:
        """An endpoint config and an endpoint for ``model_name``; DescribeEndpoint's answer."""
        sm = self.reg.client("sagemaker")
        config = [variant(model_name)]
        sm.create_endpoint_config(EndpointConfigName=name, ProductionVariants=config)
        sm.create_endpoint(EndpointName=name, EndpointConfigName=name)
        answer: dict[str, Any] = sm.describe_endpoint(EndpointName=name)
        return answer


def variant(model_name: str, name: str = "AllTraffic") -> dict[str, Any]:
    return {
        "VariantName": name,
        "ModelName": model_name,
        "InitialInstanceCount": 1,
        "InstanceType": "ml.m5.large",
    }


def arrange(reg: ModelRegistryHandle, role_trust: dict[str, Any] | None = None) -> World:
    s3 = reg.admin_client("s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=b"model")
    ecr = reg.admin_client("ecr")
    repository = ecr.create_repository(repositoryName=REPOSITORY)["repository"]
    ecr.put_image(repositoryName=REPOSITORY, imageManifest=IMAGE_MANIFEST, imageTag="1.0")
    role = reg.admin_client("iam").create_role(
        RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(role_trust or trust())
    )["Role"]
    return World(
        reg, role["Arn"], f"{repository['repositoryUri']}:1.0", repository["repositoryArn"]
    )


@pytest.fixture
def world(modelreg: ModelRegistryHandle) -> World:
    """The world with a trusted role that has no permissions yet."""
    return arrange(modelreg)

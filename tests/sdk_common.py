"""What the suites that drive a real SageMaker Python SDK (tests/sdk for v2, tests/sdk3 for v3)
share: a network block that records every attempt the SDK makes, even one it catches and
swallows; the resources an SDK flow needs arranged as admin; the two policies flows run under."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pytest_modelreg import ModelRegistryHandle

MANAGED = "AmazonSageMakerModelRegistryFullAccess"


def both_policies(deploy_policy: list[Any]) -> pytest.MarkDecorator:
    """Run a test (argument ``policy``) under the managed policy and under ``deploy_policy``:
    the flows the managed policy allows behave the same under a policy that grants more."""
    return pytest.mark.parametrize(
        "policy",
        [
            pytest.param(MANAGED, marks=pytest.mark.modelreg(policy=MANAGED), id="managed"),
            pytest.param(
                deploy_policy,
                marks=pytest.mark.modelreg(policy=deploy_policy),
                id="deploy-policy",
            ),
        ],
    )


def create_default_bucket(reg: ModelRegistryHandle) -> str:
    """The SDK's default bucket with an artifact in it, created as admin (the managed policy
    cannot create it)."""
    name = f"sagemaker-{reg.region}-{reg.account_id}"
    reg.admin_client("s3").create_bucket(Bucket=name)
    reg.admin_client("s3").put_object(Bucket=name, Key="churn/model.tar.gz", Body=b"model")
    return name


#: An image with no layers: enough for ECR to hold it and for SageMaker to "pull" it.
IMAGE_MANIFEST = json.dumps(
    {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": 1,
            "digest": "sha256:" + "0" * 64,
        },
        "layers": [],
    }
)


def push_image(reg: ModelRegistryHandle, repository: str, tag: str) -> str:
    """A repository holding one image (:data:`IMAGE_MANIFEST`), created as admin; returns its URI
    (``<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>``)."""
    ecr = reg.admin_client("ecr")
    uri = ecr.create_repository(repositoryName=repository)["repository"]["repositoryUri"]
    ecr.put_image(repositoryName=repository, imageManifest=IMAGE_MANIFEST, imageTag=tag)
    return f"{uri}:{tag}"


def create_execution_role(reg: ModelRegistryHandle) -> str:
    """A role SageMaker may assume, created as admin; returns its ARN."""
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
    role: dict[str, Any] = iam.create_role(
        RoleName="SageMakerExecution", AssumeRolePolicyDocument=json.dumps(trust)
    )["Role"]
    # What SageMaker needs the role for ("How to use SageMaker AI execution roles", SageMaker
    # Developer Guide): read the artifacts in the SDK's default bucket, pull the image of the
    # churn-inference repository (whose account holds no repository here: taken to exist).
    region, account = reg.region, reg.account_id
    permissions = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::sagemaker-{region}-{account}/*",
            },
            {
                "Effect": "Allow",
                "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                "Resource": f"arn:aws:ecr:{region}:{account}:repository/churn-inference",
            },
            {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
        ],
    }
    iam.put_role_policy(
        RoleName="SageMakerExecution", PolicyName="deploy", PolicyDocument=json.dumps(permissions)
    )
    return str(role["Arn"])

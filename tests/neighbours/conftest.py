"""Arranging the resources of the services next to a registry, as an admin, for tests/neighbours."""

from __future__ import annotations

import json
from typing import Any

from pytest_modelreg import ModelRegistryHandle

ACCOUNT = "123456789012"
REGION = "us-east-1"

LAMBDA_TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)


def arrange_endpoint(reg: ModelRegistryHandle, name: str) -> str:
    """A SageMaker endpoint in service (model, config, endpoint); returns its ARN."""
    iam = reg.admin_client("iam")
    trust = LAMBDA_TRUST.replace("lambda.amazonaws.com", "sagemaker.amazonaws.com")
    role = iam.create_role(RoleName=f"sm-{name}", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    sm = reg.admin_client("sagemaker")
    sm.create_model(
        ModelName=f"m-{name}",
        ExecutionRoleArn=role,
        PrimaryContainer={"Image": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/model:1"},
    )
    sm.create_endpoint_config(
        EndpointConfigName=f"c-{name}",
        ProductionVariants=[
            {
                "VariantName": "v",
                "ModelName": f"m-{name}",
                "InitialInstanceCount": 1,
                "InstanceType": "ml.m5.large",
            }
        ],
    )
    arn: str = sm.create_endpoint(EndpointName=name, EndpointConfigName=f"c-{name}")["EndpointArn"]
    return arn


def arrange_table(reg: ModelRegistryHandle, name: str, key: str = "pk") -> None:
    reg.admin_client("dynamodb").create_table(
        TableName=name,
        KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


def arrange_function(reg: ModelRegistryHandle, name: str) -> str:
    role = reg.admin_client("iam").create_role(
        RoleName=f"fn-{name}", AssumeRolePolicyDocument=LAMBDA_TRUST
    )["Role"]["Arn"]
    arn: str = reg.admin_client("lambda").create_function(
        FunctionName=name,
        Runtime="python3.12",
        Role=role,
        Handler="app.handler",
        Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18},
    )["FunctionArn"]
    return arn


def allow(action: str | list[str], resource: str | list[str], **extra: Any) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource, **extra}],
    }


def _service_role(reg: ModelRegistryHandle, name: str, service: str) -> str:
    trust = LAMBDA_TRUST.replace("lambda.amazonaws.com", service)
    role = reg.admin_client("iam").create_role(RoleName=name, AssumeRolePolicyDocument=trust)
    arn: str = role["Role"]["Arn"]
    return arn


def arrange_pipeline(reg: ModelRegistryHandle, name: str) -> str:
    """A two-stage pipeline (S3 source, CodeBuild build); returns its ARN."""
    role = _service_role(reg, f"cp-{name}", "codepipeline.amazonaws.com")
    source = {"category": "Source", "owner": "AWS", "provider": "S3", "version": "1"}
    build = {"category": "Build", "owner": "AWS", "provider": "CodeBuild", "version": "1"}
    reg.admin_client("codepipeline").create_pipeline(
        pipeline={
            "name": name,
            "roleArn": role,
            "artifactStore": {"type": "S3", "location": "artifacts"},
            "stages": [
                {
                    "name": "Source",
                    "actions": [
                        {
                            "name": "Fetch",
                            "actionTypeId": source,
                            "configuration": {"S3Bucket": "artifacts", "S3ObjectKey": "src.zip"},
                            "outputArtifacts": [{"name": "src"}],
                        }
                    ],
                },
                {
                    "name": "Build",
                    "actions": [
                        {
                            "name": "Train",
                            "actionTypeId": build,
                            "inputArtifacts": [{"name": "src"}],
                        }
                    ],
                },
            ],
        }
    )
    return f"arn:aws:codepipeline:{REGION}:{ACCOUNT}:{name}"


def arrange_project(reg: ModelRegistryHandle, name: str) -> str:
    role = _service_role(reg, f"cb-{name}", "codebuild.amazonaws.com")
    arn: str = reg.admin_client("codebuild").create_project(
        name=name,
        source={"type": "S3", "location": "artifacts/src.zip"},
        artifacts={"type": "NO_ARTIFACTS"},
        environment={
            "type": "LINUX_CONTAINER",
            "image": "aws/codebuild/standard:7.0",
            "computeType": "BUILD_GENERAL1_SMALL",
        },
        serviceRole=role,
    )["project"]["arn"]
    return arn

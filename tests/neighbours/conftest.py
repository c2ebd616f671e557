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

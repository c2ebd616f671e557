"""A registry workflow whose names and versions differ from run to run, as they do in production:
the model, endpoint config, endpoint and artifact prefix are named the way the SageMaker Python SDK
names what it generates (sagemaker.utils), and the versions it registers get the next numbers of a
group that already holds ``run`` versions. The group, bucket, repository and role are named
literally by the test, as infrastructure is.

``run`` picks the stamps, so two runs never share a generated name or a version number. The
source is plain text too (:data:`SOURCE`), so an in-process pytester project can import it.
"""

from __future__ import annotations

import inspect
import sys
import uuid
from typing import Any

import boto3

from pytest_modelreg import ModelRegistryHandle
from tests.reporting import _workflow as base
from tests.reporting._workflow import ALLOW_ALL, BUCKET, REPOSITORY

__all__ = ["ALLOW_ALL", "SOURCE", "arrange", "names", "run"]

GROUP = "churn"


def names(run: int) -> dict[str, str]:
    """The generated names of run ``run``, one per SDK name generator."""
    return {
        # name_from_base: <base>-%Y-%m-%d-%H-%M-%S-<ms>
        "model": f"{GROUP}-2026-11-{run:02d}-14-33-35-{run * 111 % 1000:03d}",
        # name_from_base(short=True): <base>-%y%m%d-%H%M
        "endpoint_config": f"{GROUP}-2611{run:02d}-1433",
        # unique_name_from_base_uuid4: <base>-<uuid4>
        "endpoint": f"{GROUP}-{uuid.UUID(int=run, version=4)}",
        # unique_name_from_base: <base>-<epoch seconds>-<4 hex digits>
        "prefix": f"{GROUP}-{1764513215 + run}-{run:04x}",
    }


def arrange(reg: ModelRegistryHandle, run: int) -> dict[str, str]:
    """Test data, made with admin access (never part of the required policy): the reporting
    workflow's bucket, image and execution role, the artifact under this run's generated prefix,
    and ``run`` earlier versions in the group."""
    generated = names(run)
    key = f"{generated['prefix']}/model.tar.gz"
    data = base.arrange(reg)
    reg.admin_client("s3").put_object(Bucket=BUCKET, Key=key, Body=b"model bytes")
    sm = reg.admin_client("sagemaker")
    sm.create_model_package_group(ModelPackageGroupName=GROUP)
    for _ in range(run):
        sm.create_model_package(
            ModelPackageGroupName=GROUP, InferenceSpecification=_inference(data["image"], key)
        )
    return {**generated, **data, "key": key}


def _inference(image: str, key: str) -> dict[str, Any]:
    return {
        "Containers": [{"Image": image, "ModelDataUrl": f"s3://{BUCKET}/{key}"}],
        "SupportedContentTypes": ["text/csv"],
        "SupportedResponseMIMETypes": ["text/csv"],
    }


def run(data: dict[str, str]) -> str:
    """The code under test: register two versions, approve the newest, deploy it."""
    sm = boto3.client("sagemaker")
    boto3.client("s3").head_object(Bucket=BUCKET, Key=data["key"])
    boto3.client("ecr").describe_images(repositoryName=REPOSITORY, imageIds=[{"imageTag": "1.0"}])
    sm.describe_model_package_group(ModelPackageGroupName=GROUP)
    arns = [
        sm.create_model_package(
            ModelPackageGroupName=GROUP,
            ModelApprovalStatus="PendingManualApproval",
            InferenceSpecification=_inference(data["image"], data["key"]),
        )["ModelPackageArn"]
        for _ in range(2)
    ]
    sm.update_model_package(ModelPackageArn=arns[-1], ModelApprovalStatus="Approved")
    sm.describe_model_package(ModelPackageName=arns[-1])
    sm.create_model(
        ModelName=data["model"],
        ExecutionRoleArn=data["role_arn"],
        Containers=[{"ModelPackageName": arns[-1]}],
    )
    sm.create_endpoint_config(
        EndpointConfigName=data["endpoint_config"],
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": data["model"],
                "InitialInstanceCount": 1,
                "InstanceType": "ml.m5.large",
            }
        ],
    )
    sm.create_endpoint(EndpointName=data["endpoint"], EndpointConfigName=data["endpoint_config"])
    return str(sm.describe_endpoint(EndpointName=data["endpoint"])["EndpointStatus"])


SOURCE = inspect.getsource(sys.modules[__name__])

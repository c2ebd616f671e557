"""moto's answers carry no empty object where botocore's output shape requires members: AWS omits
an unconfigured member (botocore's SageMaker model: ``VpcConfig`` requires ``SecurityGroupIds`` and
``Subnets``; ``DataCaptureConfig`` requires ``InitialSamplingPercentage``, ``DestinationS3Uri`` and
``CaptureOptions``)."""

from __future__ import annotations

import json

from pytest_modelreg import mock_modelreg
from pytest_modelreg.simulation.moto.shapes import within_output_shape

ROLE = "arn:aws:iam::123456789012:role/SageMakerExecution"


def test_describe_model_omits_an_unconfigured_vpc_config() -> None:
    with mock_modelreg(enforce="off") as reg:
        sm = reg.client("sagemaker")
        sm.create_model(
            ModelName="m",
            ExecutionRoleArn=ROLE,
            PrimaryContainer={"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/i:1"},
        )
        sm.create_endpoint_config(
            EndpointConfigName="c",
            ProductionVariants=[
                {
                    "VariantName": "v",
                    "ModelName": "m",
                    "InstanceType": "ml.m5.large",
                    "InitialInstanceCount": 1,
                }
            ],
        )
        assert "VpcConfig" not in sm.describe_model(ModelName="m")
        assert "DataCaptureConfig" not in sm.describe_endpoint_config(EndpointConfigName="c")


def test_only_empty_structures_with_required_members_go() -> None:
    body = {
        "ModelName": "m",
        "ModelArn": "arn:aws:sagemaker:us-east-1:123456789012:model/m",
        "CreationTime": 0,
        "VpcConfig": {},  # requires SecurityGroupIds and Subnets: dropped
        "PrimaryContainer": {"Environment": {}},  # a map may be empty: kept
        "Containers": [{"Image": "i", "ImageConfig": {}}],  # ImageConfig requires its mode
    }
    out = json.loads(within_output_shape("sagemaker", "DescribeModel", json.dumps(body).encode()))
    assert "VpcConfig" not in out
    assert out["PrimaryContainer"] == {"Environment": {}}
    assert out["Containers"] == [{"Image": "i"}]


def test_an_answer_without_empty_objects_is_passed_through_unparsed() -> None:
    body = b'{"ModelName":  "m"}'  # the odd spacing would not survive a re-serialisation
    assert within_output_shape("sagemaker", "DescribeModel", body) is body

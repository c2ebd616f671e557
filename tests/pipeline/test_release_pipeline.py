"""A whole release pipeline around the registry, in one test: register -> approve -> EventBridge
rule -> SQS message -> deploy -> InvokeEndpoint -> DynamoDB audit record -> SSM parameter.

Run once under the least-privilege policy it needs (nothing denied, and the run's
`required_policy()` is exactly that policy), and once under the AWS managed policy
`AmazonSageMakerModelRegistryFullAccess`, which is denied at exactly the steps that policy does not
grant (each step is then done as the administrator, so the next one can be judged).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import boto3
import pytest

from pytest_modelreg import ModelRegistryHandle

from ..events.conftest import Bus
from ..sdk_common import create_default_bucket, create_execution_role, push_image

ACCOUNT, REGION = "123456789012", "us-east-1"
SM = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}"
BUCKET, KEY = f"sagemaker-{REGION}-{ACCOUNT}", "churn/model.tar.gz"  # the SDK's default bucket
REPOSITORY = "churn-inference"
QUEUE = "approved-models"
QUEUE_ARN = f"arn:aws:sqs:{REGION}:{ACCOUNT}:{QUEUE}"
TABLE = "model-audit"
PARAMETER = "/models/churn/live-endpoint"
ROLE = "SageMakerExecution"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/{ROLE}"
ENDPOINT = "churn-live"

# The rule's pattern: "Get event notifications for ModelLifeCycle" (SageMaker Developer Guide),
# narrowed to approvals.
APPROVALS = {
    "source": ["aws.sagemaker"],
    "detail-type": ["SageMaker Model Package State Change"],
    "detail": {"ModelApprovalStatus": ["Approved"]},
}


class ReleasePipeline:
    """The code under test: plain boto3, one method per step."""

    def __init__(self, queue_url: str, image: str) -> None:
        session = boto3.Session()
        self.sagemaker: Any = session.client("sagemaker")
        self.runtime: Any = session.client("sagemaker-runtime")
        self.sqs: Any = session.client("sqs")
        self.dynamodb: Any = session.client("dynamodb")
        self.ssm: Any = session.client("ssm")
        self.queue_url, self.image = queue_url, image
        self.package_arn = ""
        self.approval: dict[str, Any] = {}

    def register(self) -> None:
        self.sagemaker.create_model_package_group(ModelPackageGroupName="churn")
        self.package_arn = self.sagemaker.create_model_package(
            ModelPackageGroupName="churn",
            ModelApprovalStatus="PendingManualApproval",
            InferenceSpecification={
                "Containers": [{"Image": self.image, "ModelDataUrl": f"s3://{BUCKET}/{KEY}"}],
                "SupportedContentTypes": ["text/csv"],
                "SupportedResponseMIMETypes": ["text/csv"],
            },
        )["ModelPackageArn"]

    def approve(self) -> None:
        self.sagemaker.update_model_package(
            ModelPackageArn=self.package_arn, ModelApprovalStatus="Approved"
        )

    def receive_approval(self) -> None:
        messages = self.sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=1)
        (message,) = messages["Messages"]
        self.approval = json.loads(message["Body"])["detail"]
        self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])

    def deploy(self) -> None:
        self.sagemaker.create_model(
            ModelName=ENDPOINT,
            ExecutionRoleArn=ROLE_ARN,
            Containers=[{"ModelPackageName": self.approval["ModelPackageArn"]}],
        )
        self.sagemaker.create_endpoint_config(
            EndpointConfigName=ENDPOINT,
            ProductionVariants=[
                {
                    "VariantName": "AllTraffic",
                    "ModelName": ENDPOINT,
                    "InstanceType": "ml.m5.large",
                    "InitialInstanceCount": 1,
                }
            ],
        )
        self.sagemaker.create_endpoint(EndpointName=ENDPOINT, EndpointConfigName=ENDPOINT)

    def wait_in_service(self) -> None:
        for _ in range(10):  # the simulation settles at once; AWS would take minutes
            status = self.sagemaker.describe_endpoint(EndpointName=ENDPOINT)["EndpointStatus"]
            if status == "InService":
                return
        raise AssertionError(f"endpoint stuck in {status}")

    def smoke_test(self) -> None:
        self.runtime.invoke_endpoint(EndpointName=ENDPOINT, ContentType="text/csv", Body=b"1,2,3")

    def audit(self) -> None:
        self.dynamodb.put_item(
            TableName=TABLE,
            Item={
                "ModelPackageArn": {"S": self.approval["ModelPackageArn"]},
                "Endpoint": {"S": ENDPOINT},
            },
        )

    def publish(self) -> None:
        self.ssm.put_parameter(Name=PARAMETER, Value=ENDPOINT, Type="String", Overwrite=True)


# The least-privilege policy of the pipeline: one statement per step, on its resources.
LEAST_PRIVILEGE: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["sagemaker:CreateModelPackageGroup"],
            "Resource": f"{SM}:model-package-group/churn",
        },
        {
            "Effect": "Allow",
            "Action": ["sagemaker:CreateModelPackage", "sagemaker:UpdateModelPackage"],
            "Resource": f"{SM}:model-package/churn/*",
        },
        {
            "Effect": "Allow",
            "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage"],
            "Resource": QUEUE_ARN,
        },
        {
            "Effect": "Allow",
            "Action": ["sagemaker:CreateModel"],
            "Resource": [f"{SM}:model/{ENDPOINT}", f"{SM}:model-package/churn/*"],
        },
        {
            "Effect": "Allow",
            "Action": [
                "sagemaker:CreateEndpointConfig",
                "sagemaker:CreateEndpoint",
                "sagemaker:DescribeEndpoint",
                "sagemaker:InvokeEndpoint",
            ],
            "Resource": [f"{SM}:endpoint-config/{ENDPOINT}", f"{SM}:endpoint/{ENDPOINT}"],
        },
        {
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": ROLE_ARN,
            "Condition": {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
        },
        {
            "Effect": "Allow",
            "Action": "dynamodb:PutItem",
            "Resource": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{TABLE}",
        },
        {
            "Effect": "Allow",
            "Action": "ssm:PutParameter",
            "Resource": f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter{PARAMETER}",
        },
    ],
}


def _arrange(reg: ModelRegistryHandle) -> tuple[str, str]:
    """What the platform team sets up before the pipeline runs (as the administrator): the model
    artifact, the execution role with the smallest permissions SageMaker needs, the approvals rule
    and its queue, the audit table."""
    create_default_bucket(reg)
    image = push_image(reg, REPOSITORY, "1")
    assert create_execution_role(reg) == ROLE_ARN
    bus = Bus(reg)
    queue = bus.queue(QUEUE)
    bus.rule("deploy-approved", json.dumps(APPROVALS), queue)
    reg.admin_client("dynamodb").create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "ModelPackageArn", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "ModelPackageArn", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return queue.url, image


def _steps(pipeline: ReleasePipeline) -> list[tuple[str, Callable[[], None]]]:
    return [
        ("register", pipeline.register),
        ("approve", pipeline.approve),
        ("receive the approval", pipeline.receive_approval),
        ("deploy", pipeline.deploy),
        ("wait until in service", pipeline.wait_in_service),
        ("smoke test", pipeline.smoke_test),
        ("audit", pipeline.audit),
        ("publish", pipeline.publish),
    ]


@pytest.mark.modelreg(policy=LEAST_PRIVILEGE)
def test_the_pipeline_runs_under_its_least_privilege_policy(modelreg: ModelRegistryHandle) -> None:
    url, image = _arrange(modelreg)
    pipeline = ReleasePipeline(url, image)
    for _, step in _steps(pipeline):
        step()

    assert modelreg.denied == []
    assert pipeline.approval["ModelPackageArn"] == f"{SM}:model-package/churn/1"
    assert [e["detail"]["ModelApprovalStatus"] for e in modelreg.events] == [
        "PendingManualApproval",
        "Approved",
    ]
    item = modelreg.admin_client("dynamodb").get_item(
        TableName=TABLE, Key={"ModelPackageArn": {"S": f"{SM}:model-package/churn/1"}}
    )["Item"]
    assert item["Endpoint"] == {"S": ENDPOINT}
    parameter = modelreg.admin_client("ssm").get_parameter(Name=PARAMETER)["Parameter"]
    assert parameter["Value"] == ENDPOINT
    # The run needed every action the policy grants, and nothing else.
    granted = {a for s in LEAST_PRIVILEGE["Statement"] for a in _actions(s)}
    needed = {a for s in modelreg.required_policy()["Statement"] for a in _actions(s)}
    assert needed == granted


def _actions(statement: dict[str, Any]) -> list[str]:
    action = statement["Action"]
    return [action] if isinstance(action, str) else list(action)


# Under AmazonSageMakerModelRegistryFullAccess (v2, the default policy): its statements grant the
# registry's writes, CreateModel/CreateEndpointConfig/CreateEndpoint and PassRole to SageMaker, but
# no sagemaker:DescribeEndpoint or InvokeEndpoint, nothing of SQS, DynamoDB or SSM ("AWS managed
# policy: AmazonSageMakerModelRegistryFullAccess", AWS Managed Policy Reference).
DENIED_UNDER_THE_MANAGED_POLICY = {
    "register": None,
    "approve": None,
    "receive the approval": "sqs:receivemessage",  # SQS names its actions in lower case
    "deploy": None,
    "wait until in service": "sagemaker:DescribeEndpoint",
    "smoke test": "sagemaker:InvokeEndpoint",
    "audit": "dynamodb:PutItem",
    "publish": "ssm:PutParameter",
}


def test_the_managed_policy_is_denied_at_each_step_it_does_not_grant(
    modelreg: ModelRegistryHandle,
) -> None:
    url, image = _arrange(modelreg)
    pipeline = ReleasePipeline(url, image)
    denied_at: dict[str, str | None] = {}
    for name, step in _steps(pipeline):
        expected = DENIED_UNDER_THE_MANAGED_POLICY[name]
        if expected is None:
            step()
            denied_at[name] = None
            continue
        with modelreg.expect_denial(expected.lower()) as denial:
            step()
        denied_at[name] = expected
        assert denial.error is not None
        assert f"is not authorized to perform: {expected}" in str(denial.error)
        with modelreg.unrestricted():  # the administrator does it, so the next step is judged
            step()
    assert denied_at == DENIED_UNDER_THE_MANAGED_POLICY
    assert {r.operation for r in modelreg.denied} == {
        "ReceiveMessage",
        "DescribeEndpoint",
        "InvokeEndpoint",
        "PutItem",
        "PutParameter",
    }

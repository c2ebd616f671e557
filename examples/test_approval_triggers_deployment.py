"""Approval triggers deployment: the registry's approval event goes through an EventBridge rule to
an SQS queue, and the deployer (mlops/deployer.py) turns it into an endpoint, under a policy that
allows just that: reading the queue, creating the model, endpoint config and endpoint, passing the
execution role to SageMaker."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError
from mlops.deployer import APPROVALS, ApprovalDeployer
from mlops.registry import ModelRegistryClient

from pytest_modelreg import ModelRegistryHandle

ACCOUNT = "123456789012"
REGION = "us-east-1"
QUEUE_ARN = f"arn:aws:sqs:{REGION}:{ACCOUNT}:approved-models"
SM = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}"

DEPLOYER_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage"],
            "Resource": QUEUE_ARN,
        },
        {
            "Effect": "Allow",
            "Action": "sagemaker:CreateModel",
            "Resource": [f"{SM}:model/churn-*", f"{SM}:model-package/churn/*"],
        },
        {
            "Effect": "Allow",
            "Action": ["sagemaker:CreateEndpointConfig", "sagemaker:CreateEndpoint"],
            "Resource": [f"{SM}:endpoint-config/churn-*", f"{SM}:endpoint/churn-*"],
        },
        {
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": f"arn:aws:iam::{ACCOUNT}:role/SageMakerExecution",
            "Condition": {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
        },
    ],
}


@pytest.fixture
def approvals_queue(modelreg: ModelRegistryHandle) -> str:
    """The rule and its queue, as the platform team sets them up (administrator)."""
    sqs, events = modelreg.admin_client("sqs"), modelreg.admin_client("events")
    url: str = sqs.create_queue(QueueName="approved-models")["QueueUrl"]
    rule_arn = events.put_rule(Name="deploy-approved", EventPattern=json.dumps(APPROVALS))[
        "RuleArn"
    ]
    events.put_targets(Rule="deploy-approved", Targets=[{"Id": "queue", "Arn": QUEUE_ARN}])
    # EventBridge sends with its service principal: the queue policy must let it ("Amazon SQS
    # permissions", EventBridge User Guide).
    queue_policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "events.amazonaws.com"},
                "Action": "sqs:SendMessage",
                "Resource": QUEUE_ARN,
                "Condition": {"ArnEquals": {"aws:SourceArn": rule_arn}},
            }
        ],
    }
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(queue_policy)})
    return url


def _registry(modelreg: ModelRegistryHandle) -> ModelRegistryClient:
    """The data scientists' side: registering and approving, not under test here."""
    return ModelRegistryClient(modelreg.admin_session())


@pytest.mark.modelreg(policy=DEPLOYER_POLICY)
def test_an_approval_deploys_the_approved_version(
    modelreg: ModelRegistryHandle, artifacts: dict[str, Any], approvals_queue: str
) -> None:
    registry = _registry(modelreg)
    version = registry.register("churn", artifacts["model_data_url"], artifacts["image_uri"])
    deployer = ApprovalDeployer(approvals_queue, artifacts["role_arn"])
    assert deployer.poll_once() == []  # a new, unapproved version matches no rule
    registry.approve(version.arn)
    assert deployer.poll_once() == [f"{SM}:endpoint/churn-v1"]
    assert deployer.poll_once() == []  # the message was deleted
    assert modelreg.denied == []
    approval = modelreg.events[-1]
    assert approval["detail"]["ModelApprovalStatus"] == "Approved"
    assert approval["resources"] == [version.arn]


@pytest.mark.modelreg(policy=DEPLOYER_POLICY)
def test_the_deployer_may_not_deploy_models_of_other_groups(
    modelreg: ModelRegistryHandle, artifacts: dict[str, Any], approvals_queue: str
) -> None:
    registry = _registry(modelreg)
    version = registry.register("fraud", artifacts["model_data_url"], artifacts["image_uri"])
    registry.approve(version.arn)
    with pytest.raises(ClientError) as denied:
        ApprovalDeployer(approvals_queue, artifacts["role_arn"]).poll_once()
    error = denied.value.response["Error"]
    assert error["Code"] == "AccessDeniedException"
    assert f"sagemaker:CreateModel on resource: {SM}:model/fraud-v1" in error["Message"]

"""Deploy every model version the registry approves: an EventBridge rule sends the registry's
"SageMaker Model Package State Change" events for approvals to an SQS queue, and this handler
turns each into a SageMaker endpoint. Plain boto3; nothing here knows about the tests."""

from __future__ import annotations

import json
from typing import Any

import boto3

from .registry import ModelRegistryClient

#: The rule's pattern ("Get event notifications for ModelLifeCycle", SageMaker Developer Guide,
#: narrowed to approvals).
APPROVALS = {
    "source": ["aws.sagemaker"],
    "detail-type": ["SageMaker Model Package State Change"],
    "detail": {"ModelApprovalStatus": ["Approved"]},
}


class ApprovalDeployer:
    def __init__(self, queue_url: str, role_arn: str, session: boto3.Session | None = None):
        session = session or boto3.Session()
        self.queue_url = queue_url
        self.role_arn = role_arn
        self.sqs: Any = session.client("sqs")
        self.registry = ModelRegistryClient(session)

    def poll_once(self) -> list[str]:
        """Deploy the versions approved since the last poll; return the new endpoints' ARNs."""
        received = self.sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10)
        endpoints = []
        for message in received.get("Messages", []):
            detail = json.loads(message["Body"])["detail"]
            if detail.get("ModelApprovalStatus") == "Approved":
                endpoints.append(self.deploy(detail))
            self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
        return endpoints

    def deploy(self, detail: dict[str, Any]) -> str:
        name = f"{detail['ModelPackageGroupName']}-v{detail['ModelPackageVersion']}"
        return self.registry.deploy(detail["ModelPackageArn"], name, self.role_arn)

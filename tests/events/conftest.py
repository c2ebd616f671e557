"""Arranging EventBridge rules, SQS queues and model versions for the event tests, as the
administrator (never denied)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from pytest_modelreg import ModelRegistryHandle

GROUP = "churn"
STATE_CHANGE = "SageMaker Model Package State Change"
INFERENCE = {
    "Containers": [{"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"}],
    "SupportedContentTypes": ["text/csv"],
    "SupportedResponseMIMETypes": ["text/csv"],
}


def pattern(**detail: list[str]) -> str:
    """The rule of "Get event notifications for ModelLifeCycle" (SageMaker Developer Guide),
    narrowed by ``detail`` fields."""
    body: dict[str, Any] = {"source": ["aws.sagemaker"], "detail-type": [STATE_CHANGE]}
    if detail:
        body["detail"] = detail
    return json.dumps(body)


def allow_service(service: str, action: str, resource: str, source_arn: str) -> str:
    """A resource policy letting an AWS service send to ``resource`` for ``source_arn``: the
    shape of "Amazon SQS permissions" and "Amazon SNS permissions" (EventBridge User Guide) and of
    "Publish messages to an Amazon SQS queue" (Amazon SNS Developer Guide)."""
    statement = {
        "Effect": "Allow",
        "Principal": {"Service": service},
        "Action": action,
        "Resource": resource,
        "Condition": {"ArnEquals": {"aws:SourceArn": source_arn}},
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def allow_events(queue_arn: str, rule_arn: str) -> str:
    """The queue policy that lets a rule send to its queue."""
    return allow_service("events.amazonaws.com", "sqs:SendMessage", queue_arn, rule_arn)


def allow_sns(queue_arn: str, topic_arn: str) -> str:
    """The queue policy that lets a topic send to its subscribed queue."""
    return allow_service("sns.amazonaws.com", "sqs:SendMessage", queue_arn, topic_arn)


@dataclass
class Queue:
    url: str
    arn: str

    def messages(self, reg: ModelRegistryHandle) -> list[dict[str, Any]]:
        """Every message waiting, bodies parsed."""
        got = reg.admin_client("sqs").receive_message(QueueUrl=self.url, MaxNumberOfMessages=10)
        return [json.loads(m["Body"]) for m in got.get("Messages", [])]


class Bus:
    """Rules on the default bus with SQS targets, made by the administrator."""

    def __init__(self, reg: ModelRegistryHandle) -> None:
        self.reg = reg
        self.events = reg.admin_client("events")
        self.sqs = reg.admin_client("sqs")

    def queue(self, name: str) -> Queue:
        url = self.sqs.create_queue(QueueName=name)["QueueUrl"]
        attributes = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
        return Queue(url, attributes["Attributes"]["QueueArn"])

    def rule(
        self, name: str, event_pattern: str, queue: Queue, *, policy: bool = True, **target: Any
    ) -> str:
        """A rule sending to ``queue``; ``policy`` sets the queue policy EventBridge needs."""
        rule_arn: str = self.events.put_rule(Name=name, EventPattern=event_pattern)["RuleArn"]
        self.events.put_targets(Rule=name, Targets=[{"Id": "q", "Arn": queue.arn, **target}])
        if policy:
            self.sqs.set_queue_attributes(
                QueueUrl=queue.url, Attributes={"Policy": allow_events(queue.arn, rule_arn)}
            )
        return rule_arn


@pytest.fixture
def bus(modelreg: ModelRegistryHandle) -> Bus:
    return Bus(modelreg)


def new_version(reg: ModelRegistryHandle, **extra: Any) -> str:
    """A version of GROUP (the group made on first use), registered by the administrator."""
    sm = reg.admin_client("sagemaker")
    groups = sm.list_model_package_groups(NameContains=GROUP)["ModelPackageGroupSummaryList"]
    if not groups:
        sm.create_model_package_group(ModelPackageGroupName=GROUP)
    arn: str = sm.create_model_package(
        ModelPackageGroupName=GROUP, InferenceSpecification=INFERENCE, **extra
    )["ModelPackageArn"]
    return arn

"""SNS topics as rule targets: EventBridge publishes with its service principal, so the topic's
access policy decides ("Amazon SNS permissions", EventBridge User Guide; AWS Knowledge Center,
"Why isn't my Amazon SNS topic receiving EventBridge notifications?": the topic's resource-based
policy must allow EventBridge, else the event only counts in FailedInvocations)."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from pytest_modelreg import ModelRegistryHandle
from pytest_modelreg.errors import EventDeliveryWarning

from .conftest import Bus, Queue, allow_service, allow_sns, new_version, pattern


def _topic_with_subscriber(bus: Bus, name: str, *, queue_policy: bool = True) -> tuple[str, Queue]:
    """A topic and an SQS queue subscribed to it (raw delivery: the queue holds the event);
    ``queue_policy`` lets the topic send to the queue, as SNS needs."""
    sns = bus.reg.admin_client("sns")
    topic: str = sns.create_topic(Name=name)["TopicArn"]
    queue = bus.queue(f"{name}-subscriber")
    if queue_policy:
        bus.sqs.set_queue_attributes(
            QueueUrl=queue.url, Attributes={"Policy": allow_sns(queue.arn, topic)}
        )
    sns.subscribe(
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=queue.arn,
        Attributes={"RawMessageDelivery": "true"},
    )
    return topic, queue


def _rule_to(bus: Bus, name: str, topic: str) -> str:
    rule: str = bus.events.put_rule(Name=name, EventPattern=pattern())["RuleArn"]
    bus.events.put_targets(Rule=name, Targets=[{"Id": "t", "Arn": topic}])
    return rule


def _let_rule_publish(bus: Bus, topic: str, rule: str) -> None:
    """The topic policy statement of "Amazon SNS permissions" (EventBridge User Guide)."""
    policy = allow_service("events.amazonaws.com", "sns:Publish", topic, rule)
    bus.reg.admin_client("sns").set_topic_attributes(
        TopicArn=topic, AttributeName="Policy", AttributeValue=policy
    )


@pytest.mark.filterwarnings("default::pytest_modelreg.errors.EventDeliveryWarning")
def test_a_topic_with_its_default_policy_receives_nothing(
    modelreg: ModelRegistryHandle, bus: Bus
) -> None:
    # A new topic's default policy allows principals of the owner account (AWS:SourceOwner),
    # not the EventBridge service principal.
    topic, subscriber = _topic_with_subscriber(bus, "deployments")
    _rule_to(bus, "to-topic", topic)
    with pytest.warns(
        EventDeliveryWarning, match="does not allow events.amazonaws.com sns:Publish"
    ):
        new_version(modelreg)
    assert subscriber.messages(modelreg) == []
    assert len(modelreg.events) == 1  # emitted and recorded: only the delivery failed


def test_a_topic_policy_for_the_rule_lets_the_event_through(
    modelreg: ModelRegistryHandle, bus: Bus
) -> None:
    topic, subscriber = _topic_with_subscriber(bus, "approvals")
    rule = _rule_to(bus, "to-topic", topic)
    _let_rule_publish(bus, topic, rule)
    arn = new_version(modelreg)
    [event] = subscriber.messages(modelreg)
    assert event["detail-type"] == "SageMaker Model Package State Change"
    assert event["detail"]["ModelPackageArn"] == arn


@pytest.mark.filterwarnings("default::pytest_modelreg.errors.EventDeliveryWarning")
def test_a_topic_policy_for_another_rule_does_not_let_this_rule_publish(
    modelreg: ModelRegistryHandle, bus: Bus
) -> None:
    topic, subscriber = _topic_with_subscriber(bus, "shared")
    _rule_to(bus, "this-rule", topic)
    other = topic.replace(":sns:", ":events:").rsplit(":", 1)[0] + ":rule/other-rule"
    _let_rule_publish(bus, topic, other)
    with pytest.warns(EventDeliveryWarning, match="rule/this-rule"):
        new_version(modelreg)
    assert subscriber.messages(modelreg) == []


PUBLISH_ANYWHERE = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "sns:Publish", "Resource": "*"}],
}


def test_the_topic_policy_decides_a_publish_from_another_account(
    modelreg: ModelRegistryHandle,
) -> None:
    # "Example cases for Amazon SNS access control" (Amazon SNS Developer Guide): another account
    # may publish once the topic's policy names it; the default policy names only the owner.
    sns = modelreg.admin_client("sns")
    topic = sns.create_topic(Name="shared")["TopicArn"]
    other = modelreg.principal("publisher", PUBLISH_ANYWHERE, account_id="999988887777")
    publisher = other.client("sns")
    with pytest.raises(ClientError) as denied:
        publisher.publish(TopicArn=topic, Message="hello")
    error = denied.value.response["Error"]
    assert error["Code"] == "AuthorizationError"  # SNS's own code (botocore's sns model)
    assert "because no resource-based policy allows the sns:Publish action" in error["Message"]
    grant = {
        "Effect": "Allow",
        "Principal": {"AWS": "999988887777"},
        "Action": "sns:Publish",
        "Resource": topic,
    }
    policy = {"Version": "2012-10-17", "Statement": [grant]}
    sns.set_topic_attributes(
        TopicArn=topic, AttributeName="Policy", AttributeValue=json.dumps(policy)
    )
    assert publisher.publish(TopicArn=topic, Message="hello")["MessageId"]
    # The owner's own principals need no topic policy statement: their identity policy suffices.
    assert (
        modelreg.principal("owner", PUBLISH_ANYWHERE)
        .client("sns")
        .publish(TopicArn=topic, Message="hi")["MessageId"]
    )


@pytest.mark.filterwarnings("default::pytest_modelreg.errors.EventDeliveryWarning")
def test_a_subscribed_queue_without_a_policy_for_sns_receives_nothing(
    modelreg: ModelRegistryHandle, bus: Bus
) -> None:
    # SNS sends to a subscribed queue as sns.amazonaws.com: the queue policy must allow it ("Publish
    # messages to an Amazon SQS queue", Amazon SNS Developer Guide), for the code's own Publish
    # and for EventBridge's alike.
    topic, subscriber = _topic_with_subscriber(bus, "closed", queue_policy=False)
    sns = modelreg.admin_client("sns")
    with pytest.warns(EventDeliveryWarning, match="does not allow sns.amazonaws.com"):
        sns.publish(TopicArn=topic, Message='{"deploy": true}')
    assert subscriber.messages(modelreg) == []
    bus.sqs.set_queue_attributes(
        QueueUrl=subscriber.url, Attributes={"Policy": allow_sns(subscriber.arn, topic)}
    )
    sns.publish(TopicArn=topic, Message='{"deploy": true}')
    assert subscriber.messages(modelreg) == [{"deploy": True}]

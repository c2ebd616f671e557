"""The adapter functions event delivery and SQS authorization read moto through
(pytest_modelreg.simulation.moto), against a live moto: a moto release that moves these internals
fails here, naming the function."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from pytest_modelreg import ModelRegistryHandle, mock_modelreg
from pytest_modelreg.simulation import moto
from pytest_modelreg.simulation.moto import events as moto_events

from .conftest import allow_sns, pattern

ACCOUNT = "123456789012"
OTHER = "999988887777"
REGION = "us-east-1"


@pytest.fixture
def reg() -> Iterator[ModelRegistryHandle]:
    with mock_modelreg(enforce="off") as handle:
        yield handle


def _event(**detail: Any) -> dict[str, Any]:
    return {
        "version": "0",
        "id": "1",
        "detail-type": "SageMaker Model Package State Change",
        "source": "aws.sagemaker",
        "account": ACCOUNT,
        "time": "2026-01-01T00:00:00Z",
        "region": REGION,
        "resources": [],
        "detail": detail,
    }


def test_queue_tags_and_policy(reg: ModelRegistryHandle) -> None:
    sqs = reg.admin_client("sqs")
    url = sqs.create_queue(QueueName="q", tags={"team": "ml"})["QueueUrl"]
    arn = f"arn:aws:sqs:{REGION}:{ACCOUNT}:q"
    assert moto.tags_of(arn) == {"team": "ml"}
    assert moto.resource_policy(arn) is None  # moto keeps an empty default policy
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sqs:*", "Resource": arn}],
    }
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(policy)})
    assert json.loads(moto.resource_policy(arn) or "") == policy
    assert moto.tags_of(f"arn:aws:sqs:{REGION}:{ACCOUNT}:absent") is None


def test_rules_targets_and_sending(reg: ModelRegistryHandle) -> None:
    events, sqs = reg.admin_client("events"), reg.admin_client("sqs")
    url = sqs.create_queue(QueueName="q")["QueueUrl"]
    queue = f"arn:aws:sqs:{REGION}:{ACCOUNT}:q"
    rule = events.put_rule(Name="r", EventPattern=pattern(ModelApprovalStatus=["Approved"]))
    events.put_targets(
        Rule="r", Targets=[{"Id": "a", "Arn": queue}, {"Id": "b", "Arn": queue, "Input": "{}"}]
    )
    assert moto_events.listening(ACCOUNT, REGION)
    assert not moto_events.listening(ACCOUNT, "eu-west-1")
    assert moto_events.matching_targets(_event(ModelApprovalStatus="Rejected")) == []
    approved = _event(ModelApprovalStatus="Approved")
    first, second = moto_events.matching_targets(approved)
    assert (first.rule_arn, first.arn) == (rule["RuleArn"], queue)
    assert json.loads(first.body or "") == approved and second.body == "{}"
    moto_events.send(first)
    [message] = sqs.receive_message(QueueUrl=url)["Messages"]
    assert json.loads(message["Body"]) == approved
    events.disable_rule(Name="r")
    assert not moto_events.listening(ACCOUNT, REGION)
    gone = moto_events.Target(rule["RuleArn"], f"arn:aws:sqs:{REGION}:{ACCOUNT}:gone", "{}", {})
    with pytest.raises(moto_events.DeliveryFailed, match="no queue gone"):
        moto_events.send(gone)


@pytest.mark.parametrize(
    ("path", "selected"),
    [
        ("$", "whole"),
        ("$.detail", {"ModelApprovalStatus": "Approved"}),
        ("$.detail.ModelApprovalStatus", "Approved"),
        ("$.detail.Missing", None),  # not in the event: nothing to send
        ("$.resources[0]", None),  # richer JSONPath is not simulated
    ],
)
def test_input_path_selection(path: str, selected: Any) -> None:
    event = _event(ModelApprovalStatus="Approved")
    target = {"Id": "t", "Arn": "arn:aws:sqs:us-east-1:123456789012:q", "InputPath": path}
    body = moto_events._input(target, event)
    expected = event if selected == "whole" else selected
    assert (None if body is None else json.loads(body)) == expected


def test_reads_create_no_moto_state(reg: ModelRegistryHandle) -> None:
    reg.admin_client("events").list_rules()  # moto's EventBridge is in use
    from moto.events.models import events_backends

    assert not moto_events.listening(OTHER, REGION)
    assert moto.resource_policy(f"arn:aws:sqs:{REGION}:{OTHER}:q") is None
    assert OTHER not in dict.keys(events_backends)


def test_sending_to_a_topic_reaches_its_queue_subscriptions(reg: ModelRegistryHandle) -> None:
    sqs = reg.admin_client("sqs")
    url = sqs.create_queue(QueueName="subscriber")["QueueUrl"]
    from moto.sns.models import sns_backends  # SNS itself is not served here: arranged in moto

    topic = sns_backends[ACCOUNT][REGION].create_topic("deployments")
    queue = f"arn:aws:sqs:{REGION}:{ACCOUNT}:subscriber"
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": allow_sns(queue, topic.arn)})
    sns_backends[ACCOUNT][REGION].subscribe(topic.arn, queue, "sqs")
    rule = f"arn:aws:events:{REGION}:{ACCOUNT}:rule/r"
    moto_events.send(moto_events.Target(rule, topic.arn, '{"deploy": true}', {}))
    [message] = sqs.receive_message(QueueUrl=url)["Messages"]
    assert json.loads(json.loads(message["Body"])["Message"]) == {"deploy": True}
    missing = moto_events.Target(rule, f"arn:aws:sns:{REGION}:{ACCOUNT}:gone", "{}", {})
    with pytest.raises(moto_events.DeliveryFailed, match="no topic"):
        moto_events.send(missing)

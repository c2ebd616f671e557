"""Encrypted queues as targets: the service that sends needs the queue key's policy too. "To allow
these event sources to work with encrypted queues, you must create a customer managed KMS key and
add permissions in the key policy for the service" (kms:GenerateDataKey, kms:Decrypt), and the key
policy of the AWS managed key for Amazon SQS cannot be changed ("Amazon SQS Key management",
Amazon SQS Developer Guide)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pytest_modelreg import ModelRegistryHandle
from pytest_modelreg.errors import EventDeliveryWarning

from .conftest import Bus, Queue, new_version, pattern

ACCOUNT = "123456789012"


def _key(reg: ModelRegistryHandle, *, for_service: str | None) -> str:
    """A customer managed key whose policy lets the account administer it and, with
    ``for_service``, lets that service principal encrypt for the queue."""
    statements: list[dict[str, Any]] = [
        {
            "Sid": "Enable IAM User Permissions",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
            "Action": "kms:*",
            "Resource": "*",
        }
    ]
    if for_service is not None:
        statements.append(
            {
                "Effect": "Allow",
                "Principal": {"Service": for_service},
                "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
                "Resource": "*",
            }
        )
    policy = json.dumps({"Version": "2012-10-17", "Statement": statements})
    key: str = reg.admin_client("kms").create_key(Policy=policy)["KeyMetadata"]["Arn"]
    return key


def _encrypted_queue(bus: Bus, name: str, key: str) -> Queue:
    queue = bus.queue(name)
    bus.sqs.set_queue_attributes(QueueUrl=queue.url, Attributes={"KmsMasterKeyId": key})
    return queue


@pytest.mark.filterwarnings("default::pytest_modelreg.errors.EventDeliveryWarning")
def test_a_key_policy_without_eventbridge_keeps_the_event_out(
    modelreg: ModelRegistryHandle, bus: Bus
) -> None:
    queue = _encrypted_queue(bus, "sealed", _key(modelreg, for_service=None))
    bus.rule("sealed", pattern(), queue)  # the queue policy itself allows EventBridge
    with pytest.warns(EventDeliveryWarning, match="key policy of .* does not allow events"):
        new_version(modelreg)
    assert queue.messages(modelreg) == []


def test_a_key_policy_for_eventbridge_lets_the_event_in(
    modelreg: ModelRegistryHandle, bus: Bus
) -> None:
    queue = _encrypted_queue(bus, "open", _key(modelreg, for_service="events.amazonaws.com"))
    bus.rule("open", pattern(), queue)
    arn = new_version(modelreg)
    [event] = queue.messages(modelreg)
    assert event["detail"]["ModelPackageArn"] == arn


@pytest.mark.filterwarnings("default::pytest_modelreg.errors.EventDeliveryWarning")
def test_the_aws_managed_sqs_key_cannot_serve_eventbridge(
    modelreg: ModelRegistryHandle, bus: Bus
) -> None:
    queue = _encrypted_queue(bus, "managed", "alias/aws/sqs")
    bus.rule("managed", pattern(), queue)
    with pytest.warns(
        EventDeliveryWarning,
        match="AWS managed key alias/aws/sqs, which events.amazonaws.com may not use",
    ):
        new_version(modelreg)
    assert queue.messages(modelreg) == []

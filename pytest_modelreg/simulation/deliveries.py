"""Messages one AWS service sends to another's resource as its service principal: EventBridge to a
rule's queue or topic, SNS to a subscribed queue.

Two policies decide, each evaluated by the IAM engine with the sender's resource in the request
(``aws:SourceArn``, ``aws:SourceAccount``):

* the destination's resource-based policy must allow the send ("Amazon SQS permissions" and
  "Amazon SNS permissions", EventBridge User Guide; "Example cases for Amazon SNS access control",
  Amazon SNS Developer Guide: "Publish messages to an Amazon SQS queue");
* a destination encrypted with a KMS key needs that key's policy to let the service use it:
  "To allow these event sources to work with encrypted queues, you must create a customer managed
  KMS key and add permissions in the key policy for the service" (``kms:GenerateDataKey`` and
  ``kms:Decrypt``), and the key policy of the AWS managed key for Amazon SQS cannot be changed
  ("Amazon SQS Key management", Amazon SQS Developer Guide).
"""

from __future__ import annotations

from pytest_modelreg.arn import Arn
from pytest_modelreg.iam import MalformedPolicyDocument, Policy, PolicySet, Request, evaluate
from pytest_modelreg.simulation import moto

SNS_PRINCIPAL = "sns.amazonaws.com"

#: What the service does with the destination's key to send an encrypted message.
_KEY_ACTIONS = ("kms:GenerateDataKey", "kms:Decrypt")


def refusal(principal: str, action: str, destination: str, source: str) -> str | None:
    """Why the service ``principal`` may not ``action`` on ``destination`` for its resource
    ``source`` (AWS drops the message), or None when it may."""
    if not _allowed(_policy(destination), principal, action, destination, source):
        return f"the resource policy of {destination} does not allow {principal} {action}"
    key_id = moto.encryption_key(destination)
    if key_id is None:
        return None
    if "alias/aws/" in key_id:
        # An AWS managed key's policy cannot be changed to let a service principal use it.
        return (
            f"{destination} is encrypted with the AWS managed key {key_id}, which {principal} "
            "may not use"
        )
    where = Arn.parse(destination)
    key = None if where is None else moto.kms_key_arn(where.account, where.region, key_id)
    if key is None:
        return f"{destination} is encrypted with {key_id}, which KMS does not hold"
    policy = _policy(key)
    for key_action in _KEY_ACTIONS:
        if not _allowed(policy, principal, key_action, key, source):
            return f"the key policy of {key} does not allow {principal} {key_action}"
    return None


def sqs_subscription_refusal(topic: str, queue: str) -> str | None:
    """Why SNS may not send a message of ``topic`` to its subscribed ``queue``, or None."""
    return refusal(SNS_PRINCIPAL, "sqs:SendMessage", queue, topic)


def _policy(arn: str) -> Policy | None:
    """The resource-based policy moto holds for ``arn``; one IAM would refuse allows nothing."""
    text = moto.resource_policy(arn)
    if text is None:
        return None
    try:
        return Policy.parse(text, policy_id=f"resource-policy:{arn}", policy_type="resource")
    except MalformedPolicyDocument:
        return None


def _allowed(
    policy: Policy | None, principal: str, action: str, resource: str, source: str
) -> bool:
    if policy is None:
        return False
    where, sender = Arn.parse(resource), Arn.parse(source)
    request = Request(
        action,
        resource,
        principal,
        {
            "aws:SourceArn": source,
            "aws:SourceAccount": sender.account if sender else "",
            "aws:SecureTransport": "true",
        },
        where.account if where else None,
    )
    return evaluate(request, PolicySet(resource_policy=policy)).decision == "allowed"

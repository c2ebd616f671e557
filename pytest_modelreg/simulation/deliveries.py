"""Messages one AWS service sends to another's resource as its service principal: EventBridge to a
rule's queue or topic, SNS to a subscribed queue. The destination's resource-based policy decides,
with the sender's resource in the request (``aws:SourceArn``, ``aws:SourceAccount``), as the
EventBridge User Guide ("Amazon SQS permissions", "Amazon SNS permissions") and the Amazon SNS
Developer Guide ("Example cases for Amazon SNS access control") show those policies.
"""

from __future__ import annotations

from pytest_modelreg.arn import Arn
from pytest_modelreg.iam import MalformedPolicyDocument, Policy, PolicySet, Request, evaluate
from pytest_modelreg.simulation import moto

SNS_PRINCIPAL = "sns.amazonaws.com"


def may_send(
    policy: Policy | None, principal: str, action: str, destination: str, source: str
) -> bool:
    """Whether ``policy`` (the destination's) lets the service ``principal`` perform ``action``
    on ``destination`` for its resource ``source``; no policy allows nothing."""
    if policy is None:
        return False
    where, sender = Arn.parse(destination), Arn.parse(source)
    request = Request(
        action,
        destination,
        principal,
        {
            "aws:SourceArn": source,
            "aws:SourceAccount": sender.account if sender else "",
            "aws:SecureTransport": "true",
        },
        where.account if where else None,
    )
    return evaluate(request, PolicySet(resource_policy=policy)).decision == "allowed"


def sqs_subscription_refusal(topic: str, queue: str) -> str | None:
    """Why SNS may not send a message of ``topic`` to its subscribed ``queue``, or None."""
    text = moto.resource_policy(queue)
    try:
        policy = (
            None
            if text is None
            else Policy.parse(text, policy_id=f"resource-policy:{queue}", policy_type="resource")
        )
    except MalformedPolicyDocument:
        policy = None
    if may_send(policy, SNS_PRINCIPAL, "sqs:SendMessage", queue, topic):
        return None
    return (
        f"the queue policy does not allow {SNS_PRINCIPAL} sqs:SendMessage for this topic "
        "(AWS does not deliver the message)"
    )

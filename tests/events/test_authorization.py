"""EventBridge and SQS calls judged as AWS judges them: each service's own denial, rule and queue
ARNs, EventBridge's condition keys, PassRole for targets, SQS queue policies.

Sources: "Actions, resources, and condition keys for Amazon EventBridge" and "... for Amazon SQS"
(Service Authorization Reference); "Using IAM policy conditions in Amazon EventBridge" and "Using
identity-based policies for Amazon EventBridge" (EventBridge User Guide); "Amazon SQS queue and
message identifiers" and "Amazon SQS API permissions: Actions and resource reference" (Amazon SQS
Developer Guide).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest
from botocore.exceptions import ClientError

from pytest_modelreg import ModelRegistryHandle
from pytest_modelreg.authorization import authorization_requests

from ..conftest import statement
from .conftest import Bus, pattern

ACCOUNT = "123456789012"
REGION = "us-east-1"
REGISTRY_POLICY = "AmazonSageMakerModelRegistryFullAccess"


def _error(call: Any) -> dict[str, Any]:
    with pytest.raises(ClientError) as denied:
        call()
    error: dict[str, Any] = denied.value.response["Error"]
    error["status"] = denied.value.response["ResponseMetadata"]["HTTPStatusCode"]
    return error


@pytest.mark.modelreg(policy=REGISTRY_POLICY)
def test_the_registry_policy_grants_neither_rules_nor_messages(
    modelreg: ModelRegistryHandle, bus: Bus
) -> None:
    queue = bus.queue("approvals")
    rule = _error(lambda: modelreg.client("events").put_rule(Name="r", EventPattern=pattern()))
    # "... is not authorized to perform: events:PutRule on resource: arn:aws:events:...:rule/...
    # (Service: AmazonCloudWatchEvents; Status Code: 400; Error Code: AccessDeniedException" (a
    # real denial quoted in services.py).
    assert (rule["Code"], rule["status"]) == ("AccessDeniedException", 400)
    assert rule["Message"] == (
        f"User: {modelreg.principal_arn} is not authorized to perform: events:PutRule on "
        f"resource: arn:aws:events:{REGION}:{ACCOUNT}:rule/r because no identity-based policy "
        "allows the events:PutRule action"
    )
    sent = _error(lambda: modelreg.client("sqs").send_message(QueueUrl=queue.url, MessageBody="x"))
    # "An error occurred (AccessDenied) when calling the ReceiveMessage operation: User: ... is
    # not authorized to perform: sqs:receivemessage on resource: arn:aws:sqs:..." (services.py).
    assert (sent["Code"], sent["status"]) == ("AccessDenied", 403)
    assert sent["Message"] == (
        f"User: {modelreg.principal_arn} is not authorized to perform: sqs:sendmessage on "
        f"resource: {queue.arn} because no identity-based policy allows the sqs:sendmessage action"
    )


RULES_AND_QUEUE: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["events:PutRule", "events:PutTargets", "events:DescribeRule"],
            "Resource": f"arn:aws:events:{REGION}:{ACCOUNT}:rule/deploy-*",
            "Condition": {"ForAllValues:StringEquals": {"events:source": ["aws.sagemaker"]}},
        },
        {
            "Effect": "Allow",
            "Action": ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"],
            "Resource": f"arn:aws:sqs:{REGION}:{ACCOUNT}:approvals",
        },
    ],
}


@pytest.mark.modelreg(policy=RULES_AND_QUEUE)
def test_a_policy_naming_the_rule_and_the_queue_allows_them(
    modelreg: ModelRegistryHandle, bus: Bus
) -> None:
    queue, other = bus.queue("approvals"), bus.queue("other")
    events, sqs = modelreg.client("events"), modelreg.client("sqs")
    events.put_rule(Name="deploy-on-approval", EventPattern=pattern())
    events.put_targets(Rule="deploy-on-approval", Targets=[{"Id": "q", "Arn": queue.arn}])
    assert events.describe_rule(Name="deploy-on-approval")["Name"] == "deploy-on-approval"
    sqs.send_message(QueueUrl=queue.url, MessageBody="hello")
    [message] = sqs.receive_message(QueueUrl=queue.url)["Messages"]
    sqs.delete_message(QueueUrl=queue.url, ReceiptHandle=message["ReceiptHandle"])
    # Another rule name, another source in the pattern (events:source), another queue: denied.
    assert _error(lambda: events.put_rule(Name="audit", EventPattern=pattern()))["Code"] == (
        "AccessDeniedException"
    )
    s3_pattern = json.dumps({"source": ["aws.s3"]})
    denied = _error(lambda: events.put_rule(Name="deploy-s3", EventPattern=s3_pattern))
    assert denied["Code"] == "AccessDeniedException"
    assert _error(lambda: sqs.send_message(QueueUrl=other.url, MessageBody="x"))["Code"] == (
        "AccessDenied"
    )


@pytest.mark.modelreg(
    policy=statement("Allow", "events:PutTargets", f"arn:aws:events:{REGION}:{ACCOUNT}:rule/*")
)
def test_a_target_with_a_role_needs_pass_role(modelreg: ModelRegistryHandle, bus: Bus) -> None:
    # "Using identity-based policies for Amazon EventBridge": passing a role to a target needs
    # iam:PassRole.
    bus.events.put_rule(Name="r", EventPattern=pattern())
    role = f"arn:aws:iam::{ACCOUNT}:role/events-invoke"
    bus_arn = f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/other"
    events = modelreg.client("events")
    events.put_targets(Rule="r", Targets=[{"Id": "a", "Arn": bus_arn}])  # no role: allowed
    denied = _error(
        lambda: events.put_targets(Rule="r", Targets=[{"Id": "b", "Arn": bus_arn, "RoleArn": role}])
    )
    assert denied["Message"].endswith(
        f"iam:PassRole on resource: {role} because no identity-based policy allows the "
        "iam:PassRole action"
    )


class _NoState:
    def tags_of(self, arn: str) -> Mapping[str, str] | None:
        return None

    def role_arn(self, account_id: str, role_name: str) -> str | None:
        return None


def _requests(service: str, operation: str, **params: Any) -> list[tuple[str, str]]:
    found = authorization_requests(
        service, operation, params, account_id=ACCOUNT, region=REGION, state=_NoState()
    )
    return [(r.action, r.resource) for r in found]


def _context(service: str, operation: str, **params: Any) -> dict[str, Any]:
    [found] = authorization_requests(
        service, operation, params, account_id=ACCOUNT, region=REGION, state=_NoState()
    )
    return dict(found.context)


@pytest.mark.parametrize(
    ("url", "arn"),
    [
        # "Amazon SQS queue and message identifiers": the queue URL holds the account and name.
        (
            "https://sqs.eu-west-1.amazonaws.com/111122223333/jobs",
            "arn:aws:sqs:eu-west-1:111122223333:jobs",
        ),
        # Legacy endpoints: <region>.queue.amazonaws.com, and queue.amazonaws.com for us-east-1.
        (
            "https://ap-south-1.queue.amazonaws.com/111122223333/jobs",
            "arn:aws:sqs:ap-south-1:111122223333:jobs",
        ),
        (
            "https://queue.amazonaws.com/111122223333/jobs",
            "arn:aws:sqs:us-east-1:111122223333:jobs",
        ),
        # A local endpoint names no region: the call's region.
        ("http://localhost:4566/111122223333/jobs", f"arn:aws:sqs:{REGION}:111122223333:jobs"),
        # China partition.
        (
            "https://sqs.cn-north-1.amazonaws.com.cn/111122223333/jobs.fifo",
            "arn:aws-cn:sqs:cn-north-1:111122223333:jobs.fifo",
        ),
    ],
)
def test_the_queue_arn_comes_from_the_queue_url(url: str, arn: str) -> None:
    assert _requests("sqs", "SendMessage", QueueUrl=url, MessageBody="x") == [
        ("sqs:SendMessage", arn)
    ]


def test_batch_operations_are_authorized_as_their_single_message_action() -> None:
    # "Amazon SQS API permissions: Actions and resource reference".
    url = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/q"
    queue = f"arn:aws:sqs:{REGION}:{ACCOUNT}:q"
    assert _requests("sqs", "SendMessageBatch", QueueUrl=url, Entries=[]) == [
        ("sqs:SendMessage", queue)
    ]
    assert _requests("sqs", "DeleteMessageBatch", QueueUrl=url, Entries=[]) == [
        ("sqs:DeleteMessage", queue)
    ]


def test_creating_a_tagged_queue_needs_tag_queue() -> None:
    # CreateQueue (Amazon SQS API Reference): "To be able to tag a queue on creation, you must have
    # the sqs:CreateQueue and sqs:TagQueue permissions."
    queue = f"arn:aws:sqs:{REGION}:{ACCOUNT}:q"
    assert _requests("sqs", "CreateQueue", QueueName="q") == [("sqs:CreateQueue", queue)]
    assert _requests("sqs", "CreateQueue", QueueName="q", tags={"team": "ml"}) == [
        ("sqs:CreateQueue", queue),
        ("sqs:TagQueue", queue),
    ]
    assert _requests(
        "sqs", "GetQueueUrl", QueueName="q", QueueOwnerAWSAccountId="111122223333"
    ) == [("sqs:GetQueueUrl", f"arn:aws:sqs:{REGION}:111122223333:q")]


def test_rule_arns_name_the_bus_unless_it_is_the_default_one() -> None:
    # SAR resource types rule-on-default-event-bus (rule/${RuleName}) and
    # rule-on-custom-event-bus (rule/${EventBusName}/${RuleName}).
    rule = f"arn:aws:events:{REGION}:{ACCOUNT}:rule"
    assert _requests("events", "DescribeRule", Name="r") == [("events:DescribeRule", f"{rule}/r")]
    assert _requests("events", "DeleteRule", Name="r", EventBusName="default") == [
        ("events:DeleteRule", f"{rule}/r")
    ]
    assert _requests("events", "RemoveTargets", Rule="r", EventBusName="ml", Ids=["a"]) == [
        ("events:RemoveTargets", f"{rule}/ml/r")
    ]
    other = "arn:aws:events:eu-west-1:111122223333:event-bus/shared"
    assert _requests("events", "DescribeRule", Name="r", EventBusName=other) == [
        ("events:DescribeRule", "arn:aws:events:eu-west-1:111122223333:rule/shared/r")
    ]
    assert _requests("events", "ListRules") == [("events:ListRules", "*")]


def test_put_events_is_authorized_on_each_bus_with_source_and_detail_type() -> None:
    # "Using IAM policy conditions in Amazon EventBridge": events:source and events:detail-type
    # are the event's source and detail-type fields for PutEvents.
    entries = [
        {"Source": "my.app", "DetailType": "Deploy", "Detail": "{}"},
        {"Source": "my.ci", "DetailType": "Build", "Detail": "{}", "EventBusName": "ml"},
    ]
    bus = f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus"
    assert _requests("events", "PutEvents", Entries=entries) == [
        ("events:PutEvents", f"{bus}/default"),
        ("events:PutEvents", f"{bus}/ml"),
    ]
    context = authorization_requests(
        "events",
        "PutEvents",
        {"Entries": entries[:1]},
        account_id=ACCOUNT,
        region=REGION,
        state=_NoState(),
    )[0].context
    assert context["events:source"] == ("my.app",)
    assert context["events:detail-type"] == ("Deploy",)


def test_put_rule_reads_source_and_detail_type_from_the_pattern() -> None:
    context = _context(
        "events",
        "PutRule",
        Name="r",
        EventPattern=json.dumps(
            {"source": ["aws.sagemaker", {"prefix": "aws."}], "detail-type": ["A", "B"]}
        ),
    )
    assert context["events:source"] == ("aws.sagemaker",)  # exact-match strings only
    assert context["events:detail-type"] == ("A", "B")
    assert context["events:creatorAccount"] == ACCOUNT


def test_put_targets_names_each_target_arn() -> None:
    # events:TargetArn: "The ARN of a target that can be put to a rule".
    arns = [f"arn:aws:sqs:{REGION}:{ACCOUNT}:a", f"arn:aws:sqs:{REGION}:{ACCOUNT}:b"]
    context = _context(
        "events",
        "PutTargets",
        Rule="r",
        Targets=[{"Id": str(i), "Arn": a} for i, a in enumerate(arns)],
    )
    assert context["events:TargetArn"] == tuple(arns)


@pytest.mark.modelreg(policy=statement("Allow", "sqs:GetQueueAttributes"))
def test_a_queue_policy_grants_the_caller_what_its_identity_policy_does_not(
    modelreg: ModelRegistryHandle, bus: Bus
) -> None:
    # Same account: an Allow in the identity policy or in the resource-based policy suffices
    # ("Policy evaluation logic", IAM User Guide); a queue policy is one ("Using policies with
    # Amazon SQS", Amazon SQS Developer Guide).
    queue = bus.queue("shared")
    sqs = modelreg.client("sqs")
    assert _error(lambda: sqs.send_message(QueueUrl=queue.url, MessageBody="x"))["Code"] == (
        "AccessDenied"
    )
    grant = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": modelreg.principal_arn},
                "Action": "sqs:SendMessage",
                "Resource": queue.arn,
            }
        ],
    }
    bus.sqs.set_queue_attributes(QueueUrl=queue.url, Attributes={"Policy": json.dumps(grant)})
    sqs.send_message(QueueUrl=queue.url, MessageBody="x")
    deny = dict(grant, Statement=[dict(grant["Statement"][0], Effect="Deny", Principal="*")])
    bus.sqs.set_queue_attributes(QueueUrl=queue.url, Attributes={"Policy": json.dumps(deny)})
    error = _error(lambda: sqs.send_message(QueueUrl=queue.url, MessageBody="x"))
    assert error["Message"].endswith("with an explicit deny in a resource-based policy")


@pytest.mark.modelreg(policy=statement("Allow", "events:ListRules"))
def test_an_event_bus_policy_grants_put_events(modelreg: ModelRegistryHandle, bus: Bus) -> None:
    # The bus's resource-based policy ("Using resource-based policies for Amazon EventBridge",
    # EventBridge User Guide) is evaluated with the caller's identity policies.
    events = modelreg.client("events")
    entry = {"Source": "my.app", "DetailType": "Deploy", "Detail": "{}"}
    assert _error(lambda: events.put_events(Entries=[entry]))["Code"] == "AccessDeniedException"
    bus_arn = f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/default"
    grant = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "caller",
                "Effect": "Allow",
                "Principal": {"AWS": modelreg.principal_arn},
                "Action": "events:PutEvents",
                "Resource": bus_arn,
            }
        ],
    }
    bus.events.put_permission(Policy=json.dumps(grant))
    assert events.put_events(Entries=[entry])["FailedEntryCount"] == 0

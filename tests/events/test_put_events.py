"""A caller's own PutEvents to the default bus reaches the same rules, the same way, as the
registry's events ("PutEvents", EventBridge API Reference: PutEventsResultEntry is an EventId or
an ErrorCode and ErrorMessage; FailedEntryCount counts the latter)."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from pytest_modelreg import ModelRegistryHandle

from .conftest import Bus

pytestmark = pytest.mark.filterwarnings("error::pytest_modelreg.errors.EventDeliveryWarning")

APP = json.dumps({"source": ["my.app"], "detail": {"stage": ["prod"]}})


def test_an_entry_reaches_the_matching_rule_s_queue_whole(
    modelreg: ModelRegistryHandle, bus: Bus
) -> None:
    queue = bus.queue("app")
    bus.rule("app", APP, queue)
    answer = modelreg.admin_client("events").put_events(
        Entries=[
            {"Source": "my.app", "DetailType": "Deploy", "Detail": '{"stage": "prod"}'},
            {"Source": "my.app", "DetailType": "Deploy", "Detail": '{"stage": "dev"}'},
        ]
    )
    assert answer["FailedEntryCount"] == 0
    first_id = answer["Entries"][0]["EventId"]
    [message] = queue.messages(modelreg)
    assert message["id"] == first_id and message["detail"] == {"stage": "prod"}
    assert message["account"] == modelreg.account_id and message["region"] == modelreg.region
    assert message["detail-type"] == "Deploy" and message["resources"] == []
    assert modelreg.events == ()  # the handle records the registry's events only


def test_entries_eventbridge_refuses_are_reported_one_by_one(modelreg: ModelRegistryHandle) -> None:
    answer = modelreg.admin_client("events").put_events(
        Entries=[
            {"Source": "my.app", "DetailType": "Deploy"},
            {"Source": "my.app", "DetailType": "Deploy", "Detail": "not json"},
            {"Source": "my.app", "DetailType": "Deploy", "Detail": "{}"},
        ]
    )
    assert answer["FailedEntryCount"] == 2
    missing, malformed, ok = answer["Entries"]
    assert missing["ErrorCode"] == "InvalidArgument" and "Detail" in missing["ErrorMessage"]
    assert malformed["ErrorCode"] == "MalformedDetail"
    assert set(ok) == {"EventId"}


def test_more_than_ten_entries_are_refused(modelreg: ModelRegistryHandle) -> None:
    # PutEventsRequest Entries: "Maximum number of 10 items".
    entry = {"Source": "my.app", "DetailType": "Deploy", "Detail": "{}"}
    with pytest.raises(ClientError) as refused:
        modelreg.admin_client("events").put_events(Entries=[entry] * 11)
    assert refused.value.response["Error"]["Code"] == "ValidationException"


@pytest.mark.modelreg(
    policy={
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "events:PutEvents",
                "Resource": "arn:aws:events:us-east-1:123456789012:event-bus/default",
                "Condition": {"StringEquals": {"events:source": "my.app"}},
            }
        ],
    }
)
def test_put_events_is_judged_on_the_bus_and_the_source(modelreg: ModelRegistryHandle) -> None:
    events = modelreg.client("events")
    entry = {"DetailType": "Deploy", "Detail": "{}"}
    events.put_events(Entries=[{"Source": "my.app", **entry}])
    with pytest.raises(ClientError) as denied:
        events.put_events(Entries=[{"Source": "other.app", **entry}])
    assert denied.value.response["Error"]["Code"] == "AccessDeniedException"
    assert (
        "events:PutEvents on resource: arn:aws:events:us-east-1:123456789012:event-bus/default"
        in (denied.value.response["Error"]["Message"])
    )

"""Registry events delivered through the simulated EventBridge default bus to SQS queues.

Event shape: "Events that Amazon SageMaker AI sends to Amazon EventBridge" (SageMaker Developer
Guide), model package state change sample. Rules: "Amazon EventBridge rules" and "Creating event
patterns" (EventBridge User Guide). SQS targets: "Amazon SQS permissions" (EventBridge User
Guide).
"""

from __future__ import annotations

import json
import re

import pytest

from pytest_modelreg import ModelRegistryHandle
from pytest_modelreg.errors import EventDeliveryWarning

from .conftest import STATE_CHANGE, Bus, new_version, pattern

pytestmark = pytest.mark.filterwarnings("error::pytest_modelreg.errors.EventDeliveryWarning")

ACCOUNT = "123456789012"
REGION = "us-east-1"
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def test_approving_a_version_delivers_its_event_to_the_rule_s_queue(
    modelreg: ModelRegistryHandle, bus: Bus
) -> None:
    queue = bus.queue("approvals")
    rule_arn = bus.rule("approved", pattern(ModelApprovalStatus=["Approved"]), queue)
    arn = new_version(modelreg)
    assert queue.messages(modelreg) == []  # PendingManualApproval does not match
    modelreg.client("sagemaker").update_model_package(
        ModelPackageArn=arn, ModelApprovalStatus="Approved"
    )
    [message] = queue.messages(modelreg)
    assert message == modelreg.events[-1]  # the whole event, as the handle records it
    assert message["source"] == "aws.sagemaker" and message["detail-type"] == STATE_CHANGE
    assert message["account"] == ACCOUNT and message["region"] == REGION
    assert message["resources"] == [arn]
    assert message["detail"]["ModelApprovalStatus"] == "Approved"
    assert message["detail"]["ModelPackageArn"] == arn
    assert rule_arn == f"arn:aws:events:{REGION}:{ACCOUNT}:rule/approved"


def test_a_pattern_that_does_not_match_delivers_nothing(
    modelreg: ModelRegistryHandle, bus: Bus
) -> None:
    queue = bus.queue("elsewhere")
    bus.rule("other-source", json.dumps({"source": ["aws.s3"]}), queue)
    bus.rule("other-type", json.dumps({"detail-type": ["SageMaker Model State Change"]}), queue)
    bus.rule("other-group", pattern(ModelPackageGroupName=["fraud"]), queue)
    arn = new_version(modelreg)
    modelreg.client("sagemaker").update_model_package(
        ModelPackageArn=arn, ModelApprovalStatus="Approved"
    )
    assert queue.messages(modelreg) == []
    assert len(modelreg.events) == 2  # recorded all the same


def test_a_rejection_reaches_a_rule_for_rejections_only(
    modelreg: ModelRegistryHandle, bus: Bus
) -> None:
    approved, rejected = bus.queue("approved"), bus.queue("rejected")
    bus.rule("on-approval", pattern(ModelApprovalStatus=["Approved"]), approved)
    bus.rule("on-rejection", pattern(ModelApprovalStatus=["Rejected"]), rejected)
    arn = new_version(modelreg)
    modelreg.client("sagemaker").update_model_package(
        ModelPackageArn=arn, ModelApprovalStatus="Rejected", ApprovalDescription="drift"
    )
    assert approved.messages(modelreg) == []
    [message] = rejected.messages(modelreg)
    assert message["detail"]["ModelApprovalStatus"] == "Rejected"


def test_every_new_version_fires_the_unfiltered_rule(
    modelreg: ModelRegistryHandle, bus: Bus
) -> None:
    # The event fires for new, unapproved versions too, which started deployments users did not
    # expect (aws-samples/sagemaker-custom-project-templates#15).
    queue = bus.queue("all")
    bus.rule("all", pattern(), queue)
    first, second = new_version(modelreg), new_version(modelreg)
    messages = queue.messages(modelreg)
    assert [m["resources"] for m in messages] == [[first], [second]]
    assert {m["detail"]["ModelApprovalStatus"] for m in messages} == {"PendingManualApproval"}


def test_a_disabled_rule_delivers_nothing(modelreg: ModelRegistryHandle, bus: Bus) -> None:
    # PutRule State "DISABLED: The rule is disabled. EventBridge does not match any events."
    # (EventBridge API Reference); moto's own PutEvents would deliver.
    queue = bus.queue("paused")
    bus.rule("paused", pattern(), queue)
    bus.events.disable_rule(Name="paused")
    new_version(modelreg)
    assert queue.messages(modelreg) == []
    bus.events.enable_rule(Name="paused")
    new_version(modelreg)
    assert len(queue.messages(modelreg)) == 1


def test_events_emitted_before_the_rule_existed_are_not_delivered(
    modelreg: ModelRegistryHandle, bus: Bus
) -> None:
    new_version(modelreg)
    queue = bus.queue("late")
    bus.rule("late", pattern(), queue)
    assert queue.messages(modelreg) == []
    assert len(modelreg.events) == 1


@pytest.mark.filterwarnings("default::pytest_modelreg.errors.EventDeliveryWarning")
def test_without_a_queue_policy_for_eventbridge_nothing_is_delivered(
    modelreg: ModelRegistryHandle, bus: Bus
) -> None:
    # "Amazon SQS permissions" (EventBridge User Guide): the queue policy must allow
    # events.amazonaws.com sqs:SendMessage; otherwise the invocation fails.
    queue = bus.queue("closed")
    bus.rule("closed", pattern(), queue, policy=False)
    with pytest.warns(EventDeliveryWarning, match="does not allow events.amazonaws.com"):
        new_version(modelreg)
    assert queue.messages(modelreg) == []


@pytest.mark.filterwarnings("default::pytest_modelreg.errors.EventDeliveryWarning")
def test_a_queue_policy_for_another_rule_does_not_let_this_rule_send(
    modelreg: ModelRegistryHandle, bus: Bus
) -> None:
    queue = bus.queue("shared")
    bus.rule("first", pattern(), queue)  # the policy names the first rule's ARN (aws:SourceArn)
    bus.events.remove_targets(Rule="first", Ids=["q"])
    bus.events.delete_rule(Name="first")
    bus.events.put_rule(Name="second", EventPattern=pattern())
    bus.events.put_targets(Rule="second", Targets=[{"Id": "q", "Arn": queue.arn}])
    with pytest.warns(EventDeliveryWarning, match="rule/second"):
        new_version(modelreg)
    assert queue.messages(modelreg) == []


def test_input_and_input_path_replace_the_event(modelreg: ModelRegistryHandle, bus: Bus) -> None:
    # "Transform the event before it reaches the target" (EventBridge User Guide): Input is sent
    # as given; InputPath selects part of the event.
    constant, detail = bus.queue("constant"), bus.queue("detail")
    bus.rule("constant", pattern(), constant, Input='{"deploy": true}')
    bus.rule("detail", pattern(), detail, InputPath="$.detail")
    arn = new_version(modelreg)
    assert constant.messages(modelreg) == [{"deploy": True}]
    [selected] = detail.messages(modelreg)
    assert selected == modelreg.events[0]["detail"] and selected["ModelPackageArn"] == arn


@pytest.mark.filterwarnings("default::pytest_modelreg.errors.EventDeliveryWarning")
def test_a_target_the_simulation_cannot_invoke_is_named_in_a_warning(
    modelreg: ModelRegistryHandle, bus: Bus
) -> None:
    lambda_arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:deploy"
    bus.events.put_rule(Name="to-lambda", EventPattern=pattern())
    bus.events.put_targets(Rule="to-lambda", Targets=[{"Id": "f", "Arn": lambda_arn}])
    with pytest.warns(EventDeliveryWarning, match="lambda targets are not simulated"):
        new_version(modelreg)


def test_the_handle_records_events_in_eventbridge_s_shape(modelreg: ModelRegistryHandle) -> None:
    arn = new_version(modelreg)
    modelreg.client("sagemaker").update_model_package(
        ModelPackageArn=arn, ModelApprovalStatus="Approved"
    )
    events = modelreg.events
    assert [list(e) for e in events] == [
        [
            "version",
            "id",
            "detail-type",
            "source",
            "account",
            "time",
            "region",
            "resources",
            "detail",
        ]
    ] * 2
    assert len({e["id"] for e in events}) == 2
    assert all(TIME.match(e["time"]) for e in events)
    assert json.loads(json.dumps(events)) == list(events)  # JSON types only
    events[0]["detail"]["ModelApprovalStatus"] = "changed"  # a copy: the record stays
    assert modelreg.events[0]["detail"]["ModelApprovalStatus"] == "PendingManualApproval"
    assert modelreg.events[0]["id"] == events[0]["id"]  # ids are stable
    with pytest.raises(TypeError):
        modelreg.events[0] = {}  # type: ignore[index]


def test_no_group_level_event_is_emitted(modelreg: ModelRegistryHandle) -> None:
    # The EventBridge Events Reference's list of SageMaker events ("Amazon SageMaker AI events")
    # has no "SageMaker Model Package Group State Change".
    modelreg.admin_client("sagemaker").create_model_package_group(ModelPackageGroupName="g")
    assert modelreg.events == ()


def test_registry_only_tests_do_not_start_moto_for_events(modelreg: ModelRegistryHandle) -> None:
    # Delivery costs nothing while nothing could listen: the events are recorded only.
    arn = new_version(modelreg)
    modelreg.client("sagemaker").update_model_package(
        ModelPackageArn=arn, ModelApprovalStatus="Approved"
    )
    assert len(modelreg.events) == 2
    assert not modelreg._pipeline.simulation.moto.started

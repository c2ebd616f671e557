"""Services outside the explicit rows, end to end: served by moto, judged by the same pipeline with
the generic rule (``<prefix>:<Operation>`` on the resource the parameters name), allowed by a
policy that grants them and denied by the managed policy with the service's own denial."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from pytest_modelreg import UnsupportedOperationError, mock_modelreg
from pytest_modelreg.authorization import UnmappedOperation

REGION = "us-east-1"
ACTIONS = ["states:*", "route53:*", "glue:*", "athena:*", "cloudformation:*", "apigateway:*"]
CUSTOM = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ACTIONS, "Resource": "*"}],
}

Call = Callable[[Any], Any]

# (service, a call that creates or lists, its IAM action, the denial's code and status). The
# actions are the generic rule's: the Service Authorization Reference names each after its
# operation ("Actions, resources, and condition keys for <service>"). The denials follow
# pytest_modelreg.services: json -> AccessDeniedException 400, query and rest-xml ->
# AccessDenied 403 ([INFERRED] per protocol, pytest_modelreg._guesses).
CASES: list[tuple[str, Call, str, str, int]] = [
    (
        "route53",
        lambda c: c.create_hosted_zone(Name="example.com.", CallerReference="r1"),
        "route53:CreateHostedZone",
        "AccessDenied",
        403,
    ),
    (
        "stepfunctions",
        lambda c: c.list_activities(),
        "states:ListActivities",
        "AccessDeniedException",
        400,
    ),
    (
        "glue",
        lambda c: c.create_database(DatabaseInput={"Name": "sales"}),
        "glue:CreateDatabase",
        "AccessDeniedException",
        400,
    ),
    (
        "athena",
        lambda c: c.create_work_group(Name="analysts"),
        "athena:CreateWorkGroup",
        "AccessDeniedException",
        400,
    ),
    ("cloudformation", lambda c: c.list_stacks(), "cloudformation:ListStacks", "AccessDenied", 403),
]
IDS = [c[0] for c in CASES]


@pytest.mark.parametrize(("service", "call", "action", "code", "status"), CASES, ids=IDS)
def test_allowed_under_a_policy_that_grants_it(
    service: str, call: Call, action: str, code: str, status: int
) -> None:
    with mock_modelreg(policy=CUSTOM) as reg:
        call(reg.client(service, region_name=REGION))
        record = reg.calls[-1]
        assert (record.service, record.decision) == (service, "allowed")
        assert record.authorizations[0].action == action


@pytest.mark.parametrize(("service", "call", "action", "code", "status"), CASES, ids=IDS)
def test_denied_under_the_managed_policy_with_the_services_denial(
    service: str, call: Call, action: str, code: str, status: int
) -> None:
    with mock_modelreg(policy="AmazonSageMakerModelRegistryFullAccess") as reg:
        with pytest.raises(ClientError) as denied:
            call(reg.client(service, region_name=REGION))
        error = denied.value.response
        assert (error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"]) == (
            code,
            status,
        )
        assert error["Error"]["Message"].startswith(
            f"User: {reg.principal_arn} is not authorized to perform: {action}"
        )
        assert reg.denied[-1].decision == "implicitDeny"


def test_a_denied_call_changes_nothing_and_the_resource_is_named() -> None:
    with mock_modelreg(policy=CUSTOM) as reg:
        intern = reg.principal("Intern", policies=None)
        with pytest.raises(ClientError) as denied:
            intern.client("athena").get_work_group(WorkGroup="analysts")
        arn = f"arn:aws:athena:{REGION}:{reg.account_id}:workgroup/analysts"
        assert f"athena:GetWorkGroup on resource: {arn}" in str(denied.value)
        with pytest.raises(ClientError):
            intern.client("glue").create_database(DatabaseInput={"Name": "sales"})
        assert reg.admin_client("glue").get_databases()["DatabaseList"] == []


def test_resource_level_permissions_reach_the_generic_rule() -> None:
    # athena:GetWorkGroup's resource type is workgroup (arn:...:workgroup/${WorkGroupName});
    # a policy naming one work group allows that one only.
    with mock_modelreg(
        policy={
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "athena:GetWorkGroup",
                    "Resource": "arn:aws:athena:us-east-1:123456789012:workgroup/analysts",
                }
            ],
        }
    ) as reg:
        admin = reg.admin_client("athena")
        for name in ("analysts", "finance"):
            admin.create_work_group(Name=name)
        athena = reg.client("athena")
        assert athena.get_work_group(WorkGroup="analysts")["WorkGroup"]["Name"] == "analysts"
        with pytest.raises(ClientError, match="AccessDeniedException"):
            athena.get_work_group(WorkGroup="finance")


def test_an_operation_that_cannot_be_mapped_fails_closed() -> None:
    # API Gateway's IAM actions are HTTP verbs on paths (apigateway:GET ...): no action is named
    # after an operation, and even apigateway:* does not let the call through unjudged.
    with (
        mock_modelreg(policy=CUSTOM) as reg,
        pytest.raises(UnmappedOperation, match=r"apigateway\.GetRestApis"),
    ):
        reg.client("apigateway").get_rest_apis()


def test_an_operation_moto_does_not_implement_names_itself() -> None:
    with mock_modelreg(policy=CUSTOM) as reg:
        with pytest.raises(UnsupportedOperationError) as unsupported:
            reg.client("route53").list_cidr_collections()
        assert "route53.ListCidrCollections" in str(unsupported.value)
        assert "moto does not implement it" in str(unsupported.value)


def test_a_service_moto_does_not_serve_names_the_operation() -> None:
    with mock_modelreg(enforce="off") as reg:
        with pytest.raises(UnsupportedOperationError) as unsupported:
            reg.client("translate").list_terminologies()
        text = str(unsupported.value)
        assert "translate.ListTerminologies" in text and "moto does not serve it" in text


def test_a_key_aws_does_not_know_gets_the_protocols_answer() -> None:
    with mock_modelreg(policy=CUSTOM):
        stranger = boto3.client(
            "athena",
            region_name=REGION,
            aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
            aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        )
        with pytest.raises(ClientError) as rejected:
            stranger.list_work_groups()
        error = rejected.value.response
        assert error["Error"]["Code"] == "UnrecognizedClientException"
        assert error["ResponseMetadata"]["HTTPStatusCode"] == 400


def _raw_list_activities(credentials: Credentials) -> tuple[int, dict[str, Any]]:
    import requests

    url = f"https://states.{REGION}.amazonaws.com/"
    request = AWSRequest(
        "POST",
        url,
        data=b"{}",
        headers={
            "X-Amz-Target": "AWSStepFunctions.ListActivities",
            "Content-Type": "application/x-amz-json-1.0",
        },
    )
    SigV4Auth(credentials, "states", REGION).add_auth(request)
    answer = requests.post(url, headers=dict(request.headers.items()), data=b"{}")
    return answer.status_code, answer.json()


def test_a_raw_request_to_a_served_host_is_judged_like_a_botocore_call() -> None:
    with mock_modelreg(policy=CUSTOM) as reg:
        status, body = _raw_list_activities(reg.session().get_credentials())
        assert (status, body) == (200, {"activities": []})
        intern = reg.principal("Intern", policies=None)
        status, body = _raw_list_activities(intern.session().get_credentials())
        assert status == 400 and body["__type"] == "AccessDeniedException"
        assert "states:ListActivities" in body["message"]
        assert [c.service for c in reg.calls] == ["stepfunctions", "stepfunctions"]


def test_shared_hosts_pick_the_service_whose_model_reads_the_request() -> None:
    from pytest_modelreg.raw_http.endpoints import endpoint_of

    endpoint = endpoint_of("email.us-east-1.amazonaws.com")
    assert endpoint is not None and set(endpoint.candidates) == {"ses", "sesv2"}
    states = endpoint_of("states.eu-west-1.amazonaws.com")
    assert states is not None and (states.service, states.region) == ("stepfunctions", "eu-west-1")
    translate = endpoint_of("translate.us-east-1.amazonaws.com")  # AWS's, but not served
    assert translate is not None and translate.service is None


def _raw_describe_load_balancers(credentials: Credentials, version: str) -> Any:
    import requests

    url = f"https://elasticloadbalancing.{REGION}.amazonaws.com/"
    body = f"Action=DescribeLoadBalancers&Version={version}".encode()
    request = AWSRequest(
        "POST", url, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    SigV4Auth(credentials, "elasticloadbalancing", REGION).add_auth(request)
    return requests.post(url, headers=dict(request.headers.items()), data=body)


@pytest.mark.parametrize(("version", "service"), [("2012-06-01", "elb"), ("2015-12-01", "elbv2")])
def test_two_query_apis_at_one_host_are_told_apart_by_their_version(
    version: str, service: str
) -> None:
    # botocore's models: elb apiVersion 2012-06-01, elbv2 2015-12-01, both at elasticloadbalancing.
    with mock_modelreg(enforce="off") as reg:
        answer = _raw_describe_load_balancers(reg.session().get_credentials(), version)
        assert answer.status_code == 200
        assert [(c.service, c.operation) for c in reg.calls] == [(service, "DescribeLoadBalancers")]


def test_the_least_privilege_policy_covers_generic_calls() -> None:
    with mock_modelreg(policy=CUSTOM) as reg:
        athena = reg.client("athena")
        athena.create_work_group(Name="analysts")
        athena.get_work_group(WorkGroup="analysts")
        reg.client("stepfunctions").list_activities()
        arn = f"arn:aws:athena:{REGION}:{reg.account_id}:workgroup/analysts"
        assert reg.required_policy()["Statement"] == [
            {
                "Effect": "Allow",
                "Action": ["athena:CreateWorkGroup", "athena:GetWorkGroup"],
                "Resource": arn,
            },
            {"Effect": "Allow", "Action": "states:ListActivities", "Resource": "*"},
        ]

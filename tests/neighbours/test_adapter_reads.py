"""The moto adapter's reads for the services next to a registry, against a live moto: secret
ARNs and keys, DynamoDB partition keys, endpoint status, and the tags authorization reads for
``aws:ResourceTag/...``. A moto release that moves these internals fails here, naming the function.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from pytest_modelreg import ModelRegistryHandle, mock_modelreg
from pytest_modelreg.simulation import moto

from .conftest import ACCOUNT, REGION, allow, arrange_endpoint, arrange_function, arrange_table

OTHER = "999988887777"


@pytest.fixture
def reg() -> Iterator[ModelRegistryHandle]:
    with mock_modelreg(enforce="off") as handle:
        yield handle


def test_secrets_resolve_by_name_partial_and_full_arn(reg: ModelRegistryHandle) -> None:
    client = reg.admin_client("secretsmanager")
    arn = client.create_secret(Name="registry/token", SecretString="s", KmsKeyId="alias/k")["ARN"]
    partial = arn.rsplit("-", 1)[0]
    for given in ("registry/token", partial, arn):
        assert moto.secret_arn(ACCOUNT, REGION, given) == arn, given
    assert moto.secret_kms_key(ACCOUNT, REGION, "registry/token") == "alias/k"
    client.create_secret(Name="plain", SecretString="s")
    assert moto.secret_kms_key(ACCOUNT, REGION, "plain") is None  # aws/secretsmanager
    assert moto.secret_arn(ACCOUNT, REGION, "unknown") is None
    assert moto.secret_arn(OTHER, REGION, "registry/token") is None


def test_partition_key_and_endpoint_status(reg: ModelRegistryHandle) -> None:
    arrange_table(reg, "audit", key="tenant")
    assert moto.partition_key(ACCOUNT, REGION, "audit") == "tenant"
    table_arn = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/audit"
    assert moto.partition_key(ACCOUNT, REGION, table_arn) == "tenant"
    assert moto.partition_key(ACCOUNT, REGION, "other") is None
    arrange_endpoint(reg, "scoring")
    assert moto.endpoint_status(ACCOUNT, REGION, "scoring") == "InService"
    assert moto.endpoint_status(ACCOUNT, "us-west-2", "scoring") is None


def test_reads_create_no_moto_state(reg: ModelRegistryHandle) -> None:
    reg.admin_client("s3").list_buckets()  # moto runs
    from moto.dynamodb.models import dynamodb_backends
    from moto.secretsmanager.models import secretsmanager_backends

    assert moto.secret_arn(OTHER, REGION, "s") is None
    assert moto.partition_key(OTHER, REGION, "t") is None
    assert moto.tags_of(f"arn:aws:sns:{REGION}:{OTHER}:t") is None
    assert OTHER not in dict.keys(secretsmanager_backends)
    assert OTHER not in dict.keys(dynamodb_backends)


TAGS = [{"Key": "team", "Value": "ml"}]


def _tagged(reg: ModelRegistryHandle) -> dict[str, str]:
    """One tagged resource of each service, by the ARN authorization builds for it."""
    sns = reg.admin_client("sns").create_topic(Name="events", Tags=TAGS)["TopicArn"]
    reg.admin_client("ssm").put_parameter(Name="/a/b", Value="v", Type="String", Tags=TAGS)
    secret = reg.admin_client("secretsmanager").create_secret(
        Name="s", SecretString="x", Tags=TAGS
    )["ARN"]
    arrange_table(reg, "audit")
    table = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/audit"
    reg.admin_client("dynamodb").tag_resource(ResourceArn=table, Tags=TAGS)
    reg.admin_client("logs").create_log_group(logGroupName="/jobs", tags={"team": "ml"})
    function = arrange_function(reg, "scorer")
    reg.admin_client("lambda").tag_resource(Resource=function, Tags={"team": "ml"})
    return {
        "sns": sns,
        "ssm": f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/a/b",
        "secretsmanager": secret,
        "dynamodb": table,
        "logs": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/jobs",
        "lambda": function,
    }


def test_tags_of_each_service(reg: ModelRegistryHandle) -> None:
    for service, arn in _tagged(reg).items():
        assert moto.tags_of(arn) == {"team": "ml"}, service
    assert moto.tags_of(f"arn:aws:sns:{REGION}:{ACCOUNT}:missing") is None


# "Controlling access to AWS resources using tags" (IAM User Guide): aws:ResourceTag/<key>
# compares the tag of the resource the request acts on.
ABAC: list[tuple[str, str, Any]] = [
    ("sns", "sns:Publish", lambda c, arn: c.publish(TopicArn=arn, Message="m")),
    ("ssm", "ssm:GetParameter", lambda c, arn: c.get_parameter(Name="/a/b")),
    (
        "secretsmanager",
        "secretsmanager:GetSecretValue",
        lambda c, arn: c.get_secret_value(SecretId="s"),
    ),
    (
        "dynamodb",
        "dynamodb:GetItem",
        lambda c, arn: c.get_item(TableName="audit", Key={"pk": {"S": "1"}}),
    ),
]


@pytest.mark.parametrize(("service", "action", "call"), ABAC, ids=[r[0] for r in ABAC])
def test_resource_tags_decide_access(service: str, action: str, call: Any) -> None:
    with mock_modelreg() as handle:
        arn = _tagged(handle)[service]

        def team(value: str) -> dict[str, Any]:
            condition = {"StringEquals": {"aws:ResourceTag/team": value}}
            return allow(action, "*", Condition=condition)

        call(handle.principal("ml", policies=[team("ml")]).client(service), arn)
        with pytest.raises(ClientError) as denied:
            call(handle.principal("ops", policies=[team("ops")]).client(service), arn)
        assert action in denied.value.response["Error"]["Message"]

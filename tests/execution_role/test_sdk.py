"""The SageMaker Python SDK v2 meets the execution role checks as it would meet AWS: ``Model.deploy``
and ``ModelPackage.deploy`` raise CreateModel's ValidationException, or the SDK's own
``UnexpectedStatusException`` ("Error hosting endpoint <name>: Failed. Reason: <FailureReason>.",
huggingface/notebooks#385, aws/sagemaker-python-sdk#1835) when the endpoint fails."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from pytest_modelreg import ModelRegistryHandle
from pytest_modelreg.simulation.execution_role import (
    BATCH_GET_IMAGE_DENIED,
    INVALID_ROLE,
    MODEL_DATA_ACCESS,
)

from ..sdk.conftest import DEPLOY_POLICY, IMAGE_URI, INSTANCE_TYPE, register
from .conftest import allow, trust

sagemaker = pytest.importorskip("sagemaker", reason="the SageMaker Python SDK (sdk extra)")

pytestmark = [
    pytest.mark.filterwarnings("ignore:.*SageMaker Python SDK v2"),
    pytest.mark.modelreg(policy=DEPLOY_POLICY),
]


def _strip(reg: ModelRegistryHandle, role_arn: str, keep: str) -> None:
    """Leave the execution role only the statements whose actions start with ``keep``."""
    iam = reg.admin_client("iam")
    name = role_arn.rsplit("/", 1)[-1]
    policy = json.loads(
        json.dumps(iam.get_role_policy(RoleName=name, PolicyName="deploy")["PolicyDocument"])
    )
    policy["Statement"] = [
        s
        for s in policy["Statement"]
        if any(
            a.startswith(keep)
            for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
        )
    ]
    iam.put_role_policy(RoleName=name, PolicyName="deploy", PolicyDocument=json.dumps(policy))


def _plain_deploy(model: Any) -> Any:
    return model.deploy(
        initial_instance_count=1, instance_type=INSTANCE_TYPE, endpoint_name="churn-prod"
    )


def test_model_deploy_with_a_capable_role_is_in_service(
    modelreg: ModelRegistryHandle, model: Any, sdk_clock: Any, execution_role: str
) -> None:
    _plain_deploy(model)
    endpoint = modelreg.client("sagemaker").describe_endpoint(EndpointName="churn-prod")
    assert endpoint["EndpointStatus"] == "InService"
    assert modelreg.denied == []
    # The role's least-privilege policy, from what SageMaker did as the role.
    role_policy = modelreg.required_policy(principal=execution_role)
    actions = {a for s in role_policy["Statement"] for a in _listed(s["Action"])}
    assert actions == {
        "s3:GetObject",
        "ecr:GetAuthorizationToken",
        "ecr:BatchGetImage",
        "ecr:GetDownloadUrlForLayer",
    }


def _listed(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


def test_model_deploy_with_a_role_that_cannot_read_the_artifact_fails_at_create_model(
    modelreg: ModelRegistryHandle,
    model: Any,
    sdk_clock: Any,
    execution_role: str,
    default_bucket: str,
) -> None:
    _strip(modelreg, execution_role, "ecr:")
    with pytest.raises(ClientError) as raised:
        _plain_deploy(model)
    assert raised.value.response["Error"]["Message"] == MODEL_DATA_ACCESS.format(
        url=f"s3://{default_bucket}/churn/model.tar.gz", role=execution_role, region="us-east-1"
    )
    assert modelreg.admin_client("sagemaker").list_endpoints()["Endpoints"] == []


def test_model_deploy_with_a_role_sagemaker_cannot_assume_fails_at_create_model(
    modelreg: ModelRegistryHandle, model: Any, sdk_clock: Any, execution_role: str
) -> None:
    modelreg.admin_client("iam").update_assume_role_policy(
        RoleName="SageMakerExecution",
        PolicyDocument=json.dumps(trust("lambda.amazonaws.com")),
    )
    with pytest.raises(ClientError, match="ValidationException") as raised:
        _plain_deploy(model)
    assert raised.value.response["Error"]["Message"] == INVALID_ROLE.format(role=execution_role)


def test_model_deploy_with_a_role_that_cannot_pull_raises_the_sdks_hosting_error(
    modelreg: ModelRegistryHandle, model: Any, sdk_clock: Any, execution_role: str
) -> None:
    from sagemaker.exceptions import UnexpectedStatusException

    _strip(modelreg, execution_role, "s3:")
    modelreg.admin_client("iam").put_role_policy(
        RoleName="SageMakerExecution",
        PolicyName="token",
        PolicyDocument=json.dumps(allow(("ecr:GetAuthorizationToken", "*"))),
    )
    with pytest.raises(UnexpectedStatusException) as raised:
        _plain_deploy(model)
    reason = BATCH_GET_IMAGE_DENIED.format(role=execution_role, image=IMAGE_URI)
    # (SDK 2.257 appends a pointer to its troubleshooting page.)
    assert str(raised.value).startswith(
        f"Error hosting endpoint churn-prod: Failed. Reason: {reason}."
    )
    # The first DescribeEndpoint already answered Failed: no second poll.
    creates = [c.operation for c in modelreg.calls if c.principal_arn == modelreg.principal_arn]
    assert creates[-2:] == ["CreateEndpoint", "DescribeEndpoint"]


def _approved_package(model: Any, sdk_session: Any, role: str) -> Any:
    """``model`` registered as an approved version, as a deployable ``ModelPackage``."""
    from sagemaker.model import ModelPackage

    arn = register(model, "churn", approval_status="Approved").model_package_arn
    return ModelPackage(role=role, model_package_arn=arn, sagemaker_session=sdk_session)


def test_model_package_deploy_checks_the_packages_containers(
    modelreg: ModelRegistryHandle,
    model: Any,
    sdk_session: Any,
    sdk_clock: Any,
    execution_role: str,
) -> None:
    from sagemaker.exceptions import UnexpectedStatusException

    package = _approved_package(model, sdk_session, execution_role)
    package.deploy(initial_instance_count=1, instance_type=INSTANCE_TYPE, endpoint_name="ok")
    assert modelreg.denied == []

    _strip(modelreg, execution_role, "s3:")  # no ECR token either: the variant's text
    with pytest.raises(UnexpectedStatusException, match="production variant AllTraffic exist"):
        package.deploy(initial_instance_count=1, instance_type=INSTANCE_TYPE, endpoint_name="bad")


def test_model_package_deploy_of_an_artifact_the_role_cannot_read_fails_at_create_model(
    modelreg: ModelRegistryHandle,
    model: Any,
    sdk_session: Any,
    sdk_clock: Any,
    execution_role: str,
) -> None:
    package = _approved_package(model, sdk_session, execution_role)
    _strip(modelreg, execution_role, "ecr:")
    with pytest.raises(ClientError, match="Could not access model data at s3://"):
        package.deploy(initial_instance_count=1, instance_type=INSTANCE_TYPE, endpoint_name="bad")

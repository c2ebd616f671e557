"""Deploying an approved registry version with SDK v3.

v3's ``ModelBuilder`` builds from images, artifacts and JumpStart/fine-tuned models; given a
``ModelPackage`` it takes the model-customization path ("Cannot resolve model artifacts ... not a
Restricted Model Package" for a plain version). A registered version is deployed with
sagemaker-core's resources: ``Model.create`` with ``ContainerDefinition(model_package_name=ARN)``,
``EndpointConfig.create``, ``Endpoint.create``, ``Endpoint.wait_for_status``. Each ``create``
describes what it created, and the managed policy grants the Create* actions but none of
DescribeModel, DescribeEndpointConfig, DescribeEndpoint."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from pytest_modelreg import ModelRegistryHandle

from .conftest import DEPLOY_POLICY, INSTANCE_TYPE, MANAGED, arrange_versions, denial

resources = pytest.importorskip(
    "sagemaker.core.resources",
    reason="SageMaker Python SDK v3 is not installed: pip install -e '.[sdk3]' to run tests/sdk3",
)


def _model(version_arn: str, role: str, session: Any, region: str) -> Any:
    from sagemaker.core.shapes import ContainerDefinition

    return resources.Model.create(
        model_name="churn-v1",
        primary_container=ContainerDefinition(model_package_name=version_arn),
        execution_role_arn=role,
        session=session,
        region=region,
    )


def _endpoint_config(session: Any, region: str) -> Any:
    from sagemaker.core.shapes import ProductionVariant

    return resources.EndpointConfig.create(
        endpoint_config_name="churn-prod",
        production_variants=[
            ProductionVariant(
                variant_name="AllTraffic",
                model_name="churn-v1",
                initial_instance_count=1,
                instance_type=INSTANCE_TYPE,
            )
        ],
        session=session,
        region=region,
    )


def _endpoint(session: Any, region: str) -> Any:
    endpoint = resources.Endpoint.create(
        endpoint_name="churn-prod",
        endpoint_config_name="churn-prod",
        session=session,
        region=region,
    )
    endpoint.wait_for_status("InService", poll=1, timeout=5)
    return endpoint


@pytest.fixture
def approved_model(modelreg: ModelRegistryHandle, execution_role: str) -> str:
    """An approved version and a model of it named churn-v1, made as admin; the version's ARN."""
    (arn,) = arrange_versions(modelreg, "churn", 1, ModelApprovalStatus="Approved")
    modelreg.admin_client("sagemaker").create_model(
        ModelName="churn-v1",
        PrimaryContainer={"ModelPackageName": arn},
        ExecutionRoleArn=execution_role,
    )
    return arn


def test_deploy_is_denied_at_describe_model_after_create_model(
    modelreg: ModelRegistryHandle, session: Any, execution_role: str
) -> None:
    (arn,) = arrange_versions(modelreg, "churn", 1, ModelApprovalStatus="Approved")
    start = len(modelreg.calls)
    with pytest.raises(ClientError) as denied:
        _model(arn, execution_role, session, modelreg.region)
    assert denied.value.response["Error"]["Code"] == "AccessDeniedException"
    assert denied.value.response["Error"]["Message"] == denial(
        modelreg,
        "sagemaker:DescribeModel",
        f"arn:aws:sagemaker:{modelreg.region}:{modelreg.account_id}:model/churn-v1",
    )
    # SageMaker's own requests as the execution role (call.via) come between the two.
    create, describe = [c for c in modelreg.calls[start:] if c.via is None]
    assert (create.operation, create.decision) == ("CreateModel", "allowed")
    # CreateModel passes the execution role: the managed policy's PassRole statement allows it
    # for sagemaker.amazonaws.com.
    assert ("iam:PassRole", execution_role) in [
        (a.action, a.resource) for a in create.authorizations
    ]
    assert describe.operation == "DescribeModel"
    # Created before the denial, as on AWS.
    model = modelreg.admin_client("sagemaker").describe_model(ModelName="churn-v1")
    assert model["PrimaryContainer"]["ModelPackageName"] == arn


def test_endpoint_config_and_endpoint_are_denied_at_their_describe(
    modelreg: ModelRegistryHandle, session: Any, approved_model: str
) -> None:
    with pytest.raises(ClientError, match="sagemaker:DescribeEndpointConfig on resource"):
        _endpoint_config(session, modelreg.region)
    with pytest.raises(ClientError) as denied:
        _endpoint(session, modelreg.region)
    assert denied.value.response["Error"]["Message"] == denial(
        modelreg,
        "sagemaker:DescribeEndpoint",
        f"arn:aws:sagemaker:{modelreg.region}:{modelreg.account_id}:endpoint/churn-prod",
    )
    assert [c.operation for c in modelreg.denied] == ["DescribeEndpointConfig", "DescribeEndpoint"]
    endpoint = modelreg.admin_client("sagemaker").describe_endpoint(EndpointName="churn-prod")
    assert endpoint["EndpointConfigName"] == "churn-prod"


@pytest.mark.modelreg(
    policy=[
        MANAGED,
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"}],
        },
    ]
)
def test_create_model_without_pass_role_is_denied_at_iam_pass_role(
    modelreg: ModelRegistryHandle, session: Any, execution_role: str
) -> None:
    (arn,) = arrange_versions(modelreg, "churn", 1, ModelApprovalStatus="Approved")
    with pytest.raises(ClientError) as denied:
        _model(arn, execution_role, session, modelreg.region)
    assert denied.value.response["Error"] == {
        "Code": "AccessDeniedException",
        "Message": (
            f"User: {modelreg.principal_arn} is not authorized to perform: iam:PassRole on "
            f"resource: {execution_role} with an explicit deny in an identity-based policy"
        ),
    }
    assert [c.operation for c in modelreg.denied] == ["CreateModel"]
    assert modelreg.admin_client("sagemaker").list_models()["Models"] == []


@pytest.mark.modelreg(policy=DEPLOY_POLICY)
def test_a_version_not_yet_approved_cannot_become_a_model(
    modelreg: ModelRegistryHandle, session: Any, execution_role: str
) -> None:
    (arn,) = arrange_versions(modelreg, "churn", 1)
    with pytest.raises(ClientError) as rejected:
        _model(arn, execution_role, session, modelreg.region)
    assert rejected.value.response["Error"]["Code"] == "ValidationException"
    assert [c.operation for c in modelreg.calls][-1] == "CreateModel"


@pytest.mark.modelreg(policy=DEPLOY_POLICY)
def test_model_of_an_approved_version_under_a_deploy_policy(
    modelreg: ModelRegistryHandle, session: Any, execution_role: str
) -> None:
    (arn,) = arrange_versions(modelreg, "churn", 1, ModelApprovalStatus="Approved")
    model = _model(arn, execution_role, session, modelreg.region)
    assert model.primary_container.model_package_name == arn


@pytest.mark.modelreg(policy=DEPLOY_POLICY)
def test_endpoint_config_under_a_deploy_policy(
    modelreg: ModelRegistryHandle, session: Any, approved_model: str
) -> None:
    config = _endpoint_config(session, modelreg.region)
    assert config.production_variants[0].model_name == "churn-v1"


@pytest.mark.modelreg(policy=DEPLOY_POLICY)
def test_endpoint_under_a_deploy_policy(
    modelreg: ModelRegistryHandle, session: Any, approved_model: str
) -> None:
    modelreg.admin_client("sagemaker").create_endpoint_config(
        EndpointConfigName="churn-prod",
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": "churn-v1",
                "InitialInstanceCount": 1,
                "InstanceType": INSTANCE_TYPE,
            }
        ],
    )
    assert _endpoint(session, modelreg.region).endpoint_status == "InService"


@pytest.mark.modelreg(policy=DEPLOY_POLICY)
def test_approve_and_deploy_a_version_under_a_deploy_policy(
    modelreg: ModelRegistryHandle, session: Any, execution_role: str
) -> None:
    """The whole flow, as the SDK's calls (SageMaker's own requests as the execution role, with
    ``via`` set, are left out)."""
    (arn,) = arrange_versions(modelreg, "churn", 1)
    resources.ModelPackage(model_package_arn=arn).update(model_approval_status="Approved")
    _model(arn, execution_role, session, modelreg.region)
    _endpoint_config(session, modelreg.region)
    assert _endpoint(session, modelreg.region).endpoint_status == "InService"
    assert modelreg.denied == []
    assert [c.operation for c in modelreg.calls if c.via is None][-7:] == [
        "CreateModel",
        "DescribeModel",
        "CreateEndpointConfig",
        "DescribeEndpointConfig",
        "CreateEndpoint",
        "DescribeEndpoint",
        "DescribeEndpoint",
    ]

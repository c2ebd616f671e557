"""The round trip with the SageMaker Python SDK generating the names: ``Model.register`` and
``ModelPackage.deploy`` name the model, endpoint config and endpoint with
``sagemaker.utils.name_from_base``, so every run uses new names; the versions differ too."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_modelreg import ModelRegistryHandle, lint, mock_modelreg
from tests.reporting import _workflow as base

from ._workflow import ALLOW_ALL

pytest.importorskip(
    "sagemaker",
    reason="the SageMaker Python SDK is not installed: pip install -e '.[sdk]' to run this test",
)

pytestmark = pytest.mark.filterwarnings("ignore:.*SageMaker Python SDK v2")


def _register_and_deploy(reg: ModelRegistryHandle, versions: int) -> list[str]:
    """Register ``versions`` versions with the SDK and deploy the last; the resources used."""
    import sagemaker
    from sagemaker.model import Model, ModelPackage

    session = sagemaker.Session(boto_session=reg.session())
    data = base.arrange(reg)  # the artifact, image and execution role, made as admin
    role = data["role_arn"]
    model = Model(
        image_uri=data["image"],
        model_data=f"s3://{base.BUCKET}/{base.KEY}",
        role=role,
        sagemaker_session=session,
    )
    package: Any = None
    for _ in range(versions):
        package = model.register(
            model_package_group_name="churn",
            content_types=["text/csv"],
            response_types=["text/csv"],
            inference_instances=["ml.m5.large"],
            transform_instances=["ml.m5.large"],
        )
    ModelPackage(
        role=role, model_package_arn=package.model_package_arn, sagemaker_session=session
    ).deploy(initial_instance_count=1, instance_type="ml.m5.large", wait=False)
    # The principal's own calls: SageMaker's requests as the execution role (c.via) are the role's.
    return [
        a.resource
        for c in reg.calls
        if not c.unrestricted and c.via is None
        for a in c.authorizations
    ]


def test_the_sdk_workflow_passes_a_second_run_under_the_first_runs_policy() -> None:
    with mock_modelreg(policy=ALLOW_ALL, enforce="warn") as reg:
        first = _register_and_deploy(reg, versions=1)
        policy = reg.required_policy()
    assert lint(policy) == []
    with mock_modelreg(policy=policy, enforce="strict") as reg:
        second = _register_and_deploy(reg, versions=3)
        assert reg.denied == []
    # The SDK named the model, endpoint config and endpoint anew; the versions differ.
    generated = [r for r in second if "/churn-" in r]
    assert {r.split(":")[-1].split("/")[0] for r in generated} == {
        "model",
        "endpoint-config",
        "endpoint",
    }
    assert not set(generated) & set(first)
    assert any(r.endswith("model-package/churn/3") for r in second)
    assert not any(r.endswith("model-package/churn/3") for r in first)

"""SDK v3's ``ModelBuilder.register`` under the plugin, and the telemetry it reports.

v3 registers through ``sagemaker.core.model_registry.create_model_package_from_containers``,
which looks the group up with ``sagemaker_session.search(...)``; v3's Session has no ``search``,
the AttributeError is caught, and it lists with ListModelPackageGroups instead. The managed
policy does not grant that action, so registering by group name is denied there, as on AWS;
registering by group ARN skips the lookup."""

from __future__ import annotations

import socket
import urllib.request
from typing import Any

import pytest
from botocore.exceptions import ClientError

from pytest_modelreg import ModelRegistryHandle

from ..network_guard import NetworkGuard
from ..sdk_common import both_policies
from .conftest import (
    DEPLOY_POLICY,
    IMAGE_URI,
    INSTANCE_TYPE,
    TELEMETRY_HOST,
    arrange_versions,
    denial,
    operations,
    register,
    settle,
)

pytest.importorskip(
    "sagemaker.core.resources",
    reason="SageMaker Python SDK v3 is not installed: pip install -e '.[sdk3]' to run tests/sdk3",
)

BOTH_POLICIES = both_policies(DEPLOY_POLICY)


def test_network_is_blocked(no_network: NetworkGuard) -> None:
    """The guard every test in this directory runs under really stops network access."""
    with pytest.raises(OSError, match="network blocked"):
        urllib.request.urlopen("http://example.com/", timeout=1)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with sock, pytest.raises(OSError, match="network blocked"):
        sock.connect(("93.184.216.34", 80))
    assert [a.host for a in no_network.attempts] == ["example.com", "93.184.216.34"]
    no_network.attempts.clear()


# -- register by group name ------------------------------------------------------------------------


@pytest.mark.parametrize("existing", [False, True], ids=["new-group", "existing-group"])
def test_register_by_group_name_is_denied_at_list_model_package_groups(
    modelreg: ModelRegistryHandle, builder: Any, existing: bool
) -> None:
    if existing:
        arrange_versions(modelreg, "churn", 0)
    start = len(modelreg.calls)
    with pytest.raises(ClientError) as denied:
        register(builder, "churn")
    assert denied.value.response["Error"]["Code"] == "AccessDeniedException"
    assert denied.value.response["Error"]["Message"] == denial(
        modelreg,
        "sagemaker:ListModelPackageGroups",
        f"arn:aws:sagemaker:{modelreg.region}:{modelreg.account_id}:model-package-group/*",
    )
    # The default bucket is looked up first (ModelBuilder._upload_code), then the group listed.
    assert operations(modelreg, start) == [
        "ListBuckets",
        "HeadBucket",
        "HeadBucket",
        "ListModelPackageGroups",
    ]
    assert modelreg.admin_client("sagemaker").search(Resource="ModelPackage")["Results"] == []


@pytest.mark.modelreg(policy=DEPLOY_POLICY)
def test_register_into_a_new_group_with_list_model_package_groups(
    modelreg: ModelRegistryHandle, builder: Any, default_bucket: str
) -> None:
    start = len(modelreg.calls)
    arn = register(builder, "churn", description="first churn model")
    assert arn == f"arn:aws:sagemaker:{modelreg.region}:{modelreg.account_id}:model-package/churn/1"
    assert operations(modelreg, start)[-3:] == [
        "ListModelPackageGroups",
        "CreateModelPackageGroup",
        "CreateModelPackage",
    ]
    assert modelreg.denied == []
    described = modelreg.admin_client("sagemaker").describe_model_package(ModelPackageName=arn)
    assert described["ModelApprovalStatus"] == "PendingManualApproval"
    assert described["ModelPackageDescription"] == "first churn model"
    spec = described["InferenceSpecification"]
    assert spec["Containers"][0]["Image"] == IMAGE_URI
    assert spec["Containers"][0]["ModelDataUrl"] == f"s3://{default_bucket}/churn/model.tar.gz"
    assert spec["SupportedRealtimeInferenceInstanceTypes"] == [INSTANCE_TYPE]
    assert spec["SupportedResponseMIMETypes"] == ["text/csv"]


@pytest.mark.modelreg(policy=DEPLOY_POLICY)
def test_register_into_an_existing_group_with_list_model_package_groups(
    modelreg: ModelRegistryHandle, builder: Any
) -> None:
    arrange_versions(modelreg, "churn", 1)
    start = len(modelreg.calls)
    arn = register(builder, "churn", approval_status="Approved")
    assert arn.endswith(":model-package/churn/2")
    assert operations(modelreg, start)[-2:] == ["ListModelPackageGroups", "CreateModelPackage"]
    admin = modelreg.admin_client("sagemaker")
    assert admin.describe_model_package(ModelPackageName=arn)["ModelApprovalStatus"] == "Approved"


# -- register by group ARN -------------------------------------------------------------------------


@BOTH_POLICIES
def test_register_by_group_arn_works(
    modelreg: ModelRegistryHandle, builder: Any, policy: Any
) -> None:
    group_arn = modelreg.admin_client("sagemaker").create_model_package_group(
        ModelPackageGroupName="churn"
    )["ModelPackageGroupArn"]
    start = len(modelreg.calls)
    first = register(builder, group_arn)
    second = register(builder, group_arn, approval_status="Approved")
    assert first.endswith(":model-package/churn/1")
    assert second.endswith(":model-package/churn/2")
    assert [op for op in operations(modelreg, start) if op.endswith("ModelPackage")] == [
        "CreateModelPackage",
        "CreateModelPackage",
    ]
    assert "ListModelPackageGroups" not in operations(modelreg, start)
    assert modelreg.denied == []
    create = next(c for c in modelreg.calls if c.operation == "CreateModelPackage")
    assert create.params["ModelPackageGroupName"] == group_arn
    assert create.params["ModelApprovalStatus"] == "PendingManualApproval"


def test_register_into_a_new_group_by_arn_is_not_possible(
    modelreg: ModelRegistryHandle, builder: Any
) -> None:
    """With an ARN the SDK creates no group: CreateModelPackage into a missing group fails."""
    group_arn = f"arn:aws:sagemaker:{modelreg.region}:{modelreg.account_id}:model-package-group/x"
    with pytest.raises(ClientError) as missing:
        register(builder, group_arn)
    assert missing.value.response["Error"]["Code"] == "ValidationException"
    assert operations(modelreg)[-1] == "CreateModelPackage"


def test_register_without_the_default_bucket_is_denied_at_create_bucket(
    modelreg: ModelRegistryHandle, sdk_session: Any, execution_role: str
) -> None:
    """ModelBuilder resolves the default bucket even with no code to upload; the managed policy
    cannot create it."""
    from sagemaker.serve.model_builder import ModelBuilder

    bucket = f"sagemaker-{modelreg.region}-{modelreg.account_id}"
    builder = ModelBuilder(
        image_uri=IMAGE_URI,
        s3_model_data_url="s3://models/churn/model.tar.gz",
        role_arn=execution_role,
        sagemaker_session=sdk_session,
    )
    with pytest.raises(ClientError) as denied:
        register(builder, "churn")
    assert denied.value.response["Error"]["Code"] == "AccessDenied"
    assert denied.value.response["Error"]["Message"] == (
        f"User: {modelreg.principal_arn} is not authorized to perform: s3:CreateBucket on "
        f'resource: "arn:aws:s3:::{bucket}" because no identity-based policy allows the '
        "s3:CreateBucket action"
    )
    assert operations(modelreg) == ["ListBuckets", "HeadBucket", "CreateBucket"]


# -- telemetry -------------------------------------------------------------------------------------


def test_telemetry_is_reported_through_sts_and_a_get_outside_botocore(
    modelreg: ModelRegistryHandle, builder: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What v3 sends, observed through a pass-through spy: a telemetry thread per ``register``
    asks STS for the account (served by the plugin), then GETs this URL with ``requests``; a
    failed GET is swallowed (logged at DEBUG), so ``register`` returns its ARN either way."""
    from sagemaker.core.telemetry import telemetry_logging

    urls: list[str] = []
    build_url = telemetry_logging._construct_url

    def spy(*args: Any) -> str:
        urls.append(build_url(*args))
        return urls[-1]

    monkeypatch.setattr(telemetry_logging, "_construct_url", spy)
    group_arn = modelreg.admin_client("sagemaker").create_model_package_group(
        ModelPackageGroupName="churn"
    )["ModelPackageGroupArn"]
    assert register(builder, group_arn).endswith("/churn/1")
    settle()
    (url,) = urls
    assert url.startswith(
        f"https://{TELEMETRY_HOST}/telemetry?x-accountId={modelreg.account_id}"
        "&x-status=1&x-feature=15,20&x-extra=model_builder.register&x-sdkVersion="
    )


def test_telemetry_never_reaches_a_socket_while_the_mock_is_active(
    modelreg: ModelRegistryHandle, sdk_session: Any, no_network: NetworkGuard
) -> None:
    """The activation's first SDK call reports telemetry before moto has served anything.
    ``get_deployment_config`` is for JumpStart models: for an image it raises, and reports
    that failure."""
    from sagemaker.serve.model_builder import ModelBuilder

    builder = ModelBuilder(
        image_uri=IMAGE_URI,
        s3_model_data_url="s3://models/churn/model.tar.gz",
        role_arn=f"arn:aws:iam::{modelreg.account_id}:role/SageMakerExecution",
        sagemaker_session=sdk_session,
    )
    with pytest.raises(ValueError):
        builder.get_deployment_config()
    settle()
    assert [a for a in no_network.attempts if a.host == TELEMETRY_HOST] == []
    # Answered quietly: the SDK's own request is neither judged nor recorded as the user's.
    assert [c for c in modelreg.calls if c.params.get("Bucket", "").startswith("sm-pysdk-t-")] == []

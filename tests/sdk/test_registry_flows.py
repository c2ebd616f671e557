"""The SageMaker Python SDK v2 driving the registry under the plugin: the boto3 call sequences of
the SageMaker SDK v2 source (sagemaker.session, sagemaker.model) and the outcomes the managed policy AmazonSageMakerModelRegistryFullAccess gives them
(§10.2), and the same flows under a policy that grants what deploy needs."""

from __future__ import annotations

import socket
import urllib.request
from typing import Any

import pytest
from botocore.exceptions import ClientError

from pytest_modelreg import ModelRegistryHandle

from ..sdk_common import both_policies
from .conftest import (
    DEPLOY_POLICY,
    IMAGE_URI,
    INSTANCE_TYPE,
    NetworkGuard,
    VirtualClock,
    operations,
    register,
)

sagemaker = pytest.importorskip(
    "sagemaker",
    reason="the SageMaker Python SDK is not installed: pip install -e '.[sdk]' to run tests/sdk",
)

pytestmark = pytest.mark.filterwarnings("ignore:.*SageMaker Python SDK v2")

MANAGED = "AmazonSageMakerModelRegistryFullAccess"
BOTH_POLICIES = both_policies(DEPLOY_POLICY)


def test_network_is_blocked(no_network: NetworkGuard) -> None:
    """The guard every test in this directory runs under really stops network access."""
    with pytest.raises(OSError, match="network blocked"):
        urllib.request.urlopen("http://example.com/", timeout=1)
    with pytest.raises(OSError, match="network blocked"):
        socket.create_connection(("93.184.216.34", 80), timeout=1)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with sock, pytest.raises(OSError, match="network blocked"):
        sock.connect(("93.184.216.34", 80))
    assert len(no_network.attempts) == 3
    no_network.attempts.clear()


# -- Session.default_bucket() ----------------------------------------------------------------------


def test_default_bucket_is_denied_at_create_bucket_when_missing(
    modelreg: ModelRegistryHandle, sdk_session: Any
) -> None:
    bucket = f"sagemaker-{modelreg.region}-{modelreg.account_id}"
    with pytest.raises(ClientError) as denied:
        sdk_session.default_bucket()
    assert denied.value.response["Error"]["Code"] == "AccessDenied"
    assert denied.value.response["Error"]["Message"] == (
        f"User: {modelreg.principal_arn} is not authorized to perform: s3:CreateBucket on "
        f'resource: "arn:aws:s3:::{bucket}" because no identity-based policy allows the '
        "s3:CreateBucket action"
    )
    # sagemaker.session.Session.default_bucket: ListBuckets (creation_date) and HeadBucket are allowed, CreateBucket is not.
    # (SDK >= 2.2xx also calls GetCallerIdentity before HeadBucket, for ExpectedBucketOwner.)
    s3_calls = [op for op in operations(modelreg) if op != "GetCallerIdentity"]
    assert s3_calls == ["ListBuckets", "HeadBucket", "CreateBucket"]
    assert [c.operation for c in modelreg.denied] == ["CreateBucket"]
    assert modelreg.admin_client("s3").list_buckets()["Buckets"] == []


def test_default_bucket_is_found_when_it_exists(
    modelreg: ModelRegistryHandle, sdk_session: Any, default_bucket: str
) -> None:
    assert sdk_session.default_bucket() == default_bucket
    assert "CreateBucket" not in operations(modelreg)
    assert modelreg.denied == []


@pytest.mark.modelreg(policy=DEPLOY_POLICY)
def test_default_bucket_is_created_when_the_policy_allows_it(
    modelreg: ModelRegistryHandle, sdk_session: Any
) -> None:
    bucket = sdk_session.default_bucket()
    assert bucket == f"sagemaker-{modelreg.region}-{modelreg.account_id}"
    assert operations(modelreg)[-1] == "CreateBucket"
    names = [b["Name"] for b in modelreg.admin_client("s3").list_buckets()["Buckets"]]
    assert names == [bucket]


def test_session_built_from_the_environment_signs_as_the_principal_under_test(
    modelreg: ModelRegistryHandle, default_bucket: str
) -> None:
    """``sagemaker.Session()`` with no arguments: the plugin's environment is enough."""
    start = len(modelreg.calls)
    session = sagemaker.Session()
    assert session.boto_region_name == modelreg.region
    assert session.account_id() == modelreg.account_id
    assert session.default_bucket() == default_bucket
    assert {c.principal_arn for c in modelreg.calls[start:]} == {modelreg.principal_arn}


# -- Model.register() --------------------------------------------------------------------------------


@BOTH_POLICIES
def test_register_into_a_new_group(modelreg: ModelRegistryHandle, model: Any, policy: Any) -> None:
    start = len(modelreg.calls)
    package = register(model, "churn", description="first churn model")
    arn = f"arn:aws:sagemaker:{modelreg.region}:{modelreg.account_id}:model-package/churn/1"
    assert package.model_package_arn == arn
    # sagemaker.session.Session.create_model_package_from_containers: Search for the group, create it, create the version (with a ClientToken).
    assert operations(modelreg, start) == [
        "Search",
        "CreateModelPackageGroup",
        "CreateModelPackage",
    ]
    create = modelreg.calls[-1]
    assert create.params["ClientToken"]
    assert create.params["ModelApprovalStatus"] == "PendingManualApproval"
    assert modelreg.denied == []

    described = modelreg.admin_client("sagemaker").describe_model_package(ModelPackageName=arn)
    assert described["ModelPackageGroupName"] == "churn"
    assert described["ModelPackageVersion"] == 1
    assert described["ModelPackageStatus"] == "Completed"
    assert described["ModelApprovalStatus"] == "PendingManualApproval"
    assert described["ModelPackageDescription"] == "first churn model"
    container = described["InferenceSpecification"]["Containers"][0]
    assert container["Image"] == model.image_uri
    assert container["ModelDataUrl"] == model.model_data
    assert described["InferenceSpecification"]["SupportedRealtimeInferenceInstanceTypes"] == [
        INSTANCE_TYPE
    ]


@BOTH_POLICIES
def test_register_into_an_existing_group(
    modelreg: ModelRegistryHandle, model: Any, policy: Any
) -> None:
    modelreg.admin_client("sagemaker").create_model_package_group(ModelPackageGroupName="churn")
    start = len(modelreg.calls)
    first = register(model, "churn")
    second = register(model, "churn", approval_status="Approved")
    assert first.model_package_arn.endswith("/churn/1")
    assert second.model_package_arn.endswith("/churn/2")
    assert operations(modelreg, start) == ["Search", "CreateModelPackage"] * 2
    admin = modelreg.admin_client("sagemaker")
    statuses = [
        admin.describe_model_package(ModelPackageName=p.model_package_arn)["ModelApprovalStatus"]
        for p in (first, second)
    ]
    assert statuses == ["PendingManualApproval", "Approved"]


def test_register_without_a_group_name_uses_the_image_name(
    modelreg: ModelRegistryHandle, model: Any
) -> None:
    package = model.register(
        content_types=["text/csv"],
        response_types=["text/csv"],
        inference_instances=[INSTANCE_TYPE],
        transform_instances=[INSTANCE_TYPE],
    )
    assert package.model_package_arn.endswith(":model-package/churn-inference/1")


def test_register_as_a_principal_without_create_group_is_denied(
    modelreg: ModelRegistryHandle, model: Any
) -> None:
    """The SDK swallows only 'already exists' errors from CreateModelPackageGroup (§14.2)."""
    blocked = modelreg.principal(
        "no-new-groups",
        policies=[
            MANAGED,
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Deny",
                        "Action": "sagemaker:CreateModelPackageGroup",
                        "Resource": "*",
                    }
                ],
            },
        ],
    )
    model.sagemaker_session = sagemaker.Session(boto_session=blocked.session())
    with pytest.raises(ClientError) as denied:
        register(model, "churn")
    assert denied.value.response["Error"]["Code"] == "AccessDeniedException"
    assert "with an explicit deny in an identity-based policy" in str(denied.value)
    assert [c.operation for c in modelreg.denied] == ["CreateModelPackageGroup"]
    admin = modelreg.admin_client("sagemaker")
    assert admin.search(Resource="ModelPackage")["Results"] == []


# -- listing and approving versions -----------------------------------------------------------------


@BOTH_POLICIES
def test_list_and_approve_versions(
    modelreg: ModelRegistryHandle, model: Any, sdk_session: Any, policy: Any
) -> None:
    from sagemaker.model import ModelPackage

    arns = [register(model, "churn").model_package_arn for _ in range(3)]
    summaries = sdk_session.sagemaker_client.list_model_packages(
        ModelPackageGroupName="churn", SortBy="CreationTime", SortOrder="Ascending"
    )["ModelPackageSummaryList"]
    assert [s["ModelPackageArn"] for s in summaries] == arns
    assert {s["ModelApprovalStatus"] for s in summaries} == {"PendingManualApproval"}

    # No approved version yet: the helper follows NextToken through empty pages, finds nothing.
    assert sdk_session.get_most_recently_created_approved_model_package("churn") is None

    for arn in arns[:2]:
        ModelPackage(
            role=None, model_package_arn=arn, sagemaker_session=sdk_session
        ).update_approval_status("Approved", approval_description="offline metrics ok")
    ModelPackage(
        role=None, model_package_arn=arns[2], sagemaker_session=sdk_session
    ).update_approval_status("Rejected")

    latest = sdk_session.get_most_recently_created_approved_model_package("churn")
    assert latest.model_package_arn == arns[1]
    described = sdk_session.sagemaker_client.describe_model_package(ModelPackageName=arns[1])
    assert described["ModelApprovalStatus"] == "Approved"
    assert described["ApprovalDescription"] == "offline metrics ok"
    approved = sdk_session.sagemaker_client.list_model_packages(
        ModelPackageGroupName="churn", ModelApprovalStatus="Approved"
    )["ModelPackageSummaryList"]
    assert sorted(s["ModelPackageArn"] for s in approved) == arns[:2]
    assert modelreg.denied == []


def test_listing_groups_is_not_in_the_managed_policy(
    modelreg: ModelRegistryHandle, sdk_session: Any
) -> None:
    with pytest.raises(ClientError) as denied:
        sdk_session.sagemaker_client.list_model_package_groups()
    assert denied.value.response["Error"]["Code"] == "AccessDeniedException"


# -- ModelPackage.deploy() ---------------------------------------------------------------------------


def _deploy(modelreg: ModelRegistryHandle, arn: str, role: str, session: Any, **kw: Any) -> Any:
    from sagemaker.model import ModelPackage

    package = ModelPackage(role=role, model_package_arn=arn, sagemaker_session=session)
    return package.deploy(
        initial_instance_count=1, instance_type=INSTANCE_TYPE, endpoint_name="churn-prod", **kw
    )


def test_deploy_is_denied_at_describe_endpoint_and_keeps_what_it_created(
    modelreg: ModelRegistryHandle,
    model: Any,
    sdk_session: Any,
    execution_role: str,
    sdk_clock: VirtualClock,
) -> None:
    arn = register(model, "churn").model_package_arn
    start = len(modelreg.calls)
    with pytest.raises(ClientError) as denied:
        _deploy(modelreg, arn, execution_role, sdk_session)
    error = denied.value.response["Error"]
    assert error["Code"] == "AccessDeniedException"
    assert error["Message"] == (
        f"User: {modelreg.principal_arn} is not authorized to perform: sagemaker:DescribeEndpoint "
        f"on resource: arn:aws:sagemaker:{modelreg.region}:{modelreg.account_id}:endpoint/"
        "churn-prod because no identity-based policy allows the sagemaker:DescribeEndpoint action"
    )
    # sagemaker.model.Model.deploy. The SDK retries AccessDeniedException for 300 s (tag propagation), polling
    # every 30 s: 11 DescribeEndpoint calls, 330 s of (virtual) waiting, then it gives up.
    assert (
        operations(modelreg, start)
        == [
            "DescribeModelPackage",
            "UpdateModelPackage",
            "DescribeModelPackage",
            "CreateModel",
            "CreateEndpointConfig",
            "CreateEndpoint",
        ]
        + ["DescribeEndpoint"] * 11
    )
    assert sum(sdk_clock.slept) == 330
    assert {c.operation for c in modelreg.denied} == {"DescribeEndpoint"}

    admin = modelreg.admin_client("sagemaker")
    assert admin.describe_model_package(ModelPackageName=arn)["ModelApprovalStatus"] == "Approved"
    (created_model,) = admin.list_models()["Models"]
    assert created_model["ModelName"].startswith("churn-")
    containers = admin.describe_model(ModelName=created_model["ModelName"])["Containers"]
    assert containers[0]["ModelPackageName"] == arn
    config = admin.describe_endpoint_config(EndpointConfigName="churn-prod")
    assert config["ProductionVariants"][0]["ModelName"] == created_model["ModelName"]
    endpoint = admin.describe_endpoint(EndpointName="churn-prod")
    assert endpoint["EndpointConfigName"] == "churn-prod"


def test_deploy_without_waiting_succeeds_under_the_managed_policy(
    modelreg: ModelRegistryHandle, model: Any, sdk_session: Any, execution_role: str
) -> None:
    arn = register(model, "churn").model_package_arn
    _deploy(modelreg, arn, execution_role, sdk_session, wait=False)
    assert "DescribeEndpoint" not in operations(modelreg)
    assert modelreg.denied == []
    names = modelreg.admin_client("sagemaker").list_endpoints()["Endpoints"]
    assert [e["EndpointName"] for e in names] == ["churn-prod"]


@pytest.mark.modelreg(policy=DEPLOY_POLICY)
def test_deploy_succeeds_under_a_policy_that_grants_describe_endpoint(
    modelreg: ModelRegistryHandle,
    model: Any,
    sdk_session: Any,
    execution_role: str,
    sdk_clock: VirtualClock,
) -> None:
    arn = register(model, "churn").model_package_arn
    start = len(modelreg.calls)
    _deploy(modelreg, arn, execution_role, sdk_session)
    assert operations(modelreg, start)[-2:] == ["CreateEndpoint", "DescribeEndpoint"]
    assert modelreg.denied == []
    endpoint = sdk_session.sagemaker_client.describe_endpoint(EndpointName="churn-prod")
    assert endpoint["EndpointStatus"] == "InService"
    # What this run needed, as a least-privilege policy: DescribeEndpoint is in it.
    actions = {
        action
        for s in modelreg.required_policy()["Statement"]
        for action in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    }
    assert {"sagemaker:CreateEndpoint", "sagemaker:DescribeEndpoint", "iam:PassRole"} <= actions


def test_deploy_of_an_approved_version_skips_the_approval(
    modelreg: ModelRegistryHandle, model: Any, sdk_session: Any, execution_role: str
) -> None:
    arn = register(model, "churn", approval_status="Approved").model_package_arn
    start = len(modelreg.calls)
    _deploy(modelreg, arn, execution_role, sdk_session, wait=False)
    assert "UpdateModelPackage" not in operations(modelreg, start)


# -- a model with an entry point (repacked by the SDK) ------------------------------------------------


@pytest.fixture
def model_with_entry_point(
    modelreg: ModelRegistryHandle,
    sdk_session: Any,
    default_bucket: str,
    execution_role: str,
    tmp_path: Any,
) -> Any:
    import io
    import tarfile

    from sagemaker.model import Model

    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w:gz") as tar:
        weights = tarfile.TarInfo("model.bin")
        weights.size = 7
        tar.addfile(weights, io.BytesIO(b"weights"))
    modelreg.admin_client("s3").put_object(
        Bucket=default_bucket, Key="churn/model.tar.gz", Body=archive.getvalue()
    )
    (tmp_path / "inference.py").write_text("def model_fn(model_dir):\n    return None\n")
    return Model(
        image_uri=IMAGE_URI,
        model_data=f"s3://{default_bucket}/churn/model.tar.gz",
        entry_point="inference.py",
        source_dir=str(tmp_path),
        role=execution_role,
        sagemaker_session=sdk_session,
    )


def test_register_with_an_entry_point_is_denied_at_put_object(
    modelreg: ModelRegistryHandle, model_with_entry_point: Any
) -> None:
    """sagemaker.model.Model._upload_code: the SDK repacks model + code and uploads it; the managed policy has no
    s3:PutObject. It may read the artifact (s3:GetObject on a *sagemaker* bucket)."""
    from boto3.exceptions import S3UploadFailedError

    with pytest.raises(S3UploadFailedError, match=r"\(AccessDenied\).*s3:PutObject"):
        register(model_with_entry_point, "churn")
    assert [c.operation for c in modelreg.denied] == ["PutObject"]
    assert "GetObject" in operations(modelreg)
    assert "CreateModelPackage" not in operations(modelreg)


@pytest.mark.modelreg(
    policy=[
        MANAGED,
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "s3:PutObject",
                    "Resource": "arn:aws:s3:::sagemaker-*/*",
                }
            ],
        },
    ]
)
def test_register_with_an_entry_point_under_a_policy_with_put_object(
    modelreg: ModelRegistryHandle, model_with_entry_point: Any, default_bucket: str
) -> None:
    package = register(model_with_entry_point, "churn")
    assert modelreg.denied == []
    container = modelreg.admin_client("sagemaker").describe_model_package(
        ModelPackageName=package.model_package_arn
    )["InferenceSpecification"]["Containers"][0]
    # The repacked artifact, uploaded to the default bucket, and the SDK's container env.
    assert container["ModelDataUrl"].startswith(f"s3://{default_bucket}/")
    assert container["ModelDataUrl"] != f"s3://{default_bucket}/churn/model.tar.gz"
    assert container["Environment"]["SAGEMAKER_PROGRAM"] == "inference.py"


def test_deploys_auto_approval_reads_back_as_a_plain_string(
    modelreg: ModelRegistryHandle, model: Any, sdk_session: Any, execution_role: str
) -> None:
    arn = register(model, "churn").model_package_arn
    _deploy(modelreg, arn, execution_role, sdk_session, wait=False)
    status = sdk_session.sagemaker_client.describe_model_package(ModelPackageName=arn)[
        "ModelApprovalStatus"
    ]
    assert type(status) is str and str(status) == "Approved"


def test_register_into_a_group_shared_from_another_account(
    modelreg: ModelRegistryHandle, model: Any
) -> None:
    """§14.2: a group ARN skips Search/CreateModelPackageGroup; the owner's group policy must
    grant CreateModelPackage to the other account ("Cross-account model package groups", SageMaker Developer Guide)."""
    import json

    owner = modelreg.admin_client("sagemaker")
    group_arn = owner.create_model_package_group(ModelPackageGroupName="churn")[
        "ModelPackageGroupArn"
    ]
    training = modelreg.principal("training", account_id="210987654321", policies=MANAGED)
    model.sagemaker_session = sagemaker.Session(boto_session=training.session())
    with pytest.raises(ClientError, match="because no resource-based policy allows"):
        register(model, group_arn)

    share = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::210987654321:root"},
                "Action": ["sagemaker:CreateModelPackage", "sagemaker:DescribeModelPackageGroup"],
                "Resource": [
                    group_arn,
                    group_arn.replace("model-package-group/", "model-package/") + "/*",
                ],
            }
        ],
    }
    owner.put_model_package_group_policy(
        ModelPackageGroupName="churn", ResourcePolicy=json.dumps(share)
    )
    start = len(modelreg.calls)
    package = register(model, group_arn)
    assert package.model_package_arn == (
        f"arn:aws:sagemaker:{modelreg.region}:{modelreg.account_id}:model-package/churn/1"
    )
    assert [c.operation for c in modelreg.calls[start:]] == ["CreateModelPackage"]

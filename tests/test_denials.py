"""Denied calls: AWS's error code, status and wording per service, no state change, the record
(api-contract.md, "Denied calls" and "The handle")."""

from __future__ import annotations

import json
import warnings

import boto3
import pytest
from botocore.exceptions import ClientError

from pytest_modelreg import AccessDeniedWarning, ModelRegistryHandle, mock_modelreg
from pytest_modelreg.policies import model_registry_full_access

from .conftest import ALLOW_ALL, statement

ACCOUNT = "123456789012"


def test_sagemaker_denial_has_aws_code_status_and_message(modelreg: ModelRegistryHandle) -> None:
    with pytest.raises(ClientError) as denied:
        boto3.client("sagemaker").list_model_package_groups()
    response = denied.value.response
    assert response["Error"]["Code"] == "AccessDeniedException"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    # Message format: api-contract.md "Denied calls" (real AWS sample, ml-edge-getting-started#18).
    assert response["Error"]["Message"] == (
        f"User: {modelreg.principal_arn} is not authorized to perform: "
        "sagemaker:ListModelPackageGroups on resource: "
        f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:model-package-group/* because no identity-based "
        "policy allows the sagemaker:ListModelPackageGroups action"
    )
    assert (
        modelreg.principal_arn
        == f"arn:aws:sts::{ACCOUNT}:assumed-role/ModelRegistryTestRole/pytest-modelreg"
    )


def test_a_denied_call_changes_no_state(modelreg: ModelRegistryHandle) -> None:
    policy = statement("Deny", "sagemaker:CreateModelPackageGroup")
    other = modelreg.principal("blocked", policies=[model_registry_full_access(), policy])
    with pytest.raises(ClientError) as denied:
        other.client("sagemaker").create_model_package_group(ModelPackageGroupName="never")
    assert denied.value.response["Error"]["Message"].endswith(
        "with an explicit deny in an identity-based policy"
    )
    with pytest.raises(ClientError) as missing:
        modelreg.admin_client("sagemaker").describe_model_package_group(
            ModelPackageGroupName="never"
        )
    assert missing.value.response["Error"]["Code"] == "ValidationException"


def test_s3_denial_uses_s3s_code_status_and_quoted_resource(modelreg: ModelRegistryHandle) -> None:
    admin = modelreg.admin_client("s3")
    admin.create_bucket(Bucket="plain-bucket")
    admin.put_object(Bucket="plain-bucket", Key="k", Body=b"v")
    with pytest.raises(ClientError) as denied:
        modelreg.client("s3").get_object(Bucket="plain-bucket", Key="k")
    response = denied.value.response
    assert response["Error"]["Code"] == "AccessDenied"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert response["Error"]["Message"] == (
        f"User: {modelreg.principal_arn} is not authorized to perform: s3:GetObject on resource: "
        '"arn:aws:s3:::plain-bucket/k" because no identity-based policy allows the s3:GetObject action'
    )


def test_s3_head_denial_is_a_bare_403(modelreg: ModelRegistryHandle) -> None:
    modelreg.admin_client("s3").create_bucket(Bucket="plain-bucket")
    with pytest.raises(ClientError) as denied:
        modelreg.client("s3").head_object(Bucket="plain-bucket", Key="k")
    assert denied.value.response["Error"] == {"Code": "403", "Message": "Forbidden"}


def test_managed_policy_allows_get_object_on_sagemaker_buckets(
    modelreg: ModelRegistryHandle,
) -> None:
    modelreg.admin_client("s3").create_bucket(Bucket="my-sagemaker-bucket")
    modelreg.admin_client("s3").put_object(Bucket="my-sagemaker-bucket", Key="m", Body=b"model")
    assert (
        modelreg.client("s3").get_object(Bucket="my-sagemaker-bucket", Key="m")["Body"].read()
        == b"model"
    )


def test_calls_record_authorizations_and_decisions(modelreg: ModelRegistryHandle) -> None:
    sm = modelreg.client("sagemaker")
    sm.create_model_package_group(ModelPackageGroupName="g", Tags=[{"Key": "team", "Value": "ml"}])
    with pytest.raises(ClientError):
        sm.list_model_package_groups()
    create, listing = modelreg.calls
    assert (create.service, create.operation, create.decision) == (
        "sagemaker",
        "CreateModelPackageGroup",
        "allowed",
    )
    assert create.params["ModelPackageGroupName"] == "g"
    actions = {(a.action, a.resource, a.decision) for a in create.authorizations}
    group_arn = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:model-package-group/g"
    # Tag-on-create also authorizes sagemaker:AddTags (authorization-map.json).
    assert ("sagemaker:CreateModelPackageGroup", group_arn, "allowed") in actions
    assert ("sagemaker:AddTags", group_arn, "allowed") in actions
    assert listing.decision == "implicitDeny"
    assert modelreg.denied == [listing]


def test_pass_role_is_checked_with_passed_to_service(
    modelreg: ModelRegistryHandle, trust_sagemaker: str
) -> None:
    role_arn = modelreg.admin_client("iam").create_role(
        RoleName="exec", AssumeRolePolicyDocument=trust_sagemaker
    )["Role"]["Arn"]
    without_pass_role = modelreg.principal(
        "no-passrole", policies=statement("Allow", "sagemaker:*")
    )
    with pytest.raises(ClientError) as denied:
        without_pass_role.client("sagemaker").create_model(
            ModelName="m",
            ExecutionRoleArn=role_arn,
            PrimaryContainer={"Image": "123.dkr.ecr.us-east-1.amazonaws.com/x:1"},
        )
    assert f"iam:PassRole on resource: {role_arn}" in denied.value.response["Error"]["Message"]
    # The managed policy allows PassRole to sagemaker.amazonaws.com.
    modelreg.client("sagemaker").create_model(
        ModelName="m",
        ExecutionRoleArn=role_arn,
        PrimaryContainer={"Image": "123.dkr.ecr.us-east-1.amazonaws.com/x:1"},
    )
    # The caller's own call, not the AssumeRole SageMaker made after it (call.via).
    (create,) = [c for c in modelreg.calls if c.operation == "CreateModel" and c.allowed]
    passrole = [a for a in create.authorizations if a.action == "iam:PassRole"]
    assert passrole and passrole[0].context["iam:PassedToService"] == "sagemaker.amazonaws.com"


@mock_modelreg(enforce="warn")
def test_warn_mode_proceeds_records_and_warns() -> None:
    sm = boto3.client("sagemaker")
    with pytest.warns(AccessDeniedWarning, match="sagemaker:ListModelPackageGroups"):
        assert sm.list_model_package_groups()["ModelPackageGroupSummaryList"] == []


def test_the_warning_points_at_the_line_that_made_the_call() -> None:
    with mock_modelreg(enforce="warn") as reg, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        reg.client("sagemaker").list_model_package_groups()
    (warning,) = [w for w in caught if issubclass(w.category, AccessDeniedWarning)]
    assert warning.filename == __file__


def test_off_mode_authorizes_nothing() -> None:
    with mock_modelreg(enforce="off") as reg, warnings.catch_warnings():
        warnings.simplefilter("error")
        reg.client("sagemaker").list_model_package_groups()
        assert reg.calls[0].authorizations == () and reg.denied == []


def test_unrestricted_block_authorizes_everything(modelreg: ModelRegistryHandle) -> None:
    with modelreg.unrestricted():
        boto3.client("sagemaker").list_model_package_groups()
    assert modelreg.calls[-1].unrestricted and modelreg.denied == []
    with pytest.raises(ClientError):
        boto3.client("sagemaker").list_model_package_groups()


def test_admin_is_never_denied(modelreg: ModelRegistryHandle) -> None:
    modelreg.admin_client("sagemaker").list_model_package_groups()
    modelreg.admin_session().client("s3").create_bucket(Bucket="anything")
    assert modelreg.denied == []


def test_principal_in_another_account(modelreg: ModelRegistryHandle) -> None:
    other = modelreg.principal("partner", policies=ALLOW_ALL, account_id="999988887777")
    assert other.arn == "arn:aws:sts::999988887777:assumed-role/partner/pytest-modelreg"
    arn = other.client("sagemaker").create_model_package_group(ModelPackageGroupName="theirs")[
        "ModelPackageGroupArn"
    ]
    assert ":999988887777:" in arn
    assert other.client("sts").get_caller_identity()["Arn"] == other.arn


def test_user_principal_and_permissions_boundary(modelreg: ModelRegistryHandle) -> None:
    bounded = modelreg.principal(
        "alice",
        policies=ALLOW_ALL,
        kind="user",
        permissions_boundary=statement("Allow", "sagemaker:Describe*"),
    )
    assert bounded.arn == f"arn:aws:iam::{ACCOUNT}:user/alice"
    with pytest.raises(ClientError) as denied:
        bounded.client("sagemaker").create_model_package_group(ModelPackageGroupName="g")
    assert denied.value.response["Error"]["Message"].endswith(
        "because no permissions boundary allows the sagemaker:CreateModelPackageGroup action"
    )


def test_credentials_minted_by_iam_resolve_to_the_user(modelreg: ModelRegistryHandle) -> None:
    iam = modelreg.admin_client("iam")
    iam.create_user(UserName="ci-bot")
    iam.put_user_policy(
        UserName="ci-bot",
        PolicyName="read",
        PolicyDocument=json.dumps(statement("Allow", "sagemaker:List*")),
    )
    key = iam.create_access_key(UserName="ci-bot")["AccessKey"]
    bot = boto3.client(
        "sagemaker",
        aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=key["SecretAccessKey"],
    )
    assert bot.list_model_package_groups()["ModelPackageGroupSummaryList"] == []
    assert modelreg.calls[-1].principal_arn == f"arn:aws:iam::{ACCOUNT}:user/ci-bot"
    with pytest.raises(ClientError) as denied:
        bot.create_model_package_group(ModelPackageGroupName="g")
    assert denied.value.response["Error"]["Message"].startswith(
        f"User: arn:aws:iam::{ACCOUNT}:user/ci-bot "
    )
    # Policies are read at call time: a policy added now applies to the next call.
    iam.put_user_policy(
        UserName="ci-bot",
        PolicyName="write",
        PolicyDocument=json.dumps(statement("Allow", "sagemaker:Create*")),
    )
    bot.create_model_package_group(ModelPackageGroupName="g")


def test_credentials_minted_by_assume_role_resolve_to_the_role(
    modelreg: ModelRegistryHandle,
) -> None:
    iam = modelreg.admin_client("iam")
    trust = statement("Allow", "sts:AssumeRole")
    trust["Statement"][0].pop("Resource")
    trust["Statement"][0]["Principal"] = {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}
    role = iam.create_role(RoleName="deployer", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    iam.put_role_policy(
        RoleName="deployer",
        PolicyName="p",
        PolicyDocument=json.dumps(statement("Allow", "sagemaker:ListModelPackageGroups")),
    )
    caller = modelreg.principal(
        "assumer", policies=statement("Allow", "sts:AssumeRole", role["Arn"])
    )
    creds = caller.client("sts").assume_role(RoleArn=role["Arn"], RoleSessionName="deploy-1")[
        "Credentials"
    ]
    session = boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    session.client("sagemaker").list_model_package_groups()
    assert (
        modelreg.calls[-1].principal_arn == f"arn:aws:sts::{ACCOUNT}:assumed-role/deployer/deploy-1"
    )
    with pytest.raises(ClientError):
        session.client("sagemaker").create_model_package_group(ModelPackageGroupName="g")


def test_create_model_package_is_authorized_on_the_new_versions_arn(
    modelreg: ModelRegistryHandle,
) -> None:
    # The version ARN comes from the registry's state (version ARNs are model-package/<group>/<n>: botocore service model, sagemaker ModelPackageArn).
    sm = modelreg.client("sagemaker")
    sm.create_model_package_group(ModelPackageGroupName="g")
    spec = {
        "Containers": [{"Image": "1.dkr.ecr.us-east-1.amazonaws.com/i:1"}],
        "SupportedContentTypes": ["text/csv"],
        "SupportedResponseMIMETypes": ["text/csv"],
    }
    for expected in (1, 2):
        arn = sm.create_model_package(ModelPackageGroupName="g", InferenceSpecification=spec)[
            "ModelPackageArn"
        ]
        assert arn.endswith(f"/g/{expected}")
        assert [a.resource for a in modelreg.calls[-1].authorizations] == [arn]


def test_str_enum_parameters_are_stored_as_the_plain_strings_aws_receives(
    modelreg: ModelRegistryHandle,
) -> None:
    import enum

    class Status(str, enum.Enum):  # as the SageMaker SDK's ModelApprovalStatusEnum
        APPROVED = "Approved"

    sm = modelreg.client("sagemaker")
    sm.create_model_package_group(ModelPackageGroupName="g")
    arn = sm.create_model_package(
        ModelPackageGroupName="g",
        ModelApprovalStatus=Status.APPROVED,
        InferenceSpecification={
            "Containers": [{"Image": "1.dkr.ecr.us-east-1.amazonaws.com/i:1"}],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
        },
    )["ModelPackageArn"]
    status = sm.describe_model_package(ModelPackageName=arn)["ModelApprovalStatus"]
    assert type(status) is str and status == "Approved"


def test_answered_calls_carry_a_unique_uuid_shaped_request_id() -> None:
    # AWS returns a request id (UUID text) in the x-amzn-requestid header and ResponseMetadata.
    import re

    with mock_modelreg(enforce="off") as reg:
        sm = reg.client("sagemaker")
        metadata = [sm.list_model_package_groups()["ResponseMetadata"] for _ in range(3)]
        with pytest.raises(ClientError) as error:
            sm.describe_model_package_group(ModelPackageGroupName="missing")
    metadata.append(error.value.response["ResponseMetadata"])
    ids = [m["RequestId"] for m in metadata]
    assert len(set(ids)) == len(ids)
    for m in metadata:
        assert re.fullmatch(
            r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", m["RequestId"]
        )
        assert m["HTTPHeaders"]["x-amzn-requestid"] == m["RequestId"]

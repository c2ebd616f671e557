"""A denial of a request SageMaker made as the execution role, explained from the role's side: the
role (not its session), the action, the resource, the reason, and the statement to add and where.

Every test makes SageMaker's request fail one way, then compares ``explain_call`` of the denied
record (the text of the report section, ``explain.py``) with the whole expected text.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from pytest_modelreg import ModelRegistryHandle
from pytest_modelreg.explain import explain_call, explain_calls
from pytest_modelreg.records import CallRecord

from ..conftest import ALLOW_ALL
from .conftest import BUCKET, ROLE, World, allow, arrange, trust

pytestmark = pytest.mark.modelreg(policy=ALLOW_ALL)

ROLE_ARN = f"arn:aws:iam::123456789012:role/{ROLE}"
SESSION = f"arn:aws:sts::123456789012:assumed-role/{ROLE}/SageMaker"
OBJECT = f"arn:aws:s3:::{BUCKET}/churn/model.tar.gz"
IDENTITY_NEXT = (
    "  next: add this statement to an identity-based policy of the role (PutRolePolicy, or "
    "AttachRolePolicy of a managed policy holding it):"
)
# "Cross-service confused deputy prevention" (Amazon SageMaker AI Developer Guide): the trust
# statement offered keeps the aws:SourceAccount guard, pinned to the account SageMaker acted for.
TRUST_STATEMENT = [
    "    {",
    '      "Effect": "Allow",',
    '      "Principal": {',
    '        "Service": "sagemaker.amazonaws.com"',
    "      },",
    '      "Action": "sts:AssumeRole",',
    '      "Condition": {',
    '        "StringEquals": {',
    '          "aws:SourceAccount": "123456789012"',
    "        }",
    "      }",
    "    }",
]


def _statement(**statement: Any) -> list[str]:
    return ["  " * 2 + line for line in json.dumps(statement, indent=2).splitlines()]


def _only_denial(reg: ModelRegistryHandle) -> CallRecord:
    (denied,) = reg.denied
    assert denied.via == "sagemaker.amazonaws.com"
    return denied


def _refused(call: Any) -> None:
    with pytest.raises(ClientError, match="ValidationException"):
        call()


def test_a_role_that_does_not_trust_sagemaker(modelreg: ModelRegistryHandle) -> None:
    world = arrange(modelreg, trust("ec2.amazonaws.com"))
    _refused(world.create_model)
    assert explain_call(_only_denial(modelreg)).splitlines() == [
        f"the execution role {ROLE_ARN} may not be assumed by sagemaker.amazonaws.com because "
        "its trust policy does not allow sagemaker.amazonaws.com to sts:AssumeRole",
        "  sagemaker.amazonaws.com asked for sts.AssumeRole of the role",
        "  decision:  implicitDeny",
        "  statements that allow sts:AssumeRole but did not apply:",
        f"    the trust policy of {ROLE_ARN}, statement 0",
        '      Principal does not name the caller: {"Service": "ec2.amazonaws.com"}',
        "  next: add this statement to the role's trust policy (UpdateAssumeRolePolicy):",
        *TRUST_STATEMENT,
    ]


def test_a_trust_condition_that_fails(modelreg: ModelRegistryHandle) -> None:
    world = arrange(modelreg, trust(StringEquals={"aws:SourceAccount": "111122223333"}))
    _refused(world.create_model)
    lines = explain_call(_only_denial(modelreg)).splitlines()
    assert lines[4:7] == [
        f"    the trust policy of {ROLE_ARN}, statement 0",
        '      condition StringEquals aws:SourceAccount ["111122223333"] failed: the request '
        'has ["123456789012"]',
        "  next: add this statement to the role's trust policy (UpdateAssumeRolePolicy):",
    ]


def test_a_role_that_does_not_exist(world: World) -> None:
    missing = "arn:aws:iam::123456789012:role/NoSuchRole"
    sm = world.reg.client("sagemaker")
    container = {"Image": world.image, "ModelDataUrl": world.model_data}
    _refused(
        lambda: sm.create_model(ModelName="m", ExecutionRoleArn=missing, PrimaryContainer=container)
    )
    assert explain_call(_only_denial(world.reg)).splitlines() == [
        f"the execution role {missing} may not be assumed by sagemaker.amazonaws.com because "
        "the role does not exist (the simulation holds no role of that name)",
        "  sagemaker.amazonaws.com asked for sts.AssumeRole of the role",
        "  decision:  implicitDeny",
        "  no statement of the role's policies names sts:AssumeRole",
        "  next: add this statement to the trust policy of a role of that name (CreateRole's "
        "AssumeRolePolicyDocument):",
        *TRUST_STATEMENT,
    ]


def test_no_s3_get_object(world: World) -> None:
    _refused(world.create_model)
    assert explain_call(_only_denial(world.reg)).splitlines() == [
        f"the execution role {ROLE_ARN} may not s3:GetObject on {OBJECT} because no "
        "identity-based policy of the role allows it",
        f"  sagemaker.amazonaws.com made s3.GetObject as the role (session {SESSION})",
        "  decision:  implicitDeny",
        "  no statement of the role's policies names s3:GetObject",
        IDENTITY_NEXT,
        *_statement(Effect="Allow", Action="s3:GetObject", Resource=OBJECT),
    ]


def test_a_bucket_policy_that_denies_the_role(world: World) -> None:
    world.grant(world.smallest())
    deny = {
        "Sid": "NoExecutionRoles",
        "Effect": "Deny",
        "Principal": {"AWS": world.role_arn},
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{BUCKET}/*",
    }
    policy = json.dumps({"Version": "2012-10-17", "Statement": [deny]})
    world.reg.admin_client("s3").put_bucket_policy(Bucket=BUCKET, Policy=policy)
    _refused(world.create_model)
    where = f'the bucket policy of {BUCKET}, statement 0 (Sid "NoExecutionRoles")'
    assert explain_call(_only_denial(world.reg)).splitlines() == [
        f"the execution role {ROLE_ARN} may not s3:GetObject on {OBJECT} because an explicit "
        f"Deny applies: {where}",
        f"  sagemaker.amazonaws.com made s3.GetObject as the role (session {SESSION})",
        "  decision:  explicitDeny",
        f"    denied by {where}",
        "  next: remove that Deny or narrow its Action, Resource or Condition",
    ]


def _sse_kms_model(world: World, key_policy: dict[str, Any] | None = None) -> str:
    """An SSE-KMS artifact under a new key; CreateModel of it is refused. The key's ARN."""
    key, url = world.kms_object(key_policy)
    _refused(lambda: world.create_model(Image=world.image, ModelDataUrl=url))
    return key


def test_no_kms_decrypt_in_the_roles_policy(world: World) -> None:
    world.grant(allow(("s3:GetObject", "*")))
    key = _sse_kms_model(world)
    # The default key policy delegates to IAM ("Default key policy", AWS KMS Developer Guide).
    assert explain_call(_only_denial(world.reg)).splitlines() == [
        f"the execution role {ROLE_ARN} may not kms:Decrypt on {key} because no "
        "identity-based policy of the role allows it",
        f"  sagemaker.amazonaws.com made kms.Decrypt as the role (session {SESSION})",
        "  decision:  implicitDeny",
        f'  allowed by the key policy of {key}, statement 0 (Sid "Enable IAM User '
        'Permissions"); the identity-based policy must allow it too',
        IDENTITY_NEXT,
        *_statement(Effect="Allow", Action="kms:Decrypt", Resource=key),
    ]


def test_a_key_policy_that_does_not_allow_the_role(world: World) -> None:
    world.grant(allow(("s3:GetObject", "*"), ("kms:Decrypt", "*")))
    users_only = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                "Action": "kms:*",
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:PrincipalType": "User"}},
            }
        ],
    }
    key = _sse_kms_model(world, users_only)
    # "Key policies in AWS KMS": unless the key policy allows it, IAM policies cannot.
    assert explain_call(_only_denial(world.reg)).splitlines() == [
        f"the execution role {ROLE_ARN} may not kms:Decrypt on {key} because the key policy of "
        f"{key} does not allow the role",
        f"  sagemaker.amazonaws.com made kms.Decrypt as the role (session {SESSION})",
        "  decision:  implicitDeny",
        "  statements that allow kms:Decrypt but did not apply:",
        f"    the key policy of {key}, statement 0",
        '      condition StringEquals aws:PrincipalType ["User"] failed: the request has '
        '["AssumedRole"]',
        f"  allowed by {ROLE_ARN}/inline/deploy statement 1; the key policy of {key} must "
        "allow it too",
        f"  next: add this statement to the key policy of {key}:",
        *_statement(
            Effect="Allow", Principal={"AWS": ROLE_ARN}, Action="kms:Decrypt", Resource="*"
        ),
    ]


def test_no_ecr_batch_get_image(world: World) -> None:
    world.grant(allow(("s3:GetObject", "*"), ("ecr:GetAuthorizationToken", "*")))
    world.create_model()
    assert world.deploy()["EndpointStatus"] == "Failed"
    assert explain_call(_only_denial(world.reg)).splitlines() == [
        f"the execution role {ROLE_ARN} may not ecr:BatchGetImage on {world.repository_arn} "
        "because no identity-based policy of the role allows it",
        f"  sagemaker.amazonaws.com made ecr.BatchGetImage as the role (session {SESSION})",
        "  decision:  implicitDeny",
        "  no statement of the role's policies names ecr:BatchGetImage",
        IDENTITY_NEXT,
        *_statement(Effect="Allow", Action="ecr:BatchGetImage", Resource=world.repository_arn),
    ]


def test_a_missing_object_is_not_a_denial(world: World) -> None:
    # With s3:ListBucket S3 answers a missing key with 404 (GetObject, botocore's s3 model):
    # SageMaker says the data is missing, and IAM denied nothing.
    world.grant(allow(("s3:GetObject", "*"), ("s3:ListBucket", f"arn:aws:s3:::{BUCKET}")))
    url = f"s3://{BUCKET}/churn/missing.tar.gz"
    with pytest.raises(ClientError, match="Could not find model data"):
        world.create_model(Image=world.image, ModelDataUrl=url)
    assert world.reg.denied == []
    assert explain_calls(world.reg.denied) == ""


def test_the_caller_view_is_kept_without_via(world: World) -> None:
    # The same record told without ``via`` is the simulator-style text of any caller's denial.
    _refused(world.create_model)
    denied = _only_denial(world.reg)
    lines = explain_call(denied._replace(via=None)).splitlines()
    assert lines[:2] == ["s3.GetObject was denied", f"  principal: {SESSION}"]

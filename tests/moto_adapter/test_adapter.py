"""The moto adapter (pytest_modelreg.simulation.moto) against the installed moto.

The first test pins the installed moto to the range the adapter declares; every other test runs
one adapter function against a live moto holding real resources, so that a moto release that moves
the internals the adapter reads fails here, naming the function, rather than in a user's suite.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from pytest_modelreg import ModelRegistryHandle, mock_modelreg
from pytest_modelreg.simulation import moto

ACCOUNT = "123456789012"
REGION = "us-east-1"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def allow(action: str, resource: str = "*") -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}],
        }
    )


@pytest.fixture
def reg() -> Iterator[ModelRegistryHandle]:
    with mock_modelreg(enforce="off") as handle:
        yield handle


def test_the_installed_moto_is_one_the_adapter_supports() -> None:
    version = moto.installed_version()
    assert moto.supports(version), (
        f"moto {version} is outside the adapter's SUPPORTED_MOTO {moto.SUPPORTED_MOTO}: review "
        "pytest_modelreg/simulation/moto against this release, then widen the range"
    )


@pytest.mark.parametrize(
    ("version", "supported"),
    [
        ("5.2.1", False),  # no moto.core.resource_tagging yet
        ("5.2.2", True),
        ("5.2.5", True),
        ("5.2.10.post1", True),
        ("5.3.0rc1", False),
        ("5.3.0", False),
        ("6.0.0", False),
    ],
)
def test_supported_range_bounds(version: str, supported: bool) -> None:
    assert moto.supports(version) is supported


# --- resources ----------------------------------------------------------------------------------


def test_tags_of_every_moto_resource_kind(reg: ModelRegistryHandle) -> None:
    s3 = reg.admin_client("s3")
    s3.create_bucket(Bucket="tagged")
    s3.put_bucket_tagging(Bucket="tagged", Tagging={"TagSet": [{"Key": "team", "Value": "ml"}]})
    s3.put_object(Bucket="tagged", Key="m/model.tar.gz", Body=b"x", Tagging="secret=true")
    s3.put_object(Bucket="tagged", Key="plain", Body=b"x")
    key = reg.admin_client("kms").create_key(Tags=[{"TagKey": "k", "TagValue": "v"}])["KeyMetadata"]
    repo = reg.admin_client("ecr").create_repository(
        repositoryName="ns/img", tags=[{"Key": "r", "Value": "1"}]
    )["repository"]
    iam = reg.admin_client("iam")
    role = iam.create_role(
        RoleName="tagged",
        AssumeRolePolicyDocument=json.dumps(TRUST),
        Tags=[{"Key": "a", "Value": "b"}],
    )["Role"]
    user = iam.create_user(UserName="u", Tags=[{"Key": "u", "Value": "1"}])["User"]
    sm = reg.admin_client("sagemaker")
    model = sm.create_model(
        ModelName="m",
        ExecutionRoleArn=role["Arn"],
        PrimaryContainer={"Image": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/ns/img:1"},
        Tags=[{"Key": "s", "Value": "2"}],
    )["ModelArn"]

    assert moto.tags_of("arn:aws:s3:::tagged") == {"team": "ml"}
    assert moto.tags_of("arn:aws:s3:::tagged/m/model.tar.gz") == {"secret": "true"}
    assert moto.tags_of("arn:aws:s3:::tagged/plain") == {}
    assert moto.tags_of(key["Arn"]) == {"k": "v"}
    assert moto.tags_of(repo["repositoryArn"]) == {"r": "1"}
    assert moto.tags_of(role["Arn"]) == {"a": "b"}
    assert moto.tags_of(user["Arn"]) == {"u": "1"}
    assert moto.tags_of(model) == {"s": "2"}
    # Absent resources are None, not {}: callers tell "no tags" from "no such resource".
    for absent in (
        "arn:aws:s3:::missing",
        "arn:aws:s3:::tagged/missing",
        f"arn:aws:kms:{REGION}:{ACCOUNT}:key/00000000-0000-0000-0000-000000000000",
        f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/missing",
        f"arn:aws:iam::{ACCOUNT}:role/missing",
        f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model/missing",
        f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package/g/1",  # a type moto cannot tag
        "not an arn",
    ):
        assert moto.tags_of(absent) is None, absent


def test_reads_create_no_moto_state(reg: ModelRegistryHandle) -> None:
    reg.admin_client("s3").list_buckets()  # moto runs
    from moto.iam.models import iam_backends
    from moto.kms.models import kms_backends

    assert moto.tags_of("arn:aws:iam::999988887777:role/r") is None
    assert moto.kms_key_arn("999988887777", REGION, "alias/x") is None
    assert moto.resource_policy(f"arn:aws:kms:{REGION}:999988887777:key/k") is None
    assert "999988887777" not in dict.keys(iam_backends)
    assert "999988887777" not in dict.keys(kms_backends)


def test_resource_policies(reg: ModelRegistryHandle) -> None:
    s3 = reg.admin_client("s3")
    s3.create_bucket(Bucket="with-policy")
    bucket_policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": "arn:aws:s3:::with-policy/*",
            }
        ],
    }
    s3.put_bucket_policy(Bucket="with-policy", Policy=json.dumps(bucket_policy))
    kms = reg.admin_client("kms")
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    key_policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "kms:*",
                "Resource": "*",
            }
        ],
    }
    kms.put_key_policy(KeyId=key_id, PolicyName="default", Policy=json.dumps(key_policy))
    ecr = reg.admin_client("ecr")
    repo = ecr.create_repository(repositoryName="img")["repository"]
    repo_policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "pull",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "ecr:BatchGetImage",
            }
        ],
    }
    ecr.set_repository_policy(repositoryName="img", policyText=json.dumps(repo_policy))
    ecr.create_repository(repositoryName="open")
    iam = reg.admin_client("iam")
    role = iam.create_role(RoleName="r", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]

    def policy(arn: str) -> object:
        text = moto.resource_policy(arn)
        return None if text is None else json.loads(text)

    assert policy("arn:aws:s3:::with-policy") == bucket_policy
    assert (
        policy("arn:aws:s3:::with-policy/any/key") == bucket_policy
    )  # objects: the bucket's policy
    assert policy(f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{key_id}") == key_policy
    assert policy(repo["repositoryArn"]) == repo_policy
    assert policy(role["Arn"]) == TRUST
    assert policy(f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/open") is None
    s3.create_bucket(Bucket="nopolicy")
    assert policy("arn:aws:s3:::nopolicy") is None
    assert policy(f"arn:aws:iam::{ACCOUNT}:role/missing") is None
    assert policy(f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model/m") is None  # no such policy kind
    sns = reg.admin_client("sns")
    topic = sns.create_topic(Name="t", Attributes={"KmsMasterKeyId": key_id})["TopicArn"]
    default = policy(topic)  # a new topic's default policy: the owner account's principals
    assert isinstance(default, dict)
    assert default["Statement"][0]["Condition"] == {"StringEquals": {"AWS:SourceOwner": ACCOUNT}}
    assert moto.encryption_key(topic) == key_id
    sqs = reg.admin_client("sqs")
    sqs.create_queue(QueueName="q", Attributes={"KmsMasterKeyId": "alias/aws/sqs"})
    assert moto.encryption_key(f"arn:aws:sqs:{REGION}:{ACCOUNT}:q") == "alias/aws/sqs"
    sqs.create_queue(QueueName="plain")
    assert moto.encryption_key(f"arn:aws:sqs:{REGION}:{ACCOUNT}:plain") is None
    assert moto.encryption_key(f"arn:aws:sns:{REGION}:{ACCOUNT}:missing") is None


def test_owners_roles_and_keys(reg: ModelRegistryHandle) -> None:
    other = "210987654321"
    reg.principal("other", policies=[], account_id=other)
    reg.admin_client("s3").create_bucket(Bucket="mine")
    iam = reg.admin_client("iam")
    role = iam.create_role(
        RoleName="deploy", Path="/team/", AssumeRolePolicyDocument=json.dumps(TRUST)
    )["Role"]
    kms = reg.admin_client("kms")
    key = kms.create_key()["KeyMetadata"]
    kms.create_alias(AliasName="alias/models", TargetKeyId=key["KeyId"])

    assert moto.bucket_owner("mine") == ACCOUNT
    assert moto.bucket_owner("nobody") is None
    assert (
        moto.role_arn(ACCOUNT, "deploy")
        == role["Arn"]
        == f"arn:aws:iam::{ACCOUNT}:role/team/deploy"
    )
    assert moto.role_arn(ACCOUNT, "missing") is None
    assert moto.role_arn(other, "deploy") is None
    alias_arn = f"arn:aws:kms:{REGION}:{ACCOUNT}:alias/models"
    for given in (key["KeyId"], key["Arn"], "alias/models", alias_arn):
        assert moto.kms_key_arn(ACCOUNT, REGION, given) == key["Arn"], given
    assert moto.kms_key_arn(ACCOUNT, REGION, "alias/none") is None
    assert moto.kms_key_arn(ACCOUNT, REGION, "00000000-0000-0000-0000-000000000000") is None
    # A key ARN names its own account: the caller's account does not matter.
    assert moto.kms_key_arn(other, REGION, key["Arn"]) == key["Arn"]


def test_tagging_api_inventory_and_tag_changes(reg: ModelRegistryHandle) -> None:
    s3 = reg.admin_client("s3")
    s3.create_bucket(Bucket="inv")
    arn = "arn:aws:s3:::inv"

    found = {r.arn: r for r in moto.tagged_resources(ACCOUNT, REGION)}
    assert found[arn].tagging_type == "s3:bucket"
    assert found[arn].tags == {}

    assert moto.change_tags(arn, ACCOUNT, REGION, add={"a": "1", "b": "2"}) is True
    assert moto.tags_of(arn) == {"a": "1", "b": "2"}
    assert moto.change_tags(arn, ACCOUNT, REGION, remove=["a"]) is True
    assert moto.tags_of(arn) == {"b": "2"}
    assert {r.arn: r.tags for r in moto.tagged_resources(ACCOUNT, REGION)}[arn] == {"b": "2"}
    assert moto.change_tags("arn:aws:s3:::absent", ACCOUNT, REGION, add={"a": "1"}) is False
    assert moto.change_tags("not an arn", ACCOUNT, REGION, add={"a": "1"}) is False


@pytest.mark.parametrize(
    ("arn", "taggable"),
    [
        (f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model/m", True),
        (f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:endpoint-config/c", True),
        (f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package/g/1", False),
        (f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model/a/b", False),
        (f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model", False),
        ("model/m", False),
    ],
)
def test_sagemaker_taggable_mirrors_motos_arn_parser(arn: str, taggable: bool) -> None:
    assert moto.sagemaker_taggable(arn) is taggable


# --- IAM identities behind access keys ---------------------------------------------------------


def test_access_key_of_a_user_with_group_and_managed_policies(
    reg: ModelRegistryHandle,
) -> None:
    iam = reg.admin_client("iam")
    iam.create_user(UserName="bot", Tags=[{"Key": "team", "Value": "ml"}])
    iam.put_user_policy(UserName="bot", PolicyName="inline", PolicyDocument=allow("s3:GetObject"))
    managed = iam.create_policy(PolicyName="list", PolicyDocument=allow("s3:ListBucket"))["Policy"]
    iam.create_policy_version(
        PolicyArn=managed["Arn"], PolicyDocument=allow("s3:ListAllMyBuckets"), SetAsDefault=True
    )
    iam.attach_user_policy(UserName="bot", PolicyArn=managed["Arn"])
    iam.create_group(GroupName="readers")
    iam.put_group_policy(GroupName="readers", PolicyName="g", PolicyDocument=allow("kms:Decrypt"))
    iam.add_user_to_group(GroupName="readers", UserName="bot")
    key = iam.create_access_key(UserName="bot")["AccessKey"]["AccessKeyId"]

    owner = moto.access_key_owner(key)
    assert isinstance(owner, moto.UserKey)
    assert owner.account_id == ACCOUNT
    assert owner.user.arn == f"arn:aws:iam::{ACCOUNT}:user/bot"
    assert owner.user.unique_id == iam.get_user(UserName="bot")["User"]["UserId"]
    assert owner.user.tags == {"team": "ml"}
    assert {n: json.loads(d) for n, d in owner.user.inline_policies.items()} == {
        "inline": json.loads(allow("s3:GetObject"))
    }
    assert owner.user.attached_policies == (managed["Arn"],)
    assert owner.user.permissions_boundary is None  # moto has no user permissions boundaries
    assert [g.name for g in owner.groups] == ["readers"]
    assert json.loads(owner.groups[0].inline_policies["g"]) == json.loads(allow("kms:Decrypt"))
    document = moto.managed_policy_document(ACCOUNT, managed["Arn"])
    assert document is not None and json.loads(document) == json.loads(allow("s3:ListAllMyBuckets"))
    assert moto.managed_policy_document(ACCOUNT, "arn:aws:iam::aws:policy/ReadOnlyAccess") is None

    iam.delete_access_key(UserName="bot", AccessKeyId=key)
    assert moto.access_key_owner(key) is None
    assert moto.access_key_owner("AKIAUNKNOWN000000000") is None


def test_access_key_of_a_role_session_with_boundary_and_session_policy(
    reg: ModelRegistryHandle,
) -> None:
    iam = reg.admin_client("iam")
    boundary = iam.create_policy(PolicyName="b", PolicyDocument=allow("sagemaker:*"))["Policy"]
    role = iam.create_role(
        RoleName="deployer",
        AssumeRolePolicyDocument=json.dumps(TRUST),
        Tags=[{"Key": "stage", "Value": "prod"}],
        PermissionsBoundary=boundary["Arn"],
    )["Role"]
    iam.put_role_policy(RoleName="deployer", PolicyName="p", PolicyDocument=allow("sagemaker:*"))
    creds = reg.admin_client("sts").assume_role(
        RoleArn=role["Arn"], RoleSessionName="deploy-1", Policy=allow("sagemaker:List*")
    )["Credentials"]

    owner = moto.access_key_owner(creds["AccessKeyId"])
    assert isinstance(owner, moto.RoleSessionKey)
    assert (owner.account_id, owner.role_arn, owner.session_name) == (
        ACCOUNT,
        role["Arn"],
        "deploy-1",
    )
    assert owner.session_policy is not None
    assert json.loads(owner.session_policy) == json.loads(allow("sagemaker:List*"))
    assert owner.role is not None
    assert owner.role.unique_id == role["RoleId"]
    assert owner.role.tags == {"stage": "prod"}
    assert list(owner.role.inline_policies) == ["p"]
    assert owner.role.permissions_boundary == boundary["Arn"]
    assert owner.role.attached_policies == ()


def test_aws_managed_policies_come_from_motos_bundle() -> None:
    policies = moto.aws_managed_policies()
    assert policies["ReadOnlyAccess"]["DefaultVersionId"].startswith("v")
    assert policies["ReadOnlyAccess"]["Document"]["Statement"]


# --- start, serve, stop ------------------------------------------------------------------------


def test_backend_starts_once_serves_and_stops() -> None:
    from moto.core.models import MockAWS, botocore_stubber

    backend = moto.MotoBackend()
    assert not backend.started
    backend.ensure_started()
    backend.ensure_started()
    try:
        assert backend.started
        assert MockAWS._nested_count == 1
        assert botocore_stubber.enabled is False  # our before-send handler serves instead
    finally:
        backend.stop()
    assert not backend.started
    assert MockAWS._nested_count == 0
    backend.stop()  # idempotent


def test_moto_methods_are_replaced_while_any_backend_runs() -> None:
    from moto.s3.models import FakeBucket
    from moto.sns.models import Subscription

    own = (FakeBucket.__dict__["get_permission"], Subscription.__dict__["publish"])

    def replaced() -> tuple[bool, bool]:
        return (
            FakeBucket.__dict__["get_permission"] is not own[0],
            Subscription.__dict__["publish"] is not own[1],
        )

    outer = moto.MotoBackend(sqs_subscription_judge=lambda topic, queue: None)
    inner = moto.MotoBackend(sqs_subscription_judge=lambda topic, queue: None)
    outer.ensure_started()
    inner.ensure_started()
    try:
        assert replaced() == (True, True)
        inner.stop()
        assert replaced() == (True, True)  # the outer backend still runs
    finally:
        outer.stop()
    assert replaced() == (False, False)


def test_a_nested_start_sets_the_outer_state_aside_and_gives_it_back() -> None:
    import boto3
    from moto import mock_aws

    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket="outer")
        inner = moto.MotoBackend()
        inner.ensure_started()
        try:
            assert moto.bucket_owner("outer") is None  # the inner backend starts empty
        finally:
            inner.stop()
        assert moto.bucket_owner("outer") == ACCOUNT
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["outer"]

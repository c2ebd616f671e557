"""Call by call through boto3: the allows and denies a registry user meets on the register /
approve / deploy / collections path, under the AWS managed policy
AmazonSageMakerModelRegistryFullAccess (AWS Managed Policy Reference) and
under custom policies that scope resources, add explicit denies, require tags or omit PassRole.

Each check also asserts WHICH (action, resource) was denied, so a wrong mapping fails here even
when the decision happens to match.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from pytest_modelreg.policies import MODEL_REGISTRY_FULL_ACCESS

TRUST_SAGEMAKER = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "sagemaker.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)
PULL_IMAGE = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                "Resource": "arn:aws:ecr:us-east-1:123456789012:repository/model",
            },
            {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
        ],
    }
)
INFERENCE = {
    "Containers": [{"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/model:1"}],
    "SupportedContentTypes": ["text/csv"],
    "SupportedResponseMIMETypes": ["text/csv"],
}
COLLECTION_QUERY = {
    "Type": "TAG_FILTERS_1_0",
    "Query": json.dumps(
        {
            "ResourceTypeFilters": [
                "AWS::SageMaker::ModelPackageGroup",
                "AWS::ResourceGroups::Group",
            ],
            "TagFilters": [{"Key": "sagemaker:collection-path:1", "Values": ["top"]}],
        }
    ),
}


def outcome(reg: Any, call: Callable[[], Any]) -> tuple[str, list[tuple[str, str]]]:
    """('allowed' | the error code, the (action, resource) pairs denied)."""
    before = len(reg.calls)
    try:
        call()
    except ClientError as exc:
        code = exc.response["Error"]["Code"]
        record = _last_own(reg, before)
        denied = (
            [(a.action, a.resource) for a in record.authorizations if not a.allowed]
            if record is not None
            else []
        )
        return code, denied
    return "allowed", []


def _last_own(reg: Any, since: int = 0) -> Any:
    """The test's last call since ``since`` (SageMaker's requests as the execution role come
    after it, marked with the service in ``via``)."""
    own = [c for c in reg.calls[since:] if c.via is None]
    return own[-1] if own else None


@pytest.fixture
def world(modelreg: Any) -> dict[str, str]:
    """A group with one version, an execution role, a SageMaker bucket with an object."""
    admin_sm = modelreg.admin_client("sagemaker")
    admin_sm.create_model_package_group(ModelPackageGroupName="grp")
    pkg = admin_sm.create_model_package(
        ModelPackageGroupName="grp", InferenceSpecification=INFERENCE
    )["ModelPackageArn"]
    iam = modelreg.admin_client("iam")
    role = iam.create_role(
        RoleName="exec", Path="/service-role/", AssumeRolePolicyDocument=TRUST_SAGEMAKER
    )["Role"]["Arn"]
    # What SageMaker needs the role for: pull the version's image (its ECR account holds no
    # repository here, so the image is taken to exist).
    iam.put_role_policy(RoleName="exec", PolicyName="pull", PolicyDocument=PULL_IMAGE)
    s3 = modelreg.admin_client("s3")
    s3.create_bucket(Bucket="sagemaker-us-east-1-models")
    s3.put_object(Bucket="sagemaker-us-east-1-models", Key="m/model.tar.gz", Body=b"x")
    s3.create_bucket(Bucket="other-bucket")
    s3.put_object(Bucket="other-bucket", Key="k", Body=b"x")
    return {"pkg": pkg, "role": role}


def test_register_and_approve_under_the_managed_policy(
    modelreg: Any, world: dict[str, str]
) -> None:
    sm = modelreg.client("sagemaker")
    acct, region = modelreg.account_id, modelreg.region
    group_arn = f"arn:aws:sagemaker:{region}:{acct}:model-package-group/g2"
    steps: list[tuple[str, Callable[[], Any], tuple[str, list[tuple[str, str]]]]] = [
        (
            "create group (tag-on-create needs AddTags: allowed)",
            lambda: sm.create_model_package_group(
                ModelPackageGroupName="g2", Tags=[{"Key": "team", "Value": "a"}]
            ),
            ("allowed", []),
        ),
        (
            "describe group",
            lambda: sm.describe_model_package_group(ModelPackageGroupName="g2"),
            ("allowed", []),
        ),
        (
            "register a version",
            lambda: sm.create_model_package(
                ModelPackageGroupName="g2",
                InferenceSpecification=INFERENCE,
                ModelApprovalStatus="PendingManualApproval",
            ),
            ("allowed", []),
        ),
        (
            "list versions",
            lambda: sm.list_model_packages(ModelPackageGroupName="g2"),
            ("allowed", []),
        ),
        (
            "describe a version",
            lambda: sm.describe_model_package(ModelPackageName=world["pkg"]),
            ("allowed", []),
        ),
        (
            "approve",
            lambda: sm.update_model_package(
                ModelPackageArn=world["pkg"], ModelApprovalStatus="Approved"
            ),
            ("allowed", []),
        ),
        ("search", lambda: sm.search(Resource="ModelPackage"), ("allowed", [])),
        (
            "add tags",
            lambda: sm.add_tags(ResourceArn=group_arn, Tags=[{"Key": "k", "Value": "v"}]),
            ("allowed", []),
        ),
        (
            "delete tags",
            lambda: sm.delete_tags(ResourceArn=group_arn, TagKeys=["k"]),
            ("allowed", []),
        ),
        # The managed policy does not list these actions.
        (
            "list groups",
            lambda: sm.list_model_package_groups(),
            (
                "AccessDeniedException",
                [
                    (
                        "sagemaker:ListModelPackageGroups",
                        f"arn:aws:sagemaker:{region}:{acct}:model-package-group/*",
                    )
                ],
            ),
        ),
        (
            "batch describe",
            lambda: sm.batch_describe_model_package(ModelPackageArnList=[world["pkg"]]),
            ("AccessDeniedException", [("sagemaker:BatchDescribeModelPackage", world["pkg"])]),
        ),
        (
            "list tags",
            lambda: sm.list_tags(ResourceArn=group_arn),
            ("AccessDeniedException", [("sagemaker:ListTags", group_arn)]),
        ),
        (
            "put group policy",
            lambda: sm.put_model_package_group_policy(
                ModelPackageGroupName="g2", ResourcePolicy="{}"
            ),
            ("AccessDeniedException", [("sagemaker:PutModelPackageGroupPolicy", group_arn)]),
        ),
        (
            "get group policy",
            lambda: sm.get_model_package_group_policy(ModelPackageGroupName="g2"),
            ("AccessDeniedException", [("sagemaker:GetModelPackageGroupPolicy", group_arn)]),
        ),
    ]
    for name, call, expected in steps:
        assert outcome(modelreg, call) == expected, name


def test_deploy_under_the_managed_policy(modelreg: Any, world: dict[str, str]) -> None:
    sm = modelreg.client("sagemaker")
    acct, region = modelreg.account_id, modelreg.region
    arn = f"arn:aws:sagemaker:{region}:{acct}"
    modelreg.admin_client("sagemaker").update_model_package(
        ModelPackageArn=world["pkg"], ModelApprovalStatus="Approved"
    )
    assert outcome(
        modelreg,
        lambda: sm.create_model(
            ModelName="m",
            ExecutionRoleArn=world["role"],
            PrimaryContainer={"ModelPackageName": world["pkg"]},
        ),
    ) == ("allowed", [])
    passed = [a for a in _last_own(modelreg).authorizations if a.action == "iam:PassRole"]
    assert [(a.resource, a.context["iam:PassedToService"]) for a in passed] == [
        (world["role"], "sagemaker.amazonaws.com")
    ]
    assert outcome(
        modelreg,
        lambda: sm.create_endpoint_config(
            EndpointConfigName="cfg",
            ProductionVariants=[
                {
                    "VariantName": "v",
                    "ModelName": "m",
                    "InitialInstanceCount": 1,
                    "InstanceType": "ml.m5.large",
                }
            ],
        ),
    ) == ("allowed", [])
    assert outcome(
        modelreg, lambda: sm.create_endpoint(EndpointName="ep", EndpointConfigName="cfg")
    ) == ("allowed", [])
    endpoint_pair = {(a.action, a.resource) for a in _last_own(modelreg).authorizations}
    assert endpoint_pair == {
        ("sagemaker:CreateEndpoint", f"{arn}:endpoint/ep"),
        ("sagemaker:CreateEndpoint", f"{arn}:endpoint-config/cfg"),
    }
    # The managed policy grants CreateEndpoint but not DescribeEndpoint, so the SageMaker SDK's
    # ModelPackage.deploy() fails at its final DescribeEndpoint wait.
    assert outcome(modelreg, lambda: sm.describe_endpoint(EndpointName="ep")) == (
        "AccessDeniedException",
        [("sagemaker:DescribeEndpoint", f"{arn}:endpoint/ep")],
    )
    assert outcome(modelreg, lambda: sm.describe_model(ModelName="m")) == (
        "AccessDeniedException",
        [("sagemaker:DescribeModel", f"{arn}:model/m")],
    )


def test_s3_ecr_sts_iam_under_the_managed_policy(modelreg: Any, world: dict[str, str]) -> None:
    s3 = modelreg.client("s3")
    bucket = "sagemaker-us-east-1-models"
    assert outcome(modelreg, lambda: s3.get_object(Bucket=bucket, Key="m/model.tar.gz")) == (
        "allowed",
        [],
    )
    assert outcome(modelreg, lambda: s3.head_object(Bucket=bucket, Key="m/model.tar.gz")) == (
        "allowed",
        [],
    )
    assert outcome(modelreg, lambda: s3.list_objects_v2(Bucket=bucket, Prefix="m/")) == (
        "allowed",
        [],
    )
    assert outcome(modelreg, lambda: s3.list_buckets()) == ("allowed", [])
    assert outcome(modelreg, lambda: s3.head_bucket(Bucket=bucket)) == ("allowed", [])
    assert outcome(modelreg, lambda: s3.get_object(Bucket="other-bucket", Key="k")) == (
        "AccessDenied",
        [("s3:GetObject", "arn:aws:s3:::other-bucket/k")],
    )
    assert outcome(modelreg, lambda: s3.put_object(Bucket=bucket, Key="new", Body=b"x")) == (
        "AccessDenied",
        [("s3:PutObject", f"arn:aws:s3:::{bucket}/new")],
    )
    assert outcome(
        modelreg,
        lambda: s3.copy_object(
            Bucket=bucket, Key="copy", CopySource={"Bucket": "other-bucket", "Key": "k"}
        ),
    ) == (
        "AccessDenied",
        [
            ("s3:GetObject", "arn:aws:s3:::other-bucket/k"),
            ("s3:PutObject", f"arn:aws:s3:::{bucket}/copy"),
        ],
    )
    sts = modelreg.client("sts")
    assert outcome(modelreg, lambda: sts.get_caller_identity()) == ("allowed", [])
    iam = modelreg.client("iam")
    assert outcome(modelreg, lambda: iam.get_role(RoleName="exec")) == (
        "AccessDenied",
        [("iam:GetRole", world["role"])],  # the ARN carries the role's path
    )
    ecr = modelreg.client("ecr")
    assert outcome(modelreg, lambda: ecr.get_authorization_token()) == (
        "AccessDeniedException",
        [("ecr:GetAuthorizationToken", "*")],
    )


def test_collections_under_the_managed_policy(modelreg: Any, world: dict[str, str]) -> None:
    rg = modelreg.client("resource-groups")
    acct, region = modelreg.account_id, modelreg.region
    group = f"arn:aws:resource-groups:{region}:{acct}:group"
    assert outcome(
        modelreg,
        lambda: rg.create_group(
            Name="top",
            ResourceQuery=COLLECTION_QUERY,
            Tags={"sagemaker:collection": "true", "sagemaker:collection-path:root": "true"},
        ),
    ) == ("allowed", [])
    # The managed policy requires the sagemaker:collection tag key on CreateGroup.
    assert outcome(
        modelreg, lambda: rg.create_group(Name="plain", ResourceQuery=COLLECTION_QUERY)
    ) == ("AccessDeniedException", [("resource-groups:CreateGroup", f"{group}/plain")])
    assert outcome(modelreg, lambda: rg.get_group_query(Group="top")) == ("allowed", [])
    tagging = modelreg.client("resourcegroupstaggingapi")
    assert outcome(
        modelreg,
        lambda: tagging.get_resources(
            TagFilters=[{"Key": "sagemaker:collection-path:root", "Values": ["true"]}],
            ResourceTypeFilters=["resource-groups:group"],
        ),
    ) == ("allowed", [])
    # DeleteGroup needs aws:ResourceTag/sagemaker:collection = "true" on the group (from state).
    modelreg.admin_client("resource-groups").create_group(
        Name="untagged", ResourceQuery=COLLECTION_QUERY
    )
    assert outcome(modelreg, lambda: rg.delete_group(Group="untagged")) == (
        "AccessDeniedException",
        [("resource-groups:DeleteGroup", f"{group}/untagged")],
    )
    assert outcome(modelreg, lambda: rg.delete_group(Group="top")) == ("allowed", [])


# ---- custom policies ------------------------------------------------------------------------


def _doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def test_policy_scoped_to_team_a_groups(modelreg: Any, world: dict[str, str]) -> None:
    team_a = modelreg.principal(
        "team-a",
        policies=_doc(
            {
                "Effect": "Allow",
                "Action": "sagemaker:*",
                "Resource": [
                    "arn:aws:sagemaker:*:*:model-package-group/team-a-*",
                    "arn:aws:sagemaker:*:*:model-package/team-a-*/*",
                ],
            }
        ),
    )
    sm = team_a.client("sagemaker")
    acct, region = modelreg.account_id, modelreg.region
    assert outcome(
        modelreg, lambda: sm.create_model_package_group(ModelPackageGroupName="team-a-x")
    ) == (
        "allowed",
        [],
    )
    assert outcome(
        modelreg,
        lambda: sm.create_model_package(
            ModelPackageGroupName="team-a-x", InferenceSpecification=INFERENCE
        ),
    ) == ("allowed", [])
    assert outcome(
        modelreg, lambda: sm.create_model_package_group(ModelPackageGroupName="team-b-x")
    ) == (
        "AccessDeniedException",
        [
            (
                "sagemaker:CreateModelPackageGroup",
                f"arn:aws:sagemaker:{region}:{acct}:model-package-group/team-b-x",
            )
        ],
    )
    assert outcome(modelreg, lambda: sm.describe_model_package(ModelPackageName=world["pkg"])) == (
        "AccessDeniedException",
        [("sagemaker:DescribeModelPackage", world["pkg"])],
    )
    # Listing groups is authorized on model-package-group/*, which team-a-* does not cover.
    assert outcome(modelreg, lambda: sm.list_model_package_groups())[0] == "AccessDeniedException"


def test_explicit_deny_on_approval(modelreg: Any, world: dict[str, str]) -> None:
    no_approve = modelreg.principal(
        "no-approve",
        policies=[
            MODEL_REGISTRY_FULL_ACCESS,
            _doc(
                {
                    "Effect": "Deny",
                    "Action": "sagemaker:UpdateModelPackage",
                    "Resource": "*",
                    "Condition": {"StringEquals": {"sagemaker:ModelApprovalStatus": "Approved"}},
                }
            ),
        ],
    )
    sm = no_approve.client("sagemaker")
    with pytest.raises(ClientError) as denied:
        sm.update_model_package(ModelPackageArn=world["pkg"], ModelApprovalStatus="Approved")
    assert (
        "with an explicit deny in an identity-based policy"
        in denied.value.response["Error"]["Message"]
    )
    assert outcome(
        modelreg,
        lambda: sm.update_model_package(
            ModelPackageArn=world["pkg"], ModelApprovalStatus="Rejected"
        ),
    ) == ("allowed", [])


def test_policy_requiring_tags_on_create(modelreg: Any, world: dict[str, str]) -> None:
    tagged_only = modelreg.principal(
        "tagged-only",
        policies=_doc(
            {
                "Effect": "Allow",
                "Action": "sagemaker:CreateModelPackageGroup",
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:RequestTag/team": "a"}},
            },
            {
                "Effect": "Allow",
                "Action": "sagemaker:AddTags",
                "Resource": "*",
                "Condition": {
                    "StringEquals": {"sagemaker:TaggingAction": "CreateModelPackageGroup"}
                },
            },
        ),
    )
    sm = tagged_only.client("sagemaker")
    acct, region = modelreg.account_id, modelreg.region
    assert outcome(
        modelreg, lambda: sm.create_model_package_group(ModelPackageGroupName="untagged")
    ) == (
        "AccessDeniedException",
        [
            (
                "sagemaker:CreateModelPackageGroup",
                f"arn:aws:sagemaker:{region}:{acct}:model-package-group/untagged",
            )
        ],
    )
    assert outcome(
        modelreg,
        lambda: sm.create_model_package_group(
            ModelPackageGroupName="tagged", Tags=[{"Key": "team", "Value": "a"}]
        ),
    ) == ("allowed", [])
    # The same AddTags outside tag-on-create carries no TaggingAction: denied.
    assert (
        outcome(
            modelreg,
            lambda: sm.add_tags(
                ResourceArn=f"arn:aws:sagemaker:{region}:{acct}:model-package-group/tagged",
                Tags=[{"Key": "x", "Value": "y"}],
            ),
        )[0]
        == "AccessDeniedException"
    )


@pytest.mark.parametrize(
    "pass_role_statement",
    [
        None,  # PassRole omitted
        {  # PassRole only to another service
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": "*",
            "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}},
        },
    ],
    ids=["omitted", "other-service"],
)
def test_create_model_without_pass_role(
    modelreg: Any, world: dict[str, str], pass_role_statement: dict[str, Any] | None
) -> None:
    managed = copy.deepcopy(MODEL_REGISTRY_FULL_ACCESS)
    managed["Statement"] = [
        s for s in managed["Statement"] if "iam:PassRole" not in json.dumps(s.get("Action"))
    ]
    if pass_role_statement is not None:
        managed["Statement"].append(pass_role_statement)
    principal = modelreg.principal("no-pass-role", policies=managed)
    assert outcome(
        modelreg,
        lambda: principal.client("sagemaker").create_model(
            ModelName="m2",
            ExecutionRoleArn=world["role"],
            PrimaryContainer={"ModelPackageName": world["pkg"]},
        ),
    ) == ("AccessDeniedException", [("iam:PassRole", world["role"])])


def test_cross_account_consumer_needs_the_group_policy(
    modelreg: Any, world: dict[str, str]
) -> None:
    """Another account reads versions only through the group's resource policy
    (PutModelPackageGroupPolicy; "Deploy a Model Version from a Different Account"). The
    policy grants on model-package/<group>/* - which is why ListModelPackages(group) is authorized
    on that ARN (sagemaker I3) and DescribeModelPackage on the version ARN in the owner account."""
    acct, region = modelreg.account_id, modelreg.region
    group_arn = f"arn:aws:sagemaker:{region}:{acct}:model-package-group/grp"
    consumer = modelreg.principal(
        "consumer",
        account_id="444455556666",
        policies=_doc({"Effect": "Allow", "Action": "sagemaker:*", "Resource": "*"}),
    )
    sm = consumer.client("sagemaker")
    code, denied = outcome(
        modelreg, lambda: sm.describe_model_package(ModelPackageName=world["pkg"])
    )
    assert (code, denied) == (
        "AccessDeniedException",
        [("sagemaker:DescribeModelPackage", world["pkg"])],
    )
    modelreg.admin_client("sagemaker").put_model_package_group_policy(
        ModelPackageGroupName="grp",
        ResourcePolicy=json.dumps(
            _doc(
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
                    "Action": "sagemaker:DescribeModelPackageGroup",
                    "Resource": group_arn,
                },
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
                    "Action": [
                        "sagemaker:DescribeModelPackage",
                        "sagemaker:ListModelPackages",
                        "sagemaker:CreateModel",
                    ],
                    "Resource": f"arn:aws:sagemaker:{region}:{acct}:model-package/grp/*",
                },
            )
        ),
    )
    assert outcome(modelreg, lambda: sm.describe_model_package(ModelPackageName=world["pkg"])) == (
        "allowed",
        [],
    )
    assert outcome(
        modelreg, lambda: sm.describe_model_package_group(ModelPackageGroupName=group_arn)
    ) == (
        "allowed",
        [],
    )
    assert outcome(modelreg, lambda: sm.list_model_packages(ModelPackageGroupName=group_arn)) == (
        "allowed",
        [],
    )
    assert outcome(
        modelreg,
        lambda: sm.update_model_package(
            ModelPackageArn=world["pkg"], ModelApprovalStatus="Approved"
        ),
    ) == ("AccessDeniedException", [("sagemaker:UpdateModelPackage", world["pkg"])])

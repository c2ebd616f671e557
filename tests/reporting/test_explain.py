"""The explanation of a denied call, as the report section and the warning show it."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from pytest_modelreg import mock_modelreg
from pytest_modelreg.explain import explain_call, suggested_statement

ROLE = "arn:aws:sts::123456789012:assumed-role/ModelRegistryTestRole/pytest-modelreg"
SM = "arn:aws:sagemaker:us-east-1:123456789012"
POLICY: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "ReadProd",
            "Effect": "Allow",
            "Action": "sagemaker:Describe*",
            "Resource": "arn:aws:sagemaker:*:*:model-package-group/prod-*",
        },
        {
            "Effect": "Allow",
            "Action": "sagemaker:CreateModelPackageGroup",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:RequestTag/team": "ml"}},
        },
        {"Sid": "NoDeletes", "Effect": "Deny", "Action": "sagemaker:Delete*", "Resource": "*"},
        {
            "Sid": "EuOnly",
            "Effect": "Allow",
            "Action": "sagemaker:*",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}},
        },
    ],
}


def test_no_statement_names_the_action() -> None:
    with mock_modelreg() as reg:
        with pytest.raises(ClientError):
            reg.client("sagemaker").list_model_package_groups()
        assert explain_call(reg.denied[-1]) == (
            "sagemaker.ListModelPackageGroups was denied\n"
            f"  principal: {ROLE}\n"
            "  action:    sagemaker:ListModelPackageGroups\n"
            f"  resource:  {SM}:model-package-group/*\n"
            "  decision:  implicitDeny\n"
            "  why:       no statement in any identity-based policy allows "
            "sagemaker:ListModelPackageGroups on this resource\n"
            "  no statement of the principal's policies names sagemaker:ListModelPackageGroups\n"
            "  a statement that allows it (add it to an identity-based policy of the principal):\n"
            "    {\n"
            '      "Effect": "Allow",\n'
            '      "Action": "sagemaker:ListModelPackageGroups",\n'
            '      "Resource": "*"\n'
            "    }"
        )


def test_statements_that_did_not_apply_say_why() -> None:
    with mock_modelreg(policy=POLICY) as reg:
        with pytest.raises(ClientError):
            reg.client("sagemaker").describe_model_package_group(ModelPackageGroupName="dev")
        assert explain_call(reg.denied[-1]) == (
            "sagemaker.DescribeModelPackageGroup was denied\n"
            f"  principal: {ROLE}\n"
            "  action:    sagemaker:DescribeModelPackageGroup\n"
            f"  resource:  {SM}:model-package-group/dev\n"
            "  decision:  implicitDeny\n"
            "  why:       no statement in any identity-based policy allows "
            "sagemaker:DescribeModelPackageGroup on this resource\n"
            "  statements that allow sagemaker:DescribeModelPackageGroup but did not apply:\n"
            '    policy[0] statement 0 (Sid "ReadProd")\n'
            '      Resource does not match: "arn:aws:sagemaker:*:*:model-package-group/prod-*"\n'
            '    policy[0] statement 3 (Sid "EuOnly")\n'
            '      condition StringEquals aws:RequestedRegion ["eu-west-1"] failed: '
            'the request has ["us-east-1"]\n'
            "  a statement that allows it (add it to an identity-based policy of the principal):\n"
            "    {\n"
            '      "Effect": "Allow",\n'
            '      "Action": "sagemaker:DescribeModelPackageGroup",\n'
            f'      "Resource": "{SM}:model-package-group/dev"\n'
            "    }"
        )


def test_a_missing_condition_key_is_named() -> None:
    with mock_modelreg(policy=POLICY) as reg:
        with pytest.raises(ClientError):
            reg.client("sagemaker").create_model_package_group(ModelPackageGroupName="dev")
        text = explain_call(reg.denied[-1])
    assert (
        "    policy[0] statement 1\n"
        '      condition StringEquals aws:RequestTag/team ["ml"] failed: '
        "the request has no aws:RequestTag/team\n"
    ) in text
    assert "  missing condition keys: aws:RequestTag/team\n" in text


def test_an_explicit_deny_names_the_statement_and_offers_no_allow() -> None:
    with mock_modelreg(policy=POLICY) as reg:
        with pytest.raises(ClientError):
            reg.client("sagemaker").delete_model_package_group(ModelPackageGroupName="dev")
        assert explain_call(reg.denied[-1]) == (
            "sagemaker.DeleteModelPackageGroup was denied\n"
            f"  principal: {ROLE}\n"
            "  action:    sagemaker:DeleteModelPackageGroup\n"
            f"  resource:  {SM}:model-package-group/dev\n"
            "  decision:  explicitDeny\n"
            "  why:       an explicit Deny applies; no Allow statement can override it\n"
            '    denied by policy[0] statement 2 (Sid "NoDeletes")\n'
            "  fix:       remove that Deny or narrow its Action, Resource or Condition"
        )


def test_a_permissions_boundary_is_where_the_statement_goes() -> None:
    with mock_modelreg() as reg:
        auditor = reg.principal(
            "auditor",
            policies={
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "sagemaker:*", "Resource": "*"}],
            },
            permissions_boundary={
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "sagemaker:Describe*", "Resource": "*"}
                ],
            },
        )
        with pytest.raises(ClientError):
            auditor.client("sagemaker").list_model_package_groups()
        text = explain_call(reg.denied[-1])
    assert "  why:       no statement in any permissions boundary allows" in text
    assert "(add it to the principal's permissions boundary):" in text


def test_the_suggested_statement_keeps_passed_to_service() -> None:
    with mock_modelreg() as reg:
        role = reg.admin_client("iam").create_role(
            RoleName="Exec", AssumeRolePolicyDocument='{"Version":"2012-10-17","Statement":[]}'
        )["Role"]["Arn"]
        other = reg.principal(
            "p",
            policies={
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "sagemaker:CreateModel", "Resource": "*"}
                ],
            },
        )
        with pytest.raises(ClientError):
            other.client("sagemaker").create_model(
                ModelName="m",
                ExecutionRoleArn=role,
                PrimaryContainer={"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/r:1"},
            )
        call = reg.denied[-1]
    (denied,) = call.denied_authorizations
    assert suggested_statement(call.principal_arn, denied) == {
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": role,
        "Condition": {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
    }


def test_cross_account_the_resource_policy_statement_names_the_role() -> None:
    with mock_modelreg() as reg:
        reg.admin_client("sagemaker").create_model_package_group(ModelPackageGroupName="g")
        partner = reg.principal(
            "partner",
            account_id="111122223333",
            policies={
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "sagemaker:*", "Resource": "*"}],
            },
        )
        with pytest.raises(ClientError):
            partner.client("sagemaker").describe_model_package_group(
                ModelPackageGroupName=f"{SM}:model-package-group/g"
            )
        assert explain_call(reg.denied[-1]) == (
            "sagemaker.DescribeModelPackageGroup was denied\n"
            "  principal: arn:aws:sts::111122223333:assumed-role/partner/pytest-modelreg\n"
            "  action:    sagemaker:DescribeModelPackageGroup\n"
            f"  resource:  {SM}:model-package-group/g\n"
            "  decision:  implicitDeny\n"
            "  why:       no statement in any resource-based policy allows "
            "sagemaker:DescribeModelPackageGroup on this resource\n"
            "  allowed by partner/policy[0] statement 0; the resource-based policy must allow it too\n"
            "  a statement that allows it (add it to the resource-based policy of the resource):\n"
            "    {\n"
            '      "Effect": "Allow",\n'
            '      "Principal": {\n'
            '        "AWS": "arn:aws:iam::111122223333:role/partner"\n'
            "      },\n"
            '      "Action": "sagemaker:DescribeModelPackageGroup",\n'
            f'      "Resource": "{SM}:model-package-group/g"\n'
            "    }"
        )

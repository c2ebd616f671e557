"""Expected denials, in process: ``reg.expect_denial()`` (strict, warn, off; what it swallows and
what it lets through; its failure message), ``pytest.raises`` in the test function, and what
``reg.required_policy()`` leaves out. The pytest surface (report section, summary, xdist) is in
test_expected_run.py."""

from __future__ import annotations

import boto3  # noqa: F401 - botocore.session first: see the report (import-hook cycle)
import pytest
from botocore.exceptions import ClientError

from pytest_modelreg import AccessDeniedWarning, mock_modelreg

SM = "arn:aws:sagemaker:us-east-1:123456789012"
ONLY_CREATE = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": "sagemaker:CreateModelPackageGroup", "Resource": "*"}
    ],
}
CREATE_CHURN = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": "sagemaker:CreateModelPackageGroup",
            "Resource": f"{SM}:model-package-group/churn",
        }
    ],
}


def test_a_denial_ends_the_block_is_swallowed_and_left_out_of_the_policy() -> None:
    with mock_modelreg(policy=ONLY_CREATE) as reg:
        sagemaker = reg.client("sagemaker")
        with reg.expect_denial("sagemaker:ListModelPackageGroups") as denial:
            sagemaker.list_model_package_groups()
            pytest.fail("the denied call raises: the rest of the block does not run")
        assert denial.error is not None
        assert denial.error.response["Error"]["Code"] == "AccessDeniedException"
        assert [c.operation for c in denial.calls] == ["ListModelPackageGroups"]
        sagemaker.create_model_package_group(ModelPackageGroupName="churn")
        assert len(reg.denied) == 1  # still a denial: reg.calls says what happened
        assert reg.required_policy() == CREATE_CHURN


def test_action_names_are_case_insensitive_and_take_wildcards() -> None:
    # IAM User Guide, "IAM JSON policy elements: Action": action names are case-insensitive;
    # "*" and "?" are wildcards.
    with mock_modelreg(policy=ONLY_CREATE) as reg:
        with reg.expect_denial("SageMaker:list*groups"):
            reg.client("sagemaker").list_model_package_groups()
        with reg.expect_denial("sagemaker:Describe?ndpoint"):
            reg.client("sagemaker").describe_endpoint(EndpointName="e")


def test_a_denial_of_another_action_goes_on_and_is_not_expected() -> None:
    with mock_modelreg(policy=ONLY_CREATE) as reg:
        sagemaker = reg.client("sagemaker")
        try:
            with reg.expect_denial("sagemaker:DescribeEndpoint"):
                sagemaker.list_model_package_groups()
        except ClientError as error:
            assert error.operation_name == "ListModelPackageGroups"
        else:
            pytest.fail("the ListModelPackageGroups denial must leave the block")
        policy = reg.required_policy()
    assert policy["Statement"][0]["Action"] == "sagemaker:ListModelPackageGroups"


def test_another_error_goes_on_and_the_block_denials_stay_expected() -> None:
    with mock_modelreg(policy=ONLY_CREATE, enforce="warn") as reg:
        with (
            pytest.raises(ValueError, match="boom"),
            pytest.warns(AccessDeniedWarning),
            reg.expect_denial(),
        ):
            reg.client("sagemaker").list_model_package_groups()
            raise ValueError("boom")
        assert reg.required_policy()["Statement"] == []


def test_warn_mode_records_the_denial_without_an_error() -> None:
    with mock_modelreg(policy=ONLY_CREATE, enforce="warn") as reg:
        with pytest.warns(AccessDeniedWarning), reg.expect_denial() as denial:
            groups = reg.client("sagemaker").list_model_package_groups()
        assert denial.error is None
        assert groups["ModelPackageGroupSummaryList"] == []
        assert [c.operation for c in denial.calls] == ["ListModelPackageGroups"]
        assert reg.required_policy()["Statement"] == []


def test_a_block_without_the_denial_fails_listing_its_calls() -> None:
    with mock_modelreg(policy=ONLY_CREATE) as reg:
        sagemaker = reg.client("sagemaker")
        with (
            pytest.raises(AssertionError) as failure,
            reg.expect_denial("sagemaker:DescribeEndpoint"),
        ):
            sagemaker.create_model_package_group(ModelPackageGroupName="churn")
            with reg.unrestricted():
                sagemaker.describe_model_package_group(ModelPackageGroupName="churn")
        assert str(failure.value) == (
            "reg.expect_denial('sagemaker:DescribeEndpoint'): no call inside the block was denied "
            "sagemaker:DescribeEndpoint\n"
            "calls made in the block:\n"
            "  sagemaker.CreateModelPackageGroup: allowed\n"
            "  sagemaker.DescribeModelPackageGroup: allowed (unrestricted)"
        )
        with pytest.raises(AssertionError) as failure, reg.expect_denial():
            pass
        assert str(failure.value) == (
            "reg.expect_denial(): no call inside the block was denied\n"
            "calls made in the block: none"
        )


def test_under_enforce_off_nothing_is_denied_and_the_message_says_so() -> None:
    with (
        mock_modelreg(enforce="off") as reg,
        pytest.raises(AssertionError) as failure,
        reg.expect_denial(),
    ):
        reg.client("sagemaker").list_model_package_groups()
    assert str(failure.value) == (
        "reg.expect_denial(): no call inside the block was denied\n"
        "(enforce='off': calls are not authorized, so none is ever denied)\n"
        "calls made in the block:\n"
        "  sagemaker.ListModelPackageGroups: not authorized (enforce='off')"
    )


@pytest.mark.parametrize("action", ["ListModelPackageGroups", "sagemaker:", "sage maker:List"])
def test_an_action_that_is_no_iam_action_is_refused(action: str) -> None:
    with mock_modelreg() as reg, pytest.raises(ValueError, match="must be an IAM action"):
        reg.expect_denial(action)


def _denied_in_a_helper(sagemaker: object) -> None:
    # A pytest.raises outside the test function is not recognized: the denial stays needed.
    with pytest.raises(ClientError):
        sagemaker.describe_endpoint(EndpointName="churn")  # type: ignore[attr-defined]


def test_pytest_raises_in_the_test_function_marks_the_denial_expected() -> None:
    with mock_modelreg(policy=ONLY_CREATE) as reg:
        sagemaker = reg.client("sagemaker")
        with pytest.raises(ClientError, match="AccessDeniedException"):
            sagemaker.list_model_package_groups()
        pytest.raises(ClientError, sagemaker.list_model_package_groups)  # noqa: RUF061 - the form
        _denied_in_a_helper(sagemaker)
        actions = [s["Action"] for s in reg.required_policy()["Statement"]]
    assert actions == ["sagemaker:DescribeEndpoint"]


def test_required_policy_of_another_principal_by_session_or_role_arn() -> None:
    with mock_modelreg() as reg:
        auditor = reg.principal("auditor", policies=[ONLY_CREATE])
        auditor.client("sagemaker").create_model_package_group(ModelPackageGroupName="churn")
        role = "arn:aws:iam::123456789012:role/auditor"
        assert reg.required_policy(principal=auditor.arn) == CREATE_CHURN
        assert reg.required_policy(principal=role) == CREATE_CHURN
        assert (
            reg.required_policy(principal="arn:aws:iam::123456789012:role/other")["Statement"] == []
        )
        assert reg.required_policy()["Statement"] == []  # the principal under test made no call

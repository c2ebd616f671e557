"""``reg.expect_denial()`` around a deployment that fails because of the execution role.

SageMaker's denied requests raise nothing in the test's code: an image the role may not pull leaves
the endpoint ``Failed`` (CreateEndpoint answered). ``expect_denial(action)`` counts the requests
SageMaker made as the role during the block: the block passes when one was denied, and they are
left out of the role's required policy and of the report's denial sections. The caller's own
denials keep their semantics (tests/reporting and tests/test_denials.py).
"""

from __future__ import annotations

import re

import pytest
from botocore.exceptions import ClientError

from pytest_modelreg import AccessDeniedWarning, mock_modelreg

from ..conftest import ALLOW_ALL
from .conftest import World, allow, arrange

pytestmark = pytest.mark.modelreg(policy=ALLOW_ALL)

SESSION = "arn:aws:sts::123456789012:assumed-role/SageMakerExecution/SageMaker"


def _no_pull(world: World) -> None:
    world.grant(allow(("s3:GetObject", "*"), ("ecr:GetAuthorizationToken", "*")))
    world.create_model()


def test_a_denied_pull_during_the_block_is_expected_though_nothing_was_raised(
    world: World,
) -> None:
    _no_pull(world)
    with world.reg.expect_denial("ecr:BatchGetImage") as denial:
        endpoint = world.deploy()
    assert endpoint["EndpointStatus"] == "Failed"
    assert denial.error is None
    assert [(c.operation, c.principal_arn, c.via) for c in denial.calls] == [
        ("BatchGetImage", SESSION, "sagemaker.amazonaws.com")
    ]
    assert world.reg.calls.is_expected(denial.calls[0])
    actions = {
        a
        for s in world.reg.required_policy(principal=world.role_arn)["Statement"]
        for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    }
    assert actions == {"s3:GetObject", "ecr:GetAuthorizationToken"}


def test_a_block_whose_role_could_pull_fails_listing_sagemakers_requests(world: World) -> None:
    world.grant(world.smallest())
    world.create_model()
    with pytest.raises(AssertionError) as failed, world.reg.expect_denial("ecr:BatchGetImage"):
        world.deploy()
    text = str(failed.value)
    assert text.startswith(
        "reg.expect_denial('ecr:BatchGetImage'): no call inside the block was denied "
        "ecr:BatchGetImage"
    )
    assert f"  ecr.BatchGetImage (by sagemaker.amazonaws.com as {SESSION}): allowed" in text
    assert "  sagemaker.CreateEndpoint: allowed" in text


def test_another_action_does_not_match(world: World) -> None:
    _no_pull(world)
    with (
        pytest.raises(AssertionError, match="no call inside the block was denied s3:GetObject"),
        world.reg.expect_denial("s3:GetObject"),
    ):
        world.deploy()


def test_create_models_validation_exception_goes_on(world: World) -> None:
    # Not a denial error (SageMaker's ValidationException): expect_denial does not swallow it.
    with (
        pytest.raises(ClientError, match="Could not access model data") as raised,
        world.reg.expect_denial("s3:GetObject") as denial,
    ):
        world.create_model()
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert [c.operation for c in denial.calls] == ["GetObject"]
    assert denial.error is None
    assert world.reg.calls.is_expected(denial.calls[0])


def test_an_untrusting_role_is_expected_as_sts_assume_role(world: World) -> None:
    world.grant(world.smallest())
    world.create_model()
    world.trust_only("ec2.amazonaws.com")
    with world.reg.expect_denial("sts:AssumeRole") as denial:
        assert world.deploy()["EndpointStatus"] == "Failed"
    assert [(c.principal_arn, c.operation) for c in denial.calls] == [
        ("sagemaker.amazonaws.com", "AssumeRole")
    ]


def test_warn_mode_the_block_passes_and_the_endpoint_is_in_service() -> None:
    with mock_modelreg(policy=ALLOW_ALL, enforce="warn") as reg:
        world = arrange(reg)
        _no_pull(world)
        with (
            pytest.warns(AccessDeniedWarning, match=re.escape("BatchGetImage permission")),
            reg.expect_denial("ecr:BatchGetImage") as denial,
        ):
            assert world.deploy()["EndpointStatus"] == "InService"
        assert [c.operation for c in denial.calls] == ["BatchGetImage"]


SUITE = """
import pytest

from tests.execution_role.conftest import allow, arrange

ALLOW_ALL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


@pytest.mark.modelreg(policy=ALLOW_ALL)
def test_deploy_is_expected_to_fail(modelreg):
    world = arrange(modelreg)
    world.grant(allow(("s3:GetObject", "*"), ("ecr:GetAuthorizationToken", "*")))
    world.create_model()
    with modelreg.expect_denial("ecr:BatchGetImage"):
        assert world.deploy()["EndpointStatus"] == "Failed"
"""


def test_the_report_lists_it_as_expected_not_as_sagemakers_denial(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_suite=SUITE)
    result = pytester.runpytest("-rP", "-p", "no:cacheprovider", "--rootdir", str(pytester.path))
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "*- modelreg: expected denials -*",
            "ecr.BatchGetImage: ecr:BatchGetImage on arn:aws:ecr:us-east-1:123456789012:"
            "repository/churn-inference (implicitDeny)",
        ],
        consecutive=True,
    )
    result.stdout.no_fnmatch_line("*denied requests SageMaker made as an execution role*")
    result.stdout.fnmatch_lines(["expected denials: 1 (reg.expect_denial, pytest.raises), *"])

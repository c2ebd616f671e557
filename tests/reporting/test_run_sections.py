"""The run-level text of expected denials and of the lint of the policies given to the plugin:
the report section, the setup failures, the summary sections and the policy file; serial and
under pytest-xdist (the summary merges the workers' totals)."""

from __future__ import annotations

import json

import pytest

SM = "arn:aws:sagemaker:us-east-1:123456789012"

SUITE = """
    import boto3, pytest
    from botocore.exceptions import ClientError
    from pytest_modelreg import mock_modelreg

    BAD = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sagemkaer:DescribeModelPackageGroup", "Resource": "*"}]}

    def test_expect_denial(modelreg):
        sagemaker = boto3.client("sagemaker")
        with modelreg.expect_denial("sagemaker:ListModelPackageGroups"):
            sagemaker.list_model_package_groups()
        sagemaker.create_model_package_group(ModelPackageGroupName="churn")

    def test_pytest_raises(modelreg):
        with pytest.raises(ClientError, match="AccessDeniedException"):
            boto3.client("sagemaker").describe_endpoint(EndpointName="churn")

    def test_expected_but_allowed(modelreg):
        with modelreg.expect_denial():
            boto3.client("sagemaker").create_model_package_group(ModelPackageGroupName="churn")

    @pytest.mark.modelreg(policy=BAD)
    def test_marker(modelreg):
        pass

    @mock_modelreg(policy=BAD)
    def test_decorator():
        pass

    def test_principal(modelreg):
        modelreg.principal("auditor", policies=[BAD])
"""

# (fnmatch patterns: "[[]" is a literal "[".)
FINDING = (
    "ERROR INVALID_SERVICE_IN_ACTION $.Statement[[]0].Action: sagemkaer is not a service prefix "
    "(did you mean sagemaker?)"
)
LINT_HEAD = (
    "pytest-modelreg: a policy given to the plugin has ERROR findings (pytest_modelreg.lint); "
    "fix it, or the test runs against a policy that does not say what was meant:"
)


@pytest.mark.parametrize("xdist", [pytest.param([], id="serial"), pytest.param(["-n", "2"])])
def test_expected_denials_and_lint_findings(pytester: pytest.Pytester, xdist: list[str]) -> None:
    pytester.makepyfile(test_suite=SUITE)
    result = pytester.runpytest(
        "-p",
        "no:cacheprovider",
        "-rA",
        "--modelreg-fail-on-caught-denial",  # expected denials never trip it
        "--modelreg-policy-out=policy.json",
        *xdist,
    )
    result.assert_outcomes(passed=4, failed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "    def test_expected_but_allowed(modelreg):",
            ">       with modelreg.expect_denial():",
            "E       AssertionError: reg.expect_denial(): no call inside the block was denied",
            "E       calls made in the block:",
            "E         sagemaker.CreateModelPackageGroup: allowed",
        ],
        consecutive=True,
    )
    # The marker's policy is refused at setup; policies given in Python (decorator, principal)
    # are only listed in the summary (a test may build a broken one on purpose).
    assert result.stdout.lines.count(LINT_HEAD) == 1
    result.stdout.fnmatch_lines(
        [
            LINT_HEAD,
            "test_suite.py::test_marker: @pytest.mark.modelreg(policy=...): policy #1:",
            f"  {FINDING}",
        ],
        consecutive=True,
    )
    for line in [
        "sagemaker.ListModelPackageGroups: sagemaker:ListModelPackageGroups on "
        f"{SM}:model-package-group/* (implicitDeny)",
        f"sagemaker.DescribeEndpoint: sagemaker:DescribeEndpoint on {SM}:endpoint/churn "
        "(implicitDeny)",
    ]:
        assert line in result.stdout.lines
    sections = [x for x in result.stdout.lines if "- modelreg: expected denials -" in x]
    assert len(sections) == 2
    result.stdout.fnmatch_lines(
        [
            "*- modelreg: IAM summary -*",
            "principal under test: 1 action used in 3 tests",
            "denied calls: 0 raised, 0 caught by the code under test, 0 let through in warn mode "
            "(AccessDeniedWarning)",
            "expected denials: 2 (reg.expect_denial, pytest.raises), left out of the "
            "least-privilege policy",
            "  test_suite.py::test_expect_denial: sagemaker:ListModelPackageGroups",
            "  test_suite.py::test_pytest_raises: sagemaker:DescribeEndpoint",
            "policy lint: 3 findings in 3 policies given to the plugin",
            "  mock_modelreg(policy=...): policy #1",
            f"    {FINDING}",
            "  reg.principal('auditor') policies: policy #1",
            f"    {FINDING}",
            "  test_suite.py::test_marker: @pytest.mark.modelreg(policy=...): policy #1",
            f"    {FINDING}",
            "actions used:",
            "  sagemaker: CreateModelPackageGroup",
        ],
        consecutive=True,
    )
    assert json.loads((pytester.path / "policy.json").read_text())["Statement"] == [
        {
            "Effect": "Allow",
            "Action": "sagemaker:CreateModelPackageGroup",
            "Resource": f"{SM}:model-package-group/churn",
        }
    ]


SECURITY_WARNING = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["sagemaker:*", "iam:PassRole"], "Resource": "*"}],
}


def test_an_option_policy_with_an_error_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_nothing():\n    pass\n")
    pytester.path.joinpath("bad.json").write_text(
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "sagemkaer:List*", "Resource": "*"}],
            }
        )
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "--modelreg-policy=bad.json")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            f"ERROR: {LINT_HEAD}",
            "--modelreg-policy: */bad.json:",
            "  ERROR INVALID_SERVICE_IN_ACTION $.Statement[[]0].Action: sagemkaer is not a service "
            "prefix (did you mean sagemaker?)",
        ],
        consecutive=True,
    )


def test_findings_below_error_are_listed_in_the_summary(pytester: pytest.Pytester) -> None:
    # No call, no denial: the finding alone makes --modelreg-summary=auto show the summary.
    pytester.makepyfile("def test_nothing():\n    pass\n")
    pytester.makeini("[pytest]\nmodelreg_policy = loose.json\n")
    pytester.path.joinpath("loose.json").write_text(json.dumps(SECURITY_WARNING))
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "*- modelreg: IAM summary -*",
            "principal under test: 0 actions used in 0 tests",
            "denied calls: 0 raised, 0 caught by the code under test, 0 let through in warn mode "
            "(AccessDeniedWarning)",
            "policy lint: 1 finding in 1 policy given to the plugin",
            "  ini modelreg_policy: */loose.json",
            "    SECURITY_WARNING PASS_ROLE_WITH_STAR_IN_RESOURCE $.Statement[[]0].Resource: "
            "iam:PassRole is allowed on * for any service: name the roles, or add an "
            "iam:PassedToService condition",
        ],
        consecutive=True,
    )


def test_policies_the_code_stores_in_the_simulated_iam_are_linted(
    pytester: pytest.Pytester,
) -> None:
    # Issue 16 item 7: policies attached inside the simulated IAM are linted too. IAM itself
    # accepts the misspelt action, so the call succeeds; the summary names the call that stored it.
    pytester.makepyfile(
        """
        import json

        def test_put(modelreg):
            iam = modelreg.admin_client("iam")
            trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                     "Principal": {"Service": "sagemaker.amazonaws.com"},
                     "Action": "sts:AssumeRole"}]}
            iam.create_role(RoleName="exec", AssumeRolePolicyDocument=json.dumps(trust))
            typo = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                    "Action": "sagemkaer:List*", "Resource": "*"}]}
            iam.put_role_policy(RoleName="exec", PolicyName="p", PolicyDocument=json.dumps(typo))
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "policy lint: 1 finding in 1 policy given to the plugin",
            "  test_policies_the_code_stores_in_the_simulated_iam_are_linted.py::test_put: "
            "iam.PutRolePolicy exec: policy #1",
            "    ERROR INVALID_SERVICE_IN_ACTION $.Statement[[]0].Action: sagemkaer is not a service "
            "prefix (did you mean sagemaker?)",
        ],
        consecutive=True,
    )

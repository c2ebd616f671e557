"""What a user sees: the report section of a raised denial, the listing (and optional teardown
failure) of a caught one, warn-mode warnings, the terminal summary and the policy file; with and
without pytest-xdist."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.reporting._workflow import ALLOW_ALL

WORKFLOW_SOURCE = (Path(__file__).parent / "_workflow.py").read_text()

ROLE = "arn:aws:sts::123456789012:assumed-role/ModelRegistryTestRole/pytest-modelreg"
SM = "arn:aws:sagemaker:us-east-1:123456789012"

SUITE = """
    import boto3, pytest
    from botocore.exceptions import ClientError
    from pytest_modelreg import mock_modelreg

    def test_raised(modelreg):
        boto3.client("sagemaker").list_model_package_groups()

    def test_caught(modelreg):
        try:
            boto3.client("sagemaker").describe_endpoint(EndpointName="churn")
        except ClientError:
            pass  # swallowed: the code goes on as if nothing happened
        boto3.client("sagemaker").create_model_package_group(ModelPackageGroupName="churn")

    @mock_modelreg(enforce="warn")
    def test_warn():
        boto3.client("sagemaker").list_model_package_groups()

    def test_allowed():
        with mock_modelreg():
            sagemaker = boto3.client("sagemaker")
            sagemaker.create_model_package_group(ModelPackageGroupName="churn")
            sagemaker.describe_model_package_group(ModelPackageGroupName="churn")
"""

RAISED_SECTION = [
    "*- modelreg: access denied -*",
    "sagemaker.ListModelPackageGroups was denied",
    f"  principal: {ROLE}",
    "  action:    sagemaker:ListModelPackageGroups",
    f"  resource:  {SM}:model-package-group/*",
    "  decision:  implicitDeny",
    "  why:       no statement in any identity-based policy allows "
    "sagemaker:ListModelPackageGroups on this resource",
    "  no statement of the principal's policies names sagemaker:ListModelPackageGroups",
    "  a statement that allows it (add it to an identity-based policy of the principal):",
    "    {",
    '      "Effect": "Allow",',
    '      "Action": "sagemaker:ListModelPackageGroups",',
    '      "Resource": "[*]"',
    "    }",
]

CAUGHT_EXPLANATION = [
    "sagemaker.DescribeEndpoint was denied",
    f"  principal: {ROLE}",
    "  action:    sagemaker:DescribeEndpoint",
    f"  resource:  {SM}:endpoint/churn",
    "  decision:  implicitDeny",
    "  why:       no statement in any identity-based policy allows "
    "sagemaker:DescribeEndpoint on this resource",
    "  no statement of the principal's policies names sagemaker:DescribeEndpoint",
    "  a statement that allows it (add it to an identity-based policy of the principal):",
    "    {",
    '      "Effect": "Allow",',
    '      "Action": "sagemaker:DescribeEndpoint",',
    f'      "Resource": "{SM}:endpoint/churn"',
    "    }",
]

WARNING = [
    "test_suite.py::test_warn",
    "  *: AccessDeniedWarning: sagemaker.ListModelPackageGroups: User: "
    f"{ROLE} is not authorized to perform: sagemaker:ListModelPackageGroups on resource: "
    f"{SM}:model-package-group/* because no identity-based policy allows the "
    "sagemaker:ListModelPackageGroups action",
    "  sagemaker.ListModelPackageGroups was denied",
    f"    principal: {ROLE}",
    "    action:    sagemaker:ListModelPackageGroups",
]

SUMMARY = [
    "*- modelreg: IAM summary -*",
    "principal under test: 4 actions used in 4 tests",
    "denied calls: 1 raised, 1 caught by the code under test, 1 let through in warn mode "
    "(AccessDeniedWarning)",
    "  caught in test_suite.py::test_caught: 1",
    "actions used:",
    "  sagemaker: CreateModelPackageGroup, DescribeEndpoint, DescribeModelPackageGroup,",
    "             ListModelPackageGroups",
    "actions the enforced policy did not grant:",
    "  sagemaker: DescribeEndpoint, ListModelPackageGroups",
    "granted actions never used:",
    "  ecr: BatchGetImage, DescribeImages",
    "  iam: PassRole",
    "  kms: CreateGrant, Decrypt, DescribeKey, GenerateDataKey",
    "  resource-groups: CreateGroup, DeleteGroup, GetGroupQuery, ListGroupResources, Tag",
    "  s3: GetObject, ListAllMyBuckets, ListBucket",
    "  sagemaker: AddTags, CreateEndpoint, CreateEndpointConfig, CreateInferenceRecommendationsJob,",
    "             CreateModel, CreateModelPackage, DeleteModelPackage, DeleteModelPackageGroup,",
    "             DeleteTags, DescribeAction, DescribeInferenceRecommendationsJob, "
    "DescribeModelPackage,",
    "             DescribePipeline, DescribePipelineExecution, GetSearchSuggestions, ListArtifacts,",
    "             ListAssociations, ListModelMetadata, ListModelPackages, Search, UpdateModelPackage",
    "  tag: GetResources",
    # The run's calls matched statements 0 and 1 of AmazonSageMakerModelRegistryFullAccess (v2).
    "statements of the enforced policy never used (no call matched them):",
    "  Statement[2] AmazonSageMakerModelRegistryS3GetPermission (Allow):",
    "    s3:GetObject",
    "  Statement[3] AmazonSageMakerModelRegistryS3ListPermission (Allow):",
    "    s3:ListBucket, s3:ListAllMyBuckets",
    "  Statement[4] AmazonSageMakerModelRegistryECRReadPermission (Allow):",
    "    ecr:BatchGetImage, ecr:DescribeImages",
    "  Statement[5] AmazonSageMakerModelRegistryIAMPassRolePermission (Allow):",
    "    iam:PassRole",
    "  Statement[6] AmazonSageMakerModelRegistryTagReadPermission (Allow):",
    "    tag:GetResources",
    "  Statement[7] AmazonSageMakerModelRegistryResourceGroupGetPermission (Allow):",
    "    resource-groups:GetGroupQuery",
    "  Statement[8] AmazonSageMakerModelRegistryResourceGroupListPermission (Allow):",
    "    resource-groups:ListGroupResources",
    "  Statement[9] AmazonSageMakerModelRegistryResourceGroupWritePermission (Allow):",
    "    resource-groups:CreateGroup, resource-groups:Tag",
    "  Statement[10] AmazonSageMakerModelRegistryResourceGroupDeletePermission (Allow):",
    "    resource-groups:DeleteGroup",
    "  Statement[11] AmazonSageMakerModelRegistryResourceKMSPermission (Allow):",
    "    kms:CreateGrant, kms:DescribeKey, kms:GenerateDataKey, kms:Decrypt",
]

POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["sagemaker:CreateModelPackageGroup", "sagemaker:DescribeModelPackageGroup"],
            "Resource": f"{SM}:model-package-group/churn",
        },
        {
            "Effect": "Allow",
            "Action": "sagemaker:DescribeEndpoint",
            "Resource": f"{SM}:endpoint/churn",
        },
        {"Effect": "Allow", "Action": "sagemaker:ListModelPackageGroups", "Resource": "*"},
    ],
}

XDIST = pytest.param(["-n", "2"], id="xdist")


@pytest.mark.parametrize("xdist", [pytest.param([], id="serial"), XDIST])
def test_raised_caught_warned_summary_and_policy_file(
    pytester: pytest.Pytester, xdist: list[str]
) -> None:
    pytester.makepyfile(test_suite=SUITE)
    result = pytester.runpytest(
        "-rP",
        "--tb=short",
        "-p",
        "no:cacheprovider",
        "--modelreg-policy-out=out/policy.json",
        *xdist,
    )
    result.assert_outcomes(passed=3, failed=1, warnings=1)
    result.stdout.fnmatch_lines(RAISED_SECTION, consecutive=True)
    result.stdout.fnmatch_lines(
        ["*- modelreg: denied calls caught by the code under test -*", *CAUGHT_EXPLANATION],
        consecutive=True,
    )
    result.stdout.fnmatch_lines(WARNING, consecutive=True)
    result.stdout.fnmatch_lines(
        [*SUMMARY, f"least-privilege policy written to {pytester.path / 'out' / 'policy.json'}"],
        consecutive=True,
    )
    text = (pytester.path / "out" / "policy.json").read_text()
    assert json.loads(text) == POLICY
    assert text == json.dumps(POLICY, indent=2) + "\n"


@pytest.mark.parametrize(
    ("args", "ini"),
    [
        pytest.param(["--modelreg-fail-on-caught-denial"], "", id="option"),
        pytest.param(
            [], "modelreg_fail_on_caught_denial = true\nmodelreg_policy_out = p.json", id="ini"
        ),
    ],
)
def test_fail_on_caught_denial_fails_the_test_at_teardown(
    pytester: pytest.Pytester, args: list[str], ini: str
) -> None:
    pytester.makepyfile(test_suite=SUITE)
    pytester.makeini(f"[pytest]\n{ini}\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "-k", "caught", *args)
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*_ ERROR at teardown of test_caught _*",
            "modelreg: the code under test caught 1 denied call (--modelreg-fail-on-caught-denial):",
            "",
            *CAUGHT_EXPLANATION,
        ],
        consecutive=True,
    )
    if ini:  # the ini's policy path is relative to the rootdir
        assert json.loads((pytester.path / "p.json").read_text())["Statement"] == [
            {
                "Effect": "Allow",
                "Action": "sagemaker:CreateModelPackageGroup",
                "Resource": f"{SM}:model-package-group/churn",
            },
            {
                "Effect": "Allow",
                "Action": "sagemaker:DescribeEndpoint",
                "Resource": f"{SM}:endpoint/churn",
            },
        ]


def test_no_summary_when_the_mock_was_not_used(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_plain():\n    pass\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    result.stdout.no_fnmatch_line("*modelreg: IAM summary*")


def test_round_trip_through_the_policy_file_under_xdist(pytester: pytest.Pytester) -> None:
    """A suite run under an allow-all policy in warn mode, on two workers, writes one policy; that
    policy, enforced alone, lets the same suite pass. (test_least_privilege.py has the serial
    round trip through ``reg.required_policy()``.)"""
    xdist = ["-n", "2"]
    pytester.makepyfile(
        workflow=WORKFLOW_SOURCE,
        test_workflow="""
            from workflow import arrange, run

            def test_register_approve_deploy(modelreg):
                assert run(arrange(modelreg)) == "InService"

            def test_register_again(modelreg):
                assert run(arrange(modelreg)) == "InService"
        """,
    )
    pytester.path.joinpath("allow-all.json").write_text(json.dumps(ALLOW_ALL))
    first = pytester.runpytest(
        "-p",
        "no:cacheprovider",
        "--modelreg-policy=allow-all.json",
        "--modelreg-enforce=warn",
        "--modelreg-policy-out=needed.json",
        *xdist,
    )
    first.assert_outcomes(passed=2)
    second = pytester.runpytest(
        "-p",
        "no:cacheprovider",
        "--modelreg-policy=needed.json",
        "--modelreg-enforce=strict",
        "--modelreg-summary=always",  # nothing denied, nothing written: auto would hide it
        *xdist,
    )
    second.assert_outcomes(passed=2)
    second.stdout.fnmatch_lines(
        ["denied calls: 0 raised, 0 caught by the code under test, 0 let through in warn mode *"]
    )
    second.stdout.no_fnmatch_line("granted actions never used:")


def test_a_denied_head_request_is_explained_too(pytester: pytest.Pytester) -> None:
    # S3 answers a denied HEAD with a bare 403 "Forbidden": the section still finds the call.
    pytester.makepyfile(
        """
        import boto3

        def test_head(modelreg):
            modelreg.admin_client("s3").create_bucket(Bucket="ml-artifacts")
            boto3.client("s3").head_object(Bucket="ml-artifacts", Key="model.tar.gz")
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "--tb=line")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*- modelreg: access denied -*",
            "s3.HeadObject was denied",
            f"  principal: {ROLE}",
            "  action:    s3:GetObject",
            "  resource:  arn:aws:s3:::ml-artifacts/model.tar.gz",
            "  decision:  implicitDeny",
            "  why:       no statement in any identity-based policy allows s3:GetObject "
            "on this resource",
            "  statements that allow s3:GetObject but did not apply:",
            '    policy[0] statement 2 (Sid "AmazonSageMakerModelRegistryS3GetPermission")',
            '      Resource does not match: ["arn:aws:s3:::*SageMaker*", "arn:aws:s3:::*Sagemaker*", '
            '"arn:aws:s3:::*sagemaker*"]',
        ],
        consecutive=True,
    )


def test_granted_actions_come_from_the_iam_engine() -> None:
    # IAM User Guide, "IAM JSON policy elements: Action": names are case-insensitive, * and ?
    # are wildcards; "IAM JSON policy elements: NotAction": every other action, of every service.
    from pytest_modelreg.reporting import granted_actions

    statements = [
        {"Effect": "Allow", "Action": ["S3:GetObject?agging", "kms:Decrypt"], "Resource": "*"},
        {"Effect": "Deny", "Action": "iam:*", "Resource": "*"},
    ]
    actions, notes = granted_actions([{"Version": "2012-10-17", "Statement": statements}])
    assert actions == {"s3:GetObjectTagging", "kms:Decrypt"}
    assert notes == []
    statements.append({"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"})
    actions, notes = granted_actions([{"Version": "2012-10-17", "Statement": statements}])
    assert len(notes) == 1 and "NotAction" in notes[0]
    assert "kms:Encrypt" in actions  # the NotAction statement covers the other kms actions
    assert "s3:PutObject" not in actions

"""How a run shows SageMaker's requests as the execution role: their denials explained in a report
section of their own (never counted as denials the code under test caught), and
``--modelreg-policy-out`` writing the execution role's least-privilege policy beside the
principal's."""

from __future__ import annotations

import json

import pytest

SUITE = """
import json

import pytest

ALLOW_ALL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}
IMAGE = "763104351884.dkr.ecr.us-east-1.amazonaws.com/xgboost-inference:1.5"


def deploy(reg, role_policy):
    s3 = reg.admin_client("s3")
    s3.create_bucket(Bucket="models")
    s3.put_object(Bucket="models", Key="churn/model.tar.gz", Body=b"m")
    iam = reg.admin_client("iam")
    role = iam.create_role(RoleName="Exec", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]
    iam.put_role_policy(RoleName="Exec", PolicyName="p", PolicyDocument=json.dumps(role_policy))
    sm = reg.client("sagemaker")
    sm.create_model(
        ModelName="churn",
        ExecutionRoleArn=role["Arn"],
        PrimaryContainer={"Image": IMAGE, "ModelDataUrl": "s3://models/churn/model.tar.gz"},
    )
    sm.create_endpoint_config(
        EndpointConfigName="churn",
        ProductionVariants=[
            {"VariantName": "AllTraffic", "ModelName": "churn", "InitialInstanceCount": 1,
             "InstanceType": "ml.m5.large"}
        ],
    )
    sm.create_endpoint(EndpointName="churn", EndpointConfigName="churn")
    return sm.describe_endpoint(EndpointName="churn")["EndpointStatus"]


@pytest.mark.modelreg(policy=ALLOW_ALL)
def test_role_may_read_but_not_pull(modelreg):
    read = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::models/*"},
        {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
    ]}
    assert deploy(modelreg, read) == "Failed"


@pytest.mark.modelreg(policy=ALLOW_ALL)
def test_role_may_do_everything(modelreg):
    assert deploy(modelreg, ALLOW_ALL) == "InService"
"""

EXPLANATION = [
    "*- modelreg: denied requests SageMaker made as an execution role -*",
    "the execution role arn:aws:iam::123456789012:role/Exec may not ecr:BatchGetImage on "
    "arn:aws:ecr:us-east-1:763104351884:repository/xgboost-inference because no identity-based "
    "policy of the role allows it",
    "  sagemaker.amazonaws.com made ecr.BatchGetImage as the role "
    "(session arn:aws:sts::123456789012:assumed-role/Exec/SageMaker)",
    "  decision:  implicitDeny",
    # AWS's framework images are pulled by any account: the repository policy allows it.
    "  allowed by the repository policy of arn:aws:ecr:us-east-1:763104351884:repository/"
    'xgboost-inference, statement 0 (Sid "AnyAccountPulls"); the identity-based policy must '
    "allow it too",
    "  next: add this statement to an identity-based policy of the role (PutRolePolicy, or "
    "AttachRolePolicy of a managed policy holding it):",
]

ROLE_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
            "Resource": "arn:aws:ecr:us-east-1:763104351884:repository/xgboost-inference",
        },
        {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
        {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::models/churn/model.tar.gz",
        },
    ],
}


@pytest.mark.parametrize(
    "xdist", [pytest.param([], id="serial"), pytest.param(["-n", "2"], id="xdist")]
)
def test_denials_explained_and_the_roles_policy_written(
    pytester: pytest.Pytester, xdist: list[str]
) -> None:
    pytester.makepyfile(test_suite=SUITE)
    result = pytester.runpytest(
        "-rP", "-p", "no:cacheprovider", "--modelreg-policy-out=out/policy.json", *xdist
    )
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(EXPLANATION, consecutive=True)
    result.stdout.fnmatch_lines(["denied calls: 0 raised, 0 caught by the code under test, *"])
    role_file = pytester.path / "out" / "policy.execution-role.Exec.json"
    result.stdout.fnmatch_lines(
        [
            f"  and for the execution role Exec: {role_file}",
            "    (its trust policy is apart: it must allow sagemaker.amazonaws.com to "
            "sts:AssumeRole)",
        ],
        consecutive=True,
    )
    written = json.loads(role_file.read_text())
    assert sorted(map(json.dumps, written["Statement"])) == sorted(
        map(json.dumps, ROLE_POLICY["Statement"])
    )
    # The principal under test's policy has none of the role's actions.
    principal = json.loads((pytester.path / "out" / "policy.json").read_text())
    actions = {json.dumps(s["Action"]) for s in principal["Statement"]}
    assert not any("ecr:" in a or "s3:" in a for a in actions)

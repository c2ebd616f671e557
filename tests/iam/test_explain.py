"""Simulator-style diagnostics: matched statements, missing context values, statement traces.

Shape after the IAM policy simulator (SIMULATOR_DOC; SimulateCustomPolicy's EvaluationResults:
EvalDecision, MatchedStatements, MissingContextValues).
"""

from __future__ import annotations

from pytest_modelreg.iam import simulate

from ._helpers import SESSION_ARN, USER, doc, stmt

PASSROLE = doc(
    stmt(
        "iam:PassRole",
        "arn:aws:iam::*:role/*",
        Sid="Pass",
        Condition={"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
    )
)


def test_matched_statements_for_allow() -> None:
    r = simulate(
        "s3:GetObject",
        "*",
        principal=USER,
        identity_policies=[doc(stmt("sqs:*", Sid="A"), stmt("s3:*", Sid="B"))],
    )
    assert r.allowed
    [m] = r.matched_statements
    assert (m.policy_id, m.policy_type, m.index, m.sid, m.effect) == (
        "identity-policy-1",
        "identity",
        1,
        "B",
        "Allow",
    )


def test_matched_statements_for_explicit_deny_are_the_denies() -> None:
    r = simulate(
        "s3:GetObject",
        "*",
        principal=USER,
        identity_policies=[doc(stmt(Sid="All")), doc(stmt("s3:Get*", effect="Deny"))],
        session_policies=[doc(stmt("s3:GetObject", effect="Deny", Sid="S"))],
    )
    assert r.decision == "explicitDeny"
    assert [(m.policy_id, m.sid, m.effect) for m in r.matched_statements] == [
        ("identity-policy-2", None, "Deny"),
        ("session-policy-1", "S", "Deny"),
    ]


def test_implicit_deny_matches_nothing() -> None:
    r = simulate("s3:GetObject", "*", principal=USER, identity_policies=[doc(stmt("sqs:*"))])
    assert r.decision == "implicitDeny" and r.matched_statements == ()


def test_missing_context_values() -> None:
    r = simulate(
        "iam:PassRole",
        "arn:aws:iam::111122223333:role/r",
        principal=USER,
        identity_policies=[PASSROLE],
    )
    assert r.decision == "implicitDeny"
    assert r.missing_context_values == ("iam:PassedToService",)
    r2 = simulate(
        "iam:PassRole",
        "arn:aws:iam::111122223333:role/r",
        principal=USER,
        identity_policies=[PASSROLE],
        context={"iam:passedtoservice": "sagemaker.amazonaws.com"},
    )
    assert r2.allowed and r2.missing_context_values == ()


def test_missing_context_values_ignore_other_actions() -> None:
    r = simulate("s3:GetObject", "*", principal=USER, identity_policies=[PASSROLE])
    assert r.missing_context_values == ()


def test_missing_context_values_include_variables() -> None:
    policy = doc(stmt("s3:GetObject", "arn:aws:s3:::b/${aws:PrincipalTag/team}/*"))
    r = simulate(
        "s3:GetObject", "arn:aws:s3:::b/ml/k", principal=SESSION_ARN, identity_policies=[policy]
    )
    assert r.decision == "implicitDeny"
    assert r.missing_context_values == ("aws:principaltag/team",)


def test_global_keys_from_the_principal_are_not_missing() -> None:
    # aws:PrincipalArn / aws:PrincipalAccount / aws:username are in every request's context
    # (IAM User Guide, "AWS global condition context keys").
    policy = doc(
        stmt(
            Condition={
                "StringEquals": {"aws:username": "alice", "aws:PrincipalAccount": "111122223333"},
                "ArnEquals": {"aws:PrincipalArn": USER},
            }
        )
    )
    r = simulate("s3:GetObject", "*", principal=USER, identity_policies=[policy])
    assert r.allowed and r.missing_context_values == ()
    role_policy = doc(
        stmt(
            Condition={
                "ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/app-role"},
                "StringEquals": {"aws:PrincipalType": "AssumedRole"},
            }
        )
    )
    assert simulate(
        "s3:GetObject", "*", principal=SESSION_ARN, identity_policies=[role_policy]
    ).allowed


def test_statement_traces() -> None:
    r = simulate(
        "iam:PassRole",
        "arn:aws:iam::111122223333:role/r",
        principal=USER,
        identity_policies=[PASSROLE, doc(stmt("s3:*"))],
        context={"iam:PassedToService": "ec2.amazonaws.com"},
    )
    assert r.decision == "implicitDeny"
    first, second = r.statements
    assert (first.policy_id, first.sid, first.action_matched, first.resource_matched) == (
        "identity-policy-1",
        "Pass",
        True,
        True,
    )
    assert not first.applies and not first.conditions_matched
    [cond] = first.conditions
    assert (
        cond.operator,
        cond.key,
        cond.policy_values,
        cond.context_values,
        cond.result,
        cond.key_missing,
    ) == (
        "StringEquals",
        "iam:PassedToService",
        ("sagemaker.amazonaws.com",),
        ("ec2.amazonaws.com",),
        False,
        False,
    )
    assert second.policy_id == "identity-policy-2" and not second.action_matched
    assert second.principal_matched is None


def test_statement_traces_for_resource_policy_and_variables() -> None:
    rp = doc(
        stmt(
            "s3:GetObject",
            "arn:aws:s3:::b/*",
            Principal={"AWS": SESSION_ARN},
            Condition={"StringEquals": {"s3:prefix": "${aws:username}"}},
        )
    )
    r = simulate("s3:GetObject", "arn:aws:s3:::b/k", principal=SESSION_ARN, resource_policy=rp)
    [trace] = r.statements
    assert trace.policy_type == "resource" and trace.principal_matched
    assert trace.principal_match == "session"
    [cond] = trace.conditions
    assert cond.key_missing and cond.context_values is None
    assert cond.policy_values == ("<unresolved ${aws:username}>",)


def test_statements_are_lazy_and_cached() -> None:
    r = simulate("s3:GetObject", "*", principal=USER, identity_policies=[doc(stmt())])
    assert "statements" not in r.__dict__
    assert r.statements is r.statements


def test_type_decisions() -> None:
    r = simulate(
        "s3:GetObject",
        "arn:aws:s3:::b/k",
        principal=USER,
        identity_policies=[doc(stmt())],
        permissions_boundary=doc(stmt("sqs:*")),
        scps=[doc(stmt())],
        rcps=[],
        resource_policy=doc(stmt(effect="Deny", Principal="*")),
    )
    assert r.decision == "explicitDeny"
    assert r.type_decisions == {
        "identity": "allowed",
        "permissions-boundary": "implicitDeny",
        "scp": "allowed",
        "resource": "explicitDeny",
    }
    r2 = simulate("s3:GetObject", "*", principal=USER, rcps=[])
    assert r2.type_decisions == {}


def test_request_context_accepts_tuples_and_scalars() -> None:
    # The interception layer passes multivalued keys as tuples (SETOPS_DOC: a multivalued key).
    from pytest_modelreg.iam import Policy, PolicySet, Request, evaluate

    policy = Policy.parse(
        doc(
            stmt(
                Condition={
                    "ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]},
                    "Bool": {"aws:MultiFactorAuthPresent": "true"},
                    "NumericLessThan": {"s3:max-keys": "10"},
                }
            )
        )
    )
    ctx = {"aws:TagKeys": ("a", "b"), "aws:MultiFactorAuthPresent": True, "s3:max-keys": 5}
    r = evaluate(Request("s3:ListBucket", "*", USER, ctx), PolicySet(identity=(policy,)))
    assert r.allowed

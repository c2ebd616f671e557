"""How the policy types combine: SCPs, RCPs, resource-based, identity, boundary, session policies.

Every row names the rule it encodes (a page of the IAM User Guide or AWS Organizations guide).
The request is s3:GetObject on an object ARN unless the row says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from pytest_modelreg.iam import Policy, PolicySet, Request, evaluate, simulate

from ._helpers import (
    ACCESS_DENIED_DOC,
    ACCOUNT,
    BOUNDARY_DOC,
    CROSS_DOC,
    DENYALLOW_DOC,
    EVAL_DOC,
    GCI_DOC,
    INTERPLAY_DOC,
    NOTPRINCIPAL_DOC,
    OTHER,
    PRINCIPAL_DOC,
    RCP_DOC,
    ROLE,
    ROOT,
    SCP_DOC,
    SESSION_ARN,
    SESSION_DOC,
    USER,
    doc,
    stmt,
)

OBJ = "arn:aws:s3:::bucket/key"
ALLOW = doc(stmt("s3:GetObject"))
ALLOW_ALL = doc(stmt())
DENY = doc(stmt("s3:GetObject", effect="Deny"))
NOTHING = doc(stmt("sqs:SendMessage"))  # allows something else only
SERVICE = "sagemaker.amazonaws.com"
OTHER_ROOT = f"arn:aws:iam::{OTHER}:root"


def rbp(
    principal: Any, effect: str = "Allow", key: str = "Principal", **extra: Any
) -> dict[str, Any]:
    return doc(stmt("s3:GetObject", "arn:aws:s3:::bucket/*", effect, **{key: principal}, **extra))


def rcp_deny(**extra: Any) -> dict[str, Any]:
    return doc(stmt("s3:GetObject", effect="Deny", Principal="*", **extra))


@dataclass
class Case:
    name: str
    rule: str
    expected: str
    denied_by: str | None = None
    principal: str = USER
    identity: list[dict[str, Any]] = field(default_factory=list)
    boundary: dict[str, Any] | None = None
    session: list[dict[str, Any]] | None = None
    scps: list[dict[str, Any]] | None = None
    rcps: list[dict[str, Any]] | None = None
    resource_policy: dict[str, Any] | None = None
    resource_account: str | None = None
    action: str = "s3:GetObject"
    resource: str = OBJ
    context: dict[str, Any] | None = None


I_ = "identity-based policy"
B_ = "permissions boundary"
S_ = "session policy"
SCP_ = "service control policy"
RCP_ = "resource control policy"
R_ = "resource-based policy"

CASES = [
    # --- identity-based policies ------------------------------------------------------------
    Case("identity allow", EVAL_DOC, "allowed", identity=[ALLOW]),
    Case("no policy: implicit deny", INTERPLAY_DOC, "implicitDeny", I_),
    Case("unrelated allow only", INTERPLAY_DOC, "implicitDeny", I_, identity=[NOTHING]),
    Case("deny beats allow", INTERPLAY_DOC, "explicitDeny", I_, identity=[ALLOW, DENY]),
    Case("deny in another policy", DENYALLOW_DOC, "explicitDeny", I_, identity=[ALLOW_ALL, DENY]),
    Case("deny alone", INTERPLAY_DOC, "explicitDeny", I_, identity=[DENY]),
    Case("root needs no identity policy", DENYALLOW_DOC, "allowed", principal=ROOT),
    Case(
        "root: explicit deny in RBP",
        DENYALLOW_DOC,
        "explicitDeny",
        R_,
        principal=ROOT,
        resource_policy=rbp("*", "Deny"),
    ),
    Case("root: SCP must allow", SCP_DOC, "implicitDeny", SCP_, principal=ROOT, scps=[NOTHING]),
    Case(
        "GetCallerIdentity needs no permission",
        GCI_DOC,
        "allowed",
        action="sts:GetCallerIdentity",
        resource="*",
    ),
    Case(
        "GetCallerIdentity even with explicit deny",
        GCI_DOC,
        "allowed",
        action="sts:GetCallerIdentity",
        resource="*",
        identity=[doc(stmt("sts:*", effect="Deny"))],
        scps=[doc(stmt(effect="Deny"))],
    ),
    Case(
        "GetCallerIdentity case-insensitive",
        GCI_DOC,
        "allowed",
        action="STS:getcalleridentity",
        resource="*",
    ),
    Case(
        "GetSessionToken is not exempt",
        GCI_DOC,
        "implicitDeny",
        I_,
        action="sts:GetSessionToken",
        resource="*",
    ),
    # --- permissions boundaries -------------------------------------------------------------
    Case("boundary allows too", BOUNDARY_DOC, "allowed", identity=[ALLOW], boundary=ALLOW_ALL),
    Case(
        "boundary allows nothing relevant",
        BOUNDARY_DOC,
        "implicitDeny",
        B_,
        identity=[ALLOW],
        boundary=NOTHING,
    ),
    Case("boundary grants nothing by itself", BOUNDARY_DOC, "implicitDeny", I_, boundary=ALLOW_ALL),
    Case("deny in boundary", BOUNDARY_DOC, "explicitDeny", B_, identity=[ALLOW], boundary=DENY),
    Case(
        "boundary allow+deny",
        BOUNDARY_DOC,
        "explicitDeny",
        B_,
        identity=[ALLOW],
        boundary=doc(stmt("s3:*"), stmt("s3:GetObject", effect="Deny")),
    ),
    Case(
        "boundary on a session",
        BOUNDARY_DOC,
        "implicitDeny",
        B_,
        principal=SESSION_ARN,
        identity=[ALLOW],
        boundary=NOTHING,
    ),
    # --- session policies -------------------------------------------------------------------
    Case(
        "session policy allows too",
        SESSION_DOC,
        "allowed",
        principal=SESSION_ARN,
        identity=[ALLOW],
        session=[ALLOW_ALL],
    ),
    Case(
        "session policy allows nothing relevant",
        SESSION_DOC,
        "implicitDeny",
        S_,
        principal=SESSION_ARN,
        identity=[ALLOW],
        session=[NOTHING],
    ),
    Case(
        "session policy grants nothing by itself",
        SESSION_DOC,
        "implicitDeny",
        I_,
        principal=SESSION_ARN,
        session=[ALLOW_ALL],
    ),
    Case(
        "deny in session policy",
        SESSION_DOC,
        "explicitDeny",
        S_,
        principal=SESSION_ARN,
        identity=[ALLOW],
        session=[DENY],
    ),
    Case(
        "one of two session policies allows",
        SESSION_DOC,
        "allowed",
        principal=SESSION_ARN,
        identity=[ALLOW],
        session=[NOTHING, ALLOW],
    ),
    Case(
        "boundary and session both checked",
        EVAL_DOC,
        "implicitDeny",
        B_,
        principal=SESSION_ARN,
        identity=[ALLOW],
        session=[ALLOW],
        boundary=NOTHING,
    ),
    Case(
        "no session policy passed (empty list)",
        SESSION_DOC,
        "allowed",
        principal=SESSION_ARN,
        identity=[ALLOW],
        session=[],
    ),
    # --- explicit deny beats every exception ----------------------------------------------
    Case(
        "RBP names the session, boundary denies",
        DENYALLOW_DOC,
        "explicitDeny",
        B_,
        principal=SESSION_ARN,
        boundary=DENY,
        resource_policy=rbp({"AWS": SESSION_ARN}),
    ),
    Case(
        "RBP names the session, session policy denies",
        DENYALLOW_DOC,
        "explicitDeny",
        S_,
        principal=SESSION_ARN,
        session=[DENY],
        resource_policy=rbp({"AWS": SESSION_ARN}),
    ),
    Case(
        "RBP names the user, identity denies",
        DENYALLOW_DOC,
        "explicitDeny",
        I_,
        identity=[DENY],
        resource_policy=rbp({"AWS": USER}),
    ),
    Case(
        "RCP deny beats an RBP grant",
        RCP_DOC,
        "explicitDeny",
        RCP_,
        rcps=[rcp_deny()],
        resource_policy=rbp({"AWS": USER}),
    ),
    Case(
        "SCP deny applies to root",
        SCP_DOC,
        "explicitDeny",
        SCP_,
        principal=ROOT,
        scps=[ALLOW_ALL, DENY],
    ),
    Case(
        "deny in any identity policy of several",
        DENYALLOW_DOC,
        "explicitDeny",
        I_,
        identity=[ALLOW_ALL, NOTHING, DENY],
    ),
    # --- SCPs -----------------------------------------------------------------------------
    Case("SCP allows", SCP_DOC, "allowed", identity=[ALLOW], scps=[ALLOW_ALL]),
    Case(
        "SCP allows nothing relevant",
        SCP_DOC,
        "implicitDeny",
        SCP_,
        identity=[ALLOW],
        scps=[NOTHING],
    ),
    Case("no SCP attached at all", SCP_DOC, "implicitDeny", SCP_, identity=[ALLOW], scps=[]),
    Case("SCP deny", SCP_DOC, "explicitDeny", SCP_, identity=[ALLOW], scps=[ALLOW_ALL, DENY]),
    Case("SCP grants nothing by itself", SCP_DOC, "implicitDeny", I_, scps=[ALLOW_ALL]),
    Case("one of the SCPs allows", SCP_DOC, "allowed", identity=[ALLOW], scps=[NOTHING, ALLOW]),
    Case(
        "SCP deny beats RBP allow",
        SCP_DOC,
        "explicitDeny",
        SCP_,
        scps=[ALLOW_ALL, DENY],
        resource_policy=rbp({"AWS": USER}),
    ),
    Case(
        "SCP must allow an RBP-granted call too",
        DENYALLOW_DOC,
        "implicitDeny",
        SCP_,
        scps=[NOTHING],
        resource_policy=rbp({"AWS": USER}),
    ),
    Case(
        "SCPs do not apply to service principals",
        DENYALLOW_DOC,
        "allowed",
        principal=SERVICE,
        scps=[NOTHING],
        resource_policy=rbp({"Service": SERVICE}),
    ),
    Case(
        "SCP condition evaluated",
        SCP_DOC,
        "implicitDeny",
        SCP_,
        identity=[ALLOW],
        scps=[doc(stmt(Condition={"StringEquals": {"aws:RequestedRegion": "us-east-1"}}))],
        context={"aws:RequestedRegion": "eu-west-1"},
    ),
    # --- RCPs -----------------------------------------------------------------------------
    Case("RCPFullAWSAccess is implicit", RCP_DOC, "allowed", identity=[ALLOW], rcps=[]),
    Case("RCP deny", RCP_DOC, "explicitDeny", RCP_, identity=[ALLOW], rcps=[rcp_deny()]),
    Case(
        "RCP deny with non-matching condition",
        RCP_DOC,
        "allowed",
        identity=[ALLOW],
        rcps=[rcp_deny(Condition={"StringNotEquals": {"aws:PrincipalAccount": ACCOUNT}})],
    ),
    Case(
        "RCP deny with matching condition",
        RCP_DOC,
        "explicitDeny",
        RCP_,
        identity=[ALLOW],
        rcps=[rcp_deny(Condition={"StringNotEquals": {"aws:PrincipalAccount": OTHER}})],
    ),
    Case("RCPs grant nothing", RCP_DOC, "implicitDeny", I_, rcps=[doc(stmt(Principal="*"))]),
    # --- resource-based policies, same account ------------------------------------------------
    Case(
        "RBP names the user: no identity policy needed",
        DENYALLOW_DOC,
        "allowed",
        resource_policy=rbp({"AWS": USER}),
    ),
    Case(
        "RBP naming the user is not limited by the boundary",
        DENYALLOW_DOC,
        "allowed",
        boundary=NOTHING,
        resource_policy=rbp({"AWS": USER}),
    ),
    Case(
        "RBP naming the account delegates to identity policies",
        DENYALLOW_DOC,
        "implicitDeny",
        I_,
        resource_policy=rbp({"AWS": ROOT}),
    ),
    Case(
        "RBP naming the account id delegates too",
        DENYALLOW_DOC,
        "implicitDeny",
        I_,
        resource_policy=rbp({"AWS": ACCOUNT}),
    ),
    Case(
        "RBP naming the account + identity allow",
        DENYALLOW_DOC,
        "allowed",
        identity=[ALLOW],
        resource_policy=rbp({"AWS": ROOT}),
    ),
    Case(
        "RBP naming another user",
        DENYALLOW_DOC,
        "implicitDeny",
        I_,
        resource_policy=rbp({"AWS": f"arn:aws:iam::{ACCOUNT}:user/bob"}),
    ),
    Case(
        "RBP names the session ARN",
        DENYALLOW_DOC,
        "allowed",
        principal=SESSION_ARN,
        resource_policy=rbp({"AWS": SESSION_ARN}),
    ),
    Case(
        "RBP naming the session: boundary and session policy do not limit",
        DENYALLOW_DOC,
        "allowed",
        principal=SESSION_ARN,
        boundary=NOTHING,
        session=[NOTHING],
        resource_policy=rbp({"AWS": SESSION_ARN}),
    ),
    Case(
        "RBP names the role: identity implicit deny does not limit",
        DENYALLOW_DOC,
        "allowed",
        principal=SESSION_ARN,
        resource_policy=rbp({"AWS": ROLE}),
    ),
    Case(
        "RBP naming the role is limited by the boundary",
        DENYALLOW_DOC,
        "implicitDeny",
        B_,
        principal=SESSION_ARN,
        boundary=NOTHING,
        resource_policy=rbp({"AWS": ROLE}),
    ),
    Case(
        "RBP naming the role is limited by session policies",
        DENYALLOW_DOC,
        "implicitDeny",
        S_,
        principal=SESSION_ARN,
        session=[NOTHING],
        resource_policy=rbp({"AWS": ROLE}),
    ),
    Case(
        "RBP naming the role, boundary and session allow",
        DENYALLOW_DOC,
        "allowed",
        principal=SESSION_ARN,
        boundary=ALLOW,
        session=[ALLOW],
        resource_policy=rbp({"AWS": ROLE}),
    ),
    Case(
        "RBP explicit deny of the user",
        DENYALLOW_DOC,
        "explicitDeny",
        R_,
        identity=[ALLOW],
        resource_policy=rbp({"AWS": USER}, "Deny"),
    ),
    Case(
        "RBP explicit deny of everyone",
        DENYALLOW_DOC,
        "explicitDeny",
        R_,
        identity=[ALLOW],
        resource_policy=rbp("*", "Deny"),
    ),
    Case(
        "RBP deny of a role covers its sessions",
        PRINCIPAL_DOC,
        "explicitDeny",
        R_,
        principal=SESSION_ARN,
        identity=[ALLOW],
        resource_policy=rbp({"AWS": ROLE}, "Deny"),
    ),
    Case("RBP allows everyone", EVAL_DOC, "allowed", resource_policy=rbp("*")),
    Case("RBP allows every AWS principal", EVAL_DOC, "allowed", resource_policy=rbp({"AWS": "*"})),
    Case(
        "RBP allow with failing condition, identity allows",
        EVAL_DOC,
        "allowed",
        identity=[ALLOW],
        resource_policy=rbp("*", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}),
    ),
    Case(
        "RBP for another resource",
        EVAL_DOC,
        "implicitDeny",
        I_,
        resource_policy=doc(stmt("s3:GetObject", "arn:aws:s3:::other/*", Principal="*")),
    ),
    Case(
        "RBP for another action",
        EVAL_DOC,
        "implicitDeny",
        I_,
        resource_policy=doc(stmt("s3:PutObject", "arn:aws:s3:::bucket/*", Principal="*")),
    ),
    Case(
        "service principal named in RBP",
        PRINCIPAL_DOC,
        "allowed",
        principal=SERVICE,
        resource_policy=rbp({"Service": SERVICE}),
    ),
    Case(
        "service principal, list of services",
        PRINCIPAL_DOC,
        "allowed",
        principal=SERVICE,
        resource_policy=rbp({"Service": ["s3.amazonaws.com", SERVICE]}),
    ),
    Case(
        "service principal not named",
        PRINCIPAL_DOC,
        "implicitDeny",
        R_,
        principal=SERVICE,
        resource_policy=rbp({"Service": "s3.amazonaws.com"}),
    ),
    Case("service principal, no RBP", PRINCIPAL_DOC, "implicitDeny", R_, principal=SERVICE),
    # --- cross-account ------------------------------------------------------------------------
    Case(
        "cross-account needs an RBP",
        CROSS_DOC,
        "implicitDeny",
        R_,
        identity=[ALLOW],
        resource_account=OTHER,
    ),
    Case(
        "cross-account, RBP names the user",
        CROSS_DOC,
        "allowed",
        identity=[ALLOW],
        resource_account=OTHER,
        resource_policy=rbp({"AWS": USER}),
    ),
    Case(
        "cross-account, RBP names the caller's account",
        CROSS_DOC,
        "allowed",
        identity=[ALLOW],
        resource_account=OTHER,
        resource_policy=rbp({"AWS": ROOT}),
    ),
    Case(
        "cross-account, RBP names the caller's account id",
        CROSS_DOC,
        "allowed",
        identity=[ALLOW],
        resource_account=OTHER,
        resource_policy=rbp({"AWS": ACCOUNT}),
    ),
    Case(
        "cross-account, identity must allow too",
        CROSS_DOC,
        "implicitDeny",
        I_,
        resource_account=OTHER,
        resource_policy=rbp({"AWS": USER}),
    ),
    Case(
        "cross-account, RBP names the resource's own account",
        CROSS_DOC,
        "implicitDeny",
        R_,
        identity=[ALLOW],
        resource_account=OTHER,
        resource_policy=rbp({"AWS": OTHER_ROOT}),
    ),
    Case(
        "cross-account, boundary still applies",
        CROSS_DOC,
        "implicitDeny",
        B_,
        identity=[ALLOW],
        boundary=NOTHING,
        resource_account=OTHER,
        resource_policy=rbp({"AWS": USER}),
    ),
    Case(
        "cross-account, session names the role",
        CROSS_DOC,
        "allowed",
        principal=SESSION_ARN,
        identity=[ALLOW],
        resource_account=OTHER,
        resource_policy=rbp({"AWS": ROLE}),
    ),
    Case(
        "cross-account, session names the session",
        CROSS_DOC,
        "allowed",
        principal=SESSION_ARN,
        identity=[ALLOW],
        resource_account=OTHER,
        resource_policy=rbp({"AWS": SESSION_ARN}),
    ),
    Case(
        "cross-account, session ARN exception is same-account only",
        CROSS_DOC,
        "implicitDeny",
        I_,
        principal=SESSION_ARN,
        resource_account=OTHER,
        resource_policy=rbp({"AWS": SESSION_ARN}),
    ),
    Case(
        "cross-account, root still needs the RBP",
        CROSS_DOC,
        "implicitDeny",
        R_,
        principal=ROOT,
        resource_account=OTHER,
    ),
    Case(
        "cross-account, root named in RBP",
        CROSS_DOC,
        "allowed",
        principal=ROOT,
        resource_account=OTHER,
        resource_policy=rbp({"AWS": ROOT}),
    ),
    Case(
        "cross-account, SCP of the caller applies",
        CROSS_DOC,
        "implicitDeny",
        SCP_,
        identity=[ALLOW],
        scps=[NOTHING],
        resource_account=OTHER,
        resource_policy=rbp({"AWS": USER}),
    ),
    Case(
        "cross-account, RBP deny",
        CROSS_DOC,
        "explicitDeny",
        R_,
        identity=[ALLOW],
        resource_account=OTHER,
        resource_policy=rbp("*", "Deny"),
    ),
    Case(
        "account from the resource ARN",
        CROSS_DOC,
        "implicitDeny",
        R_,
        identity=[doc(stmt("sagemaker:*"))],
        action="sagemaker:DescribeModelPackage",
        resource=f"arn:aws:sagemaker:us-east-1:{OTHER}:model-package/g/1",
    ),
    Case(
        "resource_account overrides the ARN",
        CROSS_DOC,
        "allowed",
        identity=[doc(stmt("sagemaker:*"))],
        action="sagemaker:DescribeModelPackage",
        resource=f"arn:aws:sagemaker:us-east-1:{OTHER}:model-package/g/1",
        resource_account=ACCOUNT,
    ),
    Case(
        "ARN without an account is the caller's account",
        CROSS_DOC,
        "allowed",
        identity=[ALLOW],
        resource="arn:aws:s3:::any-bucket/k",
    ),
    # --- NotPrincipal (Deny) in a resource policy, same account, identity allows -----------
    Case(
        "NotPrincipal lists the user and its account",
        NOTPRINCIPAL_DOC,
        "allowed",
        identity=[ALLOW],
        resource_policy=rbp({"AWS": [USER, ROOT]}, "Deny", "NotPrincipal"),
    ),
    Case(
        "NotPrincipal lists only the account",
        NOTPRINCIPAL_DOC,
        "explicitDeny",
        R_,
        identity=[ALLOW],
        resource_policy=rbp({"AWS": ROOT}, "Deny", "NotPrincipal"),
    ),
    Case(
        "NotPrincipal lists only the user (account evaluated too)",
        NOTPRINCIPAL_DOC,
        "explicitDeny",
        R_,
        identity=[ALLOW],
        resource_policy=rbp({"AWS": [USER]}, "Deny", "NotPrincipal"),
    ),
    Case(
        "NotPrincipal lists another user",
        NOTPRINCIPAL_DOC,
        "explicitDeny",
        R_,
        identity=[ALLOW],
        resource_policy=rbp(
            {"AWS": [f"arn:aws:iam::{ACCOUNT}:user/bob", ROOT]}, "Deny", "NotPrincipal"
        ),
    ),
    Case(
        "NotPrincipal lists session, role and account",
        NOTPRINCIPAL_DOC,
        "allowed",
        principal=SESSION_ARN,
        identity=[ALLOW],
        resource_policy=rbp({"AWS": [SESSION_ARN, ROLE, ROOT]}, "Deny", "NotPrincipal"),
    ),
    Case(
        "NotPrincipal without the session ARN",
        NOTPRINCIPAL_DOC,
        "explicitDeny",
        R_,
        principal=SESSION_ARN,
        identity=[ALLOW],
        resource_policy=rbp({"AWS": [ROLE, ROOT]}, "Deny", "NotPrincipal"),
    ),
    Case(
        "NotPrincipal Deny always denies a principal with a boundary",
        BOUNDARY_DOC,
        "explicitDeny",
        R_,
        identity=[ALLOW],
        boundary=ALLOW_ALL,
        resource_policy=rbp({"AWS": [USER, ROOT]}, "Deny", "NotPrincipal"),
    ),
    Case(
        "NotPrincipal Allow grants everyone else",
        NOTPRINCIPAL_DOC,
        "allowed",
        resource_policy=rbp({"AWS": f"arn:aws:iam::{ACCOUNT}:user/bob"}, "Allow", "NotPrincipal"),
    ),
    Case(
        "NotPrincipal Allow excludes the listed principal",
        NOTPRINCIPAL_DOC,
        "implicitDeny",
        I_,
        resource_policy=rbp({"AWS": [USER, ROOT]}, "Allow", "NotPrincipal"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_policy_types(case: Case) -> None:
    result = simulate(
        case.action,
        case.resource,
        identity_policies=case.identity,
        context=case.context,
        principal=case.principal,
        resource_account=case.resource_account,
        permissions_boundary=case.boundary,
        session_policies=case.session,
        scps=case.scps,
        rcps=case.rcps,
        resource_policy=case.resource_policy,
    )
    assert (result.decision, result.denied_by) == (case.expected, case.denied_by), case.rule


# Principal element matching: cross-account with an identity allow, so the request is allowed
# exactly when the resource policy's Principal names the caller (PRINCIPAL_DOC).
PRINCIPAL_ROWS: list[tuple[str, Any, bool, str]] = [
    (SESSION_ARN, "*", True, "* is everyone"),
    (SESSION_ARN, {"AWS": "*"}, True, "AWS * is every AWS principal"),
    (SESSION_ARN, {"AWS": ACCOUNT}, True, "account id"),
    (SESSION_ARN, {"AWS": ROOT}, True, "account root ARN"),
    (SESSION_ARN, {"AWS": ROLE}, True, "a role matches its sessions"),
    (SESSION_ARN, {"AWS": SESSION_ARN}, True, "the session itself"),
    (
        SESSION_ARN,
        {"AWS": f"arn:aws:sts::{ACCOUNT}:assumed-role/app-role/other"},
        False,
        "another session of the role",
    ),
    (SESSION_ARN, {"AWS": f"arn:aws:iam::{ACCOUNT}:role/other-role"}, False, "another role"),
    (
        SESSION_ARN,
        {"AWS": f"arn:aws:iam::{ACCOUNT}:user/app-role"},
        False,
        "a user with the role's name",
    ),
    (SESSION_ARN, {"AWS": OTHER}, False, "another account"),
    (SESSION_ARN, {"AWS": OTHER_ROOT}, False, "another account's root"),
    (SESSION_ARN, {"AWS": [OTHER_ROOT, ROLE]}, True, "list of principals OR-ed"),
    (SESSION_ARN, {"Service": SERVICE}, False, "a service is not the session"),
    (
        SESSION_ARN,
        {"AWS": f"arn:aws:iam::{ACCOUNT}:role/*"},
        False,
        "no partial wildcards in Principal",
    ),
    (USER, {"AWS": USER}, True, "the user"),
    (USER, {"AWS": f"arn:aws:iam::{ACCOUNT}:user/bob"}, False, "another user"),
    (USER, {"AWS": f"arn:aws:iam::{ACCOUNT}:user/*"}, False, "no partial wildcards"),
    (USER, {"AWS": ROOT}, True, "the user's account"),
    (USER, {"AWS": f"arn:aws:iam::{ACCOUNT}:role/alice"}, False, "a role with the user's name"),
    (USER, {"AWS": SESSION_ARN}, False, "a session is not the user"),
    (USER, {"Federated": "cognito-identity.amazonaws.com"}, False, "federated provider"),
    (ROOT, {"AWS": ROOT}, True, "root by its ARN"),
    (ROOT, {"AWS": ACCOUNT}, True, "root by account id"),
    (ROOT, {"AWS": USER}, False, "a user is not root"),
]


@pytest.mark.parametrize(("caller", "principal", "matches", "rule"), PRINCIPAL_ROWS)
def test_principal_element(caller: str, principal: Any, matches: bool, rule: str) -> None:
    result = simulate(
        "s3:GetObject",
        OBJ,
        identity_policies=[ALLOW],
        principal=caller,
        resource_account=OTHER,
        resource_policy=rbp(principal),
    )
    assert result.allowed is matches, (PRINCIPAL_DOC, rule)


def test_role_with_path_matches_its_session() -> None:
    # PRINCIPAL_DOC: a role principal is its ARN (with path); its sessions carry only the name.
    role_with_path = f"arn:aws:iam::{ACCOUNT}:role/team/app-role"
    policy = Policy.parse(rbp({"AWS": role_with_path}), policy_type="resource")
    identity = Policy.parse(ALLOW)
    base = dict(
        action="s3:GetObject", resource=OBJ, principal_arn=SESSION_ARN, resource_account=OTHER
    )
    ok = evaluate(
        Request(**base, role_arn=role_with_path),  # type: ignore[arg-type]
        PolicySet(identity=(identity,), resource_policy=policy),
    )
    wrong = evaluate(
        Request(**base, role_arn=f"arn:aws:iam::{ACCOUNT}:role/x/app-role"),  # type: ignore[arg-type]
        PolicySet(identity=(identity,), resource_policy=policy),
    )
    assert ok.allowed and not wrong.allowed


REASONS = [
    ("implicitDeny", I_, "because no identity-based policy allows the s3:GetObject action"),
    ("explicitDeny", I_, "with an explicit deny in an identity-based policy"),
    ("implicitDeny", B_, "because no permissions boundary allows the s3:GetObject action"),
    ("explicitDeny", B_, "with an explicit deny in a permissions boundary"),
    ("implicitDeny", S_, "because no session policy allows the s3:GetObject action"),
    ("explicitDeny", S_, "with an explicit deny in a session policy"),
    ("implicitDeny", R_, "because no resource-based policy allows the s3:GetObject action"),
    ("explicitDeny", R_, "with an explicit deny in a resource-based policy"),
    ("explicitDeny", RCP_, "with an explicit deny in a resource control policy"),
    # "When an SCP denies access, the error message always includes the phrase ... explicit
    # deny ..., even if the denial is implicit."
    ("implicitDeny", SCP_, "with an explicit deny in a service control policy"),
    ("explicitDeny", SCP_, "with an explicit deny in a service control policy"),
]


@pytest.mark.parametrize(("decision", "denied_by", "reason"), REASONS)
def test_denial_reason_wording(decision: str, denied_by: str, reason: str) -> None:
    # ACCESS_DENIED_DOC: "with an explicit deny in a <type> policy" /
    # "because no <type> policy allows the <action> action".
    matches = [c for c in CASES if (c.expected, c.denied_by) == (decision, denied_by)]
    assert matches, f"no case covers {decision}/{denied_by}"
    c = matches[0]
    result = simulate(
        c.action,
        c.resource,
        identity_policies=c.identity,
        context=c.context,
        principal=c.principal,
        resource_account=c.resource_account,
        permissions_boundary=c.boundary,
        session_policies=c.session,
        scps=c.scps,
        rcps=c.rcps,
        resource_policy=c.resource_policy,
    )
    assert result.denial_reason(c.action) == reason, ACCESS_DENIED_DOC


def test_allowed_has_no_denial_reason() -> None:
    result = simulate("s3:GetObject", OBJ, identity_policies=[ALLOW], principal=USER)
    assert result.allowed and result.denial_reason("s3:GetObject") == ""

"""Shared helpers and the AWS documentation pages the test tables cite."""

from __future__ import annotations

from typing import Any

from pytest_modelreg.iam import Evaluation, simulate

UG = "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
ACTION_DOC = UG + "reference_policies_elements_action.html"
NOTACTION_DOC = UG + "reference_policies_elements_notaction.html"
RESOURCE_DOC = UG + "reference_policies_elements_resource.html"
NOTRESOURCE_DOC = UG + "reference_policies_elements_notresource.html"
ARN_DOC = UG + "reference-arns.html"
PRINCIPAL_DOC = UG + "reference_policies_elements_principal.html"
NOTPRINCIPAL_DOC = UG + "reference_policies_elements_notprincipal.html"
OPERATORS_DOC = UG + "reference_policies_elements_condition_operators.html"
MULTI_DOC = UG + "reference_policies_condition-logic-multiple-context-keys-or-values.html"
SETOPS_DOC = UG + "reference_policies_condition-single-vs-multi-valued-context-keys.html"
VARIABLES_DOC = UG + "reference_policies_variables.html"
VERSION_DOC = UG + "reference_policies_elements_version.html"
GRAMMAR_DOC = UG + "reference_policies_grammar.html"
EVAL_DOC = UG + "reference_policies_evaluation-logic.html"
DENYALLOW_DOC = UG + "reference_policies_evaluation-logic_policy-eval-denyallow.html"
CROSS_DOC = UG + "reference_policies_evaluation-logic-cross-account.html"
INTERPLAY_DOC = UG + "reference_policies_evaluation-logic_AccessPolicyLanguage_Interplay.html"
BOUNDARY_DOC = UG + "access_policies_boundaries.html"
SESSION_DOC = UG + "access_policies.html#policies_session"
ACCESS_DENIED_DOC = UG + "troubleshoot_access-denied.html"
SIMULATOR_DOC = UG + "access_policies_testing-policies.html"
CREATE_POLICY_DOC = "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html"
GCI_DOC = "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html"
SCP_DOC = "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html"
RCP_DOC = "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html"

# The rules added for issue 14, each as (AWS page title: the sentence it follows).
EFFECT_RULE = 'IAM JSON policy elements: Effect: "The Effect value is case sensitive."'
FIFTH_COLON_RULE = (
    "IAM policy elements: Variables and tags: "
    "\"You can't use a variable to replace parts of the ARN before the fifth colon, such as the "
    'service or account."'
)
SHORT_ARN_RULE = (
    "IAM JSON policy elements: Resource: "
    '"If the * wildcard is the last character of a resource ARN segment, it can expand to match '
    'beyond the colon boundaries."'
)
SEGMENT_RULE = (
    "IAM JSON policy elements: Resource: "
    '"You can use wildcard characters (* and ?) within any ARN segment (the parts separated by '
    'colons)."'
)
ARN_OPERATOR_RULE = (
    "IAM JSON policy elements: Condition operators, ARN condition operators: "
    '"Each of the six colon-delimited components of the ARN is checked separately and each can '
    'include multi-character match wildcards (*) or single-character match wildcards (?)."'
)
QUOTA_RULE = (
    "IAM and AWS STS quotas: managed policy 6,144 characters; inline policies (the aggregate per "
    'entity) user 2,048, role 10,240, group 5,120; "IAM does not count white space when '
    'calculating the size of a policy against this limit."'
)

ACCOUNT = "111122223333"
OTHER = "444455556666"
USER = f"arn:aws:iam::{ACCOUNT}:user/alice"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/app-role"
SESSION_ARN = f"arn:aws:sts::{ACCOUNT}:assumed-role/app-role/sess"
ROOT = f"arn:aws:iam::{ACCOUNT}:root"


def stmt(
    action: str | list[str] = "*",
    resource: str | list[str] = "*",
    effect: str = "Allow",
    **extra: Any,
) -> dict[str, Any]:
    """One statement; ``extra`` may hold NotAction/NotResource/Condition/Principal/Sid."""
    s: dict[str, Any] = {"Effect": effect}
    if "NotAction" not in extra:
        s["Action"] = action
    if "NotResource" not in extra:
        s["Resource"] = resource
    s.update(extra)
    return s


def doc(*statements: dict[str, Any], version: str | None = "2012-10-17") -> dict[str, Any]:
    d: dict[str, Any] = {"Statement": list(statements)}
    if version is not None:
        d["Version"] = version
    return d


def allow_all() -> dict[str, Any]:
    return doc(stmt())


def decide(
    identity: list[dict[str, Any]] | dict[str, Any],
    action: str,
    resource: str = "*",
    context: dict[str, Any] | None = None,
    **kw: Any,
) -> str:
    return run(identity, action, resource, context, **kw).decision


def run(
    identity: list[dict[str, Any]] | dict[str, Any],
    action: str,
    resource: str = "*",
    context: dict[str, Any] | None = None,
    **kw: Any,
) -> Evaluation:
    kw.setdefault("principal", USER)
    docs = identity if isinstance(identity, list) else [identity]
    return simulate(action, resource, identity_policies=docs, context=context, **kw)

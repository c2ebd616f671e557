"""Policy.parse validation: what IAM rejects, with IAM's MalformedPolicyDocument wording.

IAM reports most structural problems with the single message "Syntax errors in policy."
(GRAMMAR_DOC describes the grammar; CREATE_POLICY_DOC lists MalformedPolicyDocument).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from pytest_modelreg.iam import MalformedPolicyDocument, Policy, PolicyType, simulate
from pytest_modelreg.iam._guesses import EFFECT_CASE_MESSAGE

from ._helpers import (
    CREATE_POLICY_DOC,
    EFFECT_RULE,
    GRAMMAR_DOC,
    NOTPRINCIPAL_DOC,
    OPERATORS_DOC,
    PRINCIPAL_DOC,
    VERSION_DOC,
    doc,
    stmt,
)

SYNTAX = "Syntax errors in policy."
OK = None
G = GRAMMAR_DOC


def base(**changes: Any) -> dict[str, Any]:
    s = stmt("s3:GetObject", "arn:aws:s3:::b/*")
    s.update(changes)
    return doc(s)


def without(key: str) -> dict[str, Any]:
    d = base()
    del d["Statement"][0][key]
    return d


# (document, policy type, expected message or None for "accepted", rule)
ROWS: list[tuple[Any, PolicyType, str | None, str]] = [
    ("not json", "identity", SYNTAX, G + " (not JSON)"),
    ("[]", "identity", SYNTAX, G + " (not an object)"),
    ('"text"', "identity", SYNTAX, G),
    ({}, "identity", SYNTAX, G + " (Statement is required)"),
    ({"Version": "2012-10-17"}, "identity", SYNTAX, G + " (Statement is required)"),
    ({"Version": "2012-10-17", "Statement": "x"}, "identity", SYNTAX, G),
    ({"Version": "2012-10-17", "Statement": ["x"]}, "identity", SYNTAX, G),
    ({"Version": "2012-10-18", "Statement": []}, "identity", SYNTAX, VERSION_DOC),
    ({"Version": 2012, "Statement": []}, "identity", SYNTAX, VERSION_DOC),
    (
        {"Version": "2012-10-17", "Statement": [], "Foo": 1},
        "identity",
        SYNTAX,
        G + " (unknown top-level element)",
    ),
    ({"Version": "2012-10-17", "Id": 5, "Statement": []}, "identity", SYNTAX, G + " (Id string)"),
    (base(Actions="s3:*"), "identity", SYNTAX, G + " (unknown statement element)"),
    (without("Effect"), "identity", SYNTAX, G + " (Effect is required)"),
    (base(Effect="Permit"), "identity", SYNTAX, G + " (Effect is Allow or Deny)"),
    (base(Effect=1), "identity", SYNTAX, G),
    (base(Effect=["Allow"]), "identity", SYNTAX, G),
    (base(NotAction="s3:PutObject"), "identity", SYNTAX, G + " (Action or NotAction, not both)"),
    (
        base(NotResource="arn:aws:s3:::x"),
        "identity",
        SYNTAX,
        G + " (Resource or NotResource, not both)",
    ),
    (base(Action=5), "identity", SYNTAX, G + " (Action is a string or list of strings)"),
    (base(Action=["s3:GetObject", 5]), "identity", SYNTAX, G),
    (base(Resource={"a": 1}), "identity", SYNTAX, G),
    (base(Sid=5), "identity", SYNTAX, G + " (Sid is a string)"),
    (base(Condition="x"), "identity", SYNTAX, G + " (Condition is an object)"),
    (base(Condition={"StringEquals": "x"}), "identity", SYNTAX, G),
    (
        base(Condition={"StringEqualz": {"s3:prefix": "a"}}),
        "identity",
        SYNTAX,
        OPERATORS_DOC + " (unknown condition operator)",
    ),
    (
        base(Condition={"ForAllValue:StringEquals": {"k": "a"}}),
        "identity",
        SYNTAX,
        OPERATORS_DOC + " (misspelled set operator)",
    ),
    (base(Condition={"StringEquals": {"k": {"nested": 1}}}), "identity", SYNTAX, G),
    (base(Condition={"StringEquals": {"k": [["a"]]}}), "identity", SYNTAX, G),
    (
        base(Condition={"stringequals": {"k": "a"}}),
        "identity",
        SYNTAX,
        OPERATORS_DOC + " (operator names are exact)",
    ),
    (without("Action"), "identity", "Policy statement must contain actions.", G),
    (base(Action=[]), "identity", "Policy statement must contain actions.", G),
    (without("Resource"), "identity", "Policy statement must contain resources.", G),
    (base(Resource=[]), "identity", "Policy statement must contain resources.", G),
    (
        doc(stmt("s3:A", Sid="S1"), stmt("s3:B", Sid="S1")),
        "identity",
        "Statement IDs (SID) in a single policy must be unique.",
        G,
    ),
    (
        base(Action="GetObject"),
        "identity",
        "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
        G,
    ),
    (base(Action="s3:Get:Object"), "identity", "Actions/Condition can contain only one colon.", G),
    (base(Action="s3*:GetObject"), "identity", "Vendor s3* is not valid", G),
    (base(Resource="bucket"), "identity", 'Resource bucket must be in ARN format or "*".', G),
    (
        base(Resource="arn:aws:s3*:::b"),
        "identity",
        "Resource vendor must be fully qualified and cannot contain regexes.",
        G,
    ),
    (
        base(Principal="*"),
        "identity",
        "Policy document should not specify a principal.",
        PRINCIPAL_DOC + " (no Principal in identity-based policies)",
    ),
    (
        base(NotPrincipal={"AWS": "*"}),
        "identity",
        "Policy document should not specify a principal.",
        NOTPRINCIPAL_DOC,
    ),
    (
        base(Principal="*"),
        "permissions-boundary",
        "Policy document should not specify a principal.",
        PRINCIPAL_DOC,
    ),
    (
        base(Principal="*"),
        "session",
        "Policy document should not specify a principal.",
        PRINCIPAL_DOC,
    ),
    (base(Principal="*"), "scp", "Policy document should not specify a principal.", PRINCIPAL_DOC),
    (
        base(),
        "resource",
        "Missing required field Principal",
        PRINCIPAL_DOC + " (resource-based policies name a principal)",
    ),
    (base(Principal="*", NotPrincipal="*"), "resource", SYNTAX, NOTPRINCIPAL_DOC),
    (base(Principal={"AWS": 123}), "resource", SYNTAX, PRINCIPAL_DOC),
    (base(Principal={"Foo": "x"}), "resource", SYNTAX, PRINCIPAL_DOC),
    (base(Principal="me"), "resource", SYNTAX, PRINCIPAL_DOC),
    (
        base(Sid="my sid"),
        "identity",
        "Statement IDs (SID) must be alpha-numeric. "
        "Check that your input satisfies the regular expression [0-9A-Za-z]*",
        G,
    ),
    # Accepted documents.
    (base(), "identity", OK, G),
    (json.dumps(base()), "identity", OK, G + " (JSON text)"),
    (
        {"Statement": stmt("s3:GetObject", "*")},
        "identity",
        OK,
        VERSION_DOC + " (Version is optional; Statement may be one object)",
    ),
    ({"Version": "2008-10-17", "Statement": [stmt()]}, "identity", OK, VERSION_DOC),
    ({"Version": "2012-10-17", "Statement": []}, "identity", OK, G + " (no statements)"),
    (base(Sid=""), "identity", OK, G + " (empty Sid)"),
    (doc(stmt(Sid=""), stmt(Sid="")), "identity", OK, G + " (empty Sids are not duplicates)"),
    (base(Sid="my sid"), "resource", "Missing required field Principal", G),
    (
        base(Sid="my sid", Principal="*"),
        "resource",
        OK,
        G + " (resource policies allow any Sid text)",
    ),
    (base(Action="*"), "identity", OK, G),
    (base(Action="*:GetObject"), "identity", OK, G),
    (base(Effect="allow"), "identity", EFFECT_CASE_MESSAGE, EFFECT_RULE),
    (base(Effect="DENY"), "identity", EFFECT_CASE_MESSAGE, EFFECT_RULE),
    (base(Effect="aLLow", Principal="*"), "resource", EFFECT_CASE_MESSAGE, EFFECT_RULE),
    (base(Effect="Allow "), "identity", SYNTAX, G + " (Effect is Allow or Deny)"),
    (base(Condition={}), "identity", OK, G),
    (
        base(Condition={"StringEqualz": {}}),
        "identity",
        OK,
        G + " (an unknown operator with an empty block is stored)",
    ),
    (
        base(Condition={"NumericLessThan": {"s3:max-keys": 10}}),
        "identity",
        OK,
        OPERATORS_DOC + " (numbers)",
    ),
    (base(Condition={"Bool": {"aws:SecureTransport": True}}), "identity", OK, OPERATORS_DOC),
    (
        base(Condition={"ForAnyValue:StringLikeIfExists": {"k": ["a*", "b"]}}),
        "identity",
        OK,
        OPERATORS_DOC,
    ),
    (
        base(
            Principal={
                "AWS": ["arn:aws:iam::111122223333:root", "444455556666"],
                "Service": "s3.amazonaws.com",
            }
        ),
        "resource",
        OK,
        PRINCIPAL_DOC,
    ),
    (base(Principal="*"), "rcp", OK, PRINCIPAL_DOC),
]


@pytest.mark.parametrize(("document", "policy_type", "message", "rule"), ROWS)
def test_validation(document: Any, policy_type: PolicyType, message: str | None, rule: str) -> None:
    if message is None:
        policy = Policy.parse(document, policy_type=policy_type)
        assert policy.type == policy_type
        return
    with pytest.raises(MalformedPolicyDocument) as err:
        Policy.parse(document, policy_type=policy_type, policy_id="p1")
    assert str(err.value) == message, (rule, CREATE_POLICY_DOC)
    assert err.value.policy_id == "p1"
    assert isinstance(err.value, ValueError)


def test_parse_is_cached_for_identical_text() -> None:
    text = json.dumps(base())
    assert Policy.parse(text, policy_id="x") is Policy.parse(text, policy_id="x")
    assert Policy.parse(base(), policy_id="x") is Policy.parse(base(), policy_id="x")


def test_simulate_validates_every_document() -> None:
    bad = base(Effect="Permit")
    for kwargs in (
        {"identity_policies": [bad]},
        {"permissions_boundary": bad},
        {"session_policies": [bad]},
        {"scps": [bad]},
        {"resource_policy": base(Principal="*", Effect="Permit")},
    ):
        with pytest.raises(MalformedPolicyDocument, match=r"Syntax errors in policy\."):
            simulate("s3:GetObject", "*", **kwargs)


def test_unknown_policy_type_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown policy type"):
        Policy.parse(base(), policy_type="trust")  # type: ignore[arg-type]


# Evidence that IAM's CreatePolicy rejects an older or missing Version for managed policies:
# users reporting "Policy document must be version 2012-10-17 or greater." (e.g.
# github.com/Meteor-Community-Packages/Meteor-CollectionFS/issues/630; s3_website PR #219).
MANAGED_ROWS: list[tuple[dict[str, Any], str | None]] = [
    ({"Statement": [stmt()]}, "Policy document must be version 2012-10-17 or greater."),
    (
        {"Version": "2008-10-17", "Statement": [stmt()]},
        "Policy document must be version 2012-10-17 or greater.",
    ),
    ({"Version": "2012-10-17", "Statement": [stmt()]}, None),
    ({"Version": "2012-10-17", "Statement": [stmt(Effect="Permit")]}, SYNTAX),
]


@pytest.mark.parametrize(("document", "message"), MANAGED_ROWS)
def test_managed_policies_need_version_2012(document: dict[str, Any], message: str | None) -> None:
    if message is None:
        assert Policy.parse(document, managed=True).version == "2012-10-17"
        return
    with pytest.raises(MalformedPolicyDocument) as err:
        Policy.parse(document, managed=True)
    assert err.value.message == message, (VERSION_DOC, CREATE_POLICY_DOC)
    # The same document is fine as an inline/resource policy (the Version page lists 2008-10-17).
    if "Effect" in document["Statement"][0] and document["Statement"][0]["Effect"] != "Permit":
        Policy.parse(document)


def test_dict_cache_notices_mutation() -> None:
    d = base()
    first = Policy.parse(d)
    assert Policy.parse(d) is first
    d["Statement"][0]["Effect"] = "Deny"
    second = Policy.parse(d)
    assert second is not first and second.statements[0].effect == "Deny"
    d["Statement"][0]["Effect"] = "Permit"
    with pytest.raises(MalformedPolicyDocument):
        Policy.parse(d)

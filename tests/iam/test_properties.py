"""Property-based: any document yields a decision or MalformedPolicyDocument, nothing else."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_modelreg.iam import MalformedPolicyDocument, Policy, PolicySet, Request, evaluate
from pytest_modelreg.iam.conditions import OPERATORS

DECISIONS = {"allowed", "explicitDeny", "implicitDeny"}

words = st.sampled_from(
    [
        "s3",
        "sagemaker",
        "*",
        "?",
        "Get*",
        "arn",
        "aws",
        ":",
        "/",
        "${aws:username}",
        "${*}",
        "${$}",
        "${?}",
        "${x, 'd'}",
        "${",
        "}",
        "a",
        "",
        "[",
        "\\",
        ".",
    ]
)
text = st.lists(words, max_size=6).map("".join) | st.text(max_size=12)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), text)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=8,
)
operators = st.sampled_from(
    [
        *OPERATORS,
        "StringEqualz",
        "ForAllValues:StringLike",
        "ForAnyValue:StringEqualsIfExists",
        "NullIfExists",
        "ArnLikeIfExists",
    ]
)
string_or_list = text | st.lists(text, max_size=3)
conditions = st.dictionaries(
    operators,
    st.dictionaries(
        text, st.one_of(text, st.booleans(), st.integers(), st.lists(text, max_size=3)), max_size=2
    ),
    max_size=2,
)
principals = st.one_of(
    st.just("*"),
    st.dictionaries(
        st.sampled_from(["AWS", "Service", "Federated", "Foo"]), string_or_list, max_size=2
    ),
    json_values,
)
statement = st.fixed_dictionaries(
    {},
    optional={
        "Sid": text | json_values,
        "Effect": st.sampled_from(["Allow", "Deny", "allow", "Permit"]) | json_values,
        "Action": string_or_list | json_values,
        "NotAction": string_or_list,
        "Resource": string_or_list | json_values,
        "NotResource": string_or_list,
        "Condition": conditions | json_values,
        "Principal": principals,
        "NotPrincipal": principals,
        "Bogus": json_values,
    },
)
# Mostly well-formed statements, so that evaluation (not only validation) is exercised.
actions = st.lists(
    st.sampled_from(["s3", "sagemaker", "iam", "*", "s?", "S3"]).flatmap(
        lambda svc: st.sampled_from(["*", "Get*", "GetObject", "?etObject", "List*", "x"]).map(
            lambda name: f"{svc}:{name}" if svc != "*" or name != "*" else "*"
        )
    ),
    min_size=1,
    max_size=3,
)
resources = st.lists(
    st.sampled_from(
        [
            "*",
            "arn:aws:s3:::b/*",
            "arn:aws:s3:::${aws:username}/*",
            "arn:aws:s3:::b/${*}",
            "arn:aws:sagemaker:*:111122223333:model-package/*",
            "arn:aws:s3:::b?k",
            "arn:*",
        ]
    ),
    min_size=1,
    max_size=3,
)
good_conditions = st.dictionaries(
    operators.filter(lambda o: o != "StringEqualz"),
    st.dictionaries(
        st.sampled_from(["aws:username", "s3:prefix", "aws:TagKeys", "aws:SourceIp", "k"]),
        st.one_of(text, st.booleans(), st.integers(), st.lists(text, min_size=1, max_size=3)),
        min_size=1,
        max_size=2,
    ),
    max_size=2,
)
good_statement = st.fixed_dictionaries(
    {
        "Effect": st.sampled_from(["Allow", "Deny"]),
        "Action": actions,
        "Resource": resources,
    },
    optional={
        "Condition": good_conditions,
        "Sid": st.sampled_from(["A", "B", ""]),
        "Principal": st.sampled_from(
            [
                "*",
                {"AWS": "111122223333"},
                {"AWS": "arn:aws:iam::111122223333:role/r"},
                {"AWS": "arn:aws:sts::111122223333:assumed-role/r/s"},
                {"Service": "s3.amazonaws.com"},
            ]
        ),
    },
)
documents = st.fixed_dictionaries(
    {
        "Version": st.sampled_from(["2012-10-17", "2008-10-17"]),
        "Statement": st.lists(good_statement, max_size=4),
    }
) | st.fixed_dictionaries(
    {},
    optional={
        "Version": st.sampled_from(["2012-10-17", "2008-10-17", "2012"]) | json_values,
        "Statement": st.lists(statement, max_size=3) | statement | json_values,
        "Id": text,
    },
)
contexts = st.dictionaries(
    st.sampled_from(["aws:username", "s3:prefix", "aws:TagKeys", "aws:SourceIp", "k", "AWS:K"]),
    text | st.lists(text, max_size=3),
    max_size=3,
)
policy_types = st.sampled_from(
    ["identity", "resource", "permissions-boundary", "session", "scp", "rcp"]
)


def _decide(policy: Policy, action: str, resource: str, context: dict[str, Any]) -> str:
    ps = {
        "identity": PolicySet(identity=(policy,)),
        "resource": PolicySet(resource_policy=policy),
        "permissions-boundary": PolicySet(permissions_boundary=policy),
        "session": PolicySet(session_policies=(policy,)),
        "scp": PolicySet(scps=(policy,)),
        "rcp": PolicySet(rcps=(policy,)),
    }[policy.type]
    req = Request(action, resource, "arn:aws:sts::111122223333:assumed-role/r/s", context)
    result = evaluate(req, ps)
    # Explain data must be computable for whatever was decided.
    assert len(result.statements) >= 0
    assert isinstance(result.missing_context_values, tuple)
    return result.decision


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(documents, policy_types, text, text, contexts)
def test_random_documents(
    document: Any, policy_type: Any, action: str, resource: str, context: dict[str, Any]
) -> None:
    try:
        policy = Policy.parse(document, policy_type=policy_type)
    except MalformedPolicyDocument:
        return
    assert _decide(policy, action or "s3:GetObject", resource or "*", context) in DECISIONS


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80) | json_values.map(json.dumps))
def test_random_text(document: str) -> None:
    try:
        policy = Policy.parse(document)
    except MalformedPolicyDocument:
        return
    assert _decide(policy, "s3:GetObject", "arn:aws:s3:::b/k", {}) in DECISIONS


@settings(max_examples=300, deadline=None)
@given(operators, text | st.lists(text, max_size=3), text | st.lists(text, max_size=3))
def test_random_conditions(operator: str, policy_values: Any, context_values: Any) -> None:
    document = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "*",
                "Resource": "*",
                "Condition": {operator: {"k": policy_values}},
            }
        ],
    }
    try:
        policy = Policy.parse(document)
    except MalformedPolicyDocument:
        return
    assert _decide(policy, "s3:GetObject", "*", {"k": context_values}) in DECISIONS

"""Policy size quotas (QUOTA_RULE) and policies given as bytes.

Each row builds a document of an exact counted size and checks IAM's answer at and over the limit.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from pytest_modelreg.iam import MalformedPolicyDocument, Policy, policy_size, quota_error, simulate
from pytest_modelreg.iam._guesses import NOT_UTF8_MESSAGE
from pytest_modelreg.iam.quotas import ERROR_CODE, HTTP_STATUS, LIMITS

from ._helpers import QUOTA_RULE, doc, stmt


def sized(size: int, *, indent: int | None = None) -> str:
    """A valid policy whose size, white space left out, is exactly ``size`` characters."""
    base = doc(stmt("s3:GetObject", "arn:aws:s3:::b/"))
    pad = size - policy_size(base)
    assert pad >= 0
    base["Statement"][0]["Resource"] += "k" * pad
    text = json.dumps(base, indent=indent)
    assert policy_size(text) == size
    return text


ROLE = "Maximum policy size of 10240 bytes exceeded for role app-role"
USER = "Maximum policy size of 2048 bytes exceeded for user alice"
# (kind, entity name, document, the entity's other inline policies, expected message, rule)
ROWS: list[tuple[Any, str, str, list[str], str | None, str]] = [
    ("managed", "", sized(6144), [], None, QUOTA_RULE + " (6,144 is allowed)"),
    (
        "managed",
        "",
        sized(6145),
        [],
        "Cannot exceed quota for PolicySize: 6144",
        QUOTA_RULE + "; message: ministryofjustice/cloud-platform-environments#14473",
    ),
    (
        "managed",
        "",
        sized(6144, indent=8),
        [],
        None,
        QUOTA_RULE + " (the indentation does not count)",
    ),
    ("role", "app-role", sized(10240), [], None, QUOTA_RULE),
    ("role", "app-role", sized(10241), [], ROLE, QUOTA_RULE + "; message: aws/aws-cdk#12403"),
    (
        "role",
        "app-role",
        sized(5000),
        [sized(5000), sized(241)],
        ROLE,
        QUOTA_RULE + " (the sum of the role's inline policies)",
    ),
    ("role", "app-role", sized(5000), [sized(5240)], None, QUOTA_RULE + " (a sum at the limit)"),
    ("user", "alice", sized(2048), [], None, QUOTA_RULE),
    ("user", "alice", sized(2049), [], USER, QUOTA_RULE + "; message: danvk/mapsnap#483"),
    (
        "user",
        "alice",
        sized(2048, indent=2).encode(),
        [],
        None,
        QUOTA_RULE + " (bytes are read as UTF-8)",
    ),
    ("group", "devs", sized(5120), [], None, QUOTA_RULE),
    (
        "group",
        "devs",
        sized(5121),
        [],
        "Maximum policy size of 5120 bytes exceeded for group devs",
        QUOTA_RULE + " (message: by analogy, a guess)",
    ),
    (
        "managed",
        "",
        sized(6144),
        [sized(6144)],
        None,
        QUOTA_RULE + " (a managed policy is measured alone)",
    ),
]


@pytest.mark.parametrize(("kind", "name", "document", "others", "expected", "rule"), ROWS)
def test_quota(
    kind: Any, name: str, document: str, others: list[str], expected: str | None, rule: str
) -> None:
    assert quota_error(kind, document, entity_name=name, other_inline=others) == expected, rule


def test_quota_error_code_and_limits() -> None:
    # QUOTA_RULE, and the 409 LimitExceeded of aws-cloudformation/cfn-lint#3871.
    assert (ERROR_CODE, HTTP_STATUS) == ("LimitExceeded", 409)
    assert LIMITS == {"managed": 6144, "user": 2048, "role": 10240, "group": 5120}


def test_size_of_a_dict_is_its_compact_json() -> None:
    document = json.loads(sized(200))
    assert policy_size(document) == 200
    assert quota_error("user", {**document, "Id": "x" * 3000}, entity_name="alice") == USER


def test_size_counts_characters_not_bytes() -> None:
    # QUOTA_RULE counts characters; a Latin-1 letter is one character, two UTF-8 bytes.
    text = sized(2048).replace("kk", "éé", 1)
    assert policy_size(text) == 2048
    assert policy_size(text.encode()) == 2048


def test_unknown_quota_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown policy quota"):
        quota_error("bucket", "{}")  # type: ignore[arg-type]


POLICY = doc(stmt("s3:GetObject", "arn:aws:s3:::b/*"))


def test_bytes_are_read_as_utf8_json() -> None:
    from_bytes = Policy.parse(json.dumps(POLICY).encode())
    assert from_bytes.document == POLICY
    assert Policy.parse(bytearray(json.dumps(POLICY).encode())).document == POLICY


def test_simulate_takes_one_document_as_bytes() -> None:
    # Bytes are one document, never a sequence of documents (they iterate as integers).
    result = simulate(
        "s3:GetObject", "arn:aws:s3:::b/k", identity_policies=json.dumps(POLICY).encode()
    )
    assert result.decision == "allowed"
    assert [m.policy_id for m in result.matched_statements] == ["identity-policy-1"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe{}", NOT_UTF8_MESSAGE),
        (json.dumps(POLICY).encode("utf-16"), NOT_UTF8_MESSAGE),
        (b"not json", "Syntax errors in policy."),
    ],
)
def test_bytes_that_are_not_utf8_json_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(MalformedPolicyDocument) as e:
        Policy.parse(data, policy_id="p")
    assert (e.value.message, e.value.policy_id) == (message, "p")
    with pytest.raises(MalformedPolicyDocument):
        simulate("s3:GetObject", "*", identity_policies=[data])


def test_a_policy_option_given_as_bytes_is_one_document() -> None:
    # mock_modelreg(policy=b"...") and its siblings resolve through policy_documents().
    from pytest_modelreg.policies import policy_documents

    text = json.dumps(POLICY)
    assert policy_documents(text.encode()) == [text]
    assert policy_documents([text.encode(), POLICY]) == [text, POLICY]
    with pytest.raises(MalformedPolicyDocument, match="not UTF-8"):
        policy_documents(b"\xff")

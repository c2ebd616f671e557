"""IAM's policy size quotas, as CreatePolicy, CreatePolicyVersion and Put{User,Role,Group}Policy
enforce them.

IAM User Guide, "IAM and AWS STS quotas": a managed policy may hold 6,144 characters; the inline
policies of one entity together ("the total aggregate policy size (the sum size of all inline
policies) per entity cannot exceed") 2,048 for a user, 10,240 for a role and 5,120 for a group;
"IAM does not count white space when calculating the size of a policy against this limit."

IAM answers an oversized policy with ``LimitExceeded`` and HTTP 409 (aws-cloudformation/cfn-lint
#3871, gchq/sleeper#1459). Observed messages: for a role, "Maximum policy size of 10240 bytes
exceeded for role <role-name>" (aws/aws-cdk#12403, gchq/sleeper#1459); for a user, "Maximum policy
size of 2048 bytes exceeded for user <user-name>" (danvk/mapsnap#483,
ministryofjustice/cloud-platform-environments#5303). The managed-policy and group texts are
guesses (``_guesses``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from ._guesses import GROUP_SIZE_MESSAGE, MANAGED_SIZE_MESSAGE
from .policy import document_text

QuotaKind = Literal["managed", "user", "role", "group"]
Document = Mapping[str, Any] | str | bytes

LIMITS: dict[str, int] = {"managed": 6144, "user": 2048, "role": 10240, "group": 5120}
ERROR_CODE = "LimitExceeded"
HTTP_STATUS = 409

_MESSAGES: dict[str, str] = {
    "managed": MANAGED_SIZE_MESSAGE,
    "user": "Maximum policy size of {limit} bytes exceeded for user {name}",
    "role": "Maximum policy size of {limit} bytes exceeded for role {name}",
    "group": GROUP_SIZE_MESSAGE,
}
# JSON's white space; the other characters a policy may hold all count.
_WHITESPACE = str.maketrans("", "", " \t\n\r")


def policy_size(document: Document) -> int:
    """The characters of ``document`` that count against a quota (white space does not).

    A dict is measured in its compact JSON form; bytes are read as UTF-8.
    """
    if isinstance(document, (bytes, bytearray, memoryview)):
        text = document_text(document)
    elif isinstance(document, str):
        text = document
    else:
        text = json.dumps(document, separators=(",", ":"), ensure_ascii=False)
    return len(text.translate(_WHITESPACE))


def quota_error(
    kind: QuotaKind,
    document: Document,
    *,
    entity_name: str = "",
    other_inline: Iterable[Document] = (),
) -> str | None:
    """IAM's ``LimitExceeded`` message if storing ``document`` would break the quota, else None.

    ``kind`` is ``"managed"`` (CreatePolicy, CreatePolicyVersion) or the entity an inline policy
    is put on (``"user"``, ``"role"``, ``"group"``; ``entity_name`` is its name). For inline
    policies, ``other_inline`` are the entity's other inline policies: the quota is on their sum
    (when a Put replaces a policy of the same name, leave that one out).
    """
    if kind not in LIMITS:
        raise ValueError(f"unknown policy quota {kind!r}")
    limit = LIMITS[kind]
    size = policy_size(document)
    if kind != "managed":
        size += sum(policy_size(d) for d in other_inline)
    if size <= limit:
        return None
    return _MESSAGES[kind].format(limit=limit, name=entity_name)

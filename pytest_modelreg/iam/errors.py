"""The error IAM raises for a policy document it would not store."""

from __future__ import annotations


class MalformedPolicyDocument(ValueError):
    """A policy document IAM rejects; ``str(err)`` is IAM's own message where it is known.

    ``message`` is that message alone, ``policy_id`` the id the document was parsed under.
    """

    def __init__(self, message: str, *, policy_id: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.policy_id = policy_id

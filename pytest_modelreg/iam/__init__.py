"""The IAM policy engine: parse and validate policies, and decide requests as AWS does.

``Policy.parse`` validates a document (MalformedPolicyDocument with IAM's message) and compiles it
once; ``evaluate(Request, PolicySet)`` decides one request; ``simulate(...)`` is the convenience
form of the public API. ``Evaluation.statements`` gives simulator-style explain data.
``Policy.grants``/``decide``/``matches_action`` answer for one policy alone (for code that must
not walk policy JSON itself); ``role_trust_policy`` reads a trust policy as the role's resource
policy; ``quota_error(kind, document)`` is IAM's LimitExceeded message for an oversized policy.
"""

from .conditions import ConditionTrace
from .errors import MalformedPolicyDocument
from .evaluation import (
    Evaluation,
    MatchedStatement,
    PolicySet,
    Request,
    StatementTrace,
    evaluate,
    explain,
)
from .policy import Policy, PolicyType, role_trust_policy
from .quotas import policy_size, quota_error
from .simulate import simulate

__all__ = [
    "ConditionTrace",
    "Evaluation",
    "MalformedPolicyDocument",
    "MatchedStatement",
    "Policy",
    "PolicySet",
    "PolicyType",
    "Request",
    "StatementTrace",
    "evaluate",
    "explain",
    "policy_size",
    "quota_error",
    "role_trust_policy",
    "simulate",
]

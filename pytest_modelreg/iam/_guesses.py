"""The IAM engine's guesses: texts and choices no AWS page or observed AWS response settles.

Each constant says what is known and where the guess comes from. When evidence turns up, change the
value here; nothing else in the engine hard-codes these texts.
"""

from __future__ import annotations

# GUESS. "The Effect value is case sensitive." (IAM User Guide, "IAM JSON policy elements:
# Effect"), so ``"Effect": "allow"`` is refused, but no observed AWS response gives the message.
# moto 5.2.5 (moto/iam/policy_validation.py) lets such a statement through its syntax check and
# refuses it in its case-sensitive "legacy parsing" step with this text; we follow it.
EFFECT_CASE_MESSAGE = "The policy failed legacy parsing"

# GUESS. The managed-policy size error: public threads show "Cannot exceed quota for PolicySize:
# 6144" (ministryofjustice/cloud-platform-environments#14473, docker/docs#5815) and, in 2025,
# "Cannot exceed the quota for PolicySize: 6144." (LBHackney-IT/Data-Platform#2116); which one IAM
# sends today is not settled. The first is also the form of moto's other IAM quota messages.
MANAGED_SIZE_MESSAGE = "Cannot exceed quota for PolicySize: {limit}"

# GUESS. The group inline-policy size error: no thread shows it. The user and role texts are
# observed (see quotas.py); this one is written by analogy with them.
GROUP_SIZE_MESSAGE = "Maximum policy size of {limit} bytes exceeded for group {name}"

# GUESS. A document given as bytes that are not UTF-8: IAM never sees such a request (botocore
# sends text), so there is no AWS wording; IAM reports unreadable documents as syntax errors.
NOT_UTF8_MESSAGE = "Syntax errors in policy. The policy document is bytes that are not UTF-8."

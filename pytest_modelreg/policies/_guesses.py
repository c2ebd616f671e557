"""Guesses about AWS managed policies that no AWS page or observed response settles.

Each constant says what is known and where the guess comes from.
"""

from __future__ import annotations

# [INFERRED] AWS managed policies in the aws-cn and aws-us-gov partitions name that partition in
# their resource ARNs. Known: "Each AWS account is scoped to one partition" and ARNs carry the
# partition (IAM User Guide, "Identify AWS resources with Amazon Resource Names (ARNs)"), so an
# ``arn:aws:`` resource can never match a resource in another partition, and managed policies
# there are addressed as ``arn:aws-cn:iam::aws:policy/...``. Not seen: the documents themselves.
# The package renders its shipped and bundled documents by moving ``arn:aws:`` to the partition,
# so that the default principal behaves the same in every partition.
RENDER_FOR_PARTITION = True

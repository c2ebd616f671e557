"""The simulation's guesses at IAM texts and choices no AWS page or observed AWS response settles.

Each constant says what is known and where the guess comes from. When evidence turns up, change the
value here.
"""

from __future__ import annotations

# [INFERRED] A permissions boundary (CreateRole, CreateUser, Put{Role,User}PermissionsBoundary)
# that names a policy IAM does not hold. Observed for attaching such a policy: NoSuchEntity, 404,
# "Policy arn:aws:iam::aws:policy/AWSLambdaFullAccess does not exist or is not attachable."
# (pulumi/pulumi#7419, aws/aws-cdk#19830). No thread shows the boundary case; IAM very likely
# reuses the same check and text.
BOUNDARY_NOT_FOUND_MESSAGE = "Policy {arn} does not exist or is not attachable."

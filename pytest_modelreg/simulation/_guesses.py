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

# InvokeEndpoint (and InvokeEndpointAsync, InvokeEndpointWithResponseStream) of an endpoint the
# account does not hold: ValidationError, 400 (botocore's sagemaker-runtime model). The text is
# the one users commonly report, e.g. "An error occurred (ValidationError) when calling the
# InvokeEndpoint operation: Endpoint my-endpoint of account 123456789012 not found." [INFERRED:
# not verified here against a public page; the package cites no thread for it.]
ENDPOINT_NOT_FOUND_MESSAGE = "Endpoint {name} of account {account} not found."

# [INFERRED] An endpoint that exists but is not InService (Creating, Updating, Failed ...): no
# page or thread found shows AWS's text; the not-found wording is reused, as the runtime serves
# only endpoints in service.
ENDPOINT_NOT_IN_SERVICE_MESSAGE = ENDPOINT_NOT_FOUND_MESSAGE

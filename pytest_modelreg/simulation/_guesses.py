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

# [INFERRED] The layout of the timestamps in a "SageMaker Model Package State Change" event's
# ``detail`` (CreationTime, LastModifiedTime). The sample on "Events that Amazon SageMaker AI sends
# to Amazon EventBridge" (SageMaker Developer Guide) writes ISO-8601; other public samples show
# epoch milliseconds. ISO-8601 UTC as the envelope's ``time``, to the millisecond the registry
# keeps ("2021-02-24T17:00:11.830Z"): the ``timespec`` of ``datetime.isoformat``.
DETAIL_TIME_SPEC = "milliseconds"

# [INFERRED] EventBridge delivering to an SNS topic: AWS requires the topic policy to allow
# events.amazonaws.com sns:Publish ("Amazon SNS permissions", EventBridge User Guide). The
# simulation delivers to the topic without judging its policy: moto's default topic policy
# (owner account, AWS:SourceOwner) would decide differently from AWS's.
SNS_TARGET_POLICY = "not judged"

# [INFERRED] EventBridge PutEvents texts. The error codes are documented (PutEventsResultEntry
# ErrorCode, EventBridge API Reference; Entries "Array Members: Minimum number of 1 item. Maximum
# number of 10 items."); the wording is moto's (moto/events/models.py, put_events), which no
# observed AWS response contradicts.
PUT_EVENTS_TOO_MANY = (
    "1 validation error detected: Value '[PutEventsRequestEntry]' at 'entries' failed to satisfy "
    "constraint: Member must have length less than or equal to 10"
)
PUT_EVENTS_MISSING = "Parameter {field} is not valid. Reason: {field} is a required argument."
PUT_EVENTS_MALFORMED = "Detail is malformed."
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

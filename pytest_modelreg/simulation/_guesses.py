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

# [INFERRED] What invoking an endpoint that exists but is not InService (Creating, Updating,
# Failed ...) answers: no page or thread found shows AWS's text. None: the not-found wording
# (simulation/runtime.py, observed), as the runtime serves only endpoints in service.
ENDPOINT_NOT_IN_SERVICE_MESSAGE: str | None = None

# --- SageMaker acting as the execution role (execution_role.py) ---------------------------------
# Evidence: the messages quoted in execution_role.py (public GitHub issue threads) and the pages
# "How to use SageMaker AI execution roles" (SageMaker Developer Guide) and CreateEndpoint /
# DescribeEndpoint in botocore's sagemaker model. None of them settles the choices below.

# [INFERRED] The session name SageMaker gives the execution role's session. CloudTrail shows
# SageMaker's sessions of an execution role named "SageMaker"; no page documents the name.
EXECUTION_ROLE_SESSION = "SageMaker"

# [INFERRED] When SageMaker assumes the role it sends aws:SourceAccount (the caller's account) and
# aws:SourceArn (the model, endpoint or job being made), as the SageMaker page "Cross-service
# confused deputy prevention" tells trust policies to test. Whether both are always sent is not
# documented.
SENDS_SOURCE_CONTEXT = True

# [INFERRED] Which check happens when. Public reports place model data at CreateModel (a
# synchronous ValidationException) and images at endpoint creation (an asynchronous
# FailureReason); so here: the trust policy and the model data at CreateModel; the trust policy
# again and each container's image at CreateEndpoint / UpdateEndpoint (the model data is not
# read a second time).

# [INFERRED] The status sequence. CreateEndpoint's page: "it sets the endpoint status to Creating.
# After it creates the endpoint, it sets the status to InService." Here Creating takes no
# observable time: the first DescribeEndpoint already answers InService or Failed, as moto's
# endpoints do, so tests need no waiter. UpdateEndpoint goes to InService or Failed the same way
# (DescribeEndpoint's EndpointStatus: "Failed: Endpoint could not be created, updated, or
# re-scaled").

# [INFERRED] The message of a CreateModel whose model data is encrypted with a KMS key the role
# may not decrypt: the model-data access message (the re:Post article on S3 AccessDenied in
# SageMaker names the key policy among that message's causes). Unobserved.

# [INFERRED] A model data URL whose bucket does not exist answers as a missing object does.
# [INFERRED] The observed text is "Could not find model data at s3://…": the end of the sentence
# (here a period after the URL) is not shown in the report.
MODEL_DATA_MISSING = "Could not find model data at {url}."

# [INFERRED] The role cannot be assumed at endpoint creation, or for an Inference Recommender
# job: the text CreateTransformJob answers with (awslabs/predictive-maintenance-using-machine-
# learning#3). For endpoints it becomes the FailureReason.
CANNOT_ASSUME = (
    "Could not assume role {role}. Please ensure that the role exists and allows principal "
    "'sagemaker.amazonaws.com' to assume the role."
)

# [INFERRED] A pull that fails for another reason than ecr:BatchGetImage (no
# ecr:GetAuthorizationToken, no ecr:GetDownloadUrlForLayer, an image in another region) gets the
# "make sure all images ... exist" FailureReason of a missing image (its text names both causes).
# For a transform or Inference Recommender job, which has no production variant, the text below.
JOB_IMAGE_FAILURE = (
    "Please make sure the image '{image}' exists, and that the execution role '{role}' has "
    "permissions to access it."
)

# [INFERRED] A transform job or an Inference Recommender job whose role cannot read the model
# data or pull the image is created and then fails (Failed / FAILED) with the CreateModel or
# pull text as FailureReason; only a role that cannot be assumed is refused synchronously.

# [INFERRED] Images outside Amazon ECR (a private registry reached with ImageConfig
# RepositoryAccessMode=Vpc) are not checked: the role's permissions do not decide them.

# [INFERRED] Which images "exist": an account and region in which the simulated ECR holds no
# repository at all is an account the simulation does not hold (AWS's framework-image accounts,
# 763104351884 and others): its images are assumed to exist; the role's permissions still decide.
# Their repository policies are not published; every customer's execution role pulls them across
# accounts, so they must let any other account pull: this policy stands for them (in the caller's
# own account the role's policies alone decide, as for any repository without a policy).
AWS_IMAGE_REPOSITORY_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "AnyAccountPulls",
            "Effect": "Allow",
            "Principal": "*",
            "Action": [
                "ecr:BatchGetImage",
                "ecr:GetDownloadUrlForLayer",
                "ecr:BatchCheckLayerAvailability",
                "ecr:DescribeImages",
            ],
            "Condition": {"StringNotEquals": {"aws:PrincipalAccount": "${aws:ResourceAccount}"}},
        }
    ],
}

# [INFERRED] An uncompressed model (ModelDataSource S3Prefix, or a ModelDataUrl ending in "/")
# needs s3:ListBucket on the bucket and s3:GetObject on every object under the prefix; an empty
# prefix is missing model data. A multi-model endpoint's prefix (Mode MultiModel) needs only
# s3:ListBucket at CreateModel: its models are read when invoked.

# [INFERRED] UpdateEndpoint on a Failed endpoint. DescribeEndpoint's EndpointStatus (botocore's
# sagemaker model): "DeleteEndpoint is the only operation that can be performed on a failed
# endpoint." The error's text is not shown anywhere; this one names the endpoint and the rule.
UPDATE_FAILED_ENDPOINT = (
    "Cannot update endpoint {arn} because it is in Failed status: DeleteEndpoint is the only "
    "operation that can be performed on a failed endpoint."
)

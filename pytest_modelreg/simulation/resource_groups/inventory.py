"""Every taggable resource of one account and region, whoever simulates it, in one list.

A resource has two type names: the Tagging API's ``service:type``
(``sagemaker:model-package-group``, what GetResources' ResourceTypeFilters use) and the
CloudFormation-style name Resource Groups uses (``AWS::SageMaker::ModelPackageGroup``, what
queries and ListGroupResources use).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import Final, NamedTuple

from .. import moto
from ..registry import ModelRegistry
from ..registry.arns import is_registry_arn


class Resource(NamedTuple):  # a tuple: built for every resource on every query, keep it cheap
    arn: str
    tagging_type: str  # "sagemaker:model-package-group"
    tags: dict[str, str]

    @property
    def resource_type(self) -> str:
        """The Resource Groups (CloudFormation) type name."""
        return cfn_type(self.tagging_type)


# Resource Groups supported-resources table (AWS Resource Groups User Guide, "Resource types you
# can use with AWS Resource Groups"): the CloudFormation type names of the types simulated here.
_CFN: Final[dict[str, str]] = {
    "sagemaker:model-package-group": "AWS::SageMaker::ModelPackageGroup",
    "sagemaker:model-package": "AWS::SageMaker::ModelPackage",
    "sagemaker:model": "AWS::SageMaker::Model",
    "sagemaker:endpoint": "AWS::SageMaker::Endpoint",
    "sagemaker:endpoint-config": "AWS::SageMaker::EndpointConfig",
    "sagemaker:pipeline": "AWS::SageMaker::Pipeline",
    "sagemaker:model-card": "AWS::SageMaker::ModelCard",
    "resource-groups:group": "AWS::ResourceGroups::Group",
    "s3": "AWS::S3::Bucket",
    "s3:bucket": "AWS::S3::Bucket",
    "kms:key": "AWS::KMS::Key",
    "ecr:repository": "AWS::ECR::Repository",
    "iam:role": "AWS::IAM::Role",
    "iam:user": "AWS::IAM::User",
    "iam:policy": "AWS::IAM::ManagedPolicy",
}
_SERVICE_NAMES: Final[dict[str, str]] = {
    "sagemaker": "SageMaker",
    "resource-groups": "ResourceGroups",
    "s3": "S3",
    "kms": "KMS",
    "ecr": "ECR",
    "iam": "IAM",
}


@cache
def cfn_type(tagging_type: str) -> str:
    known = _CFN.get(tagging_type)
    if known is not None:
        return known
    # [INFERRED] AWS::<Service>::<PascalCaseType> for types not in the table.
    service, _, kind = tagging_type.partition(":")
    svc = _SERVICE_NAMES.get(service, service.title().replace("-", ""))
    return f"AWS::{svc}::{''.join(p.title() for p in kind.split('-')) or 'Resource'}"


def _moto_resources(account_id: str, region: str) -> Iterable[Resource]:
    """moto's taggable resources (S3 buckets, KMS keys, ...) if moto runs."""
    for r in moto.tagged_resources(account_id, region):
        if not is_registry_arn(r.arn):  # the registry, not moto, owns groups and packages
            yield Resource(r.arn, r.tagging_type, r.tags)


def collect(
    account_id: str,
    region: str,
    registry: ModelRegistry,
    groups: Callable[[str, str], Iterable[Resource]],
    moto_started: bool,
) -> list[Resource]:
    out = [Resource(arn, t, tags) for arn, t, tags in registry.resources(account_id, region)]
    out.extend(groups(account_id, region))
    if moto_started:
        out.extend(_moto_resources(account_id, region))
    return out

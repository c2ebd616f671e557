"""Authorization mapping: a botocore call becomes the IAM requests AWS authorizes for it.

``authorization_requests(service, operation, params, ...)`` returns one
:class:`AuthorizationRequest` per (action, resource) AWS checks, with the request-specific
condition keys. One table per service (``sagemaker.py``, ``s3.py``, ...) lists the operations
whose mapping differs from the generic rule (``<prefix>:<Operation>`` on the resource the
parameters name), written in the mapping language (``language/``); ``tables.py`` lists the tables
and ``mapping.py`` turns an operation into its plan. An operation nobody can map raises
:class:`UnmappedOperation` (fail closed).

Index of every [INFERRED] choice (AWS documents no exact answer; each is also tagged where it is
made - ``grep -rn INFERRED pytest_modelreg/authorization``):

* sagemaker I1  CreateModelPackage (versioned): model-package/<group>/<next version>.
* sagemaker I2  SageMaker List* without resource-level permissions: arn:...:<listed type>/*.
* sagemaker I3  ListModelPackages(ModelPackageGroupName=g): model-package/g/*.
* sagemaker I4  Which KMS actions SageMaker makes for encrypted model packages (kms:ViaService).
* sagemaker I5  CreateModel from a model package also authorizes CreateModel on the package ARN.
* sagemaker I6  Model/endpoint/endpoint-config ARNs keep the name's case (LOWERCASE_ARN_NAMES).
* sagemaker generic: every Create* with Tags gets tag-on-create AddTags (on AddTags' resource
  types); every Create/Update/Start/Put/Import with RoleArn/ExecutionRoleArn gets iam:PassRole.
* s3 I2        CopyObject tags: GetObjectTagging/PutObjectTagging only when the source has tags.
* resource_groups I1  CreateGroup on the new group's ARN (not '*').
* resource_groups I2  ListGroupResources always adds tag:GetResources (no CloudFormation).
* resource_groups I3  StartTagSyncTask passes its role to resource-groups.amazonaws.com.
* iam, ecr     Tag-on-create (iam:Tag<Entity>, ecr:TagResource) on the new resource's ARN.
* language     A name the generic rule cannot find means '*' (Plan.wildcard_fallback); a KMS alias
  the state cannot resolve is authorized as the alias ARN.
"""

from __future__ import annotations

from pytest_modelreg.services import DeniedError, denied_error

from .language.plans import Plan
from .mapping import authorization_requests, describe_plan, plan_for
from .types import AuthorizationRequest, ContextValue, ResourceState, UnmappedOperation

__all__ = [
    "AuthorizationRequest",
    "ContextValue",
    "DeniedError",
    "Plan",
    "ResourceState",
    "UnmappedOperation",
    "authorization_requests",
    "denied_error",
    "describe_plan",
    "plan_for",
]

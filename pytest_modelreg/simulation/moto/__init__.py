"""The one adapter over moto: every line of the package that touches moto is in this package.

moto serves S3, ECR, IAM, STS, KMS, EventBridge and SQS underneath the simulation, and the
simulation reads moto's private state to authorize calls as AWS would (tags, resource policies,
owners, the identity behind a key moto minted) and to deliver events to rules' targets. None of
that is moto's public API, so it is kept here, behind typed functions, as the one place to audit
on a moto release. What each module reads:

* :mod:`.server` (:class:`MotoBackend`): ``moto.mock_aws``, ``moto.core.models.MockAWS`` (its
  ``_nested_count``) and ``botocore_stubber`` (``enabled``, ``process_request``);
  ``moto.core.base_backend.BackendDict`` (``_instances``) and ``backend_lock``.
* :mod:`.resources`: the ``*_backends`` BackendDicts of s3, kms, ecr, iam, sts, sqs and sagemaker;
  SQS ``queues`` (``tags``, ``policy``); SNS ``topics`` (``policy``); EventBridge
  ``event_buses`` (``policy``);
  ``s3_backends.bucket_accounts``, buckets' ``policy``/``keys``/``arn``, each backend's ``tagger``;
  KMS ``keys``, ``get_key_id_from_alias``; ECR ``repositories`` and their ``policy``; IAM
  ``roles``/``users`` (``tags``, ``assume_role_policy_document``); SageMaker ``list_tags`` (and
  the resource types of its ``_get_resource_from_arn``); ``moto.core.resource_tagging``
  (``iter_taggable_backends``, ``iter_tagged_resources``, ``owns_arn``, ``tag_resource``,
  ``untag_resource``); SecretsManager ``secrets`` (``arn``, ``kms_key_id``), DynamoDB ``tables``
  (``hash_key_attr``), SageMaker ``endpoints`` (``endpoint_status``), queues' and topics'
  ``kms_master_key_id``, and the Tagging API listing
  of the sns, awslambda_simple, dynamodb, ssm, secretsmanager and logs backends for their tags.
* :mod:`.deployment`: S3 buckets' ``region_name`` and keys (``encryption``, ``kms_key_id``, delete
  markers), ECR ``repositories`` and their ``images`` (``image_tags``, ``get_image_digest``), and
  SageMaker's ``_models``, ``endpoint_configs``, ``endpoints`` (``endpoint_status``,
  ``failure_reason``, ``_process_production_variants``) and ``transform_jobs``: what SageMaker
  reads as a model's execution role, and the status it sets.
* :mod:`.iam`: IAM ``access_keys`` (``role_arn``, ``user_name``, ``status``), users, roles and
  groups (``policies``, ``managed_policies``, ``permissions_boundary_arn``,
  ``get_groups_for_user``),
  ``managed_policies`` (``versions``, ``is_default``, ``document``); STS ``assumed_roles``
  (``access_key_id``, ``session_name``, ``policy``); ``moto.iam.aws_managed_policies``; and, to
  add AWS managed policies on demand, ``iam_backends``, ``AWSManagedPolicy`` and ``PolicyVersion``
  (``versions``, ``update_default_version``, ``next_version_num``).

* :mod:`.events`: ``events_backends`` (``event_buses``, a bus's ``rules``, a rule's ``state``,
  ``arn``, ``targets``, ``event_pattern.matches_event``); SQS ``send_message``; SNS ``topics`` and
  ``publish``; ``moto.sns.models.Subscription.publish`` (replaced while moto runs, to judge
  deliveries to SQS subscriptions: a subscription's ``protocol``, ``topic.arn``, ``endpoint``).

The releases the adapter supports are ``SUPPORTED_MOTO``: from 5.2.2, the first with
``moto.core.resource_tagging``, up to the next minor release, whose internals are unreviewed.
tests/moto_adapter pins the installed release to that range and runs every function here against a
live moto, so that a moto change breaks that test rather than a user's suite.

Nothing here imports moto at import time: the plugin must stay cheap for projects that never use it.
"""

from __future__ import annotations

from . import deployment
from .iam import (
    IamEntity,
    RoleSessionKey,
    UserKey,
    access_key_owner,
    add_aws_managed_policy,
    aws_managed_policies,
    create_user,
    inline_policies,
    managed_policy_document,
    managed_policy_exists,
    role_session_key,
    set_user_boundary,
    user_now,
)
from .resources import (
    TaggedResource,
    TaggingNotSupported,
    bucket_owner,
    change_tags,
    delete_objects,
    encryption_key,
    endpoint_status,
    kms_key_arn,
    partition_key,
    resource_policy,
    role_arn,
    sagemaker_model_containers,
    sagemaker_taggable,
    secret_arn,
    secret_kms_key,
    tagged_resources,
    tags_of,
)
from .server import MotoBackend

__all__ = [
    "SUPPORTED_MOTO",
    "IamEntity",
    "MotoBackend",
    "RoleSessionKey",
    "TaggedResource",
    "TaggingNotSupported",
    "UserKey",
    "access_key_owner",
    "add_aws_managed_policy",
    "aws_managed_policies",
    "bucket_owner",
    "change_tags",
    "create_user",
    "delete_objects",
    "deployment",
    "encryption_key",
    "endpoint_status",
    "inline_policies",
    "installed_version",
    "kms_key_arn",
    "managed_policy_document",
    "managed_policy_exists",
    "partition_key",
    "resource_policy",
    "role_arn",
    "role_session_key",
    "sagemaker_model_containers",
    "sagemaker_taggable",
    "secret_arn",
    "secret_kms_key",
    "set_user_boundary",
    "supports",
    "tagged_resources",
    "tags_of",
    "user_now",
]

SUPPORTED_MOTO: tuple[tuple[int, ...], tuple[int, ...]] = ((5, 2, 2), (5, 3))
"""The moto releases this adapter is written and tested for: ``low <= version < high``."""


def installed_version() -> str:
    """The installed moto's version (read from its distribution metadata: no moto import)."""
    from importlib import metadata

    return metadata.version("moto")


def supports(version: str) -> bool:
    """True if ``version`` of moto lies in ``SUPPORTED_MOTO``."""
    from packaging.version import Version  # pytest's own dependency

    low, high = SUPPORTED_MOTO
    return low <= Version(version).release < high

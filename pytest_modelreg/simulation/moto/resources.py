"""What authorization and the Tagging API read from moto's resources: tags, resource policies,
bucket owners, KMS keys, roles; and tag changes made through the Tagging API.

Every read goes through :func:`_backend`, which never creates moto state: reading the tags of an
ARN in an account moto has never seen must not make that account exist.
"""

from __future__ import annotations

import functools
import importlib
import json
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from pytest_modelreg.arn import Arn

# --- moto's per-service state, read without creating any ---------------------------------------


#: moto's module and backend name of a service whose ARNs name it otherwise. Lambda is served by
#: ``awslambda_simple`` (``lambda_simple_backends``): the activation runs moto with
#: ``{"lambda": {"use_docker": False}}`` (server.py), which routes Lambda there.
_MOTO_MODULES: dict[str, tuple[str, str]] = {"lambda": ("awslambda_simple", "lambda_simple")}


@functools.cache
def _backend_dict(service: str) -> Any:
    """moto's BackendDict of a service: ``moto.<module>.models.<service>_backends`` (imported on
    first use: moto's SageMaker models alone take a noticeable time to import)."""
    module_name, attribute = _backend_dict_name(service)
    # Read on every look-up at moto's state: sys.modules first, import_module only the first time.
    module = sys.modules.get(module_name) or importlib.import_module(module_name)
    return getattr(module, attribute)


@functools.cache
def _backend_dict_name(service: str) -> tuple[str, str]:
    module, name = _MOTO_MODULES.get(service, (service, service))
    return f"moto.{module}.models", f"{name}_backends"


def _backend(service: str, account: str, region_or_partition: str) -> Any:
    """moto's backend of ``service`` for an account and region (a partition for global services),
    or None when moto holds none: ``dict.get`` bypasses BackendDict's create-on-read."""
    account_backends = dict.get(_backend_dict(service), account)
    return None if account_backends is None else dict.get(account_backends, region_or_partition)


def account_backends(service: str) -> Iterator[tuple[str, Any]]:
    """(account id, backend) for every partition-wide backend of a global service (IAM, STS, S3)."""
    for account, per_partition in list(dict.items(_backend_dict(service))):
        for backend in list(dict.values(per_partition)):
            yield str(account), backend


class _Bucket(NamedTuple):
    account: str
    backend: Any
    bucket: Any


def _bucket(name: str) -> _Bucket | None:
    """The owning account, moto's S3 backend and moto's bucket for a bucket name (S3 bucket names
    are global: moto keeps one name -> (partition, account) index)."""
    owner = _backend_dict("s3").bucket_accounts.get(name)
    if owner is None:
        return None
    partition, account = owner
    backend = _backend("s3", account, partition)
    bucket = None if backend is None else backend.buckets.get(name)
    return None if bucket is None else _Bucket(str(account), backend, bucket)


def _named(objects: Iterable[Any], name: str) -> Any:
    return next((o for o in list(objects) if o.name == name), None)


def _role(account: str, partition: str, name: str) -> Any:
    """moto keeps roles by id; a role's name is unique in its account."""
    iam = _backend("iam", account, partition)
    return None if iam is None else _named(iam.roles.values(), name)


def _text(document: Any) -> str | None:
    """A policy document as moto keeps it (text, bytes or a dict) as JSON text."""
    if document is None or document in ("", b""):
        return None
    if isinstance(document, bytes):
        return document.decode()
    return document if isinstance(document, str) else json.dumps(document)


def tag_dict(tags: Any) -> dict[str, str]:
    """moto's several tag layouts (a Key/Value list, or a dict of key -> {Key, Value} or value)."""
    if isinstance(tags, list):
        return {t["Key"]: t.get("Value", "") for t in tags}
    if isinstance(tags, Mapping):
        return {k: (v["Value"] if isinstance(v, Mapping) else v) for k, v in tags.items()}
    return {}


# --- tags ---------------------------------------------------------------------------------------


def _s3_tags(arn: Arn) -> dict[str, str] | None:
    bucket_name, _, key_name = arn.resource.partition("/")
    found = _bucket(bucket_name)
    if found is None:
        return None
    tagger = found.backend.tagger
    if not key_name:
        return dict(tagger.get_tag_dict_for_resource(found.bucket.arn))
    key = found.bucket.keys.get(key_name)  # the current version
    return None if key is None else dict(tagger.get_tag_dict_for_resource(key.arn))


def _kms_tags(arn: Arn) -> dict[str, str] | None:
    kms = _backend("kms", arn.account, arn.region)
    if kms is None or arn.resource_type != "key" or arn.resource_id not in kms.keys:
        return None
    return dict(kms.tagger.get_tag_dict_for_resource(arn.resource_id))


def _ecr_tags(arn: Arn) -> dict[str, str] | None:
    ecr = _backend("ecr", arn.account, arn.region)
    repo = None if ecr is None else _ecr_repository(ecr, arn)
    return None if repo is None else dict(ecr.tagger.get_tag_dict_for_resource(repo.arn))


def _ecr_repository(ecr: Any, arn: Arn) -> Any:
    return ecr.repositories.get(arn.resource_id) if arn.resource_type == "repository" else None


def _iam_tags(arn: Arn) -> dict[str, str] | None:
    iam = _backend("iam", arn.account, arn.partition)
    if iam is None:
        return None
    if arn.resource_type == "role":
        role = _role(arn.account, arn.partition, arn.name)
        return None if role is None else tag_dict(role.tags)
    if arn.resource_type == "user":
        user = iam.users.get(arn.name)
        return None if user is None else tag_dict(user.tags)
    return None


def _sagemaker_tags(arn: Arn) -> dict[str, str] | None:
    sagemaker = _backend("sagemaker", arn.account, arn.region)
    if sagemaker is None or not sagemaker_taggable(str(arn)):
        return None
    try:  # list_tags is paginated; the resource itself holds every tag
        resource = sagemaker._get_resource_from_arn(str(arn))
    except Exception:  # moto raises its own ValidationError (or worse) for a name it lacks
        return None
    return None if resource is None else tag_dict(resource.tags)


def _queue(arn: Arn) -> Any:
    """moto's SQS queue an ARN names (``arn:...:sqs:<region>:<account>:<name>``), or None."""
    sqs = _backend("sqs", arn.account, arn.region)
    return None if sqs is None else sqs.queues.get(arn.resource)


def _sqs_tags(arn: Arn) -> dict[str, str] | None:
    queue = _queue(arn)
    return None if queue is None else tag_dict(queue.tags)


def _listed_tags(arn: Arn) -> dict[str, str] | None:
    """Tags of a resource of a backend that reports every resource it holds, tagged or not, to
    moto's Tagging API (``TaggableResourcesMixin.iter_tagged_resources``): SNS topics, Lambda
    functions, DynamoDB tables, SSM parameters, secrets, log groups."""
    backend = _backend(arn.service, arn.account, arn.region)
    text = str(arn)
    if backend is None or not backend.owns_arn(text):
        return None
    found = next((r for r in backend.iter_tagged_resources() if r.arn == text), None)
    return None if found is None else dict(found.tags)


_TAG_READERS: dict[str, Callable[[Arn], dict[str, str] | None]] = {
    "sqs": _sqs_tags,
    "s3": _s3_tags,
    "kms": _kms_tags,
    "ecr": _ecr_tags,
    "iam": _iam_tags,
    "sagemaker": _sagemaker_tags,
    **dict.fromkeys(("sns", "lambda", "dynamodb", "ssm", "secretsmanager", "logs"), _listed_tags),
}


def tags_of(arn: str) -> dict[str, str] | None:
    """The tags moto holds for the resource ``arn`` names ({} when it has none); None when moto
    holds no such resource. S3 object ARNs give the current version's object tags."""
    parsed = Arn.parse(arn)
    reader = None if parsed is None else _TAG_READERS.get(parsed.service)
    return None if reader is None or parsed is None else reader(parsed)


# moto's SageMaker tag operations parse "<type>/<name>" and look the name up in one table per type
# (moto/sagemaker/models.py, SageMakerModelBackend._get_resource_from_arn); on any other ARN shape
# they crash with ValueError or AttributeError.
_SAGEMAKER_TAGGABLE = frozenset(
    {
        "model",
        "notebook-instance",
        "endpoint",
        "endpoint-config",
        "training-job",
        "transform-job",
        "experiment",
        "experiment-trial",
        "experiment-trial-component",
        "processing-job",
        "pipeline",
        "cluster",
        "data-quality-job-definition",
        "model-bias-job-definition",
        "automl-job",
        "compilation-job",
        "domain",
        "model-explainability-job-definition",
        "hyper-parameter-tuning-job",
        "model-quality-job-definition",
        "model-card",
    }
)


def sagemaker_model_containers(arn: str) -> list[dict[str, Any]] | None:
    """The containers of the SageMaker Model ``arn`` names, as CreateModel took them
    (PrimaryContainer first, then Containers); None when moto holds no such model."""
    parsed = Arn.parse(arn)
    if parsed is None or parsed.service != "sagemaker" or parsed.resource_type != "model":
        return None
    sagemaker = _backend("sagemaker", parsed.account, parsed.region)
    model = None if sagemaker is None else sagemaker._models.get(parsed.resource_id)
    if model is None or model.arn != arn:
        return None
    containers = [model.primary_container] if model.primary_container else []
    return [dict(c) for c in containers + list(model.containers or [])]


def sagemaker_taggable(arn: str) -> bool:
    """True if moto's SageMaker tag operations can parse ``arn`` (``<type>/<name>``, a known
    type, no further ``/``) without crashing."""
    parsed = Arn.parse(arn)
    if parsed is None:
        return False
    rtype, sep, name = parsed.resource.partition("/")
    return bool(sep and name and "/" not in name and rtype in _SAGEMAKER_TAGGABLE)


# --- resource policies --------------------------------------------------------------------------


def _bucket_policy(arn: Arn) -> str | None:
    found = _bucket(arn.resource.split("/", 1)[0])
    return None if found is None else _text(found.bucket.policy)


def _key_policy(arn: Arn) -> str | None:
    kms = _backend("kms", arn.account, arn.region)
    key = None if kms is None or arn.resource_type != "key" else kms.keys.get(arn.resource_id)
    return None if key is None else _text(key.policy)


def _repository_policy(arn: Arn) -> str | None:
    ecr = _backend("ecr", arn.account, arn.region)
    repo = None if ecr is None else _ecr_repository(ecr, arn)
    return None if repo is None else _text(repo.policy)


def _trust_policy(arn: Arn) -> str | None:
    if arn.resource_type != "role":
        return None
    role = _role(arn.account, arn.partition, arn.name)
    return None if role is None else _text(role.assume_role_policy_document)


def _queue_policy(arn: Arn) -> str | None:
    """An SQS queue policy (the queue's ``Policy`` attribute; moto answers None for an empty
    one)."""
    queue = _queue(arn)
    return None if queue is None else _text(queue.policy)


def _topic_policy(arn: Arn) -> str | None:
    """An SNS topic's access policy (its ``Policy`` attribute; a new topic has AWS's default,
    which allows only principals of the owner account through ``AWS:SourceOwner``)."""
    sns = _backend("sns", arn.account, arn.region)
    topic = None if sns is None else sns.topics.get(str(arn))
    return None if topic is None else _text(topic.policy)


def _event_bus_policy(arn: Arn) -> str | None:
    """An EventBridge event bus's resource-based policy (PutPermission)."""
    events = _backend("events", arn.account, arn.region)
    if events is None or arn.resource_type != "event-bus":
        return None
    bus = events.event_buses.get(arn.resource_id)
    return None if bus is None else _text(bus.policy)


_POLICY_READERS: dict[str, Callable[[Arn], str | None]] = {
    "sqs": _queue_policy,
    "sns": _topic_policy,
    "events": _event_bus_policy,
    "s3": _bucket_policy,
    "kms": _key_policy,
    "ecr": _repository_policy,
    "iam": _trust_policy,
}


def encryption_key(arn: str) -> str | None:
    """The customer or AWS managed KMS key (as the caller named it) an SQS queue or SNS topic
    encrypts its messages with (``KmsMasterKeyId``); None when it names none."""
    parsed = Arn.parse(arn)
    if parsed is None:
        return None
    if parsed.service == "sqs":
        found = _queue(parsed)
    elif parsed.service == "sns":
        sns = _backend("sns", parsed.account, parsed.region)
        found = None if sns is None else sns.topics.get(arn)
    else:
        return None
    key = None if found is None else getattr(found, "kms_master_key_id", None)
    return str(key) if key else None


def resource_policy(arn: str) -> str | None:
    """The resource-based policy moto holds for ``arn``, as JSON text: a bucket policy (for the
    bucket and its objects), a KMS key policy, an ECR repository policy, an SQS queue policy, an
    EventBridge bus policy or a role's trust policy.
    None when there is none."""
    parsed = Arn.parse(arn)
    reader = None if parsed is None else _POLICY_READERS.get(parsed.service)
    return None if reader is None or parsed is None else reader(parsed)


# --- moto's own bucket policy check, switched off ------------------------------------------------
#
# moto judges a bucket policy itself (moto/s3/models.py FakeBucket.get_permission, asked by
# moto/s3/responses.py before object reads and writes and per key of DeleteObjects) without the
# request's context, so a conditional Deny (aws:SecureTransport, s3:x-amz-server-side-encryption)
# answers a bare 403 to calls the plugin allowed, and for an unsigned request it falls back to the
# object's ACL. While an activation runs moto, bucket policies and public ACLs are judged only by
# the package's engine (a call that reaches moto was allowed): moto is told every bucket policy
# permits.


class CountedPatch:
    """A method of a moto class replaced while at least one activation runs moto: nested
    activations each :meth:`take` it once, and the last :meth:`give_back` restores moto's."""

    def __init__(self, module: str, owner: str, name: str, replacement: Any) -> None:
        self._where = (module, owner, name)
        self._replacement = replacement
        self._lock = threading.Lock()
        self._users = 0
        self.original: Any = None
        """moto's own method while the patch is taken (the replacement may call it)."""

    def _owner(self) -> Any:
        module, owner, _ = self._where
        return getattr(importlib.import_module(module), owner)

    def take(self) -> None:
        with self._lock:
            if self._users == 0:
                owner, name = self._owner(), self._where[2]
                self.original = owner.__dict__[name]
                setattr(owner, name, self._replacement)
            self._users += 1

    def give_back(self) -> None:
        with self._lock:
            if self._users == 0:
                return
            self._users -= 1
            if self._users == 0:
                setattr(self._owner(), self._where[2], self.original)
                self.original = None


def _permitted(self: Any, action: str, resource: str) -> Any:
    from moto.iam.access_control import PermissionResult

    return PermissionResult.PERMITTED


#: moto's bucket policy check, switched off (see above).
BUCKET_POLICIES = CountedPatch("moto.s3.models", "FakeBucket", "get_permission", _permitted)


def delete_objects(bucket: str, objects: list[Mapping[str, Any]]) -> dict[str, Any]:
    """DeleteObjects served from moto's S3 state, for the keys the caller may delete: the parsed
    answer (``Deleted``, ``Errors``) as botocore returns it. The caller has checked the bucket."""
    found = _bucket(bucket)
    if found is None or not objects:
        return {"Deleted": []} if objects else {}
    done, locked = found.backend.delete_objects(bucket, [dict(o) for o in objects])
    deleted = []
    for key, version, marker in done:
        entry: dict[str, Any] = {"Key": key}
        if version:
            entry["VersionId"] = version
        if marker:
            entry["DeleteMarker"] = True
            entry["DeleteMarkerVersionId"] = marker
        deleted.append(entry)
    out: dict[str, Any] = {"Deleted": deleted}
    if locked:  # moto's own wording for a key under object lock
        out["Errors"] = [
            {
                "Key": k,
                "Code": "AccessDenied",
                "Message": "Access Denied because object protected by object lock.",
            }
            for k in locked
        ]
    return out


# --- owners and names ---------------------------------------------------------------------------


def bucket_owner(bucket: str) -> str | None:
    """The account that owns an S3 bucket (S3 ARNs carry no account)."""
    found = _bucket(bucket)
    return None if found is None else found.account


def role_arn(account_id: str, role_name: str) -> str | None:
    """The ARN (with its path) of the role ``role_name`` of an account."""
    for account, iam in account_backends("iam"):
        role = _named(iam.roles.values(), role_name) if account == account_id else None
        if role is not None:
            return str(role.arn)
    return None


def kms_key_arn(account_id: str, region: str, key_id: str) -> str | None:
    """A key id, key ARN, alias name or alias ARN resolved to the key's ARN (an ARN names its own
    account and region). Reserved ``alias/aws/<service>`` aliases get their AWS managed key."""
    parsed = Arn.parse(key_id)
    if parsed is not None:
        account_id, region = parsed.account, parsed.region
        key_id = parsed.resource_id if parsed.resource_type == "key" else parsed.resource
    kms = _backend("kms", account_id, region)
    if kms is None:
        return None
    if key_id.startswith("alias/"):
        try:
            key_id = kms.get_key_id_from_alias(key_id) or ""
        except Exception:  # moto's NotFound types for unknown aliases
            return None
    key = kms.keys.get(key_id)
    return None if key is None else str(key.arn)


# --- the Tagging API over moto's resources ------------------------------------------------------


class TaggedResource(NamedTuple):
    arn: str
    tagging_type: str
    """The Tagging API's ``service:type`` (``s3``, ``kms:key``, ``ecr:repository`` ...)."""
    tags: dict[str, str]


def _taggable_backends(account_id: str, region: str) -> Iterator[Any]:
    """moto's backends that join its Tagging API (``TaggableResourcesMixin``), Resource Groups
    excluded: groups are served by the simulation, moto's store of them stays empty."""
    from moto.core.resource_tagging import iter_taggable_backends

    for backend in iter_taggable_backends(account_id, region):
        if getattr(backend, "SERVICE_NAMESPACE", "") != "resource-groups":
            yield backend


def tagged_resources(account_id: str, region: str) -> Iterator[TaggedResource]:
    """Every resource moto's services report to its Tagging API for one account and region."""
    for backend in _taggable_backends(account_id, region):
        try:
            found = list(backend.iter_tagged_resources())
        except Exception:  # one broken moto backend must not hide the others
            continue
        for r in found:
            yield TaggedResource(r.arn, r.resource_type, dict(r.tags))


class TaggingNotSupported(Exception):
    """moto holds the resource but its service cannot change tags through the Tagging API."""


def change_tags(
    arn: str,
    account_id: str,
    region: str,
    add: Mapping[str, str] | None = None,
    remove: list[str] | None = None,
) -> bool:
    """Add or remove tags of a moto resource as the Tagging API's TagResources/UntagResources do;
    False when no moto service holds ``arn``. The ARN's own account and region win over the
    caller's."""
    parsed = Arn.parse(arn)
    if parsed is None:
        return False
    account = parsed.account or account_id
    for backend in _taggable_backends(account, parsed.region or region):
        if not backend.owns_arn(arn):
            continue
        if arn not in {r.arn for r in backend.iter_tagged_resources()}:
            return False
        try:
            if add is not None:
                backend.tag_resource(arn, dict(add))
            if remove is not None:
                backend.untag_resource(arn, list(remove))
        except NotImplementedError:
            raise TaggingNotSupported(arn) from None
        return True
    return False


# --- the services next to a registry -------------------------------------------------------------


def _secret(account_id: str, region: str, secret_id: str) -> Any:
    """moto's secret a name, full ARN or partial ARN names (an ARN names its own account and
    region); moto's ``SecretsStore`` matches all three."""
    parsed = Arn.parse(secret_id)
    if parsed is not None:
        account_id, region = parsed.account or account_id, parsed.region or region
    backend = _backend("secretsmanager", account_id, region)
    return None if backend is None else backend.secrets.get(secret_id)


def secret_arn(account_id: str, region: str, secret_id: str) -> str | None:
    """The full ARN (with its random 6-character suffix) of the secret ``secret_id`` names."""
    secret = _secret(account_id, region, secret_id)
    return None if secret is None else str(secret.arn)


def secret_kms_key(account_id: str, region: str, secret_id: str) -> str | None:
    """The key the secret is encrypted with, as the caller gave it (key id, ARN or alias); None
    for the AWS managed key ``alias/aws/secretsmanager`` (moto's default) or no such secret."""
    secret = _secret(account_id, region, secret_id)
    key = None if secret is None else secret.kms_key_id
    return key if isinstance(key, str) and key and key != "alias/aws/secretsmanager" else None


def partition_key(account_id: str, region: str, table: str) -> str | None:
    """The partition (hash) key attribute of a DynamoDB table moto holds (by name or ARN)."""
    parsed = Arn.parse(table)
    if parsed is not None:
        account_id, region, table = parsed.account, parsed.region, parsed.resource_id
    backend = _backend("dynamodb", account_id, region)
    found = None if backend is None else backend.tables.get(table)
    return None if found is None else str(found.hash_key_attr) or None


def endpoint_status(account_id: str, region: str, name: str) -> str | None:
    """The status of the SageMaker endpoint ``name`` (``InService``...); None if moto has none."""
    backend = _backend("sagemaker", account_id, region)
    endpoint = None if backend is None else backend.endpoints.get(name)
    return None if endpoint is None else str(endpoint.endpoint_status)

"""In-memory state of one activation: one Backend per (account, region)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .index import PackageIndex


@dataclass
class Group:
    name: str
    arn: str
    creation_ms: int
    doc: dict[str, Any]  # DescribeModelPackageGroup output: copied out on read
    seq: int  # creation sequence number (Core.next_seq): the tie-break of sorts
    tags: dict[str, str] = field(default_factory=dict)
    policy: str | None = None
    # Live versions by number, in ascending order (numbers only grow, deletes keep the order).
    versions: dict[int, Package] = field(default_factory=dict)
    # The number the next version gets: never reused after a delete ("Model groups and versions",
    # SageMaker Developer Guide: versions are numbered 1, 2, 3 ... in registration order).
    next_version: int = 1
    context_arn: str | None = None  # lineage context, created with the first version


@dataclass
class Package:
    arn: str
    name: str  # unversioned name, or the group name for a version
    version: int | None
    creation_ms: int
    seq: int  # creation sequence number (Core.next_seq): the tie-break of sorts
    doc: dict[str, Any]  # DescribeModelPackage output
    tags: dict[str, str] = field(default_factory=dict)  # unversioned only
    artifact_arn: str | None = None
    action_arn: str | None = None
    modified_ms: int | None = None  # LastModifiedTime as epoch ms (sorting without datetimes)

    @property
    def versioned(self) -> bool:
        return self.version is not None


@dataclass
class LineageEntity:
    kind: str  # "Artifact" | "Action" | "Context"
    arn: str
    name: str | None
    type: str
    source: dict[str, Any]
    creation_ms: int
    doc: dict[str, Any]


@dataclass
class Association:
    source_arn: str
    destination_arn: str
    source_type: str
    destination_type: str
    association_type: str
    source_name: str | None
    destination_name: str | None
    creation_ms: int
    created_by: dict[str, Any]


@dataclass
class InferenceJob:
    name: str
    arn: str
    doc: dict[str, Any]
    failure: str | None  # decided at create from the package's prerequisites (inference.py)
    package_arn: str | None
    instance_type: str = "ml.m5.large"  # of the fabricated recommendation


@dataclass
class Backend:
    account_id: str
    region: str
    partition: str
    index: PackageIndex  # orderings of the packages, for first pages that do not scan
    groups: dict[str, Group] = field(default_factory=dict)
    unversioned: dict[str, Package] = field(default_factory=dict)
    # Every live package (versioned and unversioned), insertion order = creation order.
    packages: dict[str, Package] = field(default_factory=dict)
    # ClientToken → (the request without its token, the ARN it created).
    client_tokens: dict[str, tuple[dict[str, Any], str]] = field(default_factory=dict)
    # Registrations whose lineage entities are not built yet (built on first lineage read).
    lineage_pending: list[tuple[Group | None, Package]] = field(default_factory=list)
    artifacts: dict[str, LineageEntity] = field(default_factory=dict)
    artifacts_by_source: dict[tuple[str, str], str] = field(default_factory=dict)
    actions: dict[str, LineageEntity] = field(default_factory=dict)  # by name
    contexts: dict[str, LineageEntity] = field(default_factory=dict)  # by name
    associations: dict[tuple[str, str], Association] = field(default_factory=dict)
    inference_jobs: dict[str, InferenceJob] = field(default_factory=dict)

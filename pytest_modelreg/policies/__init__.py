"""AWS managed policy documents, and turning the ``policy=`` argument into documents.

The AmazonSageMakerModelRegistryFullAccess documents ship with the package: v1 is the one on the AWS
documentation page the project started from (whose rendering drops the PassRole condition value; the
policy's real value, ``sagemaker.amazonaws.com``, ships), v2 is the current default version (adds a
Sid to each statement and the KMS statement). Any other AWS managed policy is read, on first use
only, from the copy of AWS's managed policies that moto bundles.

A managed policy's ARN includes its path (``policy/service-role/X`` is not ``policy/X``,
aws/aws-cdk#19830) and its partition; documents are rendered for the partition (see _guesses.py).
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pytest_modelreg.arn import Arn, build
from pytest_modelreg.policies._guesses import RENDER_FOR_PARTITION

__all__ = [
    "MODEL_REGISTRY_FULL_ACCESS",
    "MODEL_REGISTRY_FULL_ACCESS_ARN",
    "ManagedPolicy",
    "PolicyLike",
    "aws_managed",
    "aws_managed_policy",
    "model_registry_full_access",
    "policy_documents",
    "render_for_partition",
]

MODEL_REGISTRY_FULL_ACCESS_NAME = "AmazonSageMakerModelRegistryFullAccess"
MODEL_REGISTRY_FULL_ACCESS_ARN = build(
    "aws", "iam", "", "aws", f"policy/{MODEL_REGISTRY_FULL_ACCESS_NAME}"
)

PolicyLike = Mapping[str, Any] | str | bytes | Path
"""One policy as users give it: a document (dict, JSON text or UTF-8 JSON bytes), a file path, or
an AWS managed policy's name or ARN."""


@functools.cache
def _shipped(version: str) -> dict[str, Any]:
    text = (
        resources.files(__package__)
        .joinpath(f"{MODEL_REGISTRY_FULL_ACCESS_NAME}.{version}.json")
        .read_text(encoding="utf-8")
    )
    document: dict[str, Any] = json.loads(text)
    return document


def model_registry_full_access(version: Literal["v1", "v2"] = "v2") -> dict[str, Any]:
    """A copy of AmazonSageMakerModelRegistryFullAccess at ``version`` (v2 is AWS's default)."""
    if version not in ("v1", "v2"):
        raise ValueError(f"version must be 'v1' or 'v2', not {version!r}")
    return copy.deepcopy(_shipped(version))


MODEL_REGISTRY_FULL_ACCESS: dict[str, Any] = model_registry_full_access("v2")


@dataclass(frozen=True)
class ManagedPolicy:
    """An AWS managed policy as IAM holds it: its ARN (the path is part of it: ``policy/X`` and
    ``policy/service-role/X`` are different policies, aws/aws-cdk#19830), its versions' documents
    rendered for the ARN's partition, and which version is the default."""

    arn: str
    name: str
    path: str
    versions: tuple[tuple[str, dict[str, Any]], ...]
    """(version id, document), oldest first."""
    default_version: str

    @property
    def document(self) -> dict[str, Any]:
        """The default version's document."""
        return next(doc for vid, doc in self.versions if vid == self.default_version)


def render_for_partition(document: Any, partition: str) -> Any:
    """``document`` with every ``arn:aws:`` ARN moved to ``partition`` (see _guesses.py)."""
    if partition == "aws" or not RENDER_FOR_PARTITION:
        return copy.deepcopy(document)
    if isinstance(document, str):
        return f"arn:{partition}:{document[8:]}" if document.startswith("arn:aws:") else document
    if isinstance(document, list):
        return [render_for_partition(v, partition) for v in document]
    if isinstance(document, dict):
        return {k: render_for_partition(v, partition) for k, v in document.items()}
    return document


def aws_managed(name_or_arn: str, partition: str = "aws") -> ManagedPolicy | None:
    """An AWS managed policy by name (in ``partition``) or by ARN (in the ARN's partition, at the
    ARN's path); None if the package knows no such policy. AWS managed policies are owned by the
    account ``aws`` (IAM User Guide, "AWS managed policies")."""
    parsed = Arn.parse(name_or_arn)
    if parsed is not None:
        if (parsed.service, parsed.region, parsed.account) != ("iam", "", "aws"):
            return None
        if parsed.resource_type != "policy":
            return None
        partition, name = parsed.partition, parsed.name
        path = parsed.resource[len("policy") : -len(name)]
    elif "/" in name_or_arn or ":" in name_or_arn:
        return None
    else:
        name, path = name_or_arn, None
    if name == MODEL_REGISTRY_FULL_ACCESS_NAME:
        known_path = "/"
        versions = tuple((v, _shipped(v)) for v in ("v1", "v2"))
        default = "v2"
    else:
        from pytest_modelreg.simulation.moto import aws_managed_policies  # on first use only

        entry = aws_managed_policies().get(name)
        if entry is None:
            return None
        known_path, default = str(entry["Path"]), str(entry["DefaultVersionId"])
        versions = ((default, entry["Document"]),)
    if path is not None and path != known_path:
        return None
    return ManagedPolicy(
        arn=build(partition, "iam", "", "aws", f"policy{known_path}{name}"),
        name=name,
        path=known_path,
        versions=tuple((v, render_for_partition(doc, partition)) for v, doc in versions),
        default_version=default,
    )


def aws_managed_policy(name_or_arn: str, partition: str = "aws") -> dict[str, Any] | None:
    """The default version's document of an AWS managed policy, by name or by ARN (see
    :func:`aws_managed`); None if there is no such policy."""
    policy = aws_managed(name_or_arn, partition)
    return None if policy is None else policy.document


class PolicySourceError(ValueError):
    """A ``policy=`` value that names nothing usable: a missing file, an unknown managed policy."""


def _looks_like_name(text: str) -> bool:
    return text.startswith("arn:") or (text.isidentifier() and not text.startswith("{"))


def policy_documents(
    policy: PolicyLike | Iterable[PolicyLike] | None, partition: str = "aws"
) -> list[dict[str, Any] | str]:
    """Resolve the ``policy=`` argument into policy documents (dicts, or JSON text left for the IAM
    engine to parse so that bad JSON reports IAM's MalformedPolicyDocument wording).

    None means the default: the current AmazonSageMakerModelRegistryFullAccess. AWS managed
    policies named without an ARN are rendered for ``partition`` (the activation region's).
    """
    if policy is None:
        return [render_for_partition(_shipped("v2"), partition)]
    if isinstance(policy, (Mapping, str, bytes, bytearray, Path)):
        return [_one_document(policy, partition)]
    if isinstance(policy, Iterable):
        return [_one_document(item, partition) for item in policy]
    raise PolicySourceError(
        "policy must be a dict, JSON text, a pathlib.Path, a managed policy name or ARN, or a list "
        "of "
        f"these; got {type(policy).__name__}"
    )


def _one_document(item: object, partition: str) -> dict[str, Any] | str:
    if isinstance(item, Mapping):
        return dict(item)
    if isinstance(item, (bytes, bytearray)):
        from pytest_modelreg.iam.policy import document_text  # refuses bytes that are not UTF-8

        return document_text(item)
    if isinstance(item, Path):
        try:
            return item.read_text(encoding="utf-8")
        except OSError as exc:
            raise PolicySourceError(
                f"cannot read policy file {str(item)!r}: {exc.strerror}"
            ) from None
    if isinstance(item, str):
        stripped = item.strip()
        if stripped.startswith("{"):
            return item
        if _looks_like_name(stripped):
            document = aws_managed_policy(stripped, partition)
            if document is None:
                raise PolicySourceError(
                    f"{stripped!r} is not an AWS managed policy name or ARN; pass a policy "
                    "document "
                    "(dict or JSON text) or a pathlib.Path to a JSON file instead"
                )
            return document
        # Text that is neither JSON nor a name: let the IAM engine report it as malformed.
        return item
    raise PolicySourceError(
        f"a policy must be a dict, JSON text, a pathlib.Path or a managed policy name/ARN; got "
        f"{type(item).__name__}"
    )

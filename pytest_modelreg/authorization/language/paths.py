"""Parameter paths: where in a call's parameters a value sits.

A path is written the way the mapping tables name botocore input members:
``"ModelPackageGroupName"``, ``"ModelLifeCycle.Stage"``, ``"ProductionVariants[].InstanceType"``
(``[]`` fans out over a list). Paths are compiled once, when a table is built.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Path = tuple[str, ...]


def compile_path(path: str) -> Path:
    """``'Variants[].InstanceType'`` -> ``('Variants', '[]', 'InstanceType')``."""
    steps: list[str] = []
    for part in path.split("."):
        if part.endswith("[]"):
            steps.extend((part[:-2], "[]"))
        else:
            steps.append(part)
    return tuple(steps)


def values_at(params: Mapping[str, Any], path: Path) -> list[Any]:
    """All values at a compiled path (``[]`` fans out over lists); a missing member gives []."""
    if len(path) == 1:  # the common case: a top-level parameter
        v = params.get(path[0])
        return [] if v is None else [v]
    if "[]" not in path:  # a nested member: one value at most
        found: Any = params
        for step in path:
            if type(found) is not dict and not isinstance(found, Mapping):
                return []
            found = found.get(step)
            if found is None:
                return []
        return [found]
    current: list[Any] = [params]
    for step in path:
        nxt: list[Any] = []
        for item in current:
            if step == "[]":
                if type(item) is list or isinstance(item, (list, tuple)):
                    nxt.extend(item)
            elif type(item) is dict or isinstance(item, Mapping):
                v = item.get(step)
                if v is not None:
                    nxt.append(v)
        current = nxt
        if not current:
            break
    return current


def text(value: Any) -> str:
    """A parameter value as a condition-key or ARN string (booleans as IAM writes them)."""
    if type(value) is str:
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)

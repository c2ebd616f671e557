"""Names and ARNs of registry resources (§1.3): case kept; an ARN selects its account/region."""

from __future__ import annotations

from dataclasses import dataclass

from ..base import CallContext


@dataclass(frozen=True)
class Ref:
    """Where a name-or-ARN input points: the owning account/region and the resource path."""

    partition: str
    region: str
    account_id: str
    resource_type: str  # "model-package-group", "model-package", "" for a bare name
    path: str  # the part after "<type>/" (or the bare name)


def group_arn(partition: str, region: str, account: str, name: str) -> str:
    return f"arn:{partition}:sagemaker:{region}:{account}:model-package-group/{name}"


def package_arn(partition: str, region: str, account: str, name: str, version: int | None) -> str:
    suffix = f"{name}/{version}" if version is not None else name
    return f"arn:{partition}:sagemaker:{region}:{account}:model-package/{suffix}"


def parse(value: str, ctx: CallContext) -> Ref:
    """Resolve a name (caller's account/region) or an ARN (its own account/region)."""
    if value.startswith("arn:"):
        parts = value.split(":", 5)
        if len(parts) == 6:
            _, partition, _svc, region, account, resource = parts
            rtype, _, path = resource.partition("/")
            return Ref(partition, region, account, rtype, path)
    return Ref(ctx.partition, ctx.region, ctx.account_id, "", value)


def split_version(path: str) -> tuple[str, int | None]:
    """ "Group/3" → ("Group", 3); "Name" → ("Name", None)."""
    head, sep, tail = path.rpartition("/")
    if sep and tail.isdigit() and head and "/" not in head:
        return head, int(tail)
    return path, None


def is_registry_arn(arn: str) -> bool:
    """True for model-package(-group) ARNs: the tag operations the registry serves."""
    if not arn.startswith("arn:"):
        return False
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[2] != "sagemaker":
        return False
    rtype = parts[5].split("/", 1)[0]
    return rtype in ("model-package", "model-package-group")

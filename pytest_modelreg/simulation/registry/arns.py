"""Names and ARNs of registry resources: a name means the caller's account and region, an ARN its
own ("ModelPackageGroupName: The name or Amazon Resource Name (ARN) of the model group", the
SageMaker API Reference for the operations that take one). Names keep their case."""

from __future__ import annotations

from dataclasses import dataclass

from pytest_modelreg.arn import Arn, build

from ..base import CallContext

GROUP, PACKAGE = "model-package-group", "model-package"


@dataclass(frozen=True)
class Ref:
    """Where a name-or-ARN input points: the owning account/region and the resource path."""

    partition: str
    region: str
    account_id: str
    resource_type: str  # "model-package-group", "model-package", "" for a bare name
    path: str  # the part after "<type>/" (or the bare name)


def group_arn(partition: str, region: str, account: str, name: str) -> str:
    return build(partition, "sagemaker", region, account, f"{GROUP}/{name}")


def package_arn(partition: str, region: str, account: str, name: str, version: int | None) -> str:
    suffix = f"{name}/{version}" if version is not None else name
    return build(partition, "sagemaker", region, account, f"{PACKAGE}/{suffix}")


def parse(value: str, ctx: CallContext) -> Ref:
    """Resolve a name (caller's account/region) or an ARN (its own account/region)."""
    parsed = Arn.parse(value)
    if parsed is not None:
        rtype, _, path = parsed.resource.partition("/")
        return Ref(parsed.partition, parsed.region, parsed.account, rtype, path)
    return Ref(ctx.partition, ctx.region, ctx.account_id, "", value)


def split_version(path: str) -> tuple[str, int | None]:
    """ "Group/3" → ("Group", 3); "Name" → ("Name", None)."""
    head, sep, tail = path.rpartition("/")
    if sep and tail.isdigit() and head and "/" not in head:
        return head, int(tail)
    return path, None


def registry_resource(arn: str) -> tuple[Arn, str, str] | None:
    """(the ARN, ``model-package-group`` or ``model-package``, the path after the type) for the
    ARN of a registry resource; None for any other text."""
    parsed = Arn.parse(arn)
    if parsed is None or parsed.service != "sagemaker":
        return None
    rtype, _, path = parsed.resource.partition("/")
    return (parsed, rtype, path) if rtype in (GROUP, PACKAGE) else None


def is_registry_arn(arn: str) -> bool:
    """True for model-package(-group) ARNs: the tag operations the registry serves."""
    return registry_resource(arn) is not None

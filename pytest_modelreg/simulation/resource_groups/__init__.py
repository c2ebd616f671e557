"""AWS Resource Groups and the Resource Groups Tagging API, served in-process over every simulated
resource: the Model Registry's groups and packages, resource groups themselves, and moto's
taggable resources. Model Registry *collections* are built from these two APIs (the SageMaker
Python SDK's collection.py; "Collections", SageMaker Developer Guide).

Both services are served entirely here (one state, one answer): moto has no ListGroupResources and
its tagging API cannot see the registry. An operation of these services not implemented here
raises ``UnsupportedOperationError`` rather than reaching moto's unrelated, empty store.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any, Final

from pytest_modelreg.arn import Arn
from pytest_modelreg.errors import UnsupportedOperationError
from pytest_modelreg.services import SERVICES

from .. import moto
from ..base import CallContext, ServiceError
from ..registry import ModelRegistry
from ..registry.arns import is_registry_arn
from . import _guesses, inventory, tagging
from .groups import ResourceGroups
from .inventory import Resource
from .tag_sync import TagSyncTasks

__all__ = ["ResourceGroupsService"]

RG: Final = "resource-groups"
TAGGING: Final = "resourcegroupstaggingapi"

Handler = Callable[[Mapping[str, Any], CallContext], dict[str, Any]]


class ResourceGroupsService:
    """The ``InProcessService`` for ``resource-groups`` and ``resourcegroupstaggingapi``."""

    def __init__(self, registry: ModelRegistry, moto: moto.MotoBackend) -> None:
        self.registry = registry
        self.moto = moto
        self._lock = threading.RLock()
        self.groups = ResourceGroups(self.inventory)
        g = self.groups
        self._rg: dict[str, Handler] = {
            "CreateGroup": g.create_group,
            "GetGroup": g.get_group,
            "GetGroupQuery": g.get_group_query,
            "UpdateGroupQuery": g.update_group_query,
            "UpdateGroup": g.update_group,
            "DeleteGroup": g.delete_group,
            "ListGroups": g.list_groups,
            "ListGroupResources": g.list_group_resources,
            "GroupResources": lambda p, c: g.group_resources(p, c, add=True),
            "UngroupResources": lambda p, c: g.group_resources(p, c, add=False),
            "Tag": g.tag,
            "Untag": g.untag,
            "GetTags": g.get_tags,
            "GetGroupConfiguration": g.get_group_configuration,
            "PutGroupConfiguration": g.put_group_configuration,
        }
        tasks = self.tag_sync = TagSyncTasks(g)
        self._rg.update(
            StartTagSyncTask=tasks.start,
            GetTagSyncTask=tasks.get,
            ListTagSyncTasks=tasks.list,
            CancelTagSyncTask=tasks.cancel,
        )
        inv = self.inventory
        self._tagging: dict[str, Handler] = {
            "GetResources": lambda p, c: tagging.get_resources(inv, p, c),
            "GetTagKeys": lambda p, c: tagging.get_tag_keys(inv, p, c),
            "GetTagValues": lambda p, c: tagging.get_tag_values(inv, p, c),
            "TagResources": lambda p, c: tagging.change_tags(self._tag, p, c, "Tags"),
            "UntagResources": lambda p, c: tagging.change_tags(self._untag, p, c, "TagKeys"),
        }

    # -- InProcessService ------------------------------------------------------------------------
    def claims(self, service: str, operation: str, params: Mapping[str, Any]) -> bool:
        return service in (RG, TAGGING)

    def handle(
        self, service: str, operation: str, params: Mapping[str, Any], ctx: CallContext
    ) -> dict[str, Any]:
        table = self._rg if service == RG else self._tagging
        handler = table.get(operation)
        if handler is None:
            raise UnsupportedOperationError(
                service, operation, "the Resource Groups simulation does not implement it"
            )
        with self._lock:
            return handler(params, ctx)

    def before_moto(
        self, service: str, operation: str, params: Mapping[str, Any], ctx: CallContext
    ) -> None:
        return None

    # -- reads -----------------------------------------------------------------------------------
    def inventory(self, account_id: str, region: str) -> list[Resource]:
        return inventory.collect(
            account_id, region, self.registry, self.groups.resources, self.moto.started
        )

    def tags_of(self, arn: str) -> dict[str, str] | None:
        with self._lock:
            return self.groups.tags_of(arn)

    # -- TagResources / UntagResources per ARN ----------------------------------------------------
    def _tag(self, arn: str, tags: Mapping[str, str], ctx: CallContext) -> bool:
        _check_supported(arn)
        if is_registry_arn(arn):
            if self.registry.tags_of(arn) is None:
                return False
            pairs = [{"Key": k, "Value": v} for k, v in tags.items()]
            self.registry.handle("AddTags", {"ResourceArn": arn, "Tags": pairs}, ctx)
            return True
        if self.groups.by_arn(arn) is not None:
            self.groups.tag({"Arn": arn, "Tags": tags}, ctx)
            return True
        return self.moto.started and _moto_change(arn, ctx, add=tags)

    def _untag(self, arn: str, keys: list[str], ctx: CallContext) -> bool:
        _check_supported(arn)
        if is_registry_arn(arn):
            if self.registry.tags_of(arn) is None:
                return False
            self.registry.handle("DeleteTags", {"ResourceArn": arn, "TagKeys": list(keys)}, ctx)
            return True
        if self.groups.by_arn(arn) is not None:
            self.groups.untag({"Arn": arn, "Keys": keys}, ctx)
            return True
        return self.moto.started and _moto_change(arn, ctx, remove=keys)


# ARNs name their service by its IAM prefix (``tag`` is the Tagging API's, which owns no resource).
_SERVED_PREFIXES: Final = frozenset(s.iam_prefix for s in SERVICES)


def _check_supported(arn: str) -> None:
    """An ARN of a service the simulation does not serve is a resource type the Tagging API does
    not support here: ``InternalServiceException`` "can also mean that the resource type in the
    request is not supported by the Resource Groups Tagging API" (botocore's
    resourcegroupstaggingapi model, ``FailureInfo``; the shape is a fault: HTTP 500)."""
    parsed = Arn.parse(arn)
    if parsed is None or parsed.service not in _SERVED_PREFIXES:
        raise ServiceError(
            "InternalServiceException", _guesses.UNSUPPORTED_TYPE.format(arn=arn), 500
        )


def _moto_change(
    arn: str,
    ctx: CallContext,
    add: Mapping[str, str] | None = None,
    remove: list[str] | None = None,
) -> bool:
    """Apply a tag change through the moto service that owns ``arn``; False if none does."""
    try:
        return moto.change_tags(arn, ctx.account_id, ctx.region, add=add, remove=remove)
    except moto.TaggingNotSupported:
        raise ServiceError(
            "InternalServiceException", f"Tagging {arn} is not simulated", 500
        ) from None

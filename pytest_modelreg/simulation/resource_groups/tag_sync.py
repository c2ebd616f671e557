"""Resource Groups tag-sync tasks: StartTagSyncTask, GetTagSyncTask, ListTagSyncTasks,
CancelTagSyncTask.

Wire facts from botocore's ``resource-groups`` model (2017-11-27): a task is defined by a tag
key-value pair *or* a ``ResourceQuery`` ("If you specify a tag key-value pair, you can't use the
ResourceQuery parameter"; "When using the TagKey parameter, you must also specify the TagValue
parameter"), its query is of the tag-based type ("see the tag-based query type"); ``RoleArn`` is
required and matches the ``RoleArn`` pattern; a task's ARN is
``...:group/<name>/<26 characters>/tag-sync-task/<26 characters>`` (``TagSyncTaskArn`` pattern);
``Status`` is ``ACTIVE`` or ``ERROR``; ``ListTagSyncTasks`` filters by ``GroupArn`` or
``GroupName`` with MaxResults 1-50; CancelTagSyncTask returns nothing. GetTagSyncTask may answer
NotFoundException; CancelTagSyncTask's model declares no NotFoundException.

What a task *does* (adding the ``awsApplication`` tag to matching resources) is not simulated:
the task is recorded and reported (``_guesses``, "Tag-sync tasks").
"""

from __future__ import annotations

import hashlib
import re
import secrets
import string
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from pytest_modelreg.arn import Arn, build

from ..base import CallContext
from ..registry.clock import to_datetime
from . import _guesses, paging, query
from .groups import Group, ResourceGroups, bad_request, not_found

_ROLE_ARN: Final = r"arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+"
_ROLE = re.compile(_ROLE_ARN)
_ID_ALPHABET: Final = string.ascii_lowercase + string.digits
_ID_LENGTH: Final = 26  # TagSyncTaskArn / GroupStringV2 patterns: [a-z0-9]{26}


@dataclass
class TagSyncTask:
    arn: str
    group: Group
    role_arn: str
    created_ms: int
    seq: int
    tag_key: str | None = None
    tag_value: str | None = None
    resource_query: dict[str, str] | None = None

    def shape(self, with_status: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "GroupArn": self.group.arn,
            "GroupName": self.group.name,
            "TaskArn": self.arn,
            "RoleArn": self.role_arn,
        }
        if self.resource_query is not None:
            out["ResourceQuery"] = dict(self.resource_query)
        else:
            out["TagKey"], out["TagValue"] = self.tag_key, self.tag_value
        if with_status:
            out["Status"] = _guesses.TAG_SYNC_STATUS
            out["CreatedAt"] = to_datetime(self.created_ms)
        return out


def _group_id(group_arn: str) -> str:
    """The 26-character id a task ARN carries after the group name (stable per group)."""
    digest = hashlib.sha256(group_arn.encode()).digest()
    return "".join(_ID_ALPHABET[b % len(_ID_ALPHABET)] for b in digest[:_ID_LENGTH])


class TagSyncTasks:
    """Every tag-sync task of one activation, by ARN, in creation order."""

    def __init__(self, groups: ResourceGroups) -> None:
        self._groups = groups
        self._tasks: dict[str, TagSyncTask] = {}
        self._started = 0

    def _live(self, arn: str) -> TagSyncTask | None:
        task = self._tasks.get(arn)
        # A task ends with its group.
        if task is not None and self._groups.by_arn(task.group.arn) is not task.group:
            del self._tasks[arn]
            return None
        return task

    def start(self, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
        key, value, rq = params.get("TagKey"), params.get("TagValue"), params.get("ResourceQuery")
        pair = key is not None or value is not None
        if (
            (pair and rq is not None)
            or (not pair and rq is None)
            or (pair and None in (key, value))
        ):
            raise bad_request(_guesses.TAG_SYNC_DEFINITION)
        if rq is not None:
            if rq.get("Type") != query.TAG_FILTERS:  # "see the tag-based query type"
                raise bad_request(_guesses.TAG_SYNC_QUERY_TYPE.format(type=rq.get("Type")))
            query.parse(rq)
        role = params["RoleArn"]
        if not _ROLE.fullmatch(role):
            raise bad_request(
                f"1 validation error detected: Value '{role}' at 'roleArn' failed to satisfy "
                f"constraint: Member must satisfy regular expression pattern: {_ROLE_ARN}"
            )
        group = self._groups.find(params, ctx)
        parsed = Arn.parse(group.arn)
        assert parsed is not None  # the group's own ARN
        task_id = "".join(secrets.choice(_ID_ALPHABET) for _ in range(_ID_LENGTH))
        resource = f"group/{group.name}/{_group_id(group.arn)}/tag-sync-task/{task_id}"
        task = TagSyncTask(
            arn=build(parsed.partition, "resource-groups", parsed.region, parsed.account, resource),
            group=group,
            role_arn=role,
            created_ms=int(time.time() * 1000),  # read per call: freezegun/time-machine apply
            seq=self._started,
            tag_key=key,
            tag_value=value,
            resource_query=None if rq is None else {"Type": rq["Type"], "Query": rq["Query"]},
        )
        self._started += 1
        self._tasks[task.arn] = task
        return task.shape(with_status=False)

    def get(self, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
        task = self._live(params["TaskArn"])
        if task is None:
            raise not_found()
        return task.shape()

    def cancel(self, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
        if self._live(params["TaskArn"]) is None:
            # CancelTagSyncTask declares no NotFoundException (botocore's model).
            raise bad_request(_guesses.TAG_SYNC_NOT_FOUND.format(arn=params["TaskArn"]))
        del self._tasks[params["TaskArn"]]
        return {}

    def list(self, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
        limit = params.get("MaxResults", _guesses.LIST_TAG_SYNC_TASKS_PAGE)
        if not 1 <= limit <= 50:
            raise bad_request(
                f"1 validation error detected: Value '{limit}' at 'maxResults' failed to "
                "satisfy constraint: Member must have value between 1 and 50"
            )
        after = paging.decode(
            "ListTagSyncTasks", params.get("NextToken"), bad_request(_guesses.BAD_TOKEN_RG)
        )
        filters = params.get("Filters") or []
        tasks = []
        for arn in list(self._tasks):
            task = self._live(arn)
            if task is None or task.group.place != (ctx.account_id, ctx.region):
                continue
            # Several filters: a task matching any of them (each names one group).
            if filters and not any(_matches(task, f) for f in filters):
                continue
            tasks.append(task)
        # In the order started ([INFERRED]); the key is the start sequence, zero-padded to sort.
        page, resume = paging.page([f"{t.seq:012d}" for t in tasks], tasks, after, limit)
        out: dict[str, Any] = {"TagSyncTasks": [t.shape() for t in page]}
        if resume is not None:
            out["NextToken"] = paging.encode("ListTagSyncTasks", resume)
        return out


def _matches(task: TagSyncTask, f: Mapping[str, str]) -> bool:
    arn, name = f.get("GroupArn"), f.get("GroupName")
    return (arn is None or arn == task.group.arn) and (name is None or name == task.group.name)

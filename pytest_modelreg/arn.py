"""Amazon Resource Names: the one place the package splits and joins an ARN.

An ARN is ``arn:partition:service:region:account-id:resource``; the resource part is
``resource-type/resource-id``, ``resource-type:resource-id`` or a bare ``resource-id``
("Identify AWS resources with Amazon Resource Names (ARNs)", IAM User Guide). Everything after the
fifth colon belongs to the resource, colons included.

The partition follows the region: ``aws-cn`` for the China regions and ``aws-us-gov`` for AWS
GovCloud (US) ("Partitions", AWS General Reference), ``aws`` elsewhere.

This module imports nothing from the rest of the package.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

_PREFIX_PARTITIONS: tuple[tuple[str, str], ...] = (
    ("cn-", "aws-cn"),
    ("us-gov-", "aws-us-gov"),
    ("us-iso-", "aws-iso"),
    ("us-isob-", "aws-iso-b"),
    ("eu-isoe-", "aws-iso-e"),
    ("us-isof-", "aws-iso-f"),
)


@functools.lru_cache(maxsize=256)
def partition_of(region: str) -> str:
    """The partition a region belongs to (``aws`` for any region outside the special partitions)."""
    for prefix, partition in _PREFIX_PARTITIONS:
        if region.startswith(prefix):
            return partition
    return "aws"


@dataclass(frozen=True, slots=True)
class Arn:
    """A parsed ARN. ``str(arn)`` gives back exactly the text it was parsed from."""

    partition: str
    service: str
    region: str
    account: str
    resource: str
    """Everything after the fifth colon: ``model-package-group/churn``, ``bucket/key``, ``root``."""

    @classmethod
    def parse(cls, text: str) -> Arn | None:
        """The ARN ``text`` holds; None when it is not one (under six parts, no ``arn:``)."""
        # One call reads the same few ARNs several times (mapping, evaluation, serving): parsed
        # once, and the immutable result shared.
        if text in _PARSED:
            return _PARSED[text]
        parts = text.split(":", 5)
        arn = cls(*parts[1:]) if len(parts) == 6 and parts[0] == "arn" else None
        if len(_PARSED) >= _PARSED_SIZE:
            _PARSED.clear()
        _PARSED[text] = arn
        return arn

    @property
    def resource_type(self) -> str:
        """The resource type before the first ``/`` or ``:`` of the resource ('' for a bare id).

        ``model-package/churn/3`` -> ``model-package``; ``function:f:1`` -> ``function``;
        S3's ``bucket/key`` -> ``bucket`` (S3 ARNs carry no type: read ``resource``).
        """
        return _resource_type(self.resource)

    @property
    def resource_id(self) -> str:
        """The resource after its type (the whole resource when it has no type)."""
        rtype = self.resource_type
        return self.resource[len(rtype) + 1 :] if rtype else self.resource

    @property
    def name(self) -> str:
        """The last ``/``-separated part of the resource (a role's, user's or group's name)."""
        return self.resource.rsplit("/", 1)[-1]

    def with_resource(self, resource: str) -> Arn:
        """The same partition, service, region and account, another resource."""
        return Arn(self.partition, self.service, self.region, self.account, resource)

    def __str__(self) -> str:
        return f"arn:{self.partition}:{self.service}:{self.region}:{self.account}:{self.resource}"


_PARSED_SIZE = 4096
_PARSED: dict[str, Arn | None] = {}


@functools.lru_cache(maxsize=_PARSED_SIZE)
def _resource_type(resource: str) -> str:
    for i, ch in enumerate(resource):
        if ch in "/:":
            return resource[:i]
    return ""


def build(partition: str, service: str, region: str, account: str, resource: str) -> str:
    """The text of an ARN from its parts (global services pass ``region=''``)."""
    return f"arn:{partition}:{service}:{region}:{account}:{resource}"


def account_root(partition: str, account: str) -> str:
    """``arn:<partition>:iam::<account>:root``, the account principal."""
    return build(partition, "iam", "", account, "root")


def iam_arn(partition: str, account: str, kind: str, path: str, name: str) -> str:
    """An IAM identity ARN: ``arn:<partition>:iam::<account>:<kind><path><name>``."""
    return build(partition, "iam", "", account, f"{kind}{path or '/'}{name}")


def assumed_role_arn(partition: str, account: str, role_name: str, session_name: str) -> str:
    """A role session ARN as STS reports it: ``...:sts::<acct>:assumed-role/<role>/<session>``."""
    return build(partition, "sts", "", account, f"assumed-role/{role_name}/{session_name}")

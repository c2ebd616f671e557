"""Which AWS endpoint a host name addresses.

* A host is AWS's if it ends with the DNS suffix (or dual-stack suffix) of one of botocore's
  partitions (``botocore/data/partitions.json``: ``amazonaws.com``, ``api.aws``,
  ``amazonaws.com.cn`` ...).
* The labels before the suffix start with the endpoint prefix (botocore model
  ``metadata.endpointPrefix``: ``api.sagemaker``, ``api.ecr``, ``tagging`` ...) of a served
  service (:func:`pytest_modelreg.services.served_names`: the same list for every service, the
  explicit rows' prefixes tried first so that their hosts load no other model), optionally with
  ``-fips``, followed by the region: ``api.sagemaker.us-east-1.amazonaws.com``,
  ``sts.amazonaws.com``, ``kms-fips.us-west-2.amazonaws.com``.
* S3 also takes the bucket in the host (virtual-hosted style) and older spellings of the region:
  ``bucket.s3.us-east-1.amazonaws.com``, ``bucket.s3.amazonaws.com``,
  ``s3-us-west-2.amazonaws.com``, ``bucket.s3.dualstack.eu-west-1.amazonaws.com`` (Amazon S3
  User Guide, "Virtual hosting of buckets" and "Methods for accessing a bucket"). Website,
  access-point and control endpoints (``s3-website``, ``s3-accesspoint``, ``s3-control``,
  ``s3-object-lambda``) are other APIs.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from pytest_modelreg._botocore_models import loader, service_metadata
from pytest_modelreg.services import SERVED, served_names

__all__ = ["Endpoint", "aws_host_prefix", "endpoint_of"]


@dataclass(frozen=True)
class Endpoint:
    """What a host names."""

    host: str
    service: str | None
    """botocore name of the served service; None for an AWS host of a service not served."""
    region: str | None
    bucket: str | None = None
    """The bucket of a virtual-hosted S3 URL."""
    candidates: tuple[str, ...] = ()
    """Every served service at this endpoint prefix, ``service`` first (elb and elbv2 share
    ``elasticloadbalancing``): the request's own shape tells them apart."""


@functools.cache
def _suffixes() -> tuple[str, ...]:
    """Every partition's DNS suffixes, longest first (``api.aws.ic.gov`` before ``api.aws``)."""
    partitions = loader().load_data("partitions")["partitions"]
    found = {
        p["outputs"][key].lower()
        for p in partitions
        for key in ("dnsSuffix", "dualStackDnsSuffix")
        if p["outputs"].get(key)
    }
    return tuple(sorted(found, key=len, reverse=True))


def _normalize(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):  # an IPv6 literal is never an AWS name
        return host
    return host.rsplit(":", 1)[0].rstrip(".") if ":" in host else host.rstrip(".")


def aws_host_prefix(host: str) -> str | None:
    """The labels of ``host`` before an AWS DNS suffix (``""`` for the bare suffix), or None if
    ``host`` is not an AWS name."""
    name = _normalize(host)
    for suffix in _suffixes():
        if name == suffix:
            return ""
        if name.endswith("." + suffix):
            return name[: -len(suffix) - 1]
    return None


def _index(names: frozenset[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(endpoint prefix, botocore names that share it) of ``names`` other than S3, longest
    prefix first; services with an explicit row first among those sharing a prefix
    (``elasticloadbalancing``: elb and elbv2; ``email``: ses and sesv2)."""
    shared: dict[str, list[str]] = {}
    for name in sorted(names - {"s3"}, key=lambda n: (n not in SERVED, n)):
        shared.setdefault(service_metadata(name)["endpointPrefix"], []).append(name)
    ordered = sorted(shared.items(), key=lambda p: len(p[0]), reverse=True)
    return tuple((prefix, tuple(found)) for prefix, found in ordered)


@functools.cache
def _explicit_prefixes() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return _index(SERVED)


@functools.cache
def _served_prefixes() -> tuple[tuple[str, tuple[str, ...]], ...]:
    # Every service moto serves: read once, on the first host no explicit row names.
    return _index(served_names())


# The label that names S3 in a host: s3, s3-fips, s3-external-1, s3-accelerate, or the older
# s3-<region> form (s3-us-west-2).
_S3_LABEL = re.compile(
    r"^s3(?:-fips|-accelerate|-external-1|-(?P<region>[a-z]{2}(?:-[a-z]+)+-\d+))?$"
)
_LABELS_AFTER_S3 = re.compile(r"^(?:dualstack|fips|[a-z]{2}(?:-[a-z]+)+-\d+)$")


def endpoint_of(host: str) -> Endpoint | None:
    """The endpoint ``host`` names; None if it is not an AWS host."""
    prefix = aws_host_prefix(host)
    if prefix is None:
        return None
    name = _normalize(host)
    labels = prefix.split(".") if prefix else []
    s3 = _s3_endpoint(name, labels)
    if s3 is not None:
        return s3
    for index in (_explicit_prefixes, _served_prefixes):
        found = _match(name, prefix, index())
        if found is not None:
            return found
    return Endpoint(name, None, None)


def _match(
    name: str, prefix: str, index: tuple[tuple[str, tuple[str, ...]], ...]
) -> Endpoint | None:
    for endpoint_prefix, served in index:
        for variant in (endpoint_prefix, endpoint_prefix + "-fips"):
            if prefix == variant:
                return Endpoint(name, served[0], None, candidates=served)
            rest = prefix[len(variant) + 1 :] if prefix.startswith(variant + ".") else None
            if rest and "." not in rest:
                return Endpoint(name, served[0], rest, candidates=served)
    return None


def _s3_endpoint(name: str, labels: list[str]) -> Endpoint | None:
    # The last label that names S3, with nothing but dual-stack / FIPS / a region after it;
    # everything before it is the bucket (bucket names may contain dots).
    for i in range(len(labels) - 1, -1, -1):
        match = _S3_LABEL.match(labels[i])
        if match is None:
            continue
        after = labels[i + 1 :]
        if not all(_LABELS_AFTER_S3.match(label) for label in after):
            return None
        regions = [label for label in after if label not in ("dualstack", "fips")]
        region = match.group("region") or (regions[-1] if regions else None)
        bucket = ".".join(labels[:i]) or None
        return Endpoint(name, "s3", region, bucket)
    return None

"""Hypothesis strategies: botocore input shapes of the SageMaker model, with values that mix
realistic registry names and ARNs, boundary lengths, patterns and plain garbage."""

from __future__ import annotations

import functools
import re
from datetime import datetime, timezone
from typing import Any

import botocore.session
from botocore.model import ListShape, MapShape, Shape, StructureShape
from hypothesis import strategies as st

ACCOUNT = "123456789012"
OTHER_ACCOUNT = "444455556666"
REGION = "us-east-1"
GROUP = "fuzz-group"
GROUP_ARN = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package-group/{GROUP}"
VERSION_ARN = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package/{GROUP}/1"
UNVERSIONED = "fuzz-unversioned"
IMAGE = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/fuzz:1"
INFERENCE_SPEC: dict[str, Any] = {
    "Containers": [{"Image": IMAGE, "ModelDataUrl": "s3://sagemaker-fuzz/model.tar.gz"}],
    "SupportedContentTypes": ["text/csv"],
    "SupportedResponseMIMETypes": ["text/csv"],
}

SAGEMAKER = botocore.session.get_session().get_service_model("sagemaker")

# Names and ARNs that exist (seeded by the tests), almost exist, or cannot exist.
POOL = [
    GROUP,
    GROUP_ARN,
    VERSION_ARN,
    UNVERSIONED,
    f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package/{UNVERSIONED}",
    f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package/{GROUP}/2",
    f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package/{GROUP}/0",
    f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package/{GROUP}/99999999999999999999",
    f"arn:aws:sagemaker:{REGION}:{OTHER_ACCOUNT}:model-package-group/{GROUP}",
    f"arn:aws:sagemaker:eu-west-1:{ACCOUNT}:model-package/{GROUP}/1",
    f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package-group/",
    f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model/whatever",
    f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:action/{GROUP}-1-aws-model-package",
    f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:artifact/abc",
    f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:inference-recommendations-job/job",
    "arn:aws:sagemaker:::",
    "arn:aws:s3:::sagemaker-fuzz",
    "arn::::::",
    "arn:",
    f"{GROUP}/1",
    "ModelPackage",
    "ModelPackageGroup",
    "Approved",
    "PendingManualApproval",
    "*",
    "",
    " ",
    "a",
    "-",
    "a" * 63,
    "a" * 64,
    "a" * 257,
    "ünïcødé",
    "\x00",
    "%",
    "../..",
    "null",
    "0",
    "-1",
]


def _text_for(shape: Shape) -> st.SearchStrategy[str]:
    meta = shape.metadata
    enum = getattr(shape, "enum", None) or []
    options: list[st.SearchStrategy[str]] = [st.sampled_from(POOL), st.text(max_size=20)]
    if enum:
        options = [st.sampled_from(enum), st.sampled_from(enum), *options]
    pattern = meta.get("pattern")
    if pattern:
        try:
            re.compile(pattern)
            options.append(st.from_regex(pattern, fullmatch=True).filter(lambda s: len(s) < 300))
        except re.error:  # a pattern Python's re cannot read: skip it
            pass
    for bound in (meta.get("min"), meta.get("max")):
        if isinstance(bound, int) and bound < 5000:
            options.append(
                st.sampled_from(["x" * max(bound - 1, 0), "x" * bound, "x" * (bound + 1)])
            )
    return st.one_of(options)


def _int_for(shape: Shape) -> st.SearchStrategy[int]:
    lo, hi = shape.metadata.get("min"), shape.metadata.get("max")
    bounded = st.integers(
        min_value=(lo - 2) if isinstance(lo, int) else -5,
        max_value=(hi + 2) if isinstance(hi, int) else 1000,
    )
    return st.one_of(bounded, st.integers(), st.sampled_from([0, -1, 2**31, 2**63]))


def for_shape(shape: Shape, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values for ``shape``: mostly the right type (so they get past botocore and reach the
    simulation), sometimes not (botocore's ParamValidationError)."""
    if depth > 5:
        return st.nothing()
    strategy = _typed(shape, depth)
    # Wrong types, for botocore's ParamValidationError. Not integers for timestamps: botocore
    # takes those as epoch seconds and fails on huge ones client-side (RuntimeError) as it would
    # against AWS.
    ints = st.nothing() if shape.type_name == "timestamp" else st.integers()
    wrong = st.one_of(st.none(), ints, st.text(max_size=5), st.lists(st.integers(), max_size=1))
    return st.one_of(strategy, strategy, strategy, strategy, strategy, strategy, strategy, wrong)


def _typed(shape: Shape, depth: int) -> st.SearchStrategy[Any]:
    if isinstance(shape, StructureShape):
        required = set(shape.required_members)
        members = {n: for_shape(s, depth + 1) for n, s in shape.members.items()}
        deep = depth >= 3
        return st.fixed_dictionaries(
            {n: s for n, s in members.items() if n in required},
            # Beyond a few levels, only required members: keeps examples small and fast.
            optional={} if deep else {n: s for n, s in members.items() if n not in required},
        )
    if isinstance(shape, ListShape):
        return st.lists(for_shape(shape.member, depth + 1), max_size=3)
    if isinstance(shape, MapShape):
        return st.dictionaries(_text_for(shape.key), for_shape(shape.value, depth + 1), max_size=3)
    t = shape.type_name
    if t == "string":
        return _text_for(shape)
    if t in ("integer", "long"):
        return _int_for(shape)
    if t in ("float", "double"):
        return st.floats(allow_nan=False, allow_infinity=False) | st.integers(-10, 10)
    if t == "boolean":
        return st.booleans()
    if t == "timestamp":
        return st.one_of(
            st.datetimes(
                min_value=datetime(1970, 1, 2),
                max_value=datetime(2100, 1, 1),
                timezones=st.just(timezone.utc),
            ),
            st.integers(0, 2**32),
        )
    if t == "blob":
        return st.binary(max_size=10)
    return st.none()


@functools.cache  # building a strategy tree for a big shape is the costly part
def operation_params(operation: str) -> st.SearchStrategy[dict[str, Any]]:
    shape = SAGEMAKER.operation_model(operation).input_shape
    if shape is None:
        return st.just({})
    strategy: st.SearchStrategy[dict[str, Any]] = _typed(shape, 0)
    return strategy

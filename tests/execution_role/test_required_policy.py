"""``reg.required_policy(principal=<role ARN>)`` is the execution role's least-privilege policy: a
deployment with a role that has no permissions, run in warn mode, yields the policy that lets the
same deployment pass in strict mode with nothing denied.

Warn mode lets SageMaker go on past a denied request as if it had been allowed, so that every
request the deployment needs is made and recorded (a check that stopped at the first denial would
leave the rest of the role's permissions out).
"""

from __future__ import annotations

import json
import warnings
from typing import Any

import pytest

from pytest_modelreg import AccessDeniedWarning, mock_modelreg

from ..conftest import ALLOW_ALL
from .conftest import BUCKET, World, arrange

PLAIN: dict[str, Any] = {}  # the image and the compressed artifact of World.create_model
UNCOMPRESSED = {
    "ModelDataSource": {
        "S3DataSource": {
            "S3Uri": f"s3://{BUCKET}/raw/",
            "S3DataType": "S3Prefix",
            "CompressionType": "None",
        }
    }
}


def _deploy(
    enforce: str, container: dict[str, Any], role_policy: dict[str, Any] | None = None
) -> tuple[World, dict[str, Any], dict[str, Any]]:
    """Deploy the model with ``container`` in a fresh activation; the world, DescribeEndpoint's
    answer and the role's required policy."""
    with mock_modelreg(policy=ALLOW_ALL, enforce=enforce) as reg:
        world = arrange(reg)
        s3 = reg.admin_client("s3")
        for name in ("config.json", "weights.bin"):
            s3.put_object(Bucket=BUCKET, Key=f"raw/{name}", Body=b"x")
        if role_policy is not None:
            world.grant(role_policy)
        world.create_model(**({"Image": world.image, **container} if container else {}))
        endpoint = world.deploy()
        return world, endpoint, reg.required_policy(principal=world.role_arn)


def _statements(policy: dict[str, Any]) -> list[str]:
    return sorted(json.dumps(s, sort_keys=True) for s in policy["Statement"])


@pytest.mark.parametrize(
    "container", [pytest.param(PLAIN, id="plain"), pytest.param(UNCOMPRESSED, id="uncompressed")]
)
def test_the_roles_required_policy_from_a_warn_run_passes_a_strict_run(
    container: dict[str, Any],
) -> None:
    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        _world, endpoint, policy = _deploy("warn", container)
    assert endpoint["EndpointStatus"] == "InService"
    # One warning for CreateModel (the model data), one for CreateEndpoint (the image).
    production = [str(w.message) for w in warned if issubclass(w.category, AccessDeniedWarning)]
    assert [m.split(":")[0] for m in production] == [
        "sagemaker.CreateModel",
        "sagemaker.CreateEndpoint",
    ]
    # Every request was made although each was denied: the pull's three, not only the first.
    strict_world, strict_endpoint, again = _deploy("strict", container, policy)
    assert strict_endpoint["EndpointStatus"] == "InService"
    assert strict_world.reg.denied == []
    assert _statements(again) == _statements(policy)


def test_the_plain_deployments_policy_is_the_smallest_one() -> None:
    """The policy of the guide's "Execution roles" section and of "How to use SageMaker AI
    execution roles" (SageMaker Developer Guide, CreateModel API: Execution Role Permissions)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AccessDeniedWarning)
        world, _endpoint, policy = _deploy("warn", PLAIN)
    assert _statements(policy) == _statements(world.smallest())


def test_the_uncompressed_prefix_needs_list_bucket_and_each_object() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AccessDeniedWarning)
        _world, _endpoint, policy = _deploy("warn", UNCOMPRESSED)
    s3 = {json.dumps(s["Action"]): s["Resource"] for s in policy["Statement"]}
    assert s3['"s3:ListBucket"'] == f"arn:aws:s3:::{BUCKET}"
    assert sorted(s3['"s3:GetObject"']) == [
        f"arn:aws:s3:::{BUCKET}/raw/config.json",
        f"arn:aws:s3:::{BUCKET}/raw/weights.bin",
    ]


def test_the_trust_policy_is_not_part_of_it() -> None:
    # sts:AssumeRole is SageMaker's own request, judged by the role's trust policy: an identity
    # policy attached to the role cannot grant it ("Policy evaluation logic", IAM User Guide).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AccessDeniedWarning)
        _world, _endpoint, policy = _deploy("warn", PLAIN)
    assert not any("sts:" in json.dumps(s["Action"]) for s in policy["Statement"])

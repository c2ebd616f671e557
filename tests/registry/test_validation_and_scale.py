"""Model-driven server-side validation (botocore's model, AWS's message format), the contract over every operation, thread safety
and scaling (issue 5 "Done when")."""

from __future__ import annotations

import json
import sys
import threading
from typing import Any

import pytest

from pytest_modelreg.simulation.base import ServiceError
from pytest_modelreg.simulation.registry import _HANDLERS, ModelRegistry
from pytest_modelreg.simulation.registry.validation import compiled_pattern, service_model

from ._helpers import ACCOUNT, CONTAINER, INFERENCE_SPEC, Caller, make_ctx
from .shape_check import problems


def test_every_model_pattern_compiles() -> None:
    model = service_model()
    for name in model.shape_names:
        pat = model.shape_for(name).metadata.get("pattern")
        if pat:
            p = compiled_pattern(pat)
            assert p._ascii is not None, (name, pat)


@pytest.mark.parametrize(
    ("pattern", "value", "ok"),
    [
        ("[\\p{L}\\p{M}\\p{Z}\\p{S}\\p{N}\\p{P}]*", "Modèle ✓ 模型 (v2)", True),
        ("[\\p{L}\\p{M}\\p{Z}\\p{S}\\p{N}\\p{P}]*", "tab\there", False),
        ("([\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]*)${1,128}", "team:ml/prod", True),  # Java "${n}"
        ("([\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]*)${1,128}", "semi;colon", False),
        ("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}", "arn:aws:x", False),  # full match [REAL #3726]
        (
            "(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:[a-z\\-]*\\/)?"
            "([a-zA-Z0-9]([a-zA-Z0-9-]){0,62})(?<!-)",
            "name-",
            False,
        ),
        (
            "arn:[\\p{Alnum}\\-]+:lambda:[\\p{Alnum}\\-]+:[0-9]{12}:function:.*",
            "arn:aws:lambda:us-east-1:123456789012:function:f",
            True,
        ),
        ("[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\t]*", "a\U0001f600b", True),
    ],
)
def test_java_patterns(pattern: str, value: str, ok: bool) -> None:
    assert compiled_pattern(pattern).matches(value) is ok


def test_violation_format_for_nested_list_and_map(call: Caller) -> None:
    call("CreateModelPackageGroup", ModelPackageGroupName="G")
    with pytest.raises(ServiceError) as e:
        call(
            "CreateModelPackage",
            ModelPackageGroupName="G",
            CustomerMetadataProperties={"bad;key": "v"},
        )
    # [INFERRED from the Lambda family] map keys
    assert e.value.message.startswith(
        "1 validation error detected: Value '{bad;key=v}' at 'customerMetadataProperties' failed "
        "to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular "
        "expression pattern:"
    )
    with pytest.raises(ServiceError) as e:
        call(
            "CreateModelPackage",
            ModelPackageGroupName="G",
            InferenceSpecification={**INFERENCE_SPEC, "Containers": [CONTAINER] * 16},
        )
    assert (
        "at 'inferenceSpecification.containers' failed to satisfy constraint: Member must "
        "have length less than or equal to 15" in e.value.message
    )


def test_validation_runs_before_state_checks(call: Caller) -> None:
    # A syntactically bad request is refused even when the resource would not exist.
    with pytest.raises(ServiceError) as e:
        call("DescribeModelPackageGroup", ModelPackageGroupName="bad name")
    assert e.value.message.startswith("1 validation error detected:")


# --- contract: every operation's response through botocore's output shape -----------------------


def test_every_operation_conforms(registry: ModelRegistry) -> None:
    seen: set[str] = set()
    ctx = make_ctx()

    def call(op: str, **p: Any) -> dict[str, Any]:
        r = registry.handle(op, p, ctx)
        shape = service_model().operation_model(op).output_shape
        assert (shape is None and r == {}) or (shape is not None and not problems(r, shape)), (
            op,
            r,
        )
        seen.add(op)
        return r

    g = call(
        "CreateModelPackageGroup", ModelPackageGroupName="G", Tags=[{"Key": "k", "Value": "v"}]
    )["ModelPackageGroupArn"]
    call("DescribeModelPackageGroup", ModelPackageGroupName=g)
    call("ListModelPackageGroups")
    call(
        "PutModelPackageGroupPolicy",
        ModelPackageGroupName="G",
        ResourcePolicy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Principal": "*", "Action": "sagemaker:*", "Resource": g}
                ],
            }
        ),
    )
    call("GetModelPackageGroupPolicy", ModelPackageGroupName="G")
    call("DeleteModelPackageGroupPolicy", ModelPackageGroupName="G")
    p = call(
        "CreateModelPackage",
        ModelPackageGroupName="G",
        InferenceSpecification=INFERENCE_SPEC,
        Domain="MACHINE_LEARNING",
        Task="OTHER",
        SamplePayloadUrl="s3://b/p.tar.gz",
        ModelApprovalStatus="Approved",
    )["ModelPackageArn"]
    call("DescribeModelPackage", ModelPackageName=p)
    call("BatchDescribeModelPackage", ModelPackageArnList=[p, p + "0"])
    call("ListModelPackages", ModelPackageGroupName="G")
    call("UpdateModelPackage", ModelPackageArn=p, ApprovalDescription="ok")
    call("AddTags", ResourceArn=g, Tags=[{"Key": "a", "Value": "b"}])
    call("ListTags", ResourceArn=g)
    call("DeleteTags", ResourceArn=g, TagKeys=["a"])
    call("Search", Resource="ModelPackage")
    call("Search", Resource="ModelPackageGroup")
    call("GetSearchSuggestions", Resource="ModelPackageGroup")
    call("ListModelMetadata")
    call("ListArtifacts")
    assocs = call("ListAssociations", DestinationType="Approval")["AssociationSummaries"]
    call("DescribeAction", ActionName=assocs[0]["DestinationArn"])
    call(
        "CreateInferenceRecommendationsJob",
        JobName="j",
        JobType="Default",
        RoleArn=f"arn:aws:iam::{ACCOUNT}:role/R",
        InputConfig={"ModelPackageVersionArn": p},
    )
    for _ in range(3):
        call("DescribeInferenceRecommendationsJob", JobName="j")
        registry.advance_inference_jobs()
    call("DeleteModelPackage", ModelPackageName=p)
    call("DeleteModelPackageGroup", ModelPackageGroupName="G")
    assert seen == set(_HANDLERS)


# --- thread safety (issue 5) ---------------------------------------------------------------------


def test_concurrent_creates_get_versions_1_to_n() -> None:
    registry = ModelRegistry()
    ctx = make_ctx()
    registry.handle("CreateModelPackageGroup", {"ModelPackageGroupName": "G"}, ctx)
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # force contention, as in interception-notes.md
    arns: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(50):
            arn = registry.handle("CreateModelPackage", {"ModelPackageGroupName": "G"}, ctx)[
                "ModelPackageArn"
            ]
            with lock:
                arns.append(arn)

    try:
        threads = [threading.Thread(target=worker) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(old)
    versions = sorted(int(a.rsplit("/", 1)[1]) for a in arns)
    assert versions == list(range(1, 401))
    listed: list[int] = []
    token = None
    while True:
        p: dict[str, Any] = {"ModelPackageGroupName": "G", "MaxResults": 100}
        if token:
            p["NextToken"] = token
        r = registry.handle("ListModelPackages", p, ctx)
        listed += [s["ModelPackageVersion"] for s in r["ModelPackageSummaryList"]]
        token = r.get("NextToken")
        if not token:
            break
    assert listed == list(range(1, 401))


# --- scaling: a first page reads the same number of packages at 100 and at 10,000 ----------------
# Counted, not timed (benchmarks/growth.py times it): every way of answering a query reads each
# package it considers through Package.doc, so the reads of a scan grow with the registry.


def _registry_with(n: int) -> ModelRegistry:
    """A group G: version 1 Rejected, then Approved / PendingManualApproval alternating."""
    registry = ModelRegistry()
    ctx = make_ctx()
    registry.handle("CreateModelPackageGroup", {"ModelPackageGroupName": "G"}, ctx)
    for v in range(1, n + 1):
        status = "Rejected" if v == 1 else ("Approved" if v % 2 else "PendingManualApproval")
        registry.handle(
            "CreateModelPackage",
            {"ModelPackageGroupName": "G", "ModelApprovalStatus": status},
            ctx,
        )
    return registry


FIRST_PAGES: dict[str, tuple[str, dict[str, Any]]] = {
    "latest Rejected (the oldest version)": (
        "ListModelPackages",
        {
            "ModelPackageGroupName": "G",
            "ModelApprovalStatus": "Rejected",
            "SortOrder": "Descending",
            "MaxResults": 1,
        },
    ),
    "10 newest": ("ListModelPackages", {"ModelPackageGroupName": "G", "SortOrder": "Descending"}),
    "Search Approved": (
        "Search",
        {
            "Resource": "ModelPackage",
            "SearchExpression": {"Filters": [{"Name": "ModelApprovalStatus", "Value": "Approved"}]},
        },
    ),
    "Search Rejected, by creation": (
        "Search",
        {
            "Resource": "ModelPackage",
            "SortBy": "CreationTime",
            "SearchExpression": {"Filters": [{"Name": "ModelApprovalStatus", "Value": "Rejected"}]},
        },
    ),
    "Search whole group": (
        "Search",
        {
            "Resource": "ModelPackage",
            "SearchExpression": {"Filters": [{"Name": "ModelPackageGroupName", "Value": "G"}]},
        },
    ),
}


@pytest.mark.parametrize("query", FIRST_PAGES)
def test_a_first_page_reads_as_many_packages_at_10000_as_at_100(
    query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pytest_modelreg.simulation.registry.state import Package

    operation, params = FIRST_PAGES[query]
    registries = [_registry_with(n) for n in (100, 10_000)]
    reads: list[int] = []

    def doc(self: Package) -> Any:
        reads[-1] += 1
        return self.__dict__["doc"]

    monkeypatch.setattr(Package, "doc", property(doc), raising=False)
    answers = []
    for registry in registries:
        reads.append(0)
        answers.append(registry.handle(operation, params, make_ctx()))
    assert 0 < reads[1] == reads[0] <= 40, reads  # a page of 10, read and copied out
    key = "ModelPackageSummaryList" if operation == "ListModelPackages" else "Results"
    assert answers[0][key] and len(answers[0][key]) == len(answers[1][key])

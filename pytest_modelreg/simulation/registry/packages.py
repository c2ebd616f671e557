"""Model packages: create/describe/batch-describe/update/delete (listing.py lists them).

Versioned packages live in a group and are numbered 1, 2, 3 ... ("Model groups and versions",
SageMaker Developer Guide: the version "starts at 1 and is incremented with each new model package
added"); unversioned ones have a name of their own (the Marketplace form)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from pytest_modelreg.arn import Arn

from ..base import CallContext, ServiceError
from . import _guesses, arns, lineage
from .clock import to_datetime
from .core import Core, conflict, copy, user_context, validation
from .groups import resolve_group
from .state import Backend, Group, Package
from .tags import check_new_tags
from .validation import operation_model


def _members(operation: str, side: str) -> list[str]:
    om = operation_model(operation)
    sh = om.input_shape if side == "input" else om.output_shape
    return list(sh.members) if sh is not None else []


# Create members echoed by DescribeModelPackage as sent: the intersection of the two shapes.
_ECHOED: tuple[str, ...] = tuple(
    m
    for m in _members("CreateModelPackage", "input")
    if m in _members("DescribeModelPackage", "output")
    and m
    not in (
        "ModelPackageName",
        "ModelPackageGroupName",
        "CertifyForMarketplace",
        "ModelApprovalStatus",
    )
)
_IN_FLIGHT = ("Pending", "InProgress")


# --- lookups -----------------------------------------------------------------------------------


def locate(core: Core, value: str, ctx: CallContext) -> tuple[Package | None, str]:
    """The package a VersionedArnOrName names, and the ARN to quote when it does not exist."""
    if value.startswith("arn:"):  # fast path: the SDK always passes the full ARN
        b = core.peek_arn(value)
        found = b.packages.get(value) if b is not None else None
        if found is not None:
            return found, value
    ref = arns.parse(value, ctx)
    name, version = arns.split_version(ref.path)
    if ref.resource_type not in ("", "model-package"):
        return None, value
    arn = (
        arns.package_arn(ref.partition, ref.region, ref.account_id, name, version)
        if not ref.resource_type
        else value
    )
    b = core.peek(ref.account_id, ref.region)
    if b is None:
        return None, arn
    if version is None:
        # A bare group name is an unversioned lookup, never "the latest version" [INFERRED].
        return b.unversioned.get(name), arn
    g = b.groups.get(name)
    return (g.versions.get(version) if g else None), arn


def require_package(core: Core, value: str, ctx: CallContext) -> Package:
    pkg, arn = locate(core, value, ctx)
    if pkg is None:
        # Observed (a DescribeModelPackage traceback of a Marketplace package; the suffix is the
        # one aws-controllers-k8s/sagemaker-controller matches).
        raise validation(f"ModelPackage {arn} does not exist.")
    return pkg


# --- create ------------------------------------------------------------------------------------


def _containers(spec: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
    if not spec:
        return []
    return list(spec.get("Containers") or [])


def _all_containers(params: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    yield from _containers(params.get("InferenceSpecification"))
    for extra in params.get("AdditionalInferenceSpecifications") or []:
        yield from _containers(extra)


def _semantic_checks(params: Mapping[str, Any], versioned: bool) -> None:
    if _guesses.REJECT_ADDITIONAL_S3_DATA_SOURCE and any(
        "AdditionalS3DataSource" in c for c in _all_containers(params)
    ):
        raise validation(
            "AdditionalS3DataSource is not allowed in InferenceSpecification"
        )  # [REAL]
    if not versioned:
        if any(c.get("Environment") for c in _all_containers(params)):
            raise validation(  # as users quote it, ungrammatical header kept verbatim
                "1 validation errors detected:Environment variable map cannot be specified "
                "when using non-versioned ModelPackages"
            )
        if any("ModelDataSource" in c for c in _all_containers(params)):
            raise validation(_guesses.UNVERSIONED_MODEL_DATA_SOURCE)
        if "SourceUri" in params:
            raise validation(_guesses.UNVERSIONED_SOURCE_URI)


# The members a SageMaker Model's ContainerDefinition shares with ModelPackageContainerDefinition
# (botocore's model): what a package registered from a model carries over.
_MODEL_CONTAINER_MEMBERS = (
    "ContainerHostname",
    "Image",
    "ModelDataUrl",
    "ModelDataSource",
    "AdditionalModelDataSources",
    "Environment",
)


def _inference_from_source(core: Core, uri: str, ctx: CallContext) -> dict[str, Any] | None:
    """The InferenceSpecification a SourceUri fills in when the request has none: "If you want to
    clone a model package, set it to the model package Amazon Resource Name (ARN). If you want to
    register a model, set it to the model ARN." (CreateModelPackageInput.SourceUri, botocore's
    model). The SageMaker Python SDK drops InferenceSpecification for such sources because they
    "can lead to auto-population of it" (sagemaker.utils.can_model_package_source_uri_autopopulate).
    """
    source = arns.registry_resource(uri)
    if source is not None and source[1] == arns.PACKAGE:
        src, _ = locate(core, uri, ctx)
        spec = None if src is None else src.doc.get("InferenceSpecification")
        return None if spec is None else copy(spec)
    parsed = Arn.parse(uri)
    if parsed is None or parsed.service != "sagemaker" or parsed.resource_type != "model":
        return None
    containers = core.model_containers(uri)
    if containers is None:
        raise validation(_guesses.SOURCE_MODEL_MISSING.format(arn=uri))
    return {
        "Containers": [
            {k: copy(c[k]) for k in _MODEL_CONTAINER_MEMBERS if k in c} for c in containers
        ]
    }


def _request(params: Mapping[str, Any]) -> dict[str, Any]:
    """What a retry must repeat for ClientToken idempotency: the request minus its token."""
    return {k: v for k, v in params.items() if k != "ClientToken"}


def create(core: Core, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
    has_name = "ModelPackageName" in params
    has_group = "ModelPackageGroupName" in params
    if has_name and has_group:
        raise validation(
            "Both ModelPackageName and ModelPackageGroupName are provided in the input. "
            "Cannot determine which one to use."
        )  # AWS's text, as copied into moto (getmoto/moto PR #7165)
    if not has_name and not has_group:
        raise validation("Missing ARN.")  # "AWS response ... is pretty general" (moto PR #7165)
    own = core.own(ctx)
    token = params.get("ClientToken")
    if token:
        seen = own.client_tokens.get(token)
        if seen is not None:
            if seen[0] == _request(params):
                return {"ModelPackageArn": seen[1]}  # idempotent retry: no new version
            raise ServiceError(
                _guesses.CLIENT_TOKEN_MISMATCH_CODE,
                _guesses.CLIENT_TOKEN_MISMATCH.format(token=token),
            )
    _semantic_checks(params, versioned=has_group)

    group: Group | None = None
    target: Backend
    if has_group:
        gb, group, garn = resolve_group(core, params["ModelPackageGroupName"], ctx)
        if group is None or gb is None:
            raise validation(_guesses.CREATE_PACKAGE_GROUP_MISSING)
        status = group.doc["ModelPackageGroupStatus"]
        if status in ("Deleting", "DeleteFailed"):
            raise conflict(_guesses.GROUP_NOT_READY.format(arn=garn, status=status))
        if params.get("Tags") and _guesses.REJECT_TAGS_ON_VERSIONED:
            raise validation(_guesses.VERSIONED_TAGS_ON_CREATE)
        limit = core.options.max_packages_per_group
        if limit is not None and len(group.versions) >= limit:
            raise ServiceError(
                "ResourceLimitExceeded",
                f"Model Package Group {group.arn} cannot have more than {limit} model packages.",
            )
        target = gb
        name = group.name
        version: int | None = group.next_version
        arn = arns.package_arn(gb.partition, gb.region, gb.account_id, name, version)
    else:
        target = own
        name = params["ModelPackageName"]
        version = None
        arn = arns.package_arn(ctx.partition, ctx.region, ctx.account_id, name, None)
        if name in own.unversioned:
            raise validation(_guesses.PACKAGE_ALREADY_EXISTS.format(arn=arn))
    tags = {} if has_group else check_new_tags(params.get("Tags") or [], arn)

    source_uri = params.get("SourceUri")
    inference_spec = params.get("InferenceSpecification")
    if source_uri is not None and inference_spec is None:
        inference_spec = _inference_from_source(core, source_uri, ctx)
    elif source_uri is not None and Arn.parse(source_uri) is None:
        raise validation(_guesses.SOURCE_URI_WITH_INFERENCE_SPEC)

    ms = core.clock.now_ms()
    src_params: dict[str, Any] = copy(dict(params))
    doc: dict[str, Any] = {
        "ModelPackageName": name,  # a required output member: the group name for a version
        "ModelPackageArn": arn,
        "CreationTime": to_datetime(ms),
        "CertifyForMarketplace": bool(params.get("CertifyForMarketplace", False)),
        "CreatedBy": user_context(ctx),
    }
    if version is not None:
        doc["ModelPackageGroupName"] = name
        doc["ModelPackageVersion"] = version
        doc["ModelApprovalStatus"] = params.get("ModelApprovalStatus", "PendingManualApproval")
    elif "ModelApprovalStatus" in params:
        doc["ModelApprovalStatus"] = params["ModelApprovalStatus"]
    for m in _ECHOED:
        if m in src_params:
            doc[m] = src_params[m]
    if inference_spec is not None and "InferenceSpecification" not in doc:
        doc["InferenceSpecification"] = copy(inference_spec)
    profiles = (params.get("ValidationSpecification") or {}).get("ValidationProfiles") or []
    if "ValidationSpecification" in params:
        # Pending -> InProgress -> Completed|Failed, as aws-controllers-k8s' end-to-end tests
        # observe on AWS for packages with a ValidationSpecification.
        doc["ModelPackageStatus"] = "Pending"
        statuses = [{"Name": p["ProfileName"], "Status": "NotStarted"} for p in profiles]
    else:
        doc["ModelPackageStatus"] = "Completed"
        statuses = []
    details: dict[str, Any] = {"ValidationStatuses": statuses, "ImageScanStatuses": []}
    if doc["CertifyForMarketplace"] and version is None:
        details["ImageScanStatuses"] = [{"Name": name, "Status": "Completed"}]  # [INFERRED]
    doc["ModelPackageStatusDetails"] = details

    pkg = Package(
        arn=arn, name=name, version=version, creation_ms=ms, seq=core.next_seq(), doc=doc, tags=tags
    )
    if group is not None and version is not None:
        group.next_version += 1
        group.versions[version] = pkg
    else:
        target.unversioned[name] = pkg
    target.packages[arn] = pkg
    target.index.add(pkg)
    if doc["ModelPackageStatus"] == "Pending":
        core.in_flight[arn] = None
    if token:
        own.client_tokens[token] = (_request(src_params), arn)
    # Lineage is built on first read (lineage.flush): registration stays cheap.
    target.lineage_pending.append((group, pkg))
    _emit(core, pkg)
    return {"ModelPackageArn": arn}


_EVENT_DETAIL = (
    "ModelPackageGroupName",
    "ModelPackageVersion",
    "ModelPackageArn",
    "ModelPackageName",
    "ModelPackageStatus",
    "ModelApprovalStatus",
    "ModelPackageDescription",
    "CreationTime",
    "LastModifiedTime",
)


def _emit(core: Core, pkg: Package) -> None:
    """AWS emits this event for every new package and every status/approval change, unapproved
    ones included, which surprises deployment pipelines
    (aws-samples/sagemaker-custom-project-templates#15)."""
    d = pkg.doc
    detail = {k: d[k] for k in _EVENT_DETAIL if k in d}  # scalars only: no deep copy needed
    where = Arn.parse(pkg.arn)
    assert where is not None  # the registry made it
    event = {
        "version": "0",
        "source": "aws.sagemaker",
        "detail-type": "SageMaker Model Package State Change",
        "account": where.account,
        "region": where.region,
        "time": d.get("LastModifiedTime") or d["CreationTime"],
        "resources": [pkg.arn],
        "detail": detail,
    }
    core.events.append(event)
    for listener in core.listeners:
        listener(len(core.events) - 1, event)


# --- advance asynchronous validation ------------------------------------------------------------


def advance_validations(core: Core) -> None:
    """One step for every package whose validation runs: Pending→InProgress→Completed|Failed."""
    for arn, failure in list(core.in_flight.items()):
        pkg = _by_arn(core, arn)
        if pkg is None:
            core.in_flight.pop(arn, None)
            continue
        doc = pkg.doc
        statuses = doc["ModelPackageStatusDetails"]["ValidationStatuses"]
        if doc["ModelPackageStatus"] == "Pending":
            doc["ModelPackageStatus"] = "InProgress"
            for s in statuses:
                s["Status"] = "InProgress"
            _emit(core, pkg)
            continue
        core.in_flight.pop(arn, None)
        if failure is None:
            doc["ModelPackageStatus"] = "Completed"
            for s in statuses:
                s["Status"] = "Completed"
        else:
            doc["ModelPackageStatus"] = "Failed"
            for s in statuses:
                s["Status"] = "Failed"
                s["FailureReason"] = failure
        _emit(core, pkg)


def _by_arn(core: Core, arn: str) -> Package | None:
    b = core.peek_arn(arn)
    return b.packages.get(arn) if b else None


# --- describe ----------------------------------------------------------------------------------

_CARD_KEEP = {"model_overview": ("model_id", "model_name"), "intended_uses": ("risk_rating",)}


def _metadata_only_card(content: str) -> str:
    """IncludedData=MetadataOnly keeps only a few non-sensitive model-card fields (the model's
    IncludedData documentation names them)."""
    try:
        card = json.loads(content)
    except ValueError:
        return "{}"
    out: dict[str, Any] = {}
    for section, keys in _CARD_KEEP.items():
        sec = card.get(section)
        if isinstance(sec, dict):
            kept = {k: sec[k] for k in keys if k in sec}
            if kept:
                out[section] = kept
    if "model_package_details" in card:
        out["model_package_details"] = card["model_package_details"]
    return json.dumps(out)


def describe(core: Core, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
    pkg = require_package(core, params["ModelPackageName"], ctx)
    out: dict[str, Any] = copy(pkg.doc)
    if params.get("IncludedData") == "MetadataOnly" and "ModelCard" in out:
        card = out["ModelCard"]
        if "ModelCardContent" in card:
            card["ModelCardContent"] = _metadata_only_card(card["ModelCardContent"])
    return out


_BATCH = (
    "ModelPackageGroupName",
    "ModelPackageVersion",
    "ModelPackageArn",
    "ModelPackageDescription",
    "CreationTime",
    "InferenceSpecification",
    "ModelPackageStatus",
    "ModelApprovalStatus",
    "ModelPackageRegistrationType",
)


def batch_describe(core: Core, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
    summaries: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for arn in params["ModelPackageArnList"]:
        pkg, quoted = locate(core, arn, ctx)
        # "batch describes a list of versioned model packages" (the model): others are errors.
        if pkg is None or not pkg.versioned:
            errors[arn] = {
                "ErrorCode": "ValidationException",
                "ErrorResponse": f"ModelPackage {quoted} does not exist.",
            }
            continue
        d = pkg.doc
        s = {k: copy(d[k]) for k in _BATCH if k in d}
        s.setdefault("InferenceSpecification", {"Containers": []})  # required member
        summaries[arn] = s
    out: dict[str, Any] = {}
    if summaries:
        out["ModelPackageSummaries"] = summaries
    if errors:
        out["BatchDescribeModelPackageErrorMap"] = errors
    return out


# --- update ------------------------------------------------------------------------------------

_UPDATABLE = (
    "ModelApprovalStatus",
    "ModelPackageRegistrationType",
    "ApprovalDescription",
    "CustomerMetadataProperties",
    "CustomerMetadataPropertiesToRemove",
    "AdditionalInferenceSpecificationsToAdd",
    "InferenceSpecification",
    "SourceUri",
    "ModelCard",
    "ModelLifeCycle",
)


def update(core: Core, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
    arn = params["ModelPackageArn"]
    pkg = _by_arn(core, arn)
    if pkg is None:
        raise validation(f"ModelPackage {arn} does not exist.")
    if not pkg.versioned:
        raise validation(_guesses.UPDATE_UNVERSIONED.format(arn=arn))
    if not any(k in params for k in _UPDATABLE):
        raise validation(_guesses.UPDATE_NOTHING.format(arn=arn))
    doc = pkg.doc
    status = doc["ModelPackageStatus"]
    if status in (*_IN_FLIGHT, "Deleting"):
        raise conflict(_guesses.UPDATE_IN_PROGRESS.format(arn=arn, status=status))
    p = copy(dict(params))

    # Validate everything before changing anything: a refused update changes no state.
    metadata = doc.get("CustomerMetadataProperties")
    if "CustomerMetadataProperties" in p or "CustomerMetadataPropertiesToRemove" in p:
        remove = set(p.get("CustomerMetadataPropertiesToRemove") or [])
        new = p.get("CustomerMetadataProperties") or {}
        both = remove.intersection(new)
        if both:
            raise validation(_guesses.METADATA_SET_AND_REMOVE.format(key=sorted(both)[0]))
        merged = {k: v for k, v in (metadata or {}).items() if k not in remove}
        merged.update(new)  # merge, not replace [INFERRED: ...ToRemove exists to delete keys]
        if len(merged) > 50:
            raise validation(_guesses.METADATA_TOO_MANY)
        metadata = merged
    extra = doc.get("AdditionalInferenceSpecifications")
    if "AdditionalInferenceSpecificationsToAdd" in p:
        add = p["AdditionalInferenceSpecificationsToAdd"]
        _semantic_checks({"AdditionalInferenceSpecifications": add}, versioned=True)
        current = list(extra or [])
        names = {s["Name"] for s in current}
        for s in add:
            if s["Name"] in names:
                raise validation(_guesses.ADDITIONAL_SPEC_DUPLICATE.format(name=s["Name"]))
            names.add(s["Name"])
        if len(current) + len(add) > 15:
            raise validation(_guesses.ADDITIONAL_SPECS_TOO_MANY)
        extra = current + add
    if "InferenceSpecification" in p:
        _semantic_checks({"InferenceSpecification": p["InferenceSpecification"]}, versioned=True)

    old_approval = doc.get("ModelApprovalStatus")
    index = core.backend_of(pkg.arn).index
    index.before_change(pkg)  # re-placed below by its new approval status and LastModifiedTime
    for k in (
        "ModelApprovalStatus",
        "ModelPackageRegistrationType",
        "ApprovalDescription",
        "InferenceSpecification",
        "SourceUri",
        "ModelLifeCycle",
    ):
        if k in p:
            doc[k] = p[k]  # replace; omitted members keep their value
    if "ModelCard" in p:
        # Member by member: a content-only card keeps the stored ModelCardStatus. Both members of
        # ModelPackageModelCard are optional (botocore's model), and the SageMaker Python SDK v2's
        # ModelPackage.update_model_card sends content and status in separate calls, then reads
        # ModelCardStatus back after the content-only one (sagemaker.model).
        doc["ModelCard"] = {**(doc.get("ModelCard") or {}), **p["ModelCard"]}
    if metadata is not None:
        if metadata:
            doc["CustomerMetadataProperties"] = metadata
        else:
            doc.pop("CustomerMetadataProperties", None)
    if extra is not None:
        doc["AdditionalInferenceSpecifications"] = extra
    pkg.modified_ms = core.clock.now_ms()
    doc["LastModifiedTime"] = to_datetime(pkg.modified_ms)
    doc["LastModifiedBy"] = user_context(ctx)
    index.after_change(pkg)
    if doc.get("ModelApprovalStatus") != old_approval:
        lineage.approval_changed(core, pkg)
        _emit(core, pkg)
    return {"ModelPackageArn": pkg.arn}


# --- delete ------------------------------------------------------------------------------------


def delete(core: Core, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
    pkg = require_package(core, params["ModelPackageName"], ctx)
    status = pkg.doc["ModelPackageStatus"]
    if status in _IN_FLIGHT:
        raise conflict(_guesses.DELETE_IN_PROGRESS.format(arn=pkg.arn, status=status))
    b = core.backend_of(pkg.arn)
    del b.packages[pkg.arn]
    b.index.remove(pkg)
    if pkg.version is not None:
        del b.groups[pkg.name].versions[pkg.version]  # numbers are not reused: next_version stays
    else:
        del b.unversioned[pkg.name]
    core.in_flight.pop(pkg.arn, None)
    return {}

"""Lineage entities the registry creates on registration ("Amazon SageMaker-Created Tracking
Entities", SageMaker Developer Guide) and the read APIs over them."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pytest_modelreg.arn import Arn, build

from ..base import CallContext
from . import _guesses, pagination
from .clock import to_datetime, to_ms
from .core import Core, copy, not_found
from .state import Association, Backend, Group, LineageEntity, Package


def _hex(*parts: str) -> str:
    # Deterministic ids: the same source in the same account always yields the same artifact.
    return hashlib.md5("\x00".join(parts).encode(), usedforsecurity=False).hexdigest()


def _arn(b: Backend, kind: str, ident: str) -> str:
    return build(b.partition, "sagemaker", b.region, b.account_id, f"{kind}/{ident}")


@dataclass(frozen=True)
class _Stamp:
    """When and by whom: lineage made at registration shares the package's creation stamp."""

    ms: int
    time: datetime
    who: dict[str, Any]  # never mutated in place; copied on output


def _artifact(b: Backend, artifact_type: str, uri: str, stamp: _Stamp) -> LineageEntity:
    key = (artifact_type, uri)
    existing = b.artifacts_by_source.get(key)
    if existing is not None:
        return b.artifacts[existing]
    ms = stamp.ms
    arn = _arn(b, "artifact", _hex(b.account_id, b.region, artifact_type, uri))
    doc: dict[str, Any] = {
        "ArtifactArn": arn,
        "Source": {"SourceUri": uri},
        "ArtifactType": artifact_type,
        "CreationTime": stamp.time,
        "CreatedBy": stamp.who,
        "LastModifiedTime": stamp.time,
        "LastModifiedBy": stamp.who,
    }
    ent = LineageEntity("Artifact", arn, None, artifact_type, doc["Source"], ms, doc)
    b.artifacts[arn] = ent
    b.artifacts_by_source[key] = arn
    return ent


def _associate(
    b: Backend, src: LineageEntity, dst: LineageEntity, kind: str, stamp: _Stamp
) -> None:
    k = (src.arn, dst.arn)
    if k in b.associations:
        return
    b.associations[k] = Association(
        source_arn=src.arn,
        destination_arn=dst.arn,
        source_type=src.type,
        destination_type=dst.type,
        association_type=kind,
        source_name=src.name,
        destination_name=dst.name,
        creation_ms=stamp.ms,
        created_by=stamp.who,
    )


def flush(b: Backend | None) -> None:
    """Build the lineage of every registration since the last read, in creation order."""
    if b is None or not b.lineage_pending:
        return
    pending, b.lineage_pending = b.lineage_pending, []
    for group, pkg in pending:
        register_package(b, group, pkg)


def flush_all(core: Core) -> None:
    for b in core.backends.values():
        flush(b)


def register_package(b: Backend, group: Group | None, pkg: Package) -> None:
    """The package artifact, group context, approval action and image/model-data artifacts SageMaker
    creates for a registration (the Developer Guide page above)."""
    stamp = _Stamp(pkg.creation_ms, pkg.doc["CreationTime"], pkg.doc["CreatedBy"])
    art = _artifact(b, "Model", pkg.arn, stamp)
    pkg.artifact_arn = art.arn
    for spec in [
        pkg.doc.get("InferenceSpecification") or {},
        *(pkg.doc.get("AdditionalInferenceSpecifications") or []),
    ]:
        for c in spec.get("Containers") or []:
            if c.get("Image"):
                image = _artifact(b, "Image", c["Image"], stamp)
                _associate(b, image, art, "ContributedTo", stamp)
            if c.get("ModelDataUrl"):
                data = _artifact(b, _guesses.MODEL_DATA_ARTIFACT_TYPE, c["ModelDataUrl"], stamp)
                _associate(b, data, art, "ContributedTo", stamp)
    if group is None:
        return
    ms = stamp.ms
    if group.context_arn is None or group.context_arn.split("/", 1)[1] not in b.contexts:
        name = f"{group.name[:40]}-{_hex(group.arn, str(group.creation_ms))[:8]}-model-group"
        carn = _arn(b, "context", name)
        cdoc: dict[str, Any] = {
            "ContextName": name,
            "ContextArn": carn,
            "ContextType": "ModelGroup",
            "Source": {
                "SourceUri": group.arn,
                "SourceType": "ARN",
                "SourceId": str(group.creation_ms),
            },
            "CreationTime": stamp.time,
            "CreatedBy": stamp.who,
        }
        b.contexts[name] = LineageEntity(
            "Context", carn, name, "ModelGroup", cdoc["Source"], ms, cdoc
        )
        group.context_arn = carn
    context = b.contexts[group.context_arn.split("/", 1)[1]]
    _associate(b, art, context, "AssociatedWith", stamp)
    aname = f"{group.name[:40]}-{pkg.version}-{_hex(pkg.arn, str(pkg.creation_ms))[:8]}-approval"
    aarn = _arn(b, "action", aname)
    approval = pkg.doc.get("ModelApprovalStatus", "PendingManualApproval")
    adoc: dict[str, Any] = {
        "ActionName": aname,
        "ActionArn": aarn,
        "Source": {"SourceUri": pkg.arn, "SourceType": "ARN"},
        "ActionType": _guesses.APPROVAL_ACTION_TYPE,
        "Status": _guesses.APPROVAL_ACTION_STATUS.get(approval, "Unknown"),
        "CreationTime": stamp.time,
        "CreatedBy": stamp.who,
        "LastModifiedTime": stamp.time,
        "LastModifiedBy": stamp.who,
    }
    if "MetadataProperties" in pkg.doc:
        adoc["MetadataProperties"] = copy(pkg.doc["MetadataProperties"])
    action = LineageEntity(
        "Action", aarn, aname, _guesses.APPROVAL_ACTION_TYPE, adoc["Source"], ms, adoc
    )
    b.actions[aname] = action
    pkg.action_arn = aarn
    _associate(b, art, action, _guesses.APPROVAL_ASSOCIATION_TYPE, stamp)


def approval_changed(core: Core, pkg: Package) -> None:
    if pkg.action_arn is None:
        return  # not built yet: the action will mirror the approval status when it is
    where = Arn.parse(pkg.action_arn)
    b = core.peek_arn(pkg.action_arn)
    action = b.actions.get(where.resource_id) if b and where else None
    if action is None:
        return
    action.doc["Status"] = _guesses.APPROVAL_ACTION_STATUS.get(
        pkg.doc.get("ModelApprovalStatus", ""), "Unknown"
    )
    action.doc["LastModifiedTime"] = to_datetime(core.clock.now_ms())
    if "LastModifiedBy" in pkg.doc:
        action.doc["LastModifiedBy"] = copy(pkg.doc["LastModifiedBy"])


# --- read APIs ---------------------------------------------------------------------------------


def describe_action(core: Core, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
    flush_all(core)  # an ARN may name another account's action
    value: str = params["ActionName"]
    parsed = Arn.parse(value)
    if parsed is not None:
        b = core.peek_arn(parsed)
        name = parsed.resource_id
        arn = value
    else:
        b = core.peek(ctx.account_id, ctx.region)
        name = value
        arn = build(ctx.partition, "sagemaker", ctx.region, ctx.account_id, f"action/{value}")
    action = b.actions.get(name) if b else None
    if action is None:
        raise not_found(_guesses.LINEAGE_MISSING.format(kind="Action", arn=arn))
    out: dict[str, Any] = copy(action.doc)
    return out


def _time_window(params: Mapping[str, Any]) -> tuple[int | None, int | None]:
    a = to_ms(params["CreatedAfter"]) if "CreatedAfter" in params else None
    z = to_ms(params["CreatedBefore"]) if "CreatedBefore" in params else None
    return a, z


def list_artifacts(core: Core, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
    flush(core.peek(ctx.account_id, ctx.region))
    after = pagination.decode("ListArtifacts", params.get("NextToken"))
    limit = pagination.max_results(params, 10)  # [MODEL] "The default value is 10"
    descending = params.get("SortOrder", "Descending") == "Descending"
    t_a, t_z = _time_window(params)
    b = core.peek(ctx.account_id, ctx.region)
    rows = []
    for a in b.artifacts.values() if b else ():
        if "SourceUri" in params and a.source.get("SourceUri") != params["SourceUri"]:
            continue
        if "ArtifactType" in params and a.type != params["ArtifactType"]:
            continue
        if (t_a is not None and not a.creation_ms > t_a) or (
            t_z is not None and not a.creation_ms < t_z
        ):
            continue
        rows.append(((a.creation_ms, a.arn), a))
    rows.sort(key=lambda r: r[0])
    page, nk = pagination.page_sorted(
        [r[0] for r in rows], [r[1] for r in rows], after, limit, descending
    )
    keys = (
        "ArtifactArn",
        "ArtifactName",
        "Source",
        "ArtifactType",
        "CreationTime",
        "LastModifiedTime",
    )
    out: dict[str, Any] = {
        "ArtifactSummaries": [{k: copy(a.doc[k]) for k in keys if k in a.doc} for a in page]
    }
    if nk is not None:
        out["NextToken"] = pagination.encode("ListArtifacts", nk)
    return out


def list_associations(core: Core, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
    flush(core.peek(ctx.account_id, ctx.region))
    after = pagination.decode("ListAssociations", params.get("NextToken"))
    limit = pagination.max_results(params, 10)
    descending = params.get("SortOrder", "Descending") == "Descending"
    sort_by = params.get("SortBy", "CreationTime")
    t_a, t_z = _time_window(params)
    b = core.peek(ctx.account_id, ctx.region)
    rows = []
    attr = {
        "SourceArn": "source_arn",
        "DestinationArn": "destination_arn",
        "SourceType": "source_type",
        "DestinationType": "destination_type",
        "AssociationType": "association_type",
    }
    for a in b.associations.values() if b else ():
        if any(k in params and getattr(a, f) != params[k] for k, f in attr.items()):
            continue
        if (t_a is not None and not a.creation_ms > t_a) or (
            t_z is not None and not a.creation_ms < t_z
        ):
            continue
        primary: Any = a.creation_ms if sort_by == "CreationTime" else getattr(a, attr[sort_by])
        rows.append(((primary, a.source_arn, a.destination_arn), a))
    rows.sort(key=lambda r: r[0])
    page, nk = pagination.page_sorted(
        [r[0] for r in rows], [r[1] for r in rows], after, limit, descending
    )
    summaries = []
    for a in page:
        s: dict[str, Any] = {
            "SourceArn": a.source_arn,
            "DestinationArn": a.destination_arn,
            "SourceType": a.source_type,
            "DestinationType": a.destination_type,
            "AssociationType": a.association_type,
        }
        if a.source_name:
            s["SourceName"] = a.source_name
        if a.destination_name:
            s["DestinationName"] = a.destination_name
        s["CreationTime"] = to_datetime(a.creation_ms)
        s["CreatedBy"] = copy(a.created_by)
        summaries.append(s)
    out: dict[str, Any] = {"AssociationSummaries": summaries}
    if nk is not None:
        out["NextToken"] = pagination.encode("ListAssociations", nk)
    return out

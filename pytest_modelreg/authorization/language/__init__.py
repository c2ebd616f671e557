"""The mapping language: the vocabulary every service table is written in.

A service table (``authorization/sagemaker.py``...) maps operation names to rows, and imports
only this package:

* :mod:`.paths` - parameter paths (``"ProductionVariants[].ModelName"``);
* :mod:`.call` - the call being mapped (parameters, account, region, simulated state);
* :mod:`.resolvers` - which resource ARNs a row is authorized on (``Template``, ``ArnParam``...);
* :mod:`.context` - request condition keys (``RequestTags``, ``Value``, ``Const``...);
* :mod:`.rows` - a row (``authz(action, resource, *context, when=...)``) and the markers
  ``As``, ``NoAuthorization``, ``Unmapped``;
* :mod:`.table` - the ``Table`` type and a service's ``ServiceTable``;
* :mod:`.generic` - the generic rule for operations a table does not list;
* :mod:`.plans` - rows compiled once per operation and walked per call;
* ``reference`` - the Service Authorization Reference data (``authorization.iamref``).
"""

from __future__ import annotations

from .. import iamref as reference
from .call import Call
from .context import (
    CallerAccount,
    Const,
    ContextBuilder,
    Ctx,
    CtxFn,
    MapPrefixed,
    OperationName,
    RequestTags,
    TagKeys,
    Value,
    ViaService,
)
from .generic import input_members
from .paths import compile_path, values_at
from .resolvers import (
    STAR,
    ArnParam,
    EachName,
    Fn,
    IamByName,
    KmsKey,
    Resolver,
    Template,
    kms_key_arn,
)
from .rows import (
    As,
    Authz,
    NoAuthorization,
    Predicate,
    Unmapped,
    authz,
    has,
    lacks,
    not_in_reference,
    pass_role,
)
from .table import ServiceTable, Table

__all__ = [
    "STAR",
    "ArnParam",
    "As",
    "Authz",
    "Call",
    "CallerAccount",
    "Const",
    "ContextBuilder",
    "Ctx",
    "CtxFn",
    "EachName",
    "Fn",
    "IamByName",
    "KmsKey",
    "MapPrefixed",
    "NoAuthorization",
    "OperationName",
    "Predicate",
    "RequestTags",
    "Resolver",
    "ServiceTable",
    "Table",
    "TagKeys",
    "Template",
    "Unmapped",
    "Value",
    "ViaService",
    "authz",
    "compile_path",
    "has",
    "input_members",
    "kms_key_arn",
    "lacks",
    "not_in_reference",
    "pass_role",
    "reference",
    "values_at",
]

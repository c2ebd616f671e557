"""Answers that depend on who is calling, which moto cannot know (it sees our principals' keys as
strangers), and IAM's own checks on calls moto serves but judges differently from IAM.

* ``sts:GetCallerIdentity`` is answered here.
* AWS managed policies exist in the simulated IAM: an IAM call that names one (attach it, use it as
  a permissions boundary, read it) finds it, because this service adds it to moto's IAM just
  before. Only the policies a call names are added: moto's whole bundle costs ~1.5 s to load.
* A policy ARN that IAM does not hold cannot be attached or used as a boundary (NoSuchEntity).
* Users' permissions boundaries, which moto does not keep, are kept here (on moto's user).
* Policy size quotas (IAM and AWS STS quotas) are checked before moto stores a policy.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pytest_modelreg.arn import Arn
from pytest_modelreg.simulation import moto
from pytest_modelreg.simulation._guesses import BOUNDARY_NOT_FOUND_MESSAGE
from pytest_modelreg.simulation.base import CallContext, ServiceError
from pytest_modelreg.simulation.moto import MotoBackend

# Operations that make a policy part of an identity's permissions: naming a policy IAM does not
# hold fails them. "Policy arn:aws:iam::aws:policy/AWSLambdaFullAccess does not exist or is not
# attachable." with NoSuchEntity, HTTP 404 (pulumi/pulumi#7419, aws/aws-cdk#19830).
_ATTACH = frozenset({"AttachRolePolicy", "AttachUserPolicy", "AttachGroupPolicy"})
_BOUNDARY = frozenset(
    {"CreateRole", "CreateUser", "PutRolePermissionsBoundary", "PutUserPermissionsBoundary"}
)
_USER_BOUNDARY = frozenset({"PutUserPermissionsBoundary", "DeleteUserPermissionsBoundary"})
_ATTACH_MESSAGE = "Policy {arn} does not exist or is not attachable."

# Inline policy puts: the entity kind whose aggregate quota applies, and its name parameter.
_INLINE_PUTS = {
    "PutUserPolicy": ("user", "UserName"),
    "PutRolePolicy": ("role", "RoleName"),
    "PutGroupPolicy": ("group", "GroupName"),
}
_MANAGED_PUTS = frozenset({"CreatePolicy", "CreatePolicyVersion"})


class IdentityService:
    """``sts:GetCallerIdentity`` (STS API Reference), and the IAM checks above."""

    def __init__(self, moto_backend: MotoBackend) -> None:
        self.moto = moto_backend

    def claims(self, service: str, operation: str, params: Mapping[str, Any]) -> bool:
        if service == "iam":
            return operation in _USER_BOUNDARY or (
                operation == "CreateUser" and bool(params.get("PermissionsBoundary"))
            )
        return service == "sts" and operation == "GetCallerIdentity"

    def handle(
        self, service: str, operation: str, params: Mapping[str, Any], ctx: CallContext
    ) -> dict[str, Any]:
        if service == "iam":
            return self._user_boundary(operation, params, ctx)
        return {"UserId": ctx.caller_principal_id, "Account": ctx.account_id, "Arn": ctx.caller_arn}

    def _user_boundary(
        self, operation: str, params: Mapping[str, Any], ctx: CallContext
    ) -> dict[str, Any]:
        """User permissions boundaries, which moto drops (CreateUser) or lacks (Put/Delete): a
        user created with a boundary must not act unbounded."""
        self.moto.ensure_started()
        name = str(params.get("UserName", ""))
        arn = params.get("PermissionsBoundary")
        if isinstance(arn, str):
            self._resolve_policy(operation, arn, ctx)
        if operation == "CreateUser":
            user = moto.create_user(
                ctx.account_id, ctx.partition, name, params.get("Path"), params.get("Tags", [])
            )
            if user is None:  # moto's wording for a taken name
                raise ServiceError("EntityAlreadyExists", f"User {name} already exists", 409)
            moto.set_user_boundary(ctx.account_id, ctx.partition, name, arn)
            boundary = {"PermissionsBoundaryType": "PermissionsBoundaryPolicy"}
            return {
                "User": {**user, "PermissionsBoundary": {**boundary, "PermissionsBoundaryArn": arn}}
            }
        if not moto.set_user_boundary(ctx.account_id, ctx.partition, name, arn):
            # The wording moto's GetUser answers with (moto/iam/models.py).
            raise ServiceError("NoSuchEntity", f"The user with name {name} cannot be found.", 404)
        return {}

    def before_moto(
        self, service: str, operation: str, params: Mapping[str, Any], ctx: CallContext
    ) -> None:
        if service != "iam":
            return
        self.moto.ensure_started()  # moto serves the call next; its IAM state is read here
        arn = params.get("PolicyArn") or params.get("PermissionsBoundary")
        if isinstance(arn, str) and arn:
            self._resolve_policy(operation, arn, ctx)
        _check_quota(operation, params, ctx)

    def _resolve_policy(self, operation: str, arn: str, ctx: CallContext) -> None:
        """Add the AWS managed policy ``arn`` names to moto's IAM; refuse to attach (or bound
        with) a policy IAM does not hold."""
        partition = ctx.partition
        parsed = Arn.parse(arn)
        if parsed is not None and parsed.account == "aws" and parsed.partition == partition:
            from pytest_modelreg.policies import aws_managed

            known = aws_managed(arn)
            if known is not None and known.arn == arn:
                moto.add_aws_managed_policy(
                    ctx.account_id,
                    partition,
                    arn,
                    known.name,
                    known.path,
                    known.versions,
                    known.default_version,
                )
                return
        if operation not in _ATTACH and operation not in _BOUNDARY:
            return  # reads of a missing policy: moto answers NoSuchEntity itself
        if not moto.managed_policy_exists(ctx.account_id, partition, arn):
            message = _ATTACH_MESSAGE if operation in _ATTACH else BOUNDARY_NOT_FOUND_MESSAGE
            raise ServiceError("NoSuchEntity", message.format(arn=arn), 404)


def _check_quota(operation: str, params: Mapping[str, Any], ctx: CallContext) -> None:
    """IAM's policy size quotas ("IAM and AWS STS quotas": managed 6,144 characters; inline,
    the aggregate per entity: user 2,048, role 10,240, group 5,120), as LimitExceeded, HTTP 409
    (aws-cloudformation/cfn-lint#3871, gchq/sleeper#1459)."""
    from pytest_modelreg.iam import quota_error

    document = params.get("PolicyDocument")
    if not isinstance(document, str):
        return
    if operation in _MANAGED_PUTS:
        message = quota_error("managed", document)
    elif operation in _INLINE_PUTS:
        kind, name_param = _INLINE_PUTS[operation]
        name = str(params.get(name_param, ""))
        others = moto.inline_policies(ctx.account_id, ctx.partition, kind, name)
        replaced = params.get("PolicyName")
        message = quota_error(
            kind,  # type: ignore[arg-type]
            document,
            entity_name=name,
            other_inline=[doc for pname, doc in others.items() if pname != replaced],
        )
    else:
        return
    if message is not None:
        raise ServiceError("LimitExceeded", message, 409)

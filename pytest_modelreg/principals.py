"""Principals: who signs a call, and which policies AWS would evaluate for them.

Three kinds exist while a mock is active:

* principals the mock itself made (the principal under test, the admin, ``reg.principal(...)``),
  each with credentials the mock minted;
* IAM users and roles that the code under test created in the simulated IAM (through moto), whose
  keys were minted by ``iam:CreateAccessKey`` or ``sts:AssumeRole``: their policies are read from
  IAM's state at call time, as AWS does;
* anything else is rejected as AWS rejects it, except the placeholder keys moto users set, which
  sign as the principal under test (:mod:`pytest_modelreg.credentials` judges which keys count).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pytest_modelreg.arn import Arn, assumed_role_arn, iam_arn, partition_of

if TYPE_CHECKING:
    import boto3
    from botocore.client import BaseClient

    from pytest_modelreg.iam import Policy
    from pytest_modelreg.iam.policy import PolicyType
    from pytest_modelreg.simulation import moto

PrincipalKind = Literal["role", "user"]

_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def fake_id(prefix: str, seed: str, length: int = 16) -> str:
    # Deterministic ids keep test output stable from run to run.
    digest = hashlib.sha256(seed.encode()).digest()
    return prefix + "".join(_ID_ALPHABET[b % 32] for b in digest[:length])


@dataclass(frozen=True)
class Identity:
    """Everything the authorization layer needs to know about the caller of one call."""

    arn: str
    """The ARN AWS reports for the caller (``arn:aws:sts::<acct>:assumed-role/<role>/<session>``
    for a role session, ``arn:aws:iam::<acct>:user/<path><name>`` for a user)."""
    account_id: str
    principal_id: str
    """``aws:userid``: ``AROA…:<session>`` for a role session, ``AIDA…`` for a user."""
    kind: Literal["AssumedRole", "User", "Service"]
    role_arn: str | None = None
    """The IAM role ARN (with path) behind a role session."""
    username: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    identity_policies: tuple[Policy, ...] = ()
    permissions_boundary: Policy | None = None
    session_policies: tuple[Policy, ...] | None = None
    unrestricted: bool = False
    """Admin identities are never denied and are left out of least-privilege reports."""

    @property
    def principal_arn_key(self) -> str:
        """``aws:PrincipalArn``: the role ARN for a role session, else the caller ARN."""
        return self.role_arn or self.arn

    def global_context(self) -> dict[str, str | tuple[str, ...]]:
        """The global condition keys AWS sets from the principal (IAM User Guide, "AWS global
        condition context keys": aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType,
        aws:userid, aws:username for users only, aws:PrincipalTag/<key>; for a service
        principal only aws:PrincipalServiceName and aws:PrincipalIsAWSService)."""
        if self.kind == "Service":
            return {"aws:PrincipalServiceName": self.arn, "aws:PrincipalIsAWSService": "true"}
        context: dict[str, str | tuple[str, ...]] = {
            "aws:PrincipalArn": self.principal_arn_key,
            "aws:PrincipalAccount": self.account_id,
            "aws:PrincipalType": self.kind,
            "aws:userid": self.principal_id,
            "aws:PrincipalIsAWSService": "false",
        }
        if self.username is not None:
            context["aws:username"] = self.username
        for key, value in self.tags.items():
            context[f"aws:PrincipalTag/{key}"] = value
        return context


@dataclass(frozen=True)
class Credentials:
    access_key: str
    secret_key: str
    token: str | None


class Principal:
    """A principal the mock made: ``reg.principal(...)`` returns one; so does the handle, inside.

    ``.arn``, ``.session()`` and ``.client(service)`` are the public surface.
    """

    def __init__(
        self,
        name: str,
        *,
        account_id: str,
        region: str,
        kind: PrincipalKind,
        identity_policies: Sequence[Policy],
        permissions_boundary: Policy | None = None,
        session_name: str = "pytest-modelreg",
        path: str = "/",
        tags: Mapping[str, str] | None = None,
        unrestricted: bool = False,
    ) -> None:
        self.name = name
        self.account_id = account_id
        self.region = region
        self.kind = kind
        seed = f"{account_id}:{kind}:{path}{name}"
        partition = partition_of(region)
        if kind == "role":
            role_id = fake_id("AROA", seed)
            self.identity = Identity(
                arn=assumed_role_arn(partition, account_id, name, session_name),
                account_id=account_id,
                principal_id=f"{role_id}:{session_name}",
                kind="AssumedRole",
                role_arn=iam_arn(partition, account_id, "role", path, name),
                tags=dict(tags or {}),
                identity_policies=tuple(identity_policies),
                permissions_boundary=permissions_boundary,
                unrestricted=unrestricted,
            )
            key_prefix = "ASIA"
        else:
            self.identity = Identity(
                arn=iam_arn(partition, account_id, "user", path, name),
                account_id=account_id,
                principal_id=fake_id("AIDA", seed),
                kind="User",
                username=name,
                tags=dict(tags or {}),
                identity_policies=tuple(identity_policies),
                permissions_boundary=permissions_boundary,
                unrestricted=unrestricted,
            )
            key_prefix = "AKIA"
        self.credentials = Credentials(
            access_key=fake_id(key_prefix, "key:" + seed),
            secret_key=fake_id("", "secret:" + seed, 40),
            token=fake_id("", "token:" + seed, 64) if kind == "role" else None,
        )

    @property
    def arn(self) -> str:
        return self.identity.arn

    def session(self, region_name: str | None = None) -> boto3.Session:
        """A boto3 Session signed with this principal's credentials."""
        import boto3
        import botocore.session

        core = botocore.session.get_session()
        # One loader for every session the mock makes: each new loader would parse botocore's
        # service models again (~100 ms for SageMaker's), every time a test asks for a client.
        core.register_component("data_loader", _shared_loader())
        return boto3.Session(
            botocore_session=core,
            aws_access_key_id=self.credentials.access_key,
            aws_secret_access_key=self.credentials.secret_key,
            aws_session_token=self.credentials.token,
            region_name=region_name or self.region,
        )

    def client(self, service_name: str, **kwargs: Any) -> BaseClient:
        """A botocore client for ``service_name`` signed as this principal."""
        region_name = kwargs.pop("region_name", None)
        return self.session(region_name).client(service_name, **kwargs)  # type: ignore[call-overload,no-any-return]

    def __repr__(self) -> str:
        return f"<Principal {self.arn}>"


def _shared_loader() -> Any:
    # The interception layer's loader: the one every session made under a mock shares, which
    # also keeps boto3 from appending its data path to it once per session.
    from pytest_modelreg.interception import shared_loader

    return shared_loader()


def identity_from_moto(access_key: str) -> Identity | None:
    """The IAM user or role session that ``access_key`` was minted for inside moto, with the
    policies IAM holds for it right now; None if moto did not mint that key, or the key is
    inactive, or its user is gone."""
    from pytest_modelreg.simulation import moto  # the simulation loads only when a mock is used

    owner = moto.access_key_owner(access_key)
    if isinstance(owner, moto.RoleSessionKey):
        return _role_session_identity(owner)
    if isinstance(owner, moto.UserKey) and owner.active:
        return _user_identity(owner)
    return None


def service_identity(service_principal: str) -> Identity:
    """An AWS service principal (``sagemaker.amazonaws.com``) acting on its own: it has no
    identity policies, so only resource policies (a role's trust policy) can allow it."""
    return Identity(
        arn=service_principal, account_id="", principal_id=service_principal, kind="Service"
    )


def role_session_identity(role_arn: str, session_name: str) -> Identity | None:
    """A session of the role ``role_arn`` names, as a service that assumed it acts, with the
    policies IAM holds for the role now; None when the role does not exist."""
    from pytest_modelreg.simulation import moto

    key = moto.role_session_key(role_arn, session_name)
    return None if key is None else _role_session_identity(key)


def user_identity(account_id: str, username: str) -> Identity | None:
    """The IAM user ``username`` as the simulated IAM holds it now; None if it is gone."""
    from pytest_modelreg.simulation import moto

    owner = moto.user_now(account_id, username)
    return None if owner is None else _user_identity(owner)


def _role_session_identity(key: moto.RoleSessionKey) -> Identity:
    from pytest_modelreg.iam import Policy

    role, session_name = key.role, key.session_name or "session"
    role_arn = Arn.parse(key.role_arn)
    partition = role_arn.partition if role_arn is not None else "aws"
    role_name = role_arn.name if role_arn is not None else key.role_arn
    session_policies = None
    if key.session_policy is not None:
        session_policies = (
            Policy.parse(key.session_policy, policy_id="session", policy_type="session"),
        )
    role_id = role.unique_id if role is not None else fake_id("AROA", key.role_arn)
    return Identity(
        arn=assumed_role_arn(partition, key.account_id, role_name, session_name),
        account_id=key.account_id,
        principal_id=f"{role_id}:{session_name}",
        kind="AssumedRole",
        role_arn=key.role_arn,
        tags=dict(role.tags) if role is not None else {},
        identity_policies=(tuple(_policies_of(key.account_id, [role])) if role is not None else ()),
        permissions_boundary=_boundary(key.account_id, role),
        session_policies=session_policies,
    )


def _user_identity(key: moto.UserKey) -> Identity:
    user = key.user
    return Identity(
        arn=user.arn,
        account_id=key.account_id,
        principal_id=user.unique_id,
        kind="User",
        username=user.name,
        tags=dict(user.tags),
        identity_policies=tuple(_policies_of(key.account_id, [user, *key.groups])),
        permissions_boundary=_boundary(key.account_id, user),
    )


def _policies_of(account_id: str, entities: Iterable[moto.IamEntity]) -> list[Policy]:
    """Each entity's inline policies, then its attached managed policies, entity by entity."""
    from pytest_modelreg.iam import Policy

    found: list[Policy] = []
    for entity in entities:
        found.extend(
            Policy.parse(doc, policy_id=f"{entity.arn}/inline/{name}")
            for name, doc in entity.inline_policies.items()
        )
        found.extend(_managed_policy(account_id, arn) for arn in entity.attached_policies)
    return found


def _boundary(account_id: str, entity: moto.IamEntity | None) -> Policy | None:
    arn = None if entity is None else entity.permissions_boundary
    return None if arn is None else _managed_policy(account_id, arn, "permissions-boundary")


def _managed_policy(account_id: str, arn: str, policy_type: PolicyType = "identity") -> Policy:
    """A managed policy's default version: the account's own, else AWS's (never loaded whole into
    moto's IAM, which would cost seconds per test). One that cannot be resolved (deleted while
    attached, an unknown boundary) denies everything, and its id names it: an unresolvable policy
    must never widen access, as ignoring a missing boundary would."""
    from pytest_modelreg.iam import Policy
    from pytest_modelreg.policies import aws_managed_policy
    from pytest_modelreg.simulation import moto

    document: str | dict[str, Any] | None = moto.managed_policy_document(account_id, arn)
    if document is None:
        document = aws_managed_policy(arn)
    if document is None:
        return Policy.parse(
            _DENY_ALL,
            policy_id=f"{arn} (unresolvable: IAM holds no such policy)",
            policy_type=policy_type,
        )
    return Policy.parse(document, policy_id=arn, policy_type=policy_type)


_DENY_ALL = (
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}'
)

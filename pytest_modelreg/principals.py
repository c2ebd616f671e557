"""Principals: who signs a call, and which policies AWS would evaluate for them.

Three kinds exist while a mock is active:

* principals the mock itself made (the principal under test, the admin, ``reg.principal(...)``),
  each with credentials the mock minted;
* IAM users and roles that the code under test created in the simulated IAM (through moto), whose
  keys were minted by ``iam:CreateAccessKey`` or ``sts:AssumeRole``: their policies are read from
  IAM's state at call time, as AWS does;
* anything else (credentials the mock did not mint, e.g. a client made before activation): treated
  as the principal under test, so that such clients are enforced rather than let through.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import boto3
    from botocore.client import BaseClient

    from pytest_modelreg.iam import Policy

PrincipalKind = Literal["role", "user"]

_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def _fake_id(prefix: str, seed: str, length: int = 16) -> str:
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
    kind: Literal["AssumedRole", "User"]
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
        aws:userid, aws:username for users only, aws:PrincipalTag/<key>)."""
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
        if kind == "role":
            role_id = _fake_id("AROA", seed)
            arn = f"arn:aws:sts::{account_id}:assumed-role/{name}/{session_name}"
            self.identity = Identity(
                arn=arn,
                account_id=account_id,
                principal_id=f"{role_id}:{session_name}",
                kind="AssumedRole",
                role_arn=f"arn:aws:iam::{account_id}:role{path}{name}",
                tags=dict(tags or {}),
                identity_policies=tuple(identity_policies),
                permissions_boundary=permissions_boundary,
                unrestricted=unrestricted,
            )
            key_prefix = "ASIA"
        else:
            arn = f"arn:aws:iam::{account_id}:user{path}{name}"
            self.identity = Identity(
                arn=arn,
                account_id=account_id,
                principal_id=_fake_id("AIDA", seed),
                kind="User",
                username=name,
                tags=dict(tags or {}),
                identity_policies=tuple(identity_policies),
                permissions_boundary=permissions_boundary,
                unrestricted=unrestricted,
            )
            key_prefix = "AKIA"
        self.credentials = Credentials(
            access_key=_fake_id(key_prefix, "key:" + seed),
            secret_key=_fake_id("", "secret:" + seed, 40),
            token=_fake_id("", "token:" + seed, 64) if kind == "role" else None,
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


def _policy_json(document: str | Mapping[str, Any]) -> str:
    # moto keeps inline policy documents as (sometimes URL-encoded) JSON text.
    if isinstance(document, str):
        from urllib.parse import unquote

        text = document if document.lstrip().startswith("{") else unquote(document)
        return text
    return json.dumps(document)


def identity_from_moto(access_key: str) -> Identity | None:
    """The IAM user or role session that ``access_key`` was minted for inside moto, with the
    policies IAM holds for it right now; None if moto did not mint that key."""
    from moto.iam.models import iam_backends

    for account_id, account in list(iam_backends.items()):
        if "aws" not in account:
            continue
        backend = account["aws"]
        key = backend.access_keys.get(access_key)
        if key is None:
            continue
        if key.role_arn:
            return _role_session_identity(backend, account_id, access_key, key.role_arn)
        if key.user_name:
            return _user_identity(backend, account_id, key.user_name)
    return None


def _role_session_identity(
    backend: Any, account_id: str, access_key: str, role_arn: str
) -> Identity:
    from moto.sts.models import sts_backends

    from pytest_modelreg.iam import Policy

    role = next((r for r in backend.roles.values() if r.arn == role_arn), None)
    sts = sts_backends[account_id]["aws"] if account_id in sts_backends else None
    assumed = next(
        (a for a in (sts.assumed_roles if sts else ()) if a.access_key_id == access_key), None
    )
    session_name = assumed.session_name if assumed is not None else "session"
    session_policies = None
    if assumed is not None and assumed.policy:
        session_policies = (
            Policy.parse(_policy_json(assumed.policy), policy_id="session", policy_type="session"),
        )
    boundary_arn = role.permissions_boundary_arn if role is not None else None
    role_id = role.id if role is not None else _fake_id("AROA", role_arn)
    return Identity(
        arn=f"arn:aws:sts::{account_id}:assumed-role/{role_arn.rsplit('/', 1)[-1]}/{session_name}",
        account_id=account_id,
        principal_id=f"{role_id}:{session_name}",
        kind="AssumedRole",
        role_arn=role_arn,
        tags=_moto_tags(role.tags) if role is not None else {},
        identity_policies=(
            tuple(_policies_of(backend, role.policies, role.managed_policies, role_arn))
            if role is not None
            else ()
        ),
        permissions_boundary=_managed_policy(backend, boundary_arn) if boundary_arn else None,
        session_policies=session_policies,
    )


def _user_identity(backend: Any, account_id: str, user_name: str) -> Identity | None:
    user = backend.users.get(user_name)
    if user is None:
        return None
    policies = _policies_of(backend, user.policies, user.managed_policies, user.arn)
    for group in backend.get_groups_for_user(user.name):
        policies.extend(_policies_of(backend, group.policies, group.managed_policies, group.arn))
    boundary_arn = getattr(user, "permissions_boundary_arn", None)
    return Identity(
        arn=user.arn,
        account_id=account_id,
        principal_id=user.id,
        kind="User",
        username=user.name,
        tags=_moto_tags(getattr(user, "tags", None)),
        identity_policies=tuple(policies),
        permissions_boundary=_managed_policy(backend, boundary_arn) if boundary_arn else None,
    )


def _policies_of(
    backend: Any, inline: Mapping[str, str], attached: Iterable[str], owner: str
) -> list[Policy]:
    """An IAM entity's inline policies, then its attached managed policies."""
    from pytest_modelreg.iam import Policy

    found = [
        Policy.parse(_policy_json(doc), policy_id=f"{owner}/inline/{name}")
        for name, doc in inline.items()
    ]
    found.extend(p for p in (_managed_policy(backend, arn) for arn in attached) if p is not None)
    return found


def _managed_policy(backend: Any, arn: str) -> Policy | None:
    """A managed policy's default version: the account's own, else AWS's (never loaded into
    moto's IAM, which would cost seconds per test)."""
    from pytest_modelreg.iam import Policy
    from pytest_modelreg.policies import aws_managed_policy

    document: Any = None
    policy = backend.managed_policies.get(arn)
    if policy is not None:
        document = next((v.document for v in policy.versions if v.is_default), None)
    if document is None:
        document = aws_managed_policy(arn)
    return None if document is None else Policy.parse(_policy_json(document), policy_id=arn)


def _moto_tags(tags: Any) -> dict[str, str]:
    if isinstance(tags, list):
        return {t["Key"]: t["Value"] for t in tags}
    if isinstance(tags, Mapping):
        return {k: (v["Value"] if isinstance(v, Mapping) else v) for k, v in tags.items()}
    return {}

"""IAM identities behind access keys moto minted (``iam:CreateAccessKey``, ``sts:AssumeRole``), and
the policies moto's IAM holds for them, as plain data: the principals module turns them into
identities the IAM engine evaluates.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from .resources import account_backends, tag_dict


@dataclass(frozen=True)
class IamEntity:
    """A user, role or group as moto's IAM holds it right now."""

    arn: str
    unique_id: str
    name: str
    tags: Mapping[str, str]
    inline_policies: Mapping[str, str]
    """Inline policy name -> document (JSON text)."""
    attached_policies: tuple[str, ...]
    """ARNs of the attached managed policies."""
    permissions_boundary: str | None = None
    """The ARN of the managed policy set as permissions boundary (users and roles)."""


@dataclass(frozen=True)
class RoleSessionKey:
    """Temporary credentials ``sts:AssumeRole`` minted for a role."""

    account_id: str
    role_arn: str
    role: IamEntity | None
    """None when the role no longer exists."""
    session_name: str | None
    session_policy: str | None
    """The ``Policy`` passed to AssumeRole (JSON text), if any."""


@dataclass(frozen=True)
class UserKey:
    """A long-term access key ``iam:CreateAccessKey`` minted for a user."""

    account_id: str
    user: IamEntity
    groups: tuple[IamEntity, ...]
    active: bool = True
    """False once ``iam:UpdateAccessKey`` set it ``Inactive`` (botocore iam model,
    ``AccessKey.Status``: "Inactive means it is not [valid for API calls]")."""


def policy_text(document: str | Mapping[str, Any]) -> str:
    """A policy document as JSON text; moto keeps some documents URL-encoded, as IAM's query API
    receives them."""
    if isinstance(document, str):
        return document if document.lstrip().startswith("{") else unquote(document)
    return json.dumps(document)


def _entity(obj: Any) -> IamEntity:
    return IamEntity(
        arn=str(obj.arn),
        unique_id=str(obj.id),
        name=str(obj.name),
        tags=tag_dict(getattr(obj, "tags", None)),
        inline_policies={name: policy_text(doc) for name, doc in obj.policies.items()},
        attached_policies=tuple(obj.managed_policies),
        permissions_boundary=getattr(obj, "permissions_boundary_arn", None),
    )


def access_key_owner(access_key: str) -> RoleSessionKey | UserKey | None:
    """Whom moto minted ``access_key`` for, with what IAM holds for them now; None if moto did not
    mint it (or the user it was minted for is gone)."""
    for account_id, iam in account_backends("iam"):
        key = iam.access_keys.get(access_key)
        if key is None:
            continue
        if key.role_arn:
            return _role_session(iam, account_id, access_key, str(key.role_arn))
        if key.user_name:
            owner = _user_key(iam, account_id, str(key.user_name))
            if owner is None:
                return None
            return UserKey(owner.account_id, owner.user, owner.groups, key.status == "Active")
    return None


def user_now(account_id: str, user_name: str) -> UserKey | None:
    """The user ``user_name`` of ``account_id`` as IAM holds it now (what temporary credentials
    minted for the user carry), or None if the user is gone."""
    for account, iam in account_backends("iam"):
        if account == account_id:
            return _user_key(iam, account_id, user_name)
    return None


def _user_key(iam: Any, account_id: str, user_name: str) -> UserKey | None:
    user = iam.users.get(user_name)
    if user is None:
        return None
    groups = tuple(_entity(g) for g in iam.get_groups_for_user(user.name))
    return UserKey(account_id, _entity(user), groups)


def _role_session(iam: Any, account_id: str, access_key: str, role_arn: str) -> RoleSessionKey:
    role = next((r for r in list(iam.roles.values()) if r.arn == role_arn), None)
    sessions = (
        session
        for account, sts in account_backends("sts")
        if account == account_id
        for session in sts.assumed_roles
    )
    assumed = next((s for s in sessions if s.access_key_id == access_key), None)
    policy = None if assumed is None else assumed.policy
    return RoleSessionKey(
        account_id=account_id,
        role_arn=role_arn,
        role=None if role is None else _entity(role),
        session_name=None if assumed is None else str(assumed.session_name),
        session_policy=policy_text(policy) if policy else None,
    )


def role_session_key(role_arn: str, session_name: str) -> RoleSessionKey | None:
    """A session of the role ``role_arn`` names (by account and role name, as IAM resolves a
    role ARN), as a service that assumes it holds one; None when the role does not exist."""
    from pytest_modelreg.arn import Arn

    parsed = Arn.parse(role_arn)
    if parsed is None or parsed.service != "iam" or parsed.resource_type != "role":
        return None
    for account, iam in account_backends("iam"):
        if account != parsed.account:
            continue
        role = next((r for r in list(iam.roles.values()) if r.name == parsed.name), None)
        if role is not None:
            return RoleSessionKey(account, str(role.arn), _entity(role), session_name, None)
    return None


def managed_policy_document(account_id: str, arn: str) -> str | None:
    """The default version of a managed policy moto's IAM holds for the account (JSON text)."""
    for account, iam in account_backends("iam"):
        if account != account_id:
            continue
        policy = iam.managed_policies.get(arn)
        if policy is not None:
            document = next((v.document for v in policy.versions if v.is_default), None)
            return None if document is None else policy_text(document)
    return None


@functools.cache
def aws_managed_policies() -> Mapping[str, Mapping[str, Any]]:
    """AWS's managed policies as moto bundles them: name -> ``{"Arn", "Document", ...}``.

    Parsing the bundle costs ~50 ms: done once per process, on first use."""
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    data: dict[str, Mapping[str, Any]] = json.loads(aws_managed_policies_data)
    return data


# --- Managed and inline policies, for the identity service's checks (IAM part) ---------------


def _iam(account_id: str, partition: str) -> Any:
    """moto's IAM of an account in a partition (made if missing: moto serves the call next)."""
    from moto.iam.models import iam_backends

    return iam_backends[account_id][partition]


def managed_policy_exists(account_id: str, partition: str, arn: str) -> bool:
    """True if moto's IAM of the account holds the managed policy ``arn``."""
    return arn in _iam(account_id, partition).managed_policies


def add_aws_managed_policy(
    account_id: str,
    partition: str,
    arn: str,
    name: str,
    path: str,
    versions: Sequence[tuple[str, Mapping[str, Any]]],
    default_version: str,
) -> None:
    """Put one AWS managed policy into moto's IAM of the account, with all its versions, unless it
    is there already. moto can hold the whole bundle itself, but loading it costs ~1.5 s per
    account: the identity service adds only the policies a call names."""
    from moto.iam.models import AWSManagedPolicy, PolicyVersion

    iam = _iam(account_id, partition)
    if arn in iam.managed_policies:
        return
    (first_id, first_doc), *later = versions
    policy = AWSManagedPolicy(  # type: ignore[abstract]
        name,
        account_id=account_id,
        region=partition,  # moto derives the policy's partition from it
        default_version_id=first_id,
        path=path,
        document=json.dumps(first_doc),
    )
    for version_id, document in later:
        policy.versions.append(PolicyVersion(arn, json.dumps(document), False, version_id))
    policy.update_default_version(default_version)
    policy.next_version_num = len(versions) + 1
    iam.managed_policies[arn] = policy


def inline_policies(account_id: str, partition: str, kind: str, name: str) -> Mapping[str, str]:
    """The inline policies (name -> JSON text) of the user, role or group ``name``; empty when
    there is no such entity (moto then answers NoSuchEntity itself)."""
    iam = _iam(account_id, partition)
    entities = {"user": iam.users, "group": iam.groups, "role": iam.roles}[kind]
    entity = next((e for e in list(entities.values()) if e.name == name), None)
    if entity is None:
        return {}
    return {str(k): policy_text(v) for k, v in entity.policies.items()}


def set_user_boundary(account_id: str, partition: str, user_name: str, arn: str | None) -> bool:
    """Set (or, with None, remove) a user's permissions boundary, which moto does not implement
    for users; False when there is no such user."""
    user = _iam(account_id, partition).users.get(user_name)
    if user is None:
        return False
    user.permissions_boundary_arn = arn
    user.permissions_boundary = (
        None
        if arn is None
        else {"PermissionsBoundaryType": "PermissionsBoundaryPolicy", "PermissionsBoundaryArn": arn}
    )
    return True


def create_user(
    account_id: str,
    partition: str,
    name: str,
    path: str | None,
    tags: Sequence[Mapping[str, str]],
) -> dict[str, Any] | None:
    """Create a user in moto's IAM as ``iam:CreateUser`` does; the ``User`` of its answer, or None
    when the name is taken."""
    iam = _iam(account_id, partition)
    if name in iam.users:
        return None
    user = iam.create_user(partition, name, path or "/", [dict(t) for t in tags])
    answer: dict[str, Any] = {
        "Path": user.path,
        "UserName": user.name,
        "UserId": user.id,
        "Arn": user.arn,
        "CreateDate": user.create_date,
    }
    if tags:
        answer["Tags"] = [dict(t) for t in tags]
    return answer

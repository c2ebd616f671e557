"""Which access keys AWS would accept while a mock is active, and whose they are.

A call is signed with an access key; AWS first authenticates it, then authorizes the principal
behind it. This module is the authentication half: :meth:`CredentialJudge.identity` maps a key to
the :class:`~pytest_modelreg.principals.Identity` that signed with it, or raises
:class:`RejectedCredentials` with the answer AWS gives to a key it does not accept (the service's
``rejected`` column in :mod:`pytest_modelreg.services`).

Accepted keys:

* keys of the mock's own principals (the principal under test, the admin, ``reg.principal``);
* the placeholder keys of :data:`PLACEHOLDER_KEYS`, which moto users set in their conftest: they
  sign as the principal under test, so that suites moving from moto keep working;
* keys ``iam:CreateAccessKey`` minted in the simulated IAM, while the key is ``Active`` and its
  user exists, and keys ``sts:AssumeRole`` minted;
* temporary credentials ``sts:GetSessionToken`` minted here for a user: they carry the user's
  permissions as IAM holds them at call time.

Everything else - unknown, deleted or inactive keys, keys of a deleted user - is rejected.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from pytest_modelreg.principals import fake_id
from pytest_modelreg.services import HEAD_OPERATIONS, rejected_error

if TYPE_CHECKING:
    from pytest_modelreg.principals import Identity, Principal

__all__ = ["PLACEHOLDER_KEYS", "CredentialJudge", "RejectedCredentials"]

#: Access keys that sign as the principal under test, with where each comes from. The mock's own
#: key for the principal under test (``AWS_ACCESS_KEY_ID`` during an activation) is accepted too.
PLACEHOLDER_KEYS: Final[Mapping[str, str]] = {
    "testing": "moto docs, Getting Started: AWS_ACCESS_KEY_ID=testing in a conftest fixture",
    "FOOBARKEY": "moto's own environment default (moto.core.models.MockAWS)",
    "foobar_key": "moto's older default (moto CHANGELOG: changed from foobar_key to FOOBARKEY)",
    "ak": "used literally as a key in moto's own tests",
}

#: One sentence added to every rejection: how to make a client the mock accepts.
HOW_TO = (
    "pytest-modelreg: access key {key!r} is not accepted by this mock (unknown, deleted or "
    "inactive); inside pytest-modelreg, use boto3.client(...) or reg.client(...) made in the "
    "test for the principal under test, reg.principal(...).client(...) for another principal, "
    "or keys that iam:CreateAccessKey or sts:AssumeRole returned in the mock."
)

# botocore sts model, GetSessionToken documentation: with its credentials "You cannot call any
# STS API except AssumeRole or GetCallerIdentity", and "You cannot call any IAM API operations
# unless MFA authentication information is included in the request".
_SESSION_TOKEN_STS: Final = frozenset({"AssumeRole", "GetCallerIdentity"})
# Temporary credentials cannot mint more: "Cannot call GetSessionToken with session credentials"
# (aws/aws-sdk-net#1704); the same text for GetFederationToken (fwdcloudsec/granted#151), 403.
_NO_SESSION_CREDENTIALS: Final = frozenset({"GetSessionToken", "GetFederationToken"})


class RejectedCredentials(Exception):
    """A call AWS answers without authorizing it: its credentials are not accepted for it."""

    def __init__(self, code: str, status: int, message: str, extra: Mapping[str, str]) -> None:
        super().__init__(message)
        self.code = code
        self.status = status
        self.message = message
        self.extra = dict(extra)

    @classmethod
    def unknown_key(cls, service: str, access_key: str) -> RejectedCredentials:
        answer = rejected_error(service)
        extra = {"AWSAccessKeyId": access_key} if service == "s3" else {}
        message = f"{answer.message} {HOW_TO.format(key=access_key)}"
        return cls(answer.code, answer.http_status, message, extra)

    @classmethod
    def session_credentials(cls, operation: str) -> RejectedCredentials:
        # [INFERRED] for STS operations other than the two the threads show.
        return cls("AccessDenied", 403, f"Cannot call {operation} with session credentials", {})

    def response(self, service: str, operation: str) -> tuple[int, dict[str, Any]]:
        """The parsed error botocore reports for it."""
        if (service, operation) in HEAD_OPERATIONS:
            # A HEAD answer has no body: botocore reports the status and its reason.
            return self.status, {"Error": {"Code": str(self.status), "Message": "Forbidden"}}
        return self.status, {"Error": {"Code": self.code, "Message": self.message, **self.extra}}


@dataclass(frozen=True)
class _SessionToken:
    """Credentials GetSessionToken minted: whose, and whether MFA came with the request."""

    owner: Callable[[], Identity | None]
    """The user's identity now (None once the user is gone)."""
    mfa: bool


class CredentialJudge:
    """The access keys one activation accepts, and whose identity each signs as."""

    def __init__(
        self,
        principals: Mapping[str, Principal],
        under_test: Principal,
        moto_started: Callable[[], bool],
    ) -> None:
        self._principals = principals
        self._under_test = under_test
        self._moto_started = moto_started
        self._sessions: dict[str, _SessionToken] = {}
        self._serial = itertools.count(1)

    def identity(self, service: str, access_key: str | None) -> Identity:
        """Who signed with ``access_key``; raises :class:`RejectedCredentials` if AWS would not
        accept it. No key (an unsigned client) is the principal under test here."""
        if access_key is None or access_key in PLACEHOLDER_KEYS:
            return self._under_test.identity
        principal = self._principals.get(access_key)
        if principal is not None:
            return principal.identity
        session = self._sessions.get(access_key)
        if session is not None:
            owner = session.owner()
            if owner is not None:
                return owner
        elif self._moto_started():
            from pytest_modelreg.principals import identity_from_moto

            identity = identity_from_moto(access_key)
            if identity is not None:
                return identity
        raise RejectedCredentials.unknown_key(service, access_key)

    def check(self, service: str, operation: str, access_key: str | None, caller: Identity) -> None:
        """The limits AWS puts on temporary credentials, before any policy is read."""
        temporary = caller.kind == "AssumedRole" or access_key in self._sessions
        if service == "sts" and operation in _NO_SESSION_CREDENTIALS and temporary:
            raise RejectedCredentials.session_credentials(operation)
        session = None if access_key is None else self._sessions.get(access_key)
        if session is None:
            return
        if service == "iam" and not session.mfa:
            # IAM answers as for an unknown key (cloudyr/aws.iam#15, aws/aws-sdk-js#460).
            answer = rejected_error("iam")
            raise RejectedCredentials(answer.code, answer.http_status, answer.message, {})
        if service == "sts" and operation not in _SESSION_TOKEN_STS:
            raise RejectedCredentials.session_credentials(operation)

    def serve(
        self, service: str, operation: str, params: Mapping[str, Any], caller: Identity
    ) -> dict[str, Any] | None:
        """GetSessionToken for a user: credentials that sign as that user (moto hands every
        caller one fixed documentation key). None for every other call."""
        if (service, operation) != ("sts", "GetSessionToken") or caller.username is None:
            return None
        seed = f"{caller.arn}:{next(self._serial)}"
        access_key = fake_id("ASIA", "key:" + seed)
        self._sessions[access_key] = _SessionToken(
            owner=self._owner(caller),
            mfa=bool(params.get("SerialNumber") and params.get("TokenCode")),
        )
        # botocore sts model: DurationSeconds defaults to 43,200 seconds (12 hours).
        duration = int(params.get("DurationSeconds") or 43200)
        expiration = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(
            seconds=duration
        )
        return {
            "Credentials": {
                "AccessKeyId": access_key,
                "SecretAccessKey": fake_id("", "secret:" + seed, 40),
                "SessionToken": fake_id("", "token:" + seed, 64),
                "Expiration": expiration.replace(microsecond=0),
            }
        }

    def _owner(self, caller: Identity) -> Callable[[], Identity | None]:
        """The user's identity as of each later call: a mock principal's is fixed; a user of the
        simulated IAM is read again, so policy changes and deletion apply."""
        if any(p.identity is caller for p in self._principals.values()):
            return lambda: caller
        from pytest_modelreg.principals import user_identity

        account_id, username = caller.account_id, caller.username
        assert username is not None
        return lambda: user_identity(account_id, username)

"""The anonymous principal: who AWS evaluates when a request carries no signature.

A botocore client made with ``Config(signature_version=UNSIGNED)``, and a raw HTTP request with
neither an ``Authorization`` header nor a signature in its query string, are anonymous. AWS
authenticates every request before it authorizes it; anonymous requests pass only where the
service accepts them: "Authentication is not necessary for a few services, such as Amazon S3, that
allow some requests from anonymous users" (IAM User Guide, "Policy evaluation logic").

* S3 evaluates them with no identity-based policy: only a grant to everyone allows them. A bucket
  policy grants to everyone with ``"Principal": "*"`` or ``{"AWS": "*"}``; the policy engine
  matches exactly those for the anonymous caller. An ACL grants to everyone through the
  ``AllUsers`` group (see :func:`public_acl_allows`).
* Every other served service answers its unsigned-request error
  (:func:`pytest_modelreg.services.unsigned_error`) before any authorization.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from pytest_modelreg.arn import Arn
from pytest_modelreg.principals import Identity

if TYPE_CHECKING:
    from pytest_modelreg.simulation import Simulation

__all__ = ["ANONYMOUS_ARN", "UNSIGNED", "AnonymousIdentity", "public_acl_allows"]

#: The access key the interception layers pass for a request that carries no signature.
UNSIGNED = ""

#: How ``reg.calls`` names the anonymous caller (CloudTrail records such requests with the
#: account id ``anonymous``).
ANONYMOUS_ARN = "anonymous"

#: S3's message for a denied anonymous request: "Access Denied" (boto/boto3#3522, an unsigned
#: GetBucketLocation). Signed requests get the "User: ... is not authorized" text instead.
ANONYMOUS_DENIED_MESSAGE = "Access Denied"


class AnonymousIdentity(Identity):
    """The anonymous caller: no identity-based policies and no principal condition keys (AWS sets
    ``aws:PrincipalArn``, ``aws:userid`` ... only for authenticated principals: IAM User Guide,
    "AWS global condition context keys")."""

    def global_context(self) -> dict[str, str | tuple[str, ...]]:
        return {}


def anonymous_identity(account_id: str) -> AnonymousIdentity:
    """The anonymous caller of one activation; ``account_id`` only routes the simulation's
    state (S3 finds a bucket whatever account asks)."""
    return AnonymousIdentity(
        arn=ANONYMOUS_ARN,
        account_id=account_id,
        principal_id="",
        # aws:PrincipalType would be "Anonymous"; Identity.kind has no such value and
        # global_context (above) never reports it.
        kind=cast(Any, "Anonymous"),
    )


# ACL permissions and the S3 actions each grants (Amazon S3 User Guide, "Access control list (ACL)
# overview", "Mapping of ACL permissions and access policy permissions").
_BUCKET_GRANTS: dict[str, frozenset[str]] = {
    "READ": frozenset({"s3:listbucket", "s3:listbucketversions", "s3:listbucketmultipartuploads"}),
    "WRITE": frozenset({"s3:putobject", "s3:deleteobject"}),
    "READ_ACP": frozenset({"s3:getbucketacl"}),
    "WRITE_ACP": frozenset({"s3:putbucketacl"}),
}
_OBJECT_GRANTS: dict[str, frozenset[str]] = {
    "READ": frozenset({"s3:getobject", "s3:getobjectversion"}),
    "READ_ACP": frozenset({"s3:getobjectacl", "s3:getobjectversionacl"}),
    "WRITE_ACP": frozenset({"s3:putobjectacl", "s3:putobjectversionacl"}),
}
_ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
# Object Ownership settings under which ACLs still grant access. "Bucket owner enforced" disables
# ACLs, and is the setting of every new bucket (Amazon S3 User Guide, "Controlling ownership of
# objects and disabling ACLs for your bucket"); moto leaves the setting unset (None) for it.
_ACL_OWNERSHIPS = frozenset({"ObjectWriter", "BucketOwnerPreferred"})


def public_acl_allows(simulation: Simulation, action: str, resource: str) -> bool:
    """True if an ACL grants ``action`` on the S3 ``resource`` to everyone (``AllUsers``), and
    the bucket lets ACLs grant access at all: Object Ownership is not "Bucket owner enforced" and
    Block Public Access does not set ``IgnorePublicAcls`` ("causes Amazon S3 to ignore all public
    ACLs on a bucket and any objects that it contains", Amazon S3 User Guide, "Blocking public
    access to your Amazon S3 storage")."""
    parsed = Arn.parse(resource)
    if parsed is None or parsed.service != "s3" or not simulation.moto.started:
        return False
    bucket_name, _slash, key = parsed.resource.partition("/")
    bucket = _moto_bucket(bucket_name)
    if bucket is None or getattr(bucket, "ownership_rule", None) not in _ACL_OWNERSHIPS:
        return False
    block = getattr(bucket, "public_access_block", None)
    if block is not None and getattr(block, "ignore_public_acls", False):
        return False
    action_l = action.lower()
    granted = _granted(bucket, _BUCKET_GRANTS, action_l)
    if key and not granted:
        granted = _granted(bucket.keys.get(key), _OBJECT_GRANTS, action_l)
    return granted


def _granted(target: Any, grants: dict[str, frozenset[str]], action_l: str) -> bool:
    """True if ``target``'s ACL grants ``action_l`` to AllUsers (FULL_CONTROL: every permission
    of the table)."""
    acl = getattr(target, "acl", None)
    for grant in getattr(acl, "grants", None) or ():
        if not any(getattr(g, "uri", None) == _ALL_USERS for g in grant.grantees):
            continue
        for permission in grant.permissions:
            if permission == "FULL_CONTROL":
                allowed = frozenset().union(*grants.values())
            else:
                allowed = grants.get(permission, frozenset())
            if action_l in allowed:
                return True
    return False


def _moto_bucket(name: str) -> Any:
    from moto.s3.models import s3_backends

    for backends in list(s3_backends.values()):
        bucket = backends["aws"].buckets.get(name)
        if bucket is not None:
            return bucket
    return None

"""The handle of one activation (``reg``, the ``modelreg`` fixture): what users hold.

It is a view over the activation's :class:`~pytest_modelreg.pipeline.Pipeline`; every member is
documented in the README ("The handle"). Importing this module costs nothing beyond the standard
library.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pytest_modelreg import policy_lint
from pytest_modelreg.expected import ExpectedDenial, RecordedCalls, expect_denial
from pytest_modelreg.settings import settings_from

if TYPE_CHECKING:
    import boto3
    from botocore.client import BaseClient

    from pytest_modelreg.iam import Policy, PolicyType
    from pytest_modelreg.pipeline import Pipeline
    from pytest_modelreg.policies import PolicyLike
    from pytest_modelreg.principals import Principal, PrincipalKind
    from pytest_modelreg.records import CallRecord

__all__ = ["ModelRegistryHandle"]


class ModelRegistryHandle:
    """The handle of one activation (``reg`` / the ``modelreg`` fixture).

    Made by the activation, never by users; the class is public for type hints.
    """

    def __init__(self, pipeline: Pipeline) -> None:
        self._pipeline = pipeline
        self.account_id: str = pipeline.account_id
        """The simulated account."""
        self.region: str = pipeline.region
        """The simulated region."""
        # The pipeline appends to this list, which also keeps which denials were expected.
        pipeline.calls = self.calls = RecordedCalls()
        """One record per intercepted call, oldest first."""

    @property
    def enforce(self) -> str:
        """The enforce mode: ``"strict"``, ``"warn"`` or ``"off"``."""
        return self._pipeline.enforce

    @property
    def policies(self) -> tuple[Policy, ...]:
        """The policies of the principal under test (``.document`` is each one's JSON)."""
        return self._pipeline.policies

    @property
    def principal_arn(self) -> str:
        """ARN of the principal under test (an assumed-role session)."""
        return self._pipeline.under_test.arn

    @property
    def denied(self) -> list[CallRecord]:
        """The records of :attr:`calls` whose decision is not ``"allowed"``."""
        return [c for c in self.calls if not c.allowed]

    @property
    def events(self) -> Sequence[dict[str, Any]]:
        """The registry's events as EventBridge delivers them to rules, oldest first (copies)."""
        return self._pipeline.simulation.eventbus.events

    def session(self, region_name: str | None = None) -> boto3.Session:
        """A boto3 Session signed as the principal under test."""
        return self._pipeline.under_test.session(region_name)

    def client(self, service_name: str, **kwargs: Any) -> BaseClient:
        """A boto3 client signed as the principal under test."""
        return self._pipeline.under_test.client(service_name, **kwargs)

    def admin_session(self, region_name: str | None = None) -> boto3.Session:
        """A boto3 Session whose calls are never denied, for arranging test data."""
        return self._pipeline.admin.session(region_name)

    def admin_client(self, service_name: str, **kwargs: Any) -> BaseClient:
        """A boto3 client whose calls are never denied, for arranging test data."""
        return self._pipeline.admin.client(service_name, **kwargs)

    def unrestricted(self) -> contextlib.AbstractContextManager[None]:
        """Authorize every call the current thread makes inside, whatever its credentials."""
        return self._pipeline.unrestricted()

    def principal(
        self,
        name: str,
        policies: PolicyLike | Sequence[PolicyLike] | None = None,
        account_id: str | None = None,
        permissions_boundary: PolicyLike | None = None,
        *,
        kind: PrincipalKind = "role",
        tags: Mapping[str, str] | None = None,
    ) -> Principal:
        """Another principal, in this or another account: a role session (``kind="role"``,
        the default) or an IAM user (``kind="user"``). ``policies=None`` means no policy at all."""
        from pytest_modelreg.arn import partition_of
        from pytest_modelreg.iam import Policy
        from pytest_modelreg.policies import policy_documents
        from pytest_modelreg.principals import Principal

        if kind not in ("role", "user"):
            raise ValueError(f"kind must be 'role' or 'user', not {kind!r}")
        partition = partition_of(self.region)  # AWS managed policies are rendered for it
        documents = [] if policies is None else policy_documents(policies, partition)
        boundary_type: PolicyType = "permissions-boundary"
        boundary = None
        if permissions_boundary is not None:
            (boundary_doc,) = policy_documents(permissions_boundary, partition)
            boundary = Policy.parse(
                boundary_doc, policy_id=f"{name}/boundary", policy_type=boundary_type
            )
        settings = settings_from({"account_id": account_id}, "reg.principal()")
        where = f"reg.principal({name!r})"
        given = list(policies) if isinstance(policies, (list, tuple)) else policies
        # Reported in the run summary, not refused: a test may build a broken policy on purpose.
        policy_lint.check(given, f"{where} policies", refuse=False)
        policy_lint.check(
            permissions_boundary, f"{where} permissions_boundary", boundary_type, refuse=False
        )
        return self._pipeline.add(
            Principal(
                name,
                account_id=settings.account_id or self.account_id,
                region=self.region,
                kind=kind,
                identity_policies=[
                    Policy.parse(doc, policy_id=f"{name}/policy[{i}]")
                    for i, doc in enumerate(documents)
                ],
                permissions_boundary=boundary,
                tags=tags,
            )
        )

    def required_policy(self, principal: str | None = None) -> dict[str, Any]:
        """A least-privilege policy document allowing every call ``principal`` made (an ARN: a
        role session, a user, or a role, which stands for its sessions; default: the principal
        under test), except expected denials (:meth:`expect_denial`)."""
        from pytest_modelreg.least_privilege import made_by, required_policy

        arn = self.principal_arn if principal is None else principal
        calls = self.calls
        return required_policy(
            c for c in calls if made_by(c, arn) and not c.unrestricted and not calls.is_expected(c)
        )

    def expect_denial(
        self, action: str | None = None
    ) -> contextlib.AbstractContextManager[ExpectedDenial]:
        """Assert that a call inside the block is denied (of ``action``, if given; ``*`` and
        ``?`` allowed), and mark the block's denials (of ``action``) expected: left out of
        :meth:`required_policy`, ``--modelreg-policy-out`` and the caught-denial check.

        As ``pytest.raises``: the denial's error, raised in strict mode, ends the block and is
        swallowed (``denial.error``); any other error goes on. A block that made no such denied
        call raises ``AssertionError`` listing the calls it made.

        SageMaker's requests as an execution role during the block count too: around
        CreateEndpoint, ``expect_denial("ecr:BatchGetImage")`` passes when the role's pull was
        denied although nothing was raised (the endpoint is ``Failed``). Around CreateModel the
        ValidationException SageMaker answers is not a denial error and goes on (pair it with
        ``pytest.raises``), as does the SDK's ``UnexpectedStatusException``."""
        return expect_denial(self.calls, action, self.enforce)

    def __repr__(self) -> str:
        return f"<ModelRegistryHandle {self.principal_arn} enforce={self.enforce!r}>"

"""Activation: ``mock_modelreg`` (decorator, class decorator, context manager) and the handle it
yields (``reg``), which also owns the per-call pipeline: who is calling, is it allowed, who
serves it.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import os
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, overload
from unittest import mock as _mock

from pytest_modelreg import interception
from pytest_modelreg.arn import Arn
from pytest_modelreg.authorization import (
    AuthorizationRequest,
    UnmappedOperation,
    authorization_requests,
    denied_error,
)
from pytest_modelreg.iam import Evaluation, Policy, PolicySet, Request, evaluate
from pytest_modelreg.policies import PolicyLike, policy_documents
from pytest_modelreg.principals import Identity, Principal, PrincipalKind, identity_from_moto
from pytest_modelreg.records import Authorization, CallRecord
from pytest_modelreg.settings import Settings, settings_from, suite_defaults
from pytest_modelreg.simulation import CallContext, ServiceError, Simulation

__all__ = ["AccessDeniedWarning", "ModelRegistryHandle", "ModelregMock", "mock_modelreg"]

F = TypeVar("F", bound=Callable[..., Any])

PRINCIPAL_ROLE_NAME = "ModelRegistryTestRole"
ADMIN_ROLE_NAME = "ModelregAdmin"

# Environment of an activation: the principal under test's credentials, a region, and nothing
# that could make botocore read real credentials or reach the network.
_ENV_REMOVED = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "MOTO_ACCOUNT_ID",
)


class AccessDeniedWarning(UserWarning):
    """A call the principal may not make, let through because enforce is ``"warn"``."""


@dataclass(frozen=True)
class Outcome:
    """What the interception layer does with a call: answer it now, or send it on to moto."""

    response: tuple[int, dict[str, Any]] | None
    account_id: str


class ModelRegistryHandle:
    """The handle of one activation (``reg`` / the ``modelreg`` fixture)."""

    def __init__(self, settings: Settings) -> None:
        settings = settings.resolved()
        assert settings.enforce and settings.account_id and settings.region
        self.enforce = settings.enforce
        self.account_id: str = settings.account_id
        self.region: str = settings.region
        documents = policy_documents(settings.policy)
        self.policies: tuple[Policy, ...] = tuple(
            Policy.parse(doc, policy_id=f"policy[{i}]") for i, doc in enumerate(documents)
        )
        self.simulation = Simulation()
        self.calls: list[CallRecord] = []
        self._lock = threading.Lock()
        self._unrestricted = 0
        self._principals: dict[str, Principal] = {}
        self._under_test = self._add(
            Principal(
                PRINCIPAL_ROLE_NAME,
                account_id=self.account_id,
                region=self.region,
                kind="role",
                identity_policies=self.policies,
            )
        )
        self._admin = self._add(
            Principal(
                ADMIN_ROLE_NAME,
                account_id=self.account_id,
                region=self.region,
                kind="role",
                identity_policies=(),
                unrestricted=True,
            )
        )
        self._env_patch: Any = None
        self._session_patch: Any = None

    # -- public surface -------------------------------------------------------------------
    @property
    def principal_arn(self) -> str:
        """ARN of the principal under test (an assumed-role session)."""
        return self._under_test.arn

    @property
    def denied(self) -> list[CallRecord]:
        return [c for c in self.calls if not c.allowed]

    def session(self, region_name: str | None = None) -> Any:
        """A boto3 Session signed as the principal under test."""
        return self._under_test.session(region_name)

    def client(self, service_name: str, **kwargs: Any) -> Any:
        return self._under_test.client(service_name, **kwargs)

    def admin_session(self, region_name: str | None = None) -> Any:
        """A boto3 Session whose calls are never denied, for arranging test data."""
        return self._admin.session(region_name)

    def admin_client(self, service_name: str, **kwargs: Any) -> Any:
        return self._admin.client(service_name, **kwargs)

    @contextlib.contextmanager
    def unrestricted(self) -> Iterator[None]:
        """Authorize every call made inside, whatever credentials it carries."""
        with self._lock:
            self._unrestricted += 1
        try:
            yield
        finally:
            with self._lock:
                self._unrestricted -= 1

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
        if kind not in ("role", "user"):
            raise ValueError(f"kind must be 'role' or 'user', not {kind!r}")
        documents = [] if policies is None else policy_documents(policies)
        boundary = None
        if permissions_boundary is not None:
            (boundary_doc,) = policy_documents(permissions_boundary)
            boundary = Policy.parse(
                boundary_doc, policy_id=f"{name}/boundary", policy_type="permissions-boundary"
            )
        settings = settings_from({"account_id": account_id}, "reg.principal()")
        principal = Principal(
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
        return self._add(principal)

    def required_policy(self) -> dict[str, Any]:
        """A least-privilege policy document allowing every call the principal under test made."""
        from pytest_modelreg.least_privilege import required_policy

        return required_policy(
            c for c in self.calls if c.principal_arn == self.principal_arn and not c.unrestricted
        )

    # -- activation -----------------------------------------------------------------------
    def _add(self, principal: Principal) -> Principal:
        self._principals[principal.credentials.access_key] = principal
        return principal

    def start(self) -> None:
        creds = self._under_test.credentials
        env = {
            "AWS_ACCESS_KEY_ID": creds.access_key,
            "AWS_SECRET_ACCESS_KEY": creds.secret_key,
            "AWS_SESSION_TOKEN": creds.token or "",
            "AWS_DEFAULT_REGION": self.region,
            "AWS_REGION": self.region,
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
        }
        self._env_patch = _mock.patch.dict(os.environ, env)
        self._env_patch.start()
        for name in _ENV_REMOVED:
            os.environ.pop(name, None)
        self._session_patch = _mock.patch("boto3.DEFAULT_SESSION", None)
        self._session_patch.start()
        interception.push(self)

    def stop(self) -> None:
        interception.pop(self)
        try:
            self.simulation.close()
        finally:
            self._session_patch.stop()
            self._env_patch.stop()

    # -- the per-call pipeline (called by the interception layer) ---------------------------
    def identity_for(self, access_key: str | None) -> Identity:
        if access_key is not None:
            principal = self._principals.get(access_key)
            if principal is not None:
                return principal.identity
            if self.simulation.moto.started:
                identity = identity_from_moto(access_key)
                if identity is not None:
                    return identity
        return self._under_test.identity

    def dispatch(
        self,
        service: str,
        operation: str,
        params: Mapping[str, Any],
        access_key: str | None,
        region: str,
    ) -> Outcome:
        identity = self.identity_for(access_key)
        unrestricted = identity.unrestricted or self._unrestricted > 0
        authorizations: tuple[Authorization, ...] = ()
        if self.enforce != "off" and not unrestricted:
            authorizations = self._authorize(service, operation, params, identity, region)
        denied = next((a for a in authorizations if not a.allowed), None)
        self.calls.append(
            CallRecord(
                service=service,
                operation=operation,
                principal_arn=identity.arn,
                params=params,
                authorizations=authorizations,
                decision=denied.decision if denied else "allowed",
                enforce=self.enforce,
                unrestricted=unrestricted,
            )
        )
        if denied is not None:
            message = denial_message(service, identity.arn, denied)
            if self.enforce == "strict":
                error = denied_error(service, operation)
                if error.message_prefix:
                    # A HEAD response has no body: botocore reports only the status (S3).
                    message = error.message_prefix
                return Outcome(_error(error.code, message, error.http_status), identity.account_id)
            from pytest_modelreg.explain import explain_denial

            # AWS's message first, then the explanation the test report would show.
            explanation = explain_denial(service, operation, identity.arn, authorizations)
            warnings.warn(
                AccessDeniedWarning(f"{service}.{operation}: {message}\n{explanation}"),
                stacklevel=6,
            )
        ctx = CallContext(
            account_id=identity.account_id,
            region=region,
            caller_arn=identity.arn,
            caller_principal_id=identity.principal_id,
        )
        try:
            parsed = self.simulation.serve(service, operation, params, ctx)
        except ServiceError as exc:
            return Outcome(_error(exc.code, exc.message, exc.http_status), identity.account_id)
        if parsed is not None:
            return Outcome((200, parsed), identity.account_id)
        return Outcome(None, identity.account_id)

    def _authorize(
        self,
        service: str,
        operation: str,
        params: Mapping[str, Any],
        identity: Identity,
        region: str,
    ) -> tuple[Authorization, ...]:
        state = self.simulation
        try:
            requests = authorization_requests(
                service,
                operation,
                params,
                account_id=identity.account_id,
                region=region,
                state=state,
            )
        except UnmappedOperation:
            if self.enforce == "strict":
                raise
            warnings.warn(
                AccessDeniedWarning(f"{service}.{operation} has no authorization mapping"),
                stacklevel=6,
            )
            return ()
        current_time, epoch_time = _clock_keys()
        request_context: dict[str, str | tuple[str, ...]] = {
            **identity.global_context(),
            "aws:RequestedRegion": region,
            "aws:CurrentTime": current_time,
            "aws:EpochTime": epoch_time,
            "aws:SecureTransport": "true",
            "aws:ViaAWSService": "false",
        }
        return tuple(self._evaluate(r, identity, request_context) for r in requests)

    def _evaluate(
        self,
        request: AuthorizationRequest,
        identity: Identity,
        request_context: Mapping[str, str | tuple[str, ...]],
    ) -> Authorization:
        state = self.simulation
        resource_policy = state.resource_policy(request.resource, request.action)
        parsed = Arn.parse(request.resource)
        resource_account = request.resource_account or (parsed.account if parsed else "")
        context = {**request_context, **request.context}
        if resource_account:
            context.setdefault("aws:ResourceAccount", resource_account)
        evaluation: Evaluation = evaluate(
            Request(
                action=request.action,
                resource=request.resource,
                principal_arn=identity.arn,
                context=context,
                resource_account=resource_account or None,
                role_arn=identity.role_arn,
            ),
            PolicySet(
                identity=identity.identity_policies,
                permissions_boundary=identity.permissions_boundary,
                session_policies=identity.session_policies,
                resource_policy=(
                    None
                    if resource_policy is None
                    else Policy.parse(
                        resource_policy,
                        policy_id=f"resource-policy:{request.resource}",
                        policy_type="resource",
                    )
                ),
            ),
        )
        return Authorization(
            action=request.action,
            resource=request.resource,
            context=dict(request.context),
            decision=evaluation.decision,
            evaluation=evaluation,
        )


_clock_cache: tuple[int, str, str] = (-1, "", "")


def _clock_keys() -> tuple[str, str]:
    """aws:CurrentTime and aws:EpochTime, formatted once per second (strftime on every call
    was a visible share of an authorized call)."""
    global _clock_cache
    second = int(time.time())
    cached = _clock_cache
    if cached[0] != second:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(second))
        cached = _clock_cache = (second, stamp, str(second))
    return cached[1], cached[2]


# S3 quotes the resource in its access-denied message (Amazon S3 User Guide, "Troubleshoot access
# denied (403 Forbidden) errors"); the other services do not.
_QUOTED_RESOURCE_SERVICES = frozenset({"s3"})


def denial_message(service: str, caller_arn: str, authorization: Authorization) -> str:
    """AWS's access-denied message for the first authorization that failed."""
    resource = authorization.resource
    on = ""
    if resource and resource != "*":
        on = (
            f' on resource: "{resource}"'
            if service in _QUOTED_RESOURCE_SERVICES
            else f" on resource: {resource}"
        )
    assert authorization.evaluation is not None
    reason = authorization.evaluation.denial_reason(authorization.action)
    return f"User: {caller_arn} is not authorized to perform: {authorization.action}{on} {reason}"


def _error(code: str, message: str, status: int) -> tuple[int, dict[str, Any]]:
    return status, {"Error": {"Code": code, "Message": message}}


class ModelregMock:
    """What ``mock_modelreg(...)`` returns: a decorator (function, method, class) and a context
    manager whose ``__enter__`` returns the handle."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._handles: list[ModelRegistryHandle] = []

    def _open(self, overrides: Settings | None = None) -> ModelRegistryHandle:
        settings = self._settings.over(suite_defaults())
        if overrides is not None:
            settings = overrides.over(settings)
        handle = ModelRegistryHandle(settings)
        handle.start()
        return handle

    def __enter__(self) -> ModelRegistryHandle:
        handle = self._open()
        self._handles.append(handle)
        return handle

    def __exit__(self, *exc_info: object) -> None:
        self._handles.pop().stop()

    @overload
    def __call__(self, func: type) -> type: ...
    @overload
    def __call__(self, func: F) -> F: ...
    def __call__(self, func: Any) -> Any:
        if inspect.isclass(func):
            return self._decorate_class(func)
        return self._decorate_callable(func)

    def _decorate_callable(self, func: F) -> F:
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                with self:
                    return await func(*args, **kwargs)

            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    def _decorate_class(self, klass: type) -> type:
        for name, attr in list(vars(klass).items()):
            if name.startswith("test") and inspect.isfunction(attr):
                setattr(klass, name, self._decorate_callable(attr))
        return klass


@overload
def mock_modelreg(func: F, /) -> F: ...
@overload
def mock_modelreg(
    func: None = None,
    /,
    *,
    policy: PolicyLike | Sequence[PolicyLike] | None = None,
    enforce: str | None = None,
    account_id: str | None = None,
    region: str | None = None,
) -> ModelregMock: ...
def mock_modelreg(
    func: Any = None,
    /,
    *,
    policy: PolicyLike | Sequence[PolicyLike] | None = None,
    enforce: str | None = None,
    account_id: str | None = None,
    region: str | None = None,
) -> Any:
    """Serve SageMaker, S3, ECR, IAM, STS, Resource Groups, the Tagging API and KMS in memory, and
    authorize every call as AWS would for the principal under test.

    Use it bare (``@mock_modelreg``), with arguments
    (``@mock_modelreg(policy=..., enforce="warn")``),
    on a class (every ``test*`` method), or as a context manager (``with mock_modelreg() as reg:``).
    """
    settings = settings_from(
        {
            k: v
            for k, v in {
                "policy": policy,
                "enforce": enforce,
                "account_id": account_id,
                "region": region,
            }.items()
            if v is not None
        },
        "mock_modelreg()",
    )
    mocker = ModelregMock(settings)
    if func is not None:
        return mocker(func)
    return mocker

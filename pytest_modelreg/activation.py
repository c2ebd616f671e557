"""Activation: ``mock_modelreg`` (decorator, class decorator, context manager,
``start()``/``stop()``) and which activation is in force; the handle it yields (``reg``) is
:mod:`pytest_modelreg.handle`.

Importing this module costs nothing beyond the standard library: the simulation, the IAM engine
and botocore's handlers are loaded by the first activation (:func:`open_activation`), which calls
:func:`pytest_modelreg.interception.install`.

Which activation serves a call: the innermost one the calling thread entered, else the one entered
last by any thread (threads a test starts see the test's activation). While any activation is
active, the environment holds the credentials and region of the most recently entered one; when
the last one ends, the environment and ``boto3.DEFAULT_SESSION`` are what they were before the
first, whatever order activations end in.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import inspect
import os
import sys
import threading
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, overload

from pytest_modelreg import policy_lint
from pytest_modelreg.errors import AccessDeniedWarning
from pytest_modelreg.handle import ModelRegistryHandle
from pytest_modelreg.settings import Settings, settings_from, suite_defaults

if TYPE_CHECKING:
    from pytest_modelreg.pipeline import Pipeline
    from pytest_modelreg.policies import PolicyLike

__all__ = ["AccessDeniedWarning", "ModelRegistryHandle", "ModelregMock", "mock_modelreg"]

F = TypeVar("F", bound=Callable[..., Any])

# Set while an activation is active: nothing in them may make botocore read real credentials or
# reach the network; removed while active: everything that could point it elsewhere.
_ENV_REMOVED = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_SECURITY_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "MOTO_ACCOUNT_ID",
)
_ENV_SET = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_EC2_METADATA_DISABLED",
)

# The attribute that marks a function or class decorated by mock_modelreg (the pytest plugin reads
# it to give the decorator and the modelreg fixture one activation).
_MOCK_ATTRIBUTE = "_pytest_modelreg_mock"


# -- the activations in force --------------------------------------------------------------------
class _Activations:
    """Every active handle: per thread (what a thread entered) and in the order entered, plus
    what the first activation found in the environment and ``boto3.DEFAULT_SESSION``."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.order: list[ModelRegistryHandle] = []
        self.by_thread: dict[int, list[ModelRegistryHandle]] = {}
        self.owner: dict[int, int] = {}  # id(handle) -> thread ident
        self.env: dict[int, dict[str, str]] = {}  # id(handle) -> its environment
        self.saved_env: dict[str, str | None] = {}
        self.saved_session: Any = None
        self.saved_setup: Any = None

    def active(self) -> ModelRegistryHandle | None:
        stack = self.by_thread.get(threading.get_ident())
        if stack:
            return stack[-1]
        order = self.order
        return order[-1] if order else None

    def push(self, handle: ModelRegistryHandle, env: dict[str, str]) -> None:
        import boto3

        thread = threading.get_ident()
        with self.lock:
            if not self.order:
                self.saved_env = {k: os.environ.get(k) for k in (*_ENV_SET, *_ENV_REMOVED)}
                self.saved_session = boto3.DEFAULT_SESSION
                self.saved_setup = boto3.setup_default_session
            self.order.append(handle)
            self.by_thread.setdefault(thread, []).append(handle)
            self.owner[id(handle)] = thread
            self.env[id(handle)] = env
            self._apply()

    def remove(self, handle: ModelRegistryHandle) -> None:
        with self.lock:
            self.order.remove(handle)
            thread = self.owner.pop(id(handle))
            stack = self.by_thread[thread]
            stack.remove(handle)
            if not stack:
                del self.by_thread[thread]
            del self.env[id(handle)]
            self._apply()

    def _apply(self) -> None:
        import boto3

        from pytest_modelreg.interception import setup_default_session

        if self.order:
            env: Mapping[str, str | None] = self.env[id(self.order[-1])]
            # The next boto3.client() makes a default session from the environment just set.
            session, setup = None, setup_default_session
        else:
            env, session, setup = self.saved_env, self.saved_session, self.saved_setup
        for name in (*_ENV_SET, *_ENV_REMOVED):
            value = env.get(name)
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        boto3.DEFAULT_SESSION = session
        boto3.setup_default_session = setup
        _forget_cached_clients()


#: Process-wide client caches of SDKs (module, class with a ``reset()``): a client cached under one
#: activation would sign later calls with that activation's credentials, so every change of the
#: activation in force drops them, as it drops ``boto3.DEFAULT_SESSION``. sagemaker-core caches its
#: default client in ``SageMakerClient`` ("Clients are cached per (session, region_name, config)").
_CLIENT_CACHES = (("sagemaker.core.utils.utils", "SageMakerClient"),)


def _forget_cached_clients() -> None:
    for module, name in _CLIENT_CACHES:
        cache = getattr(sys.modules.get(module), name, None)
        if cache is not None:
            cache.reset()


_activations = _Activations()
_watchers: list[Callable[[ModelRegistryHandle], None]] = []


def active() -> ModelRegistryHandle | None:
    """The activation serving the current thread's calls, or None."""
    return _activations.active()


def active_pipeline() -> Pipeline | None:
    """The pipeline of :func:`active` (what the interception layer hands each call to)."""
    handle = _activations.active()
    return None if handle is None else handle._pipeline


def active_handles() -> list[ModelRegistryHandle]:
    """Every active handle, in the order entered."""
    return list(_activations.order)


def watch(callback: Callable[[ModelRegistryHandle], None]) -> None:
    """Call ``callback`` with every handle an activation opens from now on (idempotent)."""
    if callback not in _watchers:
        _watchers.append(callback)


def open_activation(settings: Settings) -> ModelRegistryHandle:
    """Start one activation configured by ``settings`` (already merged with suite defaults)."""
    # Imported by module path, not as attributes of the package: a pytester in-process run drops
    # the modules it imported, and the package would hand back the dropped copies.
    from pytest_modelreg.interception import install
    from pytest_modelreg.pipeline import Pipeline

    install()
    handle = ModelRegistryHandle(Pipeline(settings))
    credentials = handle._pipeline.under_test.credentials
    env = {
        "AWS_ACCESS_KEY_ID": credentials.access_key,
        "AWS_SECRET_ACCESS_KEY": credentials.secret_key,
        "AWS_SESSION_TOKEN": credentials.token or "",
        "AWS_DEFAULT_REGION": handle.region,
        "AWS_REGION": handle.region,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    _activations.push(handle, env)
    for callback in list(_watchers):
        callback(handle)
    return handle


def close_activation(handle: ModelRegistryHandle) -> None:
    """End the activation of ``handle``: its calls are no longer served, its state is gone."""
    try:
        _activations.remove(handle)
    finally:
        handle._pipeline.close()


# -- one activation shared by a decorator and the pytest fixture ---------------------------------
class _Adoption:
    """An activation the ``modelreg`` fixture opened for a decorated test, for its decorator."""

    __slots__ = ("handle", "mock", "taken")

    def __init__(self, mock: ModelregMock, handle: ModelRegistryHandle) -> None:
        self.mock = mock
        self.handle = handle
        self.taken = False


_adoption: contextvars.ContextVar[_Adoption | None] = contextvars.ContextVar(
    "pytest_modelreg_adoption", default=None
)


def mock_of(*objects: object) -> ModelregMock | None:
    """The ``mock_modelreg`` that decorated the first of ``objects`` (a function or class) that
    carries one."""
    for obj in objects:
        mock = getattr(obj, _MOCK_ATTRIBUTE, None)
        if isinstance(mock, ModelregMock):
            return mock
    return None


@contextlib.contextmanager
def shared_activation(
    overrides: Settings, decorator: ModelregMock | None
) -> Iterator[ModelRegistryHandle]:
    """One activation configured by ``overrides`` over ``decorator``'s arguments, which the
    decorator then uses instead of opening its own (the ``modelreg`` fixture of a decorated test:
    marker > decorator > options, setting by setting)."""
    settings = overrides
    if decorator is not None:
        decorator._lint()
        settings = overrides.over(decorator._settings)
    handle = _configured(open_activation(settings.over(suite_defaults())), decorator)
    previous = _adoption.get()
    if decorator is not None:
        _adoption.set(_Adoption(decorator, handle))
    try:
        yield handle
    finally:
        _adoption.set(previous)
        close_activation(handle)


def _configured(handle: ModelRegistryHandle, mock: ModelregMock | None) -> ModelRegistryHandle:
    """Give the activation's moto the ``config=`` of ``mock_modelreg`` before any call starts it."""
    if mock is not None and mock._moto_config is not None:
        handle._pipeline.simulation.moto.configure(mock._moto_config)
    return handle


class ModelregMock:
    """What ``mock_modelreg(...)`` returns: a decorator (function, method, class), a context
    manager whose ``__enter__`` returns the handle, and ``start()``/``stop()``."""

    def __init__(self, settings: Settings, moto_config: Mapping[str, Any] | None = None) -> None:
        self._settings = settings
        self._moto_config = moto_config
        self._entered: list[ModelRegistryHandle] = []
        self._started: ModelRegistryHandle | None = None

    def _activate(self) -> ModelRegistryHandle:
        adoption = _adoption.get()
        if adoption is not None and adoption.mock is self and not adoption.taken:
            adoption.taken = True
            return adoption.handle
        self._lint()
        return _configured(open_activation(self._settings.over(suite_defaults())), self)

    def _lint(self) -> None:
        # Reported in the run summary, not refused: a test may build a broken policy on purpose.
        policy_lint.check(self._settings.policy, "mock_modelreg(policy=...)", refuse=False)

    def _deactivate(self, handle: ModelRegistryHandle) -> None:
        adoption = _adoption.get()
        if adoption is not None and adoption.handle is handle:
            adoption.taken = False  # the fixture that opened it closes it
            return
        close_activation(handle)

    # -- start() / stop() -------------------------------------------------------------------
    def start(self) -> ModelRegistryHandle:
        """Activate, and return the handle; :meth:`stop` ends the activation."""
        if self._started is not None:
            raise RuntimeError(
                "mock_modelreg(...).start() called twice: this object is already started; "
                "call stop() first, or use another mock_modelreg(...) object for a nested "
                "activation"
            )
        self._started = self._activate()
        caller = sys._getframe(1)
        self._started_at = f"{caller.f_code.co_filename}:{caller.f_lineno}"  # for __del__
        return self._started

    def stop(self) -> None:
        """End the activation :meth:`start` began."""
        if self._started is None:
            raise RuntimeError("mock_modelreg(...).stop() called before start()")
        handle, self._started = self._started, None
        self._deactivate(handle)

    def __del__(self) -> None:
        # Started and no longer reachable: nothing can stop it, and it serves every later call
        # with its state. Said as an unclosed file is (unittest's runner shows ResourceWarning).
        if getattr(self, "_started", None) is not None:
            message = (
                f"mock_modelreg(...) started at {self._started_at} was never stopped: its "
                "activation still serves every call, with its state, and nothing can stop it "
                "any more; keep the object and call stop() (in a TestCase: addCleanup(mock.stop))"
            )
            warnings.warn(message, ResourceWarning, stacklevel=2)

    # -- context manager ----------------------------------------------------------------------
    def __enter__(self) -> ModelRegistryHandle:
        handle = self._activate()
        self._entered.append(handle)
        return handle

    def __exit__(self, *exc_info: object) -> None:
        self._deactivate(self._entered.pop())

    # -- decorator ----------------------------------------------------------------------------
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

            wrapper: Any = async_wrapper
        else:

            @functools.wraps(func)
            def sync_wrapper(*args: Any, **kwargs: Any) -> Any:
                with self:
                    return func(*args, **kwargs)

            wrapper = sync_wrapper
        setattr(wrapper, _MOCK_ATTRIBUTE, self)
        return wrapper  # type: ignore[no-any-return]

    def _decorate_class(self, klass: type) -> type:
        """Every test of the class runs inside its own activation, set-up and tear-down included:
        ``setUp`` to ``tearDown`` and cleanups (``unittest.TestCase``), ``setup_method`` to
        ``teardown_method`` (pytest-style classes that have them), else each ``test*`` method.
        Nested test classes are decorated too."""
        import unittest

        setattr(klass, _MOCK_ATTRIBUTE, self)
        if issubclass(klass, unittest.TestCase):
            self._wrap_testcase_setup(klass)
        elif hasattr(klass, "setup_method") or hasattr(klass, "teardown_method"):
            self._wrap_setup_method(klass)
        else:
            for name, attr in list(vars(klass).items()):
                if name.startswith("test") and inspect.isfunction(attr):
                    setattr(klass, name, self._decorate_callable(attr))
        for name, attr in list(vars(klass).items()):
            if inspect.isclass(attr) and (
                name.startswith("Test") or issubclass(attr, unittest.TestCase)
            ):
                self._decorate_class(attr)
        return klass

    def _wrap_testcase_setup(self, klass: Any) -> None:
        original = klass.setUp
        mock = self

        @functools.wraps(original)
        def setUp(test: Any) -> None:
            handle = mock._activate()
            # Cleanups run after tearDown, and even when setUp fails; ours, added first, runs last.
            test.addCleanup(mock._deactivate, handle)
            # The handle, as the fixture gives it to pytest tests; unittest keeps every TestCase
            # until the run ends, so it is dropped with the activation. A name the test already
            # has is left alone.
            if not hasattr(test, "modelreg"):
                test.modelreg = handle
                test.addCleanup(vars(test).pop, "modelreg", None)
            original(test)

        klass.setUp = setUp

    def _wrap_setup_method(self, klass: Any) -> None:
        setup = getattr(klass, "setup_method", None)
        teardown = getattr(klass, "teardown_method", None)
        handles: dict[int, ModelRegistryHandle] = {}
        mock = self

        def setup_method(test: Any, method: Any = None) -> None:
            handle = handles[id(test)] = mock._activate()
            try:
                if setup is not None:
                    _call_with_optional(setup, test, method)
            except BaseException:
                # pytest skips teardown_method when setup_method fails: end the activation here.
                del handles[id(test)]
                mock._deactivate(handle)
                raise

        def teardown_method(test: Any, method: Any = None) -> None:
            handle = handles.pop(id(test), None)
            try:
                if teardown is not None:
                    _call_with_optional(teardown, test, method)
            finally:
                if handle is not None:
                    mock._deactivate(handle)

        klass.setup_method = setup_method
        klass.teardown_method = teardown_method


def _call_with_optional(func: Callable[..., Any], test: object, method: object) -> None:
    """Call a class's ``setup_method``/``teardown_method`` as pytest does: with the test method
    if it takes an argument besides ``self``."""
    if len(inspect.signature(func).parameters) > 1:
        func(test, method)
    else:
        func(test)


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
    config: Mapping[str, Any] | None = None,
) -> ModelregMock: ...
def mock_modelreg(
    func: Any = None,
    /,
    *,
    policy: PolicyLike | Sequence[PolicyLike] | None = None,
    enforce: str | None = None,
    account_id: str | None = None,
    region: str | None = None,
    config: Mapping[str, Any] | None = None,
) -> Any:
    """Serve the Model Registry, and every other service moto implements, in memory, and authorize
    every call as AWS would for the principal under test.

    Use it bare (``@mock_modelreg``), with arguments
    (``@mock_modelreg(policy=..., enforce="warn")``), on a class (every test, set-up and
    tear-down included; a ``unittest.TestCase`` gets the handle as ``self.modelreg``), as a
    context manager (``with mock_modelreg() as reg:``), or with
    ``reg = mock.start()`` ... ``mock.stop()`` (``mock = mock_modelreg(...)``). ``config`` is
    moto's ``mock_aws(config=...)`` dict, given to moto when it starts (checked as
    ``simulation.moto.server.validate_config`` says).
    """
    given = {"policy": policy, "enforce": enforce, "account_id": account_id, "region": region}
    settings = settings_from({k: v for k, v in given.items() if v is not None}, "mock_modelreg()")
    if config is not None:  # moto is imported only to check a config
        from pytest_modelreg.simulation.moto.server import validate_config

        config = validate_config(config, "mock_modelreg()")
    mocker = ModelregMock(settings, config)
    if func is not None:
        return mocker(func)
    return mocker

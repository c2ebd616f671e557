"""moto, underneath: started on the first call the in-process services do not own, driven by our
own ``before-send`` handler so that what moto cannot serve becomes a clear error, not a crash.

moto's own stubber stays disabled while a simulation owns it: botocore runs every ``before-send``
handler, so leaving both on would serve each call twice.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Mapping
from types import UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints, is_typeddict

from botocore.awsrequest import AWSPreparedRequest, AWSResponse

from pytest_modelreg.errors import SimulationError, UnsupportedOperationError
from pytest_modelreg.http_answers import Answer
from pytest_modelreg.services import moto_module
from pytest_modelreg.settings import SettingsError

from .events import SubscriptionJudge, judge_sqs_subscriptions, stop_judging_sqs_subscriptions
from .resources import BUCKET_POLICIES
from .shapes import within_output_shape

# moto config: leave credentials and boto3's default session alone; the activation owns both.
_OWN_CORE: Any = {"mock_credentials": False, "reset_boto3_session": False}

# moto runs Lambda functions and Batch jobs in Docker containers by default, pulling their images
# from Docker Hub ("mlupin/docker-lambda", moto.awslambda.models.LambdaBackend's docstring): that
# would leave the machine. Its documented alternative, {"use_docker": False}, answers an invocation
# without running anything.
_NO_DOCKER: Any = {"lambda": {"use_docker": False}, "batch": {"use_docker": False}}
_DOCKER_REFUSED = (
    "moto would run it in a Docker container and pull the image from Docker Hub; nothing leaves "
    "the machine while a mock is active"
)

# What the activation does whatever moto's config says, and why a value asking otherwise is refused.
_REFUSED: dict[tuple[str, str], tuple[Callable[[Any], bool], str]] = {
    ("core", "passthrough"): (
        lambda v: any(v.get(k) for k in ("services", "urls")),
        "pytest-modelreg never sends a call to AWS (no passthrough)",
    ),
    ("core", "mock_credentials"): (
        lambda v: v is not True,
        "the activation always signs calls with the simulated principal's credentials",
    ),
    ("core", "reset_boto3_session"): (
        lambda v: v is not True,
        "each activation starts boto3's default session afresh",
    ),
    ("lambda", "use_docker"): (lambda v: v is not False, _DOCKER_REFUSED),
    ("batch", "use_docker"): (lambda v: v is not False, _DOCKER_REFUSED),
}


def validate_config(config: object, where: str) -> dict[str, Any]:
    """moto's ``config=`` dict (``mock_aws(config=...)``, e.g. ``{"iam":
    {"load_aws_managed_policies": True}}``), checked against the sections and keys the installed
    moto declares (``moto.core.config.DefaultConfig``): TypeError for a value of the wrong type,
    SettingsError (a ValueError) for an unknown key or a value the plugin cannot honour
    (``_REFUSED``: ``core.passthrough`` services or URLs, since nothing is sent to AWS;
    ``core.mock_credentials``/``core.reset_boto3_session`` other than True, since the activation
    owns credentials and boto3's default session; ``lambda``/``batch`` ``use_docker`` other than
    False, since Docker would pull images from the network)."""
    from moto.core.config import DefaultConfig

    if not isinstance(config, Mapping):
        raise TypeError(f"{where}: config must be a dict, not {type(config).__name__}")
    _check_typed(config, DefaultConfig, f"{where}: config")
    for (section, key), (refuse, why) in _REFUSED.items():
        if key in config.get(section, {}) and refuse(config[section][key]):
            raise SettingsError(
                f"{where}: config[{section!r}][{key!r}] = {config[section][key]!r} "
                f"is not supported: {why}"
            )
    return {name: dict(value) for name, value in config.items()}


def _check_typed(value: Any, expected: Any, path: str) -> None:
    """``value`` against a TypedDict / bool / list[str] / Optional annotation of moto's config."""
    if is_typeddict(expected):
        if not isinstance(value, Mapping):
            raise TypeError(f"{path} must be a dict, not {type(value).__name__}")
        hints = get_type_hints(expected)
        unknown = sorted(set(value) - set(hints))
        if unknown:
            raise SettingsError(
                f"{path}: unknown key(s) {', '.join(map(repr, unknown))}; moto accepts "
                f"{', '.join(map(repr, hints))}"
            )
        for key, item in value.items():
            _check_typed(item, hints[key], f"{path}[{key!r}]")
        return
    options = get_args(expected) if get_origin(expected) in (Union, UnionType) else (expected,)
    if not any(_is_instance(value, option) for option in options):
        wanted = " or ".join(getattr(o, "__name__", str(o)) for o in options)
        raise TypeError(f"{path} must be {wanted}, not {value!r}")


def _is_instance(value: Any, expected: Any) -> bool:
    if expected is type(None):
        return value is None
    if get_origin(expected) is list:
        (member,) = get_args(expected)
        return isinstance(value, list) and all(isinstance(v, member) for v in value)
    return isinstance(value, expected)


def _moto_config(user: Mapping[str, Any]) -> Any:
    """moto's config for the activation: the user's sections (moto replaces a whole section it is
    given), the core section completed from moto's defaults and the activation's own keys."""
    from moto.core.config import default_user_config

    config: dict[str, Any] = {name: dict(section) for name, section in user.items()}
    config["core"] = {**default_user_config.get("core", {}), **config.get("core", {}), **_OWN_CORE}
    for name, section in _NO_DOCKER.items():
        config[name] = {**config.get(name, {}), **section}
    return config


# GovCloud's IAM endpoint names the partition, not a region (botocore's endpoint data:
# iam.us-gov.amazonaws.com); moto reads "us-gov" as a region outside aws-us-gov and would mint
# arn:aws: ARNs. IAM is one per partition, so any GovCloud region stands for it.
_GOV_GLOBAL_HOST = ".us-gov.amazonaws.com"


def _name_gov_region(request: AWSPreparedRequest) -> None:
    if _GOV_GLOBAL_HOST in request.url:
        request.url = request.url.replace(_GOV_GLOBAL_HOST, ".us-gov-west-1.amazonaws.com", 1)


# moto keeps all state in process-global BackendDicts: their accounts, any extra dict they carry
# (S3's bucket-name -> account index), and the list of dicts in use (what moto resets).
_Saved = tuple[Any, dict[str, Any], dict[str, dict[Any, Any]]]
_MotoState = tuple[list[_Saved], list[Any], dict[Any, list[Any]]]


def _backend_dicts() -> tuple[Any, Any]:
    """moto's BackendDict class and its lock, untyped: we only touch the dict layer."""
    from moto.core import base_backend

    return base_backend.BackendDict, base_backend.backend_lock


def _extra_dicts(backend: Any) -> dict[str, dict[Any, Any]]:
    return {k: v for k, v in vars(backend).items() if isinstance(v, dict)}


def _model_classes() -> list[Any]:
    from moto.core.model_instances import model_data

    return [cls for models in model_data.values() for cls in models.values()]


def _set_aside_moto_state() -> _MotoState:
    """Detach every moto backend's state, leaving moto empty; fresh backends are made on use."""
    backend_dict, lock = _backend_dicts()
    saved: list[_Saved] = []
    # moto's S3 reset disposes every tracked key, not only its backend's: track ours apart, so that
    # resetting them leaves the outer object bodies open.
    tracked = {cls: cls.instances_tracked for cls in _model_classes()}
    for cls in tracked:
        cls.instances_tracked = []
    with lock:
        instances = list(backend_dict._instances)
        for backend in instances:
            extras = {k: dict(v) for k, v in _extra_dicts(backend).items()}
            saved.append((backend, dict(backend.items()), extras))
            dict.clear(backend)  # not BackendDict.reset(): that would wipe the outer state
            for v in _extra_dicts(backend).values():
                v.clear()
        backend_dict._instances.clear()
    return saved, instances, tracked


def _restore_moto_state(state: _MotoState) -> None:
    backend_dict, lock = _backend_dicts()
    saved, instances, tracked = state
    with lock:
        for backend in backend_dict._instances:
            for accounts in backend.values():
                accounts.reset()  # releases what ours held (S3 keys are temporary files)
            dict.clear(backend)
        for backend, accounts, extras in saved:
            dict.update(backend, accounts)
            for name, contents in extras.items():
                current = getattr(backend, name)
                current.clear()
                current.update(contents)
        backend_dict._instances[:] = instances
    for cls, outer in tracked.items():
        cls.instances_tracked = outer


# The moto services underneath the simulation (moto's module names: pyproject's moto extras).
_MOTO_SERVICES = (
    "s3",
    "ecr",
    "iam",
    "sts",
    "kms",
    "sagemaker",
    "resourcegroups",
    "resourcegroupstaggingapi",
)


class MotoBackend:
    """One activation's use of moto: lazy start, serving, stop."""

    def __init__(self, sqs_subscription_judge: SubscriptionJudge | None = None) -> None:
        # What decides SNS's deliveries to subscribed queues while this moto runs (events.py).
        self._subscription_judge = sqs_subscription_judge
        self._config: dict[str, Any] = {}
        self._mock: Any = None
        self._lock = threading.Lock()
        self._stubber_was_enabled = False
        self._outer_state: _MotoState | None = None
        self._url_modules: set[str] = set(_MOTO_SERVICES)  # imported by ensure_started

    @property
    def started(self) -> bool:
        return self._mock is not None

    def configure(self, config: Mapping[str, Any]) -> None:
        """moto's ``config=`` (checked by :func:`validate_config`) for when moto starts."""
        with self._lock:
            if self._mock is not None:
                raise RuntimeError("moto's config must be set before moto starts")
            self._config = {name: dict(section) for name, section in config.items()}

    def ensure_started(self) -> None:
        if self._mock is not None:
            return
        with self._lock:
            if self._mock is not None:
                return
            from moto import mock_aws
            from moto.core.models import MockAWS, botocore_stubber

            if MockAWS._nested_count > 0:
                # moto is already running (an outer activation, or the user's own mock_aws) and a
                # nested start would share its backends: set them aside, start empty.
                self._outer_state = _set_aside_moto_state()
            # moto imports a service's url module on its first request (BaseBackend._url_module,
            # with __import__), which threads making their first calls at once race on ("module
            # moto.s3.urls not in sys.modules"): import them here, under the start lock.
            for service in _MOTO_SERVICES:
                importlib.import_module(f"moto.{service}.urls")
            mock = mock_aws(config=_moto_config(self._config))
            mock.start()
            BUCKET_POLICIES.take()  # the plugin judges bucket policies, not moto
            if self._subscription_judge is not None:
                judge_sqs_subscriptions(self._subscription_judge)
            self._stubber_was_enabled = False
            botocore_stubber.enabled = False
            self._mock = mock

    def stop(self) -> None:
        with self._lock:
            if self._mock is None:
                return
            from moto.core.models import botocore_stubber

            mock, self._mock = self._mock, None
            mock.stop()
            BUCKET_POLICIES.give_back()
            if self._subscription_judge is not None:
                stop_judging_sqs_subscriptions()
            if self._outer_state is not None:
                # Nested: moto kept running for the outer user; discard ours, give theirs back.
                _restore_moto_state(self._outer_state)
                self._outer_state = None
            # An outer, user-started mock_aws keeps its stubber running.
            from moto.core.models import MockAWS

            botocore_stubber.enabled = MockAWS._nested_count > 0

    def _import_urls(self, service: str) -> None:
        """The url module of a service served for the first time, imported under the start lock
        (the race ``ensure_started`` avoids for the explicit rows' services)."""
        module = moto_module(service)
        if module is None or module in self._url_modules:
            return
        with self._lock:
            importlib.import_module(f"moto.{module}.urls")
            self._url_modules.add(module)

    def send(self, request: AWSPreparedRequest, service: str, operation: str) -> AWSResponse:
        """Serve one prepared request with moto's backends."""
        from moto.core.models import botocore_stubber

        self._import_urls(service)
        _name_gov_region(request)
        try:
            answer = botocore_stubber.process_request(request)
        except NotImplementedError as exc:
            raise UnsupportedOperationError(
                service, operation, f"moto does not implement it ({exc})"
            ) from None
        except Exception as exc:
            raise SimulationError(
                f"moto failed while serving {service}.{operation}: {type(exc).__name__}: {exc}. "
                "This is a gap in the simulation, not an AWS error; please report it."
            ) from exc
        if answer is None:
            raise UnsupportedOperationError(
                service, operation, "moto has no backend for its endpoint"
            )
        status, headers, body = answer
        if status == 404 and body in ("Not yet implemented", b"Not yet implemented"):
            raise UnsupportedOperationError(service, operation, "moto does not implement it")
        data = body.encode("utf-8") if isinstance(body, str) else bytes(body or b"")
        if status < 300:
            data = within_output_shape(service, operation, data)
        # Read by botocore and aiobotocore alike (sync and awaitable content, both kinds of stream).
        return Answer(request.url, status, headers, data)

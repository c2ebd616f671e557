"""The pytest surface: every option, the ``modelreg`` marker and the ``modelreg`` fixture.

Registered through the ``pytest11`` entry point, so installing the package is all a user does.
Installed but unused, it costs nothing: this module imports only the standard library, pytest
and the package's light modules; the simulation, the IAM engine and the reporting plugin are
loaded by the first activation.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from pytest_modelreg import activation, expected, policy_lint
from pytest_modelreg.activation import ModelRegistryHandle
from pytest_modelreg.settings import (
    ARGUMENT_NAMES,
    ENFORCE_MODES,
    Settings,
    SettingsError,
    set_suite_defaults,
    settings_from,
)

if TYPE_CHECKING:
    from pytest_modelreg.policies import PolicyLike
    from pytest_modelreg.reporting import Reporter

MARKER = "modelreg"
_MARKER_DOC = (
    "modelreg(*, policy=None, enforce=None, account_id=None, region=None): configure the modelreg "
    "fixture for this test (policy: dict, JSON text, pathlib.Path, managed policy name/ARN, or a "
    "list of these; enforce: strict|warn|off). The marker alone activates the mock. Markers on "
    "the test, its class and its module merge setting by setting, the closest winning."
)

HANDLES_KEY = pytest.StashKey[list[ModelRegistryHandle]]()
"""``item.stash[HANDLES_KEY]``: the handles active during the test, in the order first seen."""
WORKEROUTPUT_KEY = "modelreg"
"""Where a pytest-xdist worker's reporter puts its totals in ``config.workeroutput``."""
SUMMARY_MODES = ("auto", "always", "never")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("modelreg", "SageMaker Model Registry simulation (pytest-modelreg)")
    group.addoption(
        "--modelreg-enforce",
        choices=ENFORCE_MODES,
        default=None,
        help="default enforce mode: strict (denied calls raise AWS's error), warn, off.",
    )
    group.addoption(
        "--modelreg-policy",
        action="append",
        default=None,
        metavar="PATH_OR_NAME",
        help="policy of the principal under test: a JSON file or an AWS managed policy name/ARN "
        "(repeatable; default: AmazonSageMakerModelRegistryFullAccess).",
    )
    group.addoption(
        "--modelreg-account-id", default=None, metavar="ID", help="default simulated account id."
    )
    group.addoption(
        "--modelreg-region", default=None, metavar="NAME", help="default simulated region."
    )
    group.addoption(
        "--modelreg-policy-out",
        default=None,
        metavar="PATH",
        help="write the least-privilege policy of the whole run (all calls of the principal "
        "under test) to PATH as a JSON policy document.",
    )
    group.addoption(
        "--modelreg-fail-on-caught-denial",
        action="store_true",
        default=None,
        help="fail, at teardown, a test whose code caught and swallowed an access denial.",
    )
    group.addoption(
        "--modelreg-summary",
        choices=SUMMARY_MODES,
        default=None,
        help="the IAM summary at the end of the run: auto (default: only when a call was denied, "
        "a denial caught or expected, a policy linted with findings, or a policy file written), "
        "always, never. -q shortens it, -qq hides it in auto mode.",
    )
    parser.addini("modelreg_enforce", "default enforce mode (strict, warn, off)", default=None)
    parser.addini(
        "modelreg_policy",
        "default policies of the principal under test (one per line)",
        type="linelist",
    )
    parser.addini("modelreg_account_id", "default simulated account id", default=None)
    parser.addini("modelreg_region", "default simulated region", default=None)
    parser.addini(
        "modelreg_policy_out",
        "write the run's least-privilege policy to this path (relative to the rootdir)",
        default=None,
    )
    parser.addini(
        "modelreg_fail_on_caught_denial",
        "fail, at teardown, a test whose code caught an access denial",
        type="bool",
        default=False,
    )
    parser.addini("modelreg_summary", "the IAM summary: auto, always or never", default="auto")


# -- configuration --------------------------------------------------------------------------------
def _policy_option(values: list[str], rootdir: Path) -> list[PolicyLike] | None:
    if not values:
        return None
    resolved: list[PolicyLike] = []
    for value in values:
        if value.startswith("arn:") or (value.isidentifier()):
            resolved.append(value)
        else:
            path = Path(value)
            resolved.append(path if path.is_absolute() else rootdir / path)
    return resolved


def _check_policies(policy: Any, where: str) -> None:
    from pytest_modelreg.iam import MalformedPolicyDocument, Policy
    from pytest_modelreg.policies import PolicySourceError, policy_documents

    items = policy if isinstance(policy, list) else [policy]
    for index, item in enumerate(items):
        source = (
            str(item)
            if isinstance(item, (str, Path)) and len(str(item)) < 200
            else f"policy #{index + 1}"
        )
        try:
            for document in policy_documents(item):
                Policy.parse(document)
        except PolicySourceError as exc:
            raise pytest.UsageError(f"{where}: {exc}") from None
        except MalformedPolicyDocument as exc:
            raise pytest.UsageError(
                f"{where}: {source} is not a valid IAM policy (MalformedPolicyDocument: {exc})"
            ) from None


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", _MARKER_DOC)
    ini_policy = config.getini("modelreg_policy")
    cli_policy = config.getoption("modelreg_policy")
    try:
        ini = settings_from(
            {
                "policy": _policy_option(list(ini_policy), config.rootpath),
                "enforce": config.getini("modelreg_enforce") or None,
                "account_id": config.getini("modelreg_account_id") or None,
                "region": config.getini("modelreg_region") or None,
            },
            "ini option",
        )
        cli = settings_from(
            {
                "policy": _policy_option(cli_policy or [], Path.cwd()),
                "enforce": config.getoption("modelreg_enforce"),
                "account_id": config.getoption("modelreg_account_id"),
                "region": config.getoption("modelreg_region"),
            },
            "command-line option",
        )
    except SettingsError as exc:
        raise pytest.UsageError(f"pytest-modelreg: {exc}") from None
    defaults = cli.over(ini)
    policy_lint.reset()
    if defaults.policy is not None:
        where = "--modelreg-policy" if cli.policy is not None else "ini modelreg_policy"
        _check_policies(defaults.policy, f"pytest-modelreg: {where}")
        try:
            policy_lint.check(defaults.policy, where)
        except policy_lint.PolicyLintError as exc:
            raise pytest.UsageError(str(exc)) from None
    summary_mode(config)
    out = policy_out_path(config)
    if out is not None:
        _check_policy_out(out)
    set_suite_defaults(defaults)
    activation.watch(_on_activation)
    if out is not None or summary_mode(config) == "always" or policy_lint.findings_seen():
        _reporter(config)  # the file is written, the summary shown, even by a run without a call


def summary_mode(config: pytest.Config) -> str:
    """``--modelreg-summary`` over ini ``modelreg_summary``: auto, always or never."""
    mode = config.getoption("modelreg_summary") or config.getini("modelreg_summary") or "auto"
    if mode not in SUMMARY_MODES:
        raise pytest.UsageError(
            f"pytest-modelreg: ini modelreg_summary must be one of {', '.join(SUMMARY_MODES)}, "
            f"not {mode!r}"
        )
    return str(mode)


def policy_out_path(config: pytest.Config) -> Path | None:
    """Where ``--modelreg-policy-out`` (relative to the invocation directory) or ini
    ``modelreg_policy_out`` (relative to the rootdir) asks for the policy file; None if not."""
    option = config.getoption("modelreg_policy_out")
    if option:
        return config.invocation_params.dir / str(option)
    ini = config.getini("modelreg_policy_out")
    return config.rootpath / str(ini) if ini else None


def _check_policy_out(path: Path) -> None:
    """Refuse, before any test runs, a policy file the run could not write at its end; make its
    directory if missing (as ``--junitxml`` does)."""
    where = f"pytest-modelreg: --modelreg-policy-out / modelreg_policy_out {path}"
    if path.is_dir():
        raise pytest.UsageError(f"{where}: is a directory; give a file path")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise pytest.UsageError(f"{where}: cannot make its directory ({exc.strerror})") from None
    writable = os.access(path, os.W_OK) if path.exists() else os.access(path.parent, os.W_OK)
    if not writable:
        raise pytest.UsageError(f"{where}: not writable")


def pytest_unconfigure(config: pytest.Config) -> None:
    set_suite_defaults(Settings())


# -- which handles each test used (read by the reporting plugin) ----------------------------------
# The items running now, innermost last (an in-process pytester run nests one inside another).
_running: list[pytest.Item] = []


def _reporter(config: pytest.Config) -> Reporter:
    """The reporting plugin of this run, registered on first need: a run that never activates a
    mock never imports it."""
    # (By module path: a pytester in-process run may have dropped an earlier copy of the module.)
    from pytest_modelreg.reporting import configure

    return configure(config)


def _track(item: pytest.Item, handle: ModelRegistryHandle) -> None:
    handles = item.stash.setdefault(HANDLES_KEY, [])
    if not any(h is handle for h in handles):
        handles.append(handle)
        _reporter(item.config)


def _on_activation(handle: ModelRegistryHandle) -> None:
    if _running:
        _track(_running[-1], handle)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, object, object]:
    _running.append(item)
    for handle in activation.active_handles():  # opened before the test, still serving it
        _track(item, handle)
    try:
        with expected.running_test(getattr(item, "function", None)):
            return (yield)
    finally:
        _running.remove(item)
        # Nothing keeps a handle alive past its test.
        item.stash[HANDLES_KEY] = []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    # A policy with ERROR findings: its findings are the whole story, not a traceback.
    if call.excinfo is not None and isinstance(call.excinfo.value, policy_lint.PolicyLintError):
        report.longrepr = str(call.excinfo.value)
    return report


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    # pytest-xdist: a worker that used the mock ships its totals to the controller.
    from_worker = getattr(node, "workeroutput", None) or {}
    if from_worker.get(WORKEROUTPUT_KEY):
        _reporter(node.config).merge_worker_output(from_worker[WORKEROUTPUT_KEY])


# -- marker and fixture ---------------------------------------------------------------------------
def _marker_settings(item: pytest.Item) -> Settings | None:
    """The ``modelreg`` markers of the test, its class and its module, merged key by key (the
    closest marker wins a key it sets); None if there is none."""
    merged: Settings | None = None
    where = f"{item.nodeid}: @pytest.mark.{MARKER}"
    for marker in item.iter_markers(MARKER):  # closest first
        if marker.args:
            raise pytest.UsageError(
                f"{where} takes keyword arguments only ({', '.join(ARGUMENT_NAMES)}); got "
                f"positional {marker.args!r}"
            )
        try:
            settings = settings_from(marker.kwargs, where)
        except SettingsError as exc:
            raise pytest.UsageError(str(exc)) from None
        if settings.policy is not None:
            _check_policies(settings.policy, where)
        merged = settings if merged is None else merged.over(settings)
    return merged


def _decorator(item: pytest.Item) -> activation.ModelregMock | None:
    """The ``mock_modelreg`` decorating the test function or its class, if any."""
    return activation.mock_of(getattr(item, "function", None), getattr(item, "cls", None))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        names = item.fixturenames
        # The marker alone activates the mock, as time-machine's marker does. A decorated test
        # that uses the fixture gets the fixture first, so that set-up methods see its activation.
        if _marker_settings(item) is not None or (
            "modelreg" in names and _decorator(item) is not None
        ):
            if "modelreg" in names:
                names.remove("modelreg")
            names.insert(0, "modelreg")


@pytest.fixture
def modelreg(request: pytest.FixtureRequest) -> Iterator[ModelRegistryHandle]:
    """The handle of the mock active for this test: configured by the ``modelreg`` markers over
    the test's ``mock_modelreg`` decorator, if it has one, which then shares this activation."""
    node = request.node
    item = node if isinstance(node, pytest.Item) else None
    marker = _marker_settings(item) if item is not None else None
    if marker is not None and item is not None:
        policy_lint.check(marker.policy, f"{item.nodeid}: @pytest.mark.{MARKER}(policy=...)")
    decorator = _decorator(item) if item is not None else None
    with activation.shared_activation(marker or Settings(), decorator) as handle:
        yield handle

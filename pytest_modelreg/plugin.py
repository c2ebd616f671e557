"""The pytest surface: options, the ``modelreg`` marker and the ``modelreg`` fixture.

Registered through the ``pytest11`` entry point, so installing the package is all a user does.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pytest_modelreg import reporting
from pytest_modelreg.activation import ModelRegistryHandle, ModelregMock
from pytest_modelreg.iam import MalformedPolicyDocument, Policy
from pytest_modelreg.policies import PolicyLike, PolicySourceError, policy_documents
from pytest_modelreg.settings import (
    ARGUMENT_NAMES,
    ENFORCE_MODES,
    Settings,
    SettingsError,
    set_suite_defaults,
    settings_from,
)

MARKER = "modelreg"
_MARKER_DOC = (
    "modelreg(*, policy=None, enforce=None, account_id=None, region=None): configure the modelreg "
    "fixture for this test (policy: dict, JSON text, pathlib.Path, managed policy name/ARN, or a "
    "list of these; enforce: strict|warn|off). The marker alone activates the mock."
)


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
    parser.addini("modelreg_enforce", "default enforce mode (strict, warn, off)", default=None)
    parser.addini(
        "modelreg_policy",
        "default policies of the principal under test (one per line)",
        type="linelist",
    )
    parser.addini("modelreg_account_id", "default simulated account id", default=None)
    parser.addini("modelreg_region", "default simulated region", default=None)
    reporting.addoption(group, parser)


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
    if defaults.policy is not None:
        _check_policies(defaults.policy, "pytest-modelreg: --modelreg-policy / modelreg_policy")
    set_suite_defaults(defaults)
    reporting.configure(config)


def pytest_unconfigure(config: pytest.Config) -> None:
    set_suite_defaults(Settings())


def _marker_settings(item: pytest.Item) -> Settings | None:
    marker = item.get_closest_marker(MARKER)
    if marker is None:
        return None
    where = f"{item.nodeid}: @pytest.mark.{MARKER}"
    if marker.args:
        raise pytest.UsageError(
            f"{where} takes keyword arguments only ({', '.join(ARGUMENT_NAMES)}); got positional "
            f"{marker.args!r}"
        )
    try:
        settings = settings_from(marker.kwargs, where)
    except SettingsError as exc:
        raise pytest.UsageError(str(exc)) from None
    if settings.policy is not None:
        _check_policies(settings.policy, where)
    return settings


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        # The marker alone activates the mock, as time-machine's marker does.
        if (
            _marker_settings(item) is not None
            and isinstance(item, pytest.Function)
            and "modelreg" not in item.fixturenames
        ):
            item.fixturenames.insert(0, "modelreg")


@pytest.fixture
def modelreg(request: pytest.FixtureRequest) -> Iterator[ModelRegistryHandle]:
    """The handle of a mock active for this test (configured by the ``modelreg`` marker)."""
    marker = _marker_settings(request.node) if isinstance(request.node, pytest.Item) else None
    mocker = ModelregMock(marker or Settings())
    with mocker as handle:
        if isinstance(request.node, pytest.Item):
            reporting.track(request.node, handle)
        yield handle

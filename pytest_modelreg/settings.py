"""Configuration of one activation, and the precedence that builds it:
marker > decorator/context-manager arguments > command-line option > ini option > default.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from pytest_modelreg.policies import PolicyLike

EnforceMode = Literal["strict", "warn", "off"]
ENFORCE_MODES: tuple[EnforceMode, ...] = ("strict", "warn", "off")

DEFAULT_ACCOUNT_ID = "123456789012"
DEFAULT_REGION = "us-east-1"

_ACCOUNT_RE = re.compile(r"\d{12}")
# Region names as botocore's endpoint data spells them (partition prefix, area, number).
_REGION_RE = re.compile(r"[a-z]{2}(-[a-z]+)+-\d{1,2}")

ARGUMENT_NAMES = ("policy", "enforce", "account_id", "region")


class SettingsError(ValueError):
    """A configuration value the plugin cannot use; pytest reports it as a UsageError."""


@dataclass(frozen=True)
class Settings:
    """What each of the four arguments is, once every layer has had its say (None = unset)."""

    policy: PolicyLike | list[PolicyLike] | None = None
    enforce: EnforceMode | None = None
    account_id: str | None = None
    region: str | None = None

    def over(self, base: Settings) -> Settings:
        """These settings, falling back to ``base`` for what they leave unset."""
        return Settings(
            policy=self.policy if self.policy is not None else base.policy,
            enforce=self.enforce if self.enforce is not None else base.enforce,
            account_id=self.account_id if self.account_id is not None else base.account_id,
            region=self.region if self.region is not None else base.region,
        )

    def resolved(self) -> Settings:
        return replace(
            self,
            enforce=self.enforce or "strict",
            account_id=self.account_id or DEFAULT_ACCOUNT_ID,
            region=self.region or DEFAULT_REGION,
        )


def validate_enforce(value: object, where: str) -> EnforceMode | None:
    if value is None:
        return None
    if value not in ENFORCE_MODES:
        raise SettingsError(
            f"{where}: enforce must be one of {', '.join(repr(m) for m in ENFORCE_MODES)}, "
            f"not {value!r}"
        )
    return value


def validate_account_id(value: object, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _ACCOUNT_RE.fullmatch(value):
        raise SettingsError(f"{where}: account_id must be 12 digits as a string, not {value!r}")
    return value


def validate_region(value: object, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _REGION_RE.fullmatch(value):
        raise SettingsError(
            f"{where}: region must be a region name such as 'us-east-1', not {value!r}"
        )
    return value


def settings_from(arguments: Mapping[str, Any], where: str) -> Settings:
    """Validate user-given arguments (decorator, marker, options) into Settings."""
    unknown = sorted(set(arguments) - set(ARGUMENT_NAMES))
    if unknown:
        raise SettingsError(
            f"{where}: unknown argument(s) {', '.join(unknown)}; "
            f"accepted: {', '.join(ARGUMENT_NAMES)}"
        )
    policy: Any = arguments.get("policy")
    if isinstance(policy, Iterable) and not isinstance(policy, (str, bytes, Mapping)):
        policy = list(policy)
    return Settings(
        policy=policy,
        enforce=validate_enforce(arguments.get("enforce"), where),
        account_id=validate_account_id(arguments.get("account_id"), where),
        region=validate_region(arguments.get("region"), where),
    )


# Suite-wide defaults (command line over ini), set by the pytest plugin at configure time, so that
# decorators and context managers in test code honour them as well as the fixture does.
_suite_defaults = Settings()


def set_suite_defaults(settings: Settings) -> None:
    global _suite_defaults
    _suite_defaults = settings


def suite_defaults() -> Settings:
    return _suite_defaults

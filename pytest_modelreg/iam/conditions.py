"""Condition operators, compiled once per statement.

IAM User Guide, "IAM JSON policy elements: Condition operators"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
and "Creating a condition with multiple keys or values"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html):

* several values for one key are OR-ed; for a negated operator (``...Not...``, ``NotIpAddress``)
  the result is the NOR of the values; several keys and several operators are AND-ed;
* a key missing from the request context makes a positive operator false and a negated one true;
  ``...IfExists`` makes a missing key true; ``Null`` tests presence;
* ``ForAllValues:`` is true when every request value matches (and when the key is missing or
  empty); ``ForAnyValue:`` is true when at least one does (false when missing or empty).
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from .glob import compile_glob, glob, has_wildcard
from .variables import Template, parse_template

Getter = Callable[[str], "tuple[str, ...] | None"]

SET_NONE = 0
SET_ALL = 1
SET_ANY = 2

# Base operator -> (family, negated). Names are IAM's, matched exactly.
OPERATORS: dict[str, tuple[str, bool]] = {
    "StringEquals": ("StringEquals", False),
    "StringNotEquals": ("StringEquals", True),
    "StringEqualsIgnoreCase": ("StringEqualsIgnoreCase", False),
    "StringNotEqualsIgnoreCase": ("StringEqualsIgnoreCase", True),
    "StringLike": ("StringLike", False),
    "StringNotLike": ("StringLike", True),
    "NumericEquals": ("NumericEquals", False),
    "NumericNotEquals": ("NumericEquals", True),
    "NumericLessThan": ("NumericLessThan", False),
    "NumericLessThanEquals": ("NumericLessThanEquals", False),
    "NumericGreaterThan": ("NumericGreaterThan", False),
    "NumericGreaterThanEquals": ("NumericGreaterThanEquals", False),
    "DateEquals": ("DateEquals", False),
    "DateNotEquals": ("DateEquals", True),
    "DateLessThan": ("DateLessThan", False),
    "DateLessThanEquals": ("DateLessThanEquals", False),
    "DateGreaterThan": ("DateGreaterThan", False),
    "DateGreaterThanEquals": ("DateGreaterThanEquals", False),
    "Bool": ("Bool", False),
    "BinaryEquals": ("BinaryEquals", False),
    "IpAddress": ("IpAddress", False),
    "NotIpAddress": ("IpAddress", True),
    "ArnEquals": ("ArnLike", False),
    "ArnLike": ("ArnLike", False),
    "ArnNotEquals": ("ArnLike", True),
    "ArnNotLike": ("ArnLike", True),
    "Null": ("Null", False),
}

# Only string and ARN operators substitute policy variables (Variables page, "Condition element").
_VARIABLE_FAMILIES = frozenset({"StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnLike"})


def split_operator(name: str) -> tuple[int, str, bool] | None:
    """``ForAnyValue:StringLikeIfExists`` -> (SET_ANY, "StringLike", True); None if unknown."""
    set_op = SET_NONE
    base = name
    if base.startswith("ForAllValues:"):
        set_op, base = SET_ALL, base[len("ForAllValues:") :]
    elif base.startswith("ForAnyValue:"):
        set_op, base = SET_ANY, base[len("ForAnyValue:") :]
    if_exists = False
    if base.endswith("IfExists") and base != "IfExists":
        if_exists, base = True, base[: -len("IfExists")]
    if base not in OPERATORS:
        return None
    return set_op, base, if_exists


def to_policy_string(value: object) -> str:
    """Condition values may be JSON strings, numbers or booleans; IAM compares their text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- value parsers ------------------------------------------------------------------------------

_EPOCH_RE = re.compile(r"^-?\d+(\.\d+)?$")


def parse_number(text: str) -> float | None:
    try:
        n = float(text)
    except ValueError:
        return None
    return None if math.isnan(n) else n


def parse_date(text: str) -> float | None:
    """ISO 8601 (``2026-01-01``, ``2026-01-01T00:00:00Z``, offsets, fractions) or epoch seconds."""
    text = text.strip()
    if _EPOCH_RE.match(text):
        return float(text)
    iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        dt = datetime.fromisoformat(iso)
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=timezone.utc)
        return dt.timestamp()
    except (ValueError, OverflowError):
        return None


def _parse_ip_network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None


def _decode_b64(text: str) -> bytes | None:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


# --- matchers: "does request value v match any of the policy values?" ---------------------------


class _Matcher:
    def __init__(self, raw: Sequence[str]) -> None:
        self.raw = tuple(raw)

    def matches(self, v: str, get: Getter) -> bool:
        raise NotImplementedError

    def resolved(self, get: Getter) -> tuple[str, ...]:
        """The policy values after variable substitution (for explain output)."""
        return self.raw


class _TemplatedMatcher(_Matcher):
    """String/ARN operators: plain values precomputed, values with variables resolved per call."""

    def __init__(self, raw: Sequence[str], variables: bool) -> None:
        super().__init__(raw)
        self.templates: tuple[Template, ...] = ()
        self.plain: tuple[str, ...] = self.raw
        if variables:
            templates = []
            plain = []
            for r in self.raw:
                t = parse_template(r)
                if t is None:
                    plain.append(r)
                else:
                    templates.append(t)
            self.templates, self.plain = tuple(templates), tuple(plain)

    def resolved(self, get: Getter) -> tuple[str, ...]:
        out = list(self.plain)
        for t in self.templates:
            text = t.resolve_text(get)
            out.append(f"<unresolved {t.source}>" if text is None else text)
        return tuple(out)


class _StringEquals(_TemplatedMatcher):
    def __init__(self, raw: Sequence[str], variables: bool) -> None:
        super().__init__(raw, variables)
        self.exact = frozenset(self.plain)

    def matches(self, v: str, get: Getter) -> bool:
        if v in self.exact:
            return True
        return any(t.resolve_text(get) == v for t in self.templates)


class _StringEqualsIgnoreCase(_TemplatedMatcher):
    def __init__(self, raw: Sequence[str], variables: bool) -> None:
        super().__init__(raw, variables)
        self.folded = frozenset(p.casefold() for p in self.plain)

    def matches(self, v: str, get: Getter) -> bool:
        f = v.casefold()
        if f in self.folded:
            return True
        for t in self.templates:
            text = t.resolve_text(get)
            if text is not None and text.casefold() == f:
                return True
        return False


class _Like(_TemplatedMatcher):
    """StringLike (``arn=False``) and the ARN operators (segment-aware, ``arn=True``)."""

    def __init__(self, raw: Sequence[str], variables: bool, *, arn: bool) -> None:
        super().__init__(raw, variables)
        self.arn = arn
        self.exact = frozenset(p for p in self.plain if not has_wildcard(p))
        self.patterns = tuple(glob(p, arn=arn) for p in self.plain if has_wildcard(p))

    def matches(self, v: str, get: Getter) -> bool:
        if v in self.exact:
            return True
        if any(p.fullmatch(v) for p in self.patterns):
            return True
        for t in self.templates:
            runs = t.resolve(get)
            if runs is not None and compile_glob(runs, arn=self.arn).fullmatch(v):
                return True
        return False


_NUMERIC_OPS: dict[str, Callable[[float, float], bool]] = {
    "Equals": lambda a, b: a == b,
    "LessThan": lambda a, b: a < b,
    "LessThanEquals": lambda a, b: a <= b,
    "GreaterThan": lambda a, b: a > b,
    "GreaterThanEquals": lambda a, b: a >= b,
}


class _Compare(_Matcher):
    """Numeric* and Date*: the request value compared with each policy value."""

    def __init__(self, raw: Sequence[str], parse: Callable[[str], float | None], op: str) -> None:
        super().__init__(raw)
        self.parse = parse
        self.op = _NUMERIC_OPS[op]
        self.numbers = tuple(n for n in (parse(r) for r in self.raw) if n is not None)

    def matches(self, v: str, get: Getter) -> bool:
        n = self.parse(v)
        if n is None:
            return False
        return any(self.op(n, p) for p in self.numbers)


class _Bool(_Matcher):
    def __init__(self, raw: Sequence[str]) -> None:
        super().__init__(raw)
        self.values = frozenset(r.lower() for r in self.raw)

    def matches(self, v: str, get: Getter) -> bool:
        return v.lower() in self.values


class _Binary(_Matcher):
    def __init__(self, raw: Sequence[str]) -> None:
        super().__init__(raw)
        self.values = frozenset(_decode_b64(r) or r.encode() for r in self.raw)

    def matches(self, v: str, get: Getter) -> bool:
        return (_decode_b64(v) or v.encode()) in self.values


class _Ip(_Matcher):
    def __init__(self, raw: Sequence[str]) -> None:
        super().__init__(raw)
        nets = (_parse_ip_network(r) for r in self.raw)
        self.networks = tuple(n for n in nets if n is not None)

    def matches(self, v: str, get: Getter) -> bool:
        try:
            ip = ipaddress.ip_address(v.strip())
        except ValueError:
            net = _parse_ip_network(v)  # a request value may itself be written as a CIDR
            if net is None:
                return False
            return any(
                net.version == n.version and net.subnet_of(n)  # type: ignore[arg-type]
                for n in self.networks
            )
        return any(ip.version == n.version and ip in n for n in self.networks)


def _make_matcher(family: str, raw: Sequence[str], variables: bool) -> _Matcher:
    if family == "StringEquals":
        return _StringEquals(raw, variables)
    if family == "StringEqualsIgnoreCase":
        return _StringEqualsIgnoreCase(raw, variables)
    if family == "StringLike":
        return _Like(raw, variables, arn=False)
    if family == "ArnLike":
        return _Like(raw, variables, arn=True)
    if family.startswith("Numeric"):
        return _Compare(raw, parse_number, family[len("Numeric") :])
    if family.startswith("Date"):
        return _Compare(raw, parse_date, family[len("Date") :])
    if family == "Bool":
        return _Bool(raw)
    if family == "BinaryEquals":
        return _Binary(raw)
    if family == "IpAddress":
        return _Ip(raw)
    raise ValueError(family)  # pragma: no cover - Null is handled by Condition itself


# --- one compiled condition -------------------------------------------------------------------


@dataclass(frozen=True)
class ConditionTrace:
    """Explain data for one (operator, key) pair of a statement's Condition block."""

    operator: str
    key: str
    policy_values: tuple[str, ...]
    context_values: tuple[str, ...] | None  # None: the key was not in the request
    key_missing: bool
    result: bool


class Condition:
    """One ``operator: {key: values}`` entry, ready to evaluate."""

    __slots__ = (
        "base",
        "family",
        "if_exists",
        "key",
        "key_l",
        "matcher",
        "negated",
        "null_values",
        "operator",
        "set_op",
        "values",
    )

    def __init__(self, operator: str, key: str, values: Sequence[str], *, variables: bool) -> None:
        parsed = split_operator(operator)
        if parsed is None:  # validated by the parser before we get here
            raise ValueError(operator)
        self.set_op, self.base, self.if_exists = parsed
        self.family, self.negated = OPERATORS[self.base]
        self.operator = operator
        self.key = key
        self.key_l = key.lower()
        self.values = tuple(values)
        self.null_values = tuple(v.lower() == "true" for v in self.values)
        self.matcher: _Matcher | None = None
        if self.family != "Null":
            uses_vars = variables and self.family in _VARIABLE_FAMILIES
            self.matcher = _make_matcher(self.family, self.values, uses_vars)

    @property
    def variable_keys(self) -> tuple[str, ...]:
        m = self.matcher
        if isinstance(m, _TemplatedMatcher):
            return tuple(k for t in m.templates for k in t.keys)
        return ()

    def evaluate(self, get: Getter) -> bool:
        vals = get(self.key_l)
        if self.matcher is None:  # Null: "true" means the key must be absent
            absent = not vals
            return any(want_absent == absent for want_absent in self.null_values)
        if not vals:
            if self.if_exists or self.set_op == SET_ALL:
                return True
            if self.set_op == SET_ANY:
                return False
            return self.negated
        match = self.matcher.matches
        negated = self.negated
        if self.set_op == SET_ALL:
            return all(match(v, get) != negated for v in vals)
        if self.set_op == SET_ANY:
            return any(match(v, get) != negated for v in vals)
        if negated:
            return not any(match(v, get) for v in vals)
        return any(match(v, get) for v in vals)

    def explain(self, get: Getter) -> ConditionTrace:
        vals = get(self.key_l)
        resolved = self.values if self.matcher is None else self.matcher.resolved(get)
        return ConditionTrace(
            operator=self.operator,
            key=self.key,
            policy_values=resolved,
            context_values=vals,
            key_missing=vals is None,
            result=self.evaluate(get),
        )

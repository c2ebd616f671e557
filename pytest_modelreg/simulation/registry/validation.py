"""Server-side constraint checks AWS performs and botocore does not (max, pattern, enum), in AWS's
wording: "1 validation error detected: Value '...' at 'validationSpecification.validationRole'
failed to satisfy constraint: Member must satisfy regular expression pattern: ..."
(aws/amazon-sagemaker-examples#4843).

Validators are compiled once per shape from botocore's service model and cached, so a call pays
only for walking the members it actually sent.
"""

from __future__ import annotations

import re
import sys
import threading
import unicodedata
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import cache
from typing import Any

from botocore.model import ListShape, MapShape, OperationModel, ServiceModel, Shape, StructureShape

from pytest_modelreg._botocore_models import service_model as botocore_service_model

from ..base import ServiceError
from ._guesses import PATTERN_DOT_MATCHES_NEWLINE, list_member_path

_FLAGS = re.DOTALL if PATTERN_DOT_MATCHES_NEWLINE else 0

Check = Callable[[Any, str, list[str]], None]


def service_model() -> ServiceModel:
    """botocore's SageMaker model (the package's one cache of it, _botocore_models): the authority
    for shapes, patterns, enums and lengths."""
    return botocore_service_model("sagemaker")


@cache
def operation_model(operation: str) -> OperationModel:
    return service_model().operation_model(operation)


@cache
def shape(name: str) -> Shape:
    """The model's shape ``name``, made once: botocore builds a new Shape on every look-up, and
    a structure's members are resolved again for each new one (Search read them per call)."""
    return service_model().shape_for(name)


# --- Java regex → Python -----------------------------------------------------------------------

_ASCII = [chr(i) for i in range(128)]
_CATEGORY_ASCII: dict[str, str] = {}
for _c in "LMZSNP":
    _CATEGORY_ASCII[_c] = "".join(
        re.escape(ch) if ch in "\\]^-[" else ch
        for ch in _ASCII
        if unicodedata.category(ch).startswith(_c)
    )
_CATEGORY_ASCII["Alnum"] = "A-Za-z0-9"
_full_ranges: dict[str, str] = {}
_full_lock = threading.Lock()


def _category_ranges(cat: str) -> str:
    """Character-class text for a Unicode general category over all code points (built once)."""
    if cat == "Alnum":
        return "A-Za-z0-9"
    with _full_lock:
        if not _full_ranges:
            spans: dict[str, list[tuple[int, int]]] = {c: [] for c in "LMZSNP"}
            for cp in range(sys.maxunicode + 1):
                major = unicodedata.category(chr(cp))[0]
                lst = spans.get(major)
                if lst is None:
                    continue
                if lst and lst[-1][1] == cp - 1:
                    lst[-1] = (lst[-1][0], cp)
                else:
                    lst.append((cp, cp))
            for c, lst in spans.items():
                _full_ranges[c] = "".join(
                    f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in lst
                )
    return _full_ranges[cat]


_PROP = re.compile(r"\\p\{(\w+)\}")


def _translate(pattern: str, full: bool) -> str:
    # A quantifier after "$" (e.g. "${1,128}") is a no-op in Java and an error in Python.
    p = re.sub(r"\$\{\d+(?:,\d*)?\}", "$", pattern)
    # Java writes astral ranges as UTF-16 surrogate pairs.
    p = p.replace("\\uD800\\uDC00-\\uDBFF\\uDFFF", "\\U00010000-\\U0010FFFF")
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(p):
        ch = p[i]
        if ch == "\\":
            m = _PROP.match(p, i)
            if m:
                cat = m.group(1)
                body = _category_ranges(cat) if full else _CATEGORY_ASCII.get(cat, "")
                out.append(body if in_class else f"[{body}]")
                i = m.end()
                continue
            out.append(p[i : i + 2])
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
        elif ch == "]" and in_class:
            in_class = False
        out.append(ch)
        i += 1
    return "".join(out)


class _Pattern:
    """A model pattern applied as a full match (an ARN in a name-only member is refused:
    aws/sagemaker-python-sdk#3726), ASCII fast path, full Unicode when needed."""

    __slots__ = ("_ascii", "_full", "_needs_full", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._needs_full = "\\p{" in text
        self._ascii: re.Pattern[str] | None
        try:
            self._ascii = re.compile(_translate(text, full=False), _FLAGS)
        except re.error:  # pragma: no cover - every pattern in 1.44.8 compiles (tested)
            self._ascii = None
        self._full: re.Pattern[str] | None = None

    def matches(self, value: str) -> bool:
        if self._ascii is None:
            return True
        if not self._needs_full or value.isascii():
            return self._ascii.fullmatch(value) is not None
        if self._full is None:
            self._full = re.compile(_translate(self.text, full=True), _FLAGS)
        return self._full.fullmatch(value) is not None


@cache
def compiled_pattern(text: str) -> _Pattern:
    return _Pattern(text)


# --- message formatting ------------------------------------------------------------------------


def _render(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_render(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}={_render(v)}" for k, v in value.items()) + "}"
    return str(value)


def _violation(value: Any, path: str, constraint: str) -> str:
    return f"Value '{_render(value)}' at '{path}' failed to satisfy constraint: {constraint}"


def validation_error(violations: list[str]) -> ServiceError:
    n = len(violations)
    head = f"{n} validation error{'s' if n != 1 else ''} detected: "
    return ServiceError("ValidationException", head + "; ".join(violations))


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


# --- compiled checks ---------------------------------------------------------------------------

_cache: dict[str, Check | None] = {}
_VALID_STRINGS = 512  # per string shape
_cache_lock = threading.RLock()


def _scalar_constraints(sh: Shape) -> list[Callable[[Any], str | None]]:
    """Checks for one string/number/list/map value, in AWS's order: length, pattern, enum."""
    md = sh.metadata
    checks: list[Callable[[Any], str | None]] = []
    tn = sh.type_name
    if tn in ("string", "list", "map", "blob"):
        lo, hi = md.get("min"), md.get("max")
        if hi is not None:

            def _max(v: Any, hi: int = hi) -> str | None:
                return (
                    f"Member must have length less than or equal to {hi}" if len(v) > hi else None
                )

            checks.append(_max)
        if lo:

            def _min(v: Any, lo: int = lo) -> str | None:
                return (
                    f"Member must have length greater than or equal to {lo}"
                    if len(v) < lo
                    else None
                )

            checks.append(_min)
    elif tn in ("integer", "long", "float", "double"):
        lo, hi = md.get("min"), md.get("max")
        if hi is not None:

            def _vmax(v: Any, hi: Any = hi) -> str | None:
                return f"Member must have value less than or equal to {hi}" if v > hi else None

            checks.append(_vmax)
        if lo is not None:

            def _vmin(v: Any, lo: Any = lo) -> str | None:
                return f"Member must have value greater than or equal to {lo}" if v < lo else None

            checks.append(_vmin)
    if tn == "string":
        pat = md.get("pattern")
        if pat:
            cp = compiled_pattern(pat)

            def _pat(v: Any, cp: _Pattern = cp) -> str | None:
                if cp.matches(v):
                    return None
                return f"Member must satisfy regular expression pattern: {cp.text}"

            checks.append(_pat)
        enum: list[str] = getattr(sh, "enum", None) or []
        if enum:
            allowed = frozenset(enum)
            phrase = "Member must satisfy enum value set: [" + ", ".join(enum) + "]"

            def _enum(
                v: Any, allowed: frozenset[str] = allowed, phrase: str = phrase
            ) -> str | None:
                return None if v in allowed else phrase

            checks.append(_enum)
    return checks


def compile_shape(sh: Shape) -> Check | None:
    """A checker for values of ``sh`` (None when the shape carries no server-side constraint)."""
    key = sh.name
    with _cache_lock:
        if key in _cache:
            return _cache[key]
        # Recursive shapes (SearchExpression) refer to themselves: point at a late-bound slot.
        slot: list[Check | None] = [None]

        def _late(v: Any, path: str, out: list[str]) -> None:
            f = slot[0]
            if f is not None:
                f(v, path, out)

        _cache[key] = _late
        built = _build(sh)
        slot[0] = built
        _cache[key] = built
        return built


def _build(sh: Shape) -> Check | None:
    own = _scalar_constraints(sh)
    if isinstance(sh, StructureShape):
        members: dict[str, tuple[int, str, Check]] = {}
        for index, (name, msh) in enumerate(sh.members.items()):
            c = compile_shape(msh)
            if c is not None:
                members[name] = (index, _camel(name), c)
        if not members:
            return None

        ordered = [(name, camel, c) for name, (_, camel, c) in members.items()]

        def _struct(v: Any, path: str, out: list[str]) -> None:
            if type(v) is not dict and not isinstance(v, Mapping):
                return
            # Walk what was sent (usually a few members), not the whole shape.
            start = len(out)
            for name, mv in v.items():
                entry = members.get(name)
                if entry is not None and mv is not None:
                    entry[2](mv, f"{path}.{entry[1]}" if path else entry[1], out)
            if len(out) > start:
                # Rare: redo in the model's member order, whatever order the caller used.
                del out[start:]
                for name, camel, c in ordered:
                    mv = v.get(name)
                    if mv is not None:
                        c(mv, f"{path}.{camel}" if path else camel, out)

        return _struct
    if isinstance(sh, ListShape):
        inner = compile_shape(sh.member)
        if not own and inner is None:
            return None

        def _list(v: Any, path: str, out: list[str]) -> None:
            if not isinstance(v, (list, tuple)):
                return
            for chk in own:
                msg = chk(v)
                if msg:
                    out.append(_violation(v, path, msg))
            if inner is not None:
                for i, item in enumerate(v):
                    if item is not None:
                        inner(item, list_member_path(path, i), out)

        return _list
    if isinstance(sh, MapShape):
        key_checks = _scalar_constraints(sh.key)
        value_check = compile_shape(sh.value)
        if not own and not key_checks and value_check is None:
            return None

        def _map(v: Any, path: str, out: list[str]) -> None:
            if not isinstance(v, Mapping):
                return
            for chk in own:
                msg = chk(v)
                if msg:
                    out.append(_violation(v, path, msg))
            # AWS reports map entries as "Map keys/value must satisfy constraint: [...]" [INFERRED
            # from the Lambda family]; we report the first offending key/value.
            for k in v:
                if key_checks and isinstance(k, str):
                    bad = [m for chk in key_checks if (m := chk(k))]
                    if bad:
                        out.append(
                            _violation(
                                v,
                                path,
                                "Map keys must satisfy constraint: [" + ", ".join(bad) + "]",
                            )
                        )
                        break
            if value_check is not None:
                for item in v.values():
                    sub: list[str] = []
                    value_check(item, path, sub)
                    if sub:
                        out.append(
                            _violation(
                                v,
                                path,
                                "Map value must satisfy constraint: ["
                                + ", ".join(
                                    s.split("failed to satisfy constraint: ", 1)[-1] for s in sub
                                )
                                + "]",
                            )
                        )
                        break

        return _map
    if not own:
        return None
    if sh.type_name == "string":
        # Calls repeat their strings (image URIs, content types, names): one that met this
        # shape's constraints once meets them again, so it is remembered (a bounded set).
        valid: set[str] = set()

        def _str(v: Any, path: str, out: list[str]) -> None:
            plain = type(v) is str
            if plain and v in valid:
                return
            if isinstance(v, str):
                ok = True
                for chk in own:
                    msg = chk(v)
                    if msg:
                        out.append(_violation(v, path, msg))
                        ok = False
                if ok and plain and len(valid) < _VALID_STRINGS:
                    valid.add(v)

        return _str

    def _scalar(v: Any, path: str, out: list[str]) -> None:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            for chk in own:
                msg = chk(v)
                if msg:
                    out.append(_violation(v, path, msg))
        elif isinstance(v, (str, bytes, bytearray, list, Mapping)) and not isinstance(v, datetime):
            for chk in own:
                try:
                    msg = chk(v)
                except TypeError:
                    continue
                if msg:
                    out.append(_violation(v, path, msg))

    return _scalar


@cache
def _input_checker(operation: str) -> Check | None:
    sh = operation_model(operation).input_shape
    return compile_shape(sh) if sh is not None else None


def validate_input(operation: str, params: Mapping[str, Any]) -> None:
    """Raise AWS's ValidationException for every max/pattern/enum violation in ``params``."""
    chk = _input_checker(operation)
    if chk is None:
        return
    out: list[str] = []
    chk(params, "", out)
    if out:
        raise validation_error(out)

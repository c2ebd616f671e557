"""Policy variables: ``${key}``, ``${key, 'default'}`` and the ``${*}``, ``${?}``, ``${$}`` escapes.

IAM User Guide, "IAM policy elements: Variables and tags"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html):
variables exist only in policies whose ``Version`` is ``2012-10-17``; in ``2008-10-17`` (or with no
``Version``) the text is literal. They may appear in ``Resource``/``NotResource`` and in the values
of String and ARN condition operators. A variable whose key has no value and no default makes the
value it is part of match nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_VAR_RE = re.compile(r"\$\{([^}]*)\}")
# ``${aws:PrincipalTag/team, 'fallback'}``; the default is quoted with single quotes.
_DEFAULT_RE = re.compile(r"^\s*([^,\s]+)\s*,\s*'([^']*)'\s*$")
_KEY_RE = re.compile(r"^\s*([^,\s']+)\s*$")
_ESCAPES = {"*": "*", "?": "?", "$": "$"}


@dataclass(frozen=True)
class Var:
    """One ``${...}`` reference: the key as written, its lower-case form, and its default."""

    name: str
    key: str
    default: str | None


# A template piece: ``str`` is policy text (wildcards keep their meaning), ``Var`` a variable,
# ``Literal`` text that must match literally (an escape such as ``${*}``).
@dataclass(frozen=True)
class Literal:
    text: str


Piece = str | Var | Literal
Lookup = Callable[[str], "tuple[str, ...] | None"]


@dataclass(frozen=True)
class Template:
    """A policy string with variables, split once at parse time."""

    source: str
    pieces: tuple[Piece, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        """The variables' keys, lower-case, without escapes."""
        return tuple(p.key for p in self.pieces if isinstance(p, Var))

    def resolve(self, lookup: Lookup) -> tuple[tuple[bool, str], ...] | None:
        """``(is_literal, text)`` runs with every variable replaced, or None if one has no value.

        A substituted value is literal text: a ``*`` in a user name is not a wildcard.
        """
        out: list[tuple[bool, str]] = []
        for piece in self.pieces:
            if isinstance(piece, str):
                out.append((False, piece))
            elif isinstance(piece, Literal):
                out.append((True, piece.text))
            else:
                values = lookup(piece.key)
                if values is not None and len(values) == 1:
                    out.append((True, values[0]))
                elif piece.default is not None and not values:
                    out.append((True, piece.default))
                else:
                    # Missing (or multivalued) with no default: the value matches nothing.
                    return None
        return tuple(out)

    def resolve_text(self, lookup: Lookup) -> str | None:
        """The plain resolved string (for operators without wildcards)."""
        runs = self.resolve(lookup)
        return None if runs is None else "".join(text for _, text in runs)


def parse_template(text: str, *, arn_resource: bool = False) -> Template | None:
    """Split ``text`` into pieces, or None when it holds no ``${...}`` (the common fast case).

    ``arn_resource``: ``text`` is a Resource ARN, where "You can't use a variable to replace parts
    of the ARN before the fifth colon, such as the service or account" (IAM User Guide, "IAM
    policy elements: Variables and tags"): a variable there stays literal text. Colons inside a
    ``${...}`` do not count.
    """
    if "${" not in text:
        return None
    pieces: list[Piece] = []
    pos = 0
    colons = 0
    for m in _VAR_RE.finditer(text):
        if m.start() > pos:
            pieces.append(text[pos : m.start()])
            colons += text.count(":", pos, m.start())
        pos = m.end()
        inner = m.group(1)
        if inner in _ESCAPES:
            pieces.append(Literal(_ESCAPES[inner]))
        elif arn_resource and colons < 5:
            pieces.append(Literal(m.group(0)))
        elif (d := _DEFAULT_RE.match(inner)) is not None:
            pieces.append(Var(d.group(1), d.group(1).lower(), d.group(2)))
        elif (k := _KEY_RE.match(inner)) is not None:
            pieces.append(Var(k.group(1), k.group(1).lower(), None))
        else:
            # Not a variable IAM recognizes: keep the characters as written.
            pieces.append(m.group(0))
    if pos < len(text):
        pieces.append(text[pos:])
    if all(isinstance(p, str) for p in pieces):
        return None
    return Template(text, tuple(pieces))

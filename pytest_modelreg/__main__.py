"""The command line: ``python -m pytest_modelreg lint FILE...``.

Prints the lint findings of each policy file (text, or ``--format json``) and exits 1 when a
finding is an ``ERROR`` (with ``--strict``, a ``SECURITY_WARNING`` too), 0 otherwise; 2 for a usage
error (argparse's convention), such as a file that cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import cast

from pytest_modelreg.iam.policy import POLICY_TYPES, PolicyType
from pytest_modelreg.linter import SEVERITIES, Finding, lint_document

PROG = "python -m pytest_modelreg"


def _parser() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    parser = argparse.ArgumentParser(prog=PROG, description="pytest-modelreg tools.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    lint = commands.add_parser(
        "lint",
        help="check IAM policy documents",
        description="Check IAM policy documents against IAM's grammar and the IAM reference "
        "data; exit 1 when a finding is an ERROR.",
    )
    lint.add_argument("files", nargs="+", metavar="FILE", help="a policy JSON file; - for stdin")
    lint.add_argument("--format", choices=("text", "json"), default="text")
    lint.add_argument(
        "--strict", action="store_true", help="exit 1 on a SECURITY_WARNING finding too"
    )
    lint.add_argument(
        "--policy-type",
        choices=POLICY_TYPES,
        default="identity",
        help="what the documents are (decides whether a Principal is required); default identity",
    )
    return parser, lint


def _read(name: str, lint: argparse.ArgumentParser) -> str:
    try:
        if name == "-":
            return sys.stdin.read()
        return Path(name).read_text(encoding="utf-8")
    except OSError as exc:
        lint.error(f"cannot read {name}: {exc.strerror}")
    except UnicodeDecodeError:
        lint.error(f"cannot read {name}: not UTF-8 text")


def _text(results: list[tuple[str, list[Finding]]]) -> str:
    lines = [f"{name}: {f}" for name, findings in results for f in findings]
    counts = Counter(f.severity for _, findings in results for f in findings)
    files = f"{len(results)} file{'s' if len(results) != 1 else ''}"
    if not counts:
        lines.append(f"no findings in {files}")
    else:
        total = sum(counts.values())
        by_severity = ", ".join(f"{counts[s]} {s}" for s in SEVERITIES if counts[s])
        lines.append(f"{total} finding{'s' if total != 1 else ''} in {files}: {by_severity}")
    return "\n".join(lines) + "\n"


def _json(results: list[tuple[str, list[Finding]]]) -> str:
    rows = [{"file": name, **f.to_json()} for name, findings in results for f in findings]
    return json.dumps(rows, indent=2) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser, lint = _parser()
    args = parser.parse_args(argv)
    policy_type = cast(PolicyType, args.policy_type)
    results = [(name, lint_document(_read(name, lint), policy_type)) for name in args.files]
    sys.stdout.write(_json(results) if args.format == "json" else _text(results))
    failing = {"ERROR", "SECURITY_WARNING"} if args.strict else {"ERROR"}
    return 1 if any(f.severity in failing for _, fs in results for f in fs) else 0


if __name__ == "__main__":
    sys.exit(main())

"""Run moto's own tests for the services pytest-modelreg simulates against the plugin.

A developer tool, not part of the test suite (it needs moto's source distribution, which the
repository does not ship). It:

1. takes a moto sdist (``--sdist PATH``, or ``--download``: ``pip download --no-binary :all:
   --no-deps moto==<the installed version>``);
2. extracts the chosen test files (``TEST_FILES``) and moto's ``tests/__init__.py``,
   ``tests/conftest.py``, ``tests/markers.py`` into a temporary directory;
3. rewrites the one import, ``from moto import mock_aws`` -> ``from pytest_modelreg import
   mock_modelreg as mock_aws`` (nothing else in moto's code changes), and adds a conftest that
   sets ``enforce="off"`` (moto's tests make calls as an all-powerful caller);
4. selects, in each file, the tests whose clients are all services the plugin simulates
   (``SERVICES``; ``--served``: every service ``pytest_modelreg.services`` lists; the Tagging API
   file also covers EC2, Lambda, ...);
5. runs them with pytest and compares each outcome with ``tests/moto_parity/known_differences.toml``
   (test id -> why AWS differs from what the test expects, with the evidence).

Exit status: 0 when every selected test passes or is listed; 1 on an unlisted failure (a gap, or
a regression); 2 on a usage or set-up error. A listed test that passes is reported as stale.

    python tools/moto_parity.py --sdist moto-5.2.5.tar.gz [-v] [--keep DIR] [--json OUT]
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest depends on tomli below 3.11
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent
KNOWN_DIFFERENCES = REPO / "tests" / "moto_parity" / "known_differences.toml"

# moto's test files for the SageMaker Model Registry, Resource Groups and the Tagging API
# (paths under the sdist's tests/ folder; a file missing from an sdist is reported, not fatal).
TEST_FILES = (
    "test_sagemaker/test_sagemaker_model_packages.py",
    "test_sagemaker/test_sagemaker_model_package_groups.py",
    "test_sagemaker/test_sagemaker_search.py",
    "test_resourcegroups/test_resourcegroups.py",
    "test_resourcegroupstaggingapi/test_resourcegroupstaggingapi.py",
)
# Support files the test files import (tests/__init__.py: moto's helpers and constants).
SUPPORT_FILES = ("__init__.py", "conftest.py", "markers.py")

# The services the plugin simulates itself or over moto (pyproject's moto extras): a test that
# makes a client of any other service is not selected.
SERVICES = frozenset(
    {
        "sagemaker",
        "s3",
        "ecr",
        "iam",
        "sts",
        "kms",
        "resource-groups",
        "resourcegroupstaggingapi",
    }
)

_MOTO_IMPORT = re.compile(r"^(?P<indent>[ \t]*)from moto import (?P<names>[^\n(]+)$", re.MULTILINE)
_CLIENT_CALL = re.compile(r"""\b(?:client|resource)\(\s*(?:service_name\s*=\s*)?["']([\w-]+)["']""")

_CONFTEST = '''"""Added by tools/moto_parity.py: moto's tests call as an all-powerful caller."""

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    config.option.modelreg_enforce = "off"
'''

# Loaded with -p: records each test's outcome (a failure in any phase fails the test).
_REPORTER = '''"""Added by tools/moto_parity.py: each test's outcome, as JSON."""

import json
import os

_outcomes = {}
_errors = []


def pytest_runtest_logreport(report):
    if report.failed:
        _outcomes[report.nodeid] = "failed"
    elif report.skipped and _outcomes.get(report.nodeid) != "failed":
        _outcomes[report.nodeid] = "skipped"
    else:
        _outcomes.setdefault(report.nodeid, "passed")


def pytest_collectreport(report):
    if report.failed:
        _errors.append(report.nodeid)


def pytest_sessionfinish(session):
    with open(os.environ["MOTO_PARITY_OUT"], "w") as out:
        json.dump({"outcomes": _outcomes, "collection_errors": _errors}, out)
'''


class ParityError(Exception):
    """A set-up problem: the sdist, the list file, the run."""


# -- the list of known differences -------------------------------------------------------------
def load_known_differences(path: Path = KNOWN_DIFFERENCES) -> dict[str, dict[str, Any]]:
    """test id -> {"why": str, "evidence": [str, ...]}; raises ParityError on a malformed file."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    entries = data.get("difference")
    if not isinstance(entries, list):
        raise ParityError(f"{path}: expected [[difference]] tables")
    known: dict[str, dict[str, Any]] = {}
    for i, entry in enumerate(entries):
        where = f"{path.name}: difference #{i + 1}"
        if set(entry) != {"test", "why", "evidence"}:
            raise ParityError(f"{where}: keys must be test, why, evidence; got {sorted(entry)}")
        test, why, evidence = entry["test"], entry["why"], entry["evidence"]
        if not isinstance(test, str) or "::" not in test:
            raise ParityError(f"{where}: test must be '<file>::<test name>', not {test!r}")
        if test.split("::", 1)[0] not in TEST_FILES:
            raise ParityError(f"{where}: {test!r} is not in one of the files the tool runs")
        if not isinstance(why, str) or not why.strip():
            raise ParityError(f"{where}: why must say how AWS differs")
        if (
            not isinstance(evidence, list)
            or not evidence
            or not all(isinstance(e, str) and e.strip() for e in evidence)
        ):
            raise ParityError(f"{where}: evidence must be a non-empty list of citations")
        if test in known:
            raise ParityError(f"{where}: {test!r} is listed twice")
        known[test] = {"why": why, "evidence": evidence}
    return known


# -- preparing moto's tests ----------------------------------------------------------------------
def rewrite_import(source: str) -> str:
    """Replace moto's ``mock_aws`` import with the plugin's, keeping every other name imported."""

    def replace(match: re.Match[str]) -> str:
        indent = match["indent"]
        names = [n.strip() for n in match["names"].split("#", 1)[0].split(",") if n.strip()]
        if "mock_aws" not in names:
            return match[0]
        lines = [f"{indent}from pytest_modelreg import mock_modelreg as mock_aws"]
        others = [n for n in names if n != "mock_aws"]
        if others:
            lines.insert(0, f"{indent}from moto import {', '.join(others)}")
        return "\n".join(lines)

    return _MOTO_IMPORT.sub(replace, source)


def services_of(node: ast.AST, source: str, helpers: Mapping[str, set[str]]) -> set[str]:
    """The services a test makes clients of, its own code and module-level helpers it calls."""
    text = ast.get_source_segment(source, node) or ""
    found = set(_CLIENT_CALL.findall(text))
    for call in ast.walk(node):
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name):
            found |= helpers.get(call.func.id, set())
    return found


def select_tests(source: str, services: frozenset[str]) -> tuple[list[str], list[str]]:
    """(selected, skipped) test names of a module: module-level ``test*`` functions and
    ``Test*`` classes, selected when every service they make a client of is in ``services``."""
    tree = ast.parse(source)
    helpers: dict[str, set[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("test"):
            helpers[node.name] = set(_CLIENT_CALL.findall(ast.get_source_segment(source, node)))
    selected, skipped = [], []
    for node in tree.body:
        is_test = isinstance(node, ast.FunctionDef) and node.name.startswith("test")
        is_class = isinstance(node, ast.ClassDef) and node.name.startswith("Test")
        if not (is_test or is_class):
            continue
        used = services_of(node, source, helpers)
        (selected if used <= services else skipped).append(node.name)
    return selected, skipped


def extract(sdist: Path, into: Path, files: Iterable[str]) -> list[str]:
    """Extract moto's support files and ``files`` under ``into/tests``, import rewritten; return
    the test files found."""
    wanted = {f"tests/{name}" for name in SUPPORT_FILES}
    for name in files:
        wanted.add(f"tests/{name}")
        wanted.add(f"tests/{name.rsplit('/', 1)[0]}/__init__.py")
    found: list[str] = []
    texts: dict[str, str] = {}  # path under the sdist's top folder (moto-<version>/) -> text
    try:
        with tarfile.open(sdist) as archive:
            for member in archive.getmembers():
                inner = member.name.split("/", 1)[-1]
                handle = archive.extractfile(member) if inner in wanted else None
                if handle is not None:
                    texts[inner] = handle.read().decode("utf-8")
    except (OSError, tarfile.TarError) as exc:
        raise ParityError(f"cannot read {sdist}: {exc}") from None
    for inner, text in texts.items():
        target = into / inner
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(rewrite_import(text), encoding="utf-8")
        if inner.removeprefix("tests/") in files:
            found.append(inner.removeprefix("tests/"))
    if not found:
        raise ParityError(f"{sdist} holds none of the test files {', '.join(files)}")
    (into / "conftest.py").write_text(_CONFTEST, encoding="utf-8")
    (into / "_moto_parity_report.py").write_text(_REPORTER, encoding="utf-8")
    (into / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")  # rootdir: not our repo
    return sorted(found)


def download_sdist(into: Path) -> Path:
    """``pip download`` the sdist of the installed moto into ``into``."""
    version = metadata.version("moto")
    command = [sys.executable, "-m", "pip", "download", "--no-binary", ":all:", "--no-deps"]
    command += ["--dest", str(into), f"moto=={version}"]
    if subprocess.run(command, check=False).returncode != 0:
        raise ParityError(f"pip download of moto=={version} failed")
    (sdist,) = into.glob("moto-*.tar.gz")
    return sdist


# -- running and comparing -----------------------------------------------------------------------
def run(workdir: Path, files: list[str], services: frozenset[str]) -> dict[str, Any]:
    """Run the selected tests; return the reporter's JSON plus what was not selected."""
    ids: list[str] = []
    unselected: list[str] = []
    for name in files:
        selected, skipped = select_tests((workdir / "tests" / name).read_text("utf-8"), services)
        ids += [f"tests/{name}::{test}" for test in selected]
        unselected += [f"{name}::{test}" for test in skipped]
    out = workdir / "outcomes.json"
    env = dict(
        os.environ, MOTO_PARITY_OUT=str(out), PYTHONPATH=os.pathsep.join([str(workdir), str(REPO)])
    )
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    command += ["-p", "_moto_parity_report", "--tb=line", "-o", "addopts=", *ids]
    subprocess.run(command, cwd=workdir, env=env, check=False, stdout=subprocess.DEVNULL)
    if not out.exists():
        raise ParityError("pytest did not finish the run (see its output with --keep)")
    result: dict[str, Any] = json.loads(out.read_text("utf-8"))
    result["outcomes"] = {k.removeprefix("tests/"): v for k, v in result["outcomes"].items()}
    result["unselected"] = unselected
    return result


def compare(result: Mapping[str, Any], known: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Sort each outcome: passed, listed (fails as the list says), unlisted failures, stale."""
    outcomes: Mapping[str, str] = result["outcomes"]
    failing = {t for t, o in outcomes.items() if o == "failed"}

    def listed(test_id: str) -> str | None:
        # An entry names a test, or one parametrization of it.
        base = test_id.split("[", 1)[0]
        return test_id if test_id in known else base if base in known else None

    unlisted = sorted(t for t in failing if listed(t) is None)
    listed_failing = {listed(t) for t in failing} - {None}
    stale = sorted(k for k in known if k not in listed_failing and _ran(k, outcomes))
    per_file: dict[str, Counter[str]] = {}
    for test_id, outcome in outcomes.items():
        per_file.setdefault(test_id.split("::", 1)[0], Counter())[outcome] += 1
    return {
        "per_file": {f: dict(c) for f, c in sorted(per_file.items())},
        "unlisted_failures": unlisted,
        "listed_failures": sorted(t for t in failing if listed(t) is not None),
        "stale_entries": stale,
        "collection_errors": list(result["collection_errors"]),
    }


def _ran(entry: str, outcomes: Mapping[str, str]) -> bool:
    return any(t == entry or t.startswith(entry + "[") for t in outcomes)


def report(summary: Mapping[str, Any], unselected: list[str], verbose: bool) -> str:
    lines = []
    total: Counter[str] = Counter()
    for name, counts in summary["per_file"].items():
        total.update(counts)
        ran = sum(counts.values())
        lines.append(f"{name}: {counts.get('passed', 0)}/{ran} passed" + _rest(counts))
    ran = sum(total.values())
    lines.append(f"total: {total.get('passed', 0)}/{ran} passed" + _rest(total))
    listed = len(summary["listed_failures"])
    lines.append(f"listed differences (tests/moto_parity/known_differences.toml): {listed}")
    lines.append(f"not selected (clients of services not simulated): {len(unselected)}")
    if verbose:
        lines += [f"  {t}" for t in unselected]
    sections = (
        ("listed differences (fail as AWS would make them)", "listed_failures"),
        ("UNLISTED FAILURES", "unlisted_failures"),
        ("COLLECTION ERRORS", "collection_errors"),
        ("stale entries (listed, but pass now: remove them)", "stale_entries"),
    )
    for title, key in sections:
        if summary[key] and (verbose or key != "listed_failures"):
            lines.append(f"{title}:")
            lines += [f"  {t}" for t in summary[key]]
    return "\n".join(lines)


def _rest(counts: Mapping[str, int]) -> str:
    others = [f"{n} {k}" for k, n in sorted(counts.items()) if k != "passed"]
    return f" ({', '.join(others)})" if others else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--sdist", type=Path, help="moto's source distribution (.tar.gz)")
    source.add_argument(
        "--download", action="store_true", help="pip download the installed moto's sdist"
    )
    parser.add_argument("--keep", type=Path, help="extract into DIR and keep it")
    parser.add_argument("--json", type=Path, help="write the outcomes and comparison as JSON")
    parser.add_argument(
        "--served",
        action="store_true",
        help="select by every service pytest_modelreg.services serves, not only SERVICES",
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    services = SERVICES
    if args.served:
        from pytest_modelreg.services import SERVED

        services = SERVICES | SERVED
    try:
        known = load_known_differences()
        with tempfile.TemporaryDirectory(prefix="moto-parity-") as tmp:
            workdir = args.keep or Path(tmp)
            workdir.mkdir(parents=True, exist_ok=True)
            sdist = download_sdist(Path(tmp)) if args.download else args.sdist
            files = extract(sdist, workdir, TEST_FILES)
            result = run(workdir, files, services)
    except ParityError as exc:
        print(f"moto_parity: {exc}", file=sys.stderr)
        return 2
    summary = compare(result, known)
    print(report(summary, result["unselected"], args.verbose))
    if args.json:
        args.json.write_text(json.dumps({**result, **summary}, indent=2), encoding="utf-8")
    return 1 if summary["unlisted_failures"] or summary["collection_errors"] else 0


if __name__ == "__main__":
    sys.exit(main())

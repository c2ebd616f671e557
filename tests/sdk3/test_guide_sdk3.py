"""docs/guide.md's SDK v3 blocks (marked ``<!-- guide-test-sdk3: RECIPE FILE -->``) are run here,
in the v3 environment: each recipe's files are written to a fresh directory and run by pytest in
a process of its own, and every test in them is checked by name."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from ..guide.test_guide import recipes

pytest.importorskip(
    "sagemaker.core.resources",
    reason="SageMaker Python SDK v3 is not installed: pip install -e '.[sdk3]' to run tests/sdk3",
)

RECIPES = recipes(suite="sdk3")

# recipe -> the outcome of each of its tests.
EXPECTED: dict[str, dict[str, str]] = {
    "sdk3-registry": {
        "test_sdk3_registry.py::test_register_approve_and_deploy_under_the_managed_policy": "PASSED",
        "test_sdk3_registry.py::test_register_and_deploy_under_a_deploy_policy": "PASSED",
    },
}
# Tests of the guide that fail for a gap in the plugin, with the gap.
GAPS: dict[str, str] = {}  # guide tests expected to fail, with the reason
OUTCOME = re.compile(r"^(?P<test>\S+::\S+) (?P<outcome>PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS)")


def test_every_sdk3_recipe_is_checked() -> None:
    assert set(RECIPES) == set(EXPECTED)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every test of every recipe, run once per module: the SDK takes seconds to import."""
    found: dict[str, str] = {}
    for name, recipe in RECIPES.items():
        directory: Path = tmp_path_factory.mktemp(name)
        for file, body in recipe.files.items():
            directory.joinpath(file).write_text(body, encoding="utf-8")
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", *recipe.command],
            cwd=directory,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        for line in run.stdout.splitlines():
            if match := OUTCOME.match(line):
                found[match["test"]] = match["outcome"]
    return found


@pytest.mark.parametrize(
    ("test", "outcome"),
    [
        pytest.param(
            test,
            outcome,
            id=test,
            marks=[pytest.mark.xfail(strict=True, reason=GAPS[test])] if test in GAPS else [],
        )
        for expected in EXPECTED.values()
        for test, outcome in expected.items()
    ],
)
def test_guide_test(outcomes: dict[str, str], test: str, outcome: str) -> None:
    assert outcomes.get(test) == outcome, f"{test}: {outcomes.get(test)}; all: {outcomes}"

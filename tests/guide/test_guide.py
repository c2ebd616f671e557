"""docs/guide.md never lies: every code block marked ``<!-- guide-test: RECIPE FILE -->`` is
written to a fresh pytest project (``pytester``) and run there, and each recipe's outcome is
checked. A ``console`` block gives the command line of its recipe's run (``python -m pytest ...``)
or of the package's own command line (``python -m pytest_modelreg ...``), whose output is the
recipe's ``output`` block."""

from __future__ import annotations

import importlib.util
import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import pytest

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide.md"
# ``guide-test-sdk3:`` blocks need SDK v3, which cannot share this environment with v2:
# tests/sdk3/test_guide_sdk3.py runs them (recipes(suite="sdk3")).
MARKED_BLOCK = re.compile(
    r"<!-- guide-test(?:-(?P<suite>\w+))?: (?P<recipe>[\w-]+) (?P<file>\S+) -->\n"
    r"```(?P<lang>\w+)\n(?P<body>.*?)\n```",
    re.DOTALL,
)
ANY_BLOCK = re.compile(r"^```(\w+)\n", re.MULTILINE)


@dataclass
class Recipe:
    files: dict[str, str] = field(default_factory=dict)
    command: list[str] = field(default_factory=list)
    tool: list[str] = field(default_factory=list)  # python -m pytest_modelreg ...
    output: str = ""


def recipes(suite: str | None = None) -> dict[str, Recipe]:
    found: dict[str, Recipe] = {}
    for match in MARKED_BLOCK.finditer(GUIDE.read_text(encoding="utf-8")):
        if match["suite"] != suite:
            continue
        recipe = found.setdefault(match["recipe"], Recipe())
        if match["file"] == "command":
            words = shlex.split(match["body"])
            if words[:3] == ["python", "-m", "pytest_modelreg"]:
                recipe.tool = words[3:]
            else:
                assert words[:3] == ["python", "-m", "pytest"], words
                recipe.command = words[3:]
        elif match["file"] == "output":
            recipe.output = match["body"] + "\n"
        else:
            recipe.files[match["file"]] = match["body"] + "\n"
    return found


RECIPES = recipes()

# recipe -> the outcome of running its files (and command) in a fresh pytest project.
EXPECTED: dict[str, dict[str, int]] = {
    "moto-before": {"passed": 1},
    "moto-after": {"passed": 2},
    "sdk-deploy": {"passed": 2},
    "execution-roles": {"passed": 4},
    "custom-policies": {"passed": 2},
    "explicit-denies": {"passed": 1},
    "boundaries": {"passed": 1},
    "cross-account": {"passed": 1},
    "event-targets": {"passed": 1},
    "warn-mode": {"passed": 1, "warnings": 1},
    "least-privilege": {"passed": 1},
    "lint": {"passed": 1},
    "unittest-style": {"passed": 3},
}
# Recipes that are only a command line, run by their own tests below.
COMMANDS = {"policy-out", "policy-enforce"}


def test_every_code_block_of_the_guide_is_run() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    marked = len(MARKED_BLOCK.findall(text))
    assert marked == len(ANY_BLOCK.findall(text)), "a code block in docs/guide.md is not marked"
    assert set(RECIPES) == set(EXPECTED) | COMMANDS


@pytest.fixture(scope="module", autouse=True)
def _warm_imports() -> None:
    """Import what an activation imports lazily (moto's backends, botocore models) in this
    process: pytester's in-process runs unload modules first imported inside them, so without
    this every recipe would pay for those imports again."""
    from pytest_modelreg import mock_modelreg

    with mock_modelreg(enforce="off") as reg:
        for service in ("sagemaker", "s3", "iam", "sts"):
            reg.client(service)
        reg.client("sagemaker").create_model_package_group(ModelPackageGroupName="warm")
        reg.client("s3").list_buckets()
        reg.client("iam").list_roles()
        reg.client("sts").get_caller_identity()


def _run(pytester: pytest.Pytester, recipe: Recipe, subprocess: bool = False) -> pytest.RunResult:
    for name, body in recipe.files.items():
        pytester.path.joinpath(name).write_text(body, encoding="utf-8")
    run = pytester.runpytest_subprocess if subprocess else pytester.runpytest_inprocess
    return run("-p", "no:cacheprovider", *recipe.command)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_recipe(pytester: pytest.Pytester, name: str) -> None:
    subprocess = False
    if name == "sdk-deploy":
        if importlib.util.find_spec("sagemaker") is None:
            pytest.skip("the SageMaker Python SDK is not installed: pip install -e '.[sdk]'")
        # In a process of its own, and never imported here: once pytester unloads it, the SDK
        # leaves this process unable to read package metadata (importlib.metadata cannot find
        # pluggy) in every later pytester session.
        subprocess = True
    result = _run(pytester, RECIPES[name], subprocess=subprocess)
    result.assert_outcomes(**EXPECTED[name])
    if name == "warn-mode":
        result.stdout.fnmatch_lines(["*AccessDeniedWarning*sagemaker:ListModelPackageGroups*"])


def test_policy_out_round_trip(pytester: pytest.Pytester) -> None:
    """The policy one run writes, enforced alone, passes the next run (which generates another
    model name)."""
    recipe = Recipe(RECIPES["least-privilege"].files, RECIPES["policy-out"].command)
    result = _run(pytester, recipe)
    result.assert_outcomes(passed=1)
    written = json.loads(pytester.path.joinpath("build/required-policy.json").read_text())
    actions = {
        action
        for statement in written["Statement"]
        for action in (
            [statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"]
        )
    }
    assert actions == {
        "iam:PassRole",
        "sagemaker:CreateModel",
        "sagemaker:CreateModelPackage",
        "sagemaker:CreateModelPackageGroup",
        "sagemaker:UpdateModelPackage",
    }
    enforced = _run(pytester, Recipe({}, RECIPES["policy-enforce"].command))
    enforced.assert_outcomes(passed=1)
    # Nothing denied, nothing written: --modelreg-summary=auto shows no summary.
    enforced.stdout.no_fnmatch_line("*modelreg: IAM summary*")
    enforced.stdout.no_fnmatch_line("*was denied*")


def test_lint_command_prints_the_guides_output(
    pytester: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    from pytest_modelreg.__main__ import main

    recipe = RECIPES["lint"]
    for name, body in recipe.files.items():
        pytester.path.joinpath(name).write_text(body, encoding="utf-8")
    assert main(recipe.tool) == 1  # the guide's policy has ERROR findings
    assert capsys.readouterr().out == recipe.output


def test_warn_mode_next_steps(pytester: pytest.Pytester) -> None:
    """The guide's path out of warn mode: warnings made errors fail the test, and so does the
    suite once ``modelreg_enforce = warn`` is dropped."""
    recipe = RECIPES["warn-mode"]
    _run(pytester, recipe)
    strict = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", "-W", "error::pytest_modelreg.AccessDeniedWarning"
    )
    strict.assert_outcomes(failed=1)
    pytester.path.joinpath("pytest.ini").unlink()
    enforced = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    enforced.assert_outcomes(failed=1)
    enforced.stdout.fnmatch_lines(["*AccessDeniedException*sagemaker:ListModelPackageGroups*"])

"""When the IAM summary shows (--modelreg-summary / ini modelreg_summary, -q, -qq), and a
--modelreg-policy-out the run could not write refused at start-up."""

from __future__ import annotations

import pytest

SUITE = """
    import boto3

    def test_allowed(modelreg):
        boto3.client("sagemaker").create_model_package_group(ModelPackageGroupName="churn")

    def test_denied(modelreg):
        try:
            boto3.client("sagemaker").list_model_package_groups()
        except Exception:
            pass
"""
HEADER = "*- modelreg: IAM summary -*"
COUNTS = [
    HEADER,
    "principal under test: 2 actions used in 2 tests",
    "denied calls: 0 raised, 1 caught by the code under test, 0 let through in warn mode "
    "(AccessDeniedWarning)",
    "  caught in test_suite.py::test_denied: 1",
]


@pytest.mark.parametrize(
    ("args", "ini", "shown"),
    [
        pytest.param(["-k", "allowed"], "", False, id="auto-nothing-denied"),
        pytest.param(["-k", "allowed", "--modelreg-summary=always"], "", True, id="always"),
        pytest.param([], "modelreg_summary = never", False, id="ini-never"),
        pytest.param(["--modelreg-summary=auto"], "modelreg_summary = never", True, id="cli-wins"),
        pytest.param(["-qq"], "", False, id="qq-hides-auto"),
        pytest.param(["-qq", "--modelreg-summary=always"], "", True, id="qq-always"),
    ],
)
def test_when_the_summary_shows(
    pytester: pytest.Pytester, args: list[str], ini: str, shown: bool
) -> None:
    pytester.makepyfile(test_suite=SUITE)
    pytester.makeini(f"[pytest]\n{ini}\n")
    result = pytester.runpytest("-p", "no:cacheprovider", *args)
    assert result.ret == 0
    if shown:
        result.stdout.fnmatch_lines([HEADER])
    else:
        result.stdout.no_fnmatch_line(HEADER)


def test_default_and_quiet_forms(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_suite=SUITE)
    full = pytester.runpytest("-p", "no:cacheprovider")
    full.stdout.fnmatch_lines(
        [*COUNTS, "actions used:", "  sagemaker: CreateModelPackageGroup, ListModelPackageGroups"],
        consecutive=True,
    )
    # -q keeps the counts and drops the lists.
    quiet = pytester.runpytest("-p", "no:cacheprovider", "-q")
    quiet.stdout.fnmatch_lines([*COUNTS, "2 passed in *"], consecutive=True)


def test_a_bad_summary_mode_in_the_ini_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_nothing():\n    pass\n")
    pytester.makeini("[pytest]\nmodelreg_summary = sometimes\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: pytest-modelreg: ini modelreg_summary must be one of auto, always, never, "
            "not 'sometimes'"
        ]
    )


@pytest.mark.parametrize(
    ("path", "message"),
    [
        pytest.param("sub", "is a directory; give a file path", id="a-directory"),
        pytest.param("afile/policy.json", "cannot make its directory (*)", id="under-a-file"),
    ],
)
def test_a_policy_out_path_the_run_cannot_write_is_a_usage_error(
    pytester: pytest.Pytester, path: str, message: str
) -> None:
    pytester.makepyfile("def test_nothing():\n    pass\n")
    pytester.mkdir("sub")
    pytester.path.joinpath("afile").write_text("")
    result = pytester.runpytest("-p", "no:cacheprovider", f"--modelreg-policy-out={path}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [f"ERROR: pytest-modelreg: --modelreg-policy-out / modelreg_policy_out */{path}: {message}"]
    )
    result.stdout.no_fnmatch_line("*passed*")  # refused before any test ran


def test_a_missing_directory_is_made_at_start_up(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_nothing():\n    pass\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "--modelreg-policy-out=out/p.json")
    result.assert_outcomes(passed=1)
    assert (pytester.path / "out" / "p.json").read_text().startswith("{")

"""``python -m pytest_modelreg lint FILE...``: the findings as text or JSON, and the exit status
(1 on ERROR, and on SECURITY_WARNING with --strict; 2 on usage errors, as argparse does)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pytest_modelreg.__main__ import main

MANAGED = Path(__file__).resolve().parents[2] / (
    "pytest_modelreg/policies/AmazonSageMakerModelRegistryFullAccess.v2.json"
)
TYPO = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": "sagemaker:CreateModelPackageGroupp", "Resource": "*"}
    ],
}
PASS_ROLE = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}],
}


@pytest.fixture
def write(tmp_path: Path) -> Any:
    def write(name: str, document: Any) -> str:
        path = tmp_path / name
        path.write_text(document if isinstance(document, str) else json.dumps(document))
        return str(path)

    return write


def test_a_clean_file_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(MANAGED)]) == 0
    assert capsys.readouterr().out == "no findings in 1 file\n"


def test_an_error_exits_1_and_prints_each_finding(
    write: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    typo, passrole = write("typo.json", TYPO), write("passrole.json", PASS_ROLE)
    assert main(["lint", typo, passrole, str(MANAGED)]) == 1
    assert capsys.readouterr().out == (
        f"{typo}: ERROR INVALID_ACTION $.Statement[0].Action: sagemaker has no action "
        "CreateModelPackageGroupp (did you mean CreateModelPackageGroup?)\n"
        f"{passrole}: SECURITY_WARNING PASS_ROLE_WITH_STAR_IN_RESOURCE $.Statement[0].Resource: "
        "iam:PassRole is allowed on * for any service: name the roles, or add an "
        "iam:PassedToService condition\n"
        "2 findings in 3 files: 1 ERROR, 1 SECURITY_WARNING\n"
    )


def test_a_security_warning_exits_1_only_with_strict(write: Any) -> None:
    passrole = write("passrole.json", PASS_ROLE)
    assert main(["lint", passrole]) == 0
    assert main(["lint", "--strict", passrole]) == 1


def test_json_format(write: Any, capsys: pytest.CaptureFixture[str]) -> None:
    typo = write("typo.json", TYPO)
    assert main(["lint", "--format", "json", typo, str(MANAGED)]) == 1
    assert json.loads(capsys.readouterr().out) == [
        {
            "file": typo,
            "severity": "ERROR",
            "code": "INVALID_ACTION",
            "message": "sagemaker has no action CreateModelPackageGroupp (did you mean "
            "CreateModelPackageGroup?)",
            "path": "$.Statement[0].Action",
        }
    ]
    assert main(["lint", "--format=json", str(MANAGED)]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_a_malformed_document_is_a_finding(write: Any, capsys: pytest.CaptureFixture[str]) -> None:
    broken = write("broken.json", '{"Version": "2012-10-17", "Statement": [')
    assert main(["lint", broken]) == 1
    assert capsys.readouterr().out == (
        f"{broken}: ERROR MALFORMED_POLICY_DOCUMENT $: Syntax errors in policy.\n"
        "1 finding in 1 file: 1 ERROR\n"
    )


def test_standard_input_and_policy_type(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = dict(PASS_ROLE)
    policy["Statement"] = [{**PASS_ROLE["Statement"][0], "Principal": "*"}]
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(policy)))
    assert main(["lint", "--policy-type", "resource", "-"]) == 0
    assert capsys.readouterr().out.startswith("-: SECURITY_WARNING PASS_ROLE_WITH_STAR_IN_RESOURCE")


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        ([], "the following arguments are required: COMMAND"),
        (["lint"], "the following arguments are required: FILE"),
        (["lint", "--format", "xml", "p.json"], "argument --format: invalid choice: 'xml'"),
        (["lint", "missing.json"], "cannot read missing.json: No such file or directory"),
        (["check", "p.json"], "argument COMMAND: invalid choice: 'check'"),
    ],
)
def test_usage_errors_exit_2(
    argv: list[str],
    error: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    assert error in capsys.readouterr().err


def test_not_utf8_is_a_usage_error(write: Any, capsys: pytest.CaptureFixture[str]) -> None:
    path = Path(write("latin1.json", "")).with_name("latin1.json")
    path.write_bytes(b'{"Sid": "\xe9"}')
    with pytest.raises(SystemExit) as exited:
        main(["lint", str(path)])
    assert exited.value.code == 2
    assert "not UTF-8 text" in capsys.readouterr().err


def test_python_dash_m(write: Any) -> None:
    typo = write("typo.json", TYPO)
    run = subprocess.run(
        [sys.executable, "-m", "pytest_modelreg", "lint", typo],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1, run.stderr
    assert "ERROR INVALID_ACTION" in run.stdout

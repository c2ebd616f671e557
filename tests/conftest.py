from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

ALLOW_ALL: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}


def statement(
    effect: str, action: str | list[str], resource: str | list[str] = "*", **extra: Any
) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": effect, "Action": action, "Resource": resource, **extra}],
    }


def credential_process_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make profile ``real`` of a new AWS config file run a credential_process that only creates
    the returned marker file: a test can tell whether it ran."""
    marker = tmp_path / "ran"
    config = tmp_path / "config"
    config.write_text(
        f"[profile real]\ncredential_process = {sys.executable} -c \"open({str(marker)!r}, 'w')\"\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    return marker


@pytest.fixture
def trust_sagemaker() -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "sagemaker.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    )

"""Clients the plugin never saw: nothing reaches the network, no real credential provider runs,
and subprocesses inherit only the mock's credentials."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import boto3
import botocore.session
import pytest
from botocore.exceptions import ClientError

from pytest_modelreg import mock_modelreg
from pytest_modelreg.containment import MockEndedError, NetworkBlockedError, RealCredentialsError
from tests.conftest import ALLOW_ALL, credential_process_profile


def _bare_session() -> botocore.session.Session:
    """A botocore session without the plugin's handlers, as one made before it was imported."""
    session = botocore.session.Session()
    for event in ("before-parameter-build", "before-call", "before-send"):
        session.unregister(event, unique_id=f"pytest_modelreg.{event}")
    return session


def test_a_client_whose_session_lacks_the_handlers_is_judged_not_sent() -> None:
    client = _bare_session().create_client(
        "sagemaker",
        region_name="us-east-1",
        aws_access_key_id="AKIAREALLOOKINGKEY00",
        aws_secret_access_key="real-secret",
    )
    with mock_modelreg(policy=ALLOW_ALL), pytest.raises(ClientError) as rejected:
        client.list_model_package_groups()
    assert rejected.value.response["Error"]["Code"] == "UnrecognizedClientException"


def test_a_client_made_before_the_plugin_was_imported_never_reaches_the_network(
    tmp_path: Path,
) -> None:
    script = tmp_path / "early.py"
    script.write_text(
        textwrap.dedent(
            """
            import socket
            import botocore.session
            from botocore.exceptions import ClientError

            def refuse(*a, **k):
                raise AssertionError("a socket was opened")

            socket.socket.connect = refuse
            early = botocore.session.Session().create_client(
                "s3", region_name="us-east-1",
                aws_access_key_id="AKIAREALLOOKINGKEY00", aws_secret_access_key="s")
            from pytest_modelreg import mock_modelreg  # imported after the client was made

            with mock_modelreg():
                try:
                    early.list_buckets()
                except ClientError as exc:
                    print(exc.response["Error"]["Code"])
            """
        )
    )
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    out = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "InvalidAccessKeyId"


def test_a_request_no_handler_answers_is_blocked_at_the_send_path() -> None:
    with mock_modelreg(policy=ALLOW_ALL) as reg:
        s3 = reg.client("s3")
        s3.list_buckets()  # armed and served
        s3.meta.events.unregister("before-send", unique_id="pytest_modelreg.before-send")
        with pytest.raises(NetworkBlockedError, match=r"blocked GET https://"):
            s3.list_buckets()


def test_a_client_made_under_a_mock_and_used_after_it_raises() -> None:
    with mock_modelreg(policy=ALLOW_ALL):
        sagemaker = boto3.client("sagemaker")
        sagemaker.list_model_package_groups()
    with pytest.raises(MockEndedError, match="after the mock ended"):
        sagemaker.list_model_package_groups()


def test_a_module_level_client_without_credentials_works_inside_the_mock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    s3 = botocore.session.Session().create_client("s3", region_name="us-east-1")
    assert s3._request_signer._credentials is None
    with mock_modelreg(policy=ALLOW_ALL) as reg:
        s3.create_bucket(Bucket="made-without-credentials")  # served by moto: signed before
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["made-without-credentials"]
        assert reg.calls[-1].principal_arn == reg.principal_arn


def test_credential_process_never_runs_while_a_mock_is_active(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = credential_process_profile(tmp_path, monkeypatch)
    session = boto3.Session(profile_name="real", region_name="us-east-1")  # nothing loaded yet
    with (
        mock_modelreg(policy=ALLOW_ALL),
        pytest.raises(RealCredentialsError, match="credential_process"),
    ):
        session.client("sagemaker")
    assert not marker.exists()


def test_subprocesses_inherit_only_the_mocks_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALLOOKINGKEY00")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "real-secret")
    monkeypatch.setenv("AWS_SECURITY_TOKEN", "real-token")
    monkeypatch.setenv("AWS_PROFILE", "production")
    code = "import os, json; print(json.dumps({k: v for k, v in os.environ.items() if 'AWS' in k}))"
    with mock_modelreg(policy=ALLOW_ALL) as reg:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        mine = reg.session().get_credentials()
    import json

    seen = json.loads(out.stdout)
    assert seen["AWS_ACCESS_KEY_ID"] == mine.access_key
    assert seen["AWS_SECRET_ACCESS_KEY"] == mine.secret_key
    assert "AWS_PROFILE" not in seen and "AWS_SECURITY_TOKEN" not in seen
    assert seen["AWS_CONFIG_FILE"] == seen["AWS_SHARED_CREDENTIALS_FILE"] == os.devnull
    assert "real-secret" not in out.stdout

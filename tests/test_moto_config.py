"""``mock_modelreg(config=...)``: moto's own ``mock_aws(config=...)`` dict, handed to moto when the
activation starts it, checked against the sections and keys the installed moto declares."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from pytest_modelreg import mock_modelreg
from pytest_modelreg.settings import SettingsError

LOAD_MANAGED = {"iam": {"load_aws_managed_policies": True}}


def _aws_policies() -> int:
    iam = boto3.client("iam", region_name="us-east-1")
    return len(iam.list_policies(Scope="AWS", MaxItems=1000)["Policies"])


def test_config_reaches_moto_for_this_activation_only() -> None:
    from moto.core.config import default_user_config

    with mock_modelreg(enforce="off"):
        plain = _aws_policies()
    with mock_modelreg(enforce="off", config=LOAD_MANAGED):
        # moto loads every AWS managed policy into IAM only when its config asks for it.
        loaded = _aws_policies()
        # The activation's own core keys hold whatever the user's config says elsewhere.
        assert default_user_config["core"]["mock_credentials"] is False
    assert loaded > plain
    assert default_user_config["iam"] == {"load_aws_managed_policies": False}  # moto's default back


def test_config_on_a_decorated_test_applies_to_its_activation() -> None:
    @mock_modelreg(enforce="off", config=LOAD_MANAGED)
    def decorated() -> int:
        return _aws_policies()

    with mock_modelreg(enforce="off"):
        plain = _aws_policies()
    assert decorated() > plain


@pytest.mark.parametrize(
    ("config", "error", "says"),
    [
        ([("iam", {})], TypeError, "config must be a dict"),
        ({"iam": "yes"}, TypeError, "config['iam'] must be a dict"),
        ({"iam": {"load_aws_managed_policies": "yes"}}, TypeError, "must be bool"),
        ({"core": {"service_whitelist": "s3"}}, TypeError, "service_whitelist"),
        ({"ec2": {}}, SettingsError, "unknown key(s) 'ec2'"),
        ({"iam": {"load": True}}, SettingsError, "unknown key(s) 'load'"),
        # Nothing leaves the machine, so moto's passthrough cannot be honoured.
        (
            {"core": {"passthrough": {"urls": ["https://s3.amazonaws.com"]}}},
            SettingsError,
            "never sends",
        ),
        ({"core": {"passthrough": {"services": ["s3"]}}}, SettingsError, "never sends"),
        # The activation signs with the simulated principal and resets boto3's default session.
        ({"core": {"mock_credentials": False}}, SettingsError, "credentials"),
        ({"core": {"reset_boto3_session": False}}, SettingsError, "default session"),
        # moto's default for both: run in Docker, pulling images from Docker Hub.
        ({"lambda": {"use_docker": True}}, SettingsError, "Docker Hub"),
        ({"batch": {"use_docker": True}}, SettingsError, "Docker Hub"),
    ],
)
def test_a_config_moto_does_not_declare_or_the_plugin_cannot_honour_is_refused(
    config: Any, error: type[Exception], says: str
) -> None:
    with pytest.raises(error) as exc:
        mock_modelreg(config=config)
    assert says in str(exc.value)
    assert str(exc.value).startswith("mock_modelreg(): config")


@pytest.mark.parametrize(
    "config",
    [
        {},
        {"core": {"passthrough": {"urls": [], "services": []}, "service_whitelist": None}},
        {"core": {"mock_credentials": True, "reset_boto3_session": True}},
        {"lambda": {"use_docker": False}, "stepfunctions": {"execute_state_machine": False}},
    ],
)
def test_configs_moto_declares_are_accepted(config: dict[str, Any]) -> None:
    with mock_modelreg(enforce="off", config=config) as reg:
        assert boto3.client("sts").get_caller_identity()["Account"] == reg.account_id


def test_a_bad_config_on_a_decorator_fails_the_run_naming_the_key(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
        from pytest_modelreg import mock_modelreg

        @mock_modelreg(config={"nope": {}})
        def test_x():
            pass
        """
    )
    result = pytester.runpytest_subprocess()
    result.stdout.fnmatch_lines(["*unknown key(s) 'nope'*"])
    assert result.ret != 0


def test_lambda_functions_are_never_run_in_docker(monkeypatch: pytest.MonkeyPatch) -> None:
    """moto's default (``use_docker: True``) would start a container and pull its image; the
    activation's moto answers an invocation without Docker, whatever config it was given."""
    import docker  # moto's Lambda and Batch reach Docker through this client

    def no_docker(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("moto tried to reach Docker")

    monkeypatch.setattr(docker, "from_env", no_docker)
    monkeypatch.setattr(docker, "DockerClient", no_docker)
    for config in (None, {"lambda": {"use_docker": False}}, {"iam": {}}):
        with mock_modelreg(enforce="off", config=config) as reg:
            role = reg.admin_client("iam").create_role(
                RoleName="fn",
                AssumeRolePolicyDocument='{"Version": "2012-10-17", "Statement": [{"Effect": '
                '"Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": '
                '"sts:AssumeRole"}]}',
            )["Role"]["Arn"]
            lam = reg.client("lambda")
            lam.create_function(
                FunctionName="handler",
                Runtime="python3.12",
                Role=role,
                Handler="index.handler",
                Code={"ZipFile": _zipped("def handler(event, context):\n    return 1\n")},
            )
            answer = lam.invoke(FunctionName="handler", Payload=b"{}")
            assert answer["StatusCode"] == 200


def _zipped(source: str) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", source)
    return buffer.getvalue()

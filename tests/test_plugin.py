"""The pytest surface, as a user sees it: marker, fixture, options, precedence, usage errors and
failure output (api-contract.md, "Activation")."""

from __future__ import annotations

import pytest

PROBE = """
    import boto3, pytest
    from pytest_modelreg import mock_modelreg
    from pytest_modelreg.activation import active

    def current():
        handle = active()
        return None if handle is None else (handle.enforce, handle.account_id, handle.region)
"""


def test_plugin_is_registered_through_the_entry_point(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--help")
    result.stdout.fnmatch_lines(["*--modelreg-enforce=*", "*--modelreg-policy=PATH_OR_NAME*"])
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(
        ["@pytest.mark.modelreg(*, policy=None, enforce=None, account_id=None, region=None)*"]
    )


def test_marker_alone_activates_and_configures_the_mock(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        PROBE
        + """
    @pytest.mark.modelreg(enforce="warn", account_id="111122223333", region="eu-central-1")
    def test_marked():
        assert current() == ("warn", "111122223333", "eu-central-1")

    def test_unmarked():
        assert current() is None

    def test_fixture(modelreg):
        assert current() == ("strict", "123456789012", "us-east-1")
    """
    )
    pytester.runpytest().assert_outcomes(passed=3)


@pytest.mark.parametrize(
    ("marker", "message"),
    [
        (
            'enforce="loud"',
            "*@pytest.mark.modelreg: enforce must be one of 'strict', 'warn', 'off', not 'loud'*",
        ),
        (
            "polcy={}",
            "*@pytest.mark.modelreg: unknown argument(s) polcy; accepted: policy, enforce, account_id, region*",
        ),
        ('"strict"', "*@pytest.mark.modelreg takes keyword arguments only*"),
        ('policy="{not json"', "*@pytest.mark.modelreg: *"),
        (
            'policy=__import__("pathlib").Path("missing.json")',
            "*cannot read policy file*missing.json*",
        ),
    ],
)
def test_bad_marker_arguments_are_a_usage_error(
    pytester: pytest.Pytester, marker: str, message: str
) -> None:
    pytester.makepyfile(
        f"""
        import pytest

        @pytest.mark.modelreg({marker})
        def test_it():
            pass
        """
    )
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: {message}"])


def test_unknown_enforce_on_the_command_line(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--modelreg-enforce=loud")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*argument --modelreg-enforce: invalid choice: 'loud'*"])


def test_unknown_enforce_in_ini(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nmodelreg_enforce = loud\n")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: pytest-modelreg: ini option: enforce must be one of*not 'loud'"]
    )


def test_policy_file_that_does_not_exist(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--modelreg-policy=policies/prod-role.json")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: pytest-modelreg: *cannot read policy file*prod-role.json*"]
    )


def test_policy_file_that_is_not_json(pytester: pytest.Pytester) -> None:
    pytester.path.joinpath("role.json").write_text("Version: 2012-10-17\n")
    result = pytester.runpytest("--modelreg-policy=role.json")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: pytest-modelreg: *"])
    assert "MalformedPolicyDocument" in result.stderr.str() or "JSON" in result.stderr.str()


def test_policy_option_is_the_principals_policy(pytester: pytest.Pytester) -> None:
    pytester.path.joinpath("role.json").write_text(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sagemaker:List*", "Resource": "*"}]}'
    )
    pytester.makepyfile(
        """
        import boto3, pytest
        from botocore.exceptions import ClientError

        def test_it(modelreg):
            boto3.client("sagemaker").list_model_package_groups()
            with pytest.raises(ClientError):
                boto3.client("sagemaker").create_model_package_group(ModelPackageGroupName="g")
        """
    )
    pytester.runpytest("--modelreg-policy=role.json").assert_outcomes(passed=1)


# Precedence: marker > decorator/context-manager arguments > command line > ini > default
# (api-contract.md). Each row: ini, command line, how the test activates, expected mode.
@pytest.mark.parametrize(
    ("ini", "cli", "activation", "expected"),
    [
        (None, None, "fixture", "strict"),  # default
        ("warn", None, "fixture", "warn"),  # ini over default
        ("warn", "off", "fixture", "off"),  # command line over ini
        ("warn", "off", 'marker(enforce="strict")', "strict"),  # marker over command line
        ("warn", "off", 'decorator(enforce="strict")', "strict"),  # decorator over command line
        ("warn", None, "decorator()", "warn"),  # decorator without the argument: ini applies
        (None, "off", 'context(enforce="warn")', "warn"),  # context manager over command line
    ],
)
def test_precedence(
    pytester: pytest.Pytester, ini: str | None, cli: str | None, activation: str, expected: str
) -> None:
    if ini:
        pytester.makeini(f"[pytest]\nmodelreg_enforce = {ini}\n")
    kind, _, args = activation.partition("(")
    args = args.rstrip(")")
    body = {
        "fixture": "def test_it(modelreg):\n    assert current()[0] == {expected!r}\n",
        "marker": "@pytest.mark.modelreg({args})\ndef test_it(modelreg):\n    assert current()[0] == {expected!r}\n",
        "decorator": "@mock_modelreg({args})\ndef test_it():\n    assert current()[0] == {expected!r}\n",
        "context": "def test_it():\n    with mock_modelreg({args}):\n        assert current()[0] == {expected!r}\n",
    }[kind].format(args=args, expected=expected)
    import textwrap

    pytester.makepyfile(textwrap.dedent(PROBE) + "\n" + body)
    options = [f"--modelreg-enforce={cli}"] if cli else []
    pytester.runpytest(*options).assert_outcomes(passed=1)


def test_account_and_region_options(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nmodelreg_region = eu-west-1\nmodelreg_account_id = 222233334444\n")
    pytester.makepyfile(
        PROBE
        + """
    def test_it(modelreg):
        assert current() == ("strict", "555566667777", "eu-west-1")
    """
    )
    pytester.runpytest("--modelreg-account-id=555566667777").assert_outcomes(passed=1)


def test_failure_output_shows_awss_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3

        def test_lists_groups(modelreg):
            boto3.client("sagemaker").list_model_package_groups()
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "E * botocore.exceptions.ClientError: An error occurred (AccessDeniedException) when "
            "calling the ListModelPackageGroups operation: User: arn:aws:sts::123456789012:assumed-role/"
            "ModelRegistryTestRole/pytest-modelreg is not authorized to perform: "
            "sagemaker:ListModelPackageGroups on resource: "
            "arn:aws:sagemaker:us-east-1:123456789012:model-package-group/* because no identity-based "
            "policy allows the sagemaker:ListModelPackageGroups action"
        ]
    )


def test_offline_with_bogus_credentials_and_no_sockets(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads real credentials or reaches the network: run a workflow with bogus credentials
    in the environment and every socket connection refused."""
    pytester.makeconftest(
        """
        import socket, pytest

        @pytest.fixture(autouse=True)
        def no_network(monkeypatch):
            def refuse(*args, **kwargs):
                raise AssertionError("network access attempted")
            monkeypatch.setattr(socket.socket, "connect", refuse)
            monkeypatch.setattr(socket, "create_connection", refuse)
            monkeypatch.setattr(socket, "getaddrinfo", refuse)
        """
    )
    pytester.makepyfile(
        """
        import boto3

        def test_workflow(modelreg):
            modelreg.admin_client("s3").create_bucket(Bucket="sagemaker-x")
            sm = boto3.client("sagemaker")
            sm.create_model_package_group(ModelPackageGroupName="g")
            arn = sm.create_model_package(
                ModelPackageGroupName="g",
                InferenceSpecification={"Containers": [{"Image": "1.dkr.ecr.us-east-1.amazonaws.com/i:1"}],
                                        "SupportedContentTypes": ["text/csv"], "SupportedResponseMIMETypes": ["text/csv"]},
            )["ModelPackageArn"]
            assert sm.describe_model_package(ModelPackageName=arn)["ModelPackageVersion"] == 1
            boto3.client("s3").list_objects_v2(Bucket="sagemaker-x")
        """
    )
    # Credentials that look real, and a profile that does not exist: neither may be read.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALLOOKINGKEY00")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "real-secret")
    monkeypatch.setenv("AWS_PROFILE", "production")
    pytester.runpytest_subprocess().assert_outcomes(passed=1)

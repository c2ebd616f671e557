"""unittest-style suites: ``tests/unittest_style`` passes under unittest's own runner, in a
process where pytest cannot even be imported and no socket can connect; a mock started and
dropped unstopped says so (``ResourceWarning``, which unittest's runner shows); and under pytest,
a ``unittest.TestCase``'s ``self.assertRaises`` marks the denial it asserts expected, as
``pytest.raises`` does."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pytest

from pytest_modelreg import mock_modelreg
from pytest_modelreg.activation import active, close_activation

ROOT = Path(__file__).resolve().parent.parent
# Every test method in tests/unittest_style: a module that discovery missed would lower it.
SUITE_TESTS = 14

# Put first on the path of the unittest process: pytest and its internals cannot be imported,
# and no socket connects (the library must keep every call in the process on its own).
STUBS = {
    "pytest.py": "raise ImportError('pytest is not importable in this process')\n",
    "_pytest/__init__.py": "raise ImportError('pytest is not importable in this process')\n",
    "sitecustomize.py": textwrap.dedent(
        """
        import socket

        def _refuse(*args, **kwargs):
            raise OSError("network access attempted")

        socket.socket.connect = _refuse
        socket.socket.connect_ex = _refuse
        socket.create_connection = _refuse
        """
    ),
}


def _run_unittest(stubs: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """``python -m unittest ARGUMENTS`` in the repository root, with :data:`STUBS` first on the
    path and no AWS or pytest variables in the environment."""
    for name, text in STUBS.items():
        (stubs / name).parent.mkdir(parents=True, exist_ok=True)
        (stubs / name).write_text(text)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PYTEST_"))}
    env["PYTHONPATH"] = os.pathsep.join([str(stubs), str(ROOT)])
    command = [sys.executable, "-m", "unittest", *arguments]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_the_suite_passes_under_unittest_without_pytest(tmp_path: Path) -> None:
    done = _run_unittest(tmp_path, "discover", "-s", "tests/unittest_style", "-t", ".")
    assert done.returncode == 0, done.stderr
    ran = re.search(r"^Ran (\d+) tests? in ", done.stderr, re.MULTILINE)
    assert ran is not None, done.stderr
    assert int(ran.group(1)) == SUITE_TESTS
    assert done.stderr.rstrip().endswith("\nOK"), done.stderr


def test_the_stubs_do_block_pytest_and_the_network(tmp_path: Path) -> None:
    # The test above proves something only if its process really had no pytest and no network.
    _run_unittest(tmp_path, "--help")  # writes the stubs
    probe = (
        "import socket\n"
        "try:\n    import pytest\nexcept ImportError as e:\n    print(e)\n"
        "try:\n    socket.create_connection(('127.0.0.1', 9))\nexcept OSError as e:\n    print(e)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.splitlines() == [
        "pytest is not importable in this process",
        "network access attempted",
    ]


FORGETFUL = """
    import unittest

    import boto3
    from pytest_modelreg import mock_modelreg


    class Forgetful(unittest.TestCase):
        def test_1_starts_and_forgets(self):
            mock = mock_modelreg()
            mock.start().admin_client("s3").create_bucket(Bucket="left-behind")

        def test_2_later(self):
            buckets = boto3.client("s3").list_buckets()["Buckets"]
            self.assertEqual([b["Name"] for b in buckets], ["left-behind"])
"""


def test_unittest_shows_a_mock_dropped_unstopped(tmp_path: Path) -> None:
    # The runner still passes both tests (the second sees the first one's state), but its output
    # names the start() that was never stopped, as it names a file never closed.
    (tmp_path / "forgetful.py").write_text(textwrap.dedent(FORGETFUL))
    done = _run_unittest(tmp_path, "-v", "forgetful")  # tmp_path is on its path
    assert done.returncode == 0, done.stderr
    assert (
        f"ResourceWarning: mock_modelreg(...) started at {tmp_path / 'forgetful.py'}:11 was never "
        "stopped: its activation still serves every call, with its state, and nothing can stop it "
        "any more; keep the object and call stop() (in a TestCase: addCleanup(mock.stop))"
    ) in done.stderr
    assert "test_2_later (forgetful.Forgetful.test_2_later) ... ok" in done.stderr


def test_a_started_mock_dropped_unstopped_warns_and_still_serves() -> None:
    with pytest.warns(ResourceWarning, match=r"started at .*test_unittest_style\.py:\d+ was never"):
        reg = mock_modelreg(enforce="off").start()  # nothing keeps the mock: it can't be stopped
    try:
        assert active() is reg
    finally:
        close_activation(reg)


def test_a_stopped_or_never_started_mock_drops_silently() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        stopped = mock_modelreg(enforce="off")
        stopped.start()
        stopped.stop()
        del stopped
        never_started = mock_modelreg()
        del never_started
    assert active() is None


ASSERT_RAISES_SUITE = """
    import unittest

    import boto3
    from botocore.exceptions import ClientError
    from pytest_modelreg import mock_modelreg


    @mock_modelreg
    class Denials(unittest.TestCase):
        def test_context_form(self):
            with self.assertRaises(ClientError):
                boto3.client("sagemaker").list_model_package_groups()

        def test_callable_form(self):
            self.assertRaises(ClientError, boto3.client("sagemaker").list_model_package_groups)

        def test_regex_form(self):
            with self.assertRaisesRegex(ClientError, "AccessDeniedException"):
                boto3.client("sagemaker").list_model_package_groups()

        def test_try_except_is_still_caught(self):
            try:
                boto3.client("sagemaker").list_model_package_groups()
            except ClientError:
                pass
"""


def test_assert_raises_marks_the_denial_expected(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_suite=ASSERT_RAISES_SUITE)
    result = pytester.runpytest("-p", "no:cacheprovider", "--modelreg-fail-on-caught-denial")
    # The three assertRaises spellings are expected denials; a swallowing try/except is not, and
    # fails its test at teardown.
    result.assert_outcomes(passed=4, errors=1)
    result.stdout.fnmatch_lines(["ERROR test_suite.py::Denials::test_try_except_is_still_caught*"])
    result.stdout.fnmatch_lines(["expected denials: 3 *"])

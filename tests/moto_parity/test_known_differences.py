"""The list of moto tests that expect behaviour AWS does not have (known_differences.toml) and the
pure parts of tools/moto_parity.py, which runs moto's tests against the plugin. The tool itself
needs moto's sdist and is not run here."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("moto_parity", ROOT / "tools" / "moto_parity.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("moto_parity", module)
    spec.loader.exec_module(module)
    return module


tool = _load_tool()

# A citation names where the fact is published: botocore's service model (a shape or an
# operation), an AWS documentation page, an SDK module, or a public GitHub issue/PR.
_CITATION = re.compile(
    r"botocore service model [a-z0-9-]+, \S+"
    r"|AWS documentation|User Guide|API Reference|Developer Guide"
    r"|[\w.-]+/[\w.-]+#\d+"
    r"|SageMaker Python SDK"
)


def test_the_list_is_well_formed_and_every_entry_cites_evidence() -> None:
    known = tool.load_known_differences()
    assert known, "the list is empty: every listed moto test passes, or the file did not parse"
    for test, entry in known.items():
        file, _, name = test.partition("::")
        assert file in tool.TEST_FILES and name.startswith("test"), test
        assert len(entry["why"]) >= 40, f"{test}: say how AWS differs"
        for citation in entry["evidence"]:
            assert _CITATION.search(citation), f"{test}: {citation!r} cites no public source"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("difference = 3\n", "expected [[difference]] tables"),
        ('[[difference]]\ntest = "x"\nwhy = "w"\n', "keys must be test, why, evidence"),
        (
            '[[difference]]\ntest = "nowhere.py::test_x"\nwhy = "w"\nevidence = ["e"]\n',
            "not in one of the files",
        ),
        (
            '[[difference]]\ntest = "test_resourcegroups/test_resourcegroups.py::test_x"\n'
            'why = " "\nevidence = ["e"]\n',
            "why must say",
        ),
        (
            '[[difference]]\ntest = "test_resourcegroups/test_resourcegroups.py::test_x"\n'
            'why = "w"\nevidence = []\n',
            "evidence must be a non-empty list",
        ),
        (
            '[[difference]]\ntest = "test_resourcegroups/test_resourcegroups.py::test_x"\n'
            'why = "w"\nevidence = ["e"]\n' * 2,
            "listed twice",
        ),
    ],
)
def test_a_malformed_list_is_refused(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "known.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(tool.ParityError, match=re.escape(problem)):
        tool.load_known_differences(path)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from moto import mock_aws\n", "from pytest_modelreg import mock_modelreg as mock_aws\n"),
        (
            "from moto import mock_aws, settings\n",
            "from moto import settings\nfrom pytest_modelreg import mock_modelreg as mock_aws\n",
        ),
        (
            "    from moto import settings, mock_aws  # why\n",
            "    from moto import settings\n    from pytest_modelreg import mock_modelreg as mock_aws\n",
        ),
        # Only the mock's import changes.
        ("from moto import settings\nfrom moto.core import DEFAULT_ACCOUNT_ID\n", None),
        ("from moto.sagemaker.models import ModelPackage\n", None),
    ],
)
def test_only_the_mock_import_is_rewritten(source: str, expected: str | None) -> None:
    assert tool.rewrite_import(source) == (source if expected is None else expected)


def test_tests_are_selected_by_the_clients_they_and_their_helpers_make() -> None:
    source = """
import boto3

def make_bucket():
    boto3.client("s3").create_bucket(Bucket="b")

def make_queue():
    boto3.client("sqs").create_queue(QueueName="q")

def test_sagemaker_only():
    boto3.client("sagemaker")

def test_with_bucket():
    make_bucket()
    boto3.client("resourcegroupstaggingapi")

def test_with_queue():
    make_queue()

def test_ec2():
    boto3.resource("ec2")

class TestGroup:
    def test_rg(self):
        boto3.client(service_name="resource-groups")
"""
    selected, skipped = tool.select_tests(source, tool.SERVICES)
    assert selected == ["test_sagemaker_only", "test_with_bucket", "TestGroup"]
    assert skipped == ["test_with_queue", "test_ec2"]


def test_outcomes_are_compared_with_the_list() -> None:
    listed = "test_resourcegroups/test_resourcegroups.py::test_listed"
    stale = "test_resourcegroups/test_resourcegroups.py::test_stale"
    known: dict[str, Any] = {listed: {}, stale: {}}
    outcomes = {
        f"{listed}[a]": "failed",  # an entry covers each parametrization
        f"{stale}": "passed",
        "test_resourcegroups/test_resourcegroups.py::test_new_failure": "failed",
        "test_resourcegroups/test_resourcegroups.py::test_fine": "passed",
    }
    summary = tool.compare({"outcomes": outcomes, "collection_errors": []}, known)
    assert summary["listed_failures"] == [f"{listed}[a]"]
    assert summary["unlisted_failures"] == [
        "test_resourcegroups/test_resourcegroups.py::test_new_failure"
    ]
    assert summary["stale_entries"] == [stale]
    assert summary["per_file"] == {
        "test_resourcegroups/test_resourcegroups.py": {"failed": 2, "passed": 2}
    }

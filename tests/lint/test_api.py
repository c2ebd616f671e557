"""The lint's surface: what it accepts (a document, JSON text, a file, a managed policy's name),
the policy types, the managed policy, and findings as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_modelreg import lint
from pytest_modelreg.linter import Finding
from pytest_modelreg.policies import PolicySourceError, model_registry_full_access

from .test_checks import ACCOUNT, S0, allow, doc


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_the_managed_policy_lints_clean(version: str) -> None:
    """AmazonSageMakerModelRegistryFullAccess, as shipped, has no finding at all."""
    assert lint(model_registry_full_access(version)) == []  # type: ignore[arg-type]


def test_inputs_json_text_file_and_managed_policy_name(tmp_path: Path) -> None:
    policy = doc(allow("s3:GetObjekt"))
    expected = [
        Finding(
            "ERROR",
            "INVALID_ACTION",
            "s3 has no action GetObjekt (did you mean GetObject?)",
            f"{S0}.Action",
        )
    ]
    assert lint(json.dumps(policy)) == expected
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(policy))
    assert lint(path) == expected
    assert lint("AmazonSageMakerModelRegistryFullAccess") == []
    assert lint("{not json") == [
        Finding("ERROR", "MALFORMED_POLICY_DOCUMENT", "Syntax errors in policy.", "$")
    ]
    with pytest.raises(PolicySourceError):
        lint(tmp_path / "missing.json")
    with pytest.raises(TypeError, match="lint\\(\\) takes one policy"):
        lint([policy])  # type: ignore[arg-type]


def test_policy_type_decides_principal_rules() -> None:
    trust = doc(allow("s3:GetObject", "arn:aws:s3:::models/*", Principal={"AWS": ACCOUNT}))
    assert lint(trust, policy_type="resource") == []
    assert lint(trust) == [
        Finding(
            "ERROR",
            "MALFORMED_POLICY_DOCUMENT",
            "Policy document should not specify a principal.",
            "$",
        )
    ]
    assert [f.message for f in lint(doc(allow("s3:GetObject")), policy_type="resource")] == [
        "Missing required field Principal"
    ]
    with pytest.raises(ValueError, match="unknown policy type"):
        lint(trust, policy_type="trust")  # type: ignore[arg-type]


def test_findings_serialize_to_json() -> None:
    (f,) = lint(doc(allow("iam:PassRole")))
    assert f.to_json() == {
        "severity": "SECURITY_WARNING",
        "code": "PASS_ROLE_WITH_STAR_IN_RESOURCE",
        "message": f.message,
        "path": "$.Statement[0].Resource",
    }
    assert str(f) == f"SECURITY_WARNING PASS_ROLE_WITH_STAR_IN_RESOURCE {f.path}: {f.message}"

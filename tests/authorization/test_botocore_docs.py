"""Cross-check the mapping against the permissions botocore's own model documentation names.

The API references ship inside botocore's models (offline): Resource Groups operations have a
"Minimum permissions" list; S3 operation docs name the ``s3:`` actions they need. A mapping that
disagrees with them is either a bug or a documented, deliberate exception listed here.
"""

from __future__ import annotations

import re

import botocore.session
import pytest

from pytest_modelreg.authorization import UnmappedOperation, authorization_requests

from .test_coverage import ACCOUNT, REGION, FakeState, make_params

SESSION = botocore.session.get_session()

#: Documented permissions deliberately not authorized (with the reason).
RESOURCE_GROUPS_EXCEPTIONS = {
    # CloudFormation-stack queries only; every Collection is a TAG_FILTERS_1_0 group and the
    # managed policy grants no cloudformation:* (resource_groups.py I2).
    ("ListGroupResources", "cloudformation:DescribeStacks"),
    ("ListGroupResources", "cloudformation:ListStackResources"),
}


def _mapped(service: str, operation: str, params: dict[str, object]) -> set[str]:
    return {
        r.action
        for r in authorization_requests(
            service, operation, params, account_id=ACCOUNT, region=REGION, state=FakeState()
        )
    }


def _params(service: str, operation: str, *, full: bool = True) -> dict[str, object]:
    shape = SESSION.get_service_model(service).operation_model(operation).input_shape
    return make_params(shape, service, full=full) if shape is not None else {}


@pytest.mark.parametrize("operation", SESSION.get_service_model("resource-groups").operation_names)
def test_resource_groups_minimum_permissions(operation: str) -> None:
    model = SESSION.get_service_model("resource-groups").operation_model(operation)
    doc = model.documentation or ""
    if "Minimum permissions" not in doc:
        pytest.skip("no 'Minimum permissions' section")
    documented = set(
        re.findall(r"<code>([a-z0-9-]+:[A-Za-z]+)</code>", doc.split("Minimum permissions")[-1])
    )
    params = _params("resource-groups", operation)
    # Exercise both query kinds where the query type matters.
    mapped = _mapped("resource-groups", operation, params)
    if isinstance(params.get("ResourceQuery"), dict):
        cfn = dict(params, ResourceQuery={"Type": "CLOUDFORMATION_STACK_1_0", "Query": "{}"})
        tags = dict(params, ResourceQuery={"Type": "TAG_FILTERS_1_0", "Query": "{}"})
        mapped |= _mapped("resource-groups", operation, cfn) | _mapped(
            "resource-groups", operation, tags
        )
    missing = {a for a in documented - mapped if (operation, a) not in RESOURCE_GROUPS_EXCEPTIONS}
    assert missing == set()


@pytest.mark.parametrize("operation", SESSION.get_service_model("s3").operation_names)
def test_s3_mapping_uses_an_action_its_documentation_names(operation: str) -> None:
    doc = SESSION.get_service_model("s3").operation_model(operation).documentation or ""
    named = {a.lower() for a in re.findall(r"\bs3:([A-Z][A-Za-z]+)", doc)}
    if not named:
        pytest.skip("the documentation names no s3: action")
    try:
        # Required parameters only: no VersionId, so the unversioned action the docs name.
        mapped = _mapped("s3", operation, _params("s3", operation, full=False))
    except UnmappedOperation:
        pytest.skip("deliberately unmapped")
    # IAM action names are case-insensitive (PutBucketABAC in the docs, PutBucketAbac in the SAR).
    assert {a.split(":", 1)[1].lower() for a in mapped} & named, (operation, sorted(named))


@pytest.mark.parametrize("operation", SESSION.get_service_model("kms").operation_names)
def test_kms_required_permissions(operation: str) -> None:
    """KMS API docs end with 'Required permissions: kms:X (key policy)'."""
    doc = re.sub(
        r"<[^>]+>",
        "",
        SESSION.get_service_model("kms").operation_model(operation).documentation or "",
    )
    if "Required permissions" not in doc:
        pytest.skip("no 'Required permissions' section")
    section = doc.split("Required permissions", 1)[1].split("Related operations", 1)[0]
    documented = set(re.findall(r"\b(kms:[A-Z][A-Za-z]+)\b", section))
    documented.discard("kms:PolicyName")  # a condition key (absent from the SAR data, see kms.py)
    documented.discard("kms:ReEncrypt")  # the "kms:ReEncrypt*" wildcard of ReEncryptFrom/To
    mapped = _mapped("kms", operation, _params("kms", operation))
    assert documented <= mapped

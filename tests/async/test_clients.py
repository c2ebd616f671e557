"""aiobotocore and aioboto3 clients under the mock: registry answers, denials, records and
concurrent calls, as for botocore clients (issue 17)."""

from __future__ import annotations

import asyncio

import pytest

from pytest_modelreg import ModelRegistryHandle

from ..conftest import statement
from .conftest import SKIP_REASON, AsyncClient

pytest.importorskip("aiobotocore", reason=SKIP_REASON)

from botocore.exceptions import ClientError

# Create, describe and list model package groups (the managed registry policy has no List).
GROUPS = statement("Allow", "sagemaker:*ModelPackageGroup*")
pytestmark = [pytest.mark.anyio, pytest.mark.modelreg(policy=GROUPS)]
ACCOUNT = "123456789012"


async def test_registry_create_describe_list(
    modelreg: ModelRegistryHandle, aio_client: AsyncClient
) -> None:
    async with aio_client("sagemaker") as sagemaker:
        created = await sagemaker.create_model_package_group(
            ModelPackageGroupName="churn", ModelPackageGroupDescription="async"
        )
        described = await sagemaker.describe_model_package_group(ModelPackageGroupName="churn")
        listed = await sagemaker.list_model_package_groups()
    arn = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:model-package-group/churn"
    assert created["ModelPackageGroupArn"] == arn
    assert described["ModelPackageGroupDescription"] == "async"
    assert described["ModelPackageGroupStatus"] == "Completed"
    assert [g["ModelPackageGroupName"] for g in listed["ModelPackageGroupSummaryList"]] == ["churn"]
    # One request id per call, in the header and the metadata, as botocore clients get.
    meta = described["ResponseMetadata"]
    assert meta["HTTPHeaders"]["x-amzn-requestid"] == meta["RequestId"]
    assert [(c.operation, c.decision, c.principal_arn) for c in modelreg.calls] == [
        ("CreateModelPackageGroup", "allowed", modelreg.principal_arn),
        ("DescribeModelPackageGroup", "allowed", modelreg.principal_arn),
        ("ListModelPackageGroups", "allowed", modelreg.principal_arn),
    ]
    assert modelreg.calls[0].params == {
        "ModelPackageGroupName": "churn",
        "ModelPackageGroupDescription": "async",
    }


async def test_a_denial_carries_the_services_code_and_is_recorded(
    modelreg: ModelRegistryHandle, aio_client: AsyncClient
) -> None:
    reader = modelreg.principal("Reader", policies=statement("Allow", "sagemaker:List*"))
    async with aio_client("sagemaker", reader) as sagemaker:
        await sagemaker.list_model_package_groups()
        with pytest.raises(ClientError) as denied:
            await sagemaker.create_model_package_group(ModelPackageGroupName="nope")
    error = denied.value.response
    assert error["Error"]["Code"] == "AccessDeniedException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error["Error"]["Message"] == (
        f"User: {reader.arn} is not authorized to perform: sagemaker:CreateModelPackageGroup on "
        f"resource: arn:aws:sagemaker:us-east-1:{ACCOUNT}:model-package-group/nope because no "
        "identity-based policy allows the sagemaker:CreateModelPackageGroup action"
    )
    (record,) = modelreg.denied
    assert (record.operation, record.principal_arn, record.decision) == (
        "CreateModelPackageGroup",
        reader.arn,
        "implicitDeny",
    )
    assert [c.operation for c in modelreg.calls] == [
        "ListModelPackageGroups",
        "CreateModelPackageGroup",
    ]
    # Nothing was created.
    async with aio_client("sagemaker") as sagemaker:
        listed = await sagemaker.list_model_package_groups()
    assert listed["ModelPackageGroupSummaryList"] == []


async def test_expect_denial_catches_an_awaited_denial(
    modelreg: ModelRegistryHandle, aio_client: AsyncClient
) -> None:
    reader = modelreg.principal("Reader", policies=statement("Allow", "sagemaker:List*"))
    async with aio_client("sagemaker", reader) as sagemaker:
        with modelreg.expect_denial("sagemaker:CreateModelPackageGroup") as denial:
            await sagemaker.create_model_package_group(ModelPackageGroupName="nope")
    assert isinstance(denial.error, ClientError)
    assert modelreg.calls.is_expected(modelreg.denied[0])
    with pytest.raises(AssertionError), modelreg.expect_denial():
        async with aio_client("sagemaker") as sagemaker:
            await sagemaker.list_model_package_groups()


async def test_concurrent_calls_of_two_principals_are_each_judged_as_their_caller(
    modelreg: ModelRegistryHandle, aio_client: AsyncClient
) -> None:
    writer = modelreg.principal("Writer", policies=GROUPS)
    denied = statement("Deny", "sagemaker:CreateModelPackageGroup")
    reader = modelreg.principal("Reader", policies=[GROUPS, denied])
    names = [f"group-{i}" for i in range(6)]
    async with aio_client("sagemaker", writer) as w, aio_client("sagemaker", reader) as r:
        results = await asyncio.gather(
            *(
                (w if i % 2 == 0 else r).create_model_package_group(ModelPackageGroupName=name)
                for i, name in enumerate(names)
            ),
            return_exceptions=True,
        )
    for i, result in enumerate(results):
        if i % 2 == 0:
            assert isinstance(result, dict), result
            assert result["ModelPackageGroupArn"].endswith(f"/{names[i]}")
        else:
            assert isinstance(result, ClientError), result
            assert result.response["Error"]["Code"] == "AccessDeniedException"
            assert reader.arn in result.response["Error"]["Message"]
    by_group = {c.params["ModelPackageGroupName"]: c for c in modelreg.calls}
    assert sorted(by_group) == names
    for i, name in enumerate(names):
        caller, decision = (writer, "allowed") if i % 2 == 0 else (reader, "explicitDeny")
        assert (by_group[name].principal_arn, by_group[name].decision) == (caller.arn, decision)


async def test_aioboto3_clients_are_served_and_judged(modelreg: ModelRegistryHandle) -> None:
    aioboto3 = pytest.importorskip("aioboto3", reason="aioboto3 is not installed")
    session = aioboto3.Session()
    async with session.client("sagemaker") as sagemaker:
        await sagemaker.create_model_package_group(ModelPackageGroupName="from-aioboto3")
        listed = await sagemaker.list_model_package_groups()
    names = [g["ModelPackageGroupName"] for g in listed["ModelPackageGroupSummaryList"]]
    assert names == ["from-aioboto3"]
    assert [c.principal_arn for c in modelreg.calls] == [modelreg.principal_arn] * 2

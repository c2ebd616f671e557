"""Calls moto serves, made with aiobotocore / aioboto3: answered, streamed and judged as botocore's
are. Before, each of them failed inside aiobotocore ("object bytes can't be used in 'await'
expression"): the answer was botocore's synchronous response."""

from __future__ import annotations

import io
from typing import Any

import pytest

from pytest_modelreg import ModelRegistryHandle

from ..conftest import statement
from .conftest import S3_ALL, SKIP_REASON, AsyncClient, read_all

pytest.importorskip("aiobotocore", reason=SKIP_REASON)

from botocore.exceptions import ClientError

pytestmark = [pytest.mark.anyio, pytest.mark.modelreg(policy=S3_ALL)]

BUCKET = "async-artifacts"
DATA = b"model weights\n" * 300  # several 1 KiB chunks


async def _arrange(s3: Any) -> None:
    await s3.create_bucket(Bucket=BUCKET)
    # aiobotocore sends this body aws-chunked, with a CRC32 trailer, read only with await.
    await s3.put_object(Bucket=BUCKET, Key="model.tar.gz", Body=DATA)


async def test_s3_put_get_and_list(modelreg: ModelRegistryHandle, aio_client: AsyncClient) -> None:
    async with aio_client("s3") as s3:
        await _arrange(s3)
        got = await s3.get_object(Bucket=BUCKET, Key="model.tar.gz")
        body = await got["Body"].read()
        listed = await s3.list_objects_v2(Bucket=BUCKET)
        head = await s3.head_object(Bucket=BUCKET, Key="model.tar.gz")
        location = await s3.get_bucket_location(Bucket=BUCKET)  # parsed by an after-call handler
    assert body == DATA
    assert got["ContentLength"] == len(DATA)
    assert [o["Key"] for o in listed["Contents"]] == ["model.tar.gz"]
    assert head["ContentLength"] == len(DATA)
    assert location["LocationConstraint"] is None  # us-east-1
    assert [(c.operation, c.decision) for c in modelreg.calls] == [
        ("CreateBucket", "allowed"),
        ("PutObject", "allowed"),
        ("GetObject", "allowed"),
        ("ListObjectsV2", "allowed"),
        ("HeadObject", "allowed"),
        ("GetBucketLocation", "allowed"),
    ]
    assert modelreg.calls[2].authorizations[0].resource == f"arn:aws:s3:::{BUCKET}/model.tar.gz"


async def test_the_streaming_body_reads_as_aiobotocores_does(aio_client: AsyncClient) -> None:
    async with aio_client("s3") as s3:
        await _arrange(s3)

        async def body() -> Any:
            return (await s3.get_object(Bucket=BUCKET, Key="model.tar.gz"))["Body"]

        in_parts = await body()
        first = await in_parts.read(10)
        rest = await in_parts.read()
        async with await body() as stream:  # aiohttp's response: read() awaited
            whole = await stream.read()
        chunks = [chunk async for chunk in (await body()).iter_chunks(1000)]
        lines = [line async for line in (await body()).iter_lines()]
        iterated = await read_all(await body())
    assert first + rest == DATA
    assert whole == DATA
    assert [len(c) for c in chunks] == [1000] * 4 + [len(DATA) - 4000]
    assert b"".join(chunks) == DATA
    assert lines == [b"model weights"] * 300
    assert iterated == DATA


async def test_a_moto_error_is_the_services_error(aio_client: AsyncClient) -> None:
    async with aio_client("s3") as s3:
        await s3.create_bucket(Bucket=BUCKET)
        with pytest.raises(ClientError) as missing:
            await s3.get_object(Bucket=BUCKET, Key="absent")
        with pytest.raises(s3.exceptions.NoSuchBucket):
            await s3.list_objects_v2(Bucket="no-such-bucket-here")
    assert missing.value.response["Error"]["Code"] == "NoSuchKey"
    assert missing.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


async def test_an_s3_denial_is_s3s(modelreg: ModelRegistryHandle, aio_client: AsyncClient) -> None:
    lister = modelreg.principal("Lister", policies=statement("Allow", "s3:ListBucket"))
    async with aio_client("s3") as s3:
        await _arrange(s3)
    async with aio_client("s3", lister) as s3:
        await s3.list_objects_v2(Bucket=BUCKET)
        with pytest.raises(ClientError) as denied:
            await s3.get_object(Bucket=BUCKET, Key="model.tar.gz")
    error = denied.value.response
    assert error["Error"]["Code"] == "AccessDenied"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert error["Error"]["Message"] == (
        f'User: {lister.arn} is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::'
        f'{BUCKET}/model.tar.gz" because no identity-based policy allows the s3:GetObject action'
    )
    assert [(c.operation, c.principal_arn) for c in modelreg.denied] == [("GetObject", lister.arn)]


@pytest.mark.modelreg(policy=statement("Allow", ["iam:*", "sts:*"]))
async def test_query_protocol_services_are_served(
    modelreg: ModelRegistryHandle, aio_client: AsyncClient
) -> None:
    async with aio_client("iam") as iam, aio_client("sts") as sts:
        role = await iam.create_role(RoleName="async-role", AssumeRolePolicyDocument="{}")
        identity = await sts.get_caller_identity()
    assert role["Role"]["Arn"] == "arn:aws:iam::123456789012:role/async-role"
    assert identity["Arn"] == modelreg.principal_arn


async def test_aioboto3_transfers_and_resources(modelreg: ModelRegistryHandle) -> None:
    aioboto3 = pytest.importorskip("aioboto3", reason="aioboto3 is not installed")
    session = aioboto3.Session()
    async with session.client("s3") as s3:
        await s3.create_bucket(Bucket=BUCKET)
        await s3.upload_fileobj(io.BytesIO(DATA), BUCKET, "uploaded")
        downloaded = io.BytesIO()
        await s3.download_fileobj(BUCKET, "uploaded", downloaded)
    async with session.resource("s3") as s3r:
        obj = await s3r.Object(BUCKET, "uploaded")
        got = await obj.get()
        via_resource = await got["Body"].read()
    assert downloaded.getvalue() == DATA
    assert via_resource == DATA
    assert {c.operation for c in modelreg.calls} >= {"CreateBucket", "PutObject", "GetObject"}
    assert all(c.principal_arn == modelreg.principal_arn for c in modelreg.calls)

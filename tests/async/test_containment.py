"""aiobotocore's own client, endpoint and credential classes are guarded as botocore's are
(tests/credentials/test_containment.py): aiobotocore overrides each guarded method with a
coroutine, which the botocore guards alone would not see."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_modelreg import mock_modelreg
from pytest_modelreg.containment import MockEndedError, NetworkBlockedError, RealCredentialsError

from ..conftest import ALLOW_ALL, credential_process_profile
from ..network_guard import block_network
from .conftest import SKIP_REASON, AsyncClient

pytest.importorskip("aiobotocore", reason=SKIP_REASON)

import aiobotocore.session

pytestmark = pytest.mark.anyio


async def test_a_client_made_under_a_mock_and_used_after_it_raises(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    guard = block_network(monkeypatch)
    with mock_modelreg(policy=ALLOW_ALL):
        made = aiobotocore.session.get_session().create_client("sagemaker")
        sagemaker = await made.__aenter__()
        await sagemaker.list_model_package_groups()
    try:
        with pytest.raises(MockEndedError, match="ListModelPackageGroups was called after"):
            await sagemaker.list_model_package_groups()
    finally:
        await made.__aexit__(None, None, None)
    assert guard.attempts == []


async def test_a_request_no_handler_answers_is_blocked_at_the_send_path(
    aio_client: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    guard = block_network(monkeypatch)
    with mock_modelreg(policy=ALLOW_ALL):
        async with aio_client("s3") as s3:
            await s3.list_buckets()  # armed and served
            s3.meta.events.unregister("before-send", unique_id="pytest_modelreg.before-send")
            with pytest.raises(NetworkBlockedError, match=r"blocked GET https://"):
                await s3.list_buckets()
    assert guard.attempts == []


async def test_credential_process_never_runs_while_a_mock_is_active(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = credential_process_profile(tmp_path, monkeypatch)
    session = aiobotocore.session.AioSession(profile="real")
    assert "real" in session.available_profiles  # the config is read now; credentials are not
    with (
        mock_modelreg(policy=ALLOW_ALL),
        pytest.raises(RealCredentialsError, match="credential_process"),
    ):
        async with session.create_client("sagemaker", region_name="us-east-1") as sagemaker:
            await sagemaker.list_model_package_groups()
    assert not marker.exists()

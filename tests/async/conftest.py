"""Fixtures for aiobotocore / aioboto3 clients under the plugin.

aiobotocore pins botocore to a narrow range (aioboto3 15.5 -> aiobotocore 2.25.1 -> botocore
1.40.61), older than the development environment's, so this directory runs in a virtual
environment of its own (``pip install -e ".[async]"``; ``.ci/run`` builds one). Elsewhere each test
module skips itself, with the reason shown, through ``pytest.importorskip``; nothing here imports
aiobotocore at module level.

Async tests run on anyio's pytest plugin (``pytest.mark.anyio``), on asyncio only: aiobotocore and
aiohttp are asyncio libraries.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import pytest

from pytest_modelreg.principals import Principal

SKIP_REASON = (
    "aiobotocore is not installed: tests/async runs in its own environment "
    '(pip install -e ".[async]"; see .ci/run)'
)

S3_ALL: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


AsyncClient = Callable[..., AbstractAsyncContextManager[Any]]


@pytest.fixture
def aio_client() -> AsyncClient:
    """``aio_client(service, principal=None)``: an aiobotocore client as an async context manager,
    signed with the environment's credentials (the principal under test) or ``principal``'s."""
    import aiobotocore.session

    def make(service: str, principal: Principal | None = None, **kwargs: Any) -> Any:
        if principal is not None:
            kwargs.update(
                aws_access_key_id=principal.credentials.access_key,
                aws_secret_access_key=principal.credentials.secret_key,
                aws_session_token=principal.credentials.token,
            )
        return aiobotocore.session.get_session().create_client(service, **kwargs)

    return make


async def read_all(chunks: AsyncIterator[bytes]) -> bytes:
    return b"".join([chunk async for chunk in chunks])

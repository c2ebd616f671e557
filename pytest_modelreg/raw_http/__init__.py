"""Raw HTTP requests to AWS endpoints, made without botocore: judged like botocore calls.

While a mock is active, every HTTP request to an AWS host (a name under one of botocore's partition
DNS suffixes: ``*.amazonaws.com``, ``*.api.aws``, ``*.amazonaws.com.cn`` ...) made with
``requests``, ``urllib3``, ``urllib.request``, ``http.client`` or ``aiohttp`` is caught before
it connects (:mod:`.transport`, :mod:`.aiohttp_transport`), read back into the botocore operation
it calls (:mod:`.endpoints`, :mod:`.signatures`, :mod:`.operations`), and handed to the
activation's pipeline as the principal whose key signed it, or as the anonymous caller
(:mod:`.serve`). The answer is AWS's, in the
service's protocol (:mod:`.answers`). A request that cannot be read as one operation raises
:class:`RequestRefusedError`; nothing reaches the network either way. Other libraries cannot
resolve AWS host names while a mock is active.
"""

from __future__ import annotations

from pytest_modelreg.raw_http.messages import RequestRefusedError

__all__ = ["RequestRefusedError", "install"]


def install() -> None:
    """Catch raw HTTP requests to AWS from now on (idempotent; inert while no mock is active)."""
    from pytest_modelreg._import_hook import after_import
    from pytest_modelreg.raw_http import aiohttp_transport, transport

    transport.install()
    after_import("moto.core.models", transport.hook_moto_responses)
    after_import("aiohttp.connector", aiohttp_transport.install)

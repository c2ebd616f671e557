"""One HTTP request as a client sent it, one HTTP response as the simulation answers it, and the
error a request gets when it cannot be judged."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import SplitResult, parse_qsl, urlsplit

from pytest_modelreg.errors import ModelregError

__all__ = ["RawRequest", "RawResponse", "RequestRefusedError"]


@dataclass(frozen=True)
class RawRequest:
    """An HTTP request: method, absolute URL, headers in the order sent, body."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: bytes = b""
    _lower: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name, value in self.headers:
            self._lower.setdefault(name.lower(), value)

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), or None."""
        return self._lower.get(name.lower())

    @property
    def parts(self) -> SplitResult:
        return urlsplit(self.url)

    @property
    def query(self) -> list[tuple[str, str]]:
        """The query string's parameters, decoded, blank values kept (``?tagging``)."""
        return parse_qsl(self.parts.query, keep_blank_values=True)


@dataclass(frozen=True)
class RawResponse:
    """An HTTP response."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes = b""

    @classmethod
    def of(cls, status: int, headers: Iterable[tuple[str, object]], body: bytes) -> RawResponse:
        return cls(status, tuple((str(k), str(v)) for k, v in headers), body)


class RequestRefusedError(ModelregError):
    """An HTTP request to an AWS endpoint that pytest-modelreg could not judge: it was not sent
    anywhere, and no simulated state changed."""

    def __init__(self, method: str, url: str, why: str) -> None:
        self.method = method
        self.url = url
        self.why = why
        super().__init__(
            f"pytest-modelreg refused {method} {url}: {why}. While a mock is active, HTTP requests "
            "to AWS endpoints are served only when they can be judged as AWS would judge them; "
            "nothing was sent to the network. Make the call through a boto3 client (reg.client(...)"
            " or boto3.client(...)), or open an issue with pytest-modelreg naming the request."
        )

    def __reduce__(self) -> tuple[type[RequestRefusedError], tuple[str, str, str]]:
        # Keep the exception picklable for pytest-xdist.
        return (type(self), (self.method, self.url, self.why))

"""The socket layer under the fetcher: connect only to checked addresses, and cap each response's time.

An httpcore network backend. DNS rebinding (a name that resolves to a public address when checked
and to 127.0.0.1 when connected) is closed by resolving the name *once*, checking every address
(`address.resolve_checked`), and opening the socket to that very address; TLS still verifies the
certificate against the host name, which httpcore passes to `start_tls` as the SNI name. Because
every connection, redirects included, goes through `connect_tcp`, every hop is checked.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterable
from typing import Any

import httpcore

from storyline.fetch.address import resolve_checked

__all__ = ["GuardedBackend", "TotalTimeout"]


class TotalTimeout(httpcore.ReadTimeout):
    """The whole exchange took longer than the total limit (a server trickling bytes)."""


class GuardedBackend(httpcore.NetworkBackend):
    """Opens sockets to checked addresses only; each connection gets a deadline `total` seconds out.

    The pool keeps no idle connections (see `client.Fetcher`), so one connection serves one
    request and the connection's deadline is the request's.
    """

    def __init__(self, allow_private: bool, total: float) -> None:
        self.allow_private = allow_private
        self.total = total
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        deadline = time.monotonic() + self.total
        try:
            address = resolve_checked(host, port, self.allow_private)
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        stream = self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
        return _DeadlineStream(stream, deadline)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are never fetched from")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _DeadlineStream(httpcore.NetworkStream):
    """A stream whose reads and writes never wait past one deadline.

    A per-read timeout alone lets a slow-loris server send one byte every few seconds forever;
    shrinking every wait to the time left bounds the whole exchange.
    """

    def __init__(self, inner: httpcore.NetworkStream, deadline: float) -> None:
        self._inner = inner
        self._deadline = deadline

    def _left(self, timeout: float | None) -> float:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise TotalTimeout("the server took longer than the total time limit")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        left = self._left(timeout)
        try:
            return self._inner.read(max_bytes, left)
        except httpcore.ReadTimeout:
            if time.monotonic() >= self._deadline:
                raise TotalTimeout("the server took longer than the total time limit") from None
            raise

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._left(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        tls = self._inner.start_tls(ssl_context, server_hostname, self._left(timeout))
        return _DeadlineStream(tls, self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)

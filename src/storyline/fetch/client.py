"""Safe HTTP GET: http(s) only, checked addresses, redirects followed by hand, size and time capped.

One `Fetcher` per run over an httpcore pool on `transport.GuardedBackend`. Conditional GET sends the
stored ETag/Last-Modified and returns 304 as a response, not an error. Every failure is a
`FetchError` naming the URL asked for (and the hop, when a redirect led elsewhere).
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import httpcore
import httpx

from storyline._version import __version__
from storyline.errors import BlockedURLError, FetchError
from storyline.fetch.address import AddressRefused
from storyline.fetch.transport import GuardedBackend, TotalTimeout

__all__ = ["FetchPolicy", "Fetcher", "Response"]

REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Statuses worth another try on the next poll; every other 4xx is the page's final answer.
TRANSIENT_STATUS = frozenset({408, 425, 429})


@dataclass(frozen=True)
class FetchPolicy:
    """How the fetcher behaves; built at the edge (CLI flags) like `Settings`."""

    allow_private: bool = False  # loopback/private/link-local targets; only for local testing
    timeout: float = 10.0  # seconds to connect, and between two reads
    total_timeout: float = 60.0  # seconds for one whole response, against trickling servers
    max_bytes: int = 10 * 1024 * 1024  # a news page or feed is far smaller; more is refused
    max_redirects: int = 5
    delay: float = 1.0  # seconds between two requests to the same host
    user_agent: str = f"storyline/{__version__} (news briefing tool)"


@dataclass(frozen=True)
class Response:
    url: str  # the final URL, after redirects
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)  # names lower-cased
    body: bytes = b""

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-cased ("" when the server sent none)."""
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()


class Pacer:
    """Keeps at least `delay` seconds between two requests to one host (robots may ask for more)."""

    def __init__(self, delay: float, clock: Callable[[], float], sleep: Callable[[float], None]) -> None:
        self.delay = delay
        self._clock = clock
        self._sleep = sleep
        self._last: dict[str, float] = {}
        self._host_delay: dict[str, float] = {}

    def set_delay(self, url: str, seconds: float) -> None:
        """Pause `seconds` (not less than the default) between requests to `url`'s host."""
        self._host_delay[_host(httpx.URL(url))] = max(self.delay, seconds)

    def wait(self, url: httpx.URL) -> None:
        host = _host(url)
        last = self._last.get(host)
        if last is not None:
            left = last + self._host_delay.get(host, self.delay) - self._clock()
            if left > 0:
                self._sleep(left)
        self._last[host] = self._clock()


class Fetcher:
    """GET with the policy's guards; use as a context manager so the pool is closed."""

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.policy = policy or FetchPolicy()
        self.pacer = Pacer(self.policy.delay, clock, sleep)
        # No idle connections: each request opens (and checks) its own, and its deadline is the
        # request's (see transport.GuardedBackend). Polling a feed every minutes loses nothing.
        self._pool = httpcore.ConnectionPool(
            max_keepalive_connections=0,
            network_backend=GuardedBackend(self.policy.allow_private, self.policy.total_timeout),
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._pool.close()

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Response:
        """The response at `url` (2xx, or 304 when the validators still match); FetchError otherwise."""
        extra = {"if-none-match": etag, "if-modified-since": last_modified}
        headers = {k: v for k, v in extra.items() if v}
        seen: list[str] = []
        current = url
        while True:
            target = _parse(url, current)
            seen.append(str(target))
            response = self._request(url, target, headers)
            if response.status not in REDIRECTS:
                return _checked_status(url, response)
            location = response.headers.get("location")
            if not location:
                raise FetchError(url, f"HTTP {response.status} redirect without a Location header")
            current = str(target.join(location.strip()))
            if current in seen:
                raise FetchError(url, f"redirect loop: {' -> '.join(seen + [current])}")
            if len(seen) > self.policy.max_redirects:
                raise FetchError(url, f"more than {self.policy.max_redirects} redirects (last: {current})")

    def _request(self, url: str, target: httpx.URL, headers: dict[str, str]) -> Response:
        hop = "" if str(target) == url else f"redirected to {target}: "
        self.pacer.wait(target)
        try:
            return self._exchange(url, hop, target, headers)
        except AddressRefused as exc:
            reason = f"{hop}refused: {exc}; private addresses are fetched only when allowed explicitly"
            raise BlockedURLError(url, reason) from None
        except TotalTimeout:
            reason = f"{hop}gave up after {self.policy.total_timeout:g} s: the server sends too slowly"
            raise FetchError(url, reason, True) from None
        except httpcore.TimeoutException as exc:
            reason = f"{hop}timed out after {self.policy.timeout:g} s ({_kind(exc)})"
            raise FetchError(url, reason, True) from None
        except (httpcore.NetworkError, httpcore.ProtocolError, httpcore.UnsupportedProtocol) as exc:
            raise FetchError(url, f"{hop}connection failed: {exc or type(exc).__name__}", True) from None

    def _exchange(self, url: str, hop: str, target: httpx.URL, headers: dict[str, str]) -> Response:
        request_headers = {
            "host": _host(target),
            "user-agent": self.policy.user_agent,
            "accept-encoding": "gzip, deflate",
            **headers,
        }
        wait = self.policy.timeout
        core_url = httpcore.URL(
            scheme=target.raw_scheme, host=target.raw_host, port=target.port, target=target.raw_path
        )
        timeouts = {"connect": wait, "read": wait, "write": wait, "pool": wait}
        with self._pool.stream(
            "GET", core_url, headers=list(request_headers.items()), extensions={"timeout": timeouts}
        ) as raw:
            response_headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in raw.headers}
            # Only a success has a body worth reading; redirects, 304s and errors are judged by status.
            body = self._read_body(url, hop, raw, response_headers) if 200 <= raw.status < 300 else b""
        return Response(str(target), raw.status, response_headers, body)

    def _read_body(self, url: str, hop: str, raw: httpcore.Response, headers: Mapping[str, str]) -> bytes:
        cap = self.policy.max_bytes
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise FetchError(url, f"{hop}response is {_mb(int(declared))}; the limit is {_mb(cap)}")
        decoder = _decoder(url, headers.get("content-encoding", "identity"))
        body = bytearray()
        for chunk in raw.iter_stream():
            # The cap applies to the decoded bytes too, so a small gzip bomb is stopped as well.
            body += decoder.decompress(chunk, cap + 1 - len(body)) if decoder else chunk
            if len(body) > cap:
                raise FetchError(url, f"{hop}response is larger than {_mb(cap)}; not read further")
        return bytes(body)


def _parse(url: str, current: str) -> httpx.URL:
    try:
        target = httpx.URL(current)
    except (httpx.InvalidURL, TypeError) as exc:
        raise FetchError(url, f"not a valid URL: {current} ({exc})") from None
    if target.scheme not in ("http", "https"):
        raise BlockedURLError(
            url, f"only http and https are fetched, not {target.scheme or 'a relative'} URL {current}"
        )
    if not target.host:
        raise FetchError(url, f"no host in URL {current}")
    return target


def _checked_status(url: str, response: Response) -> Response:
    status = response.status
    if 200 <= status < 300 or status == 304:
        return response
    hop = "" if response.url == url else f"redirected to {response.url}: "
    transient = status >= 500 or status in TRANSIENT_STATUS
    raise FetchError(url, f"{hop}HTTP {status}", transient)


def _decoder(url: str, encoding: str) -> zlib._Decompress | None:
    name = encoding.strip().lower()
    if name in ("", "identity"):
        return None
    if name in ("gzip", "x-gzip", "deflate"):
        return zlib.decompressobj(zlib.MAX_WBITS | 32)  # 32: accept a gzip or a zlib header
    raise FetchError(url, f"unsupported Content-Encoding {encoding!r}")


def _host(url: httpx.URL) -> str:
    return url.netloc.decode("ascii")  # host[:port], IDNA-encoded: one key however the URL was spelled


def _kind(exc: Exception) -> str:
    return _TIMEOUT_KINDS.get(type(exc), "timeout")


_TIMEOUT_KINDS: dict[type[Exception], str] = {
    httpcore.ConnectTimeout: "connecting",
    httpcore.ReadTimeout: "waiting for data",
    httpcore.WriteTimeout: "sending",
    httpcore.PoolTimeout: "waiting for a connection",
}


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{size} bytes"

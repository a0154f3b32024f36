from __future__ import annotations

import gzip
import ipaddress
import socket
import time
from http.server import BaseHTTPRequestHandler

import pytest

from storyline.errors import BlockedURLError, FetchError
from storyline.fetch import address
from storyline.fetch.client import Fetcher, FetchPolicy, Pacer

from .conftest import Site, page, respond

LOCAL = FetchPolicy(allow_private=True, delay=0, timeout=2, total_timeout=5, max_bytes=1024 * 1024)


def _error(policy: FetchPolicy, url: str) -> FetchError:
    with Fetcher(policy) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(url)
    return caught.value


def test_get_returns_body_and_a_304_when_the_etag_still_matches(site: Site) -> None:
    site.routes["/a.html"] = page(b"<p>Harbour news</p>", etag='"v1"')
    with Fetcher(LOCAL) as fetcher:
        first = fetcher.get(site.url("/a.html"))
        second = fetcher.get(site.url("/a.html"), etag=first.headers["etag"])
    assert (first.status, first.content_type, first.body) == (200, "text/html", b"<p>Harbour news</p>")
    assert (second.status, second.not_modified, second.body) == (304, True, b"")
    assert site.headers["/a.html"]["if-none-match"] == '"v1"'
    assert site.headers["/a.html"]["user-agent"].startswith("storyline/")


def test_loopback_is_refused_unless_allowed(site: Site) -> None:
    site.routes["/a.html"] = page(b"<p>x</p>")
    error = _error(FetchPolicy(delay=0), site.url("/a.html"))
    assert isinstance(error, BlockedURLError)
    assert str(error) == (
        f"{site.url('/a.html')}: refused: 127.0.0.1 is a loopback address; "
        "private addresses are fetched only when allowed explicitly"
    )
    assert site.hits["/a.html"] == 0


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://files.example/a", "gopher://x.example/"])
def test_other_schemes_are_refused(url: str) -> None:
    error = _error(LOCAL, url)
    assert isinstance(error, BlockedURLError)
    assert error.reason == f"only http and https are fetched, not {url.split(':')[0]} URL {url}"


def test_every_redirect_hop_is_checked(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    # Pretend the test server is a public host, and give a second name the metadata address: the
    # first hop passes the check, the redirect to the metadata name must not.
    real_lookup, real_describe = socket.getaddrinfo, address.describe
    port = int(site.base.rsplit(":", 1)[1])
    names = {"origin.test": "127.0.0.1", "metadata.test": "169.254.169.254"}

    def lookup(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        return real_lookup(names.get(host, host), *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    monkeypatch.setattr(address, "describe", lambda ip: None if str(ip) == "127.0.0.1" else real_describe(ip))
    site.routes["/go"] = lambda h: respond(h, 302, headers={"Location": "http://metadata.test/latest/"})
    error = _error(FetchPolicy(delay=0, timeout=2), f"http://origin.test:{port}/go")
    assert isinstance(error, BlockedURLError)
    assert error.reason == (
        "redirected to http://metadata.test/latest/: refused: metadata.test resolves to 169.254.169.254, "
        "which is a cloud metadata address; private addresses are fetched only when allowed explicitly"
    )
    assert site.hits["/go"] == 1


def test_a_name_is_resolved_once_and_the_checked_address_is_the_one_connected(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    # DNS rebinding: the name answers 127.0.0.1 first and an unreachable address afterwards; a
    # fetcher that resolved again at connect time would go to the second one and time out.
    real_lookup = socket.getaddrinfo
    answers = iter(["127.0.0.1"] + ["192.0.2.1"] * 5)
    asked = []

    def lookup(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host == "rebind.test":
            asked.append(host)
            host = next(answers)
        return real_lookup(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    site.routes["/a.html"] = page(b"<p>pinned</p>")
    port = int(site.base.rsplit(":", 1)[1])
    with Fetcher(LOCAL) as fetcher:
        response = fetcher.get(f"http://rebind.test:{port}/a.html")
    assert (response.body, asked) == (b"<p>pinned</p>", ["rebind.test"])
    assert site.headers["/a.html"]["host"] == f"rebind.test:{port}"


def test_redirect_loop_is_named(site: Site) -> None:
    site.routes["/one"] = lambda h: respond(h, 301, headers={"Location": "/two"})
    site.routes["/two"] = lambda h: respond(h, 302, headers={"Location": site.url("/one")})
    error = _error(LOCAL, site.url("/one"))
    assert error.reason == f"redirect loop: {site.url('/one')} -> {site.url('/two')} -> {site.url('/one')}"
    assert not error.transient


def test_redirects_are_followed_to_the_final_url(site: Site) -> None:
    site.routes["/old"] = lambda h: respond(h, 308, headers={"Location": "/new"})
    site.routes["/new"] = page(b"<p>moved</p>")
    with Fetcher(LOCAL) as fetcher:
        response = fetcher.get(site.url("/old"))
    assert (response.url, response.body) == (site.url("/new"), b"<p>moved</p>")


@pytest.mark.parametrize(("status", "transient"), [(404, False), (410, False), (429, True), (500, True)])
def test_http_errors_name_the_status_and_whether_to_retry(site: Site, status: int, transient: bool) -> None:
    site.routes["/x"] = lambda h: respond(h, status, b"no")
    error = _error(LOCAL, site.url("/x"))
    assert (str(error), error.transient) == (f"{site.url('/x')}: HTTP {status}", transient)


def test_a_declared_huge_body_is_refused_before_reading(site: Site) -> None:
    def huge(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(1024**3))
        handler.end_headers()
        handler.wfile.write(b"<p>" * 1000)

    site.routes["/huge"] = huge
    assert _error(LOCAL, site.url("/huge")).reason == "response is 1024.0 MB; the limit is 1.0 MB"


def test_an_endless_body_is_cut_at_the_cap(site: Site) -> None:
    def endless(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Connection", "close")
        handler.end_headers()
        for _ in range(10_000):  # 640 MB if nobody stops reading
            handler.wfile.write(b"x" * 65536)

    site.routes["/endless"] = endless
    assert _error(LOCAL, site.url("/endless")).reason == "response is larger than 1.0 MB; not read further"


def test_a_gzip_bomb_is_cut_at_the_cap_after_decoding(site: Site) -> None:
    bomb = gzip.compress(b"\0" * (3 * 1024 * 1024))
    site.routes["/bomb"] = lambda h: respond(h, 200, bomb, {"Content-Encoding": "gzip"})
    assert len(bomb) < 100_000
    assert _error(LOCAL, site.url("/bomb")).reason == "response is larger than 1.0 MB; not read further"


def test_gzip_bodies_are_decoded(site: Site) -> None:
    site.routes["/z"] = lambda h: respond(
        h, 200, gzip.compress(b"<p>zipped</p>"), {"Content-Encoding": "gzip"}
    )
    with Fetcher(LOCAL) as fetcher:
        assert fetcher.get(site.url("/z")).body == b"<p>zipped</p>"


def test_a_trickling_server_hits_the_total_limit(site: Site) -> None:
    def trickle(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        for _ in range(200):  # one byte every 20 ms: each read is quick, the whole is not
            handler.wfile.write(b"x")
            handler.wfile.flush()
            time.sleep(0.02)

    site.routes["/slow"] = trickle
    policy = FetchPolicy(allow_private=True, delay=0, timeout=1, total_timeout=0.3)
    error = _error(policy, site.url("/slow"))
    assert (error.reason, error.transient) == ("gave up after 0.3 s: the server sends too slowly", True)


def test_a_silent_server_hits_the_read_timeout(site: Site) -> None:
    site.routes["/stall"] = lambda h: time.sleep(1)
    policy = FetchPolicy(allow_private=True, delay=0, timeout=0.2, total_timeout=5)
    error = _error(policy, site.url("/stall"))
    assert (error.reason, error.transient) == ("timed out after 0.2 s (waiting for data)", True)


def test_a_closed_port_is_a_transient_connection_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free now, and nobody listens once the socket closes
    error = _error(LOCAL, f"http://127.0.0.1:{port}/")
    assert error.reason.startswith("connection failed: ") and error.transient


def test_pacer_waits_out_the_delay_per_host() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(round(seconds, 3))
        now[0] += seconds

    pacer = Pacer(2.0, clock=lambda: now[0], sleep=sleep)
    import httpx

    pacer.wait(httpx.URL("http://a.example/1"))
    now[0] += 0.5
    pacer.wait(httpx.URL("http://a.example/2"))
    pacer.wait(httpx.URL("http://b.example/1"))
    pacer.set_delay("http://b.example/robots.txt", 5.0)
    pacer.wait(httpx.URL("http://b.example/2"))
    assert slept == [1.5, 5.0]


@pytest.mark.parametrize(
    ("ip", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("10.2.3.4", "private"),
        ("192.168.1.1", "private"),
        ("fd12::1", "private"),
        ("169.254.169.254", "cloud metadata"),
        ("fd00:ec2::254", "cloud metadata"),
        ("169.254.3.3", "link-local"),
        ("fe80::1", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("100.64.0.1", "reserved (not publicly routable)"),
        ("93.184.216.34", None),
        ("2606:4700::1111", None),
    ],
)
def test_address_kinds(ip: str, kind: str | None) -> None:
    assert address.describe(ipaddress.ip_address(ip)) == kind

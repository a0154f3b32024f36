"""A local HTTP server for the fetch tests: each test sets the routes it needs on `site`.

A route is a function of the request handler that writes the whole response itself, so a test can
send a 304, a redirect, an endless body or a trickle exactly as a misbehaving server would.
"""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

Route = Callable[[BaseHTTPRequestHandler], None]


class Site:
    def __init__(self, server: ThreadingHTTPServer) -> None:
        host, port = server.server_address[:2]
        self.base = f"http://{host}:{port}"
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.headers: dict[str, dict[str, str]] = {}  # the last request headers seen per path

    def url(self, path: str) -> str:
        return self.base + path


def respond(
    handler: BaseHTTPRequestHandler, status: int, body: bytes = b"", headers: dict[str, str] | None = None
) -> None:
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def page(body: bytes, content_type: str = "text/html; charset=utf-8", etag: str | None = None) -> Route:
    """A route serving `body`, answering 304 when the client already has this ETag."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        if etag is not None and handler.headers.get("If-None-Match") == etag:
            respond(handler, 304, headers={"ETag": etag})
            return
        headers = {"Content-Type": content_type}
        if etag is not None:
            headers["ETag"] = etag
        respond(handler, 200, body, headers)

    return route


def _handler_for(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            path = self.path
            site.hits[path] += 1
            site.headers[path] = {k.lower(): v for k, v in self.headers.items()}
            route = site.routes.get(path)
            if route is None:
                respond(self, 404, b"not here", {"Content-Type": "text/plain"})
                return
            # The client may hang up on purpose (size cap, timeout); that is the test passing.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                route(self)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def site() -> Iterator[Site]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    server.daemon_threads = True  # a trickling route may outlive the test; never wait for it
    holder = Site(server)
    server.RequestHandlerClass = _handler_for(holder)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield holder
    finally:
        server.shutdown()
        server.server_close()

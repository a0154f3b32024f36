"""Who may read and write: one shared token, compared in constant time, and the headers every page gets.

Writes (ingest) always need the token. Reads need it too when the server listens beyond loopback.
A browser proves it once with `?token=…` (Jupyter's way) or the login form and then carries an
HttpOnly, SameSite=Strict cookie; scripts send `Authorization: Bearer …` or `X-Storyline-Token`.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi import HTTPException, Request
from starlette.datastructures import URL, Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "storyline_token"
HEADER = "x-storyline-token"
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})
# No inline script, no third-party anything: article text that slipped through escaping still
# could not run. Styles come from our own stylesheet only (no style="" attributes either).
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost: only this machine can connect."""
    name = host.strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class Guard:
    """The token check. `token=None` leaves reads open and refuses every write."""

    def __init__(self, token: str | None, reads_need_token: bool) -> None:
        self.token = token
        self.reads_need_token = reads_need_token and token is not None

    def matches(self, value: str | None) -> bool:
        if not self.token or not value:
            return False
        return hmac.compare_digest(value.encode("utf-8"), self.token.encode("utf-8"))

    def presented(self, request: Request) -> str | None:
        """The token the request carries in a header or the cookie (the form field is checked apart)."""
        auth = request.headers.get("authorization", "")
        if auth[:7].lower() == "bearer ":
            return auth[7:].strip()
        return request.headers.get(HEADER) or request.cookies.get(COOKIE)

    def signed_in(self, request: Request) -> bool:
        return self.matches(self.presented(request))

    async def check_write(self, request: Request) -> None:
        """Raise 403/401 unless the request may write: same origin and carrying the token."""
        origin = request.headers.get("origin")
        if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
            # A cookie alone must never let another site post here (SameSite covers most browsers).
            raise HTTPException(403, "cross-site writes are refused")
        if self.token is None:
            raise HTTPException(403, "this server was started without a token, so it accepts no writes")
        if self.signed_in(request):
            return
        if "form" in request.headers.get("content-type", ""):
            form = await request.form()
            value = form.get("token")
            if isinstance(value, str) and self.matches(value):
                return
        raise HTTPException(
            401, "a valid token is needed to add articles (Authorization: Bearer TOKEN, or sign in)"
        )


def without_token(url: URL) -> str:
    """The same path and query with the `token` parameter removed (for the redirect after sign-in)."""
    query = [(k, v) for k, v in parse_qsl(url.query, keep_blank_values=True) if k != "token"]
    return url.path + ("?" + urlencode(query) if query else "")


def safe_next(target: str | None) -> str:
    """Only a local path may follow a sign-in: never `//host` or `https://…` (an open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


class BodyTooLarge(HTTPException):
    def __init__(self) -> None:
        super().__init__(413, "request body too large")


class BodyLimit:
    """ASGI middleware: a request body over `limit` bytes gets 413, before or while it is read.

    A declared Content-Length over the limit is refused before any byte is read; a chunked body is
    counted as it arrives. The overflow is raised as an HTTPException so that the app's own error
    handler words the answer (FastAPI passes HTTPExceptions through its body parsing).
    """

    def __init__(self, app: ASGIApp, limit: int, refuse: Callable[[Request], Response]) -> None:
        self.app = app
        self.limit = limit
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.limit:
            await self.refuse(Request(scope))(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise BodyTooLarge()
            return message

        await self.app(scope, counted, send)

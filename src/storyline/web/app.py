"""The FastAPI application: pages, API and exports over one store, with the token and CSP around them.

`create_app` wires the routers (one per concept, in `routes/`), the middleware (JSON suffix,
token gate, security headers) and one error shape: `{"error": {"status", "message"}}` for the
API and JSON requests, an error page for browsers.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.routing import Match

from storyline import __version__
from storyline.briefing.render_html import SPEAKER_HUES
from storyline.errors import StoreError, StorylineError
from storyline.model import Briefing
from storyline.web.pages import JsonSuffix, templates, wants_json
from storyline.web.routes import api, articles, ask, compare, entities, exports, ingest, stories
from storyline.web.schemas import ERRORS
from storyline.web.security import SECURITY_HEADERS, BodyLimit, Guard, without_token
from storyline.web.state import Workbench

OPEN_PATHS = ("/static/", "/login", "/assets/")
HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def create_app(
    db: str | Path,
    token: str | None = None,
    *,
    reads_need_token: bool = False,
    allowed_hosts: list[str] | None = None,
    briefing: Briefing | None = None,
    warm: bool = False,
) -> FastAPI:
    """The app over the store at `db`. `briefing` skips the first load when the caller has it."""
    bench = Workbench(db, briefing)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            threading.Thread(target=bench.warm, name="storyline-warm", daemon=True).start()
        yield

    app = FastAPI(
        title="storyline",
        version=__version__,
        summary="Cited briefings from news articles: stories, people, quotes, timeline.",
        docs_url=None,  # Swagger and ReDoc load scripts from a CDN; the schema is at /openapi.json
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.workbench = bench
    app.state.guard = Guard(token, reads_need_token)
    for module in (stories, compare, articles, entities, ask, ingest, api, exports):
        app.include_router(module.router, responses=ERRORS)
    app.include_router(ask.api, responses=ERRORS)
    # An ingest where nothing could be added answers 422 with the failures, not the error shape.
    app.include_router(
        ingest.api, responses={**ERRORS, 422: {"description": "Nothing was added; see failed"}}
    )
    app.mount("/static", StaticFiles(directory=str(files("storyline.web") / "static")), name="static")
    app.add_api_route("/assets/speakers.css", speakers_css, include_in_schema=False)
    app.add_exception_handler(HTTPException, http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StorylineError, storyline_error)  # type: ignore[arg-type]
    # Middleware runs outermost-last-added. The body limit sits innermost: an overflow it raises
    # inside a request must reach FastAPI's body parsing as a plain HTTPException, and the
    # "http" middlewares below would wrap it in an ExceptionGroup (they run the app in a task group).
    app.add_middleware(BodyLimit, limit=ingest.MAX_UPLOAD, refuse=too_large)
    app.middleware("http")(token_gate)
    app.middleware("http")(security_headers)
    if allowed_hosts:
        # Loopback servers check the Host header: a DNS-rebinding page cannot read them.
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.add_middleware(JsonSuffix)
    return app


Next = Callable[[Request], Awaitable[Response]]


async def security_headers(request: Request, call_next: Next) -> Response:
    response = await call_next(request)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


async def token_gate(request: Request, call_next: Next) -> Response:
    """`?token=` signs a browser in (cookie, then a redirect that drops it); closed reads need the token."""
    guard: Guard = request.app.state.guard
    offered = request.query_params.get("token")
    if offered is not None and request.method == "GET":
        if not guard.matches(offered):
            return error_response(request, 401, "that token is not right")
        response = RedirectResponse(without_token(request.url), status_code=303)
        ingest.set_token_cookie(response, offered)
        return response
    open_path = request.url.path.startswith(OPEN_PATHS)
    if guard.reads_need_token and not open_path and not guard.signed_in(request):
        if wants_json(request):
            return error_response(request, 401, "this server needs a token: send Authorization: Bearer TOKEN")
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    return await call_next(request)


async def http_error(request: Request, exc: HTTPException) -> Response:
    message = str(exc.detail)
    headers = getattr(exc, "headers", None)
    if exc.status_code == 413:
        message = _too_large_message()
    if exc.status_code == 405:
        headers = {**(headers or {}), "Allow": ", ".join(allowed_methods(request))}
    return error_response(request, exc.status_code, message, headers)


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path.

    Starlette's 405 names only the methods of the first route that matches the path, but one path
    can have a route per method (GET and POST /api/ask), and `Allow` must list them all.
    """
    # Routers may be nested (FastAPI keeps included routers whole), so each method is tried on the
    # app's own matching rather than read off a flat route list.
    return [
        method
        for method in HTTP_METHODS
        if any(
            r.matches({**request.scope, "method": method})[0] == Match.FULL for r in request.app.router.routes
        )
    ]


def too_large(request: Request) -> Response:
    return error_response(request, 413, _too_large_message())


def _too_large_message() -> str:
    return f"the upload is larger than the {ingest.MAX_UPLOAD // (1024 * 1024)} MB limit"


async def validation_error(request: Request, exc: RequestValidationError) -> Response:
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', 'invalid')}" for e in exc.errors()
    )
    return error_response(request, 422, problems or "invalid request")


async def storyline_error(request: Request, exc: StorylineError) -> Response:
    return error_response(request, 503 if isinstance(exc, StoreError) else 500, str(exc))


def error_response(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    if wants_json(request) or not request.url.path.startswith("/") or "/api/" in request.url.path:
        return JSONResponse({"error": {"status": status, "message": message}}, status, headers=headers)
    context = {"status": status, "message": message, "nav": "", "writes_enabled": True, "signed_in": False}
    return templates().TemplateResponse(request, "error.html", context, status_code=status, headers=headers)


def speakers_css() -> Response:
    """One colour class per speaker palette slot, from the static briefing's own hues."""
    lines = [".sp-none { --sp: #8a96a1; --sp-bg: #eceff2; }"]
    lines += [
        f".sp-{i} {{ --sp: hsl({hue} 60% 40%); --sp-bg: hsl({hue} 85% 92%); }}"
        for i, hue in enumerate(SPEAKER_HUES)
    ]
    return Response("\n".join(lines) + "\n", media_type="text/css", headers={"Cache-Control": "max-age=3600"})

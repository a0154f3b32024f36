"""How a page answers: HTML from a Jinja template, or the same data as JSON (datasette's habit).

JSON is chosen by a `.json` suffix on the page's URL (`/stories/ID.json`, `/.json` for the home
page) or by an Accept header that asks for JSON and not HTML. Templates autoescape everything;
nothing from an article is ever marked safe.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.types import ASGIApp, Receive, Scope, Send

from storyline.briefing.render import anchor_id, cite_anchor, format_date, template_environment
from storyline.briefing.render_html import speaker_class, toc_anchor
from storyline.briefing.view import TYPE_LABELS, SourceRef
from storyline.model import Cite
from storyline.story.signals import SIGNAL_LABELS
from storyline.story.signals import describe as describe_signal

JSON_FLAG = "storyline.json"
NOT_PAGES = ("/api/", "/static/", "/openapi.json")


class JsonSuffix:
    """ASGI middleware: `/x/y.json` is routed as `/x/y` with a flag that asks for JSON."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and path.endswith(".json") and not path.startswith(NOT_PAGES):
            stripped = path[: -len(".json")]
            state = {**scope.get("state", {}), JSON_FLAG: True}
            scope = {**scope, "path": "/" if stripped in ("", "/", "/index") else stripped, "state": state}
        await self.app(scope, receive, send)


def wants_json(request: Request) -> bool:
    if request.url.path.startswith("/api/") or request.scope.get("state", {}).get(JSON_FLAG):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def respond(
    request: Request, template: str, context: dict[str, Any], data: Any, status: int = 200
) -> Response:
    """The page as HTML, or `data` as JSON when the request asks for JSON. `data` may be a function
    giving it, for pages whose JSON is costly to build and an HTML reader never needs."""
    if wants_json(request):
        payload = data() if callable(data) else data
        return JSONResponse(jsonable_encoder(payload), status_code=status)
    return templates().TemplateResponse(request, template, context, status_code=status)


# --- URLs every template builds --------------------------------------------------------------


def article_url(article_id: str) -> str:
    return f"/articles/{quote(article_id, safe='')}"


def cite_url(cite: Cite) -> str:
    """The article view scrolled to the cited words, which it highlights."""
    return f"{article_url(cite.article)}?hl={cite.start}-{cite.end}#{cite_anchor(cite)}"


def entity_url(entity_id: str) -> str:
    return f"/entities/{quote(entity_id, safe='')}"


def story_url(story_id: str, page: str = "") -> str:
    return f"/stories/{quote(story_id, safe='')}" + (f"/{page}" if page else "")


def ref_cite(ref: SourceRef, articles_by_anchor: Mapping[str, str]) -> Cite:
    """The cite a view's `SourceRef` stands for (the ref names its article by anchor only)."""
    return Cite(articles_by_anchor.get(ref.article_anchor, ""), ref.start, ref.end)


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def signal_label(name: str) -> str:
    """The column heading for a signal: its reader-facing label."""
    return SIGNAL_LABELS[name][0] if name in SIGNAL_LABELS else name.replace("_", " ")


@functools.cache
def templates() -> Jinja2Templates:
    env = template_environment("storyline.web")
    env.globals.update(
        article_url=article_url,
        cite_url=cite_url,
        entity_url=entity_url,
        story_url=story_url,
        anchor_id=anchor_id,
        cite_anchor=cite_anchor,
        format_date=format_date,
        describe_signal=describe_signal,
        signal_label=signal_label,
        speaker_class=speaker_class,
        toc_anchor=toc_anchor,
        type_labels=TYPE_LABELS,
        plural=plural,
        quote_url=lambda value: quote(value, safe=""),
    )
    return Jinja2Templates(env=env)

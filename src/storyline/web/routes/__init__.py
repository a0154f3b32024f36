"""The app's routes, one module per concept; here, what every page handler shares.

`page()` adds the context every template reads (the snapshot, the navigation, who is signed in)
and answers HTML or JSON through `pages.respond`.
"""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import Response

from storyline.briefing.view import SourceRef, site_name
from storyline.model import Article
from storyline.web.pages import cite_url, ref_cite, respond
from storyline.web.security import Guard
from storyline.web.state import Snapshot, Workbench


def workbench(request: Request) -> Workbench:
    bench: Workbench = request.app.state.workbench
    return bench


def guard(request: Request) -> Guard:
    check: Guard = request.app.state.guard
    return check


def snapshot(request: Request) -> Snapshot:
    return workbench(request).snapshot


def page(request: Request, template: str, data: Any, nav: str, status: int = 200, **context: Any) -> Response:
    snap = snapshot(request)
    check = guard(request)

    def ref_url(ref: SourceRef) -> str:
        return cite_url(ref_cite(ref, snap.by_anchor))

    base = {
        "snap": snap,
        "nav": nav,
        "ref_url": ref_url,
        "writes_enabled": check.token is not None,
        "signed_in": check.signed_in(request),
        "site_name": site_name,
        "query": request.query_params.get("q", ""),
    }
    return respond(request, template, {**base, **context}, data, status)


def not_found(what: str, key: str) -> HTTPException:
    return HTTPException(404, f"no {what} with id {key!r} in this store")


def article_meta(snap: Snapshot, article: Article) -> dict[str, Any]:
    """An article without its text: what lists and the API's index show."""
    return {
        "id": article.id,
        "title": article.title,
        "site": site_name(article),
        "source": article.source,
        "url": article.url,
        "author": article.author,
        "published": article.published,
        "language": article.language,
        "duplicate_of": article.duplicate_of,
        "story": snap.story_of.get(article.id),
        "words": len(article.text.split()),
        "quotes": len(snap.quotes_by_article.get(article.id, [])),
        "removed": len(article.removed),
    }

"""The app's routes, one module per concept; here, what every page handler shares.

`page()` adds the context every template reads (the snapshot, the navigation, who is signed in)
and answers HTML or JSON through `pages.respond`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import HTTPException, Query, Request
from fastapi.responses import Response

from storyline.briefing.view import SourceRef, site_name
from storyline.web.pages import cite_url, ref_cite, respond
from storyline.web.security import Guard
from storyline.web.snapshot import StoreSnapshot
from storyline.web.state import Workbench

T = TypeVar("T")

# `?page=N` on the pages that list a whole store (stories, entities, sources).
PAGE_NUMBER = Query(1, alias="page", ge=1, description="page of the list, from 1")


@dataclass(frozen=True)
class Paging:
    """Which page of a long list a page shows: a store of thousands of articles is not one page."""

    number: int
    pages: int
    per_page: int
    total: int

    @classmethod
    def of(cls, total: int, asked: int, per_page: int) -> Paging:
        pages = max(1, -(-total // per_page))
        return cls(min(asked, pages), pages, per_page, total)

    def cut(self, items: Sequence[T]) -> Sequence[T]:
        return items[(self.number - 1) * self.per_page : self.number * self.per_page]

    def to_dict(self) -> dict[str, int]:
        return {"number": self.number, "pages": self.pages, "per_page": self.per_page, "total": self.total}


def workbench(request: Request) -> Workbench:
    bench: Workbench = request.app.state.workbench
    return bench


def guard(request: Request) -> Guard:
    check: Guard = request.app.state.guard
    return check


def snapshot(request: Request) -> StoreSnapshot:
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


def article_meta(snap: StoreSnapshot, article_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Articles without their text, in the order asked (unknown ids left out): what lists show."""
    return snap.article_metas(article_ids)

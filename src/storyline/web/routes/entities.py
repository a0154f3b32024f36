"""People and organisations: the index of canonical entities, and one entity's page.

An entity page gathers what the briefing holds about one actor: the names it goes by, the roles
sources give it (each with the sources), its quotes, stances and claims, the events it takes part
in, and where it is mentioned.
"""

from __future__ import annotations

import itertools
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from storyline.briefing.view import event_row, quote_row
from storyline.model import to_dict
from storyline.web.comparison import actor_stances, claim_card
from storyline.web.pages import entity_url
from storyline.web.routes import PAGE_NUMBER, Paging, not_found, page, snapshot

router = APIRouter(include_in_schema=False)

ENTITIES_PER_PAGE = 200
MENTIONED_PER_PAGE = 200  # articles in an entity's "Mentioned in" list


@router.get("/entities")
def entities(
    request: Request, kind: str | None = Query(None, alias="type"), page_number: int = PAGE_NUMBER
) -> Response:
    snap = snapshot(request)
    chosen = kind.upper() if kind else None
    paging = Paging.of(snap.entity_count(chosen), page_number, ENTITIES_PER_PAGE)
    # The page's rows only, sorted by the catalog (type, most mentioned, most articles, name).
    rows = [
        _Row(r) for r in snap.entity_lines(chosen, (paging.number - 1) * paging.per_page, paging.per_page)
    ]
    groups = [(t, list(g)) for t, g in itertools.groupby(rows, key=lambda r: r.type)]
    data = {"entities": [r.data for r in rows], "page": paging.to_dict()}
    base = f"/entities?{urlencode({'type': kind})}&" if kind else "/entities?"
    return page(
        request,
        "entities.html",
        data,
        nav="entities",
        groups=groups,
        types=snap.types,
        chosen=kind,
        paging=paging,
        page_base=base,
    )


@router.get("/entities/{entity_id}")
def entity(request: Request, entity_id: str, page_number: int = PAGE_NUMBER) -> Response:
    snap = snapshot(request)
    found = snap.entity(entity_id)
    if found is None:
        raise not_found("entity", entity_id)
    paging = Paging.of(snap.mentioned_in_count(found.id), page_number, MENTIONED_PER_PAGE)
    # What the page shows of the actor, as a small briefing: its quotes, events, claims and
    # stances, the articles they cite and the entities they name.
    part, row = snap.entity_part(found)
    quotes, events = part.briefing.quotes, part.briefing.events
    claims, stances = part.briefing.claims, part.briefing.stances
    mentioned_in = snap.mentioned_in(found.id, (paging.number - 1) * paging.per_page, paging.per_page)

    def data() -> dict[str, object]:  # every mention of a widely named entity: only for JSON
        return {
            "entity": to_dict(found),
            "quotes": [to_dict(q) for q in quotes],
            "stances": [to_dict(s) for s in stances],
            "claims": [to_dict(c) for c in claims],
            "events": [to_dict(e) for e in events],
        }

    return page(
        request,
        "entity.html",
        data,
        nav="entities",
        e=found,
        row=row,
        quotes=[quote_row(part.view, q) for q in quotes],
        colour=part.view.colour(found.id),
        events=[event_row(part.view, e) for e in events],
        stances=actor_stances(part.view, found.id, snap.issue_order),
        claims=[claim_card(part.view, c, c.id in part.disputed) for c in claims],
        mentioned_in=mentioned_in,
        paging=paging,
        page_base=f"{entity_url(found.id)}?",
    )


class _Row:
    """A row of the entities list as the catalog keeps it: counts, and each role's number of sources."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.id, self.name, self.type = data["id"], data["name"], data["type"]
        self.mentions, self.articles, self.variants = data["mentions"], data["articles"], data["variants"]
        self.roles = [(r["role"], r["sources"]) for r in data["roles"]]

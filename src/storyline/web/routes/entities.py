"""People and organisations: the index of canonical entities, and one entity's page.

An entity page gathers what the briefing holds about one actor: the names it goes by, the roles
sources give it (each with the sources), its quotes, stances and claims, the events it takes part
in, and where it is mentioned.
"""

from __future__ import annotations

import itertools
from collections import Counter
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
    rows = snap.entity_rows
    if kind:
        rows = [r for r in rows if r.type == kind.upper()]
    paging = Paging.of(len(rows), page_number, ENTITIES_PER_PAGE)
    rows = list(paging.cut(rows))
    groups = [(t, list(g)) for t, g in itertools.groupby(rows, key=lambda r: r.type)]
    data = {"entities": [_row_data(r) for r in rows], "page": paging.to_dict()}
    types = Counter(e.type for e in snap.briefing.entities)
    base = f"/entities?{urlencode({'type': kind})}&" if kind else "/entities?"
    return page(
        request,
        "entities.html",
        data,
        nav="entities",
        groups=groups,
        types=types,
        chosen=kind,
        paging=paging,
        page_base=base,
    )


@router.get("/entities/{entity_id}")
def entity(request: Request, entity_id: str, page_number: int = PAGE_NUMBER) -> Response:
    snap = snapshot(request)
    found = snap.view.entities.get(entity_id)
    if found is None:
        raise not_found("entity", entity_id)
    row = snap.entity_row_by_id[found.id]
    index = snap.view.index
    quotes = [snap.briefing.quotes[n] for n in index.speaker_quotes.get(found.id, ())]
    events = [snap.briefing.events[n] for n in index.actor_events.get(found.id, ())]
    claims = [snap.briefing.claims[n] for n in index.actor_claims.get(found.id, ())]
    stances = [snap.briefing.stances[n] for n in index.actor_stances.get(found.id, ())]
    mentions = index.mention_counts[found.id]
    mentioned_in = [(snap.view.articles[a], n) for a, n in mentions.most_common() if a in snap.view.articles]
    paging = Paging.of(len(mentioned_in), page_number, MENTIONED_PER_PAGE)

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
        quotes=[quote_row(snap.view, q) for q in quotes],
        colour=snap.view.colour(found.id),
        events=[event_row(snap.view, e) for e in events],
        stances=actor_stances(snap.view, found.id, snap.issue_order),
        claims=[claim_card(snap.view, c, c.id in snap.disputed) for c in claims],
        mentioned_in=paging.cut(mentioned_in),
        paging=paging,
        page_base=f"{entity_url(found.id)}?",
    )


def _row_data(row: object) -> dict[str, object]:
    data = to_dict(row)
    data["roles"] = [{"role": role, "sources": len(refs)} for role, refs in data["roles"]]
    return data

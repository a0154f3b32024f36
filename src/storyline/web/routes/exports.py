"""Exports under `/api/export`: the briefing in each registered format, CSV tables, GraphML.

The briefing formats go through the renderer registry (`briefing.render`), so a plugin format is
downloadable too. The HTML export is the self-contained briefing page, served sandboxed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from storyline.briefing import render
from storyline.briefing.view import site_name
from storyline.web.network import actor_graph, to_graphml
from storyline.web.routes import snapshot

router = APIRouter(prefix="/api/export", tags=["exports"])
QUOTE_COLUMNS = "id story article site speaker_id speaker kind text cue start end".split()
MEDIA = {"json": "application/json", "md": "text/markdown", "html": "text/html"}
# briefing.html carries its own inline CSS; it gets styles but no script, in a sandbox.
EXPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


@router.get("/briefing.{fmt}", summary="The whole briefing as json, md or html (or a plugin format)")
def briefing(request: Request, fmt: str) -> Response:
    try:
        renderer = render.get(fmt)
    except KeyError:
        raise HTTPException(404, f"no format {fmt!r}; choose from {', '.join(render.names())}") from None
    body = renderer(snapshot(request).briefing)
    media = MEDIA.get(fmt, "text/plain")
    headers = {"Content-Disposition": f'inline; filename="briefing.{fmt}"'}
    if fmt == "html":
        headers["Content-Security-Policy"] = EXPORT_CSP
    return Response(body, media_type=f"{media}; charset=utf-8", headers=headers)


@router.get("/quotes.csv", summary="Every quote as one CSV row")
def quotes_csv(request: Request) -> Response:
    snap = snapshot(request)
    rows = [
        (
            q.id,
            snap.story_of.get(q.cite.article, ""),
            q.cite.article,
            site_name(snap.view.articles[q.cite.article]) if q.cite.article in snap.view.articles else "",
            q.speaker or "",
            snap.view.entity_name(q.speaker) or q.speaker_text or "",
            q.kind,
            q.text,
            q.cue or "",
            q.cite.start,
            q.cite.end,
        )
        for q in snap.briefing.quotes
    ]
    return _csv("quotes.csv", QUOTE_COLUMNS, rows)


@router.get("/entities.csv", summary="Every canonical entity as one CSV row")
def entities_csv(request: Request) -> Response:
    rows = [
        (
            e.id,
            e.name,
            e.type,
            " | ".join(e.variants),
            " | ".join(dict.fromkeys(r.role for r in e.roles)),
            len(e.mentions),
            len(e.articles),
        )
        for e in snapshot(request).briefing.entities
    ]
    return _csv("entities.csv", "id name type variants roles mentions articles".split(), rows)


@router.get("/network.graphml", summary="The actor network as GraphML (story= to restrict it)")
def network_graphml(request: Request, story: str | None = None) -> Response:
    snap = snapshot(request)
    try:
        ids = snap.story_articles(story)
    except KeyError:
        raise HTTPException(404, f"no story with id {story!r} in this store") from None
    body = to_graphml(actor_graph(snap.briefing, ids))
    headers = {"Content-Disposition": 'attachment; filename="network.graphml"'}
    return Response(body, media_type="application/graphml+xml", headers=headers)


def _csv(name: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    # A cell that starts with = + - @ would run as a formula in a spreadsheet: quote it as text.
    writer.writerows(tuple(_cell(v) for v in row) for row in rows)
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


def _cell(value: object) -> object:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value

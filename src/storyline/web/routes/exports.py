"""Exports under `/api/export`: the briefing in each registered format, tables as CSV or Parquet, GraphML.

The briefing formats go through the renderer registry (`briefing.render`), so a plugin format is
downloadable too. The HTML export is the self-contained briefing page, served sandboxed. Each table
is built once as rows and written as CSV (text, for spreadsheets) or Parquet (typed, via pyarrow).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response, StreamingResponse

from storyline.briefing import render
from storyline.web.exporting import BUILT_IN, whole, written
from storyline.web.network import actor_graph, to_graphml
from storyline.web.routes import snapshot
from storyline.web.snapshot import StoreSnapshot

router = APIRouter(prefix="/api/export", tags=["exports"])
QUOTE_COLUMNS = "id story article site speaker_id speaker kind text cue start end".split()
ENTITY_COLUMNS = "id name type variants roles mentions articles".split()
# Parquet keeps what CSV flattens: offsets and counts stay integers, variants and roles stay lists,
# and a missing value is null rather than "".
INTEGER_COLUMNS = {"start", "end", "mentions", "articles"}
LIST_COLUMNS = {"variants", "roles"}
PARQUET_MEDIA = "application/vnd.apache.parquet"
MEDIA = {"json": "application/json", "md": "text/markdown", "html": "text/html"}
# briefing.html carries its own inline CSS; it gets styles but no script, in a sandbox.
EXPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


@router.get("/briefing.{fmt}", summary="The whole briefing as json, md or html (or a plugin format)")
def briefing(request: Request, fmt: str) -> Response:
    try:
        renderer = render.get(fmt)
    except KeyError:
        raise HTTPException(404, f"no format {fmt!r}; choose from {', '.join(render.names())}") from None
    media = MEDIA.get(fmt, "text/plain")
    headers = {"Content-Disposition": f'inline; filename="briefing.{fmt}"'}
    if fmt == "html":
        headers["Content-Security-Policy"] = EXPORT_CSP
    snap = snapshot(request)
    # A row, or a story, at a time: the JSON of a large store is ~100 MB, never built whole in memory.
    pieces = written(snap, BUILT_IN[renderer]) if renderer in BUILT_IN else iter([renderer(whole(snap))])
    return StreamingResponse(pieces, media_type=f"{media}; charset=utf-8", headers=headers)


@router.get("/quotes.csv", summary="Every quote as one CSV row")
def quotes_csv(request: Request) -> Response:
    return _csv("quotes.csv", QUOTE_COLUMNS, _quote_rows(snapshot(request)))


@router.get("/entities.csv", summary="Every canonical entity as one CSV row")
def entities_csv(request: Request) -> Response:
    return _csv("entities.csv", ENTITY_COLUMNS, _entity_rows(snapshot(request)))


@router.get("/{table}.parquet", summary="A table (quotes or entities) as Parquet, one row per item")
def table_parquet(request: Request, table: str) -> Response:
    if table not in TABLES:
        raise HTTPException(404, f"no table {table!r}; choose from {', '.join(TABLES)}")
    columns, rows = TABLES[table]
    headers = {"Content-Disposition": f'attachment; filename="{table}.parquet"'}
    return Response(_parquet(columns, rows(snapshot(request))), media_type=PARQUET_MEDIA, headers=headers)


@router.get("/network.graphml", summary="The actor network as GraphML (story= to restrict it)")
def network_graphml(request: Request, story: str | None = None) -> Response:
    snap = snapshot(request)
    if story is None:
        graph = snap.network[0]
    else:
        pos = snap.story_pos(story)
        if pos is None:
            raise HTTPException(404, f"no story with id {story!r} in this store")
        part = snap.part(pos)
        ids = set(part.briefing.stories[0].articles)
        graph = actor_graph(part.briefing, ids, view=part.view, mentions_by_article=part.mentions_by_article)
    body = to_graphml(graph)
    headers = {"Content-Disposition": 'attachment; filename="network.graphml"'}
    return Response(body, media_type="application/graphml+xml", headers=headers)


def _quote_rows(snap: StoreSnapshot) -> list[tuple[object, ...]]:
    cat = snap.catalog
    # Looked up once per download (the last of an id wins, as a look-up by id keeps it).
    where = {
        i: (story, site) for i, story, site in cat.rows("SELECT id, story, site FROM articles ORDER BY pos")
    }
    sql = (
        "SELECT id, json_extract(head, '$.name') FROM entities"
        " WHERE id IN (SELECT DISTINCT speaker FROM quotes) ORDER BY pos"
    )
    names: dict[str, str] = dict(cat.rows(sql))
    rows: list[tuple[object, ...]] = []
    for (body,) in cat.stream("SELECT body FROM quotes ORDER BY pos"):
        q = json.loads(body)
        cite, speaker = q["cite"], q["speaker"]
        story, site = where.get(cite["article"], (None, None))
        name = names.get(speaker, speaker) if speaker else None
        row = (q["id"], story, cite["article"], site, speaker, name or q["speaker_text"] or None)
        rows.append((*row, q["kind"], q["text"], q["cue"], cite["start"], cite["end"]))
    return rows


def _entity_rows(snap: StoreSnapshot) -> list[tuple[object, ...]]:
    return [
        tuple(json.loads(row)) for (row,) in snap.catalog.stream("SELECT sheet FROM entities ORDER BY pos")
    ]


Rows = Callable[[StoreSnapshot], list[tuple[object, ...]]]
TABLES: dict[str, tuple[list[str], Rows]] = {
    "quotes": (QUOTE_COLUMNS, _quote_rows),
    "entities": (ENTITY_COLUMNS, _entity_rows),
}


def _parquet(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    def arrow_type(column: str) -> pa.DataType:
        if column in INTEGER_COLUMNS:
            return pa.int64()
        return pa.list_(pa.string()) if column in LIST_COLUMNS else pa.string()

    schema = pa.schema([(c, arrow_type(c)) for c in columns])
    table = pa.Table.from_pylist([dict(zip(columns, row, strict=True)) for row in rows], schema=schema)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return bytes(sink.getvalue().to_pybytes())


def _csv(name: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    # A cell that starts with = + - @ would run as a formula in a spreadsheet: quote it as text.
    writer.writerows(tuple(_cell(v) for v in row) for row in rows)
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


def _cell(value: object) -> object:
    if isinstance(value, list):
        value = " | ".join(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value

"""The read API under `/api`: the briefing's tables as JSON, in the contract's own shapes.

Each list is one query on the catalog (`web.catalog`), whose rows are already the contract's JSON:
they are sent as they are, not decoded and validated again per request.

Lists filter by `story` (and by speaker, actor, type, issue or entity where that makes sense) and
take `offset` and `limit` to be read a part at a time; an
unknown story or id is a 404 in the app's one error shape, `{"error": {"status", "message"}}`.
Every answer is declared (`web.schemas`), so /openapi.json says exactly what comes back.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from storyline.model import Claim, Entity, Event, Quote, Signal, Stance, Story
from storyline.web.catalog import dumps
from storyline.web.routes import not_found, snapshot
from storyline.web.schemas import ArticleInStory, ArticleMeta, ConflictOut, EntitySummary, StoryTimelineEntry
from storyline.web.snapshot import IN, StoreSnapshot

router = APIRouter(prefix="/api")

T = TypeVar("T")

MOST = 10_000


def window(
    offset: int = Query(0, ge=0, description="items to skip"),
    limit: int | None = Query(None, ge=1, le=MOST, description="items to return at most (default: all)"),
) -> slice:
    """The part of a list a client asked for: large stores hold tens of thousands of items."""
    return slice(offset, None if limit is None else offset + limit)


Part = Annotated[slice, Depends(window)]


Rows = Sequence[tuple[Any, ...]]


@router.get("/stories", tags=["stories"], summary="Every story with its summary, takeaways, FAQ and timeline",
            response_model=list[Story])  # fmt: skip
def stories(request: Request, part: Part) -> Response:
    return _listed(request, "stories", [], part)


@router.get("/stories/{story_id}", tags=["stories"], summary="One story", response_model=Story)
def story(request: Request, story_id: str) -> Response:
    row = snapshot(request).catalog.one(
        "SELECT body FROM stories WHERE id = ? ORDER BY pos LIMIT 1", (story_id,)
    )
    if row is None:
        raise not_found("story", story_id)
    return _json(row[0])


@router.get(
    "/articles", tags=["articles"], summary="Articles without their text", response_model=list[ArticleMeta]
)
def articles(request: Request, part: Part, story: str | None = None) -> Response:
    snap = snapshot(request)
    where = _of_story(snap, story, "id")
    return _listed(request, "articles", [where], part, column="meta")


@router.get("/articles/{article_id}", tags=["articles"], summary="One article with its cleaned text",
            response_model=ArticleInStory)  # fmt: skip
def article(request: Request, article_id: str) -> Response:
    snap = snapshot(request)
    found = snap.catalog.one(
        "SELECT body FROM articles WHERE id = ? ORDER BY pos DESC LIMIT 1", (article_id,)
    )
    if found is None:
        raise not_found("article", article_id)
    data = json.loads(found[0])
    data["story"] = snap.article_story(article_id)
    return _json(dumps(data))


@router.get("/entities", tags=["entities"], summary="Canonical entities (mentions counted, not listed)",
            response_model=list[EntitySummary])  # fmt: skip
def entities(
    request: Request,
    part: Part,
    story: str | None = None,
    kind: str | None = Query(None, alias="type"),
) -> Response:
    snap = snapshot(request)
    where = [("type = ?", [kind.upper()]) if kind else None]
    ids = snap.story_articles(story) if story is not None and snap.story_pos(story) is not None else None
    if story is not None and ids is None:
        raise not_found("story", story)
    if ids is not None:
        # In the story when it lists one of the story's articles (as the old filter read `articles`).
        sql = f"pos IN (SELECT entity FROM entity_articles WHERE listed != '[]' AND article IN ({IN}))"
        where.append((sql, [json.dumps(ids)]))
    return _listed(request, "entities", where, part, column="summary")


@router.get("/entities/{entity_id}", tags=["entities"], summary="One entity with every mention",
            response_model=Entity)  # fmt: skip
def entity(request: Request, entity_id: str) -> Response:
    row = snapshot(request).catalog.one(
        "SELECT body FROM entities WHERE id = ? ORDER BY pos DESC LIMIT 1", (entity_id,)
    )
    if row is None:
        raise not_found("entity", entity_id)
    return _json(row[0])


@router.get("/quotes", tags=["quotes"], summary="Quotes, with speaker and cite", response_model=list[Quote])
def quotes(
    request: Request,
    part: Part,
    story: str | None = None,
    speaker: str | None = None,
    article: str | None = None,
) -> Response:
    where = [
        _of_story(snapshot(request), story, "article"),
        _equal("speaker", speaker),
        _equal("article", article),
    ]
    return _listed(request, "quotes", where, part)


@router.get("/claims", tags=["claims"], summary="Claims with how many independent sources make each",
            response_model=list[Claim])  # fmt: skip
def claims(
    request: Request,
    part: Part,
    story: str | None = None,
    actor: str | None = None,
    single_source: bool | None = Query(None, description="true: only one source makes it; false: several"),
) -> Response:
    _of_story(snapshot(request), story, "article")  # an unknown story is a 404
    single = None if single_source is None else int(single_source)
    where = [_equal("story", story), _equal("actor", actor), _equal("single", single)]
    return _listed(request, "claims", where, part)


@router.get("/claims/{claim_id}", tags=["claims"], summary="One claim", response_model=Claim)
def claim(request: Request, claim_id: str) -> Response:
    row = snapshot(request).catalog.one(
        "SELECT body FROM claims WHERE id = ? ORDER BY pos DESC LIMIT 1", (claim_id,)
    )
    if row is None:
        raise not_found("claim", claim_id)
    return _json(row[0])


@router.get("/conflicts", tags=["claims"], summary="Where sources disagree, each side with its cites",
            response_model=list[ConflictOut])  # fmt: skip
def conflicts(
    request: Request,
    part: Part,
    story: str | None = None,
    kind: str | None = Query(None, alias="type"),
) -> Response:
    _of_story(snapshot(request), story, "article")
    return _listed(request, "conflicts", [_equal("story", story), _equal("kind", kind)], part)


@router.get("/stances", tags=["stances"], summary="Actors' stances on issues (support, oppose, …)",
            response_model=list[Stance])  # fmt: skip
def stances(
    request: Request,
    part: Part,
    story: str | None = None,
    actor: str | None = None,
    issue: str | None = None,
) -> Response:
    snap = snapshot(request)
    where = [_equal("actor", actor), _equal("issue", issue)]
    ids = snap.story_articles(story) if story is not None and snap.story_pos(story) is not None else None
    if story is not None and ids is None:
        raise not_found("story", story)
    if ids is not None:  # in the story when one of its cites is
        where.append(
            (f"pos IN (SELECT stance FROM stance_articles WHERE article IN ({IN}))", [json.dumps(ids)])
        )
    return _listed(request, "stances", where, part)


@router.get("/signals", tags=["signals"], summary="Per-article signals with their evidence",
            response_model=list[Signal])  # fmt: skip
def signals(
    request: Request,
    part: Part,
    story: str | None = None,
    article: str | None = None,
    signal: str | None = None,
) -> Response:
    where = [
        _of_story(snapshot(request), story, "article"),
        _equal("article", article),
        _equal("signal", signal),
    ]
    return _listed(request, "signals", where, part)


@router.get("/events", tags=["events"], summary="Who-did-what-to-whom events (PLOVER types)",
            response_model=list[Event])  # fmt: skip
def events(
    request: Request,
    part: Part,
    story: str | None = None,
    kind: str | None = Query(None, alias="type"),
    entity: str | None = None,
) -> Response:
    where = [_of_story(snapshot(request), story, "article"), _equal("type", kind.upper() if kind else None)]
    if entity is not None:
        where.append(("(source = ? OR target = ?)", [entity, entity]))
    return _listed(request, "events", where, part)


@router.get("/timeline", tags=["timeline"], summary="Dated entries of every story (or one)",
            response_model=list[StoryTimelineEntry])  # fmt: skip
def timeline(request: Request, part: Part, story: str | None = None) -> Response:
    _of_story(snapshot(request), story, "article")
    return _listed(request, "timeline", [_equal("story", story)], part)


Where = tuple[str, list[Any]] | None  # an SQL condition and its parameters (None: no condition)


def _of_story(snap: StoreSnapshot, story: str | None, column: str) -> Where:
    """`column` (an article id) among the story's articles; a 404 for an unknown story."""
    try:
        ids = snap.story_articles(story)
    except KeyError:
        raise not_found("story", story or "") from None
    return None if ids is None else (f"{column} IN ({IN})", [json.dumps(ids)])


def _equal(column: str, value: object) -> Where:
    return None if value is None else (f"{column} = ?", [value])


def _listed(request: Request, table: str, where: list[Where], part: slice, column: str = "body") -> Response:
    """The table's rows that pass every condition, in the briefing's order, the part asked for."""
    conditions = [w for w in where if w is not None]
    sql = f"SELECT {column} FROM {table}"
    if conditions:
        sql += " WHERE " + " AND ".join(c for c, _ in conditions)
    params = [p for _, ps in conditions for p in ps]
    limit = -1 if part.stop is None else part.stop - part.start
    rows: Rows = snapshot(request).catalog.rows(
        f"{sql} ORDER BY pos LIMIT ? OFFSET ?", [*params, limit, part.start]
    )
    return _json("[" + ",".join(r[0] for r in rows) + "]")


def _json(text: str) -> Response:
    return Response(text, media_type="application/json")

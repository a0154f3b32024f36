"""The read API under `/api`: the briefing's tables as JSON, in the contract's own shapes.

Lists filter by `story` (and by speaker, actor, type, issue or entity where that makes sense) and
take `offset` and `limit` to be read a part at a time; an
unknown story or id is a 404 in the app's one error shape, `{"error": {"status", "message"}}`.
Every answer is declared (`web.schemas`), so /openapi.json says exactly what comes back.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from itertools import islice
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Query, Request

from storyline.model import Cite, Claim, Entity, Event, Quote, Signal, Stance, Story, to_dict
from storyline.web.routes import article_meta, not_found, snapshot
from storyline.web.schemas import ArticleInStory, ArticleMeta, ConflictOut, EntitySummary, StoryTimelineEntry
from storyline.web.state import Snapshot

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


@router.get("/stories", tags=["stories"], summary="Every story with its summary, takeaways, FAQ and timeline")
def stories(request: Request, part: Part) -> list[Story]:
    return list(snapshot(request).briefing.stories[part])


@router.get("/stories/{story_id}", tags=["stories"], summary="One story")
def story(request: Request, story_id: str) -> Story:
    for found in snapshot(request).briefing.stories:
        if found.id == story_id:
            return found
    raise not_found("story", story_id)


@router.get("/articles", tags=["articles"], summary="Articles without their text")
def articles(request: Request, part: Part, story: str | None = None) -> list[ArticleMeta]:
    snap = snapshot(request)
    ids = _in_story(snap, story)
    return _part(
        (
            ArticleMeta.model_validate(article_meta(snap, a))
            for a in snap.briefing.articles
            if ids is None or a.id in ids
        ),
        part,
    )


@router.get("/articles/{article_id}", tags=["articles"], summary="One article with its cleaned text")
def article(request: Request, article_id: str) -> ArticleInStory:
    snap = snapshot(request)
    found = snap.view.articles.get(article_id)
    if found is None:
        raise not_found("article", article_id)
    return ArticleInStory(**_fields(found), story=snap.story_of.get(found.id))


@router.get("/entities", tags=["entities"], summary="Canonical entities (mentions counted, not listed)")
def entities(
    request: Request,
    part: Part,
    story: str | None = None,
    kind: str | None = Query(None, alias="type"),
) -> list[EntitySummary]:
    snap = snapshot(request)
    ids = _in_story(snap, story)
    return _part(
        (
            # Mentions counted, not converted: to_dict would copy every cite of the store's entities.
            EntitySummary.model_validate(
                {**_fields(e), "roles": to_dict(e.roles), "mentions": len(e.mentions)}
            )
            for e in snap.briefing.entities
            if not (kind and e.type != kind.upper()) and (ids is None or ids & set(e.articles))
        ),
        part,
    )


@router.get("/entities/{entity_id}", tags=["entities"], summary="One entity with every mention")
def entity(request: Request, entity_id: str) -> Entity:
    found = snapshot(request).view.entities.get(entity_id)
    if found is None:
        raise not_found("entity", entity_id)
    return found


@router.get("/quotes", tags=["quotes"], summary="Quotes, with speaker and cite")
def quotes(
    request: Request,
    part: Part,
    story: str | None = None,
    speaker: str | None = None,
    article: str | None = None,
) -> list[Quote]:
    snap = snapshot(request)
    ids = _in_story(snap, story)
    return _part(
        (
            q
            for q in snap.briefing.quotes
            if (ids is None or q.cite.article in ids)
            and (speaker is None or q.speaker == speaker)
            and (article is None or q.cite.article == article)
        ),
        part,
    )


@router.get("/claims", tags=["claims"], summary="Claims with how many independent sources make each")
def claims(
    request: Request,
    part: Part,
    story: str | None = None,
    actor: str | None = None,
    single_source: bool | None = Query(None, description="true: only one source makes it; false: several"),
) -> list[Claim]:
    snap = snapshot(request)
    _in_story(snap, story)
    return _part(
        (
            c
            for c in snap.briefing.claims
            if (story is None or c.story == story)
            and (actor is None or c.actor == actor)
            and (single_source is None or c.single_source == single_source)
        ),
        part,
    )


@router.get("/claims/{claim_id}", tags=["claims"], summary="One claim")
def claim(request: Request, claim_id: str) -> Claim:
    found = snapshot(request).view.claims.get(claim_id)
    if found is None:
        raise not_found("claim", claim_id)
    return found


@router.get("/conflicts", tags=["claims"], summary="Where sources disagree, each side with its cites")
def conflicts(
    request: Request,
    part: Part,
    story: str | None = None,
    kind: str | None = Query(None, alias="type"),
) -> list[ConflictOut]:
    snap = snapshot(request)
    _in_story(snap, story)
    # Only the part asked for is validated (with its union-typed sides): all of a store of 19,000
    # articles' 17,000 conflicts took ~40 MB held, or their time on every request.
    chosen = _part(
        (
            c
            for c in snap.briefing.conflicts
            if (story is None or c.story == story) and (kind is None or c.kind == kind)
        ),
        part,
    )
    return [ConflictOut.model_validate(to_dict(c)) for c in chosen]


@router.get("/stances", tags=["stances"], summary="Actors' stances on issues (support, oppose, …)")
def stances(
    request: Request,
    part: Part,
    story: str | None = None,
    actor: str | None = None,
    issue: str | None = None,
) -> list[Stance]:
    snap = snapshot(request)
    ids = _in_story(snap, story)
    return _part(
        (
            s
            for s in snap.briefing.stances
            if _any_in(s.cites, ids)
            and (actor is None or s.actor == actor)
            and (issue is None or s.issue == issue)
        ),
        part,
    )


@router.get("/signals", tags=["signals"], summary="Per-article signals with their evidence")
def signals(
    request: Request,
    part: Part,
    story: str | None = None,
    article: str | None = None,
    signal: str | None = None,
) -> list[Signal]:
    snap = snapshot(request)
    ids = _in_story(snap, story)
    return _part(
        (
            s
            for s in snap.briefing.signals
            if (ids is None or s.article in ids)
            and (article is None or s.article == article)
            and (signal is None or s.signal == signal)
        ),
        part,
    )


@router.get("/events", tags=["events"], summary="Who-did-what-to-whom events (PLOVER types)")
def events(
    request: Request,
    part: Part,
    story: str | None = None,
    kind: str | None = Query(None, alias="type"),
    entity: str | None = None,
) -> list[Event]:
    snap = snapshot(request)
    ids = _in_story(snap, story)
    return _part(
        (
            e
            for e in snap.briefing.events
            if (ids is None or e.cite.article in ids)
            and (kind is None or e.type == kind.upper())
            and (entity is None or entity in (e.source, e.target))
        ),
        part,
    )


@router.get("/timeline", tags=["timeline"], summary="Dated entries of every story (or one)")
def timeline(request: Request, part: Part, story: str | None = None) -> list[StoryTimelineEntry]:
    snap = snapshot(request)
    _in_story(snap, story)
    entries = (
        StoryTimelineEntry(**_fields(entry), story=s.id)
        for s in snap.briefing.stories
        if story is None or s.id == story
        for entry in s.timeline
    )
    return _part(entries, part)


def _in_story(snap: Snapshot, story: str | None) -> set[str] | None:
    try:
        return snap.story_articles(story)
    except KeyError:
        raise not_found("story", story or "") from None


def _part(items: Iterable[T], part: slice) -> list[T]:
    return list(islice(items, part.start, part.stop))


def _any_in(cites: Iterable[Cite], ids: set[str] | None) -> bool:
    return ids is None or any(c.article in ids for c in cites)


def _fields(value: Any) -> dict[str, Any]:
    """A model value's fields by name, one level deep (the model's classes have slots, no `vars`)."""
    return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}

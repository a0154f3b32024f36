"""The read API under `/api`: the briefing's tables as JSON, in the contract's own shapes.

Lists filter by `story` (and by speaker, type or entity where that makes sense); an unknown id
is a 404 in the app's one error shape, `{"error": {"status", "message"}}`.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from storyline.model import to_dict
from storyline.web.routes import article_meta, not_found, snapshot
from storyline.web.state import Snapshot

router = APIRouter(prefix="/api")


@router.get("/stories", tags=["stories"], summary="Every story with its summary and timeline")
def stories(request: Request) -> list[dict[str, Any]]:
    return [to_dict(s) for s in snapshot(request).briefing.stories]


@router.get("/stories/{story_id}", tags=["stories"], summary="One story")
def story(request: Request, story_id: str) -> dict[str, Any]:
    for found in snapshot(request).briefing.stories:
        if found.id == story_id:
            return dict(to_dict(found))
    raise not_found("story", story_id)


@router.get("/articles", tags=["articles"], summary="Articles without their text")
def articles(request: Request, story: str | None = None) -> list[dict[str, Any]]:
    snap = snapshot(request)
    ids = _in_story(snap, story)
    return [article_meta(snap, a) for a in snap.briefing.articles if ids is None or a.id in ids]


@router.get("/articles/{article_id}", tags=["articles"], summary="One article with its cleaned text")
def article(request: Request, article_id: str) -> dict[str, Any]:
    snap = snapshot(request)
    found = snap.view.articles.get(article_id)
    if found is None:
        raise not_found("article", article_id)
    return {**to_dict(found), "story": snap.story_of.get(found.id)}


@router.get("/entities", tags=["entities"], summary="Canonical entities (mentions counted, not listed)")
def entities(
    request: Request, story: str | None = None, kind: str | None = Query(None, alias="type")
) -> list[dict[str, Any]]:
    snap = snapshot(request)
    ids = _in_story(snap, story)
    out = []
    for e in snap.briefing.entities:
        if (kind and e.type != kind.upper()) or (ids is not None and not ids & set(e.articles)):
            continue
        data = to_dict(e)
        data["mentions"] = len(e.mentions)
        out.append(data)
    return out


@router.get("/entities/{entity_id}", tags=["entities"], summary="One entity with every mention")
def entity(request: Request, entity_id: str) -> dict[str, Any]:
    found = snapshot(request).view.entities.get(entity_id)
    if found is None:
        raise not_found("entity", entity_id)
    return dict(to_dict(found))


@router.get("/quotes", tags=["quotes"], summary="Quotes, with speaker and cite")
def quotes(
    request: Request, story: str | None = None, speaker: str | None = None, article: str | None = None
) -> list[dict[str, Any]]:
    snap = snapshot(request)
    ids = _in_story(snap, story)
    return [
        to_dict(q)
        for q in snap.briefing.quotes
        if (ids is None or q.cite.article in ids)
        and (speaker is None or q.speaker == speaker)
        and (article is None or q.cite.article == article)
    ]


@router.get("/events", tags=["events"], summary="Who-did-what-to-whom events (PLOVER types)")
def events(
    request: Request,
    story: str | None = None,
    kind: str | None = Query(None, alias="type"),
    entity: str | None = None,
) -> list[dict[str, Any]]:
    snap = snapshot(request)
    ids = _in_story(snap, story)
    return [
        to_dict(e)
        for e in snap.briefing.events
        if (ids is None or e.cite.article in ids)
        and (kind is None or e.type == kind.upper())
        and (entity is None or entity in (e.source, e.target))
    ]


@router.get("/timeline", tags=["timeline"], summary="Dated entries of every story (or one)")
def timeline(request: Request, story: str | None = None) -> list[dict[str, Any]]:
    snap = snapshot(request)
    _in_story(snap, story)
    return [
        {"story": s.id, **to_dict(entry)}
        for s in snap.briefing.stories
        if story is None or s.id == story
        for entry in s.timeline
    ]


def _in_story(snap: Snapshot, story: str | None) -> set[str] | None:
    try:
        return snap.story_articles(story)
    except KeyError:
        raise not_found("story", story or "") from None

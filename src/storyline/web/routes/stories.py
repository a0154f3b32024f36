"""Story pages: the list of stories, one story's overview, its timeline, who said what, the network.

Grouping, ordering and footnote numbers come from `briefing.view` (the static briefing's own
view-model), so the workbench and briefing.html always say the same.
"""

from __future__ import annotations

import dataclasses

from fastapi import APIRouter, Request
from fastapi.responses import Response

from storyline.briefing.view import StoryView, story_view
from storyline.model import Story, to_dict
from storyline.web.charts import timeline_chart
from storyline.web.comparison import claim_board
from storyline.web.network import actor_graph, picture
from storyline.web.routes import PAGE_NUMBER, Paging, article_meta, not_found, page, snapshot
from storyline.web.state import Snapshot

router = APIRouter(include_in_schema=False)

STORIES_PER_PAGE = 50


@router.get("/")
def home(request: Request, page_number: int = PAGE_NUMBER) -> Response:
    snap = snapshot(request)
    paging = Paging.of(len(snap.briefing.stories), page_number, STORIES_PER_PAGE)
    # Only the page's stories are laid out: a store of thousands of stories would otherwise group
    # and number every one of them for each request.
    shown = paging.cut(snap.briefing.stories)
    data = {
        "stories": [_story_card(snap, story_view(snap.view, s)) for s in shown],
        "unassigned": [article_meta(snap, a) for a in snap.view.unassigned_articles()]
        if paging.number == 1
        else [],
        "counts": _counts(snap),
        "page": paging.to_dict(),
    }
    return page(
        request,
        "home.html",
        data,
        nav="stories",
        cards=data["stories"],
        page_counts=data["counts"],
        data_unassigned=data["unassigned"],
        paging=paging,
        page_base="/?",
    )


@router.get("/stories/{story_id}")
def story(request: Request, story_id: str) -> Response:
    snap = snapshot(request)
    found, view = find_story(snap, story_id)
    data = {"story": to_dict(found), "articles": [article_meta(snap, a) for a in view.articles]}
    board = claim_board(snap.view, found.id)
    return page(request, "story.html", data, nav="stories", s=view, story=found, board=board, tab="overview")


@router.get("/stories/{story_id}/timeline")
def timeline(request: Request, story_id: str) -> Response:
    snap = snapshot(request)
    found, view = find_story(snap, story_id)
    chart = timeline_chart(found.timeline, view.anchor)
    data = {
        "story": found.id,
        "timeline": [to_dict(t) for t in found.timeline],
        "chart": dataclasses.asdict(chart) if chart else None,
    }
    rows = list(zip(found.timeline, view.timeline, strict=True))
    return page(request, "timeline.html", data, nav="stories", s=view, chart=chart, rows=rows, tab="timeline")


@router.get("/stories/{story_id}/quotes")
def who_said_what(request: Request, story_id: str) -> Response:
    snap = snapshot(request)
    found, view = find_story(snap, story_id)
    groups = view.quote_groups
    data = {"story": found.id, "title": found.title, "speakers": [dataclasses.asdict(g) for g in groups]}
    most = max((len(g.quotes) for g in groups), default=1)
    return page(request, "quotes.html", data, nav="stories", s=view, groups=groups, most=most, tab="quotes")


@router.get("/network")
def network(request: Request) -> Response:
    return _network_page(request, None)


@router.get("/stories/{story_id}/network")
def story_network(request: Request, story_id: str) -> Response:
    return _network_page(request, story_id)


def _network_page(request: Request, story_id: str | None) -> Response:
    snap = snapshot(request)
    view = find_story(snap, story_id)[1] if story_id else None
    if view is None:
        graph, art = snap.network  # the whole store's: built once per load
    else:
        graph = actor_graph(
            snap.briefing,
            {a.id for a in view.articles},
            view=snap.view,
            mentions_by_article=snap.mentions_by_article,
        )
        art = picture(graph)
    data = {
        "story": story_id,
        "nodes": [{"id": n.id, "name": n.name, "type": n.type, "degree": n.degree} for n in art.nodes],
        "links": [to_dict(link) for link in graph.links],
    }
    return page(request, "network.html", data, nav="network", s=view, art=art, graph=graph, tab="network")


def find_story(snap: Snapshot, story_id: str) -> tuple[Story, StoryView]:
    """The story and its view; a 404 for an unknown id."""
    for found in snap.briefing.stories:
        if found.id == story_id:
            return found, story_view(snap.view, found)
    raise not_found("story", story_id)


def _story_card(snap: Snapshot, view: StoryView) -> dict[str, object]:
    ids = {a.id for a in view.articles}
    people = [e.name for e in view.entities if e.type == "PERSON"][:5]
    return {
        "id": view.id,
        "title": view.title,
        "articles": len(view.articles),
        "sites": view.sites,
        "date_range": view.date_range,
        "lead": view.summary[0].text if view.summary else None,
        "people": people,
        "quotes": sum(len(snap.quotes_by_article.get(a, [])) for a in ids),
        "dated_events": len(view.timeline),
    }


def _counts(snap: Snapshot) -> dict[str, int]:
    b = snap.briefing
    return {
        "stories": len(b.stories),
        "articles": len(b.articles),
        "sources": snap.view.site_count(),
        "people": sum(1 for e in b.entities if e.type == "PERSON"),
        "entities": len(b.entities),
        "quotes": len(b.quotes),
        "speakers": len({q.speaker for q in b.quotes if q.speaker}),
        "events": len(b.events),
    }

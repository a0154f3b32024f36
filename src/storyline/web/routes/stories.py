"""Story pages: the list of stories, one story's overview, its timeline, who said what, the network.

Grouping, ordering and footnote numbers come from `briefing.view` (the static briefing's own
view-model), so the workbench and briefing.html always say the same.
"""

from __future__ import annotations

import dataclasses

from fastapi import APIRouter, Request
from fastapi.responses import Response

from storyline.briefing.view import StoryView
from storyline.model import Story, to_dict
from storyline.web.charts import timeline_chart
from storyline.web.comparison import claim_board
from storyline.web.network import actor_graph, picture
from storyline.web.routes import PAGE_NUMBER, Paging, article_meta, not_found, page, snapshot
from storyline.web.snapshot import StoreSnapshot
from storyline.web.state import Snapshot

router = APIRouter(include_in_schema=False)

STORIES_PER_PAGE = 50


@router.get("/")
def home(request: Request, page_number: int = PAGE_NUMBER) -> Response:
    snap = snapshot(request)
    paging = Paging.of(snap.counts["stories"], page_number, STORIES_PER_PAGE)
    # Only the page's cards are read: each was laid out when the catalog was written.
    cards = snap.cards((paging.number - 1) * paging.per_page, paging.per_page)
    data = {
        "stories": cards,
        "unassigned": snap.unassigned_metas() if paging.number == 1 and snap.unassigned else [],
        "counts": dict(snap.counts),
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
    part, found, view = find_story(snap, story_id)
    data = {"story": to_dict(found), "articles": article_meta(snap, [a.id for a in view.articles])}
    board = claim_board(part.view, found.id)
    return page(request, "story.html", data, nav="stories", s=view, story=found, board=board, tab="overview")


@router.get("/stories/{story_id}/timeline")
def timeline(request: Request, story_id: str) -> Response:
    found, view = find_story(snapshot(request), story_id)[1:]
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
    found, view = find_story(snapshot(request), story_id)[1:]
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
    if story_id is None:
        view = None
        graph, art = snap.network  # the whole store's: built once per load
    else:
        part, _, view = find_story(snap, story_id)
        graph = actor_graph(
            part.briefing,
            {a.id for a in view.articles},
            view=part.view,
            mentions_by_article=part.mentions_by_article,
        )
        art = picture(graph)
    data = {
        "story": story_id,
        "nodes": [{"id": n.id, "name": n.name, "type": n.type, "degree": n.degree} for n in art.nodes],
        "links": [to_dict(link) for link in graph.links],
    }
    return page(request, "network.html", data, nav="network", s=view, art=art, graph=graph, tab="network")


def find_story(snap: StoreSnapshot, story_id: str) -> tuple[Snapshot, Story, StoryView]:
    """The story's own part of the briefing, the story and its view; a 404 for an unknown id."""
    pos = snap.story_pos(story_id)
    if pos is None:
        raise not_found("story", story_id)
    part = snap.part(pos)
    found = part.briefing.stories[0]
    return part, found, part.story_view(found)

"""The workbench's catalog says what the whole briefing says: a story's slice lays out as the whole
briefing lays the story out, the API's lists filter and page as a scan of the whole briefing did,
the exports are the whole briefing's text and the whole store's network is the same graph."""

from __future__ import annotations

import gc
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from webdata import TOKEN, compared_briefing, copy_store

from storyline.briefing import render_html, render_md
from storyline.briefing.view import BriefingView, entity_rows, story_view
from storyline.model import Article, Briefing, Signal, to_dict
from storyline.web import create_app
from storyline.web.comparison import claim_board, stance_matrix
from storyline.web.highlight import article_runs
from storyline.web.network import actor_graph
from storyline.web.snapshot import StoreSnapshot
from storyline.web.state import Snapshot
from storyline.web.store_network import store_graph


def two_stories() -> Briefing:
    """`compared_briefing` cut in two stories, one article each, plus a copy of the first article
    in the second story: claims, stances and a conflict of one story cite the other's article."""
    b = compared_briefing()
    copy = replace(b.articles[0], id="a3", source="tests/copy.txt", site="Copy Daily", duplicate_of="a1")
    first = replace(b.stories[0], articles=("a1",))
    second = replace(b.stories[0], id="s2", title="The harbour side", articles=("a2", "a3"), faq=())
    signals = (*b.signals, Signal("a3", "copied", 1.0, ()))
    return replace(b, articles=(*b.articles, copy), stories=(first, second), signals=signals)


@pytest.fixture(scope="module", params=["demo", "two stories", "compared"])
def briefing(request: pytest.FixtureRequest, demo_store: tuple[Path, Briefing]) -> Briefing:
    if request.param == "demo":
        return demo_store[1]
    return two_stories() if request.param == "two stories" else compared_briefing()


@pytest.fixture(scope="module")
def store(briefing: Briefing) -> StoreSnapshot:
    return StoreSnapshot.of_briefing(briefing, 1)


def test_each_story_slice_lays_out_as_the_whole_briefing_does(
    briefing: Briefing, store: StoreSnapshot
) -> None:
    whole = BriefingView(briefing)
    for pos, story in enumerate(briefing.stories):
        part = store.part(pos)
        ids = set(story.articles)
        assert part.view.colours == whole.colours
        assert part.story_view(story) == story_view(whole, story)
        assert render_md.story_lines(part.view, part.story_view(story)) == render_md.story_lines(
            whole, story_view(whole, story)
        )
        assert claim_board(part.view, story.id) == claim_board(whole, story.id)
        assert stance_matrix(part.view, ids) == stance_matrix(whole, ids)
        graph = actor_graph(briefing, ids)
        cut = actor_graph(part.briefing, ids, view=part.view, mentions_by_article=part.mentions_by_article)
        assert cut.links == graph.links and cut.degree == graph.degree
        assert [(n.id, n.name, n.type) for n in cut.nodes] == [(n.id, n.name, n.type) for n in graph.nodes]


def test_an_article_page_reads_the_same_marks_from_its_slice(
    briefing: Briefing, store: StoreSnapshot
) -> None:
    whole = Snapshot.of(briefing, 1)
    for article in briefing.articles:
        part = store.article_part(article.id)
        assert article_runs(part, article, None) == article_runs(whole, article, None)
        assert part.quotes_by_article.get(article.id) == whole.quotes_by_article.get(article.id)
        assert part.claims_by_article.get(article.id) == whole.claims_by_article.get(article.id)
        assert part.view.signals(article.id) == whole.view.signals(article.id)


def test_the_whole_store_network_is_the_graph_of_the_whole_briefing(
    briefing: Briefing, store: StoreSnapshot
) -> None:
    assert store_graph(store) == actor_graph(briefing)
    # Cut at fewer actors, ties in degree go the same way (by id).
    for limit in (1, 2, 3, 5, 8):
        assert store_graph(store, limit) == actor_graph(briefing, limit=limit)


def test_entity_list_rows_are_sorted_and_counted_as_the_whole_view_does(
    briefing: Briefing, store: StoreSnapshot
) -> None:
    view = BriefingView(briefing)
    expected = []
    for row in entity_rows(view, set(view.articles)):
        data = to_dict(row)
        data["roles"] = [{"role": role, "sources": len(refs)} for role, refs in data["roles"]]
        expected.append(data)
    assert store.entity_lines(None, 0, 10_000) == expected
    assert store.entity_lines("PERSON", 1, 2) == [r for r in expected if r["type"] == "PERSON"][1:3]


def _contract(items: Any) -> Any:
    return json.loads(json.dumps(to_dict(list(items)), ensure_ascii=False))


def test_api_lists_filter_and_page_as_a_scan_of_the_whole_briefing(
    briefing: Briefing, tmp_path: Path
) -> None:
    client = TestClient(create_app(tmp_path / "store.db", TOKEN, briefing=briefing))
    b = briefing
    story = b.stories[-1]
    ids = set(story.articles)
    speaker = next((q.speaker for q in b.quotes if q.speaker), "nobody")
    actor = next((s.actor for s in b.stances), "nobody")
    checks: list[tuple[str, dict[str, Any], list[Any]]] = [
        ("stories", {"offset": 1}, list(b.stories[1:])),
        ("quotes", {"story": story.id}, [q for q in b.quotes if q.cite.article in ids]),
        ("quotes", {"speaker": speaker, "limit": 2}, [q for q in b.quotes if q.speaker == speaker][:2]),
        ("claims", {"story": story.id}, [c for c in b.claims if c.story == story.id]),
        ("claims", {"single_source": "false"}, [c for c in b.claims if not c.single_source]),
        ("conflicts", {"story": story.id}, [c for c in b.conflicts if c.story == story.id]),
        ("stances", {"story": story.id}, [s for s in b.stances if any(c.article in ids for c in s.cites)]),
        ("stances", {"actor": actor, "offset": 1}, [s for s in b.stances if s.actor == actor][1:]),
        ("signals", {"story": story.id}, [s for s in b.signals if s.article in ids]),
        ("events", {"type": "reject"}, [e for e in b.events if e.type == "REJECT"]),
        ("events", {"story": story.id, "offset": 1, "limit": 3},
         [e for e in b.events if e.cite.article in ids][1:4]),
    ]  # fmt: skip
    for table, params, expected in checks:
        assert client.get(f"/api/{table}", params=params).json() == _contract(expected), (table, params)
    entities = client.get("/api/entities", params={"story": story.id, "type": "person"}).json()
    assert [e["id"] for e in entities] == [
        e.id for e in b.entities if e.type == "PERSON" and ids & set(e.articles)
    ]
    assert all(e["mentions"] == len(b.entity(e["id"]).mentions) for e in entities)
    timeline = client.get("/api/timeline", params={"story": story.id}).json()
    assert timeline == [{**to_dict(t), "story": story.id} for t in story.timeline]
    listed = client.get("/api/articles", params={"story": story.id}).json()
    assert [a["id"] for a in listed] == [a.id for a in b.articles if a.id in ids]
    assert all(a["story"] is not None and "text" not in a for a in listed)
    article = client.get(f"/api/articles/{b.articles[0].id}").json()
    assert article == {**_contract([b.articles[0]])[0], "story": article["story"]}
    assert client.get("/api/stances", params={"story": "no-such-story"}).status_code == 404


def test_exports_are_the_whole_briefing_text(briefing: Briefing, tmp_path: Path) -> None:
    client = TestClient(create_app(tmp_path / "store.db", TOKEN, briefing=briefing))
    assert client.get("/api/export/briefing.json").text == briefing.to_json()
    assert client.get("/api/export/briefing.md").text == render_md.render(briefing)
    assert client.get("/api/export/briefing.html").text == render_html.render(briefing)


def test_articles_in_no_story_export_as_the_whole_briefing_does(tmp_path: Path) -> None:
    b = compared_briefing()
    alone = Article("a9", "tests/alone.txt", "An article no story lists.", title="Alone", site="Nowhere")
    b = replace(b, articles=(*b.articles, alone))
    client = TestClient(create_app(tmp_path / "store.db", TOKEN, briefing=b))
    assert client.get("/api/export/briefing.md").text == render_md.render(b)
    assert client.get("/api/export/briefing.html").text == render_html.render(b)
    home = client.get("/.json").json()
    assert [a["id"] for a in home["unassigned"]] == ["a9"]
    assert client.get("/articles/a9").status_code == 200


def test_a_snapshot_let_go_removes_its_catalog() -> None:
    store = StoreSnapshot.of_briefing(compared_briefing(), 1)
    folder = store.catalog.folder
    store.part(0)
    assert (folder / "catalog.sqlite").is_file()
    del store
    gc.collect()
    assert not folder.exists()


def test_a_store_is_catalogued_from_its_plan_as_its_briefing(
    demo_store: tuple[Path, Briefing], tmp_path: Path
) -> None:
    db, briefing = demo_store
    client = TestClient(create_app(copy_store(db, tmp_path), TOKEN))
    data = client.get("/api/export/briefing.json").json()
    same = replace(briefing, generated_at=data["generated_at"])
    assert data == same.to_dict()
    assert client.get("/api/export/briefing.md").text == render_md.render(same)
    story = same.stories[0]
    assert client.get(f"/api/stories/{story.id}").json() == to_dict(story)
    assert client.get("/.json").json()["counts"]["articles"] == len(same.articles)

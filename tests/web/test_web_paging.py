"""Large stores are read a page at a time: the story list shows 50 stories a page, API lists take
`offset` and `limit`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from webdata import TOKEN, tiny_briefing

from storyline.web import create_app
from storyline.web.routes.stories import STORIES_PER_PAGE


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    base = tiny_briefing()
    story = base.stories[0]
    stories = tuple(replace(story, id=f"s{n}", title=f"Story number {n}") for n in range(120))
    db = Path(tmp_path_factory.mktemp("paging")) / "store.db"
    return TestClient(create_app(db, TOKEN, briefing=replace(base, stories=stories)))


def test_the_story_list_shows_one_page_of_stories_with_links_to_the_others(client: TestClient) -> None:
    assert STORIES_PER_PAGE == 50
    first = client.get("/.json").json()
    assert [s["title"] for s in first["stories"]] == [f"Story number {n}" for n in range(50)]
    assert first["page"] == {"number": 1, "pages": 3, "per_page": 50, "total": 120}
    assert first["counts"]["stories"] == 120
    last = client.get("/?page=3")
    assert "Story number 119" in last.text and "Story number 99<" not in last.text
    assert 'rel="prev" href="/?page=2"' in last.text and 'rel="next"' not in last.text
    assert "Page 3 of 3 · 101–120 of 120" in last.text
    beyond = client.get("/.json?page=9").json()
    assert beyond["page"]["number"] == 3 and len(beyond["stories"]) == 20
    assert client.get("/?page=0").status_code == 422


def test_api_lists_take_offset_and_limit(client: TestClient) -> None:
    ids = [s["id"] for s in client.get("/api/stories", params={"offset": 10, "limit": 5}).json()]
    assert ids == ["s10", "s11", "s12", "s13", "s14"]
    assert len(client.get("/api/stories").json()) == 120
    assert len(client.get("/api/timeline", params={"limit": 3}).json()) == 3
    names = [e["name"] for e in client.get("/api/entities", params={"offset": 1}).json()]
    assert names == ["Tom Hale", "council"]
    assert client.get("/api/quotes", params={"limit": 0}).status_code == 422


def _many_entities_and_articles():  # type: ignore[no-untyped-def]
    base = tiny_briefing()
    article = base.articles[0]
    articles = tuple(
        replace(article, id=f"a{n}", title=f"Report {n}", site=f"Site {n:03d}") for n in range(1, 251)
    )
    person = base.entities[0]
    entities = tuple(
        replace(
            person,
            id=f"p{n}",
            name=f"Person {n:03d}",
            variants=(),
            mentions=(replace(person.mentions[0], article=f"a{n}"),),
            articles=(f"a{n}",),
        )
        for n in range(1, 251)
    )
    story = replace(base.stories[0], articles=tuple(a.id for a in articles))
    return replace(base, articles=articles, entities=entities, stories=(story,), quotes=(), events=())


def test_the_entity_and_source_lists_are_paged(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    client = TestClient(create_app(db, TOKEN, briefing=_many_entities_and_articles()))
    first = client.get("/entities.json").json()
    assert first["page"] == {"number": 1, "pages": 2, "per_page": 200, "total": 250}
    assert len(first["entities"]) == 200
    second = client.get("/entities?type=person&page=2")
    assert second.status_code == 200 and "Person 250" in second.text and "Person 001<" not in second.text
    assert 'href="/entities?type=person&amp;page=1"' in second.text
    sources = client.get("/sources.json?page=2").json()
    assert [a["site"] for a in sources["articles"]] == [f"Site {n:03d}" for n in range(201, 251)]
    assert "250 articles" in client.get("/sources").text
    assert client.get("/entities/p7").status_code == 200


def test_an_entity_named_in_many_articles_lists_them_a_page_at_a_time(tmp_path: Path) -> None:
    from storyline.web.routes.entities import MENTIONED_PER_PAGE

    base = _many_entities_and_articles()
    person = base.entities[0]
    everywhere = replace(
        person,
        mentions=tuple(replace(person.mentions[0], article=a.id) for a in base.articles),
        articles=tuple(a.id for a in base.articles),
    )
    briefing = replace(base, entities=(everywhere, *base.entities[1:]))
    client = TestClient(create_app(tmp_path / "store.db", TOKEN, briefing=briefing))
    first = client.get(f"/entities/{everywhere.id}")
    assert first.status_code == 200 and MENTIONED_PER_PAGE == 200
    assert first.text.count("· 1 mention<") == 200
    assert f'rel="next" href="/entities/{everywhere.id}?page=2"' in first.text
    second = client.get(f"/entities/{everywhere.id}?page=2")
    assert second.text.count("· 1 mention<") == 50 and "Page 2 of 2 · 201–250 of 250" in second.text

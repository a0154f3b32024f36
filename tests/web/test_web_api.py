"""The HTTP API and the pages' JSON twins over the demo store (built once per session).

Expected values come from the briefing the store holds, never from the demo's wording, so these
tests hold when the demo corpus changes.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from webdata import TOKEN

from storyline.model import Briefing
from storyline.web import create_app


@pytest.fixture(scope="module")
def client(demo_store: tuple[Path, Briefing]) -> TestClient:
    db, briefing = demo_store
    return TestClient(create_app(db, TOKEN, briefing=briefing))


@pytest.fixture(scope="module")
def briefing(demo_store: tuple[Path, Briefing]) -> Briefing:
    return demo_store[1]


def test_every_page_renders_with_the_security_headers(client: TestClient, briefing: Briefing) -> None:
    story = briefing.stories[0]
    speaker = next(q.speaker for q in briefing.quotes if q.speaker)
    for url in [
        "/",
        f"/stories/{story.id}",
        f"/stories/{story.id}/timeline",
        f"/stories/{story.id}/claims",
        f"/stories/{story.id}/stances",
        f"/stories/{story.id}/quotes",
        f"/stories/{story.id}/network",
        "/network",
        f"/articles/{story.articles[0]}",
        "/entities",
        "/entities?type=PERSON",
        f"/entities/{speaker}",
        "/sources",
        "/ask",
        "/add",
        "/login",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-type"].startswith("text/html"), url
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, url
        # No inline script at all: every <script> loads our static file.
        assert re.findall(r"<script(?![^>]*\bsrc=)", response.text) == [], url


def test_pages_answer_json_by_suffix_and_by_accept_header(client: TestClient, briefing: Briefing) -> None:
    story = briefing.stories[0]
    home = client.get("/.json").json()
    assert [s["title"] for s in home["stories"]] == [s.title for s in briefing.stories]
    assert home["counts"]["articles"] == len(briefing.articles)
    by_header = client.get(f"/stories/{story.id}", headers={"Accept": "application/json"}).json()
    assert by_header == client.get(f"/stories/{story.id}.json").json()
    assert by_header["story"]["id"] == story.id and len(by_header["story"]["summary"]) == len(story.summary)
    quotes = client.get(f"/stories/{story.id}/quotes.json").json()
    in_story = {q.speaker for q in briefing.quotes if q.cite.article in story.articles}
    assert {g["speaker_id"] for g in quotes["speakers"]} == in_story
    article = client.get(f"/articles/{story.articles[0]}.json").json()
    assert article["article"]["text"] == briefing.article(story.articles[0]).text


def test_api_lists_the_briefing_tables(client: TestClient, briefing: Briefing) -> None:
    story = briefing.stories[0]
    assert [s["id"] for s in client.get("/api/stories").json()] == [s.id for s in briefing.stories]
    assert client.get(f"/api/stories/{story.id}").json()["title"] == story.title
    articles = client.get("/api/articles").json()
    assert sorted(a["id"] for a in articles) == sorted(a.id for a in briefing.articles)
    assert "text" not in articles[0]
    people = client.get("/api/entities", params={"type": "person"}).json()
    assert people and {e["type"] for e in people} == {"PERSON"}
    speaker = next(q.speaker for q in briefing.quotes if q.speaker)
    theirs = client.get("/api/quotes", params={"speaker": speaker}).json()
    assert len(theirs) == sum(1 for q in briefing.quotes if q.speaker == speaker)
    assert len(client.get("/api/events").json()) == len(briefing.events)
    timeline = client.get("/api/timeline", params={"story": story.id}).json()
    assert [t["text"] for t in timeline] == [t.text for t in story.timeline]
    entity = client.get(f"/api/entities/{speaker}").json()
    assert len(entity["mentions"]) == len(briefing.entity(speaker).mentions)


def test_a_wrong_method_is_told_every_method_the_path_has(client: TestClient) -> None:
    # GET and POST /api/ask are two routes; Starlette alone would name only the first in Allow.
    response = client.delete("/api/ask")
    assert response.status_code == 405 and response.headers["allow"] == "GET, POST"
    assert response.json()["error"]["status"] == 405


def test_unknown_ids_get_the_one_error_shape(client: TestClient) -> None:
    for url in ["/api/articles/nope", "/api/stories/nope", "/api/quotes?story=nope", "/stories/nope.json"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["error"]["status"] == 404, url
    page = client.get("/entities/nope")
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]


def test_ask_answers_with_cites_that_link_to_the_article_view(client: TestClient, briefing: Briefing) -> None:
    # The question is a sentence of the corpus itself, so some sentence must answer it.
    article = next(a for a in briefing.articles if a.duplicate_of is None and a.sentences)
    start, end = max(article.sentences, key=lambda s: s[1] - s[0])
    result = client.get("/api/ask", params={"q": article.text[start:end]}).json()
    assert result["answered"]
    cite = result["passages"][0]["cites"][0]
    link = result["passages"][0]["links"][0]
    span = f"{cite['start']}-{cite['end']}"
    assert link == f"/articles/{cite['article']}?hl={span}#c-{cite['article']}-{span}"
    page = client.get(link.split("#")[0])
    assert f'id="c-{cite["article"]}-{cite["start"]}-{cite["end"]}"' in page.text
    assert 'class="target"' in page.text
    posted = client.post("/api/ask", json={"question": article.text[start:end], "sentences": 1}).json()
    assert len(posted["passages"]) == 1
    assert client.get("/api/ask", params={"q": ""}).status_code == 422


def test_exports(client: TestClient, briefing: Briefing) -> None:
    data = client.get("/api/export/briefing.json").json()
    assert data["schema"] == "storyline.briefing/1" and len(data["articles"]) == len(briefing.articles)
    assert client.get("/api/export/briefing.md").text.startswith("#")
    html = client.get("/api/export/briefing.html")
    assert "sandbox" in html.headers["content-security-policy"] and "<html" in html.text
    assert client.get("/api/export/briefing.pdf").status_code == 404
    quotes = list(csv.reader(io.StringIO(client.get("/api/export/quotes.csv").text)))
    assert quotes[0][:3] == ["id", "story", "article"] and len(quotes) == len(briefing.quotes) + 1
    entities = list(csv.DictReader(io.StringIO(client.get("/api/export/entities.csv").text)))
    assert [e["id"] for e in entities] == [e.id for e in briefing.entities]
    graphml = ET.fromstring(client.get("/api/export/network.graphml").text)
    nodes = {n.get("id") for n in graphml.iter("{http://graphml.graphdrawing.org/xmlns}node")}
    assert nodes == {n["id"] for n in client.get("/network.json").json()["nodes"]}


def test_openapi_documents_the_api(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    tables = "stories articles entities quotes events timeline claims conflicts stances signals ask ingest"
    for name in tables.split():
        assert f"/api/{name}" in schema["paths"], name
    claims = schema["paths"]["/api/claims"]["get"]["responses"]
    assert claims["200"]["content"]["application/json"]["schema"]["items"] == {
        "$ref": "#/components/schemas/Claim"
    }
    assert claims["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorBody"
    }
    sides = schema["components"]["schemas"]["ConflictOut"]["properties"]["sides"]["items"]["anyOf"]
    assert [side["$ref"].rsplit("/", 1)[1] for side in sides] == ["ClaimSide", "QuoteSide", "EntitySide"]
    assert "post" in schema["paths"]["/api/ingest"] and "post" in schema["paths"]["/api/ask"]
    assert "/api/export/quotes.csv" in schema["paths"]
    assert not any(p.startswith("/stories") for p in schema["paths"])  # pages are not the API
    json.dumps(schema)

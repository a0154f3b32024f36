"""The comparison pages and API over a briefing written here: claims, conflicts, stances, signals.

The pipeline does not fill these tables for every corpus yet, so the briefing is built by hand
(`webdata.compared_briefing`): two invented outlets, one corroborated claim, two single-source
claims that conflict on a date, four stances (one actor mixed), three signals.
"""

from __future__ import annotations

import re
from dataclasses import asdict, replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from webdata import EVIL, TEXT, TEXT2, TOKEN, compared_briefing, span

from storyline.briefing.view import BriefingView
from storyline.model import ConflictSide, Stance
from storyline.web import create_app
from storyline.web.comparison import actor_stances, claim_board, stance_matrix
from storyline.web.highlight import article_runs
from storyline.web.state import Snapshot

ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    db = tmp_path_factory.mktemp("web-compare") / "store.db"
    return TestClient(create_app(db, TOKEN, briefing=compared_briefing()))


def test_claim_board_splits_agreed_and_single_source_claims_and_lays_out_conflict_sides() -> None:
    board = claim_board(BriefingView(compared_briefing()), "s1")
    assert [c.id for c in board.agree] == ["c-rejected"]
    assert board.agree[0].sites == ("Test Gazette", "Harbour Post") and board.agree[0].sources == 2
    assert [c.id for c in board.alone] == ["c-june", "c-shut"]
    assert [c.disputed for c in board.alone] == [True, True] and not board.agree[0].disputed
    assert board.alone_by_site == (("Harbour Post", 1), ("Test Gazette", 1))
    (conflict,) = board.conflicts
    assert [(s.who, s.who_id, s.text) for s in conflict.sides] == [
        ("Ana Ruiz", "ana-ruiz", "The bridge would reopen in June"),
        ("Tom Hale", "tom-hale", "The bridge would stay shut until 2025"),
    ]
    assert [[r.words for r in s.evidence] for s in conflict.sides] == [
        ["the river bridge would reopen in June"],
        ["the bridge would stay shut until 2025"],
    ]
    assert claim_board(BriefingView(compared_briefing()), "other").empty


def test_a_conflict_side_the_briefing_cannot_resolve_is_named_by_its_source() -> None:
    b = compared_briefing()
    shut = span(TEXT2, "the bridge would stay shut until 2025", "a2")
    sides = (ConflictSide("claim", "", (shut,)), ConflictSide("entity", "council", ()))
    b = replace(b, conflicts=(replace(b.conflicts[0], sides=sides),))
    (conflict,) = claim_board(BriefingView(b), "s1").conflicts
    assert [(s.who, s.who_id, s.text, s.anchor) for s in conflict.sides] == [
        ("Harbour Post", None, None, None),
        ("council", "council", None, None),
    ]


def test_stance_matrix_orders_issues_and_actors_and_keeps_every_stance() -> None:
    view = BriefingView(compared_briefing())
    matrix = stance_matrix(view)
    assert matrix.issues == ("bridge plan", "repair fund")  # two actors on the first, one on the second
    assert [r.name for r in matrix.rows] == ["Ana Ruiz", "Tom Hale"]
    labels = [[c.label if c else None for c in r.cells] for r in matrix.rows]
    assert labels == [["support", "conditional"], ["mixed", None]]
    hale = matrix.rows[1].cells[0]
    assert hale is not None and hale.cites == 2
    assert [(kind, [r.words for r in refs]) for kind, refs in hale.stances] == [
        ("oppose", ["Ruiz is wrong about the bridge,"]),
        ("conditional", ["He could back a smaller plan"]),
    ]
    # Only the first article: Ruiz's repair-fund stance and Hale's conditional one are cited in the second.
    only_first = stance_matrix(view, {"a1"})
    assert only_first.issues == ("bridge plan",)
    assert [[c.label if c else None for c in r.cells] for r in only_first.rows] == [["support"], ["oppose"]]
    assert [c.issue for c in actor_stances(view, "ana-ruiz")] == ["bridge plan", "repair fund"]
    assert actor_stances(view, "council") == ()


def test_article_runs_mark_each_claim_with_how_many_sources_make_it() -> None:
    b = compared_briefing()
    snap = Snapshot.of(b, 1)
    first = article_runs(snap, b.articles[0], None)
    assert "".join(r.text for r in first) == TEXT
    rejected = span(TEXT, "The council, led by Tom Hale, rejected the plan on 3 May 2024.")
    assert "".join(r.text for r in first if r.claim == "c-rejected") == TEXT[rejected.start : rejected.end]
    assert {(r.claim_look, r.claim_label) for r in first if r.claim == "c-rejected"} == {
        ("agreed", "claimed · 2 sources")
    }
    june = {(r.claim_look, r.claim_label) for r in first if r.claim == "c-june"}
    assert june == {("disputed", "claimed · only this source · disputed by another source")}
    second = article_runs(snap, b.articles[1], None)
    assert "".join(r.text for r in second if r.claim == "c-shut") == "the bridge would stay shut until 2025"


def test_claims_page_shows_both_sides_of_a_conflict_and_the_single_source_claims(client: TestClient) -> None:
    html = client.get("/stories/s1/claims").text
    sides = re.findall(r'<div class="side">(.*?)</div>\s*(?=<div class="side">|</div>)', html, re.S)
    assert len(sides) == 2
    assert "<q>the river bridge would reopen in June</q>" in sides[0] and ">Test Gazette</a>" in sides[0]
    assert "<q>the bridge would stay shut until 2025</q>" in sides[1] and ">Harbour Post</a>" in sides[1]
    assert 'id="claim-c-rejected"' in html and "2 sources" in html
    assert html.count('<span class="pill alone">1 source</span>') == 2
    data = client.get("/stories/s1/claims.json").json()
    assert data["agree"] == ["c-rejected"] and data["alone"] == ["c-june", "c-shut"]
    assert data["alone_by_site"] == [
        {"site": "Harbour Post", "claims": 1},
        {"site": "Test Gazette", "claims": 1},
    ]
    assert [c["id"] for c in data["conflicts"]] == ["cf-reopen"]


def test_stance_matrix_cells_link_to_their_evidence(client: TestClient) -> None:
    html = client.get("/stories/s1/stances").text
    cells = re.findall(r'<td class="cell st-(\w+)"><a href="#([\w-]+)"', html)
    assert cells == [
        ("support", "stance-ana-ruiz-bridge_plan"),
        ("conditional", "stance-ana-ruiz-repair_fund"),
        ("mixed", "stance-tom-hale-bridge_plan"),
    ]
    for _, anchor in cells:
        assert f'<li id="{anchor}">' in html  # every cell opens an evidence entry on the page
    assert "<q>He could back a smaller plan</q>" in html
    data = client.get("/stories/s1/stances.json").json()
    assert data["issues"] == ["bridge plan", "repair fund"]
    assert {(c["actor"], c["issue"], c["stance"]) for c in data["cells"]} == {
        ("ana-ruiz", "bridge plan", "support"),
        ("ana-ruiz", "repair fund", "conditional"),
        ("tom-hale", "bridge plan", "mixed"),
    }
    assert len(data["stances"]) == 4


def test_overview_timeline_entity_article_and_sources_pages_show_the_comparison(client: TestClient) -> None:
    overview = client.get("/stories/s1").text
    assert "Key takeaways" in overview and "The council rejected the plan." in overview
    assert "When does the bridge reopen?" in overview
    assert '<span class="v">1</span> points where they differ' in overview
    timeline = client.get("/stories/s1/timeline").text
    assert len(re.findall(r"<circle class=\"dot p-(\w+)\"", timeline)) == 3
    assert re.findall(r'<span class="precision p-\w+">(\w+)</span>', timeline) == [
        "year",
        "day",
        "day",
        "unresolved",
    ]
    entity = client.get("/entities/tom-hale").text
    assert "On <strong>bridge plan</strong>" in entity and "The bridge would stay shut until 2025" in entity
    assert client.get("/entities/tom-hale.json").json()["claims"][0]["id"] == "c-shut"
    article = client.get("/articles/a2").text
    assert (
        '<span class="claim disputed" title="claimed · only this source · disputed by another source">'
        in article
    )
    assert client.get("/articles/a2.json").json()["claims"][0]["id"] == "c-rejected"
    sources = client.get("/sources").text
    assert re.findall(r'<th class="num">([\w ]+)</th>', sources)[-2:] == ["quote share", "named sources"]
    assert "no quotation marks" in sources


def test_api_serves_claims_conflicts_stances_and_signals(client: TestClient) -> None:
    assert [c["id"] for c in client.get("/api/claims").json()] == ["c-rejected", "c-june", "c-shut"]
    alone = client.get("/api/claims", params={"single_source": "true"}).json()
    assert [c["id"] for c in alone] == ["c-june", "c-shut"]
    assert [c["id"] for c in client.get("/api/claims", params={"actor": "council"}).json()] == ["c-rejected"]
    june = asdict(span(TEXT, "the river bridge would reopen in June"))
    shut = asdict(span(TEXT2, "the bridge would stay shut until 2025", "a2"))
    assert client.get("/api/claims/c-june").json()["mentions"] == [june]
    (conflict,) = client.get("/api/conflicts", params={"story": "s1", "type": "date"}).json()
    assert conflict["sides"] == [{"claim": "c-june", "cites": [june]}, {"claim": "c-shut", "cites": [shut]}]
    assert client.get("/api/conflicts", params={"type": "number"}).json() == []
    hale = client.get("/api/stances", params={"actor": "tom-hale"}).json()
    assert [s["stance"] for s in hale] == ["oppose", "conditional"]
    assert [s["signal"] for s in client.get("/api/signals", params={"article": "a2"}).json()] == [
        "quote_share",
        "named_sources",
    ]
    signal = client.get("/api/signals", params={"article": "a1"}).json()[0]
    assert signal["evidence"] == [asdict(span(TEXT, "Ruiz is wrong about the bridge,"))]
    for url in [
        "/api/claims/nope",
        "/api/claims?story=nope",
        "/api/stances?story=nope",
        "/stories/nope/claims",
    ]:
        assert client.get(url).status_code == 404, url


def test_every_comparison_field_is_escaped(tmp_path: Path) -> None:
    client = TestClient(create_app(tmp_path / "store.db", TOKEN, briefing=compared_briefing(EVIL)))
    story = ["/stories/s1", "/stories/s1/claims", "/stories/s1/stances", "/stories/s1/timeline"]
    for url in [
        *story,
        "/articles/a1",
        "/articles/a2",
        "/entities/tom-hale",
        "/entities/council",
        "/sources",
    ]:
        page = client.get(url)
        assert page.status_code == 200, url
        assert "<script>alert" not in page.text, url
    assert ESCAPED in client.get("/stories/s1/claims").text
    assert ESCAPED in client.get("/stories/s1/stances").text
    assert ESCAPED in client.get("/sources").text
    assert client.get("/api/claims/c-rejected").json()["text"] == f"The council rejected the plan{EVIL}"


def test_an_actors_stances_are_its_row_of_the_whole_matrix_in_column_order() -> None:
    """Entity pages read one actor's stances without building the whole store's matrix; they must
    be that matrix's row: the same cells, issues in the matrix's order (ties by name, then first seen)."""
    b = compared_briefing()
    cite = b.stances[0].cites
    issues = ["zoning", "Tolls", "tolls", "budget", "Budget", "ferry"]
    extra = tuple(
        Stance(actor, issue, kind, cite)
        for n, (actor, issue) in enumerate(
            [(a, i) for i in issues for a in ("ana-ruiz", "tom-hale")][:-1] + [("tom-hale", "budget")]
        )
        for kind in (("support", "oppose")[n % 2],)
    )
    view = BriefingView(replace(b, stances=b.stances + extra))
    matrix = stance_matrix(view)
    for row in matrix.rows:
        expected = tuple(c for c in row.cells if c is not None)
        assert actor_stances(view, row.actor) == expected
        assert actor_stances(view, row.actor, matrix.issues) == expected
    assert [c.issue for c in actor_stances(view, "ana-ruiz")][:3] == list(matrix.issues[:3])

"""Unit tests of what the pages lay out: article runs and paragraphs, the timeline chart, the network."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from webdata import TEXT, span, tiny_briefing

from storyline.model import Cite
from storyline.web.charts import timeline_chart
from storyline.web.highlight import article_runs, paragraphs, parse_span
from storyline.web.network import Link, actor_graph, picture, to_graphml
from storyline.web.state import Snapshot, safe_filename


def test_runs_rebuild_the_text_and_tag_quotes_mentions_and_target() -> None:
    b = tiny_briefing()
    snap = Snapshot.of(b, 1)
    target = span(TEXT, "rejected the plan")
    runs = article_runs(snap, b.articles[0], target)
    assert "".join(r.text for r in runs) == TEXT
    assert [r.text for r in runs if r.entity == "ana-ruiz"] == ["Ana Ruiz", "Ruiz"]
    assert [r.text for r in runs if r.entity_type == "ORG"] == ["council"]
    assert "".join(r.text for r in runs if r.target) == "rejected the plan"
    quoted = [r for r in runs if r.speaker]
    assert "".join(r.text for r in quoted) == "Ruiz is wrong about the bridge,"
    assert {r.label for r in quoted} == {"Tom Hale · direct quote"}


def test_paragraphs_split_at_line_breaks_and_keep_anchors() -> None:
    b = tiny_briefing()
    snap = Snapshot.of(b, 1)
    runs = article_runs(snap, b.articles[0], None)
    paras = paragraphs(runs)
    assert ["".join(r.text for r in p.runs) for p in paras] == TEXT.split("\n")
    said = span(TEXT, "Mayor Ana Ruiz said the river bridge would reopen in June.")
    anchor = f"c-a1-{said.start}-{said.end}"
    assert paras[1].runs[0].anchors == (anchor,)  # the summary's cite lands on the second line


def test_parse_span_accepts_only_spans_inside_the_article() -> None:
    article = tiny_briefing().articles[0]
    assert parse_span("21-35", article) == Cite("a1", 21, 35)
    assert parse_span("35-21", article) is None
    assert parse_span(f"0-{len(TEXT) + 1}", article) is None
    assert parse_span("x-3", article) is None
    assert parse_span(None, article) is None


def test_timeline_chart_has_one_column_per_date_and_a_break_for_the_gap() -> None:
    chart = timeline_chart(tiny_briefing().stories[0].timeline, "story-s1")
    assert chart is not None
    assert [c.label for c in chart.columns] == ["2023", "3 May", "7 May"]
    assert [c.year for c in chart.columns] == [None, "2024", None]
    assert [len(c.dots) for c in chart.columns] == [1, 1, 1]
    assert [c.dots[0].href for c in chart.columns] == ["#story-s1-0", "#story-s1-1", "#story-s1-2"]
    assert len(chart.breaks) == 1 and chart.undated == 1


def test_network_links_quotes_and_events_between_entities() -> None:
    graph = actor_graph(tiny_briefing())
    assert graph.links == (
        Link("council", "ana-ruiz", "event", 1, ("REJECT",), (graph.links[0].cites[0],)),
        Link(
            "tom-hale", "ana-ruiz", "quote", 1, ("quoted",), (span(TEXT, "Ruiz is wrong about the bridge,"),)
        ),
    )
    assert graph.degree == {"ana-ruiz": 2, "council": 1, "tom-hale": 1}
    art = picture(graph)
    assert [n.id for n in art.nodes] == ["ana-ruiz", "tom-hale", "council"]  # people first
    assert all(e.path.startswith("M") for e in art.edges)


def test_the_network_read_through_the_workbench_look_ups_is_the_same_graph() -> None:
    briefing = tiny_briefing()
    snap = Snapshot.of(briefing, 1)
    look_ups = {"view": snap.view, "mentions_by_article": snap.mentions_by_article}
    assert actor_graph(briefing, **look_ups) == actor_graph(briefing)
    for article in briefing.articles:
        assert actor_graph(briefing, {article.id}, **look_ups) == actor_graph(briefing, {article.id})
    assert actor_graph(briefing, {"no-such-article"}, **look_ups).links == ()
    assert snap.network[0] == actor_graph(briefing)


def test_graphml_holds_every_node_and_edge() -> None:
    root = ET.fromstring(to_graphml(actor_graph(tiny_briefing())))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert sorted(n.get("id") for n in root.iterfind(".//g:node", ns)) == ["ana-ruiz", "council", "tom-hale"]
    assert sorted((e.get("source"), e.get("target")) for e in root.iterfind(".//g:edge", ns)) == [
        ("council", "ana-ruiz"),
        ("tom-hale", "ana-ruiz"),
    ]


def test_safe_filename_never_leaves_the_folder() -> None:
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("C:\\Users\\me\\news story.txt") == "news_story.txt"
    assert safe_filename("..") == "upload"
    assert safe_filename(".hidden.md") == "hidden.md"

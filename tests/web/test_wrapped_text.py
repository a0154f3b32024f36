"""The article view reads hard-wrapped text (wire copy, e-mail) as paragraphs, not as one per line."""

from __future__ import annotations

from pathlib import Path

import lxml.html
from fastapi.testclient import TestClient
from webdata import EVIL, span

from storyline.annotate.nlp import hard_wrapped
from storyline.model import Article, Briefing, Entity, Quote, Story, Tool
from storyline.web import create_app
from storyline.web.highlight import article_runs, paragraphs
from storyline.web.state import Snapshot

# Wrapped at ~62 characters; a name and a quote run across wraps, each paragraph ends on a sentence.
WIRE = (
    "The harbour board said on Tuesday that its chairman, Lena\n"
    "Marsh, would sign the new crane contract next month, after two\n"
    "years of talks with the dockers' union and the city council.\n"
    'Marsh said the cranes would arrive in spring. "We have waited\n'
    'long enough," she said.\n'
    "The union said it would study the contract before its members\n"
    "vote on it at the end of the month.\n"
)
PARAGRAPHS = [
    "The harbour board said on Tuesday that its chairman, Lena Marsh, would sign the new crane contract "
    "next month, after two years of talks with the dockers' union and the city council.",
    'Marsh said the cranes would arrive in spring. "We have waited long enough," she said.',
    "The union said it would study the contract before its members vote on it at the end of the month.",
]


def _briefing(text: str = WIRE) -> Briefing:
    article = Article(id="a1", source="tests/wire.txt", text=text, title="Cranes", site="Test Wire")
    name = span(text, "Lena\nMarsh")
    marsh = Entity("lena-marsh", "Lena Marsh", "PERSON", ("Marsh",), (), (name,), ("a1",))
    words = "We have waited\nlong enough,"
    quote = Quote("q1", span(text, words), words, "direct", "lena-marsh", "she", "said")
    return Briefing(
        generated_at="2024-05-04T00:00:00Z",
        tool=Tool("storyline", "test"),
        articles=(article,),
        entities=(marsh,),
        quotes=(quote,),
        stories=(Story("s1", "Cranes", ("a1",)),),
    )


def _text_paragraphs(page: str) -> list[str]:
    text = lxml.html.fromstring(page).get_element_by_id("article-text")
    return [p.text_content() for p in text.xpath(".//div[@class='text']/p")]


def test_wrapped_text_runs_make_paragraphs_with_every_offset_kept() -> None:
    assert hard_wrapped(WIRE)
    b = _briefing()
    runs = article_runs(Snapshot.of(b, 1), b.articles[0], span(WIRE, "waited\nlong"))
    assert ["".join(r.text for r in p.runs) for p in paragraphs(runs)] == PARAGRAPHS
    assert sum(len(r.text) for r in runs) == len(WIRE)
    shown = [(WIRE[r.start + i], c) for r in runs for i, c in enumerate(r.text)]
    assert all(a == c or (a, c) == ("\n", " ") for a, c in shown)  # each run's start is its offset
    assert [(r.text, r.start) for r in runs if r.entity] == [("Lena Marsh", WIRE.index("Lena"))]
    assert "".join(r.text for r in runs if r.target) == "waited long"
    assert "".join(r.text for r in runs if r.speaker) == "We have waited long enough,"


def test_article_page_shows_wrapped_text_as_paragraphs(tmp_path: Path) -> None:
    client = TestClient(create_app(tmp_path / "store.db", briefing=_briefing()))
    page = client.get("/articles/a1").text
    assert _text_paragraphs(page) == PARAGRAPHS
    assert '<a class="ment t-PERSON" href="/entities/lena-marsh">Lena Marsh</a>' in page
    start = WIRE.index("Marsh said")
    anchor = f"c-a1-{start}-{start + 10}"
    targeted = client.get(f"/articles/a1?hl={start}-{start + 10}").text
    assert f'<p><span class="anchor" id="{anchor}"></span><span class="target">Marsh said</span>' in targeted


def test_text_that_is_not_wrapped_keeps_a_paragraph_per_line(tmp_path: Path) -> None:
    lines = [
        "Cranes ordered",
        "Lena",
        "Marsh signed.",
        '"We have waited',
        'long enough," she said.',
        "- Berth",
    ]
    text = "\n".join(lines)
    assert not hard_wrapped(text)
    client = TestClient(create_app(tmp_path / "store.db", briefing=_briefing(text)))
    assert _text_paragraphs(client.get("/articles/a1").text) == lines


def test_wrapped_text_stays_escaped(tmp_path: Path) -> None:
    text = WIRE.replace("crane contract", f"{EVIL} contract")
    assert hard_wrapped(text)
    page = TestClient(create_app(tmp_path / "store.db", briefing=_briefing(text))).get("/articles/a1").text
    assert EVIL not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; contract next month" in page

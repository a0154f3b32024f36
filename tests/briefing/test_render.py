"""Markdown and HTML renderers on a small hand-built briefing: exact lines, escaping, anchors."""

from __future__ import annotations

import json
import re

import lxml.html
import pytest

from storyline.briefing import render, render_html, render_md
from storyline.model import (
    Article,
    Briefing,
    Cite,
    Claim,
    Conflict,
    ConflictSide,
    Entity,
    Event,
    InputFailure,
    Inputs,
    Passage,
    Quote,
    Removed,
    Role,
    Signal,
    Stance,
    Story,
    TimelineEntry,
    TocEntry,
    Tool,
)

SCRIPT = "<script>alert(1)</script>"
TEXT_A = (
    "Talks resume\n"
    'Foreign Minister Ana Petrova said on 26 December 2024: "We are ready to talk." '
    "She added that the offer stands.\n"
    '"Nobody will win this," a voice in the crowd shouted.\n'
)
TEXT_B = f"Petrowa said talks could start in January 2025. {SCRIPT} was printed by mistake.\n"


def span(article: str, text: str, words: str) -> Cite:
    start = text.index(words)
    return Cite(article, start, start + len(words))


def make_briefing() -> Briefing:
    a = Article(
        id="a1",
        source="in/a1.txt",
        text=TEXT_A,
        url="https://example.org/a1",
        title="Minister offers talks",
        author="Jo Writer",
        site="Daily Example",
        published="2024-12-27",
        toc=(TocEntry("Talks resume", 0),),
        removed=(Removed("Subscribe now", "boilerplate", 4),),
    )
    b = Article(
        id="b2",
        source="in/b2.txt",
        text=TEXT_B,
        url="javascript:alert(1)",
        title=f"{SCRIPT} *bold* [x](javascript:alert(1))",
        author=SCRIPT,
        site="Evening Sample",
        published="2024-12-28",
    )
    lead = span("a1", TEXT_A, "Foreign Minister Ana Petrova said on 26 December 2024")
    later = span("b2", TEXT_B, "Petrowa said talks could start in January 2025.")
    petrova = Entity(
        id="e1",
        name="Ana Petrova",
        type="PERSON",
        variants=("Ana Petrova", "Petrowa", "petrova"),
        roles=(Role("foreign minister", span("a1", TEXT_A, "Foreign Minister")),),
        mentions=(span("a1", TEXT_A, "Ana Petrova"), span("b2", TEXT_B, "Petrowa")),
        articles=("a1", "b2"),
    )
    council = Entity("e2", "Example Council", "ORG", mentions=(Cite("a1", 0, 5),), articles=("a1",))
    quotes = (
        Quote("q1", span("a1", TEXT_A, "We are ready to talk."), "We are ready to talk.", "direct", "e1",
              "Ana Petrova", "said", resolved_by="name"),
        Quote("q2", span("a1", TEXT_A, "the offer stands"), "the offer stands", "indirect", "e1", "She",
              "added", resolved_by="pronoun"),
        Quote("q3", span("a1", TEXT_A, "Nobody will win this,"), "Nobody will win this,", "direct"),
        Quote("q4", span("b2", TEXT_B, SCRIPT), SCRIPT, "direct"),
    )  # fmt: skip
    story = Story(
        id="s1",
        title="Petrova offers talks",
        articles=("a1", "b2"),
        summary=(
            Passage("Foreign Minister Ana Petrova said on 26 December 2024.", (lead,)),
            Passage("Talks could start in January 2025.", (later, lead)),
        ),
        takeaways=(Passage("Petrowa said talks could start in January 2025.", (later,)),),
        timeline=(
            TimelineEntry("2024-12-26", "day", "26 December 2024", "Petrova spoke.", lead, "2024-12-27"),
            TimelineEntry("2025-01", "month", "January 2025", "Talks could start.", later, "2024-12-28"),
            TimelineEntry(None, "unresolved", "last week", "Earlier contacts.", later),
        ),
    )
    return Briefing(
        generated_at="2025-01-02T10:00:00+00:00",
        tool=Tool("storyline", "0.1.0", ("quotes.v1", "timeline.v1")),
        inputs=Inputs(ok=2, failed=(InputFailure("in/bad.jsonl", "invalid JSON", 7),)),
        articles=(a, b),
        entities=(council, petrova),
        quotes=quotes,
        stories=(story,),
        claims=(
            Claim(
                "c1",
                "s1",
                "Talks could start soon",
                actor="e1",
                mentions=(lead, later),
                sources=2,
                single_source=False,
            ),
            Claim("c2", "s1", "Nobody will win", mentions=(quotes[2].cite,)),
        ),  # fmt: skip
        conflicts=(
            Conflict(
                "k1",
                "s1",
                "date",
                "The start of talks",
                (ConflictSide("claim", "c1", (lead,)), ConflictSide("quote", "q4", (later,))),
            ),
        ),  # fmt: skip
        stances=(Stance("e1", "talks", "support", (lead,)),),
        events=(Event("v1", "CONSULT", lead, source="e1", date="2024-12-26"),),
        signals=(Signal("b2", "unattributed_quotes", 1.0, (quotes[3].cite, "one quote has no speaker")),),
    )


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    return make_briefing()


@pytest.fixture(scope="module")
def md(briefing: Briefing) -> str:
    return render.get("md")(briefing)


@pytest.fixture(scope="module")
def html(briefing: Briefing) -> str:
    return render.get("html")(briefing)


TITLE_B = r"\<script\>alert(1)\</script\> \*bold\* \[x\](javascript:alert(1))"
A1 = '[Daily Example — "Minister offers talks"](#article-a1)'


def test_registry_lists_builtins_and_takes_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "_RENDERERS", {})
    monkeypatch.setattr(render, "_loaded", False)
    render.register("txt", lambda b: f"{len(b.stories)} stories")
    assert render.names() == ["html", "json", "md", "txt"]
    assert render.get("md") is render_md.render
    assert render.get("html") is render_html.render
    assert render.get("txt")(make_briefing()) == "1 stories"
    with pytest.raises(KeyError, match="available: html, json, md, txt"):
        render.get("pdf")


def test_json_renderer_round_trips(briefing: Briefing) -> None:
    assert Briefing.from_json(render.get("json")(briefing)) == briefing


@pytest.mark.parametrize("indent", [2, None, 0])
def test_json_in_pieces_is_the_text_of_one_dump(briefing: Briefing, indent: int | None) -> None:
    whole = json.dumps(briefing.to_dict(), ensure_ascii=False, indent=indent)
    assert "".join(briefing.iter_json(indent)) == whole
    empty = Briefing(generated_at="2031-01-01T00:00:00+00:00", tool=briefing.tool)
    assert empty.to_json(indent) == json.dumps(empty.to_dict(), ensure_ascii=False, indent=indent)


def test_writing_a_format_to_a_file_gives_what_the_renderer_returns(briefing: Briefing, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for name in ("json", "md"):
        target = tmp_path / f"briefing.{name}"
        render.write(name, briefing, target)
        assert target.read_text(encoding="utf-8") == render.get(name)(briefing)
    with pytest.raises(KeyError):
        render.write("pdf", briefing, tmp_path / "briefing.pdf")
    assert not (tmp_path / "briefing.pdf").exists()


def test_markdown_lines(md: str) -> None:
    lines = md.splitlines()
    expected = [
        "## Petrova offers talks",
        "2 articles · 2 sources · 27 December 2024 – 28 December 2024",
        "Foreign Minister Ana Petrova said on 26 December 2024. [1]",
        "Talks could start in January 2025. [2][1]",
        '- [1] Daily Example — "Minister offers talks", chars 13–66: '
        "“Foreign Minister Ana Petrova said on 26 December 2024”",
        "- Petrowa said talks could start in January 2025. [1]",
        # The takeaway repeats its cited words verbatim, so its source line does not repeat them.
        f'- [1] Evening Sample — "{TITLE_B}", chars 0–47',
        "#### People",
        "- **Ana Petrova** (PERSON) — 2 mentions in 2 articles · also written: Petrowa, petrova"
        f" · roles: foreign minister ({A1})",
        "#### Ana Petrova — foreign minister",
        f"- “We are ready to talk.” — direct quote, cue: said — {A1}",
        f"- Reported: the offer stands — indirect quote, cue: added — {A1} _(speaker resolved from ‘She’)_",
        "#### Unattributed",
        f"- “Nobody will win this,” — direct quote — {A1}",
        f"- **26 December 2024** — Petrova spoke. — {A1} · reported 27 December 2024",
        f'- **January 2025** — Talks could start. — [Evening Sample — "{TITLE_B}"](#article-b2)'
        " · reported 28 December 2024",
        f'- **last week (date unresolved)** — Earlier contacts. — [Evening Sample — "{TITLE_B}"]'
        "(#article-b2)",
        "- Ana Petrova: Talks could start soon [1][2] — 2 sources",
        "- **The start of talks** (date). These sources disagree:",
        "- Nobody will win [3]",
        "| Ana Petrova | support [1] |",
        "  - line 4: “Subscribe now” — boilerplate",
        "- URL: <https://example.org/a1>",
        "- URL: javascript:alert(1)",
        "Inputs: 2 read, 1 failed",
        "- in/bad.jsonl:7 — invalid JSON",
        "Made by storyline 0.1.0 (stages: quotes.v1, timeline.v1) · generated 2025-01-02T10:00:00+00:00",
    ]
    for line in expected:
        assert line in lines
    assert lines.index("#### Ana Petrova — foreign minister") < lines.index("#### Unattributed")


def test_markdown_source_lines_resolve_to_the_cited_words(md: str, briefing: Briefing) -> None:
    by_site = {a.site: a for a in briefing.articles}
    pattern = re.compile(r"^- \[\d+\] (.+?) — .*, chars (\d+)–(\d+): “(.*)”$")
    found = [m.groups() for m in map(pattern.match, md.splitlines()) if m]
    assert len(found) >= 5
    for site, start, end, words in found:
        assert by_site[site].text[int(start) : int(end)] == words


def test_markdown_escapes_article_text(md: str) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    assert "<script>" not in md and "\\<script\\>alert(1)\\</script\\>" in md
    assert re.search(r"(?<!\\)\]\(javascript", md) is None
    page = lxml.html.fromstring(markdown_it.MarkdownIt("commonmark").render(md))
    assert page.xpath("//script") == []
    hrefs = page.xpath("//a/@href")
    assert "https://example.org/a1" in hrefs
    assert all(h.startswith("#") or h == "https://example.org/a1" for h in hrefs)
    assert "*bold* [x](javascript:alert(1))" in page.text_content()


def test_markdown_text_escaping() -> None:
    assert render_md.md_text("a *b*\n_c_ `d` <e> [f](g) | #h ~i") == (
        "a \\*b\\* \\_c\\_ \\`d\\` \\<e\\> \\[f\\](g) \\| \\#h \\~i"
    )
    assert render_md.md_line("- not a list") == "\\- not a list"
    assert render_md.md_line("12. not a list") == "12\\. not a list"


def parse(html: str) -> lxml.html.HtmlElement:
    parser = lxml.html.HTMLParser(recover=True)
    page = lxml.html.fromstring(html, parser=parser)
    # libxml2 parses HTML4: it reports HTML5 tags (section, nav, mark…) as unknown; nothing else may fail.
    errors = [e.message for e in parser.error_log if not re.match(r"Tag \w+ invalid", e.message)]
    assert errors == []
    return page


def test_html_is_well_formed_and_self_contained(html: str) -> None:
    page = parse(html)
    assert page.xpath("//link") == [] and page.xpath("//@src") == []
    assert len(page.xpath("//style")) == 1 and "@import" not in html and "url(" not in html
    scripts = page.xpath("//script")
    assert len(scripts) == 1 and "beforeprint" in scripts[0].text
    hrefs = page.xpath("//a/@href")
    assert [h for h in hrefs if not h.startswith("#")] == ["https://example.org/a1"]
    assert all(page.xpath(f'//*[@id="{h[1:]}"]') for h in hrefs if h.startswith("#")), "dangling anchor"


def test_html_escapes_article_text(html: str) -> None:
    assert "<script>alert" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 4  # title, author, text, quote
    page = parse(html)
    card = page.get_element_by_id("article-b2")
    assert card.xpath(".//h4")[0].text == f"{SCRIPT} *bold* [x](javascript:alert(1))"
    assert card.xpath(".//dd")[1].text == SCRIPT  # the author
    assert card.xpath(".//dd")[3].text == "javascript:alert(1)"  # a non-web URL is text, not a link
    assert [m.text for m in card.xpath(".//mark")] == [SCRIPT]


def test_html_cite_markers_point_at_the_cited_words(html: str, briefing: Briefing) -> None:
    page = parse(html)
    markers = page.xpath('//a[@class="fn"]')
    assert [m.get("href") for m in markers[:3]] == ["#c-a1-13-66", "#c-b2-0-47", "#c-a1-13-66"]
    for marker in markers:
        found = re.fullmatch(r"#c-(\w+)-(\d+)-(\d+)", marker.get("href"))
        assert found is not None
        article, start, end = found.groups()
        target = page.get_element_by_id(marker.get("href")[1:])
        assert target.xpath("ancestor::div[@class='source']/@id") == [f"article-{article}"]
        words = briefing.article(article).text[int(start) : int(end)]
        assert f"“{words}”" in marker.get("title")


def test_html_article_text_is_whole_and_quotes_are_marked(html: str) -> None:
    page = parse(html)
    text = page.get_element_by_id("article-a1").xpath(".//div[@class='text']")[0]
    assert text.text_content() == TEXT_A
    marks = [(m.text, m.get("class")) for m in text.xpath(".//mark")]
    assert [t for t, _ in marks] == ["We are ready to talk.", "the offer stands", "Nobody will win this,"]
    assert marks[0][1] == marks[1][1] != marks[2][1] == "q sp-none"


def test_html_sections(html: str) -> None:
    page = parse(html)
    toc = [a.text for a in page.xpath("//nav[@aria-label='Sections']//a")]
    assert toc == [
        "Summary",
        "Key takeaways",
        "People and organisations",
        "Who said what",
        "Timeline",
        "Where the sources agree, differ, stand alone",
        "Stances",
        "Events",
        "Sources",
    ]
    speakers = [h.text_content() for h in page.xpath("//div[contains(@class, 'speaker')]/h4")]
    assert speakers == ["Ana Petrova — foreign minister", "Unattributed"]
    assert [t.text for t in page.xpath("//ol[@class='timeline']//time")] == [
        "26 December 2024",
        "January 2025",
        "last week (date unresolved)",
    ]
    assert "These sources disagree:" in page.text_content()
    assert page.xpath("//ul[@class='failures']/li")[0].text_content() == "in/bad.jsonl:7 — invalid JSON"
    removed = page.get_element_by_id("article-a1").xpath(".//ul[@class='removed']/li")
    assert removed[0].text_content() == "line 4Subscribe now — boilerplate"


def test_empty_briefing_renders() -> None:
    empty = Briefing(generated_at="2025-01-01T00:00:00+00:00", tool=Tool(version="0.1.0"))
    md = render.get("md")(empty)
    assert "_No stories in this briefing._" in md.splitlines()
    page = parse(render.get("html")(empty))
    assert page.xpath("//h1")[0].text == "No stories"


def test_unassigned_articles_and_bad_cites_degrade() -> None:
    loose = Article(id="z9", source="in/z9.txt", text="Short text.", title="Loose")
    story = Story(id="s", title="T", summary=(Passage("Gone.", (Cite("missing", 0, 4),)),))
    b = Briefing(generated_at="t", tool=Tool(), articles=(loose,), stories=(story,))
    md = render.get("md")(b)
    assert "## Articles in no story" in md and '- [1] unknown source — "untitled", chars 0–4' in md
    page = parse(render.get("html")(b))
    assert page.get_element_by_id("article-z9").xpath(".//h4")[0].text == "Loose"


def test_text_pieces_cover_the_text_with_nested_and_stray_spans() -> None:
    text = "He said: “a b c” here."
    article = Article(id="x", source="x", text=text)
    outer = Quote("q1", Cite("x", 9, 16), text[9:16], "direct", "e1")
    inner = Quote("q2", Cite("x", 10, 11), "a", "partial")  # nested, with no speaker
    stray = Cite("x", 20, 99)  # an end past the text must not crash or lose text
    b = Briefing(generated_at="t", tool=Tool(), articles=(article,), quotes=(outer, inner))
    pieces = render_html.text_pieces(render_html.BriefingView(b), article, [outer, inner], {stray})
    assert "".join(p.text for p in pieces) == text
    colour = render_html.speaker_class(render_html.BriefingView(b).colour("e1"))
    assert [(p.text, p.speaker) for p in pieces if p.speaker] == [
        ("“", colour),
        ("a", "sp-none"),
        (" b c”", colour),
    ]
    assert [(p.text, p.anchors) for p in pieces if p.anchors] == [("e.", ("c-x-20-99",))]


def test_speaker_colours_are_stable_and_avoid_clashes() -> None:
    import zlib

    slot = {f"e{i}": zlib.crc32(f"e{i}".encode()) % render.SPEAKER_COLOURS for i in range(50)}
    a, b = next((x, y) for x in slot for y in slot if x < y and slot[x] == slot[y])
    colours = render.speaker_colours([a, a, b])
    assert colours == {a: slot[a], b: (slot[a] + 1) % render.SPEAKER_COLOURS}
    assert render.speaker_colours([b]) == {b: slot[b]}


@pytest.mark.parametrize(
    ("value", "precision", "expression", "expected"),
    [
        ("2024-12-26", "day", "", "26 December 2024"),
        ("2025-01", "month", "", "January 2025"),
        ("2014", "year", "", "2014"),
        (None, "unresolved", "last week", "last week (date unresolved)"),
        ("2024-12-26", "month", "", "December 2024"),
    ],
)
def test_format_date(value: str | None, precision: str, expression: str, expected: str) -> None:
    assert render.format_date(value, precision, expression) == expected

"""HTML main-text extraction on tiny hand-made pages: boilerplate out, text, metadata and headings."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from storyline.clean.html import (
    HtmlArticle,
    _assemble,
    _drop_boilerplate,
    _drop_title,
    _holds_and_outgrows,
    extract,
)
from storyline.model import Heading

FIRST = (
    "The harbour bridge reopened to traffic on Tuesday morning after eight months of repairs "
    "to its steel deck, the city council said."
)
SECOND = (
    "Engineers replaced more than two hundred rusted plates and repainted the towers, work that "
    "cost the city far more than first planned."
)
THIRD = (
    "Commuters who had faced long detours through the old town welcomed the news, and buses "
    "will use the bridge again from next week."
)

PAGE = f"""<!doctype html>
<html lang="en"><head><title>Harbour bridge reopens after repairs | The Daily Example</title>
<meta name="author" content="Jane Reporter">
<meta property="og:site_name" content="The Daily Example">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
</head><body>
<div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience.
<button>Accept all cookies</button></div>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<main><article>
<h1>Harbour bridge reopens after repairs</h1>
<p>{FIRST}</p>
<p>{SECOND}</p>
<h2>Traffic returns</h2>
<p>{THIRD}</p>
<p>Read more: Council approves new budget</p>
</article></main>
<footer><p>Copyright 2024 The Daily Example. All rights reserved.</p>
<a href="/privacy">Privacy</a></footer>
</body></html>"""


def test_extract_keeps_the_article_and_drops_page_furniture() -> None:
    article = extract(PAGE, "https://example.org/news/bridge")
    assert article == HtmlArticle(
        text=f"{FIRST}\n{SECOND}\nTraffic returns\n{THIRD}",
        title="Harbour bridge reopens after repairs",
        author="Jane Reporter",
        site="The Daily Example",
        published="2024-03-05",
        language="en",
        headings=(Heading(start=264, end=279, level=2),),
    )
    assert article.text[264:279] == "Traffic returns"


def test_extract_returns_none_without_main_text() -> None:
    assert extract("") is None
    assert extract("<html><head><title>Empty</title></head><body><div> </div></body></html>") is None


def test_drop_title_removes_the_headline_only_near_the_top() -> None:
    head = "Harbour bridge reopens"
    blocks = [(head, 1), ("Body text.", 0), ("More text.", 0), (head, 0)]
    assert _drop_title(blocks, f"{head} | Example News") == [("Body text.", 0), ("More text.", 0), (head, 0)]


def test_drop_boilerplate_keeps_long_sentences_with_a_cue_word() -> None:
    long_line = (
        "Subscribe to the idea that the bridge, repaired at great cost, will now last fifty more years."
    )
    blocks = [("Read more: Other story", 0), ("© 2024 Example", 0), ("5 comments", 0), (long_line, 0)]
    assert _drop_boilerplate(blocks) == [(long_line, 0)]


def test_holds_and_outgrows_needs_containment_and_twice_the_words() -> None:
    own = [("one two three four five", 0)]
    bigger = [("one two three four five", 0), ("six seven eight nine ten eleven", 0)]
    other = [("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda", 0)]
    assert _holds_and_outgrows(bigger, own)
    assert not _holds_and_outgrows(other, own)
    assert not _holds_and_outgrows(own, own)
    assert not _holds_and_outgrows([], own)


def test_assemble_gives_heading_offsets_into_the_joined_text() -> None:
    text, headings = _assemble([("Intro.", 0), ("Section", 3), ("Body.", 0)])
    assert text == "Intro.\nSection\nBody."
    assert headings == (Heading(start=7, end=14, level=3),)


@given(st.lists(st.tuples(st.text(min_size=1).filter(lambda t: "\n" not in t), st.integers(0, 6))))
def test_assemble_offsets_reproduce_every_heading(blocks: list[tuple[str, int]]) -> None:
    text, headings = _assemble(blocks)
    assert [text[h.start : h.end] for h in headings] == [t for t, level in blocks if level]
    assert all(0 <= h.start <= h.end <= len(text) for h in headings)

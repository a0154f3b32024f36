"""Hard-wrapped article text is shown reflowed: a wrap is a space, a paragraph end stays a break."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from storyline.annotate.nlp import hard_wrapped
from storyline.briefing import render_html
from storyline.model import Article, Briefing, Cite, Heading, Quote, Tool

# Wire copy wrapped at ~62 characters: a paragraph that runs over three lines, one that ends on a
# sentence ("she said."), a blank line, and a last paragraph.
WRAPPED = (
    "The harbour board said on Tuesday that the new crane contract\n"
    "would be signed next month, after two years of talks with the\n"
    "dockers' union and the city council.\n"
    "Board chairman Lena Marsh said the cranes, bought from a U.S.\n"
    'maker, would arrive in spring. "We have waited long enough,"\n'
    "she said.\n"
    "\n"
    "The union said it would study the contract before its members\n"
    "vote on it at the end of the month.\n"
)
PARAGRAPHS = [
    "The harbour board said on Tuesday that the new crane contract would be signed next month, after "
    "two years of talks with the dockers' union and the city council.",
    "Board chairman Lena Marsh said the cranes, bought from a U.S. maker, would arrive in spring. "
    '"We have waited long enough," she said.',
    "The union said it would study the contract before its members vote on it at the end of the month.",
]
# A table inside wrapped text keeps its rows.
WITH_TABLE = (
    "The harbour board gave this list of the cranes it has ordered\n"
    "for the three berths of the port, with the month each is due:\n"
    "Berth      Cranes     Due\n"
    "North      4          April\n"
    "The board said the cranes for the south berth would be bought\n"
    "later in the year, once the council has approved the budget\n"
    "for the new terminal and the road that leads to its gates, and\n"
    "that the dockers would be trained to run them over the summer\n"
    "by the maker's own staff, who would stay in the port until all\n"
    "the cranes were working and the union was satisfied with them,\n"
    "a spokesman for the board said.\n"
)


def _article(text: str, **fields: object) -> Article:
    return Article(id="w1", source="tests/wire.txt", text=text, **fields)  # type: ignore[arg-type]


def test_wraps_are_spaces_and_paragraph_ends_stay_breaks() -> None:
    assert hard_wrapped(WRAPPED)
    shown = render_html.shown_text(_article(WRAPPED))
    assert len(shown) == len(WRAPPED)
    assert [line for line in shown.split("\n") if line] == PARAGRAPHS
    assert "\n\n" in shown  # the blank line is kept


def test_a_table_in_wrapped_text_keeps_its_rows() -> None:
    assert hard_wrapped(WITH_TABLE)
    lines = render_html.shown_text(_article(WITH_TABLE)).split("\n")
    assert lines[1:3] == ["Berth      Cranes     Due", "North      4          April"]
    assert lines[0].endswith("the port, with the month each is due:")
    assert lines[3].startswith("The board said the cranes")
    assert lines[3].endswith("a spokesman for the board said.")


def test_a_heading_in_wrapped_text_keeps_its_line() -> None:
    title = "New Cranes for the North and South Berths of the Harbour"  # no full stop to end it
    text = f"{title}\n{WRAPPED}"
    assert hard_wrapped(text)
    assert render_html.shown_text(_article(text)).startswith(f"{title} The harbour")
    shown = render_html.shown_text(_article(text, headings=(Heading(0, len(title), 2),)))
    assert shown.split("\n")[:2] == [title, PARAGRAPHS[0]]


def test_text_that_is_not_hard_wrapped_is_shown_as_it_is() -> None:
    text = "Cranes ordered\nThe board ordered four cranes.\n- North berth\n- South berth\n"
    assert not hard_wrapped(text)
    assert render_html.shown_text(_article(text)) == text


def test_pieces_of_wrapped_text_keep_every_offset() -> None:
    article = _article(WRAPPED)
    words = "the new crane contract\nwould be signed next month"
    start = WRAPPED.index(words)
    quote = Quote("q1", Cite("w1", start, start + len(words)), words, "indirect", "e1")
    marsh = Cite("w1", WRAPPED.index("Lena Marsh"), WRAPPED.index("Lena Marsh") + len("Lena Marsh"))
    b = Briefing(generated_at="t", tool=Tool(), articles=(article,), quotes=(quote,))
    pieces = render_html.text_pieces(render_html.BriefingView(b), article, [quote], {marsh})
    assert "".join(p.text for p in pieces) == render_html.shown_text(article)
    offset, where = 0, {}
    for piece in pieces:
        where[offset] = piece
        offset += len(piece.text)
    assert where[quote.cite.start].speaker and where[quote.cite.start].text == words.replace("\n", " ")
    assert where[marsh.start].anchors == (f"c-w1-{marsh.start}-{marsh.end}",)


def test_the_briefing_page_shows_wrapped_text_reflowed_and_escaped() -> None:
    text = WRAPPED.replace("crane contract", "<b>crane</b> contract")
    article = _article(text, title="Cranes")
    assert hard_wrapped(text)
    page = render_html.render(Briefing(generated_at="t", tool=Tool(), articles=(article,)))
    body = page[page.index('<div class="text">') :]
    assert "&lt;b&gt;crane&lt;/b&gt; contract would be signed" in body
    assert "<b>crane" not in page
    assert "city council.\nBoard chairman" in body


PARTS = ["a", "b.", "U.S.", " ", "  ", "   ", "\n", "\n\n", "x" * 50, "Ab"]


@given(st.lists(st.sampled_from(PARTS), max_size=40))
def test_shown_text_only_turns_line_breaks_into_spaces(parts: list[str]) -> None:
    text = "".join(parts)
    shown = render_html.shown_text(_article(text))
    assert len(shown) == len(text)
    assert all(a == b or (a, b) == ("\n", " ") for a, b in zip(text, shown, strict=True))
    assert re.sub(r"\s", "", shown) == re.sub(r"\s", "", text)


def test_a_compound_cut_at_its_hyphen_is_shown_whole() -> None:
    text = WRAPPED.replace("of talks with the\ndockers'", "of talks with the dock-\nworkers'")
    shown = render_html.shown_text(_article(text))
    assert len(shown) == len(text)
    assert "the dock-\u2060workers' union" in shown
    # What a reader sees: one word, no space inside it.
    assert "the dock-workers' union" in shown.replace("\u2060", "")
    # A dash between words, spaced, is not a cut word: the break stays a space.
    spaced = WRAPPED.replace("contract\nwould", "contract -\nwould")
    assert "contract - would" in render_html.shown_text(_article(spaced))

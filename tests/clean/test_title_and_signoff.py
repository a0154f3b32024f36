"""Tests for the title a plain text's first line gives, and for the sign-off closing it: a line that
starts the first sentence or a table is never taken for the title, and what is dropped is in `removed`."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.clean.article import to_article
from storyline.clean.boilerplate import clean_text
from storyline.clean.outlets import is_signoff
from storyline.model import RawDocument, Removed

# Wire copy wrapped at a fixed width, paragraphs indented, the first sentence broken inside a name.
WIRE = (
    "Harbour Lines Co and Coastal Freight North\n"
    "Ltd said they plan to form a venture to manage the cargo\n"
    "terminals and the ferry berths of both companies in the port.\n"
    "    Harbour Lines is a unit of the regional transport group,\n"
    "which has run the northern ferries since 2019, and Coastal\n"
    "Freight is owned by a group of island cooperatives.\n"
    "    The venture will be run by Harbour Lines under the\n"
    "oversight of a joint management committee, the two said.\n"
    " Reuter\n"
)


def test_wrapped_first_sentence_keeps_its_head_and_the_signoff_is_removed() -> None:
    result = clean_text(WIRE)
    assert result.title is None
    assert result.text.startswith("Harbour Lines Co and Coastal Freight North\nLtd said they plan")
    assert result.text.endswith("oversight of a joint management committee, the two said.")
    assert result.removed == (Removed("Reuter", "signoff", 9),)
    assert result.headings == ()


def test_first_sentence_head_is_no_heading_either() -> None:
    text = (
        "The Varnhavn Exchange said it named\n"
        "Ines Morrow, head of the island credit union,\n"
        "as its new president and chief executive officer.\n"
        "    Morrow replaces the former president, who resigned in\n"
        "January to set up a brokerage firm, the exchange said.\n"
    )
    result = clean_text(text)
    assert result.title is None
    assert result.headings == ()
    assert result.text.splitlines()[0] == "The Varnhavn Exchange said it named"


def test_title_case_line_going_on_in_lower_case_is_the_head_of_a_sentence() -> None:
    text = (
        "The Harbour Council Finance Committee\n"
        "approved the ferry budget on Monday after a two-hour debate.\n"
        "The vote was nine to two."
    )
    result = clean_text(text)
    assert result.title is None
    assert result.text == text


def test_headline_over_a_lede_opening_with_a_mixed_case_name_is_still_the_title() -> None:
    text = "Tablet Sales Climb in the Islands\niPad sales rose 5% in March, the retailer said.\n"
    result = clean_text(text)
    assert result.title == "Tablet Sales Climb in the Islands"
    assert result.text == "iPad sales rose 5% in March, the retailer said."


def test_first_row_of_a_table_is_not_the_title() -> None:
    text = "Shr 34 cts vs 1.19 dlrs\n    Net 807,000 vs 2,858,000\n    Revs 12.4 mln vs 11.1 mln\n Reuter\n"
    result = clean_text(text)
    assert result.title is None
    assert result.text == "Shr 34 cts vs 1.19 dlrs\nNet 807,000 vs 2,858,000\nRevs 12.4 mln vs 11.1 mln"
    assert result.removed == (Removed("Reuter", "signoff", 4),)


def test_dateline_ending_in_a_dash_is_not_the_title() -> None:
    text = "SKERRY, Calvora -\n\nThe ferry to the island ran again on Monday after a week of storms."
    result = clean_text(text)
    assert result.title is None
    assert result.text.startswith("SKERRY, Calvora -\n\n")


def test_given_title_only_takes_a_first_line_that_repeats_it() -> None:
    text = "Mediators Return to Varnhavn\n\nThe two sides met again on Monday, officials said.\n"
    other = clean_text(text, title="Dock strike talks resume")
    assert other.title is None
    assert other.text == "Mediators Return to Varnhavn\n\nThe two sides met again on Monday, officials said."
    same = clean_text(text, title="MEDIATORS RETURN TO VARNHAVN")
    assert same.title == "Mediators Return to Varnhavn"
    assert same.text == "The two sides met again on Monday, officials said."
    assert clean_text(text).title == "Mediators Return to Varnhavn"


def test_article_with_a_given_title_keeps_a_first_line_that_is_not_it() -> None:
    raw = RawDocument(source="wire.jsonl", data=WIRE, mime="text/plain", meta=(("title", "FERRY VENTURE"),))
    article = to_article(raw)
    assert article.title == "FERRY VENTURE"
    assert article.text.startswith("Harbour Lines Co and Coastal Freight North\n")
    assert [(r.text, r.reason) for r in article.removed] == [("Reuter", "signoff")]


@pytest.mark.parametrize(
    ("last", "removed"),
    [
        ("Reuter", True),
        ("REUTER...", True),
        ("-- AP", True),
        ("(With the Associated Press)", True),
        ("Source: The Coastal Herald", True),
        ("-30-", True),
        ("###", True),
        ("Varnhavn", False),
        ("Jane Doe", False),
        ("Reuter said", False),
    ],
)
def test_closing_line_is_a_signoff_only_when_it_names_a_wire_or_outlet(last: str, removed: bool) -> None:
    text = f"The ferry to Skerry ran again on Monday after a week of storms.\n\n{last}\n"
    result = clean_text(text)
    assert (Removed(last, "signoff", 3) in result.removed) is removed
    assert result.text.endswith(last) is not removed


def test_signoff_repeating_the_bylines_outlet_is_removed() -> None:
    assert is_signoff("Skerry Notes", outlets=("Skerry Notes",))
    assert not is_signoff("Skerry Notes")
    text = "By Jane Doe | Skerry Notes\nThe ferry ran again on Monday after a week of storms.\nSkerry Notes"
    assert [(r.line, r.reason) for r in clean_text(text).removed] == [(1, "byline"), (3, "signoff")]


def test_wire_name_ending_an_open_sentence_is_kept() -> None:
    text = "The harbour master said the figures had been given\nto\nReuters"
    result = clean_text(text)
    assert result.removed == ()
    assert result.text.endswith("to\nReuters")


_LINES = st.sampled_from(
    [
        "Harbour Lines Co and Coastal Freight North",
        "Ltd said they plan to form a venture to manage the cargo",
        "terminals and the ferry berths of both companies in the port.",
        "Shr 34 cts vs 1.19 dlrs",
        "Net 807,000 vs 2,858,000",
        "Night Trains Return to the Northern Line",
        "By Mara Quill",
        "Published 4 March 2031",
        "Advertisement",
        "Reuter",
        "Source: The Coastal Herald",
        "approved the ferry budget on Monday after a two-hour debate.",
        "",
    ]
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(_LINES, min_size=1, max_size=12),
    st.sampled_from([None, "Night Trains Return to the Northern Line"]),
)
def test_every_dropped_line_is_the_title_or_in_removed(lines: list[str], title: str | None) -> None:
    result = clean_text("\n".join(lines), title=title)
    kept = result.text.split("\n")
    removed = {r.line for r in result.removed}
    dropped = [
        line
        for n, line in enumerate(lines, 1)
        if line.strip() and n not in removed and line.strip() not in kept
    ]
    assert dropped in ([], [result.title])
    assert all(re.sub(r"\s+", " ", r.text) == r.text for r in result.removed)

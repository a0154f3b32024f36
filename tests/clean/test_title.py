"""Tests for the title a plain text's first line gives: a headline is taken, a standfirst (the
summary sentence under a headline) and the only line of a text are not."""

from __future__ import annotations

import pytest

from storyline.clean.article import to_article
from storyline.clean.boilerplate import clean_text
from storyline.clean.title import reads_as_standfirst
from storyline.model import RawDocument

LEDE = "A ferry ran aground off Skerry on Monday, the coastguard said. All 212 passengers were taken off."

STANDFIRSTS = [
    "The ferry had left the harbour an hour late when it ran into the storm off the north cape",
    "She was taken to the island hospital, where doctors said her condition was stable",
    "The harbour master says the crew ignored two warnings before the ship left the quay",
    "Coastguard officials, who reached the ship within the hour, say the hull was not breached",
    "There has long been talk of a second ferry but the council has never found the money for one",
]

HEADLINES = [
    "Ferry Runs Aground off Skerry",
    "Ferry runs aground off Skerry as storm closes harbour",
    "Ferry crash: what went wrong?",
    "Storm strands island ferry; Passengers were taken off by lifeboat after the ship ran aground",
    "Captain 'had no idea the tide was out' before the ferry sailed",
    "Why did the ferry sail?",
    "Dock strike: regional bloc steps in as ships pile up off the harbour",
]


@pytest.mark.parametrize("line", STANDFIRSTS)
def test_standfirst_opening_the_text_is_not_taken_for_the_title(line: str) -> None:
    result = clean_text(f"{line}\n\n{LEDE}")
    assert reads_as_standfirst(line)
    assert result.title is None
    assert result.text == f"{line}\n\n{LEDE}"


@pytest.mark.parametrize("line", HEADLINES)
def test_headline_opening_the_text_is_the_title(line: str) -> None:
    result = clean_text(f"{line}\n\n{LEDE}")
    assert not reads_as_standfirst(line)
    assert result.title == line
    assert result.text == LEDE


def test_headline_over_a_standfirst_is_the_title_and_the_standfirst_stays_in_the_text() -> None:
    text = f"{HEADLINES[1]}\n\n{STANDFIRSTS[0]}\n\n{LEDE}"
    result = clean_text(text)
    assert result.title == HEADLINES[1]
    assert result.text == f"{STANDFIRSTS[0]}\n\n{LEDE}"


def test_first_line_repeating_the_given_title_is_the_title_whatever_its_shape() -> None:
    result = clean_text(f"{STANDFIRSTS[1]}\n\n{LEDE}", title=STANDFIRSTS[1])
    assert result.title == STANDFIRSTS[1]
    assert result.text == LEDE


@pytest.mark.parametrize("line", [HEADLINES[1], STANDFIRSTS[0], "Ferry runs aground"])
def test_the_only_line_of_a_text_is_its_text_not_its_title(line: str) -> None:
    result = clean_text(f"{line}\n")
    assert result.title is None
    assert result.text == line
    article = to_article(RawDocument(source="one-line.txt", data=line, mime="text/plain"))
    assert article.text == line
    assert article.title is None


def test_only_line_under_removed_boilerplate_stays_in_the_text() -> None:
    result = clean_text("Published 4 March 2031\n\nFerry runs aground off Skerry as storm closes harbour")
    assert result.title is None
    assert result.text == "Ferry runs aground off Skerry as storm closes harbour"
    assert result.published == "2031-03-04"

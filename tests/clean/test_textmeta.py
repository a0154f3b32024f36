"""Tests for reading author, publication day and site from byline and dateline lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.clean import datelines, textmeta
from storyline.clean.boilerplate import clean_text
from storyline.clean.byline import parse_byline
from storyline.clean.datelines import is_wire_dateline
from storyline.clean.outlets import is_outlet_name
from storyline.clean.textmeta import TextMeta, read_meta
from storyline.model import Removed

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"


def byline(text: str, line: int = 2) -> Removed:
    return Removed(text, "byline", line)


def dateline(text: str, line: int = 2) -> Removed:
    return Removed(text, "dateline", line)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By Mara Quill", TextMeta("Mara Quill")),
        ("By Mara Quill and Tor Lund", TextMeta("Mara Quill; Tor Lund")),
        ("By Mara Quill, Tor Lund and Ena Brandt", TextMeta("Mara Quill; Tor Lund; Ena Brandt")),
        (
            "By Mara Quill | Harbour Gazette | March 7, 2031",
            TextMeta("Mara Quill", "2031-03-07", "Harbour Gazette"),
        ),
        ("By Mara Quill, Harbour Gazette", TextMeta("Mara Quill", site="Harbour Gazette")),
        ("By Mara Quill for the Harbour Gazette", TextMeta("Mara Quill", site="Harbour Gazette")),
        ("By Mara Quill, Special to NRK", TextMeta("Mara Quill", site="NRK")),
        ("By Mara Quill in Skerry", TextMeta("Mara Quill")),
        ("By Mara Quill, Political Correspondent", TextMeta("Mara Quill")),
        ("Mara Quill, Staff Writer", TextMeta("Mara Quill")),
        (
            "Mara Quill - Shipping Correspondent | Harbour Gazette",
            TextMeta("Mara Quill", site="Harbour Gazette"),
        ),
        ("Written by Mara Quill", TextMeta("Mara Quill")),
        ("Posted by Mara Quill on March 5, 2031 at 10:42 am", TextMeta("Mara Quill", "2031-03-05")),
        ("By Mara Quill | Thu Mar 6, 2031 4:23 pm EST", TextMeta("Mara Quill", "2031-03-06")),
        ("(Reporting by Mara Quill in Skerry; Editing by Tor Lund)", TextMeta("Mara Quill")),
        ("(Reporting by Mara Quill, Editing by Tor Lund)", TextMeta("Mara Quill")),
        ("By Staff Writer", TextMeta()),
        ("By the Harbour Gazette Staff", TextMeta()),
    ],
)
def test_byline_shapes(line: str, expected: TextMeta) -> None:
    assert read_meta([byline(line)], "") == expected


@pytest.mark.parametrize(
    "line",
    [
        "By Monday, the negotiators had agreed on a draft text.",
        "By March 5, 2031, the port had reopened",
        "By the time the talks ended",
        "By March 2031",
        "Facebook, Twitter",
        "Tuesday, March 4",
        '"By Friday," the minister said.',
        "Mara Quill, a reporter for the gazette, was released",
    ],
)
def test_sentences_and_widgets_are_not_bylines(line: str) -> None:
    assert parse_byline(line) is None


@pytest.mark.parametrize(
    ("line", "published"),
    [
        ("Published March 5, 2031", "2031-03-05"),
        ("Published: 5 March 2031, 18:40 CET", "2031-03-05"),
        ("Updated: 2031-03-05 10:00", "2031-03-05"),
        ("Thursday, March 6th, 2031", "2031-03-06"),
        ("on Mar 6 2031, 5:03p", "2031-03-06"),
        ("03/06/2031 07:35 PM ET", "2031-03-06"),
        ("Posted: 03/04/31 06:44 PM ET Updated: 03/06/31 05:12 AM ET", "2031-03-04"),
        # No year, or relative to the day of reading: not a publication day.
        ("Published March 5", None),
        ("Updated 2 hours ago", None),
        ("Published yesterday", None),
        ("4 min read", None),
    ],
)
def test_dateline_lines(line: str, published: str | None) -> None:
    assert read_meta([dateline(line)], "").published == published


def test_published_beats_updated_and_the_byline_day_beats_both() -> None:
    lines = [dateline("Updated March 9, 2031", 2), dateline("Published March 5, 2031", 3)]
    assert read_meta(lines, "").published == "2031-03-05"
    lines.append(byline("By Mara Quill | March 4, 2031", 4))
    assert read_meta(lines, "").published == "2031-03-04"


def test_top_byline_beats_closing_credit_and_bio() -> None:
    lines = [
        byline("(Reporting by Tor Lund; Editing by Ena Brandt)", 9),
        byline("By Mara Quill", 2),
        Removed("Ena Brandt is a reporter who covers the islands.", "author_bio", 10),
    ]
    assert read_meta(lines, "").author == "Mara Quill"
    assert read_meta(lines[2:], "").author == "Ena Brandt"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "SKERRY, Norland, March 4, 2031 (NPA) - The harbour council voted on Tuesday.",
            TextMeta(published="2031-03-04", site="NPA"),
        ),
        ("SKERRY (NPA) — The harbour council voted on Tuesday.", TextMeta(site="NPA")),
        ("SKERRY, March 4 (NPA) - The council voted.", TextMeta(site="NPA")),  # no year
        ("SKERRY, March 4, 2031 -- The council voted.", TextMeta(published="2031-03-04")),
        ("NPA officials said on March 4, 2031 - after a vote - that", TextMeta()),
        ("The council voted on March 4, 2031 (NPA) - a first.", TextMeta()),
    ],
)
def test_wire_dateline_at_the_start_of_the_text(text: str, expected: TextMeta) -> None:
    assert read_meta([], text) == expected


def test_an_outlet_named_by_the_page_beats_the_agency() -> None:
    text = "SKERRY, Norland, March 4, 2031 (NPA) - The harbour council voted on Tuesday."
    assert read_meta([byline("Harbour Gazette")], text).site == "Harbour Gazette"
    assert read_meta([byline("By Mara Quill, Harbour Gazette")], text).site == "Harbour Gazette"


def test_outlet_names_and_wire_dateline_lines() -> None:
    assert is_outlet_name("Harbour Gazette")
    assert is_outlet_name("The Skerry Daily")
    assert not is_outlet_name("Funding and Costs")
    assert not is_outlet_name("Gazette readers were asked.")
    assert is_wire_dateline("SKERRY, Norland, March 4, 2031")
    assert is_wire_dateline("SKERRY (NPA) -")
    assert not is_wire_dateline("SKERRY, Norland")
    assert not is_wire_dateline("NATO Expansion and the Road Ahead")


# --- the demo corpus (written by the project, so exact expectations are fine) ------------------

_DEMO_META = {
    "coastline_daily.txt": (
        "Dock strike: regional bloc steps in as ships pile up off Varnhavn",
        TextMeta("Littoral Press Agency", "2031-03-04", "Coastline Daily"),
    ),
    "lpa_wire.txt": (
        "Bloc mediator opens talks to end two-week Varnhavn dock strike",
        TextMeta("Tamsin Oake", "2031-03-04", "LPA"),
    ),
    "tidewater_review.txt": (
        "Cranes, Pay and a Bloc on Trial: What the Varnhavn Strike Is Really About",
        TextMeta("Hanna Ostrowe", "2031-03-07", "Tidewater Review"),
    ),
}


def test_every_demo_text_is_covered() -> None:
    assert sorted(p.name for p in DEMO.glob("*.txt")) == sorted(_DEMO_META)


@pytest.mark.parametrize("name", sorted(_DEMO_META))
def test_demo_title_and_meta(name: str) -> None:
    result = clean_text((DEMO / name).read_text(encoding="utf-8"))
    title, meta = _DEMO_META[name]
    assert result.title == title
    assert TextMeta(result.author, result.published, result.site) == meta


@pytest.mark.parametrize(
    ("sentence", "prose"),
    [
        (
            "VARNHAVN | Tue Mar 4, 2031 9:13 pm EDT VARNHAVN (Reuters) - "
            "The port authority closed two docks after the storm.",
            "The port",
        ),
        (
            "By Ana Lind, Science Editor ORLA | Tue Mar 4, 2031 BST ORLA (AP) - "
            "A new strain has infected two farms in the north.",
            "A new",
        ),
        (
            "Tuesday, March 4, 2031; 11:30 AM PORT ELLEN, KY. -- "
            "The barge that the council hired arrived late.",
            "The barge",
        ),
        ("KELDA - The regional assembly voted on Tuesday to raise the levy on fuel.", "The regional"),
    ],
)
def test_prose_start_skips_a_wire_dateline_glued_to_the_sentence(sentence: str, prose: str) -> None:
    assert sentence[datelines.prose_start(sentence) :].startswith(prose)


@pytest.mark.parametrize(
    "sentence",
    [
        "Officials said the FBI - which had watched him for years - was never told about the transfer.",
        "He said: the U.S. - and its allies - would answer any attack in kind, and quickly.",
        "ORLA (AP) - Short.",  # the cut would leave a stub
        "The council met on Tuesday and agreed the budget for the coming year without a vote.",
    ],
)
def test_prose_start_leaves_prose_alone(sentence: str) -> None:
    assert datelines.prose_start(sentence) == 0


def test_prose_start_stays_importable_from_textmeta() -> None:
    # The story and evaluate stages import it from `textmeta`, where it lived first.
    assert textmeta.prose_start is datelines.prose_start

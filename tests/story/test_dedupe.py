from __future__ import annotations

from storyline.model import Article
from storyline.story.dedupe import find_duplicates

WIRE = (
    "The harbour board voted on Tuesday to reopen the northern quay after six weeks of repairs, "
    "ending a closure that had diverted ferries to the southern terminal. Board chair Lena Ortiz said "
    "the repairs cost less than expected and that traffic would return to normal within days. "
    "Ferry operators welcomed the decision but warned that timetables would take a week to settle."
)


def test_syndicated_copy_points_at_the_earlier_original() -> None:
    original = Article(id="a", source="a.txt", text=WIRE, published="2031-03-04")
    copy = Article(
        id="b",
        source="b.txt",
        text="Ferries are coming back north. " + WIRE + " Share this article",
        published="2031-03-05",
    )
    other = Article(
        id="c",
        source="c.txt",
        text="A different story about a football match that ended in a draw "
        "after a late penalty was saved by the visiting goalkeeper in heavy rain.",
    )
    assert find_duplicates([copy, other, original]) == {"b": "a"}


def test_unrelated_articles_are_not_duplicates() -> None:
    a = Article(id="a", source="a", text="one two three four five six seven eight nine ten")
    b = Article(id="b", source="b", text="eleven twelve thirteen fourteen fifteen sixteen seventeen")
    assert find_duplicates([a, b]) == {}


def test_same_day_copy_with_added_lines_is_the_copy_whatever_the_input_order() -> None:
    original = Article(id="wire", source="w.txt", text=WIRE, published="2031-03-04")
    copy = Article(
        id="copy",
        source="c.txt",
        text="Ferries are coming back north, officials said today. "
        + WIRE
        + " Share this article. Follow us for more news from the harbour.",
        published="2031-03-04",
    )
    assert find_duplicates([copy, original]) == {"copy": "wire"}
    assert find_duplicates([original, copy]) == {"copy": "wire"}


def test_a_copy_that_credits_the_wire_agency_makes_the_wire_the_original() -> None:
    from storyline.model import Removed

    wire = Article(
        id="wire",
        source="w.txt",
        text=WIRE + " More wire text follows here.",
        published="2031-03-04",
        site="HPA",
    )
    copy = Article(
        id="copy",
        source="c.txt",
        text=WIRE,
        published="2031-03-04",
        author="Harbour Press Agency",
        removed=(Removed("By Harbour Press Agency", "byline", 2),),
    )
    assert find_duplicates([copy, wire]) == {"copy": "wire"}

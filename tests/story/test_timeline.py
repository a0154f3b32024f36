from __future__ import annotations

from storyline.annotate.dates import extract
from storyline.model import Cite, DateMention
from storyline.story.timeline import build


def _mention(text: str, expression: str, value: str | None, precision: str, nth: int = 0) -> DateMention:
    """The `nth` mention of `expression` in `text`; its sentence runs between full stops or line breaks."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(expression, start + 1)
    end = start + len(expression)
    cut = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    s_start = 0 if cut < 0 else cut + (2 if text[cut] == "." else 1)
    stop = text.find(".", end)
    return DateMention(start, end, expression, value, precision, s_start, len(text) if stop < 0 else stop + 1)


def test_same_event_from_two_sources_is_one_entry_citing_both() -> None:
    a = "The river flooded the old mill on Tuesday, officials said. A choir sang on Tuesday."
    b = "Officials said on Wednesday that the river flooded the old mill on Tuesday night."
    items = [
        ("b", b, "2025-02-06", [_mention(b, "Tuesday night", "2025-02-04", "day")]),
        (
            "a",
            a,
            "2025-02-05",
            [_mention(a, "Tuesday", "2025-02-04", "day"), _mention(a, "Tuesday", "2025-02-04", "day", nth=1)],
        ),
    ]
    flood, choir = build(items)
    assert flood.text == "The river flooded the old mill on Tuesday, officials said."
    assert (flood.date, flood.precision, flood.expression) == ("2025-02-04", "day", "Tuesday")
    assert flood.reported == "2025-02-05"  # the earliest report speaks for the event
    assert flood.cite == Cite("a", 0, 58)
    assert flood.cites == (Cite("a", 0, 58), Cite("b", 0, len(b)))
    assert choir.text == "A choir sang on Tuesday."
    assert choir.cites == (Cite("a", 59, len(a)),)


def test_sorted_by_date_then_reported_with_unresolved_last() -> None:
    a = "The dam was built in 1962. Repairs start next month."
    b = "The dam was inspected in March 2024. Crews left last week."
    items = [
        (
            "a",
            a,
            "2024-04-01",
            [_mention(a, "1962", "1962", "year"), _mention(a, "next month", "2024-05", "month")],
        ),
        (
            "b",
            b,
            None,
            [_mention(b, "March 2024", "2024-03", "month"), _mention(b, "last week", None, "unresolved")],
        ),
    ]
    entries = build(items)
    assert [(e.date, e.precision, e.expression, e.reported) for e in entries] == [
        ("1962", "year", "1962", "2024-04-01"),
        ("2024-03", "month", "March 2024", None),
        ("2024-05", "month", "next month", "2024-04-01"),
        (None, "unresolved", "last week", None),
    ]


def test_unresolved_mentions_merge_only_on_the_same_expression() -> None:
    a = "The ferry sank last week near the pier."
    b = "Last week the ferry sank near the pier."
    c = "The ferry sank on Friday near the pier."
    items = [
        ("a", a, None, [_mention(a, "last week", None, "unresolved")]),
        ("b", b, None, [_mention(b, "Last week", None, "unresolved")]),
        ("c", c, None, [_mention(c, "Friday", None, "unresolved")]),
    ]
    entries = build(items)
    assert [(e.expression, [x.article for x in e.cites]) for e in entries] == [
        ("last week", ["a", "b"]),
        ("Friday", ["c"]),
    ]


def test_datelines_and_time_stamps_are_not_events() -> None:
    a = "RIVERTON, Feb 5 (Wire) - The levee broke on Tuesday."
    b = "Published: 5 February 2025\nSandbags ran out on Tuesday."
    items = [
        (
            "a",
            a,
            "2025-02-05",
            [_mention(a, "Feb 5", "2025-02-05", "day"), _mention(a, "Tuesday", "2025-02-04", "day")],
        ),
        (
            "b",
            b,
            "2025-02-05",
            [
                _mention(b, "5 February 2025", "2025-02-05", "day"),
                _mention(b, "Tuesday", "2025-02-04", "day"),
            ],
        ),
    ]
    assert [e.date for e in build(items)] == ["2025-02-04", "2025-02-04"]


def test_no_dates_no_entries() -> None:
    assert build([("a", "Nothing happened.", "2025-02-05", [])]) == ()


def test_built_from_extracted_mentions(nlp) -> None:  # type: ignore[no-untyped-def]
    a = "The tannery closed on Monday after a fire, the owners said."
    b = "A fire forced the tannery to close on Monday, its owners said.\nThe town was founded in 1820."
    items = [
        (aid, text, "2025-02-05", extract(nlp(text), "2025-02-05")) for aid, text in (("a", a), ("b", b))
    ]
    entries = build(items)
    assert [(e.date, e.text, len(e.cites)) for e in entries] == [
        ("1820", "The town was founded in 1820.", 1),
        ("2025-02-03", a, 2),
    ]
    for e in entries:
        text = {"a": a, "b": b}[e.cite.article]
        assert text[e.cite.start : e.cite.end] == e.text


def test_a_named_occasion_without_a_date_enters_as_unresolved():
    from storyline.story.timeline import named_events

    text = "The momentum from the Varna summit has faded. Talks resumed on 4 May 2031 in Brava."
    dated = DateMention(66, 76, "4 May 2031", "2031-05-04", "day", 46, 84)
    found = named_events(text, [(0, 45), (46, 84)], [dated])
    assert [(m.expression, m.value, m.precision) for m in found] == [("Varna summit", None, "unresolved")]
    assert text[found[0].start : found[0].end] == "Varna summit"


def test_cosines_against_many_sentences_are_those_of_each_pair() -> None:
    import random

    from storyline.story import timeline

    rng = random.Random(11)
    words = "river mill flooded officials said choir sang bridge closed storm damage town council met".split()
    items = []
    for n in range(40):
        text = " ".join(rng.choices(words, k=rng.randint(3, 12))) + " on Tuesday."
        if n % 7 == 0:
            text = items[n - 7][1] if n else text  # the same sentence in another article
        items.append((f"a{n}", text, "2025-02-05", [_mention(text, "Tuesday", "2025-02-04", "day")]))
    candidates = timeline._candidates(items)
    similar = timeline._Similarity(candidates)
    matrix = similar._matrix
    assert matrix is not None
    for i in range(len(candidates)):
        others = list(range(len(candidates)))
        pairwise = [
            1.0 if similar._texts[i] == similar._texts[j] else float(matrix[j].multiply(matrix[i]).sum())
            for j in others
        ]
        assert similar.against(i, others) == pairwise  # equal to the last bit

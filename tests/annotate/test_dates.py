from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.annotate.dates import extract

PUB = "2025-02-07"  # a Friday


def _found(nlp, text: str, published: str | None):  # type: ignore[no-untyped-def]
    return [(m.expression, m.value, m.precision) for m in extract(nlp(text), published)]


@pytest.mark.parametrize(
    ("text", "dated", "undated"),
    [
        ("The council voted on December 26.", ("December 26", "2024-12-26", "day"), None),
        ("Talks have stalled since January 20.", ("January 20", "2025-01-20", "day"), None),
        ("The ferry sank on December 26, 2024.", ("December 26, 2024", "2024-12-26", "day"), "same"),
        ("The bridge opened in 2014.", ("2014", "2014", "year"), "same"),
        ("Veterans marked the 2014 coup in the hills.", ("2014", "2014", "year"), "same"),
        ("The mine flooded in May 2010.", ("May 2010", "2010-05", "month"), "same"),
        ("Prices peaked in mid-2014.", ("mid-2014", "2014", "year"), "same"),
        ("Earlier this month, the mayor resigned.", ("Earlier this month", "2025-02", "month"), None),
        # last week is Jan 27 - Feb 2: placed in the month of its Thursday, January 30.
        ("Inspectors visited the dam last week.", ("last week", "2025-01", "month"), None),
        ("The union met on Friday.", ("Friday", "2025-02-07", "day"), None),
        ("The union met on Tuesday.", ("Tuesday", "2025-02-04", "day"), None),
        ("The union will meet on Tuesday.", ("Tuesday", "2025-02-11", "day"), None),
        ("Grain prices rose this year.", ("this year", "2025", "year"), None),
        ("The plant will close next month.", ("next month", "2025-03", "month"), None),
        ("The mill shut two years ago.", ("two years ago", "2023", "year"), None),
        ("Yesterday the levee broke.", ("Yesterday", "2025-02-06", "day"), None),
        ("The mayor spoke on March 3.", ("March 3", "2024-03-03", "day"), None),
        ("The mayor will speak on March 3.", ("March 3", "2025-03-03", "day"), None),
    ],
)
def test_expression_with_and_without_publication_date(nlp, text, dated, undated) -> None:  # type: ignore[no-untyped-def]
    assert _found(nlp, text, PUB) == [dated]
    expected = dated if undated == "same" else (dated[0], None, "unresolved")
    assert _found(nlp, text, None) == [expected]


def test_today_resolves_only_with_a_publication_date(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Today the ferry runs again."
    assert _found(nlp, text, PUB) == [("Today", "2025-02-07", "day")]
    assert _found(nlp, text, None) == []


@pytest.mark.parametrize(
    "text",
    [
        "The dispute over the orchard lasted 20 years.",
        "The party ended three decades of rule.",
        "He served as harbour master for 20 years.",
        "The annual fair drew crowds.",
        "Officials gave daily briefings.",
        "A 55-year-old farmer was hurt.",
        "The farmer is 40 years old.",
        "The siege of the valley entered its third year.",
        "Prices have been falling recently.",
        "Now the town waits for news.",
        "The town grew quickly in the 1990s.",
        "She won the seat by 2000 votes.",
        "Three days later the road reopened.",
        "The mayor told USA Today about the plan.",
    ],
)
def test_durations_ages_and_vague_words_are_not_dates(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    assert _found(nlp, text, PUB) == []
    assert _found(nlp, text, None) == []


def test_offsets_and_sentence_of_each_mention(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The harbour closed.\nOn Friday the ferry sank. Divers arrived in 2019."
    mentions = extract(nlp(text), PUB)
    assert [(text[m.start : m.end], text[m.sentence_start : m.sentence_end]) for m in mentions] == [
        ("Friday", "On Friday the ferry sank."),
        ("2019", "Divers arrived in 2019."),
    ]


def test_same_text_same_result(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "On Friday, a week after talks began last week, the board met; it meets again next month."
    assert extract(nlp(text), PUB) == extract(nlp(text), PUB)


_FRAGMENTS = st.sampled_from(
    ["on Friday", " in 2014", "December 26", ", 2024", "last week", "3 ago", "mid-", "the ", "\n", "'s", ". "]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.one_of(st.text(max_size=12), _FRAGMENTS), max_size=12), dated=st.booleans())
def test_arbitrary_text_never_breaks_offsets(nlp, parts: list[str], dated: bool) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("".join(parts))
    for m in extract(doc, PUB if dated else None):
        assert 0 <= m.sentence_start <= m.start < m.end <= m.sentence_end <= len(doc.text)
        assert doc.text[m.start : m.end] == m.expression
        assert m.precision in ("day", "month", "year", "unresolved")
        assert (m.value is None) == (m.precision == "unresolved")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Diplomats said the council would review the plan on March 12.", "2031-03-12"),
        ("The council reviews the plan on March 12.", "2031-03-12"),
        ("The council reviewed the plan on March 12.", "2030-03-12"),
        ("The council meets again in December.", "2030-12"),
    ],
)
def test_a_date_without_a_year_follows_tense_else_the_nearest_year(nlp, text: str, value: str) -> None:  # type: ignore[no-untyped-def]
    (found,) = extract(nlp(text), "2031-03-08")
    assert found.value == value


# Published on a Friday (PUB): the Monday before is 3 February, the one after 10 February.
@pytest.mark.parametrize(
    ("text", "value"),
    [
        # Plans: an infinitive under a present clause or none, the present progressive, the
        # timetable present, "for"/"from"/"until" a day in a present clause.
        ("Ferry fares to rise on Monday", "2025-02-10"),
        ("The ferry company is due to raise fares on Monday.", "2025-02-10"),
        ("The union has agreed to meet the owners on Monday.", "2025-02-10"),
        ("Ministers are meeting on Monday.", "2025-02-10"),
        ("The council meets on Monday to vote on the budget.", "2025-02-10"),
        ("The new tariff applies from Monday.", "2025-02-10"),
        ("The museum stays shut until Monday.", "2025-02-10"),
        ("The union has called a strike for Monday.", "2025-02-10"),
        ("The mayor said the ferry would run again from Monday.", "2025-02-10"),
        # Reports stay in the past.
        ("Talks opened on Monday.", "2025-02-03"),
        ("The mayor said on Monday that the ferry would run again.", "2025-02-03"),
        ("Ministers were meeting on Monday when the news broke.", "2025-02-03"),
        ("The strike lasted until Monday.", "2025-02-03"),
        ("Fares have risen since Monday.", "2025-02-03"),
        ("The captain tried to reach the harbour on Monday.", "2025-02-03"),
        ("The talks were due to resume on Monday but collapsed.", "2025-02-03"),
        ("The talks, which were scheduled for Monday, were called off.", "2025-02-03"),
        ("The harbour master could give no reason on Monday.", "2025-02-03"),
        # A habit is no plan, nor is the day of the subject of a present verb.
        ("The port generally announces its fees on Monday.", "2025-02-03"),
        ("A statement late on Monday means the ferry runs again.", "2025-02-03"),
    ],
)
def test_a_weekday_follows_the_tense_of_its_clause(nlp, text: str, value: str) -> None:  # type: ignore[no-untyped-def]
    (found,) = extract(nlp(text), PUB)
    assert (found.expression, found.value) == ("Monday", value)


@pytest.mark.parametrize(
    ("published", "value"),
    [
        ("2025-02-08", "2025-02-10"),  # a Saturday: Monday is two days ahead, five back
        ("2025-02-05", "2025-02-03"),  # a Wednesday: two days back, five ahead
    ],
)
def test_a_headline_in_the_present_takes_the_nearest_weekday(nlp, published: str, value: str) -> None:  # type: ignore[no-untyped-def]
    # Headlines report the past in the present ("Talks resume Monday") as often as they announce.
    text = "Ferry talks resume Monday\nThe two sides met in the harbour office."
    (found,) = extract(nlp(text), published)
    assert (found.expression, found.value) == ("Monday", value)


def test_a_plan_reported_in_the_past_takes_the_nearest_weekday(nlp) -> None:  # type: ignore[no-untyped-def]
    # Reported speech shifts tenses back whether or not the day is still ahead.
    text = "The mediator said the talks were due to resume on Monday."
    assert [m.value for m in extract(nlp(text), "2025-02-08")] == ["2025-02-10"]
    assert [m.value for m in extract(nlp(text), "2025-02-05")] == ["2025-02-03"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The talks are due to resume on Monday.", "2025-02-10"),
        ("The talks were due to resume on Monday.", "2025-02-03"),
        ("The vote had been scheduled for Monday.", "2025-02-03"),
    ],
)
def test_without_a_parse_cue_words_place_a_weekday(nlp, text: str, value: str) -> None:  # type: ignore[no-untyped-def]
    (found,) = extract(nlp.make_doc(text), PUB)
    assert found.value == value

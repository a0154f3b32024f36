"""Quoted words that name something (a programme, a book, a coin, a scheme, a nickname) are no
speech, whatever verb governs their sentence; quoted speech in title case ("No.") stays speech."""

from __future__ import annotations

import pytest

from storyline.annotate import quotes
from storyline.annotate.quotenames import title_case


def quoted(nlp, text: str) -> list[tuple]:  # type: ignore[no-untyped-def]
    """(kind, content, cue, speaker as written) of the quotations (not reported speech) of `text`."""
    return [
        (a.kind, text[a.start : a.end], a.cue, a.speaker_text)
        for a in quotes.extract(nlp(text))
        if a.kind != "indirect"
    ]


@pytest.mark.parametrize(
    "text",
    [
        # a programme after a possessive, and one before the noun it modifies
        'Senator Dana Reyes told the network\'s "Morning Forum" that rates must fall.',
        'Treasury Secretary Paul Ekdahl said on the network\'s "Sunday Review" program that he was sure.',
        # a name after a determiner, a coin "called the", a naming word in lower case
        'The mint will issue a new gold coin called the "Sovereign Star" next month, officials said.',
        'This so-called "bridge" financing will be replaced by a loan, the bank said.',
        'Farmers blamed pests known as "brown hoppers" for the damage, the report said.',
        # a nickname between a name's parts
        'Company chairman C.J. "Pete" Halvorsen said the sale would close in May.',
        # a title set off by commas after the noun it names
        'Reyes, appearing on the radio program, "Week in Review With Ann Lo," admitted the bill was dead.',
        'Appearing on the radio program, "Week in Review," the senator said the bill was dead.',
        # a report's headline, a fare's name
        'Lawson told journalists a newspaper report headed "Rate Targets Set" was wrong.',
        'The fare, called "City Nights," lets passengers fly for less, the airline said.',
    ],
)
def test_a_quoted_name_is_not_a_quotation(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    assert quoted(nlp, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('Asked to rate the tenure, Reyes replied, "Long."', ("direct", "Long.", "replied", "Reyes")),
        ('Dana Reyes said, "Nothing."', ("direct", "Nothing.", "said", "Dana Reyes")),
        ('Dana Reyes told reporters "No."', ("partial", "No.", "told", "Dana Reyes")),
        ('Asked about the plan, "Nonsense," he said.', ("direct", "Nonsense", "said", "he")),
        # someone calls something by the words: those are the speaker's words
        ('Ms. Lind called Mr. Okafor a "Paper Tiger."', ("partial", "Paper Tiger.", "called", "Lind")),
    ],
)
def test_quoted_speech_in_title_case_stays_a_quotation(nlp, text: str, expected: tuple) -> None:  # type: ignore[no-untyped-def]
    assert quoted(nlp, text) == [expected]


def test_a_participle_before_a_noun_is_no_cue(nlp) -> None:  # type: ignore[no-untyped-def]
    text = 'The union rejected the previous offer, made in May, the "final" proposed revision of its terms.'
    assert all(cue != "proposed" for _, _, cue, _ in quoted(nlp, text))


def test_title_case() -> None:
    assert title_case(["Meet", "the", "Press"]) and title_case(["Apollo", "13"])
    assert not title_case(["we", "will", "wait"])

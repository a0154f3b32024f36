"""Fragments that must not come out as quotations: a word cut at its hyphen, the object of a verb
that says nothing, the attribution clause itself, or an elided verb's bare "to"."""

from __future__ import annotations

import pytest

from storyline.annotate import quotes


def found(nlp, text: str) -> list[tuple]:  # type: ignore[no-untyped-def]
    """(kind, content, cue, speaker as written) per attribution."""
    return [(a.kind, text[a.start : a.end], a.cue, a.speaker_text) for a in quotes.extract(nlp(text))]


def contents(nlp, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [content for _, content, _, _ in found(nlp, text)]


# --- spans keep whole words ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("The ministry wants to de-escalate.", "to de-escalate"),
        ("The council wants to re-open the bridge.", "to re-open"),
    ],
)
def test_reported_content_does_not_stop_at_a_hyphen(nlp, text: str, content: str) -> None:  # type: ignore[no-untyped-def]
    assert content in contents(nlp, text)


def test_every_span_starts_and_ends_on_a_word_boundary(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The ministry wants to de-escalate. Officials say they don’t expect a deal. "
        "The council plans to re-examine the co-operation pact, its chair said."
    )
    for attribution in quotes.extract(nlp(text)):
        before = text[attribution.start - 1] if attribution.start > 0 else " "
        after = text[attribution.end] if attribution.end < len(text) else " "
        assert not before.isalnum() and not after.isalnum(), text[attribution.start : attribution.end]
        assert after not in "-’" or not text[attribution.end + 1].isalnum()


# --- "call for": a demand, not a date ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Lena Varga has called a second vote for Thursday.",
        "The mayor called a meeting for next Tuesday.",
        "Ohio was called for Ann Lee an hour after the polls closed.",
    ],
)
def test_call_with_a_date_or_in_the_passive_reports_nothing(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    assert found(nlp, text) == []


def test_call_for_a_demand_is_still_reported(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Bo Stern called for an inquiry into the fire."
    assert found(nlp, text) == [("indirect", "an inquiry into the fire", "called for", "Bo Stern")]


# --- the attribution clause is not what was said -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        (
            "“The less we say now, the more they can agree to later,” she said.",
            "The less we say now, the more they can agree to later",
        ),
        ("“I feel bad about the delay,” the spokesman said.", "I feel bad about the delay"),
        ("“We will find out soon enough,” he said.", "We will find out soon enough"),
    ],
)
def test_said_after_a_quotation_is_not_reported_speech_of_a_quoted_verb(nlp, text: str, quoted: str) -> None:  # type: ignore[no-untyped-def]
    (only,) = found(nlp, text)
    assert only[:3] == ("direct", quoted, "said")


def test_a_reporting_clause_is_not_the_content_of_its_own_complement(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The mayor’s deputy later asserted that unnamed engineers agree with her."
    assert found(nlp, text) == [
        ("indirect", "unnamed engineers agree with her", "asserted", "The mayor’s deputy")
    ]


@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        ("Farmers feel squeezed, Ann Lee said.", "Farmers feel squeezed", "Ann Lee"),
        ("He agreed, his lawyer said.", "He agreed", "his lawyer"),
    ],
)
def test_content_before_its_cue_keeps_one_reading(nlp, text: str, content: str, speaker: str) -> None:  # type: ignore[no-untyped-def]
    assert found(nlp, text) == [("indirect", content, "said", speaker)]


def test_a_bare_speech_verb_after_its_cue_is_still_content(nlp) -> None:  # type: ignore[no-untyped-def]
    assert found(nlp, "Bo Stern said he was joking.") == [("indirect", "he was joking", "said", "Bo Stern")]


def test_a_subordinate_clause_is_no_aside(nlp) -> None:  # type: ignore[no-untyped-def]
    # "feel" under "betting that …" is not an aside whose content is "Ann Lee is betting".
    text = "Ann Lee is betting that voters feel tired of the fight."
    assert "Ann Lee is betting" not in contents(nlp, text)


def test_an_as_aside_is_still_read(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Prices will keep rising, as Ann Lee noted in March."
    assert found(nlp, text) == [("indirect", "Prices will keep rising", "noted", "Ann Lee")]


# --- other fragments -----------------------------------------------------------------------------


def test_an_elided_infinitive_is_not_content(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "They could pick any route they wanted to, or they could stay home if they didn't want to."
    assert found(nlp, text) == []


def test_a_noun_tagged_as_verb_is_not_the_cue_of_a_scare_quote(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The strike leader calls the company’s 4% offer “a joke”; talks stall"
    assert found(nlp, text) == [("partial", "a joke", "calls", "The strike leader")]


def test_short_scare_quotes_stay_partial(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "She described the plan as “reckless” and said it would fail."
    assert ("partial", "reckless", "described", "She") in found(nlp, text)

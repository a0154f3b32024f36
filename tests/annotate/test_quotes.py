"""Quotations and reported speech: quote-mark pairing, cues, speakers, and offsets that hold."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.annotate import quotes
from storyline.annotate.quotemarks import quote_spans


def found(nlp, text: str) -> list[tuple]:  # type: ignore[no-untyped-def]
    """(kind, content, cue, speaker as written, speaker name, resolved_by) per attribution."""
    rows = []
    for a in quotes.extract(nlp(text)):
        name = text[a.speaker_start : a.speaker_end] if a.speaker_start is not None else None
        rows.append((a.kind, text[a.start : a.end], a.cue, a.speaker_text, name, a.resolved_by))
    return rows


# --- pairing quote marks -------------------------------------------------------------------------


def contents(text: str) -> list[str]:
    return [text[q.start : q.end] for q in quote_spans(text)]


def test_pairs_curly_straight_and_doubled_apostrophe_marks() -> None:
    text = "“One,” she said. \"Two\" and ''three,'' he said."
    assert contents(text) == ["One", "Two", "three"]


def test_a_closing_glyph_used_as_an_opener_still_opens() -> None:
    text = "He replied,”The deal is off.” Then he left."
    assert contents(text) == ["The deal is off."]


def test_an_unclosed_quote_runs_to_the_end_of_its_paragraph_only() -> None:
    text = "She said “we will wait and see\nNext paragraph “with a quote” here."
    assert contents(text) == ["we will wait and see", "with a quote"]


def test_marks_include_the_quote_marks_and_content_excludes_them() -> None:
    text = 'Ann said: "Go home."'
    (q,) = quote_spans(text)
    assert (text[q.open : q.close], text[q.start : q.end]) == ('"Go home."', "Go home.")


def test_marks_inside_markup_are_not_quotations() -> None:
    text = '<post author="ann" id="7">Lovely day</post> and “a quote”.'
    assert contents(text) == ["a quote"]


def test_marks_with_no_words_between_are_ignored() -> None:
    assert contents('He drew “ ” and "..." on the board.') == []


# --- direct quotations ---------------------------------------------------------------------------


def test_quote_split_around_the_cue_gives_two_attributions_with_one_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Interior Minister Tomas Varga spoke on Monday. “We are open to talks,” he said, "
        "“if anyone finds it hard to understand our position.”"
    )
    assert found(nlp, text) == [
        ("direct", "We are open to talks", "said", "he", "Tomas Varga", "pronoun"),
        (
            "direct",
            "if anyone finds it hard to understand our position.",
            "said",
            "he",
            "Tomas Varga",
            "pronoun",
        ),
    ]


def test_mismatched_mark_glued_to_the_cue(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Varga echoed this view, stating,”The treaty failed. It was doomed from the start.”"
    assert found(nlp, text) == [
        ("direct", "The treaty failed. It was doomed from the start.", "stating", "Varga", "Varga", "name")
    ]


def test_speaker_and_colon_before_a_multi_sentence_quote(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Elena Marsh stated: “The plan is dead. We will not revive it.”"
    assert found(nlp, text) == [
        ("direct", "The plan is dead. We will not revive it.", "stated", "Elena Marsh", "Elena Marsh", "name")
    ]


def test_cue_before_the_quote_in_the_paragraph_above(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Pieter Holm said:\n“The dam is safe.”"
    assert found(nlp, text) == [("direct", "The dam is safe.", "said", "Pieter Holm", "Pieter Holm", "name")]


def test_inverted_cue_after_the_quote(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "“The border will stay closed,” said Pieter Holm."
    assert found(nlp, text) == [
        ("direct", "The border will stay closed", "said", "Pieter Holm", "Pieter Holm", "name")
    ]


def test_name_then_cue_after_a_straight_quoted_sentence(nlp) -> None:  # type: ignore[no-untyped-def]
    assert found(nlp, '"We reject the offer," Marsh stated.') == [
        ("direct", "We reject the offer", "stated", "Marsh", "Marsh", "name")
    ]


def test_doubled_apostrophes_as_quote_marks(nlp) -> None:  # type: ignore[no-untyped-def]
    assert found(nlp, "''The talks are over,'' said Tomas Varga.") == [
        ("direct", "The talks are over", "said", "Tomas Varga", "Tomas Varga", "name")
    ]


def test_a_following_quote_without_a_cue_continues_the_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "“We have waited long enough,” Anna Berg told reporters. “The vote must happen now.”"
    assert found(nlp, text) == [
        ("direct", "We have waited long enough", "told", "Anna Berg", "Anna Berg", "name"),
        ("direct", "The vote must happen now.", "told", "Anna Berg", "Anna Berg", "name"),
    ]


def test_pronoun_resolves_to_the_person_in_the_paragraph_above(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Elena Marsh spoke first.\n\n“We will not move,” she said."
    assert found(nlp, text) == [("direct", "We will not move", "said", "she", "Elena Marsh", "pronoun")]


# --- partial quotations --------------------------------------------------------------------------


def test_partial_quote_takes_the_subject_of_its_characterising_verb(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Speaking in Oslo, Elena Marsh rejected the proposal, describing it as “a non-starter” for now."
    assert found(nlp, text) == [
        ("partial", "a non-starter", "describing", "Elena Marsh", "Elena Marsh", "name")
    ]


def test_partial_then_direct_quote_by_the_same_person(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Anna Berg called the plan “reckless.” Later she added: “It must be stopped.”"
    assert found(nlp, text) == [
        ("partial", "reckless.", "called", "Anna Berg", "Anna Berg", "name"),
        ("direct", "It must be stopped.", "added", "she", "Anna Berg", "pronoun"),
    ]


def test_a_quoted_title_is_not_speech(nlp) -> None:  # type: ignore[no-untyped-def]
    assert found(nlp, "The senator watched “Night Train” on Friday.") == []


# --- reported speech -----------------------------------------------------------------------------


def test_that_clauses_of_reporting_verbs_and_nouns(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Marsh argues that the region needs calm. She rejects Norland's claim that the dam is safe."
    assert found(nlp, text) == [
        ("indirect", "the region needs calm", "argues", "Marsh", "Marsh", "name"),
        ("indirect", "the dam is safe", "claim", "Norland", "Norland", "name"),
    ]


def test_stated_that(nlp) -> None:  # type: ignore[no-untyped-def]
    assert found(nlp, "Marsh stated that the talks had failed.") == [
        ("indirect", "the talks had failed", "stated", "Marsh", "Marsh", "name")
    ]


@pytest.mark.parametrize(
    ("text", "content", "cue"),
    [
        (
            "According to the Finance Ministry, revenue fell by 4 percent.",
            "revenue fell by 4 percent",
            "According to",
        ),
        (
            "Revenue fell by 4 percent, according to the Finance Ministry.",
            "Revenue fell by 4 percent",
            "according to",
        ),
    ],
)
def test_according_to(nlp, text: str, content: str, cue: str) -> None:  # type: ignore[no-untyped-def]
    assert found(nlp, text) == [
        ("indirect", content, cue, "the Finance Ministry", "the Finance Ministry", "name")
    ]


def test_a_parenthetical_cue_keeps_the_whole_clause(nlp) -> None:  # type: ignore[no-untyped-def]
    assert found(nlp, "Many delays, the mayor said, were caused by rain.") == [
        (
            "indirect",
            "Many delays, the mayor said, were caused by rain",
            "said",
            "the mayor",
            "the mayor",
            "name",
        )
    ]


# --- titles --------------------------------------------------------------------------------------


def test_title_resolves_to_the_person_given_that_title_in_apposition(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Tomas Varga, the Norland interior minister, met reporters. "
        "Later, the interior minister said the border would reopen."
    )
    assert found(nlp, text) == [
        ("indirect", "the border would reopen", "said", "the interior minister", "Tomas Varga", "title")
    ]


def test_title_skips_a_more_recent_person_without_that_title(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Norland Interior Minister Tomas Varga arrived late. Elena Marsh greeted him. "
        "The interior minister said he was tired."
    )
    assert found(nlp, text) == [
        ("indirect", "he was tired", "said", "The interior minister", "Tomas Varga", "title")
    ]


# --- robustness ----------------------------------------------------------------------------------


def test_unclosed_quote_in_a_cued_sentence(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "She said “no and left. Nobody followed"
    assert found(nlp, text) == [("partial", "no and left. Nobody followed", "said", "She", "She", "none")]


def test_mentions_give_the_speaker_as_written(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Elena Marsh spoke first. “We will not move,” she said."
    ((attribution, mention),) = quotes.extract_with_mentions(nlp(text))
    assert mention is not None and text[mention[0] : mention[1]] == "she"
    assert text[attribution.speaker_start : attribution.speaker_end] == "Elena Marsh"


_ALPHABET = st.sampled_from(
    list("abcXY .,:;!?-\n") + ['"', "“", "”", "''", "‘", "’", "«", "»", "😀", "\u200b", "\u00a0", "\t"]
)
_WORDS = st.sampled_from(
    ["said", "he", "she", "Ann Lee", "according to", "stated that", "the minister", "told"]
)
_TEXT = st.lists(st.one_of(_ALPHABET, _WORDS), max_size=40).map("".join)


def _check(text: str, attributions: list) -> None:  # type: ignore[type-arg]
    for a in attributions:
        assert 0 <= a.start < a.end <= len(text)
        content = text[a.start : a.end]
        assert content == content.strip() and content
        if a.cue is not None:
            assert text[a.cue_start : a.cue_end] == a.cue
        if a.speaker_start is not None:
            assert 0 <= a.speaker_start < a.speaker_end <= len(text)
        assert a.kind in {"direct", "partial", "indirect"}
        assert a.resolved_by in {"name", "pronoun", "title", "none"}


@given(_TEXT)
def test_quote_spans_stay_inside_any_text(text: str) -> None:
    for q in quote_spans(text):
        assert 0 <= q.open < q.start < q.end <= q.close <= len(text)
        assert text[q.start : q.end].strip() == text[q.start : q.end]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_TEXT)
def test_extract_never_raises_and_spans_hold(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    _check(text, quotes.extract(nlp(text)))


def test_seed_articles_extract_cleanly(nlp, seeds_dir) -> None:  # type: ignore[no-untyped-def]
    texts = [path.read_text(encoding="utf-8") for path in sorted(seeds_dir.glob("*.txt"))]
    for doc in nlp.pipe(texts):
        attributions = quotes.extract(doc)
        _check(doc.text, attributions)
        assert all(a.speaker_start is not None for a in attributions if a.kind == "direct")

"""Quotations in wire copy: hard-wrapped lines, straight quotes typed for apostrophes, "NOTE:"
labels, transcripts and headline lines ("Name Says …", "Name Warns: …", "Name: …")."""

from __future__ import annotations

from storyline.annotate import quotes
from storyline.annotate.quotemarks import paragraphs, quote_spans

# Wire copy as cleaning leaves it: lines broken at ~65 characters, no blank line between paragraphs.
WIRE = (
    "Tarsana Bancorp said its board approved the sale of its card\n"
    "unit to Kessel Bank for 41 mln dlrs in cash, subject to approval\n"
    "by regulators.\n"
    "\"The price reflects the unit's growth over the past two years and\n"
    "its value to a larger bank,\" said Arvid Holm, the bank's chief\n"
    "financial officer.\n"
    'Analysts said the price was fair. "It is a good deal for both\n'
    'sides," said Lena Dahl, an analyst at Nordbank.\n'
)


def found(nlp, text: str) -> list[tuple]:  # type: ignore[no-untyped-def]
    """(kind, content, cue, speaker as written) per attribution."""
    return [(a.kind, text[a.start : a.end], a.cue, a.speaker_text) for a in quotes.extract(nlp(text))]


def test_a_quotation_runs_over_the_lines_of_hard_wrapped_text() -> None:
    spans = quote_spans(WIRE, paragraphs(WIRE))
    assert [WIRE[q.start : q.end] for q in spans] == [
        "The price reflects the unit's growth over the past two years and\nits value to a larger bank",
        "It is a good deal for both\nsides",
    ]


def test_paragraphs_are_lines_unless_the_text_is_hard_wrapped() -> None:
    text = "One paragraph.\nAnother one, with a comma,\nand a third."
    assert paragraphs(text) == [(0, 14), (15, 41), (42, 54)]
    assert len(paragraphs(WIRE)) == 4


def test_the_cue_after_a_wrapped_quotation_names_its_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    direct = [row for row in found(nlp, WIRE) if row[0] == "direct"]
    assert [(content.split("\n")[-1], cue, speaker) for _, content, cue, speaker in direct] == [
        ("its value to a larger bank", "said", "Arvid Holm"),
        ("sides", "said", "Lena Dahl"),
    ]


def test_a_straight_quote_typed_for_an_apostrophe_opens_nothing() -> None:
    text = 'Norland"s ruling party said "we will win." The party"s leader agreed.'
    assert [text[q.start : q.end] for q in quote_spans(text)] == ["we will win."]


def test_a_note_label_is_no_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Quarterly results follow.\nNOTE: Full name is Acme Holdings Inc.\nThe company said profit rose."
    assert found(nlp, text) == [("indirect", "profit rose", "said", "The company")]


def test_a_transcript_speaker_in_capitals_named_elsewhere_is_a_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "MARA LINDQVIST: Welcome back.\nOKAFOR: Thank you.\nLINDQVIST: Good to see you, Ada Okafor."
    assert [speaker for _, _, _, speaker in found(nlp, text)] == ["MARA LINDQVIST", "OKAFOR", "LINDQVIST"]


def test_a_headline_verb_is_the_cue_not_part_of_the_name(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Varga Warns: Norland Rejects Troops on Its Border\nTomas Varga spoke in Oslo on Monday."
    assert found(nlp, text) == [("indirect", "Norland Rejects Troops on Its Border", "Warns", "Varga")]
    text = "Central Bank Chief Halvorsen Says Rates Will Stay Low\nHalvorsen spoke on Monday."
    assert found(nlp, text) == [("indirect", "Rates Will Stay Low", "Says", "Halvorsen")]


def test_a_name_ending_in_a_speech_verb_form_stays_whole(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The United States has vowed to keep the strait open."
    assert found(nlp, text) == [("indirect", "to keep the strait open", "vowed", "The United States")]


def test_a_headline_surname_is_a_speaker_when_the_text_names_the_person(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Okafor: Budget cuts will hurt our schools\nGovernor Ada Okafor spoke on Monday in the capital."
    assert found(nlp, text) == [("indirect", "Budget cuts will hurt our schools", ":", "Okafor")]


def test_a_heading_with_a_verb_of_its_own_names_no_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Fault Lines Explained: What Comes Next?\nThe talks ended on Monday."
    assert all(cue != ":" for _, _, cue, _ in found(nlp, text))

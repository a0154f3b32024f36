"""Names that are figures: amounts in wire style ("7.15 billion N.Z. Dlrs"), labels of tables of
results, months before a number and tickers are not people, places or companies."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc, Span

from storyline.annotate import ner_relabel
from storyline.annotate.entities import extract
from storyline.annotate.ner_fixes import refine

# A blank English vocabulary: lexical attributes (numbers, lower case) without a model.
VOCAB = spacy.blank("en").vocab


def _refined(sentence: str, ents: list[tuple[int, int, str]]) -> list[tuple[str, str]]:
    doc = Doc(VOCAB, words=sentence.split())
    doc.ents = [Span(doc, a, b, label=label) for a, b, label in ents]
    return [(s.text, s.label_) for s in refine(doc)]


def test_a_name_ending_in_a_currency_after_a_number_is_the_amount() -> None:
    sentence = "Reserves fell to 7.15 billion N.Z. Dlrs in January ."
    assert _refined(sentence, [(5, 7, "PERSON"), (8, 9, "DATE")]) == [
        ("7.15 billion N.Z. Dlrs", "MONEY"),
        ("January", "DATE"),
    ]


def test_units_and_percentages_after_a_number_are_quantities() -> None:
    sentence = "Output rose 12 mln Tonnes , or 5 Pct ."
    assert _refined(sentence, [(3, 5, "ORG"), (8, 9, "PERSON")]) == [
        ("12 mln Tonnes", "QUANTITY"),
        ("5 Pct", "PERCENT"),
    ]


def test_a_currency_without_an_amount_is_no_name() -> None:
    assert _refined("Prices are quoted in U.S. Dlrs now .", [(4, 6, "PERSON")]) == []


def test_names_that_end_in_a_currency_word_stay_names_without_a_number() -> None:
    sentence = "Simon Marks met Ayn Rand , and 20 mln Rand changed hands ."
    assert _refined(sentence, [(0, 2, "PERSON"), (3, 5, "PERSON"), (9, 10, "PERSON")]) == [
        ("Simon Marks", "PERSON"),
        ("Ayn Rand", "PERSON"),
        ("20 mln Rand", "MONEY"),
    ]


def test_labels_of_a_table_of_results_are_no_names() -> None:
    sentence = "Net 12.6 mln vs 15.8 mln Revs 337.3 mln Avg shrs 51.7 mln"
    assert _refined(sentence, [(0, 1, "ORG"), (6, 7, "ORG"), (9, 10, "PERSON")]) == [("Net", "ORG")]


def test_the_operating_line_of_a_table_of_results_is_no_name() -> None:
    assert _refined("Oper shr 27 cts vs 29 cts", [(0, 1, "PERSON")]) == []


def test_a_range_of_months_is_a_date() -> None:
    sentence = "Cocoa Aug/Sept at 1,870 dlrs , March-May at 1,900 dlrs ."
    assert _refined(sentence, [(0, 2, "ORG"), (6, 7, "ORG")]) == [("Aug/Sept", "DATE"), ("March-May", "DATE")]


def test_a_month_before_a_number_is_a_date() -> None:
    sentence = "Maize Mar 48.0 , Apr nil , May 2.5 , total 48.0 , May said ."
    ents = [(0, 2, "PERSON"), (4, 5, "ORG"), (7, 8, "PERSON"), (13, 14, "PERSON")]
    assert _refined(sentence, ents) == [("Mar", "DATE"), ("Apr", "DATE"), ("May", "DATE"), ("May", "PERSON")]


def test_a_full_name_ending_in_a_month_stays_a_name() -> None:
    assert _refined("Bob May 68 70 72", [(0, 2, "PERSON")]) == [("Bob May", "PERSON")]


def test_a_person_in_capitals_in_a_lower_case_text_is_read_as_an_acronym() -> None:
    sentence = "Alfa-Laval AB < ALFS ST > and OPEC met J.R. Ewing and Ann Lee ."
    ents = [(0, 2, "ORG"), (3, 5, "PERSON"), (7, 8, "ORG"), (9, 11, "PERSON"), (12, 14, "PERSON")]
    assert _refined(sentence, ents) == [
        ("Alfa-Laval AB", "ORG"),
        ("ALFS ST", "ORG"),
        ("OPEC", "ORG"),
        ("J.R. Ewing", "PERSON"),
        ("Ann Lee", "PERSON"),
    ]


def test_wire_amounts_do_not_become_people_with_the_model(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Foreign reserves fell to 7.15 billion N.Z. Dlrs in January, the Reserve Bank said.")
    mentions, _ = extract(doc, nlp)
    assert [(m.text, m.label) for m in mentions] == [("Reserve Bank", "ORG")]
    money = [e.text for e in doc.ents if e.label_ == "MONEY"]
    assert money == ["7.15 billion N.Z. Dlrs"]


def _relabelled(monkeypatch, sentence: str, ents: list[tuple[int, int, str]]) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """What `refine` makes of the names a relabeller gives (`ents`), whatever the repairs were."""
    doc = Doc(VOCAB, words=sentence.split())

    def relabel(doc: Doc, spans: list[Span], words: list[str]) -> list[Span]:
        return [Span(doc, a, b, label=label) for a, b, label in ents]

    monkeypatch.setattr(ner_relabel, "relabel", relabel)
    return [(s.text, s.label_) for s in refine(doc, spacy.blank("en"))]


def test_the_names_the_relabeller_gives_are_checked_again(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    sentence = "Shares of Alfa AB < ALFS ST > rose to 5 Dlrs between Jan 26 and Feb 9 ."
    ents = [(5, 7, "PERSON"), (11, 12, "PERSON"), (16, 18, "PERSON")]
    assert _relabelled(monkeypatch, sentence, ents) == [("5 Dlrs", "MONEY"), ("Feb 9", "DATE")]

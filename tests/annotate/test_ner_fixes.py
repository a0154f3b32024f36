"""Document-level NER repairs on small docs whose entities the test sets by hand."""

from __future__ import annotations

from ner_docs import ner_doc as _doc
from spacy.tokens import Span

from storyline.annotate.ner_fixes import refine, shouting_sentences, truecased_words


def _ents(spans: list[Span]) -> list[tuple[str, str]]:
    return [(s.text, s.label_) for s in spans]


def test_trim_drops_article_possessive_and_score() -> None:
    doc = _doc(["the Red Cross 's team beat Kent 108-3 ."], [(0, 4, "ORG"), (6, 8, "ORG")])
    assert _ents(refine(doc)) == [("Red Cross", "ORG"), ("Kent", "ORG")]


def test_trim_cuts_a_name_at_a_bracket() -> None:
    doc = _doc(["Scott Draper ( Australia ) won ."], [(0, 4, "PERSON")])
    assert _ents(refine(doc)) == [("Scott Draper", "PERSON")]


def test_surnames_of_full_names_are_people_everywhere() -> None:
    doc = _doc(
        ["Maria Lopez won .", "Lopez smiled .", "Fans cheered Lopez ."], [(0, 2, "PERSON"), (3, 4, "ORG")]
    )
    assert _ents(refine(doc)) == [("Maria Lopez", "PERSON"), ("Lopez", "PERSON"), ("Lopez", "PERSON")]


def test_majority_label_and_acronym_in_brackets() -> None:
    doc = _doc(
        ["Acme Widget Corp ( AWC ) grew .", "Acme Widget Corp hired .", "Acme Widget Corp sold ."],
        [(0, 3, "ORG"), (8, 11, "ORG"), (13, 16, "GPE")],
    )
    assert (
        _ents(refine(doc))
        == [("Acme Widget Corp", "ORG"), ("AWC", "ORG")] + [("Acme Widget Corp", "ORG")] * 2
    )


def test_dateline_place_is_a_gpe_but_a_shouted_headline_is_not() -> None:
    doc = _doc(["OSLO 2024-05-01 The talks began .", "TARANGO , O'BRIEN WIN ."], [(0, 2, "DATE")])
    assert _ents(refine(doc)) == [("OSLO", "GPE")]


def test_truecasing_uses_the_document_and_lowercases_unknown_words() -> None:
    doc = _doc(["STORM HITS BERGEN HARBOUR", "The storm reached Bergen on Monday ."], [])
    shouting = shouting_sentences(doc)
    assert [s.text for s in shouting] == ["STORM HITS BERGEN HARBOUR"]
    assert truecased_words(doc, shouting)[:4] == ["storm", "hits", "Bergen", "harbour"]


def test_short_shouted_lines_are_capitalised() -> None:
    doc = _doc(["MONTE CARLO", "It rained ."], [])
    assert truecased_words(doc, shouting_sentences(doc))[:2] == ["Monte", "Carlo"]


def _lone(spans: list[Span], word: str) -> list[tuple[str, str]]:
    return [(s.text, s.label_) for s in spans if s.text == word]


def test_a_place_the_text_reads_as_one_is_no_surname() -> None:
    # A title-case heading read as a person's name ("Trigger Russia") must not make the country a
    # surname, here or where the text writes it again untagged.
    sentences = ["What Actions Trigger Russia ?", "Russia massed troops .", "Talks with Russia stalled ."]
    doc = _doc([*sentences, "Russia won ."], [(2, 4, "PERSON"), (5, 6, "GPE"), (11, 12, "GPE")])
    assert _lone(refine(doc), "Russia") == [("Russia", "GPE")] * 3


def test_a_surname_that_is_also_a_place_stays_a_person() -> None:
    # "Jordan" is a country, but the text does not mostly read it as a place.
    doc = _doc(
        ["Michael Jordan scored 30 .", "Jordan smiled .", "Fans cheered Jordan ."],
        [(0, 2, "PERSON"), (5, 6, "GPE"), (10, 11, "PERSON")],
    )
    assert _lone(refine(doc), "Jordan") == [("Jordan", "PERSON")] * 2


def test_a_surname_read_as_a_place_but_no_place_stays_a_person() -> None:
    doc = _doc(["Pierre Buyoya took power .", "Buyoya spoke ."], [(0, 2, "PERSON"), (5, 6, "GPE")])
    assert _ents(refine(doc)) == [("Pierre Buyoya", "PERSON"), ("Buyoya", "PERSON")]


def test_a_heading_read_as_a_person_with_the_model(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "What Actions Trigger Russia?\nRussia has warned that new bases would cross a line.\n"
        "Officials in Russia said talks could resume.\nRussia also wants guarantees."
    )
    assert _lone(refine(nlp(text), nlp), "Russia") == [("Russia", "GPE")] * 3

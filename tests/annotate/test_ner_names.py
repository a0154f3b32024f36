"""Names of the wrong kind: companies the model calls people, places in tables and prose, titles
glued to names, names cut at a hyphen; on small docs whose entities the test sets by hand."""

from __future__ import annotations

import spacy
from ner_docs import VOCAB
from ner_docs import ner_doc as _doc
from spacy.tokens import Doc, Span

from storyline.annotate import ner_relabel
from storyline.annotate.entities import extract
from storyline.annotate.ner_fixes import refine
from storyline.annotate.ner_names import common_words, correct


def _refined(sentences: list[str], ents: list[tuple[int, int, str]]) -> list[tuple[str, str]]:
    return [(s.text, s.label_) for s in refine(_doc(sentences, ents))]


def test_a_person_ending_in_a_legal_form_or_a_business_word_is_a_company() -> None:
    sentence = "Antibioticos SA , Union Bank and Texas Instruments met Ann Lee ."
    ents = [(0, 2, "PERSON"), (3, 5, "PERSON"), (6, 8, "PERSON"), (9, 11, "PERSON")]
    assert _refined([sentence], ents) == [
        ("Antibioticos SA", "ORG"),
        ("Union Bank", "ORG"),
        ("Texas Instruments", "ORG"),
        ("Ann Lee", "PERSON"),
    ]


def test_a_legal_form_right_after_a_person_is_taken_into_the_company() -> None:
    assert _refined(["Buckhorn Inc said it grew ."], [(0, 1, "PERSON")]) == [("Buckhorn Inc", "ORG")]


def test_a_ticker_after_a_name_makes_it_a_company_but_a_country_does_not() -> None:
    sentence = "Atlas Copco < ATLC ST > and Volvo ( VOLV.ST ) hired Pete Sampras ( U.S. ) ."
    ents = [(0, 2, "PERSON"), (7, 8, "PERSON"), (12, 14, "PERSON"), (15, 16, "GPE")]
    assert _refined([sentence], ents) == [
        ("Atlas Copco", "ORG"),
        ("Volvo", "ORG"),
        ("Pete Sampras", "PERSON"),
        ("U.S.", "GPE"),
    ]


def test_a_name_the_document_writes_as_a_company_is_one_everywhere() -> None:
    sentences = [
        "Cheung Kong ( Holdings ) Ltd rose .",
        "Teck Hock and Co Pte Ltd fell .",
        "Cheung Kong and Teck Hock said profits grew .",
    ]
    ents = [(16, 18, "PERSON"), (19, 21, "PERSON")]
    # The names are found again in the first two lines (one document, one sense), as companies.
    assert _refined(sentences, ents) == [("Cheung Kong", "ORG"), ("Teck Hock", "ORG")] * 2


def test_the_surname_of_a_person_named_in_full_stays_a_person() -> None:
    sentences = ["Ford Motor Co grew .", "Gerald Ford spoke .", "Ford smiled ."]
    ents = [(0, 3, "ORG"), (5, 7, "PERSON"), (9, 10, "PERSON")]
    assert _refined(sentences, ents) == [
        ("Ford Motor Co", "ORG"),
        ("Gerald Ford", "PERSON"),
        ("Ford", "PERSON"),
    ]


def test_titles_are_cut_from_names_and_a_lone_honorific_is_dropped() -> None:
    sentences = ["Treasurer Paul Keating met Sheikh Ali .", "Sheikh spoke .", "King scored ."]
    ents = [(0, 3, "PERSON"), (4, 6, "PERSON"), (7, 8, "PERSON"), (10, 11, "PERSON")]
    assert _refined(sentences, ents) == [("Paul Keating", "PERSON"), ("Ali", "PERSON"), ("King", "PERSON")]


def test_a_title_that_leaves_a_common_word_opens_an_organisation() -> None:
    # The relabeller calls "General Binding" a person; its title cut would leave "Binding", a word
    # the text writes in lower case and names no one with.
    sentences = ["General Binding will sell binding machines ."]
    assert _refined(sentences, [(0, 2, "PERSON")]) == [("General Binding", "ORG")]


def _corrected(
    sentences: list[str], ents: list[tuple[int, int, str]], lexicon: set[str]
) -> list[tuple[str, str]]:
    doc = _doc(sentences, [])
    spans = [Span(doc, a, b, label=label) for a, b, label in ents]
    return [(s.text, s.label_) for s in correct(doc, spans, [t.text for t in doc], frozenset(lexicon))]


def test_a_title_that_leaves_a_word_of_the_lexicon_opens_an_organisation() -> None:
    ents = [(0, 2, "PERSON"), (3, 5, "PERSON")]
    assert _corrected(["Grand Metropolitan bought General Binding ."], ents, {"metropolitan", "binding"}) == [
        ("Grand Metropolitan", "ORG"),
        ("General Binding", "ORG"),
    ]


def test_a_title_still_leaves_a_name() -> None:
    # A common word is a name after an honorific or a short title, or where the text names a person
    # with it elsewhere; a word that is no common word is a name.
    sentences = ["Mr. Brown met General Young and General Setijana .", "Steve Young smiled ."]
    ents = [(0, 2, "PERSON"), (3, 5, "PERSON"), (6, 8, "PERSON"), (9, 11, "PERSON")]
    assert _corrected(sentences, ents, {"brown", "young", "binding"}) == [
        ("Brown", "PERSON"),
        ("Young", "PERSON"),
        ("Setijana", "PERSON"),
        ("Steve Young", "PERSON"),
    ]


def test_the_lexicon_is_the_pipelines_verbs_adjectives_and_adverbs(nlp) -> None:  # type: ignore[no-untyped-def]
    words = common_words(nlp)
    assert {"binding", "electric", "quickly"} <= words
    assert not {"reagan", "kohl", "setijana"} & words  # WordNet's nouns hold people
    assert common_words(spacy.blank("en")) == frozenset()


def test_a_company_opened_by_a_title_word_with_the_model(nlp) -> None:  # type: ignore[no-untyped-def]
    mentions, _ = extract(nlp("General Binding said it reached a marketing agreement."), nlp)
    assert [(m.text, m.label) for m in mentions] == [("General Binding", "ORG")]


def test_a_place_of_several_words_or_with_a_place_word_is_no_person() -> None:
    sentence = "Pickets in Los Angeles and on the Ohio River met Mickey Rivers ."
    ents = [(2, 4, "PERSON"), (7, 9, "PERSON"), (10, 12, "PERSON")]
    assert _refined([sentence], ents) == [
        ("Los Angeles", "GPE"),
        ("Ohio River", "LOC"),
        ("Mickey Rivers", "PERSON"),
    ]


def _table(rows: list[str], ents: list[tuple[int, int, str]]) -> list[tuple[str, str]]:
    """A doc of table rows, one a line (as cleaned wire copy writes them), and its refined names."""
    words: list[str] = []
    spaces: list[bool] = []
    for row in rows:
        cells = row.split()
        words += [*cells, "\n"]
        spaces += [True] * (len(cells) - 1) + [False, False]
    doc = Doc(VOCAB, words=words, spaces=spaces)
    doc.ents = [Span(doc, a, b, label=label) for a, b, label in ents]
    return [(s.text, s.label_) for s in refine(doc)]


def test_a_person_leading_a_row_of_a_table_of_places_is_a_place() -> None:
    rows = ["Chicago -- 3.04 2.98", "Toledo -- 3.04 2.90", "Duluth 2.65 2.71 --"]
    ents = [(0, 1, "ORG"), (5, 6, "GPE"), (10, 11, "PERSON")]
    assert _table(rows, ents) == [("Chicago", "ORG"), ("Toledo", "GPE"), ("Duluth", "GPE")]


def test_people_leading_the_rows_of_a_table_of_people_stay_people() -> None:
    rows = ["Ernie Els 68 70", "Nick Price 69 71", "Chicago 70 72"]
    ents = [(0, 2, "PERSON"), (5, 7, "PERSON"), (10, 11, "GPE")]
    assert _table(rows, ents) == [("Ernie Els", "PERSON"), ("Nick Price", "PERSON"), ("Chicago", "GPE")]


def _spaced(words: list[str], spaces: list[bool], ents: list[tuple[int, int, str]]) -> list[tuple[str, str]]:
    doc = Doc(VOCAB, words=words, spaces=spaces)
    doc.ents = [Span(doc, a, b, label=label) for a, b, label in ents]
    return [(s.text, s.label_) for s in refine(doc)]


def test_a_name_is_not_cut_at_a_hyphen_inside_a_word() -> None:
    words = ["Sheikh", "Abdul", "-", "Aziz", "met", "Li", "Ka", "-", "shing", "-", "Brazil"]
    spaces = [True, False, False, True, True, True, False, False, True, True, False]
    ents = [(0, 4, "PERSON"), (5, 11, "PERSON")]
    assert _spaced(words, spaces, ents) == [("Abdul-Aziz", "PERSON"), ("Li Ka-shing", "PERSON")]


def test_a_hyphen_between_two_places_still_ends_a_name() -> None:
    words = ["the", "Russia", "-", "Ukraine", "Conflict", "grew"]
    spaces = [True, False, False, True, True, False]
    assert _spaced(words, spaces, [(0, 5, "FAC")]) == [("Russia", "FAC")]


def test_the_last_part_of_a_hyphenated_name_is_no_surname() -> None:
    words = ["Specialty", "Steels", "-", "Europe", "grew", ".", "It", "sells", "in", "Europe", "."]
    spaces = [True, False, False, True, False, True, True, True, True, False, False]
    ents = [(0, 4, "PERSON"), (9, 10, "LOC")]
    assert _spaced(words, spaces, ents) == [("Specialty Steels-Europe", "PERSON"), ("Europe", "LOC")]


def test_the_names_the_relabeller_gives_are_put_right_too(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(["Treasurer Paul Keating and Union Bank met in Sri Lanka ."], [])

    def relabel(doc: Doc, spans: list[Span], words: list[str]) -> list[Span]:
        return [Span(doc, a, b, label="PERSON") for a, b in ((0, 3), (4, 6), (8, 10))]

    monkeypatch.setattr(ner_relabel, "relabel", relabel)
    assert [(s.text, s.label_) for s in refine(doc, spacy.blank("en"))] == [
        ("Paul Keating", "PERSON"),
        ("Union Bank", "ORG"),
        ("Sri Lanka", "GPE"),
    ]


def test_wire_copy_with_the_model(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Demand will slow this year, Treasurer Paul Keating said. Shares of Buckhorn Inc rose.")
    mentions, _ = extract(doc, nlp)
    assert ("Paul Keating", "PERSON") in [(m.text, m.label) for m in mentions]
    assert not any(m.label == "PERSON" and ("Treasurer" in m.text or "Buckhorn" in m.text) for m in mentions)

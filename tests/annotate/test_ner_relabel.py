"""The name relabeller: candidates, features and decoding on docs the tests build, with tiny
hand-set models; and the shipped model on a few invented news sentences."""

from __future__ import annotations

import numpy as np
import pytest
from ner_docs import ner_doc as _doc
from spacy.tokens import Doc

from storyline.annotate import ner_fixes
from storyline.annotate.ner_relabel import (
    NONE,
    Candidate,
    RelabelModel,
    Stage,
    agreement_features,
    candidates,
    features,
    relabel,
    to_spacy_label,
)

CLASSES = ("LOC", "MISC", NONE, "ORG", "PER")


def _cands(doc: Doc) -> list[tuple[int, int, str, str]]:
    words = [t.text for t in doc]
    return [(c.start, c.end, c.label, c.origin) for c in candidates(doc, list(doc.ents), words)]


def _model(weights: dict[str, str], strength: float = 5.0) -> RelabelModel:
    """Both stages: each named feature votes for one class; with none of them a span is no name."""
    vocabulary = {name: i for i, name in enumerate(weights)}
    coef = np.zeros((len(CLASSES), len(vocabulary)), dtype=np.float32)
    for name, kind in weights.items():
        coef[CLASSES.index(kind), vocabulary[name]] = strength
    intercept = np.zeros(len(CLASSES), dtype=np.float32)
    intercept[CLASSES.index(NONE)] = 1.0
    stage = Stage(CLASSES, vocabulary, coef, intercept)
    return RelabelModel(stage, stage, 1.0, "", ())


def _relabel(doc: Doc, model: RelabelModel) -> list[tuple[str, str]]:
    spans = relabel(doc, list(doc.ents), [t.text for t in doc], model)
    return [(s.text, s.label_) for s in spans]


def test_a_name_is_cut_at_numbers_inside_it() -> None:
    doc = _doc(["Ayr 6 Berwick won ."], [(0, 3, "ORG")])
    assert _cands(doc) == [(0, 3, "ORG", "ent"), (0, 1, "ORG", "part"), (2, 3, "ORG", "part")]


def test_names_are_joined_across_a_short_lower_case_word() -> None:
    doc = _doc(["Human Rights in China said ."], [(0, 2, "ORG"), (3, 4, "GPE")])
    assert _cands(doc) == [(0, 2, "ORG", "ent"), (3, 4, "GPE", "ent"), (0, 4, "ORG", "join1")]


def test_capitalised_runs_outside_the_names_are_candidates() -> None:
    doc = _doc(["Then Maria Lopez and Bob spoke ."], [])
    assert _cands(doc) == [(0, 3, "", "run"), (4, 5, "", "run"), (0, 5, "", "join1")]


def test_features_see_a_results_line() -> None:
    doc = _doc(["Ayr 6 Berwick 2"], [(0, 1, "GPE"), (2, 3, "GPE")])
    words = [t.text for t in doc]
    row = features(doc, [Candidate(2, 3, "GPE", "ent")], words)[0]
    assert {"between_numbers", "num=high", "p1=d", "n1=d", "w=berwick", "lab=GPE"} <= set(row)


def test_agreement_features_read_the_first_stage() -> None:
    words = ["Paris", "1", "London", "2", "Rome", "3"]
    found = [Candidate(0, 1, "GPE", "ent"), Candidate(2, 3, "GPE", "ent"), Candidate(4, 5, "GPE", "ent")]
    chosen = [(found[0], "ORG"), (found[1], "ORG"), (found[2], "LOC")]
    rows = agreement_features(found, words, chosen)
    assert rows[0] == ["2:self=ORG", "2:teams=2", "2:teams=2|self=ORG"]


def test_relabel_retypes_names_and_keeps_dates() -> None:
    doc = _doc(
        ["Maria Lopez flew to Paris on 2024-05-01 ."], [(0, 2, "PERSON"), (4, 5, "ORG"), (6, 7, "DATE")]
    )
    model = _model({"lab=PERSON": "PER", "gaz=2": "LOC"})
    assert _relabel(doc, model) == [("Maria Lopez", "PERSON"), ("Paris", "GPE"), ("2024-05-01", "DATE")]


def test_a_name_spacy_found_is_never_dropped() -> None:
    doc = _doc(["Acme rose ."], [(0, 1, "ORG")])
    assert _relabel(doc, _model({"lab=ORG": NONE})) == [("Acme", "ORG")]


def test_a_missed_name_is_added() -> None:
    doc = _doc(["Talks with Zorbania ended ."], [])
    assert _relabel(doc, _model({"first=zorbania": "LOC"})) == [("Zorbania", "GPE")]


def test_the_most_confident_of_overlapping_candidates_wins() -> None:
    doc = _doc(["Waqar Younis bowled ."], [(1, 2, "PERSON")])
    model = _model({"orig=join0": "PER", "n=2": "PER", "orig=ent": "PER"})  # two votes beat one
    assert _relabel(doc, _model({"orig=ent": "PER"})) == [("Younis", "PERSON")]
    assert _relabel(doc, model) == [("Waqar Younis", "PERSON")]


def test_labels_map_back_to_spacy() -> None:
    assert [to_spacy_label(k, "ORG") for k in ("PER", "ORG", "LOC", "MISC")] == [
        "PERSON",
        "ORG",
        "GPE",
        "NORP",
    ]
    assert [to_spacy_label("LOC", "FAC"), to_spacy_label("MISC", "EVENT")] == ["FAC", "EVENT"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Angela Merkel met officials of the European Commission in Brussels on Tuesday.",
            [
                ("Angela Merkel", "PERSON"),
                ("European Commission", "ORG"),
                ("Brussels", "GPE"),
                ("Tuesday", "DATE"),
            ],
        ),
        (
            "Apple said on Monday that Tim Cook would visit China. Shares of Apple rose in New York.",
            [
                ("Apple", "ORG"),
                ("Monday", "DATE"),
                ("Tim Cook", "PERSON"),
                ("China", "GPE"),
                ("Apple", "ORG"),
                ("New York", "GPE"),
            ],
        ),
        (
            "Toyota and Volkswagen reported higher sales in Germany and Japan, the companies said.",
            [("Toyota", "ORG"), ("Volkswagen", "ORG"), ("Germany", "GPE"), ("Japan", "GPE")],
        ),
        (
            "Ayr 6 Berwick 2\nDundee 3 Partick 1\n",
            [("Ayr", "ORG"), ("Berwick", "ORG"), ("Dundee", "ORG"), ("Partick", "ORG")],
        ),
    ],
)
def test_shipped_model_on_news(nlp, text: str, expected: list[tuple[str, str]]) -> None:  # type: ignore[no-untyped-def]
    doc = nlp(text)
    assert [(s.text, s.label_) for s in ner_fixes.refine(doc, nlp)] == expected

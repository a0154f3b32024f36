"""The NER evaluator on CoNLL documents written here (it scores the product's entities), its CoNLL
readers, the document split and the relabeller's training."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from storyline.evaluate.ner import (
    chunks,
    cross_validate,
    evaluate,
    parse,
    product_entities,
    read_conll,
    save_model,
    split,
    train,
)

CONLL = """-DOCSTART- -X- -X- O

Angela NNP B-NP B-PER
Merkel NNP I-NP I-PER
visited VBD B-VP O
Paris NNP B-NP B-LOC
on IN B-PP O
Monday NNP B-NP O
. . O O

Merkel NNP B-NP B-PER
met VBD B-VP O
officials NNS B-NP O
of IN B-PP O
the DT B-NP O
European NNP I-NP B-ORG
Commission NNP I-NP I-ORG
. . O O
"""


@pytest.fixture()
def conll_file(tmp_path: Path) -> str:
    path = tmp_path / "tiny.conll"
    path.write_text(CONLL, encoding="utf-8")
    return str(path)


def test_refined_entities_match_the_gold(conll_file: str) -> None:
    result = evaluate(conll_file)
    # Not the file the relabeller was trained on: every document is scored.
    assert (result["part"], result["documents"], result["tokens"], result["entities"]) == ("all", 1, 15, 4)
    assert (result["precision"], result["recall"], result["f1"]) == (1.0, 1.0, 1.0)
    assert result["per_type"]["ORG"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert result["without_relabel"]["f1"] == 1.0
    assert result["relabelled"]["f1"] == 1.0
    assert "cv_f1" not in result


# Titles before names: CoNLL's spans leave them out, and "State" is no entity.
TITLES = """-DOCSTART- -X- -X- O

Treasurer NNP B-NP O
Paul NNP I-NP B-PER
Keating NNP I-NP I-PER
said VBD B-VP O
on IN B-PP O
Monday NNP B-NP O
the DT B-NP O
budget NN I-NP O
would MD B-VP O
pass VB I-VP O
. . O O

Secretary NNP B-NP O
of IN B-PP O
State NNP B-NP O
Warren NNP I-NP B-PER
Christopher NNP I-NP I-PER
met VBD B-VP O
the DT B-NP O
press NN I-NP O
. . O O
"""


def test_the_product_s_entities_are_scored_not_the_relabeller_s(tmp_path: Path) -> None:
    # The relabeller keeps "Treasurer" in the name and "State" as an ORG; the annotate stage's later
    # passes (ner_names, the title words of entities) put both right, and that is what is scored.
    path = tmp_path / "titles.conll"
    path.write_text(TITLES, encoding="utf-8")
    result = evaluate(str(path))
    assert (result["precision"], result["recall"], result["f1"]) == (1.0, 1.0, 1.0)
    assert result["relabelled"]["f1"] < 1.0


FELLOW = """-DOCSTART- -X- -X- O

He PRP B-NP O
beat VBD B-VP O
fellow JJ B-NP O
American NNP I-NP B-MISC
James NNP I-NP B-PER
Heath NNP I-NP I-PER
on IN B-PP O
Saturday NNP B-NP O
. . O O
"""


def test_product_entities_are_the_annotate_stage_s_on_a_copy(tmp_path: Path) -> None:
    path = tmp_path / "fellow.conll"
    path.write_text(FELLOW, encoding="utf-8")
    example = parse(str(path))[0]
    raw = [(e.start, e.end, e.label_) for e in example.doc.ents]
    # A title ("fellow") completes no name that the NER reads as a nationality and a person.
    assert product_entities(example.doc) == [(3, 4, "NORP"), (4, 6, "PERSON")]
    assert [(e.start, e.end, e.label_) for e in example.doc.ents] == raw


def test_raw_spacy_misses_the_surname_and_keeps_the_article(conll_file: str) -> None:
    # spaCy reads "the European Commission" with its article and misses the lone "Merkel".
    result = evaluate(conll_file, refine=False)
    assert (result["precision"], result["recall"]) == (pytest.approx(2 / 3), 0.5)
    assert result["per_type"]["PER"] == {"precision": 1.0, "recall": 0.5, "f1": pytest.approx(2 / 3)}
    assert result["per_type"]["ORG"]["f1"] == 0.0


def test_chunks_reads_iob2_and_iob1() -> None:
    assert chunks(["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-ORG"]) == [
        (0, 2, "PER"),
        (3, 4, "LOC"),
        (4, 5, "LOC"),
        (5, 6, "ORG"),
    ]
    assert chunks(["I-ORG", "I-ORG", "O"]) == [(0, 2, "ORG")]


def test_read_conll_splits_documents_and_sentences(tmp_path: Path) -> None:
    path = tmp_path / "two.conll"
    path.write_text(CONLL + "\n" + CONLL, encoding="utf-8")
    docs = list(read_conll(str(path)))
    assert len(docs) == 2
    assert [len(s) for s in docs[1]] == [7, 8]
    assert docs[0][0][:2] == [("Angela", "B-PER"), ("Merkel", "I-PER")]


def test_split_halves_the_documents_the_same_way_each_time() -> None:
    training, held = split(10)
    assert (len(training), len(held)) == (5, 5)
    assert sorted(training + held) == list(range(10))
    assert split(10) == (training, held)


def test_train_save_and_cross_validate(tmp_path: Path) -> None:
    path = tmp_path / "four.conll"
    path.write_text("\n".join([CONLL] * 4), encoding="utf-8")
    examples = parse(str(path))
    assert [e.number for e in examples] == [0, 1, 2, 3]
    assert ("NONE" in examples[0].labels, examples[0].gold) == (
        False,
        [(0, 2, "PER"), (3, 4, "LOC"), (7, 8, "PER"), (12, 14, "ORG")],
    )
    model = train(examples[:2], c=1.0, data_sha256="abc")
    assert (model.trained_on, model.data_sha256, model.first.classes) == (
        (0, 1),
        "abc",
        ("LOC", "MISC", "NONE", "ORG", "PER"),
    )
    save_model(model, tmp_path / "m")
    meta = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    with np.load(tmp_path / "m.npz") as weights:
        assert weights["second_coef"].shape == (5, len(meta["second_features"]))
    assert (meta["trained_on"], meta["data_sha256"]) == ([0, 1], "abc")
    # Each fold's second stage learns from first stages fitted on one document each.
    assert set(cross_validate(examples, {0, 1})) == {"precision", "recall", "f1", "per_type"}

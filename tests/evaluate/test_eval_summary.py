from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from storyline.evaluate.summary import candidates, evaluate, lead, predict, rouge
from storyline.model import Cite

FLOOD = "The river flooded the old mill on Tuesday, officials said."
CHOIR = "A choir sang carols in the square of the small town."
DIVERS = "Divers searched the flooded mill for the missing miller."
ROW = {
    "id": "t:f/t:2025-02-04",
    "topic": "t",
    "date": "2025-02-04",
    "articles": [
        {"id": "f/2025-02-05/1", "title": "", "text": f"{FLOOD}\n{CHOIR}\nToo short a line."},
        {"id": "f/2025-02-04/2", "title": "", "text": f"{DIVERS}\n"},
    ],
    "reference": "The river flooded the old mill.",
}


def _write(tmp_path: Path, *rows: dict) -> Path:
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _bag_of_words(texts: Sequence[str]) -> np.ndarray:
    """A stand-in embedder: unit bag-of-words vectors over a tiny fixed vocabulary."""
    vocab = ["river", "flooded", "mill", "choir", "sang", "divers", "missing"]
    rows = np.array([[t.lower().count(w) for w in vocab] for t in texts], dtype=float) + 1e-3
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.fixture(scope="module")
def blank_nlp() -> Any:
    import spacy

    return spacy.blank("en")


def test_rouge_is_f1_with_stemming() -> None:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    scores = rouge(scorer, "the rivers flooded the mill", "the river floods the old mill today")
    # Stemmed, "rivers" is "river" and "flooded"/"floods" are "flood": all 5 reference unigrams are
    # among the 7 predicted ones.
    assert scores["rouge1"] == pytest.approx(2 * (5 / 7) * 1.0 / (5 / 7 + 1.0))
    # Bigrams: "the river", "river flood", "flood the" shared (3 of 4 reference, 3 of 6 predicted).
    assert scores["rouge2"] == pytest.approx(2 * (3 / 6) * (3 / 4) / (3 / 6 + 3 / 4))
    # LCS "the river flood the mill": 5 of 5 and 5 of 7.
    assert scores["rougeL"] == scores["rouge1"]


def test_lead_is_the_first_k_lines_of_the_first_article() -> None:
    assert lead(ROW, 2) == [FLOOD, CHOIR]
    assert lead({"articles": []}, 2) == []


def test_evaluate_lead_means_rows_times_100(tmp_path: Path) -> None:
    exact = {**ROW, "reference": f"{FLOOD}\n{CHOIR}"}
    disjoint = {**ROW, "reference": "Nobody answered."}
    result = evaluate(_write(tmp_path, exact, disjoint), peer="lead")
    assert (result["rows"], result["rouge1"], result["rouge2"], result["rougeL"]) == (2, 50.0, 50.0, 50.0)
    assert evaluate(_write(tmp_path, exact, disjoint), limit=1, peer="lead")["rouge1"] == 100.0


def test_unknown_peer_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown summary peer"):
        evaluate(_write(tmp_path, ROW), peer="oracle")


def test_lexrank_peer_returns_k_lines_in_document_order() -> None:
    pytest.importorskip("sumy")
    from storyline.evaluate.summary import lexrank

    hub = "Flood water reached the mill, the bridge and the school by noon."
    mill = "The mill lost its whole grain store."
    bridge = "Traffic on the bridge was stopped for hours."
    school = "Pupils were sent home from the school early."
    others = "A choir sang carols in the town square.\nPrices of fish rose at the harbour market."
    row = {
        "articles": [
            {"id": "x", "text": f"{hub}\n{mill}\n{bridge}"},
            {"id": "y", "text": f"{school}\n{others}"},
        ]
    }
    # The hub shares a word with three lines; each of those shares one with the hub only.
    assert lexrank(row, 1) == [hub]
    assert lexrank(row, 2) == [hub, mill]  # equal-rated lines: the first in the row


def test_candidates_are_eligible_lines_with_the_days_they_mention(blank_nlp: Any) -> None:
    found = candidates(ROW, blank_nlp)
    assert [(c.text, c.index, c.cite) for c in found] == [
        (FLOOD, 0, Cite("f/2025-02-05/1", 0, len(FLOOD))),
        (CHOIR, 1, Cite("f/2025-02-05/1", len(FLOOD) + 1, len(FLOOD) + 1 + len(CHOIR))),
        (DIVERS, 0, Cite("f/2025-02-04/2", 0, len(DIVERS))),
    ]
    # Published on Wednesday 2025-02-05, "on Tuesday" is the day before.
    assert [sorted(c.days) for c in found] == [["2025-02-04"], [], []]


def test_predict_prefers_the_line_that_mentions_the_row_date(blank_nlp: Any) -> None:
    dawn = "Officials said the river flooded the old mill at dawn."
    tuesday = "Officials said the river flooded the old mill on Tuesday."
    row = {
        "date": "2025-02-04",
        "articles": [{"id": "f/2025-02-04/1", "text": dawn}, {"id": "f/2025-02-05/2", "text": tuesday}],
    }
    # Same embedding, position, length and support: only the date tells them apart.
    assert predict(row, 1, _bag_of_words, blank_nlp) == [tuesday]
    assert predict({**row, "date": "2025-02-03"}, 1, _bag_of_words, blank_nlp) == [dawn]
    assert predict(row, 2, _bag_of_words, blank_nlp) == [tuesday]  # the other is a near-copy
    assert predict({**ROW, "articles": []}, 1, _bag_of_words, blank_nlp) == []

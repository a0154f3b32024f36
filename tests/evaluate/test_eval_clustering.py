from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.evaluate.clustering import evaluate, score


def test_score_is_bcubed_and_ari() -> None:
    gold = ["a", "a", "a", "b", "b"]
    pred = [0, 0, 1, 1, 1]
    # B-cubed precision per doc: 1, 1, 1/3, 2/3, 2/3 -> 11/15; recall: 2/3, 2/3, 1/3, 1, 1 -> 11/15.
    result = score(gold, pred)
    assert result["b3"] == {"p": 0.7333, "r": 0.7333, "f1": 0.7333}
    # ARI: 2 agreeing pairs, 4 * 4 / 10 = 1.6 expected by chance, at most 4: (2 - 1.6) / (4 - 1.6).
    assert result["ari"] == 0.1667
    assert score(gold, ["x", "x", "x", "y", "y"]) == {"b3": {"p": 1.0, "r": 1.0, "f1": 1.0}, "ari": 1.0}


def test_score_needs_labels_for_every_doc() -> None:
    with pytest.raises(ValueError):
        score(["a", "b"], [0])


ROWS = [
    ("River floods Marrowdale", "The Tessel burst its banks in Marrowdale on Monday, forcing 1,200 residents "
     "from their homes, mayor Ilka Brandt said.", "2031-03-04", "flood"),
    ("Velk double sinks Kestrel", "Orvane Rovers beat Kestrel City 3-1 on Saturday, with striker Tomas Velk "
     "scoring twice before half-time.", None, "match"),
    ("", "Mayor Ilka Brandt said 1,200 Marrowdale residents had left their homes after the Tessel flooded "
     "the town on Monday night.", "2031-03-05", "flood"),
    ("", "Tomas Velk scored twice as Orvane Rovers won 3-1 against Kestrel City on Saturday afternoon.",
     None, "match"),
]  # fmt: skip


def _write(path: Path) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for i, (title, text, published, story) in enumerate(ROWS):
            row = {"id": str(i), "title": title, "text": text, "published": published, "cluster": story}
            out.write(json.dumps(row) + "\n")
    return path


def test_evaluate_on_a_small_file(tmp_path: Path) -> None:
    result = evaluate(_write(tmp_path / "tiny.jsonl"))
    assert {k: result[k] for k in ("task", "n_docs", "n_clusters_gold", "n_clusters_pred", "b3", "ari")} == {
        "task": "clustering",
        "n_docs": 4,
        "n_clusters_gold": 2,
        "n_clusters_pred": 2,
        "b3": {"p": 1.0, "r": 1.0, "f1": 1.0},
        "ari": 1.0,
    }
    assert set(result["tfidf"]) == {"n_clusters_pred", "b3", "ari"}


def test_evaluate_reads_only_the_first_rows(tmp_path: Path) -> None:
    result = evaluate(_write(tmp_path / "tiny.jsonl"), limit=2)
    assert (result["n_docs"], result["n_clusters_gold"], result["n_clusters_pred"]) == (2, 2, 2)

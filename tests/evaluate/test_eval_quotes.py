"""The quotes benchmark metric on hand-made gold and predictions, and the evaluator end to end."""

from __future__ import annotations

import json
from pathlib import Path

from storyline.evaluate.quotes import Gold, Pred, evaluate, overlap_ratio, score_document


def test_overlap_is_measured_on_the_shorter_span_and_gold_fragments() -> None:
    assert overlap_ratio((0, 10), [(0, 20)]) == 1.0
    assert overlap_ratio((5, 25), [(0, 10)]) == 0.5
    assert overlap_ratio((0, 10), [(0, 4), (20, 30)]) == 0.4  # 4 shared of the 10-char prediction
    assert overlap_ratio((3, 3), [(0, 10)]) == 0.0


def test_precision_recall_and_speaker_on_a_tiny_document() -> None:
    golds = [
        Gold(((0, 20),), "direct", (25, 27)),  # matched, speaker right
        Gold(((40, 60),), "indirect", (30, 35)),  # matched, speaker wrong
        Gold(((100, 120),), "mixed", None),  # missed
    ]
    preds = [
        Pred((1, 19), "direct", (25, 27)),
        Pred((45, 65), "indirect", (70, 75)),
        Pred((200, 210), "partial", None),  # matches nothing
    ]
    tally = score_document(golds, preds)
    assert (tally.pred, tally.pred_ok, tally.gold, tally.gold_ok) == (3, 2, 3, 2)
    assert (tally.speaker, tally.speaker_ok) == (2, 1)
    scores = tally.scores()
    assert (scores["p"], scores["r"], scores["speaker_accuracy"]) == (0.6667, 0.6667, 0.5)


def test_direct_subset_leaves_out_predictions_that_best_match_other_gold() -> None:
    golds = [Gold(((0, 20),), "direct", None), Gold(((40, 60),), "mixed", None)]
    preds = [
        Pred((0, 20), "direct", None),
        Pred((40, 60), "partial", None),  # best matches the mixed gold: left out
        Pred((80, 90), "direct", None),  # matches nothing: a false positive
        Pred((0, 18), "indirect", None),  # not a quotation: left out
    ]
    tally = score_document(golds, preds, direct_only=True)
    assert (tally.pred, tally.pred_ok, tally.gold, tally.gold_ok) == (2, 1, 1, 1)


def test_a_nested_prediction_pairs_with_the_gold_closest_in_extent() -> None:
    outer = Gold(((0, 50),), "indirect", (60, 63))
    inner = Gold(((20, 50),), "indirect", (10, 12))
    tally = score_document([outer, inner], [Pred((20, 50), "indirect", (10, 12))])
    assert (tally.speaker, tally.speaker_ok) == (1, 1)


def test_evaluate_reads_polnear_rows(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    text = "“The bridge is closed,” said Tomas Varga."
    row = {
        "id": "x",
        "text": text,
        "attributions": [
            {"content": [1, 22], "source": [29, 40], "cue": [24, 28], "type": "direct"},
        ],
    }
    path = tmp_path / "tiny.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    result = evaluate(str(path))
    assert result["n_docs"] == 1
    assert result["all"] == {"p": 1.0, "r": 1.0, "f1": 1.0}
    assert result["direct"] == {"p": 1.0, "r": 1.0, "f1": 1.0}
    assert result["speaker_accuracy"] == 1.0

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.evaluate.stance import evaluate, fnc_score, read_pairs, scores, split_bodies

GOLD = ["agree", "unrelated", "discuss", "disagree"]
PRED = ["agree", "unrelated", "agree", "unrelated"]


def test_fnc_score_counts_relatedness_then_the_exact_stance() -> None:
    # 1 (exact) + 0.25 (unrelated right) + 0.25 (related, wrong stance) + 0 (related called unrelated)
    # over 1 + 0.25 + 1 + 1.
    assert fnc_score(GOLD, PRED) == 1.5 / 3.25
    assert fnc_score([], []) == 0.0


def test_scores_on_a_hand_made_set() -> None:
    assert scores(GOLD, PRED) == {
        "pairs": 4,
        "fnc_score": 0.4615,
        "accuracy": 0.5,
        "macro_f1": 0.3333,
        "per_class_f1": {"agree": 0.6667, "disagree": 0.0, "discuss": 0.0, "unrelated": 0.6667},
    }


def test_split_by_body_is_seeded_and_disjoint() -> None:
    train, held = split_bodies(str(i) for i in [3, 1, 0, 2, 9, 8, 7, 6, 5, 4, 4])
    assert held == {"1", "2"}
    assert train == {"0", "3", "4", "5", "6", "7", "8", "9"}


def _write(path: Path) -> Path:
    rows = [
        {
            "body_id": "7",
            "body": "The city council voted on Tuesday to approve construction of a new bridge over the "
            "river. Work begins next spring, officials confirmed.",
            "pairs": [
                {"headline": "The city council approved the new bridge over the river.", "stance": "agree"},
                {"headline": "A rare orchid bloomed at the botanical garden.", "stance": "unrelated"},
            ],
        }
    ]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_read_pairs_gives_each_body_its_pairs(tmp_path: Path) -> None:
    [row] = list(read_pairs(_write(tmp_path / "tiny.jsonl")))
    assert [(p.body_id, p.stance) for p in row] == [("7", "agree"), ("7", "unrelated")]


def test_evaluate_scores_every_body_of_another_file(tmp_path: Path) -> None:
    result = evaluate(_write(tmp_path / "tiny.jsonl"))
    assert result["part"] == "all bodies"
    assert (result["task"], result["bodies"], result["pairs"], result["fnc_score"]) == ("stance", 1, 2, 1.0)


def test_evaluate_keeps_to_the_held_out_bodies_of_the_bench_file(bench_dir: Path) -> None:
    path = bench_dir / "stance" / "fnc1.jsonl"
    if not path.is_file():
        pytest.skip("bench/stance/fnc1.jsonl is not present")
    _, held = split_bodies(row[0].body_id for row in read_pairs(path))
    first = next(row for row in read_pairs(path) if row[0].body_id in held)
    result = evaluate(path, limit=1)
    assert result["part"] == "held-out 20% of bodies (not trained on)"
    assert (result["bodies"], result["pairs"]) == (1, len(first))

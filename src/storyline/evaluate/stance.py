"""Task `stance`: FNC-1 headline-body stance (bench/stance), scored as FNC-1's scorer.py does.

The shipped model saw 80% of the bench file's bodies, so on that file only the other 20% (recomputed
by `split_bodies`) is scored; any other file is scored whole. FNC-1 score / max, accuracy, macro-F1.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline.evaluate.metrics import prf, safe_div

__all__ = ["HELD_OUT", "SEED", "Pair", "evaluate", "fnc_score", "read_pairs", "scores", "split_bodies"]

LABELS = ("agree", "disagree", "discuss", "unrelated")
SEED = 1
HELD_OUT = 0.2  # share of bodies kept out of training


@dataclass(frozen=True)
class Pair:
    """One gold (headline, body) pair of an FNC-1 style file."""

    body_id: str
    headline: str
    body: str
    stance: str


def read_pairs(path: str | Path) -> Iterator[list[Pair]]:
    """The pairs of each row (one body) of an FNC-1 JSONL file, in file order."""
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                row = json.loads(line)
                body_id = str(row["body_id"])
                yield [Pair(body_id, p["headline"], row["body"], p["stance"]) for p in row["pairs"]]


def split_bodies(
    body_ids: Iterable[str], held_out: float = HELD_OUT, seed: int = SEED
) -> tuple[set[str], set[str]]:
    """(train, held-out) body ids: the distinct ids sorted as numbers, shuffled with
    `random.Random(seed)`, and the last `held_out` share of them held out."""
    ids = sorted(set(body_ids), key=lambda i: (int(i) if i.isdigit() else -1, i))
    random.Random(seed).shuffle(ids)
    cut = len(ids) - round(held_out * len(ids))
    return set(ids[:cut]), set(ids[cut:])


def fnc_score(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """The FNC-1 score as a fraction of its maximum: per pair +0.25 for the right related/unrelated
    call, +0.75 more for the exact label of a related pair (scorer.py of fakenewschallenge/fnc-1)."""
    score = best = 0.0
    for g, p in zip(gold, predicted, strict=True):
        best += 0.25 if g == "unrelated" else 1.0
        score += 0.25 * ((g == "unrelated") == (p == "unrelated"))
        score += 0.75 * (g != "unrelated" and g == p)
    return safe_div(score, best)


def scores(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """FNC-1 score / max, accuracy, macro-F1 over the four labels, and each label's F1."""
    per_class = {}
    for label in LABELS:
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        per_class[label] = round(prf(tp, predicted.count(label) - tp, gold.count(label) - tp)["f1"], 4)
    right = sum(g == p for g, p in zip(gold, predicted, strict=True))
    return {
        "pairs": len(gold),
        "fnc_score": round(fnc_score(gold, predicted), 4),
        "accuracy": round(safe_div(right, len(gold)), 4),
        "macro_f1": round(sum(per_class.values()) / len(LABELS), 4),
        "per_class_f1": per_class,
    }


def evaluate(path: str | Path, limit: int | None = None) -> dict[str, Any]:
    """Score the shipped model on `path`: the held-out bodies of the file it was trained on (same
    sha256), every body of any other file; `limit` keeps the first bodies of that part."""
    from storyline.story.stance_model import load_arrays, load_model

    trained_on = str(load_arrays()["trained_on_sha256"])
    same_file = hashlib.sha256(Path(path).read_bytes()).hexdigest() == trained_on
    rows = list(read_pairs(path))
    if same_file:
        _, held = split_bodies(row[0].body_id for row in rows if row)
        rows = [row for row in rows if row and row[0].body_id in held]
    rows = rows[:limit] if limit is not None else rows
    pairs = [pair for row in rows for pair in row]
    predicted = load_model().predict([(p.headline, p.body) for p in pairs])
    result = {
        "task": "stance",
        "part": "held-out 20% of bodies (not trained on)" if same_file else "all bodies",
        "bodies": len(rows),
    }
    return result | scores([p.stance for p in pairs], predicted)

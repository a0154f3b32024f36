"""The `events` task on the PLOVER gold records (bench/events): event type and actors per sentence.

Scores `annotate.events.extract` on records the shipped model was not trained on (for the bench
file: the seeded, type-stratified 30% that `heldout_ids` recomputes), and, since that part is
small, a 5-fold cross-validation over all bench records that retrains the model on each fold.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from storyline.annotate.events import (
    EVENTS_VERSION,
    EventModel,
    extract,
    feature_matrix,
    features,
    frame,
    load_model,
)
from storyline.annotate.nlp import load_spacy
from storyline.evaluate.metrics import prf, safe_div

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from storyline.annotate.events import EventMention

__all__ = [
    "actor_match",
    "cross_validate",
    "evaluate",
    "folds",
    "heldout_ids",
    "parse",
    "read",
    "save_model",
    "score",
    "train",
]

HELDOUT_SHARE = 0.3
CV_FOLDS = 5
BACKGROUND_SENTENCES = 600
_WORD = re.compile(r"\w+")


def read(path: str | Path, limit: int | None = None) -> list[dict[str, Any]]:
    """The records of a PLOVER GSR JSONL file (the first `limit`)."""
    with open(path, encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    return records[:limit] if limit is not None else records


def heldout_ids(records: Sequence[dict[str, Any]], share: float = HELDOUT_SHARE) -> set[str]:
    """The ids kept out of training: per eventType, sentences sorted by id, shuffled with
    `random.Random("events-heldout:" + type)`, the first round(share * n) of them.

    A sentence coded twice (same text) is one unit, filed under its first record's type.
    """
    held: set[str] = set()
    for _kind, units in sorted(_units_by_type(records).items()):
        random.Random(f"events-heldout:{_kind}").shuffle(units)
        for unit in units[: round(share * len(units))]:
            held.update(unit)
    return held


def folds(records: Sequence[dict[str, Any]], k: int = CV_FOLDS) -> list[set[str]]:
    """k type-stratified folds of record ids: per type, units shuffled with
    `random.Random("events-cv:" + type)` and dealt in turn, continuing from the last type's fold."""
    out: list[set[str]] = [set() for _ in range(k)]
    turn = 0
    for _kind, units in sorted(_units_by_type(records).items()):
        random.Random(f"events-cv:{_kind}").shuffle(units)
        for unit in units:
            out[turn % k].update(unit)
            turn += 1
    return out


def _units_by_type(records: Sequence[dict[str, Any]]) -> dict[str, list[list[str]]]:
    by_text: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        by_text[record["text"].strip()].append(record)
    units: dict[str, list[list[str]]] = defaultdict(list)
    for group in by_text.values():
        group.sort(key=lambda r: r["id"])
        units[group[0]["eventType"]].append([r["id"] for r in group])
    for kind in units:
        units[kind].sort()
    return units


def evaluate(
    path: str | Path, limit: int | None = None, cv: bool = True, background: str | Path | None = None
) -> dict[str, Any]:
    """Type accuracy/macro-F1 and actor match on the records the shipped model did not see; on the
    bench file also a 5-fold cross-validated figure over all its records. `background`, a JSONL of
    articles with a "text" field (e.g. bench/corpus/reuters21578.jsonl), adds the share of its
    first `BACKGROUND_SENTENCES` sentences that get an event: a false-alarm rate on mostly non-events."""
    records = read(path, limit)
    model = load_model()
    trained = set(model.trained_on)
    test = [r for r in records if r["id"] not in trained]
    docs = parse(records)
    by_id = dict(zip((r["id"] for r in records), docs, strict=True))
    predicted = [extract(by_id[r["id"]], model) for r in test]
    result: dict[str, Any] = {
        "task": "events",
        "records": len(test),
        "trained_on_skipped": len(records) - len(test),
    }
    result.update(score(test, predicted))
    if cv and trained & {r["id"] for r in records}:
        cross = cross_validate(records, docs, model.rule_weight, model.threshold, model.c)
        result.update({f"cv_{name}": value for name, value in cross.items()})
    if background is not None:
        result["background_event_rate"] = background_rate(background, model)
    return result


def background_rate(path: str | Path, model: EventModel, size: int = BACKGROUND_SENTENCES) -> float:
    """The share of the first `size` sentences (over 5 tokens) of a JSONL of articles given an event."""
    nlp = load_spacy()
    sentences: list[Span] = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            text = " ".join(json.loads(line).get("text", "").split())  # undo hard-wrapped lines
            sentences += [s for s in nlp(text).sents if len(s) > 5]
            if len(sentences) >= size:
                break
    sentences = sentences[:size]
    return round(safe_div(sum(extract(s, model) is not None for s in sentences), len(sentences)), 4)


def cross_validate(
    records: Sequence[dict[str, Any]], docs: Sequence[Doc], rule_weight: float, threshold: float, c: float
) -> dict[str, Any]:
    """Scores pooled over `CV_FOLDS` folds, each predicted by a model trained on the other folds
    (with the given lexicon weight, threshold and regularisation)."""
    frames = [frame(doc[:]) for doc in docs]
    rows = [features(doc[:], f) if f else [] for doc, f in zip(docs, frames, strict=True)]
    predicted: dict[str, EventMention | None] = {}
    for fold in folds(records):
        fit_on = [i for i, r in enumerate(records) if r["id"] not in fold and frames[i] is not None]
        model = train(
            [rows[i] for i in fit_on],
            [records[i]["eventType"] for i in fit_on],
            rule_weight=rule_weight,
            threshold=threshold,
            c=c,
        )
        for i, record in enumerate(records):
            if record["id"] in fold:
                predicted[record["id"]] = extract(docs[i], model)
    return score(records, [predicted[r["id"]] for r in records])


def train(
    rows: Sequence[list[str]],
    labels: Sequence[str],
    rule_weight: float,
    threshold: float,
    c: float = 1.0,
    trained_on: tuple[str, ...] = (),
) -> EventModel:
    """Fit the event-type model on feature rows; a feature seen in one row only is dropped (it
    cannot generalise, and it keeps the shipped vocabulary small)."""
    from sklearn.linear_model import LogisticRegression

    counts = Counter(name for names in rows for name in set(names))
    vocabulary = {n: i for i, n in enumerate(sorted(n for n, k in counts.items() if k > 1))}
    classes = tuple(sorted(set(labels)))
    # newton-cg: exact and deterministic, and ten times faster than lbfgs on these tiny sparse rows.
    clf = LogisticRegression(C=c, solver="newton-cg", max_iter=1000)
    clf.fit(feature_matrix(rows, vocabulary), [classes.index(y) for y in labels])
    coef = np.zeros((len(classes), len(vocabulary)), dtype=np.float32)
    intercept = np.zeros(len(classes), dtype=np.float32)
    coef[clf.classes_], intercept[clf.classes_] = clf.coef_, clf.intercept_
    return EventModel(classes, vocabulary, coef, intercept, rule_weight, threshold, c, trained_on)


def save_model(model: EventModel, stem: str | Path) -> None:
    """Write `stem.npz` (weights) and `stem.json` (classes, vocabulary, settings, training ids)."""
    np.savez_compressed(f"{stem}.npz", coef=model.coef.astype(np.float32), intercept=model.intercept)
    meta = {
        "version": EVENTS_VERSION,
        "classes": list(model.classes),
        "features": sorted(model.vocabulary, key=model.vocabulary.__getitem__),
        "rule_weight": model.rule_weight,
        "threshold": model.threshold,
        "c": model.c,
        "trained_on": list(model.trained_on),
    }
    Path(f"{stem}.json").write_text(json.dumps(meta, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")


def score(records: Sequence[dict[str, Any]], predicted: Sequence[EventMention | None]) -> dict[str, Any]:
    """Type accuracy and macro-F1 (None counts as wrong), and source/target match rates over the
    records whose gold names a source/target."""
    gold = [r["eventType"] for r in records]
    guess = [p.type if p else None for p in predicted]
    labels = sorted({*gold, *(g for g in guess if g)})
    f1s = []
    for label in labels:
        tp = sum(g == p == label for g, p in zip(gold, guess, strict=True))
        f1s.append(prf(tp, guess.count(label) - tp, gold.count(label) - tp)["f1"])
    result: dict[str, Any] = {
        "type_accuracy": round(safe_div(sum(g == p for g, p in zip(gold, guess, strict=True)), len(gold)), 4),
        "type_macro_f1": round(safe_div(sum(f1s), len(f1s)), 4),
        "no_event": guess.count(None),
    }
    for role in ("source", "target"):
        pairs = [(r, p) for r, p in zip(records, predicted, strict=True) if r[role]]
        hits = sum(
            p is not None and actor_match(r["text"], getattr(p, role), [a["actorText"] for a in r[role]])
            for r, p in pairs
        )
        result[f"{role}_match"] = round(safe_div(hits, len(pairs)), 4)
        result[f"{role}_records"] = len(pairs)
    return result


def actor_match(text: str, span: tuple[int, int] | None, actors: Iterable[str]) -> bool:
    """Whether a predicted actor span names one of the gold actors: it overlaps an occurrence of the
    gold actorText in `text` (each part of an elided "A ... B" actor counts), or, where the coder's
    actorText is not in the text, the span holds the same words (case-insensitive)."""
    if span is None:
        return False
    start, end = span
    words = {w.casefold() for w in _WORD.findall(text[start:end])}
    for actor in actors:
        parts = [p.strip() for p in actor.split("...") if p.strip()]
        found = False
        for part in parts:
            for hit in re.finditer(re.escape(part), text, flags=re.IGNORECASE):
                found = True
                if hit.start() < end and start < hit.end():
                    return True
        if not found and {w.casefold() for w in _WORD.findall(actor)} <= words:
            return True
    return False


def parse(records: Sequence[dict[str, Any]]) -> list[Doc]:
    """Each record's text parsed by spaCy (the text as given, so offsets match it)."""
    nlp = load_spacy()
    return list(nlp.pipe((r["text"] for r in records), batch_size=64))

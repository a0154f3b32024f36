"""The `quotes` benchmark: attribution extraction scored on PolNeAR (bench/quotes/README.md).

A predicted content span matches a gold one when they overlap by at least half of the shorter
(gold measured on its fragments). Precision counts predictions matching any gold, recall gold
matched by any prediction. The direct subset scores direct gold against the quotation predictions
(direct and partial), leaving out those whose best match is other gold. Speaker accuracy asks, on
matched pairs with a gold source, whether the speaker as written at the cue overlaps the source
(PolNeAR marks "he" at the cue, not the name it stands for).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from storyline.evaluate.metrics import f1, safe_div

Span = tuple[int, int]


@dataclass(frozen=True)
class Gold:
    fragments: tuple[Span, ...]
    type: str  # direct | mixed | indirect
    source: Span | None


@dataclass(frozen=True)
class Pred:
    span: Span
    kind: str  # direct | partial | indirect
    speaker: Span | None


@dataclass
class Tally:
    """Counts for precision, recall and speaker accuracy, summed over documents."""

    pred: int = 0
    pred_ok: int = 0
    gold: int = 0
    gold_ok: int = 0
    speaker: int = 0
    speaker_ok: int = 0

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def scores(self) -> dict[str, float]:
        p, r = safe_div(self.pred_ok, self.pred), safe_div(self.gold_ok, self.gold)
        acc = safe_div(self.speaker_ok, self.speaker)
        return {
            "p": round(p, 4),
            "r": round(r, 4),
            "f1": round(f1(p, r), 4),
            "speaker_accuracy": round(acc, 4),
        }


def overlap_ratio(pred: Span, gold: Sequence[Span]) -> float:
    """Characters shared by `pred` and the gold fragments, over the shorter of the two."""
    shared = sum(max(0, min(pred[1], e) - max(pred[0], s)) for s, e in gold)
    shorter = min(pred[1] - pred[0], sum(e - s for s, e in gold))
    return shared / shorter if shorter > 0 else 0.0


def _best_gold(span: Span, golds: Sequence[Gold]) -> tuple[float, int]:
    """The gold a prediction pairs with: highest overlap ratio; among ties (a short prediction is
    wholly inside both an outer and a nested attribution), the one closest in extent."""
    best, best_key = (0.0, -1), (0.0, 0.0)
    for j, gold in enumerate(golds):
        ratio = overlap_ratio(span, gold.fragments)
        key = (ratio, _iou(span, gold.fragments))
        if key > best_key:
            best, best_key = (ratio, j), key
    return best


def _iou(span: Span, gold: Sequence[Span]) -> float:
    shared = sum(max(0, min(span[1], e) - max(span[0], s)) for s, e in gold)
    union = (span[1] - span[0]) + sum(e - s for s, e in gold) - shared
    return shared / union if union > 0 else 0.0


def _overlaps(a: Span, b: Span) -> bool:
    return min(a[1], b[1]) > max(a[0], b[0])


def score_document(golds: Sequence[Gold], preds: Sequence[Pred], direct_only: bool = False) -> Tally:
    """One document's counts. `direct_only`: direct gold, and the quote predictions that do not
    best match some other gold (the README's direct subset)."""
    best = [_best_gold(pred.span, golds) for pred in preds]
    tally = Tally()
    matched_gold: set[int] = set()
    for pred, (ratio, j) in zip(preds, best, strict=True):
        hit = ratio >= 0.5
        if direct_only and (pred.kind == "indirect" or (hit and golds[j].type != "direct")):
            continue
        tally.pred += 1
        if not hit:
            continue
        tally.pred_ok += 1
        matched_gold.update(k for k, g in enumerate(golds) if overlap_ratio(pred.span, g.fragments) >= 0.5)
        source = golds[j].source
        if source is not None:
            tally.speaker += 1
            tally.speaker_ok += pred.speaker is not None and _overlaps(pred.speaker, source)
    wanted = [k for k, g in enumerate(golds) if not direct_only or g.type == "direct"]
    tally.gold = len(wanted)
    tally.gold_ok = sum(1 for k in wanted if k in matched_gold)
    return tally


def read_rows(path: str, limit: int | None = None) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if limit is not None and n >= limit:
                return
            if line.strip():
                yield json.loads(line)


def gold_of(row: dict[str, Any]) -> list[Gold]:
    golds = []
    for a in row["attributions"]:
        fragments = a.get("content_fragments") or [a["content"]]
        source = tuple(a["source"]) if a.get("source") else None
        golds.append(Gold(tuple(tuple(f) for f in fragments), a["type"], source))
    return golds


@dataclass
class _Totals:
    docs: int = 0
    all: Tally = field(default_factory=Tally)
    direct: Tally = field(default_factory=Tally)

    def add(self, golds: list[Gold], preds: list[Pred]) -> None:
        self.docs += 1
        self.all.add(score_document(golds, preds))
        self.direct.add(score_document(golds, preds, direct_only=True))

    def report(self, **extra: Any) -> dict[str, Any]:
        every, direct = self.all.scores(), self.direct.scores()
        return {
            "task": "quotes",
            "n_docs": self.docs,
            "all": {k: every[k] for k in ("p", "r", "f1")},
            "direct": {k: direct[k] for k in ("p", "r", "f1")},
            "speaker_accuracy": every["speaker_accuracy"],
            "direct_speaker_accuracy": direct["speaker_accuracy"],
            "counts": {"gold": self.all.gold, "pred": self.all.pred, "direct_gold": self.direct.gold},
            **extra,
        }


def evaluate(
    path: str, limit: int | None = None, peer: str | None = None, batch_size: int = 16
) -> dict[str, Any]:
    """Score `annotate.quotes.extract_with_mentions` (or a `peer`) on a PolNeAR JSONL file."""
    if peer is not None:
        return evaluate_peer(path, limit, peer)
    from storyline.annotate import quotes
    from storyline.annotate.nlp import load_spacy

    nlp = load_spacy()
    totals = _Totals()
    pairs = ((row["text"], row) for row in read_rows(path, limit))
    for doc, row in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        preds = [Pred((a.start, a.end), a.kind, mention) for a, mention in quotes.extract_with_mentions(doc)]
        totals.add(gold_of(row), preds)
    return totals.report(method=quotes.QUOTES_VERSION)


def evaluate_peer(path: str, limit: int | None = None, peer: str = "textacy") -> dict[str, Any]:
    """The same scores for textacy's `direct_quotations`, run on each paragraph (see the README)."""
    if peer != "textacy":
        raise ValueError(f"unknown quotes peer {peer!r}; the one measured is 'textacy'")
    from storyline.annotate.nlp import load_spacy

    try:
        from textacy.extract.triples import direct_quotations
    except ImportError as exc:  # a peer is optional: say what to install
        raise ImportError("the textacy peer needs `pip install textacy`") from exc
    nlp = load_spacy()
    totals = _Totals()
    for row in read_rows(path, limit):
        totals.add(gold_of(row), list(_textacy_preds(nlp, row["text"], direct_quotations)))
    return totals.report(method="textacy-per-paragraph")


def _textacy_preds(nlp: Any, text: str, direct_quotations: Callable[[Any], Iterable[Any]]) -> Iterator[Pred]:
    starts, paragraphs, pos = [], [], 0
    for para in text.split("\n"):
        if para.strip():
            starts.append(pos)
            paragraphs.append(para)
        pos += len(para) + 1
    for offset, doc in zip(starts, nlp.pipe(paragraphs, batch_size=64), strict=True):
        try:
            triples = list(direct_quotations(doc))
        except ValueError:  # textacy refuses paragraphs with an odd number of quote marks
            continue
        for triple in triples:
            content = (offset + triple.content.start_char, offset + triple.content.end_char)
            speaker = None
            if triple.speaker:
                first, last = triple.speaker[0], triple.speaker[-1]
                speaker = (offset + first.idx, offset + last.idx + len(last))
            yield Pred(content, "direct", speaker)

"""Metric helpers shared by the evaluators: precision/recall/F1 from counts, multiset overlap of
word shingles (the article-extraction-benchmark measure), exact-span matching and B-cubed for
clusterings. Pure functions on plain Python values, so every evaluator scores the same way.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from statistics import mean
from typing import Any

_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


def safe_div(num: float, den: float) -> float:
    """`num / den`, or 0.0 when the denominator is 0 (no prediction, no gold)."""
    return num / den if den else 0.0


def f1(precision: float, recall: float) -> float:
    """The harmonic mean of precision and recall (0.0 when both are 0)."""
    return safe_div(2 * precision * recall, precision + recall)


def prf(tp: float, fp: float, fn: float) -> dict[str, float]:
    """Precision, recall and F1 from counts, as a dict with keys `precision`, `recall`, `f1`."""
    p, r = safe_div(tp, tp + fp), safe_div(tp, tp + fn)
    return {"precision": p, "recall": r, "f1": f1(p, r)}


def word_tokens(text: str | None) -> list[str]:
    """`\\w+` runs: the tokeniser of the article-extraction benchmark, language-agnostic."""
    return _WORD.findall(text or "")


def shingles(tokens: Sequence[str], n: int = 4) -> Counter[tuple[str, ...]]:
    """Word n-grams as a multiset; a text shorter than `n` tokens is one shorter shingle.

    The short-text rule copies the benchmark's evaluate.py, so very short outputs still count.
    """
    grams = (tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))
    return Counter(g for g in grams if g)


def bag_overlap(gold: Mapping[Any, int], pred: Mapping[Any, int]) -> tuple[int, int, int]:
    """(tp, fp, fn) between two multisets: shared counts, surplus predicted, missing gold."""
    tp = fp = fn = 0
    for key in gold.keys() | pred.keys():
        g, p = gold.get(key, 0), pred.get(key, 0)
        tp += min(g, p)
        fp += max(0, p - g)
        fn += max(0, g - p)
    return tp, fp, fn


def shingle_counts(gold: str, pred: str, n: int = 4) -> tuple[int, int, int]:
    """(tp, fp, fn) of `\\w+` n-gram shingles of a predicted text against the gold text."""
    return bag_overlap(shingles(word_tokens(gold), n), shingles(word_tokens(pred), n))


def macro_prf(pages: Iterable[tuple[float, float, float]]) -> dict[str, float]:
    """Macro P/R/F1 over per-page (tp, fp, fn), as the article-extraction benchmark computes it.

    P is averaged over pages with some output and R over pages with some gold, so an empty output
    costs recall only; F1 is taken of the two means, not averaged per page.
    """
    pages = list(pages)
    ps = [1.0 if fp == fn == 0 else tp / (tp + fp) for tp, fp, fn in pages if tp + fp > 0]
    rs = [1.0 if fp == fn == 0 else tp / (tp + fn) for tp, fp, fn in pages if tp + fn > 0]
    p, r = (mean(ps) if ps else 0.0), (mean(rs) if rs else 0.0)
    return {"precision": p, "recall": r, "f1": f1(p, r)}


def normalize_space(text: str) -> str:
    """Every run of Unicode whitespace (NBSP too) as one space, ends stripped."""
    return _SPACE.sub(" ", text).strip()


def span_counts(gold: Iterable[Hashable], pred: Iterable[Hashable]) -> tuple[int, int, int]:
    """(tp, fp, fn) of exact matches between two sets of items (spans with their labels)."""
    g, p = set(gold), set(pred)
    return len(g & p), len(p - g), len(g - p)


def bcubed(gold: Mapping[Any, Any], pred: Mapping[Any, Any]) -> dict[str, float]:
    """B-cubed P/R/F1 of a clustering: item -> cluster id maps over the same items.

    Per item, precision is the share of its predicted cluster that shares its gold cluster, recall
    the share of its gold cluster that shares its predicted cluster; both are averaged over items.
    """
    items = list(gold)
    if set(items) != set(pred):
        raise ValueError("gold and predicted clusterings must cover the same items")
    if not items:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    by_gold: dict[Hashable, set[Hashable]] = {}
    by_pred: dict[Hashable, set[Hashable]] = {}
    for item in items:
        by_gold.setdefault(gold[item], set()).add(item)
        by_pred.setdefault(pred[item], set()).add(item)
    p = mean(len(by_gold[gold[i]] & by_pred[pred[i]]) / len(by_pred[pred[i]]) for i in items)
    r = mean(len(by_gold[gold[i]] & by_pred[pred[i]]) / len(by_gold[gold[i]]) for i in items)
    return {"precision": p, "recall": r, "f1": f1(p, r)}

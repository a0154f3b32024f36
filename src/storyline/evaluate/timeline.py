"""The `timeline` task on T17 (bench/timeline): pick the l days of a topic's timeline and k sentences each.

Method on top of `annotate.dates`: every article votes once for each day it is about (its publication
day and each day it mentions); the top-l days win, and each gets the k sentences mentioning it that
lie nearest the TF-IDF centroid of those sentences. Scored as news-tls does: Date F1 and concat ROUGE.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline.annotate.dates import extract
from storyline.annotate.nlp import load_spacy
from storyline.evaluate.metrics import f1, safe_div

__all__ = ["date_prf", "evaluate", "mean_prf", "predict", "select_dates", "select_sentences"]

# spaCy runs only on lines that could hold a time expression: on T17 that is under half the text
# and keeps the six bench topics to about a minute and a half on one core.
_MAY_HOLD_DATE = re.compile(
    r"\d|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b|day\b"
    r"|\b(?:tonight|tomorrow|ago|week|month|year|morning|night)\b",
    re.IGNORECASE,
)
# news-tls keeps sentences of 5 to 60 tokens as summary candidates (CentroidOpt's limits).
_MIN_WORDS, _MAX_WORDS = 5, 60


@dataclass(frozen=True)
class DatedArticle:
    """What the method needs of one article: its day, its lines, and the days each line mentions."""

    published: str
    lines: tuple[str, ...]
    mentions: tuple[tuple[str, frozenset[str]], ...]  # (line, days it mentions)


def evaluate(path: str | Path, limit: int | None = None) -> dict[str, Any]:
    """Date F1 and concat ROUGE-1/2 over the gold timelines of the first `limit` topics of `path`."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    nlp = load_spacy(disable=("tagger", "parser", "attribute_ruler", "lemmatizer"))
    dates, rouge1, rouge2 = [], [], []
    for topic in _topics(Path(path), limit):
        articles = [_annotate(nlp, a) for a in topic["articles"]]
        for timeline in topic["timelines"]:
            gold = {e["date"]: e["summary"] for e in timeline["entries"]}
            predicted = predict(articles, min(gold), max(gold), len(gold), _summary_length(gold))
            dates.append(date_prf(set(predicted), set(gold)))
            scores = scorer.score(_concat(gold), _concat(predicted))
            rouge1.append((scores["rouge1"].precision, scores["rouge1"].recall))
            rouge2.append((scores["rouge2"].precision, scores["rouge2"].recall))
    result: dict[str, Any] = {"task": "timeline", "timelines": len(dates)}
    for name, pairs in (("date", dates), ("rouge1", rouge1), ("rouge2", rouge2)):
        p, r, f = mean_prf(pairs)
        result.update({f"{name}_p": round(p, 4), f"{name}_r": round(r, 4), f"{name}_f1": round(f, 4)})
    return result


def predict(
    articles: Sequence[DatedArticle], first: str, last: str, days: int, per_day: int
) -> dict[str, list[str]]:
    """A timeline of `days` days from `first` to `last`, `per_day` sentences each (news-tls's l, k)."""
    window = [a for a in articles if first <= a.published <= last]
    chosen = select_dates(window, first, last, days)
    return {day: select_sentences(window, day, per_day) for day in sorted(chosen)}


def select_dates(articles: Sequence[DatedArticle], first: str, last: str, days: int) -> list[str]:
    """The `days` days most articles are about; ties go to the earlier day (as the README's baseline)."""
    votes: Counter[str] = Counter()
    for article in articles:
        mentioned = {d for _, ds in article.mentions for d in ds if first <= d <= last}
        votes.update(mentioned | {article.published})
    return [d for d, _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[:days]]


def select_sentences(articles: Sequence[DatedArticle], day: str, count: int) -> list[str]:
    """The `count` sentences mentioning `day` nearest their TF-IDF centroid, in first-seen order;
    the lead sentences of that day's articles when no sentence mentions it."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    pool = [line for a in articles for line, ds in a.mentions if day in ds]
    if not pool:
        pool = [next(iter(_usable(a.lines)), "") for a in articles if a.published == day]
    pool = list(dict.fromkeys(_usable(pool)))
    if len(pool) <= count:
        return pool
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(pool)
    centrality = np.asarray(matrix @ matrix.mean(axis=0).T).ravel()
    best = sorted(range(len(pool)), key=lambda i: (-centrality[i], i))[:count]
    return [pool[i] for i in sorted(best)]


def date_prf(predicted: set[str], gold: set[str]) -> tuple[float, float]:
    """(precision, recall) of predicted days against gold days, as news-tls `evaluate_dates`."""
    shared = len(predicted & gold)
    return safe_div(shared, len(predicted)), safe_div(shared, len(gold))


def mean_prf(pairs: Sequence[tuple[float, float]]) -> tuple[float, float, float]:
    """Mean precision, mean recall, and the F1 of those means (news-tls `get_average_results`)."""
    if not pairs:
        return 0.0, 0.0, 0.0
    p = sum(x for x, _ in pairs) / len(pairs)
    r = sum(y for _, y in pairs) / len(pairs)
    return p, r, f1(p, r)


def _annotate(nlp: Any, article: dict[str, Any]) -> DatedArticle:
    lines = tuple(article["text"].split("\n"))
    candidates = [line for line in lines if _MAY_HOLD_DATE.search(line)]
    mentions = []
    for line, doc in zip(candidates, nlp.pipe(candidates, batch_size=256), strict=True):
        days = frozenset(
            m.value for m in extract(doc, article["published"]) if m.value and m.precision == "day"
        )
        if days:
            mentions.append((line, days))
    return DatedArticle(article["published"], lines, tuple(mentions))


def _usable(lines: Sequence[str]) -> list[str]:
    return [s for s in lines if _MIN_WORDS <= len(s.split()) <= _MAX_WORDS]


def _summary_length(gold: dict[str, list[str]]) -> int:
    """news-tls's k: the gold timeline's mean number of sentences per day, rounded."""
    return max(1, round(sum(len(s) for s in gold.values()) / len(gold)))


def _concat(timeline: dict[str, list[str]]) -> str:
    return "\n".join(s for day in sorted(timeline) for s in timeline[day])


def _topics(path: Path, limit: int | None) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if limit is not None and n >= limit:
                return
            if line.strip():
                yield json.loads(line)

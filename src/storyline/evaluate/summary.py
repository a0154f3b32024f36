"""The `summary` task on T17 daily (bench/summary): summarise one day's articles in k sentences.

storyline's own summariser (`story.summary.summarize`, the code the briefing uses) runs on each row's
article lines; `peer="lexrank"` (sumy) and `peer="lead"` are the README's peers. Scored as the README
says: ROUGE-1/2/L F1 (rouge-score, stemmed), reference vs prediction, mean over rows, x100.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from storyline.annotate.dates import extract
from storyline.clean.textmeta import prose_start
from storyline.model import Cite
from storyline.story.summary import WINDOW, Candidate, eligible, summarize

__all__ = ["candidates", "evaluate", "lead", "lexrank", "predict", "rouge"]

_WORD = re.compile(r"\w+")
_METRICS = ("rouge1", "rouge2", "rougeL")
_PUBLISHED = re.compile(r"/(\d{4}-\d{2}-\d{2})/")


def evaluate(path: str | Path, limit: int | None = None, peer: str | None = None) -> dict[str, Any]:
    """Mean ROUGE-1/2/L F1 (x100) of storyline (or `peer`: "lexrank", "lead") over the rows of `path`."""
    from rouge_score import rouge_scorer

    if peer not in (None, "lexrank", "lead"):
        raise ValueError(f"unknown summary peer {peer!r}; choose lexrank or lead")
    scorer = rouge_scorer.RougeScorer(list(_METRICS), use_stemmer=True)
    system = _system(peer)
    totals = dict.fromkeys(_METRICS, 0.0)
    rows = 0
    started = time.perf_counter()
    for row in _rows(Path(path), limit):
        reference = row["reference"]
        prediction = "\n".join(system(row, len(reference.split("\n"))))
        for name, value in rouge(scorer, reference, prediction).items():
            totals[name] += value
        rows += 1
    result: dict[str, Any] = {"task": "summary", "system": peer or "storyline", "rows": rows}
    for name in _METRICS:
        result[name] = round(100 * totals[name] / rows, 2) if rows else 0.0
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def rouge(scorer: Any, reference: str, prediction: str) -> dict[str, float]:
    """ROUGE F1 of `prediction` against `reference` for each of the scorer's metrics (0-1)."""
    return {name: score.fmeasure for name, score in scorer.score(reference, prediction).items()}


def lead(row: dict[str, Any], k: int) -> list[str]:
    """Lead-k: the first `k` lines of the row's first article."""
    return _lines(row["articles"][0]["text"])[:k] if row["articles"] else []


def lexrank(row: dict[str, Any], k: int) -> list[str]:
    """sumy's LexRank over all lines of the row (words `\\w+`, Snowball stems, sumy English stop words)."""
    try:
        from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
        from sumy.nlp.stemmers import Stemmer
        from sumy.summarizers.lex_rank import LexRankSummarizer
        from sumy.utils import get_stop_words
    except ImportError as exc:
        raise ImportError(f"the lexrank peer needs sumy: pip install 'storyline[peers]' ({exc})") from exc

    # sumy's own tokenizer needs NLTK's punkt data (a download); the README's words are `\w+`.
    tokenizer = _WordTokenizer()
    paragraphs = [
        Paragraph([Sentence(line, tokenizer) for line in _lines(a["text"])]) for a in row["articles"]
    ]
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    return [str(s) for s in summarizer(ObjectDocumentModel(paragraphs), k)]


class _WordTokenizer:
    """The tokenizer interface sumy's Sentence asks for: `to_words` only."""

    def to_words(self, text: str) -> list[str]:
        return _WORD.findall(text)


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def predict(row: dict[str, Any], k: int, embed: Callable[[Sequence[str]], np.ndarray], nlp: Any) -> list[str]:
    """storyline's summary of a row in `k` sentences, the row's date as the story's key day."""
    pool = candidates(row, nlp)
    if not pool:
        return []
    picked = summarize(pool, embed([c.text for c in pool]), max_sentences=k, days=(row["date"],))
    return [p.text for p in picked]


def candidates(row: dict[str, Any], nlp: Any) -> list[Candidate]:
    """The row's lines as summary candidates: the first `WINDOW` lines of each article that pass
    `eligible` (all of them when none does), with the days each mentions.

    Days come from `annotate.dates` on a blank spaCy pipeline (`nlp`): its patterns need no model,
    and each line is a sentence, as the benchmark's lines are. An article's publication day is the
    date in its id (`folder/YYYY-MM-DD/n`, see bench/timeline/README.md).
    """
    pool: list[Candidate] = []
    fallback: list[Candidate] = []
    for article in row["articles"]:
        for cand in _article_lines(article, nlp):
            (pool if eligible(cand.text) else fallback).append(cand)
    return pool or fallback


def _article_lines(article: dict[str, Any], nlp: Any) -> list[Candidate]:
    text = "\n".join(article["text"].split("\n")[:WINDOW])
    published = _PUBLISHED.search(article["id"])
    mentions = extract(nlp.make_doc(text), published.group(1) if published else None)
    out, start = [], 0
    for index, line in enumerate(text.split("\n")):
        end = start + len(line)
        if line.strip():
            first, last = start + len(line) - len(line.lstrip()), start + len(line.rstrip())
            first += prose_start(text[first:last])
            days = frozenset(
                m.value for m in mentions if start <= m.start < end and m.precision == "day" and m.value
            )
            out.append(Candidate(Cite(article["id"], first, last), text[first:last], index, days=days))
        start = end + 1
    return out


def _system(peer: str | None) -> Callable[[dict[str, Any], int], list[str]]:
    if peer == "lead":
        return lead
    if peer == "lexrank":
        return lexrank
    import spacy

    from storyline.annotate.embed import load_embedder

    embed = _memo(load_embedder().encode)
    nlp = spacy.blank("en")
    return lambda row, k: predict(row, k, embed, nlp)


def _memo(encode: Callable[[Sequence[str]], np.ndarray]) -> Callable[[Sequence[str]], np.ndarray]:
    """`encode` that embeds each distinct text once: an article is in the rows of up to two days."""
    seen: dict[str, np.ndarray] = {}

    def embed(texts: Sequence[str]) -> np.ndarray:
        new = [t for t in dict.fromkeys(texts) if t not in seen]
        seen.update(zip(new, encode(new), strict=True))
        return np.stack([seen[t] for t in texts]) if texts else np.zeros((0, 0), dtype=np.float32)

    return embed


def _rows(path: Path, limit: int | None) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if limit is not None and n >= limit:
                return
            if line.strip():
                yield json.loads(line)

"""Tasks `extraction` and `extraction-snippets`: HTML main-text extraction against labelled pages.

`evaluate` scores aeb.jsonl the way the article-extraction benchmark does (4-gram `\\w+` shingles
as multisets, macro P over pages with output, R over pages with gold). `evaluate_snippets` scores
trafilatura_eval.jsonl as trafilatura's own evaluation does (snippets that must / must not appear).
"""

from __future__ import annotations

import importlib
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

from storyline.errors import ModelMissingError
from storyline.evaluate.metrics import macro_prf, normalize_space, shingle_counts

__all__ = ["PEERS", "evaluate", "evaluate_snippets", "extractor"]

Extractor = Callable[[str, "str | None"], str]

PEERS = ("trafilatura", "trafilatura-defaults", "readability", "justext")

# jusText's parameters as in the benchmark runners (length_low, length_high, stopwords_low,
# stopwords_high, max_link_density, max_heading_distance, no_headings).
_JUSTEXT_PARAMS = (50, 200, 0.1, 0.2, 0.2, 200, True)


def evaluate(path: str, limit: int | None = None, peer: str | None = None) -> dict[str, Any]:
    """AEB P/R/F1 of storyline's extractor (or a `peer`) on a JSONL of {html, url, gold_text}."""
    run = extractor(peer, stoplist="English")
    started = time.perf_counter()
    pages, failed = [], 0
    for row in _rows(path, limit):
        text, ok = _safe(run, row)
        failed += not ok
        pages.append(shingle_counts(row["gold_text"], text))
    return {
        "task": "extraction",
        "system": peer or "storyline",
        "pages": len(pages),
        "empty": sum(1 for tp, fp, _ in pages if tp + fp == 0),
        "failed": failed,
        **macro_prf(pages),
        "seconds": round(time.perf_counter() - started, 1),
    }


def evaluate_snippets(path: str, limit: int | None = None, peer: str | None = None) -> dict[str, Any]:
    """Micro P/R/F1 of snippets found in the output, on a JSONL of {html, url, with, without}.

    A `with` snippet found is a true positive, missed a false negative; a `without` snippet found
    is a false positive. Matching is case-sensitive on whitespace-normalised text.
    """
    run = extractor(peer, stoplist=None)
    started = time.perf_counter()
    tp = fp = fn = tn = pages = failed = 0
    for row in _rows(path, limit):
        text, ok = _safe(run, row)
        failed += not ok
        pages += 1
        found = normalize_space(text)
        hits = [normalize_space(s) in found for s in row["with"]]
        tp, fn = tp + sum(hits), fn + len(hits) - sum(hits)
        wrong = sum(normalize_space(s) in found for s in row["without"])
        fp, tn = fp + wrong, tn + len(row["without"]) - wrong
    return {
        "task": "extraction-snippets",
        "system": peer or "storyline",
        "pages": pages,
        "failed": failed,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "f1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0,
        "seconds": round(time.perf_counter() - started, 1),
    }


def extractor(peer: str | None = None, stoplist: str | None = None) -> Extractor:
    """A function (html, url) -> main text for storyline or a named peer.

    `stoplist` is jusText's language; None uses the union of all its stoplists, as the benchmark's
    runner does on multilingual pages.
    """
    if peer is None:
        return _storyline
    if peer == "trafilatura":
        return _trafilatura(include_comments=False)
    if peer == "trafilatura-defaults":
        return _trafilatura(include_comments=True)
    if peer == "readability":
        return _readability()
    if peer == "justext":
        return _justext(stoplist)
    raise ValueError(f"unknown peer {peer!r}; choose one of {', '.join(PEERS)}")


def _storyline(html: str, url: str | None) -> str:
    from storyline.clean.html import extract

    article = extract(html, url)
    return article.text if article is not None else ""


def _trafilatura(include_comments: bool) -> Extractor:
    import trafilatura

    def run(html: str, url: str | None) -> str:
        return trafilatura.extract(html, url=url, include_comments=include_comments) or ""

    return run


def _readability() -> Extractor:
    document = _require("readability", "readability-lxml").Document
    html_text = _require("html_text", "html-text")

    def run(html: str, url: str | None) -> str:
        return html_text.extract_text(document(html).summary(html_partial=True))

    return run


def _justext(stoplist: str | None) -> Extractor:
    justext = _require("justext", "justext")
    if stoplist is None:
        words = frozenset().union(*(justext.get_stoplist(lang) for lang in justext.get_stoplists()))
    else:
        words = justext.get_stoplist(stoplist)

    def run(html: str, url: str | None) -> str:
        paragraphs = justext.justext(html, words, *_JUSTEXT_PARAMS)
        return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)

    return run


def _require(module: str, package: str) -> Any:
    """The imported peer module, or an error naming the PyPI package to install."""
    try:
        return importlib.import_module(module)
    except ImportError as err:
        raise ModelMissingError(
            package, "a peer extractor needs it (pip install 'storyline[peers]')"
        ) from err


def _safe(run: Extractor, row: dict[str, Any]) -> tuple[str, bool]:
    """The extractor's text and True, or ("", False) when it crashes: a crash finds nothing."""
    try:
        return run(row["html"], row.get("url") or None), True
    except Exception:  # noqa: BLE001 — any peer crash is scored, as the benchmarks do
        return "", False


def _rows(path: str, limit: int | None) -> Iterator[dict[str, Any]]:
    """The JSONL rows of a bench file, the first `limit` of them when given."""
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if limit is not None and number >= limit:
                return
            if line.strip():
                yield json.loads(line)

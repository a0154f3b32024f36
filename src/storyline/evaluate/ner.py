"""Task `ner`: named-entity recognition on CoNLL-2003 style data (CoNLL++ dev).

The product's spaCy pipeline reads each gold-tokenised document (between -DOCSTART- lines) with
gold sentence starts, `annotate.ner_fixes.refine` repairs its entities, OntoNotes labels are mapped
to CoNLL's four, and spans are scored by exact match (span and type), micro P/R/F1 as conlleval.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from storyline.evaluate.metrics import prf, span_counts

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["CONLL_LABELS", "chunks", "evaluate", "read_conll"]

# OntoNotes (spaCy) -> CoNLL-2003. Numbers, dates and the like have no CoNLL type and are dropped.
CONLL_LABELS = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
}
TYPES = ("PER", "ORG", "LOC", "MISC")

# One gold document: its sentences, each a list of (word, IOB tag).
Sentence = list[tuple[str, str]]


def evaluate(path: str, limit: int | None = None, refine: bool = True) -> dict[str, Any]:
    """Entity-level P/R/F1 overall and per CoNLL type over the first `limit` documents of `path`.

    `refine=False` scores spaCy's raw entities, for comparison.
    """
    from storyline.annotate.nlp import load_spacy

    nlp = load_spacy(disable=("tagger", "parser", "attribute_ruler", "lemmatizer"))
    started = time.perf_counter()
    gold: set[tuple[int, int, int, str]] = set()
    pred: set[tuple[int, int, int, str]] = set()
    n_docs = n_tokens = 0
    for number, sentences in enumerate(read_conll(path)):
        if limit is not None and number >= limit:
            break
        words = [w for sent in sentences for w, _ in sent]
        tags = [t for sent in sentences for _, t in sent]
        gold.update((number, start, end, label) for start, end, label in chunks(tags))
        pred.update((number, start, end, label) for start, end, label in _predict(nlp, sentences, refine))
        n_docs, n_tokens = n_docs + 1, n_tokens + len(words)
    result: dict[str, Any] = {"task": "ner", "documents": n_docs, "tokens": n_tokens, "entities": len(gold)}
    result.update(prf(*span_counts(gold, pred)))
    result["per_type"] = {
        label: prf(*span_counts({g for g in gold if g[3] == label}, {p for p in pred if p[3] == label}))
        for label in TYPES
    }
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def _predict(nlp: Language, sentences: list[Sentence], refine: bool) -> list[tuple[int, int, str]]:
    """(start, end, CoNLL type) of the entities the pipeline finds in one gold-tokenised document."""
    from spacy.tokens import Doc

    from storyline.annotate import ner_fixes

    words = [w for sent in sentences for w, _ in sent]
    starts: list[bool | int | None] = [i == 0 for sent in sentences for i in range(len(sent))]
    doc = Doc(nlp.vocab, words=words, sent_starts=starts)
    for _, component in nlp.pipeline:
        doc = component(doc)
    ents = ner_fixes.refine(doc, nlp) if refine else list(doc.ents)
    return [(e.start, e.end, CONLL_LABELS[e.label_]) for e in ents if e.label_ in CONLL_LABELS]


def chunks(tags: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, type) entity chunks of an IOB1/IOB2 tag sequence, as conlleval reads them."""
    found: list[tuple[int, int, str]] = []
    start, kind = None, None
    for i, tag in enumerate([*tags, "O"]):
        begins = tag.startswith("B-") or (tag.startswith("I-") and tag[2:] != kind)
        if start is not None and (tag == "O" or begins):
            found.append((start, i, kind or ""))
            start, kind = None, None
        if tag != "O" and begins:
            start, kind = i, tag[2:]
    return found


def read_conll(path: str) -> Iterator[list[Sentence]]:
    """Documents of a CoNLL-2003 file (`word POS chunk NER` lines), split at -DOCSTART- lines."""
    sentences: list[Sentence] = []
    current: Sentence = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            fields = line.split()
            if fields and fields[0] == "-DOCSTART-" or not fields:
                if current:
                    sentences.append(current)
                    current = []
                if fields and sentences:
                    yield sentences
                    sentences = []
                continue
            current.append((fields[0], fields[-1]))
    if current:
        sentences.append(current)
    if sentences:
        yield sentences

"""Task `ner`: named-entity recognition on CoNLL-2003 style data (CoNLL++ dev), and the training of
the relabeller (`annotate.ner_relabel`) on it.

Each gold-tokenised document (between -DOCSTART- lines) is read by the product's spaCy pipeline
with gold sentence starts, and scored on what the annotate stage outputs for it
(`annotate.entities.extract`: the rule repairs, the relabeller, the later passes of
`ner_fixes.refine` and the title repair). OntoNotes labels are mapped to CoNLL's four and spans are
scored by exact match (span and type), micro P/R/F1 as conlleval. On the file the relabeller was
trained on, only the other (held-out) half is scored; the relabeller's own stage (the rule repairs,
then the relabeller) is scored there too, and under a 2-fold cross-validation that retrains it on
each half.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from storyline.annotate import entities, ner_fixes, ner_relabel
from storyline.annotate.ner_relabel import NAME_LABELS, NONE, Candidate, RelabelModel, Stage
from storyline.evaluate.metrics import prf, span_counts

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

__all__ = [
    "CONLL_LABELS",
    "Example",
    "chunks",
    "cross_validate",
    "evaluate",
    "parse",
    "product_entities",
    "read_conll",
    "save_model",
    "split",
    "train",
]

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
SPLIT_SEED = "ner-relabel-heldout"
# The regularisation of both stages. 2-fold CV inside the training half (F1; .735 unrelabelled):
# C=0.1 .800, 0.3 .806, 1 .814, 3 .814; the stronger of the two best.
C = 1.0

# One gold document: its sentences, each a list of (word, IOB tag).
Sentence = list[tuple[str, str]]
Entity = tuple[int, int, str]


@dataclass(frozen=True)
class Example:
    """A parsed document: its repaired entities, truecased words, gold chunks and candidates with
    their first-stage features and gold classes (the type of the gold chunk with the same bounds)."""

    number: int
    doc: Doc
    spans: list[Span]
    words: list[str]
    gold: list[Entity]
    found: list[Candidate]
    rows: list[list[str]]
    labels: list[str]


def evaluate(
    path: str, limit: int | None = None, refine: bool = True, relabel: bool = True, cv: bool = True
) -> dict[str, Any]:
    """Entity-level P/R/F1 overall and per CoNLL type over the first `limit` documents of `path`:
    the held-out half when `path` is the file the relabeller was trained on, else all of them.

    The headline figures score the product's entities (`entities.extract`); `relabel` adds those of
    the relabeller's stage (`relabelled`: rule repairs then the shipped relabeller, which is what
    the cross-validation `cv_*` retrains and scores) and of the rule repairs alone
    (`without_relabel`). `refine=False` scores spaCy's raw entities, `relabel=False` the rule
    repairs only.
    """
    started = time.perf_counter()
    model = ner_relabel.load_model()
    trained = set(model.trained_on) if _sha256(path) == model.data_sha256 else set()
    examples = parse(path, limit, skip=trained if not (cv and trained) else set())
    scored = [e for e in examples if e.number not in trained]
    repaired = {e.number: _entities(e.spans) for e in scored}
    if not refine:
        predicted = {e.number: _entities(e.doc.ents) for e in scored}
    elif relabel:
        predicted = {e.number: product_entities(e.doc) for e in scored}
    else:
        predicted = repaired
    result: dict[str, Any] = {
        "task": "ner",
        "part": "held-out half" if trained else "all",
        "documents": len(scored),
        "tokens": sum(len(e.doc) for e in scored),
        "entities": sum(len(e.gold) for e in scored),
    }
    result.update(score(scored, predicted))
    if refine and relabel:
        relabelled = {
            e.number: _entities(ner_relabel.relabel(e.doc, e.spans, e.words, model)) for e in scored
        }
        result["relabelled"] = score(scored, relabelled)
        result["without_relabel"] = score(scored, repaired)
        inside = sum(e.number in trained for e in examples)
        if cv and min(inside, len(examples) - inside) >= 2:  # each fold's training needs two halves
            result.update({f"cv_{k}": v for k, v in cross_validate(examples, trained, model.c).items()})
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def product_entities(doc: Doc) -> list[Entity]:
    """The entities the annotate stage outputs for `doc` (`entities.extract`, on a copy: it sets
    doc.ents), as token spans with spaCy labels.

    A mention is a character span; one that the product trims inside a token (a possessive "'" the
    tokeniser left on the name) is widened to the token, the unit the gold chunks are made of.
    """
    mentions, _ = entities.extract(doc.copy(), _pipeline())
    found = []
    for mention in mentions:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is not None:
            found.append((span.start, span.end, mention.label))
    return found


def score(examples: Sequence[Example], predicted: dict[int, list[Entity]]) -> dict[str, Any]:
    """Micro P/R/F1 and per-type F1 of `predicted` (spaCy labels, per document number)."""
    gold = {(e.number, *g) for e in examples for g in e.gold}
    pred = {
        (number, start, end, CONLL_LABELS[label])
        for number, ents in predicted.items()
        for start, end, label in ents
        if label in CONLL_LABELS
    }
    result: dict[str, Any] = prf(*span_counts(gold, pred))
    result["per_type"] = {
        t: prf(*span_counts({g for g in gold if g[3] == t}, {p for p in pred if p[3] == t})) for t in TYPES
    }
    return result


def _entities(spans: Sequence[Span]) -> list[Entity]:
    return [(s.start, s.end, s.label_) for s in spans]


def split(n_documents: int) -> tuple[list[int], list[int]]:
    """(training half, held-out half) of the document indices: shuffled with
    `random.Random(SPLIT_SEED)`, the first n // 2 train."""
    order = list(range(n_documents))
    random.Random(SPLIT_SEED).shuffle(order)
    return sorted(order[: n_documents // 2]), sorted(order[n_documents // 2 :])


def parse(
    path: str, limit: int | None = None, skip: set[int] | frozenset[int] = frozenset()
) -> list[Example]:
    """The first `limit` documents of a CoNLL file (but those in `skip`), read by the product's
    pipeline (with gold sentence starts, which its parser keeps) and its rule repairs, with their
    candidates."""
    nlp = _pipeline()
    examples = []
    for number, sentences in enumerate(read_conll(path)):
        if limit is not None and number >= limit:
            break
        if number not in skip:
            examples.append(_example(nlp, number, sentences))
    return examples


def _pipeline() -> Language:
    """The pipeline the annotate stage runs (the tagger and parser too: the title repair of
    `entities` reads the parse)."""
    from storyline.annotate.nlp import load_spacy

    return load_spacy()


def _example(nlp: Language, number: int, sentences: list[Sentence]) -> Example:
    from spacy.tokens import Doc

    words = [w for sent in sentences for w, _ in sent]
    starts: list[bool | int | None] = [i == 0 for sent in sentences for i in range(len(sent))]
    doc = Doc(nlp.vocab, words=words, sent_starts=starts)
    for _, component in nlp.pipeline:
        doc = component(doc)
    spans, truecased = ner_fixes.repair(doc, nlp)
    gold = chunks([t for sent in sentences for _, t in sent])
    found = ner_relabel.candidates(doc, spans, truecased)
    types = {(start, end): kind for start, end, kind in gold}
    labels = [types.get((c.start, c.end), NONE) for c in found]
    return Example(
        number, doc, spans, truecased, gold, found, ner_relabel.features(doc, found, truecased), labels
    )


# --- training ------------------------------------------------------------------------------------


def train(examples: Sequence[Example], c: float = C, data_sha256: str = "") -> RelabelModel:
    """Both stages on `examples`. The second stage learns from first-stage readings of documents
    that stage did not see (each half read by a first stage fitted on the other), as it will meet
    them on new text."""
    if len(examples) < 2:
        raise ValueError("the relabeller trains on two documents at least")
    first = _fit([r for e in examples for r in e.rows], [y for e in examples for y in e.labels], c)
    halves = [examples[0::2], examples[1::2]]
    rows2: list[list[str]] = []
    labels2: list[str] = []
    for k in (0, 1):
        other = halves[1 - k]
        stage = _fit([r for e in other for r in e.rows], [y for e in other for y in e.labels], c)
        for e in halves[k]:
            rows2 += _second_rows(e, stage)
            labels2 += e.labels
    second = _fit(rows2, labels2, c)
    return RelabelModel(first, second, c, data_sha256, tuple(sorted(e.number for e in examples)))


def _second_rows(example: Example, first: Stage) -> list[list[str]]:
    chosen = ner_relabel.choose(
        example.found, first.classes, first.probabilities(example.rows), _kept(example)
    )
    extra = ner_relabel.agreement_features(example.found, example.words, chosen)
    return [r + x for r, x in zip(example.rows, extra, strict=True)]


def _kept(example: Example) -> list[Span]:
    return [s for s in example.spans if s.label_ not in NAME_LABELS]


def _fit(rows: Sequence[list[str]], labels: Sequence[str], c: float) -> Stage:
    """A multinomial logistic regression; a feature seen in one row only is dropped (it cannot
    generalise, and it keeps the shipped vocabulary small)."""
    from sklearn.linear_model import LogisticRegression

    counts = Counter(name for names in rows for name in set(names))
    vocabulary = {n: i for i, n in enumerate(sorted(n for n, k in counts.items() if k > 1))}
    classes = tuple(sorted({*TYPES, NONE}))
    # newton-cg: exact and deterministic, and ten times faster than lbfgs here.
    clf = LogisticRegression(C=c, solver="newton-cg", max_iter=1000)
    clf.fit(ner_relabel.feature_matrix(rows, vocabulary), [classes.index(y) for y in labels])
    coef = np.zeros((len(classes), len(vocabulary)), dtype=np.float32)
    intercept = np.zeros(len(classes), dtype=np.float32)
    coef[clf.classes_], intercept[clf.classes_] = clf.coef_, clf.intercept_
    return Stage(classes, vocabulary, coef, intercept)


def cross_validate(examples: Sequence[Example], fold: set[int], c: float = C) -> dict[str, Any]:
    """Scores pooled over two folds (the documents numbered in `fold`, and the others), each
    relabelled by a model trained on the other fold."""
    predicted: dict[int, list[Entity]] = {}
    for inside in (True, False):
        model = train([e for e in examples if (e.number in fold) == inside], c)
        for e in examples:
            if (e.number in fold) != inside:
                predicted[e.number] = _entities(ner_relabel.relabel(e.doc, e.spans, e.words, model))
    return score(list(examples), predicted)


def save_model(model: RelabelModel, stem: str | Path) -> None:
    """Write `stem.npz` (weights of both stages) and `stem.json` (classes, feature names, settings,
    the training file's sha256 and document indices)."""
    arrays: dict[str, Any] = {}
    for name, stage in (("first", model.first), ("second", model.second)):
        arrays[f"{name}_coef"], arrays[f"{name}_intercept"] = stage.coef, stage.intercept
    np.savez_compressed(f"{stem}.npz", **arrays)
    meta = {
        "version": ner_relabel.RELABEL_VERSION,
        "classes": list(model.first.classes),
        "c": model.c,
        "data_sha256": model.data_sha256,
        "trained_on": list(model.trained_on),
        "first_features": sorted(model.first.vocabulary, key=model.first.vocabulary.__getitem__),
        "second_features": sorted(model.second.vocabulary, key=model.second.vocabulary.__getitem__),
    }
    Path(f"{stem}.json").write_text(json.dumps(meta, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")


def _sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


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

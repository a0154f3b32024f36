"""A trained second look at name spans: each candidate is typed PER, ORG, LOC, MISC or not a name.

Method: candidates are the repaired spaCy names, the runs of capitalised words it missed and their
cuts and joins; a multinomial logistic regression over binary features (the span, its neighbours,
its line's shape, the same words elsewhere in the document, GeoNames) types them, then a second one
re-reads each with what the first made of the whole document (stacking, as Krishnan & Manning 2006
did for non-local NER consistency). Overlaps are settled best first; spaCy's names are never
dropped. Trained by `scripts/train_ner_relabel.py`.
"""

from __future__ import annotations

import functools
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np
from spacy.tokens import Span

from storyline.annotate.events import feature_matrix  # the same sparse one-hot encoding
from storyline.story.places import place

if TYPE_CHECKING:
    from collections.abc import Sequence

    from spacy.tokens import Doc

__all__ = [
    "NAME_LABELS",
    "NONE",
    "RELABEL_VERSION",
    "Candidate",
    "RelabelModel",
    "Stage",
    "agreement_features",
    "candidates",
    "choose",
    "feature_matrix",
    "features",
    "load_model",
    "relabel",
    "to_spacy_label",
]

RELABEL_VERSION = "ner_relabel.v1"
NONE = "NONE"  # the class of a candidate that is no name (or not with these bounds)
_MODEL = "ner_relabel"

_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_MISC_LABELS = frozenset({"NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE"})
# spaCy labels that name something; the others (dates, numbers, money) are left as they are.
NAME_LABELS = frozenset({"PERSON", "ORG"}) | _PLACE_LABELS | _MISC_LABELS
_MAX_WORDS = 6
_CONNECTOR = 3  # a lower-case word this short may sit inside a name ("Bank of England", "al")


@dataclass(frozen=True)
class Candidate:
    """A token span that may be a name, with spaCy's label for it ("" when spaCy had none)."""

    start: int
    end: int
    label: str
    origin: str  # "ent" (spaCy's), "run" (capitalised words), "part" (a cut), "join0"/"join1"


@dataclass(frozen=True)
class Stage:
    """One multinomial logistic regression over named binary features."""

    classes: tuple[str, ...]
    vocabulary: dict[str, int]
    coef: np.ndarray  # (classes, features), float32
    intercept: np.ndarray

    def probabilities(self, rows: Sequence[list[str]]) -> np.ndarray:
        scores = feature_matrix(rows, self.vocabulary) @ self.coef.T + self.intercept
        scores = np.exp(scores - scores.max(axis=1, keepdims=True))
        return np.asarray(scores / scores.sum(axis=1, keepdims=True))


@dataclass(frozen=True)
class RelabelModel:
    """The two stages, and what they were trained on (so an evaluator can score the rest)."""

    first: Stage
    second: Stage
    c: float
    data_sha256: str  # of the CoNLL file trained on
    trained_on: tuple[int, ...]  # its document indices


def relabel(
    doc: Doc, spans: Sequence[Span], words: Sequence[str], model: RelabelModel | None = None
) -> list[Span]:
    """`spans` with each name retyped or re-bounded, and names found among the capitalised words
    they missed; non-name spans (dates, numbers) are kept. Sorted and non-overlapping.

    `words` are the doc's words in the casing to read them in (`ner_fixes.truecased_words`).
    """
    model = model or load_model()
    found = candidates(doc, spans, words)
    kept = [s for s in spans if s.label_ not in NAME_LABELS]
    if not found:
        return sorted(kept, key=lambda s: s.start)
    rows = features(doc, found, words)
    first = choose(found, model.first.classes, model.first.probabilities(rows), kept)
    rows = [r + e for r, e in zip(rows, agreement_features(found, words, first), strict=True)]
    chosen = choose(found, model.second.classes, model.second.probabilities(rows), kept)
    names = [Span(doc, c.start, c.end, label=to_spacy_label(kind, c.label)) for c, kind in chosen]
    # A name spaCy found is never dropped, only retyped or re-bounded: on CoNLL dropping those the
    # model reads as no name gains .004 F1, but on ordinary news it loses real ones ("Shares of Apple").
    taken = {i for s in kept + names for i in range(s.start, s.end)}
    for cand in found:
        if cand.origin == "ent" and not taken.intersection(range(cand.start, cand.end)):
            names.append(Span(doc, cand.start, cand.end, label=cand.label))
            taken.update(range(cand.start, cand.end))
    return sorted(kept + names, key=lambda s: s.start)


def choose(
    found: Sequence[Candidate], classes: Sequence[str], probs: np.ndarray, kept: Sequence[Span] = ()
) -> list[tuple[Candidate, str]]:
    """The candidates typed as names with their type, most confident first, each where it does not
    overlap one already chosen or a kept span."""
    none = list(classes).index(NONE)
    confidence = np.delete(probs, none, axis=1).max(axis=1)
    taken = {i for s in kept for i in range(s.start, s.end)}
    chosen = []
    for i in np.argsort(-confidence, kind="stable"):
        cand, best = found[i], int(np.argmax(probs[i]))
        if best != none and not taken.intersection(range(cand.start, cand.end)):
            taken.update(range(cand.start, cand.end))
            chosen.append((cand, classes[best]))
    return sorted(chosen, key=lambda pair: pair[0].start)


def to_spacy_label(conll: str, old: str) -> str:
    """The product's (OntoNotes) label for a CoNLL type, keeping spaCy's finer label when it agrees."""
    if conll == "PER":
        return "PERSON"
    if conll == "LOC":
        return old if old in _PLACE_LABELS else "GPE"
    if conll == "MISC":
        return old if old in _MISC_LABELS else "NORP"
    return conll


# --- candidates ----------------------------------------------------------------------------------


def candidates(doc: Doc, spans: Sequence[Span], words: Sequence[str]) -> list[Candidate]:
    """The name spans and the runs of capitalised words outside every span; each cut at numbers and
    lower-case words inside it ("Ayr 6 Berwick"), and joined with the next one, directly or across
    a short lower-case word ("Waqar" + "Younis", "Human Rights" in "China")."""
    base = [Candidate(s.start, s.end, s.label_, "ent") for s in spans if s.label_ in NAME_LABELS]
    base += _runs(doc, words, {i for s in spans for i in range(s.start, s.end)})
    base.sort(key=lambda c: c.start)
    found = {(c.start, c.end): c for c in base}
    for cand in base:
        for start, end in _parts(cand, words):
            found.setdefault((start, end), Candidate(start, end, cand.label, "part"))
    for left, right in zip(base, base[1:], strict=False):
        gap = right.start - left.end
        if right.end - left.start > _MAX_WORDS or doc[left.start].sent != doc[right.end - 1].sent:
            continue
        between = words[left.end] if gap == 1 else ""
        if gap == 0 or (between.isalpha() and between.islower() and len(between) <= _CONNECTOR):
            joined = Candidate(left.start, right.end, left.label or right.label, f"join{gap}")
            found.setdefault((left.start, right.end), joined)
    return list(found.values())


def _runs(doc: Doc, words: Sequence[str], taken: set[int]) -> list[Candidate]:
    """Maximal runs of capitalised words outside `taken` (at most `_MAX_WORDS`, within a sentence)."""
    found, start = [], None
    for i in range(len(doc) + 1):
        inside = i < len(doc) and i not in taken and _capitalised(words[i])
        if start is not None and (not inside or i - start == _MAX_WORDS or doc[i].is_sent_start):
            found.append(Candidate(start, i, "", "run"))
            start = None
        if inside and start is None:
            start = i
    return found


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and any(c.isalpha() for c in word)


def _parts(cand: Candidate, words: Sequence[str]) -> list[tuple[int, int]]:
    a, b = cand.start, cand.end
    cuts = [i for i in range(a + 1, b - 1) if _number(words[i]) or words[i].islower()]
    bounds = zip([a, *(i + 1 for i in cuts)], [*cuts, b], strict=True)
    return [(s, e) for s, e in bounds if (s, e) != (a, b) and any(_capitalised(w) for w in words[s:e])]


# --- features ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    """What the features need to know about the whole document, computed once."""

    lines: list[tuple[int, int]]  # sentence (start, end) token offsets
    line_of: list[int]
    line_kind: list[list[str]]  # per line: its shape features
    votes: dict[str, Counter[str]]  # lower-cased text -> spaCy labels of its candidates
    within: dict[str, Counter[str]]  # lower-cased word -> labels of longer candidates holding it
    led_tables: set[str]  # lower-cased texts that open a line of numbers somewhere


def features(doc: Doc, found: Sequence[Candidate], words: Sequence[str]) -> list[list[str]]:
    """The first stage's binary feature names of each candidate."""
    context = _context(doc, found, words)
    return [_features(doc, cand, words, context) for cand in found]


def _context(doc: Doc, found: Sequence[Candidate], words: Sequence[str]) -> _Context:
    sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
    lines = [(s.start, s.end) for s in sents]
    line_of = [0] * len(doc)
    for n, (a, b) in enumerate(lines):
        line_of[a:b] = [n] * (b - a)
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    within: dict[str, Counter[str]] = defaultdict(Counter)
    led: set[str] = set()
    for cand in found:
        if cand.origin not in ("ent", "run"):
            continue  # cuts and joins are guesses, not evidence of how the document reads a name
        text = " ".join(words[cand.start : cand.end]).lower()
        votes[text][cand.label or "RUN"] += 1
        if cand.end - cand.start > 1:
            for w in words[cand.start : cand.end]:
                within[w.lower()][cand.label or "RUN"] += 1
        if cand.start == lines[line_of[cand.start]][0] and cand.end < len(doc) and _number(words[cand.end]):
            led.add(text)
    kinds = [_line_kind([t.text for t in doc[a:b]]) for a, b in lines]
    return _Context(lines, line_of, kinds, votes, within, led)


def _line_kind(line: Sequence[str]) -> list[str]:
    """The shape of a line: how much of it is numbers (a results table?), whether it shouts."""
    alpha = [w for w in line if sum(c.isalpha() for c in w) >= 2]
    numbers = sum(_number(w) for w in line)
    share = numbers / max(len(line), 1)
    kind = [f"num={'0' if not numbers else 'low' if share < 0.2 else 'mid' if share < 0.5 else 'high'}"]
    if alpha and sum(w.isupper() for w in alpha) >= 0.8 * len(alpha):
        kind.append("shout")
    kind.append(f"len={min(len(line) // 5, 4)}")
    return kind


def _features(doc: Doc, cand: Candidate, words: Sequence[str], context: _Context) -> list[str]:
    a, b = cand.start, cand.end
    span = [w.lower() for w in words[a:b]]
    text = " ".join(span)
    label = cand.label or "RUN"
    line = context.lines[context.line_of[a]]
    kind = context.line_kind[context.line_of[a]]
    out = [f"lab={label}", f"orig={cand.origin}", f"orig={cand.origin}|lab={label}", f"n={min(b - a, 4)}"]
    out += [f"first={span[0]}", f"last={span[-1]}", f"suf3={span[-1][-3:]}", f"suf2={span[-1][-2:]}"]
    out += [f"w={w}" for w in span] + ([f"text={text}"] if b - a > 1 else [])
    out.append("shape=" + "_".join(_shape(w) for w in words[a:b][:4]))
    out.append("rawshape=" + "_".join(_shape(t.text) for t in doc[a:b][:4]))
    near = _neighbours(words, a, b, line)
    out += [f"{k}={v}" for k, v in near.items()] + kind + [f"{k}|lab={label}" for k in kind]
    if (a, b) == line:
        out.append("whole_line")
    # Between two numbers a name is a side in a results line ("Ayr 6 Berwick 2").
    between = near["p1shape"] == near["n1shape"] == "d"
    if between:
        out.append("between_numbers")
    found = place(doc[a:b].text)
    if found is not None:
        gaz = f"gaz={found[1]}"
        out += [gaz, f"{gaz}|lab={label}", f"{gaz}|p1={near['p1']}", f"{gaz}|n1={near['n1']}"]
        out += [f"{gaz}|{k}" for k in kind]
        out += [f"{gaz}|between_numbers"] if between else []
    return out + _elsewhere(text, span, label, context)


def _neighbours(words: Sequence[str], a: int, b: int, line: tuple[int, int]) -> dict[str, str]:
    """The two words before (p1, p2) and after (n1, n2) in the line; numbers by their shape."""
    near = {}
    for name, i in (("p1", a - 1), ("p2", a - 2), ("n1", b), ("n2", b + 1)):
        word = words[i] if line[0] <= i < line[1] else "<line>"
        near[name] = _digits(word) if _number(word) else word.lower()
        near[f"{name}shape"] = _shape(word) if line[0] <= i < line[1] else "<line>"
    return near


def _elsewhere(text: str, span: list[str], label: str, context: _Context) -> list[str]:
    votes = context.votes[text]
    out = [f"occ={min(sum(votes.values()), 4)}"]
    out += [f"else={other}" for other in votes if other != label or votes[other] > 1]
    if len(span) == 1:
        out += [f"within={other}" for other in context.within.get(span[0], ())]
    if text in context.led_tables:
        out.append("leads_table")
    return out


def _number(word: str) -> bool:
    return any(c.isdigit() for c in word) and not any(c.isalpha() for c in word)


def _digits(word: str) -> str:
    """A number's shape: "dddd-dd-dd" (a date), "dd-d" (a score), "d", ".ddd" (a percentage)."""
    return "".join("d" if c.isdigit() else c for c in word)[:10]


def _shape(word: str) -> str:
    if _number(word):
        return "d"
    if not any(c.isalpha() for c in word):
        return word[:2]
    if word.isupper():
        return "X." if "." in word else "XX" if len(word) > 1 else "X"
    if word[:1].isupper():
        return "Xx-" if "-" in word else "Xx"
    return "x"


def agreement_features(
    found: Sequence[Candidate], words: Sequence[str], chosen: Sequence[tuple[Candidate, str]]
) -> list[list[str]]:
    """The second stage's extra features: what the first made of each candidate, of the same words
    elsewhere in the document, and of its place names (a document of results names teams by their
    towns: if the first stage read most of its place names as ORG, this one may read the rest so)."""
    by_span = {(c.start, c.end): kind for c, kind in chosen}
    by_text: dict[str, Counter[str]] = defaultdict(Counter)
    by_word: dict[str, Counter[str]] = defaultdict(Counter)
    places: Counter[str] = Counter()
    for cand, kind in chosen:
        text = " ".join(words[cand.start : cand.end]).lower()
        by_text[text][kind] += 1
        if cand.end - cand.start > 1:
            for w in words[cand.start : cand.end]:
                by_word[w.lower()][kind] += 1
        if place(text) is not None:
            places[kind] += 1
    share = places["ORG"] / max(sum(places.values()), 1)
    teams = f"2:teams={min(int(share * 4), 3) if places else 'none'}"
    out = []
    for cand in found:
        text = " ".join(words[cand.start : cand.end]).lower()
        own = by_span.get((cand.start, cand.end), NONE)
        others = by_text[text] - Counter({own: 1})
        row = [f"2:self={own}"] + [f"2:else={kind}" for kind in others]
        if cand.end - cand.start == 1:
            row += [f"2:within={kind}" for kind in by_word.get(text, ())]
        if place(text) is not None:
            row += [teams, f"{teams}|self={own}"]
        out.append(row)
    return out


@functools.lru_cache(maxsize=1)
def load_model() -> RelabelModel:
    """The shipped model (src/storyline/data/ner_relabel.{json,npz}), loaded once per process."""
    data = resources.files("storyline.data")
    meta = json.loads(data.joinpath(f"{_MODEL}.json").read_text(encoding="utf-8"))
    with resources.as_file(data.joinpath(f"{_MODEL}.npz")) as path, np.load(path) as weights:
        stages = [
            Stage(
                classes=tuple(meta["classes"]),
                vocabulary={name: i for i, name in enumerate(meta[f"{stage}_features"])},
                coef=weights[f"{stage}_coef"],
                intercept=weights[f"{stage}_intercept"],
            )
            for stage in ("first", "second")
        ]
    return RelabelModel(
        stages[0], stages[1], float(meta["c"]), meta["data_sha256"], tuple(meta["trained_on"])
    )

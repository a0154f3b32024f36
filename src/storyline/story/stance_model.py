"""Stance of a passage towards a headline or claim: FNC-1's agree / disagree / discuss / unrelated.

Two stages of gradient-boosted trees (trained by scripts/train_stance.py, shipped as plain arrays):
related or not from TF-IDF, overlap and MiniLM similarity; then the stance from cue words near the match.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from storyline.annotate.embed import Embedder, load_embedder

__all__ = [
    "CUES",
    "CUE_NAMES",
    "FEATURE_NAMES",
    "LABELS",
    "SIMILARITY_NAMES",
    "STANCES",
    "Body",
    "Featurizer",
    "Headline",
    "StanceModel",
    "Tfidf",
    "TreeEnsemble",
    "content_words",
    "cue_counts",
    "cue_features",
    "load_arrays",
    "load_model",
    "predict",
    "similarity_features",
    "split_sentences",
    "stance_between",
    "tokens",
]

LABELS = ("agree", "disagree", "discuss", "unrelated")
STANCES = LABELS[:3]  # stage 2's classes, in sklearn's (sorted) class order
WEIGHTS = "stance_fnc1.npz"

_TOKEN = re.compile(r"\w+(?:'\w+)?")
# Newlines, and sentence-final punctuation before a capital or a quote: exact boundaries barely move
# the features, and a regex is many times faster than a segmenter over 50k pairs.
_SENTENCE = re.compile(r"\n+|(?<=[.!?])[\"'”’)]?\s+(?=[\"'“‘(]?[A-Z0-9])")
_LEAD = 3  # sentences that make a body's lead
_TOP = 3  # best-matching sentences whose cue words count for the pair

# Cue words. "refute" extends the FNC-1 baseline's refuting list; hedging and reporting words mark
# "discuss" bodies, which relay a claim without taking it up (Ferreira & Vlachos 2016); debunking
# bodies often turn with a contrast ("however") and talk about the claim spreading ("viral").
CUES: dict[str, frozenset[str]] = {
    name: frozenset(words.split())
    for name, words in {
        "refute": "fake fraud hoax false deny denies denied denial despite nope doubt doubts doubtful "
        "bogus debunk debunks debunked prank pranks retract retracts retracted untrue misleading myth "
        "lie lies lying satire satirical fabricated baseless unfounded dismiss dismisses dismissed "
        "refute refutes refuted reject rejects rejected rumor rumors rumour rumours wrong incorrect "
        "nonsense photoshopped spoof parody scam",
        "hedge": "reportedly allegedly alleged purportedly supposedly apparently possibly perhaps may "
        "might could would unconfirmed unverified speculation speculated suggests suggest suggested "
        "appears appear seems seem believed thought if whether likely unclear",
        "report": "claims claim claimed according report reports reported says said told tells states "
        "stated sources source posted tweeted wrote writes insists insisted",
        "affirm": "confirmed confirms confirm official officially indeed verified proven proved true "
        "announced revealed shows showed actually really evidence",
        "negate": "not no never none nothing nobody neither nor without cannot",
        "contrast": "however but although though yet instead contrary whereas",
        "spread": "circulating circulated viral rounds spread spreading widely internet online",
    }.items()
}
_NEGATE = list(CUES).index("negate")
_REFUTE = list(CUES).index("refute")


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; a contraction stays one token ("isn't"), curly apostrophes folded."""
    return _TOKEN.findall(text.lower().replace("’", "'"))


def content_words(text: str) -> list[str]:
    """Tokens that are not English stop words: what the TF-IDF vectors and overlaps count."""
    return [t for t in tokens(text) if t not in ENGLISH_STOP_WORDS]


def split_sentences(text: str) -> list[str]:
    """Sentences of `text` (stripped, non-empty), split on newlines and sentence punctuation."""
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]


def cue_counts(words: Iterable[str]) -> np.ndarray:
    """How many of `words` fall in each cue list (CUES order); a word ending in n't also negates."""
    words = list(words)
    counts = np.array([sum(w in cue for w in words) for cue in CUES.values()], dtype=np.float64)
    counts[_NEGATE] += sum(w.endswith("n't") for w in words)
    return counts


class Tfidf:
    """Sublinear-TF x smooth-IDF vectors, L2-normalised, over a fixed vocabulary of content words.

    sklearn's TfidfVectorizer computes the same vectors, but reloading it needs its pickled state;
    this rebuilds them from a word list and an IDF array.
    """

    def __init__(self, vocabulary: Sequence[str], idf: np.ndarray) -> None:
        self.index = {word: i for i, word in enumerate(vocabulary)}
        self.idf = np.asarray(idf, dtype=np.float64)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for row, text in enumerate(texts):
            counts: dict[int, int] = {}
            for word in content_words(text):
                if (col := self.index.get(word)) is not None:
                    counts[col] = counts.get(col, 0) + 1
            rows.extend([row] * len(counts))
            cols.extend(counts)
            vals.extend((1 + math.log(n)) * self.idf[col] for col, n in counts.items())
        matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(self.idf)))
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        return sparse.csr_matrix(sparse.diags(1 / np.where(norms > 0, norms, 1)) @ matrix)


@dataclass(frozen=True)
class Headline:
    """A headline (or claim) analysed once for all the bodies paired with it."""

    words: tuple[str, ...]
    content: tuple[str, ...]
    vector: sparse.csr_matrix  # TF-IDF (1 row)
    cues: np.ndarray
    question: bool

    @classmethod
    def of(cls, text: str, tfidf: Tfidf) -> Headline:
        words = tokens(text)
        return cls(
            tuple(words), tuple(content_words(text)), tfidf.transform([text]), cue_counts(words), "?" in text
        )


@dataclass(frozen=True)
class Body:
    """A body (or passage) analysed once for all the headlines paired with it."""

    lead_text: str  # its first `_LEAD` sentences
    vectors: sparse.csr_matrix  # TF-IDF of each sentence
    whole: sparse.csr_matrix  # TF-IDF of the body (1 row)
    lead: sparse.csr_matrix  # TF-IDF of the lead (1 row)
    cues: np.ndarray  # (sentences, cues) cue counts
    content: frozenset[str]
    lead_content: frozenset[str]
    sentence_content: tuple[frozenset[str], ...]
    ngrams: frozenset[tuple[str, ...]]  # bigrams and trigrams of all tokens
    n_words: int

    @classmethod
    def of(cls, text: str, tfidf: Tfidf) -> Body:
        sentences = split_sentences(text) or [text]
        words = [tokens(s) for s in sentences]
        flat = [w for ws in words for w in ws]
        lead = " ".join(sentences[:_LEAD])
        return cls(
            lead_text=lead,
            vectors=tfidf.transform(sentences),
            whole=tfidf.transform([text]),
            lead=tfidf.transform([lead]),
            cues=np.array([cue_counts(ws) for ws in words]),
            content=frozenset(content_words(text)),
            lead_content=frozenset(content_words(lead)),
            sentence_content=tuple(frozenset(w for w in ws if w not in ENGLISH_STOP_WORDS) for ws in words),
            ngrams=frozenset(_ngrams(flat, 2)) | frozenset(_ngrams(flat, 3)),
            n_words=len(flat),
        )


def _ngrams(words: Sequence[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(words[i : i + n]) for i in range(len(words) - n + 1)]


def _share(part: Iterable[object], whole: frozenset[Any]) -> float:
    items = list(part)
    return sum(x in whole for x in items) / len(items) if items else 0.0


def similarity_features(headline: Headline, body: Body, semantic: float) -> list[float]:
    """How much the body is about the headline (SIMILARITY_NAMES): cosines, overlaps, where the
    best sentence sits. `semantic` is the MiniLM cosine of headline and lead."""
    sims = _sentence_cosines(headline, body)
    top = np.sort(sims)[::-1][:_TOP]
    best = int(np.argmax(sims))
    return [
        float((body.whole @ headline.vector.T).toarray()[0, 0]),
        float((body.lead @ headline.vector.T).toarray()[0, 0]),
        float(top[0]),
        float(top.mean()),
        float((sims >= 0.2).mean()),
        best / len(sims),
        _share(headline.content, body.content),
        _share(headline.content, body.lead_content),
        _share(headline.content, body.sentence_content[best]),
        _share(_ngrams(headline.words, 2), body.ngrams),
        _share(_ngrams(headline.words, 3), body.ngrams),
        math.log1p(len(headline.words)),
        math.log1p(body.n_words),
        semantic,
    ]


def cue_features(headline: Headline, body: Body) -> list[float]:
    """Cue counts (CUE_NAMES) in the headline, the lead, the best and `_TOP` best sentences and the
    whole body (per 100 words); whether the headline asks; and whether headline and body differ in
    the parity of refuting words (the FNC-1 baseline's polarity feature)."""
    order = np.argsort(-_sentence_cosines(headline, body), kind="stable")
    whole = body.cues.sum(axis=0)
    regions = (
        headline.cues,
        body.cues[:_LEAD].sum(axis=0),
        body.cues[order[0]],
        body.cues[order[:_TOP]].sum(axis=0),
        whole * 100 / max(body.n_words, 1),
    )
    parity = headline.cues[_REFUTE] % 2 != whole[_REFUTE] % 2
    return [float(v) for v in np.concatenate(regions)] + [float(headline.question), float(parity)]


def _sentence_cosines(headline: Headline, body: Body) -> np.ndarray:
    return (body.vectors @ headline.vector.T).toarray().ravel()


SIMILARITY_NAMES = (
    "cos_body cos_lead cos_best cos_top3 share_similar best_position overlap overlap_lead "
    "overlap_best bigrams trigrams log_headline_words log_body_words semantic_lead"
).split()
_REGIONS = ("headline", "lead", "best", "top3", "body_per100")
CUE_NAMES = [f"{cue}_{region}" for region in _REGIONS for cue in CUES] + ["question", "refute_parity"]
FEATURE_NAMES = tuple(SIMILARITY_NAMES + CUE_NAMES)


class Featurizer:
    """Feature rows of (headline, body) pairs; each distinct text is analysed and embedded once."""

    def __init__(self, tfidf: Tfidf, embedder: Embedder) -> None:
        self.tfidf, self.embedder = tfidf, embedder

    def __call__(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        headlines = {h: Headline.of(h, self.tfidf) for h in dict.fromkeys(h for h, _ in pairs)}
        bodies = {b: Body.of(b, self.tfidf) for b in dict.fromkeys(b for _, b in pairs)}
        texts = list(dict.fromkeys([*headlines, *(body.lead_text for body in bodies.values())]))
        vectors = dict(zip(texts, self.embedder.encode(texts), strict=True))
        rows = []
        for h, b in pairs:
            semantic = float(vectors[h] @ vectors[bodies[b].lead_text])
            rows.append(
                similarity_features(headlines[h], bodies[b], semantic) + cue_features(headlines[h], bodies[b])
            )
        return np.array(rows, dtype=np.float64).reshape(len(rows), len(FEATURE_NAMES))


class TreeEnsemble:
    """Gradient-boosted trees as flat arrays, scored as sklearn's HistGradientBoosting scores them.

    Written out by hand so that the weights are numbers in an .npz: a pickle would run code when
    loaded and break across sklearn versions. `train_stance.py` checks that both give the same.
    """

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.feature, self.threshold = arrays["feature"], arrays["threshold"]
        self.missing_left = arrays["missing_left"].astype(bool)
        self.left, self.right = arrays["left"], arrays["right"]
        self.leaf, self.value = arrays["leaf"].astype(bool), arrays["value"]
        self.roots = arrays["roots"]  # (iterations, outputs): the root node of each tree
        self.baseline = arrays["baseline"]  # (outputs,)

    def raw(self, x: np.ndarray) -> np.ndarray:
        """Baseline plus the summed leaf values of each output's trees: (rows, outputs)."""
        # In blocks of rows: every row walks every tree at once, so memory grows with rows x trees.
        blocks = [self._raw(x[i : i + 2048]) for i in range(0, len(x), 2048)]
        return np.concatenate(blocks) if blocks else np.zeros((0, self.roots.shape[1]))

    def _raw(self, x: np.ndarray) -> np.ndarray:
        nodes = np.tile(self.roots.reshape(-1), (len(x), 1))
        rows = np.arange(len(x))[:, None]
        while not (done := self.leaf[nodes]).all():
            value = x[rows, self.feature[nodes]]
            left = np.where(np.isnan(value), self.missing_left[nodes], value <= self.threshold[nodes])
            nodes = np.where(done, nodes, np.where(left, self.left[nodes], self.right[nodes]))
        return self.value[nodes].reshape(len(x), *self.roots.shape).sum(axis=1) + self.baseline

    def proba(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities: a sigmoid for one output (as [1 - p, p]), else a softmax."""
        raw = self.raw(np.asarray(x, dtype=np.float64))
        if raw.shape[1] == 1:
            p = 1 / (1 + np.exp(-raw[:, 0]))
            return np.column_stack([1 - p, p])
        e = np.exp(raw - raw.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)


class StanceModel:
    """Features, then `related` trees (unrelated vs related) and `stance` trees (agree/disagree/discuss)."""

    def __init__(self, featurizer: Featurizer, related: TreeEnsemble, stance: TreeEnsemble) -> None:
        self.featurizer, self.related, self.stance = featurizer, related, stance

    def proba(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """(pairs, 4) probabilities in LABELS order: P(related) x P(stance), then P(unrelated)."""
        if not pairs:
            return np.zeros((0, len(LABELS)))
        x = self.featurizer(pairs)
        related = self.related.proba(x)[:, 1:]
        return np.column_stack([related * self.stance.proba(x), 1 - related])

    def predict(self, pairs: Sequence[tuple[str, str]]) -> list[str]:
        """A label per (headline, body) pair: unrelated if P(related) < 0.5, else the likeliest stance."""
        return [_label(p) for p in self.proba(pairs)]

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], embedder: Embedder) -> StanceModel:
        """The model from the arrays `train_stance.py` saves (stage arrays under "related/", "stance/")."""
        tfidf = Tfidf(str(arrays["vocabulary"]).split("\n"), arrays["idf"])
        stages = {
            stage: TreeEnsemble({k.split("/")[1]: v for k, v in arrays.items() if k.startswith(stage + "/")})
            for stage in ("related", "stance")
        }
        return cls(Featurizer(tfidf, embedder), stages["related"], stages["stance"])


def _label(p: np.ndarray) -> str:
    return "unrelated" if p[3] > 0.5 else STANCES[int(np.argmax(p[:3]))]


def load_arrays() -> dict[str, np.ndarray]:
    """The arrays of the shipped weights file (package data), without pickle."""
    weights = resources.files("storyline.data").joinpath(WEIGHTS)
    with resources.as_file(weights) as path, np.load(path, allow_pickle=False) as npz:
        return {key: npz[key] for key in npz.files}


@functools.lru_cache(maxsize=1)
def load_model() -> StanceModel:
    """The shipped FNC-1 model with the MiniLM embedder, loaded once per process."""
    return StanceModel.from_arrays(load_arrays(), load_embedder())


def predict(pairs: Sequence[tuple[str, str]]) -> list[str]:
    """The FNC-1 label of each (headline, body) pair, with the shipped model."""
    return load_model().predict(pairs)


def stance_between(claim: str, passage: str) -> tuple[str, float]:
    """The stance `passage` takes towards `claim`, and the model's probability of that label."""
    p = load_model().proba([(claim, passage)])[0]
    label = _label(p)
    return label, float(p[LABELS.index(label)])

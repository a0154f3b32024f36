"""Stories: group articles that report the same events, by average-linkage clustering.

Two articles are alike by a mix of three cosines: TF-IDF over their *key terms* (the words of their
named entities and time expressions, and their numbers: who, where, when, how many), MiniLM
embeddings of their leads, and TF-IDF over the whole text; far-apart publication dates lower it.
The similarities are computed a block of rows at a time and only each article's nearest neighbours
are kept, so memory grows with n (not n^2); average linkage then runs on that sparse graph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from storyline.story.linkage import link, link_pairs

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

    from storyline.annotate.embed import Embedder
    from storyline.model import Annotation

__all__ = [
    "CLUSTER_VERSION",
    "DISTANCE_THRESHOLD",
    "NEIGHBOURS",
    "cluster",
    "entity_strings",
    "key_terms",
    "lead_text",
    "link",
    "link_pairs",
    "similarity",
    "text_similarity",
]

CLUSTER_VERSION = "cluster.v3"
# The middle of the plateau (.75-.78) where B-cubed F1 on the ECB+ bench topics stays >= .915;
# a threshold picked on half the topics scores ~.90 on the other half (vs .87 for full-text TF-IDF).
DISTANCE_THRESHOLD = 0.77
# Key terms carry the decision. Two reports of look-alike events (two rehab stays, two title
# fights of one boxer) share their whole vocabulary but not their names, days and numbers: on
# ECB+ key terms alone reach B-cubed F1 ~.92 where full-text TF-IDF reaches .89. The embedding
# and the full text add a little signal that does not depend on the corpus' IDF statistics, which
# keeps small inputs (five articles of one story) together and entity-poor articles reachable.
WEIGHTS = {"key_terms": 0.7, "lead": 0.1, "text": 0.2}
LEAD_WORDS = 80  # title + about three sentences: MiniLM reads 256 tokens at most, leads say the news
# Dates: reports of one story are days apart, but follow-ups (a trial a year later) are common, so
# a gap only lowers the similarity beyond a month, and by at most 30% (two years apart). On ECB+,
# whose gold stories hold follow-ups, this costs .002 of B-cubed F1.
SAME_STORY_DAYS = 30
DECAY_DAYS = 730
DECAY_FLOOR = 0.7
# The sparse graph average linkage runs on: each article keeps its NEIGHBOURS most similar others,
# and up to MOST_NEIGHBOURS of those at KEEP_ABOVE or more; a pair left out counts as similarity 0
# in the averages (its true value is small: it ranked below the kept ones). On the ECB+ bench
# (stories of 3-21 articles) the labels equal those of the full n x n matrix. On Reuters, whose
# templated reports form groups of hundreds, labels agree with the full matrix at ARI .99 (3,000
# stories); the cap is what bounds memory: 18,713 Reuters articles keep 2.07 million pairs (~110
# each) in ~50 MB of arrays, built in ~10 s; one block of similarity rows (_BLOCK_CELLS) and its
# temporaries take ~100 MB more whatever the store's size (tracemalloc: 144 MB in all).
NEIGHBOURS = 50
KEEP_ABOVE = 0.1
MOST_NEIGHBOURS = 200
# Rows of the similarity matrix computed at once: a (rows x n) float32 block per signal, ~16 MB.
_BLOCK_CELLS = 4_000_000
# spaCy labels read as key terms when the caller does not pass entities: the names the annotate
# stage keeps, and time expressions.
_NER_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "DATE", "TIME"})
_WORD = re.compile(r"[^\W_][\w'’.,-]*")
_TRIM = ".,'’-"


@dataclass(frozen=True)
class _Features:
    """What the similarity of two articles is computed from, one row per article."""

    keys: csr_matrix  # unit TF-IDF rows over key terms
    words: csr_matrix  # unit TF-IDF rows over the whole text
    leads: np.ndarray  # unit MiniLM vectors of the leads, float32
    days: np.ndarray | None  # publication day ordinals (nan: undated), or None when no dates given


def cluster(
    texts: Sequence[str],
    threshold: float = DISTANCE_THRESHOLD,
    *,
    entities: Sequence[Iterable[str]] | None = None,
    published: Sequence[str | None] | None = None,
    embedder: Embedder | None = None,
    lead_vectors: np.ndarray | None = None,
) -> list[int]:
    """A story label per text, numbered by first appearance (0, 1, ...).

    `texts` are title + text of each article. `entities`, when given, holds per text the strings
    of its named entities and time expressions (spaCy's NER finds them otherwise); `published`
    holds ISO dates (YYYY-MM-DD, or None). `threshold` is the average-linkage cut, a distance.
    `lead_vectors`, when given, are the unit embeddings of `lead_text(text)`, row for row (a caller
    that keeps them per article saves the model's time); else `embedder` (default MiniLM) makes them.
    """
    if len(texts) <= 1:
        return [0] * len(texts)
    features = _features(texts, entities, published, embedder, lead_vectors)
    return link_pairs(len(texts), *_neighbour_pairs(features), threshold)


def similarity(
    texts: Sequence[str],
    *,
    entities: Sequence[Iterable[str]] | None = None,
    published: Sequence[str | None] | None = None,
    embedder: Embedder | None = None,
) -> np.ndarray:
    """The full (n, n) story similarity of texts (for small inputs and inspection; `cluster` never
    builds it): the weighted mix of WEIGHTS, times the date decay."""
    features = _features(texts, entities, published, embedder)
    return _similarity_rows(features, 0, len(texts)).astype(np.float64)


def text_similarity(texts: Sequence[str]) -> np.ndarray:
    """TF-IDF cosine over the whole texts (English stop words dropped, sublinear term counts)."""
    vectors = _tfidf(texts, stop_words="english")
    return np.asarray((vectors @ vectors.T).todense())


def key_terms(text: str, entities: Iterable[str]) -> list[str]:
    """Lower-cased words of the entity and date strings, then every number-bearing word of `text`.

    Names are split into words so that "Klitschko" in one report matches "Wladimir Klitschko" in
    another; numbers (scores, tolls, magnitudes, years) are what tells two look-alike events apart.
    """
    names = [w for entity in entities for w in _words(entity)]
    return names + [w for w in _words(text) if any(c.isdigit() for c in w)]


def lead_text(text: str) -> str:
    """What the lead embedding reads of an article's title + text: its first LEAD_WORDS words."""
    return " ".join(text.split()[:LEAD_WORDS])


def entity_strings(annotation: Annotation | None) -> list[str]:
    """What `cluster` reads from an article's annotation: its entity mentions and time expressions."""
    if annotation is None:
        return []
    return [m.text for m in annotation.mentions] + [d.expression for d in annotation.dates]


def _neighbour_pairs(
    features: _Features, k: int = NEIGHBOURS, keep_above: float = KEEP_ABOVE, most: int = MOST_NEIGHBOURS
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sparse similarity graph as three arrays (i, j, similarity), i < j: for each article its
    `k` most similar others, and up to `most` if they reach `keep_above`. One block of rows at a time."""
    n = features.leads.shape[0]
    block = max(1, min(n, _BLOCK_CELLS // n))
    top = min(most, n - 1)
    k = min(k, top)
    # Each pair as one int64 key (low * n + high) and a float32: 12 bytes an entry, where separate
    # int64 ends cost 20 (a graph of 19,000 articles gathers 3.5 million entries before dedupe).
    keys, sims = [], []
    for start in range(0, n, block):
        rows = _similarity_rows(features, start, min(n, start + block))
        mine = np.arange(len(rows))
        rows[mine, mine + start] = 0.0  # not its own neighbour
        np.negative(rows, out=rows)  # in place: argpartition finds the smallest
        best = np.argpartition(rows, top - 1, axis=1)[:, :top].copy()  # not a view of n columns
        values = -np.take_along_axis(rows, best, axis=1)
        del rows
        kth = -np.partition(-values, k - 1, axis=1)[:, k - 1 : k]  # each row's k-th best value
        row, col = np.nonzero(((values >= kth) | (values >= keep_above)) & (values > 0))
        other = best[row, col]
        me = row + start
        keys.append(np.minimum(me, other).astype(np.int64) * n + np.maximum(me, other))
        sims.append(values[row, col])
    key = np.concatenate(keys)
    del keys
    sim = np.concatenate(sims)
    del sims
    # A pair found from both ends appears twice; keep one (the values agree to float rounding).
    pairs, first = np.unique(key, return_index=True)
    del key
    return pairs // n, pairs % n, sim[first].astype(np.float64)


def _features(
    texts: Sequence[str],
    entities: Sequence[Iterable[str]] | None,
    published: Sequence[str | None] | None,
    embedder: Embedder | None,
    lead_vectors: np.ndarray | None = None,
) -> _Features:
    if lead_vectors is None:
        lead_vectors = _lead_vectors(texts, embedder)
    elif lead_vectors.shape[0] != len(texts):
        raise ValueError(f"{lead_vectors.shape[0]} lead vectors for {len(texts)} texts")
    if entities is None:
        entities = _spacy_entities(texts)
    terms = [" ".join(key_terms(text, ents)) for text, ents in zip(texts, entities, strict=True)]
    days = None if published is None else np.array([_ordinal(p) for p in published], dtype=np.float64)
    return _Features(
        keys=_tfidf(terms, token_pattern=r"\S+"),
        words=_tfidf(texts, stop_words="english"),
        leads=np.asarray(lead_vectors, dtype=np.float32),
        days=days,
    )


def _similarity_rows(features: _Features, start: int, stop: int) -> np.ndarray:
    """Rows [start, stop) of the similarity matrix, float32."""
    # The same float32 steps as `w1 * a + w2 * clip(b) + w3 * c`, each in place: a block is 4
    # million cells, and every temporary copy of it is 16 MB more at the peak of the stage.
    rows = (features.keys[start:stop] @ features.keys.T).toarray()
    rows *= np.float32(WEIGHTS["key_terms"])
    part = features.leads[start:stop] @ features.leads.T
    np.clip(part, 0.0, 1.0, out=part)
    part *= np.float32(WEIGHTS["lead"])
    rows += part
    part = (features.words[start:stop] @ features.words.T).toarray()
    part *= np.float32(WEIGHTS["text"])
    rows += part
    del part
    if features.days is not None:
        rows *= _date_decay(features.days[start:stop], features.days)
    return rows


def _words(text: str) -> list[str]:
    words = (w.strip(_TRIM).lower() for w in _WORD.findall(text))
    return [w for w in words if w]


def _tfidf(docs: Sequence[str], **options: object) -> csr_matrix:
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfVectorizer

    try:
        return TfidfVectorizer(sublinear_tf=True, dtype=np.float32, **options).fit_transform(docs)
    except ValueError:  # no term left in any doc (empty texts, only stop words)
        return csr_matrix((len(docs), 1), dtype=np.float32)


def _lead_vectors(texts: Sequence[str], embedder: Embedder | None) -> np.ndarray:
    if embedder is None:
        from storyline.annotate.embed import load_embedder

        embedder = load_embedder()
    return embedder.encode([lead_text(text) for text in texts]).astype(np.float32)


def _date_decay(rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """1 for undated pairs and pairs within SAME_STORY_DAYS, then linear down to DECAY_FLOOR."""
    # In place, in float64 as before: one (rows x n) block at a time instead of five.
    gap = np.abs(rows[:, None] - columns[None, :])
    undated = np.isnan(gap)
    gap -= SAME_STORY_DAYS
    gap /= DECAY_DAYS
    np.clip(gap, 0.0, 1.0, out=gap)
    gap *= 1.0 - DECAY_FLOOR
    np.subtract(1.0, gap, out=gap)
    gap[undated] = 1.0
    return gap.astype(np.float32)


def _ordinal(published: str | None) -> float:
    try:
        return float(date.fromisoformat((published or "")[:10]).toordinal())
    except ValueError:
        return float("nan")


def _spacy_entities(texts: Sequence[str]) -> list[list[str]]:
    from storyline.annotate.nlp import load_spacy

    nlp = load_spacy(disable=("tagger", "parser", "attribute_ruler", "lemmatizer"))
    return [[e.text for e in doc.ents if e.label_ in _NER_LABELS] for doc in nlp.pipe(texts, batch_size=16)]

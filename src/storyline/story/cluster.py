"""Stories: group articles that report the same events, by average-linkage clustering.

Two articles are alike by a mix of three cosines: TF-IDF over their *key terms* (the words of their
named entities and time expressions, and their numbers: who, where, when, how many), MiniLM
embeddings of their leads, and TF-IDF over the whole text; far-apart publication dates lower it.
The features are written to files a batch of articles at a time (`cluster_features`); the
similarities are computed a tile (rows against columns) at a time and only each article's nearest
neighbours are kept, so memory grows with the tiles, not with n; average linkage then runs on that
sparse graph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np

from storyline.story.cluster_features import FeatureFiles, Features, FeatureSource, write_features
from storyline.story.linkage import link, link_chunks, link_pairs

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

    from storyline.model import Annotation

__all__ = [
    "CLUSTER_VERSION",
    "DISTANCE_THRESHOLD",
    "NEIGHBOURS",
    "LeadEncoder",
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
# each) in ~50 MB of arrays, built in ~10 s.
NEIGHBOURS = 50
KEEP_ABOVE = 0.1
MOST_NEIGHBOURS = 200
# The similarity matrix is computed a tile at a time: _ROWS rows against _BLOCK_CELLS / _ROWS
# columns, a float32 tile of 4 MB per signal whatever the store's size (at 4 million cells the
# tiles' temporaries, ~100 MB, were the peak of the corpus stage on 6,000 Reuters articles). The
# features are read from their files once per row block: 19 passes over 38 MB on 18,675 articles.
_BLOCK_CELLS = 1_000_000
_ROWS = 1_000
# spaCy labels read as key terms when the caller does not pass entities: the names the annotate
# stage keeps, and time expressions.
_NER_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "DATE", "TIME"})
_WORD = re.compile(r"[^\W_][\w'’.,-]*")
_TRIM = ".,'’-"


class LeadEncoder(Protocol):
    """What makes the lead embeddings: MiniLM (`annotate.embed.Embedder`), or a cache in front of it."""

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def cluster(
    texts: Sequence[str],
    threshold: float = DISTANCE_THRESHOLD,
    *,
    entities: Sequence[Iterable[str]] | None = None,
    published: Sequence[str | None] | None = None,
    embedder: LeadEncoder | None = None,
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
    with _features(texts, entities, published, embedder, lead_vectors) as features:
        # The graph goes to the linkage a row block at a time, which spills it to disk (a pair found
        # from both ends counts with its first value).
        return link_chunks(len(texts), _neighbour_pairs(features), threshold)


def similarity(
    texts: Sequence[str],
    *,
    entities: Sequence[Iterable[str]] | None = None,
    published: Sequence[str | None] | None = None,
    embedder: LeadEncoder | None = None,
) -> np.ndarray:
    """The full (n, n) story similarity of texts (for small inputs and inspection; `cluster` never
    builds it): the weighted mix of WEIGHTS, times the date decay."""
    with _features(texts, entities, published, embedder) as features:
        whole = features.block(0, len(texts))
    return _similarity(whole, whole).astype(np.float64)


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
    features: FeatureSource,
    k: int = NEIGHBOURS,
    keep_above: float = KEEP_ABOVE,
    most: int = MOST_NEIGHBOURS,
    *,
    rows: int = _ROWS,
    columns: int | None = None,
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The sparse similarity graph, a chunk (low, high, similarity) per block of `rows` rows, low <
    high: for each article its `k` most similar others, and up to `most` if they reach `keep_above`.
    A pair found from both ends comes twice; the first (from its lower row) is the one to keep."""
    n = len(features)
    top = min(most, n - 1)
    k = min(k, top)
    rows = max(1, min(n, rows))
    columns = max(1, min(n, columns or _BLOCK_CELLS // rows))
    for start in range(0, n, rows):
        row, col, sim = _nearest(features, start, min(n, start + rows), top, k, keep_above, columns)
        me = row + start
        yield np.minimum(me, col), np.maximum(me, col), sim


def _nearest(
    features: FeatureSource, start: int, stop: int, top: int, k: int, keep_above: float, columns: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The kept neighbours of rows start..stop as (row - start, column, similarity), by row.

    The row block meets the columns a tile at a time. Each row keeps its `top` best values so far
    (values only, to know its cut) and the entries at or above that cut, ranked by value then
    column: ties at the cut go to the first columns whatever the tiles, where np.argpartition over
    a whole row picked any of them (a cell's value does not depend on the tiles; see `_similarity`)."""
    mine = features.block(start, stop)
    best = np.full((stop - start, top), -np.inf, dtype=np.float32)
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    held = 0
    for first in range(0, len(features), columns):
        last = min(len(features), first + columns)
        tile = _similarity(mine, mine if (first, last) == (start, stop) else features.block(first, last))
        me = np.arange(max(start, first), min(stop, last))
        tile[me - start, me - first] = 0.0  # not its own neighbour
        width = min(top, last - first)
        merged = np.concatenate([best, np.partition(tile, tile.shape[1] - width, axis=1)[:, -width:]], axis=1)
        best = np.partition(merged, merged.shape[1] - top, axis=1)[:, -top:]
        cut = best.min(axis=1)  # each row's top-th best value so far: it only rises
        row, col = np.nonzero((tile >= cut[:, None]) & (tile > 0))
        found.append((row.astype(np.int32), (col + first).astype(np.int32), tile[row, col]))
        held += len(row)
        if held > 2 * best.size:  # what is below a row's cut, or ranks below `top`, stays out
            found = [_ranked(*_above(cut, *_joined(found)), top)]
            held = len(found[0][0])
    row, col, sim = _ranked(*_above(cut, *_joined(found)), top)
    kth = np.partition(best, top - k, axis=1)[:, top - k]  # each row's k-th best value
    kept = (sim >= kth[row]) | (sim >= keep_above)
    return row[kept], col[kept], sim[kept]


def _joined(
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    row, col, sim = zip(*parts, strict=True)
    return np.concatenate(row), np.concatenate(col), np.concatenate(sim)


def _above(
    cut: np.ndarray, row: np.ndarray, col: np.ndarray, sim: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The entries at or above their row's cut (a compare, where ranking them is a sort)."""
    keep = sim >= cut[row]
    return row[keep], col[keep], sim[keep]


def _ranked(
    row: np.ndarray, col: np.ndarray, sim: np.ndarray, top: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's `top` best entries, by row, best first, of equal values the first column first."""
    order = np.lexsort((col, -sim, row))
    row, col, sim = row[order], col[order], sim[order]
    first = np.arange(len(row)) - np.searchsorted(row, row) < top
    return row[first], col[first], sim[first]


def _features(
    texts: Sequence[str],
    entities: Sequence[Iterable[str]] | None,
    published: Sequence[str | None] | None,
    embedder: LeadEncoder | None,
    lead_vectors: np.ndarray | None = None,
) -> FeatureFiles:
    """The features of `texts` in files, written a batch of texts at a time."""
    if lead_vectors is not None and lead_vectors.shape[0] != len(texts):
        raise ValueError(f"{lead_vectors.shape[0]} lead vectors for {len(texts)} texts")
    if entities is None:
        entities = _spacy_entities(texts)
    elif len(entities) != len(texts):
        raise ValueError(f"entities for {len(entities)} texts, not {len(texts)}")
    given = entities
    if lead_vectors is not None:
        vectors = lead_vectors

        def leads(start: int, stop: int, batch: Sequence[str]) -> np.ndarray:
            return vectors[start:stop]

    else:
        encoder = embedder if embedder is not None else _default_embedder()

        def leads(start: int, stop: int, batch: Sequence[str]) -> np.ndarray:
            return encoder.encode([lead_text(text) for text in batch])

    return write_features(texts, lambda i, text: " ".join(key_terms(text, given[i])), leads, published)


def _similarity(rows: Features, columns: Features) -> np.ndarray:
    """The similarity of each of `rows` to each of `columns`, float32."""
    # The same float32 steps as `w1 * a + w2 * clip(b) + w3 * c`, each in place (every temporary
    # copy of a tile is 4 MB more). A cell of the sparse products is the same sum in the same order
    # whatever the tile; the lead cells come from BLAS, whose sums may run in another order for
    # another shape of tile, so they can differ from the one-block code's in their last bit.
    tile = (rows.keys @ columns.keys.T).toarray()
    tile *= np.float32(WEIGHTS["key_terms"])
    part = rows.leads @ columns.leads.T
    np.clip(part, 0.0, 1.0, out=part)
    part *= np.float32(WEIGHTS["lead"])
    tile += part
    part = (rows.words @ columns.words.T).toarray()
    part *= np.float32(WEIGHTS["text"])
    tile += part
    del part
    if rows.days is not None and columns.days is not None:
        tile *= _date_decay(rows.days, columns.days)
    return tile


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


def _default_embedder() -> LeadEncoder:
    from storyline.annotate.embed import load_embedder

    return load_embedder()


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


def _spacy_entities(texts: Sequence[str]) -> list[list[str]]:
    from storyline.annotate.nlp import load_spacy

    nlp = load_spacy(disable=("tagger", "parser", "attribute_ruler", "lemmatizer"))
    return [[e.text for e in doc.ents if e.label_ in _NER_LABELS] for doc in nlp.pipe(texts, batch_size=16)]

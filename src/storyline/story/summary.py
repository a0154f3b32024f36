"""An extractive summary of a story across all its articles, every sentence cited.

Method: sentence embeddings; a sentence's score is its cosine to the story centroid (centrality)
plus a bonus for naming the story's most mentioned actors (coverage); sentences are then picked by
Maximal Marginal Relevance (Carbonell & Goldstein 1998) so that near-copies from syndicated articles
are not picked twice. Headings, questions and very short or very long sentences are not candidates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from storyline.model import Annotation, Article, Cite, Passage

if TYPE_CHECKING:
    from storyline.story.identities import Identities

SUMMARY_VERSION = "summary.v1"


@dataclass(frozen=True)
class Candidate:
    cite: Cite
    text: str
    position: float  # 0 at the top of its article, 1 at the end
    actors: frozenset[str] = frozenset()


def eligible(text: str) -> bool:
    words = text.split()
    return 8 <= len(words) <= 60 and not text.rstrip().endswith("?") and text[:1].isupper()


def summarize(
    candidates: Sequence[Candidate],
    vectors: np.ndarray,
    top_actors: Sequence[str] = (),
    max_sentences: int = 5,
    max_words: int | None = None,
    diversity: float = 0.3,
) -> tuple[Passage, ...]:
    """Pick up to `max_sentences` (or `max_words`) sentences; returned in story order of the picks."""
    if not candidates:
        return ()
    centroid = vectors.mean(axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    relevance = vectors @ centroid
    weights = {actor: 1.0 / (rank + 1) for rank, actor in enumerate(top_actors)}
    coverage = np.array([sum(weights.get(a, 0.0) for a in c.actors) for c in candidates])
    if coverage.max(initial=0) > 0:
        coverage = coverage / coverage.max()
    lead = np.array([0.1 * (1.0 - c.position) for c in candidates])
    score = relevance + 0.15 * coverage + lead
    chosen: list[int] = []
    words = 0
    while len(chosen) < min(max_sentences, len(candidates)):
        if chosen:
            redundancy = (vectors @ vectors[chosen].T).max(axis=1)
            mmr = (1 - diversity) * score - diversity * redundancy
        else:
            mmr = score.copy()
        mmr[chosen] = -np.inf
        best = int(np.argmax(mmr))
        n_words = len(candidates[best].text.split())
        if max_words is not None and chosen and words + n_words > max_words:
            break
        chosen.append(best)
        words += n_words
    return tuple(Passage(text=candidates[i].text, cites=(candidates[i].cite,)) for i in chosen)


def summarize_articles(
    articles: Sequence[Article],
    annotations: Mapping[str, Annotation],
    found: Identities,
    top_actors: Sequence[str],
    max_sentences: int = 5,
    max_words: int | None = None,
) -> tuple[Passage, ...]:
    """The summary of a story's (non-duplicate) articles: candidates from their sentences, embedded."""
    from storyline.annotate.embed import load_embedder

    candidates = []
    for article in articles:
        ann = annotations.get(article.id)
        if ann is None or not ann.sentences:
            continue
        heads = {(h.start, h.end) for h in article.headings}
        mention_spans = [(s, e, ent) for (a, s, e), ent in found.by_span.items() if a == article.id]
        total = len(ann.sentences)
        for n, (start, end) in enumerate(ann.sentences):
            text = article.text[start:end]
            if (start, end) in heads or not eligible(text):
                continue
            actors = frozenset(ent for s, e, ent in mention_spans if start <= s and e <= end)
            candidates.append(Candidate(Cite(article.id, start, end), text, n / max(1, total - 1), actors))
    if not candidates:
        return ()
    vectors = load_embedder().encode([c.text for c in candidates])
    return summarize(candidates, vectors, top_actors, max_sentences, max_words)

"""The `clustering` task on ECB+ (bench/clustering): group documents into stories, two look-alike
events per topic. Entities and time expressions come from the annotate stage, as in the pipeline;
scored by B-cubed P/R/F1 over documents and the adjusted Rand index, beside a TF-IDF-only baseline.
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any

from storyline.evaluate.metrics import bcubed
from storyline.story import cluster as story_cluster

__all__ = ["BASELINE_THRESHOLD", "evaluate", "pipeline_entities", "score"]

# The bench README's TF-IDF baseline: its threshold was chosen on bench B-cubed F1.
BASELINE_THRESHOLD = 0.82


def evaluate(path: str | Path, limit: int | None = None) -> dict[str, Any]:
    """Cluster the first `limit` documents of `path` (JSONL rows id/title/text/published/cluster)."""
    rows = _rows(Path(path), limit)
    texts = [f"{row['title'] or ''}\n{row['text']}" for row in rows]
    gold = [row["cluster"] for row in rows]
    labels = story_cluster.cluster(
        texts,
        entities=pipeline_entities([row["text"] for row in rows], [row.get("published") for row in rows]),
        published=[row.get("published") for row in rows],
    )
    result: dict[str, Any] = {
        "task": "clustering",
        "n_docs": len(rows),
        "n_clusters_gold": len(set(gold)),
        "n_clusters_pred": len(set(labels)),
        **score(gold, labels),
    }
    baseline = story_cluster.link(story_cluster.text_similarity(texts), BASELINE_THRESHOLD)
    result["tfidf"] = {"n_clusters_pred": len(set(baseline)), **score(gold, baseline)}
    return result


def score(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> dict[str, Any]:
    """B-cubed P/R/F1 and ARI of a predicted labelling against the gold one (same order)."""
    from sklearn.metrics import adjusted_rand_score

    if len(gold) != len(pred):
        raise ValueError("gold and predicted labels must be of the same length")
    b3 = bcubed(dict(enumerate(gold)), dict(enumerate(pred)))
    ari = adjusted_rand_score(list(gold), list(pred)) if gold else 0.0
    return {
        "b3": {"p": round(b3["precision"], 4), "r": round(b3["recall"], 4), "f1": round(b3["f1"], 4)},
        "ari": round(float(ari), 4),
    }


def pipeline_entities(texts: Sequence[str], published: Sequence[str | None]) -> list[list[str]]:
    """Per text, its entity mentions and time expressions as the annotate stage finds them."""
    from storyline.annotate import annotate
    from storyline.annotate.nlp import load_spacy
    from storyline.model import Article

    articles = [
        Article(id=str(i), source=str(i), text=text, published=day)
        for i, (text, day) in enumerate(zip(texts, published, strict=True))
    ]
    return [story_cluster.entity_strings(ann) for ann in annotate(articles, load_spacy())]


def _rows(path: Path, limit: int | None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if limit is not None and len(rows) >= limit:
                break
            if line.strip():
                rows.append(json.loads(line))
    return rows

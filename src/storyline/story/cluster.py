"""Stories: group articles about the same events (TF-IDF cosine, average-linkage clustering).

A first method that the ECB+ bench README measures at B-cubed F1 .888 on its dev topics; the
threshold is a cosine distance. Articles are compared on title + text; one article is one story.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

CLUSTER_VERSION = "cluster.v1"
DISTANCE_THRESHOLD = 0.82


def cluster(texts: Sequence[str], threshold: float = DISTANCE_THRESHOLD) -> list[int]:
    """A story label per text; labels are numbered by first appearance (0, 1, ...)."""
    if len(texts) <= 1:
        return [0] * len(texts)
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectors = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1).fit_transform(texts)
    if vectors.shape[1] == 0:
        return [0] * len(texts)
    dense = vectors.toarray()
    model = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold
    )
    raw = model.fit_predict(np.where(dense.any(axis=1, keepdims=True), dense, 1e-9))
    order: dict[int, int] = {}
    return [order.setdefault(int(label), len(order)) for label in raw]

"""The scalable parts of story clustering: the sparse neighbour graph, its tile size, given leads."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import csr_matrix

from storyline.story import cluster as story_cluster
from storyline.story.cluster import cluster, lead_text
from storyline.story.cluster_features import Features

FLOOD = [
    "River floods Marrowdale\nThe Tessel burst its banks in Marrowdale on Monday, forcing 1,200 residents "
    "from their homes, mayor Ilka Brandt said.",
    "Mayor Ilka Brandt said 1,200 Marrowdale residents had left their homes after the Tessel flooded the "
    "town on Monday night.",
    "Water recedes in Marrowdale\nThe Tessel is falling again in Marrowdale, where Monday's flood drove "
    "1,200 people out; Brandt thanked the volunteers who filled sandbags.",
]
MATCH = [
    "Velk double sinks Kestrel\nOrvane Rovers beat Kestrel City 3-1 on Saturday, with striker Tomas Velk "
    "scoring twice before half-time.",
    "Tomas Velk scored twice as Orvane Rovers won 3-1 against Kestrel City on Saturday afternoon.",
]
BAKERY = "A new bakery opened on the high street of Penwick, selling rye bread and almond buns."
TEXTS = [FLOOD[0], MATCH[0], BAKERY, FLOOD[1], MATCH[1], FLOOD[2]]


def test_labels_do_not_depend_on_the_tile_size(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = cluster(TEXTS)
    monkeypatch.setattr(story_cluster, "_ROWS", 1)  # one row per block
    monkeypatch.setattr(story_cluster, "_BLOCK_CELLS", 2)  # two columns per tile
    assert cluster(TEXTS) == whole == [0, 1, 2, 0, 1, 0]


def _pairs(features: Features, **options: object) -> dict[tuple[int, int], float]:
    """The neighbour graph's pairs, each at its first value (as linkage reads them)."""
    pairs: dict[tuple[int, int], float] = {}
    for low, high, sim in story_cluster._neighbour_pairs(features, **options):  # type: ignore[arg-type]
        assert np.all(low < high)
        for a, b, s in zip(low.tolist(), high.tolist(), sim.tolist(), strict=True):
            pairs.setdefault((a, b), s)
    return pairs


def test_neighbour_graph_keeps_the_k_best_and_the_strong_pairs() -> None:
    # Four articles on one axis of key terms at decreasing overlap with article 0.
    keys = csr_matrix(np.array([[1.0, 0, 0], [0.8, 0.6, 0], [0.6, 0.8, 0], [0, 0, 1.0]], dtype=np.float32))
    features = Features(
        keys=keys,
        words=csr_matrix((4, 1), dtype=np.float32),
        leads=np.zeros((4, 2), dtype=np.float32),
        days=None,
    )
    pairs = {p: round(s, 3) for p, s in _pairs(features, k=1, keep_above=0.5, most=2).items()}
    # 0.7 x cosine: 0-1 .56, 0-2 .42, 1-2 .672; article 3 shares nothing, so it has no pair at all.
    assert pairs == {(0, 1): 0.56, (1, 2): 0.672}
    assert set(_pairs(features, k=1, keep_above=0.4, most=2)) == {(0, 1), (0, 2), (1, 2)}


def test_given_lead_vectors_are_used_instead_of_the_model() -> None:
    from storyline.annotate.embed import load_embedder

    vectors = load_embedder().encode([lead_text(t) for t in TEXTS])
    assert cluster(TEXTS, lead_vectors=vectors) == cluster(TEXTS)
    with pytest.raises(ValueError, match="5 lead vectors for 6 texts"):
        cluster(TEXTS, lead_vectors=vectors[:5])


def test_lead_text_is_the_first_words() -> None:
    text = " ".join(f"w{i}" for i in range(100))
    assert lead_text(text) == " ".join(f"w{i}" for i in range(80))
    assert lead_text("Title\n  body  text") == "Title body text"

"""The scalable parts of story clustering: sparse average linkage, the neighbour graph, block size."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import csr_matrix

from storyline.story import cluster as story_cluster
from storyline.story.cluster import cluster, lead_text, link, link_pairs

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


def test_missing_pairs_count_as_zero_in_the_averages() -> None:
    # 0-1 and 1-2 are close, 0-2 is not given: {0, 1} then averages (0.0 + 0.5) / 2 = 0.25 with 2.
    low, high, sim = np.array([0, 1]), np.array([1, 2]), np.array([0.9, 0.5])
    assert link_pairs(3, low, high, sim, threshold=0.8) == [0, 0, 0]  # 0.25 > 0.2: merged
    assert link_pairs(3, low, high, sim, threshold=0.7) == [0, 0, 1]  # 0.25 <= 0.3: kept apart


def test_unlinked_items_stay_alone_and_labels_follow_first_appearance() -> None:
    low, high, sim = np.array([3]), np.array([1]), np.array([0.95])
    assert link_pairs(4, np.minimum(low, high), np.maximum(low, high), sim) == [0, 1, 2, 1]
    assert link_pairs(3, np.array([], int), np.array([], int), np.array([])) == [0, 1, 2]


def test_only_pairs_inside_one_strongly_linked_part_are_kept_for_merging() -> None:
    # 0-1 and 2-3 are strong; the weak 1-2 joins two parts that can never merge, and 4 has no
    # strong pair at all, so its weak pair to 0 cannot enter an average either.
    low, high = np.array([0, 2, 1, 0, 0]), np.array([1, 3, 2, 4, 3])
    sim = np.array([0.9, 0.8, 0.1, 0.1, 0.05])
    kept = story_cluster._mergeable(5, low, high, sim, floor=0.3)
    assert [tuple(map(float, k)) for k in zip(*kept, strict=True)] == [(0, 1, 0.9), (2, 3, 0.8)]
    # A weak pair inside one part stays: it lowers the average when its ends' clusters meet.
    low, high, sim = np.array([0, 1, 0]), np.array([1, 2, 2]), np.array([0.9, 0.9, 0.05])
    assert len(story_cluster._mergeable(3, low, high, sim, floor=0.3)[0]) == 3


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sparse_linkage_equals_scikit_learn_on_a_full_matrix(seed: int) -> None:
    from sklearn.cluster import AgglomerativeClustering

    rng = np.random.default_rng(seed)
    points = rng.normal(size=(40, 5))
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    similar = np.clip(points @ points.T, 0.0, 1.0)
    distance = 1.0 - similar
    np.fill_diagonal(distance, 0.0)
    model = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=0.6
    )
    order: dict[int, int] = {}
    expected = [order.setdefault(int(label), len(order)) for label in model.fit_predict(distance)]
    assert link(similar, 0.6) == expected
    assert len(set(expected)) not in {1, 40}  # the cut falls inside the tree


def test_labels_do_not_depend_on_the_block_size(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = cluster(TEXTS)
    monkeypatch.setattr(story_cluster, "_BLOCK_CELLS", len(TEXTS))  # one row per block
    assert cluster(TEXTS) == whole == [0, 1, 2, 0, 1, 0]


def test_neighbour_graph_keeps_the_k_best_and_the_strong_pairs() -> None:
    # Four articles on one axis of key terms at decreasing overlap with article 0.
    keys = csr_matrix(np.array([[1.0, 0, 0], [0.8, 0.6, 0], [0.6, 0.8, 0], [0, 0, 1.0]], dtype=np.float32))
    features = story_cluster._Features(
        keys=keys,
        words=csr_matrix((4, 1), dtype=np.float32),
        leads=np.zeros((4, 2), dtype=np.float32),
        days=None,
    )
    low, high, sim = story_cluster._neighbour_pairs(features, k=1, keep_above=0.5, most=2)
    pairs = {(int(a), int(b)): round(float(s), 3) for a, b, s in zip(low, high, sim, strict=True)}
    # 0.7 x cosine: 0-1 .56, 0-2 .42, 1-2 .672; article 3 shares nothing, so it has no pair at all.
    assert pairs == {(0, 1): 0.56, (1, 2): 0.672}
    low, high, sim = story_cluster._neighbour_pairs(features, k=1, keep_above=0.4, most=2)
    assert {(int(a), int(b)) for a, b in zip(low, high, strict=True)} == {(0, 1), (0, 2), (1, 2)}


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

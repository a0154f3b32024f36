"""Clustering's features on disk and the neighbour graph in tiles: the streamed TF-IDF is
scikit-learn's to the bit, and the graph does not depend on how the matrix is cut into tiles."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer

from storyline.story import cluster as story_cluster
from storyline.story import cluster_features
from storyline.story.cluster_features import Features, StreamedTfidf

DOCS = [
    "The Tessel burst its banks in Marrowdale on Monday, forcing 1,200 residents out.",
    "",
    "the and of",  # stop words only
    "Mayor Ilka Brandt said 1,200 Marrowdale residents had left; the Tessel flooded the town.",
    "Orvane Rovers beat Kestrel City 3-1 on Saturday; Velk scored twice, Velk again.",
    "Zebra apples and zebra pears: Marrowdale's market on Saturday.",
    "Kestrel City fans left early. Brandt did not.",
]


@pytest.mark.parametrize("batch", [1, 2, 3, 100])
@pytest.mark.parametrize(
    "options", [{"stop_words": "english"}, {"token_pattern": r"\S+"}], ids=["words", "key-terms"]
)
def test_streamed_tfidf_is_tfidf_vectorizer_to_the_bit(
    batch: int, options: dict[str, object], tmp_path: Path
) -> None:
    expected = TfidfVectorizer(sublinear_tf=True, dtype=np.float32, **options).fit_transform(DOCS)
    streamed = StreamedTfidf(tmp_path, "m", sublinear_tf=True, dtype=np.float32, **options)
    for start in range(0, len(DOCS), batch):
        streamed.add(DOCS[start : start + batch])
    found = streamed.finish()
    for start, stop in [(0, len(DOCS)), (1, 4), (3, 3)]:
        rows, want = found.rows(start, stop), expected[start:stop]
        assert rows.shape == want.shape
        # Same entries in the same order: the order sums run in when rows are multiplied.
        assert rows.indptr.tolist() == want.indptr.tolist()
        assert rows.indices.tolist() == want.indices.tolist()
        assert rows.data.tobytes() == want.data.tobytes()


def test_streamed_tfidf_without_terms_is_one_empty_column(tmp_path: Path) -> None:
    streamed = StreamedTfidf(tmp_path, "m", stop_words="english", sublinear_tf=True, dtype=np.float32)
    streamed.add(["", "the of and"])
    rows = streamed.finish().rows(0, 2)
    assert rows.shape == (2, 1) and rows.nnz == 0


def _features(seed: int, n: int, duplicates: int) -> Features:
    """Random features whose products are exact in float32 (multiples of 1/4 with few terms), so any
    tile shape gives the same cells; `duplicates` rows copy others, which makes ties."""
    rng = np.random.default_rng(seed)
    keys = rng.choice([0.0, 0.0, 0.0, 0.25, 0.5], size=(n, 12)).astype(np.float32)
    words = rng.choice([0.0, 0.0, 0.0, 0.0, 0.25], size=(n, 20)).astype(np.float32)
    leads = rng.choice([0.0, 0.0, 0.25, 0.5, -0.25], size=(n, 8)).astype(np.float32)
    for row in rng.choice(n, size=duplicates, replace=False):
        other = int(rng.integers(n))
        keys[row], words[row], leads[row] = keys[other], words[other], leads[other]
    days = rng.choice([730_000.0, 730_010.0, 730_400.0, np.nan], size=n)
    return Features(csr_matrix(keys), csr_matrix(words), leads, days)


def _whole_row_graph(
    features: Features, k: int, keep_above: float, most: int
) -> dict[tuple[int, int], float]:
    """The rule on the full matrix, one row at a time: the `most` best of a row (ties to the first
    columns), kept when among the k best or at keep_above, and above 0; a pair at its lower row's value."""
    n = len(features)
    full = story_cluster._similarity(features, features)
    np.fill_diagonal(full, 0.0)
    top, k = min(most, n - 1), min(k, most, n - 1)
    pairs: dict[tuple[int, int], float] = {}
    for i in range(n):
        order = sorted(range(n), key=lambda j: (-full[i, j], j))[:top]
        kth = full[i, order[k - 1]]
        for j in order:
            value = full[i, j]
            if value > 0 and (value >= kth or value >= keep_above):
                pairs.setdefault((min(i, j), max(i, j)), float(value))
    return pairs


def _graph(features: Features, **options: object) -> dict[tuple[int, int], float]:
    pairs: dict[tuple[int, int], float] = {}
    for low, high, sim in story_cluster._neighbour_pairs(features, **options):  # type: ignore[arg-type]
        assert np.all(low < high) and sim.dtype == np.float32
        for a, b, s in zip(low.tolist(), high.tolist(), sim.tolist(), strict=True):
            pairs.setdefault((a, b), s)
    return pairs


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize(("k", "keep_above", "most"), [(3, 0.3, 6), (5, 0.1, 12), (2, 2.0, 2), (40, 0.5, 80)])
def test_tiled_graph_is_the_whole_row_graph_whatever_the_tiles(
    seed: int, k: int, keep_above: float, most: int
) -> None:
    features = _features(seed, 37, duplicates=12)
    expected = _whole_row_graph(features, k, keep_above, most)
    assert expected  # the rule keeps something
    for rows, columns in [(37, 37), (1, 1), (1, 37), (37, 1), (5, 7), (8, 3), (16, 16)]:
        found = _graph(features, k=k, keep_above=keep_above, most=most, rows=rows, columns=columns)
        assert found == expected, (rows, columns)


def test_tiled_graph_equals_the_one_block_argpartition_graph_without_ties() -> None:
    """Without ties at the cut, the kept pairs are those of the former one-block code (argpartition
    over whole rows), value for value."""
    rng = np.random.default_rng(7)
    n = 30
    leads = rng.standard_normal((n, 6)).astype(np.float32)
    leads /= np.linalg.norm(leads, axis=1, keepdims=True)
    features = Features(
        csr_matrix((n, 1), dtype=np.float32), csr_matrix((n, 1), dtype=np.float32), leads, None
    )
    rows = story_cluster._similarity(features, features)
    rows[np.arange(n), np.arange(n)] = 0.0
    top, k, keep_above = 9, 4, 0.05
    np.negative(rows, out=rows)
    best = np.argpartition(rows, top - 1, axis=1)[:, :top]
    values = -np.take_along_axis(rows, best, axis=1)
    kth = -np.partition(-values, k - 1, axis=1)[:, k - 1 : k]
    row, col = np.nonzero(((values >= kth) | (values >= keep_above)) & (values > 0))
    expected: dict[tuple[int, int], float] = {}
    for i, j, v in zip(row.tolist(), best[row, col].tolist(), values[row, col].tolist(), strict=True):
        expected.setdefault((min(i, j), max(i, j)), v)
    assert _graph(features, k=k, keep_above=keep_above, most=top, rows=n, columns=n) == expected
    # Other tiles change the lead cells in their last bits at most (BLAS sums in other orders).
    for tiles in [(4, 5), (1, 30), (30, 2)]:
        found = _graph(features, k=k, keep_above=keep_above, most=top, rows=tiles[0], columns=tiles[1])
        assert found.keys() == expected.keys()
        assert np.allclose(list(found.values()), [expected[p] for p in found], rtol=1e-6, atol=0)


def test_cluster_leaves_no_feature_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    texts = ["Floods in Marrowdale on Monday.", "Marrowdale flooded on Monday.", "A bakery opened."]
    vectors = np.eye(3, 384, dtype=np.float32)
    assert story_cluster.cluster(
        texts, lead_vectors=vectors, entities=[["Marrowdale"], ["Marrowdale"], []]
    ) == [
        0,
        0,
        1,
    ]
    assert list(tmp_path.iterdir()) == []


def test_feature_files_go_when_writing_fails(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def no_leads(start: int, stop: int, batch: object) -> np.ndarray:
        raise RuntimeError("model missing")

    with pytest.raises(RuntimeError, match="model missing"):
        cluster_features.write_features(["a b", "c d"], lambda i, text: text, no_leads, None)
    assert list(tmp_path.iterdir()) == []


def test_feature_files_read_back_any_block(tmp_path: Path) -> None:
    texts = [f"Report {i} on Marrowdale and {i * 7} residents" for i in range(7)]
    vectors = np.arange(7 * 384, dtype=np.float32).reshape(7, 384)
    with cluster_features.write_features(
        texts,
        lambda i, text: text.lower(),
        lambda start, stop, batch: vectors[start:stop],
        ["2024-01-02"] * 7,
    ) as files:
        whole = files.block(0, 7)
        part = files.block(2, 5)
        assert np.array_equal(part.leads, vectors[2:5])
        assert (part.keys != whole.keys[2:5]).nnz == 0 and (part.words != whole.words[2:5]).nnz == 0
        assert part.days is not None and part.days.tolist() == [738887.0] * 3
        folder = files.folder
    assert not folder.exists()

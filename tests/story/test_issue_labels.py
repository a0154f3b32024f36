"""Issues grouped by average linkage (storyline.story.stances): the matrix version gives the groups
of the definition, scanning every pair of groups for each merge."""

from __future__ import annotations

import random

import numpy as np
import pytest

from storyline.story import stances


def _by_definition(sims: np.ndarray, stems: list[frozenset[str]]) -> list[list[int]]:
    """Merge the pair of groups with the highest average similarity (the first such pair in order)
    while one may merge: the O(n³) loop the module used before."""
    groups = [[i] for i in range(len(stems))]

    def link(a: list[int], b: list[int]) -> float:
        mean = float(np.mean([float(sims[i, j]) for i in a for j in b]))
        shared = any(stems[i] & stems[j] for i in a for j in b)
        if mean >= stances._SAME_ALONE or (shared and mean >= stances._SAME_WITH_WORD):
            return mean
        return 0.0

    while True:
        best, pair = 0.0, None
        for a in range(len(groups)):
            for b in range(a + 1, len(groups)):
                score = link(groups[a], groups[b])
                if score > best:
                    best, pair = score, (a, b)
        if pair is None:
            return groups
        a, b = pair
        groups[a] = groups[a] + groups[b]
        del groups[b]


@pytest.mark.parametrize("seed", range(8))
def test_average_linkage_gives_the_groups_of_its_definition(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(10, 40)
    # Phrases near a few topics, so that groups form at both thresholds, with a few stems each.
    topics = np.random.default_rng(seed).normal(size=(4, 16))
    vectors = np.stack(
        [
            topics[rng.randrange(4)] + np.random.default_rng(seed * 100 + i).normal(size=16) * 0.5
            for i in range(n)
        ]
    )
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    sims = (vectors @ vectors.T).astype(np.float32)
    stems = [frozenset(rng.sample("abcdefghij", rng.randint(0, 2))) for _ in range(n)]
    expected = _by_definition(sims, stems)
    assert stances._average_link(sims, stems) == expected
    assert len(expected) < n  # some merged: the case is not trivial


def test_issue_labels_name_each_group_by_its_most_written_phrase() -> None:
    phrases = ["a ceasefire", "the ceasefire", "a ceasefire", "oil prices", "ceasefire talks"]
    # Three phrases about the ceasefire, close and sharing the stem; oil prices apart.
    vectors = {
        "a ceasefire": [1.0, 0.0],
        "the ceasefire": [0.95, 0.31],
        "ceasefire talks": [0.9, 0.44],
        "oil prices": [0.0, 1.0],
    }
    labels = stances.issue_labels(phrases, lambda texts: np.array([vectors[t] for t in texts]))
    assert labels == ["a ceasefire", "a ceasefire", "a ceasefire", "oil prices", "a ceasefire"]

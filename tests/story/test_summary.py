from __future__ import annotations

import numpy as np
import pytest

from storyline.model import Cite, Passage
from storyline.story.summary import (
    Candidate,
    Weights,
    eligible,
    key_days,
    salience,
    summarize,
    word_support,
)

FERRY = "The grain ferry sank near the northern cape in a storm on Tuesday night."
FERRY_COPY = "The grain ferry sank near the northern cape in a storm late on Tuesday."
DIVERS = "Divers from three harbours searched the wreck for the missing crew members."
CHOIR = "A local choir sang old harbour songs at the town hall that same evening."


def _cand(article: str, index: int, text: str, days: frozenset[str] = frozenset()) -> Candidate:
    return Candidate(Cite(article, 100 * index, 100 * index + len(text)), text, index, days=days)


def _unit(*rows: tuple[float, ...]) -> np.ndarray:
    matrix = np.array(rows, dtype=float)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def test_empty_input_gives_no_summary() -> None:
    assert summarize([], np.zeros((0, 3))) == ()


def test_near_duplicates_are_not_both_picked() -> None:
    candidates = [_cand("a", 0, FERRY), _cand("b", 0, FERRY_COPY), _cand("a", 1, DIVERS)]
    # The two ferry sentences are near-copies (cosine 0.995) and the most central pair.
    vectors = _unit((1.0, 0.1, 0.0), (1.0, 0.0, 0.0), (0.6, 0.8, 0.0))
    picked = summarize(candidates, vectors, max_sentences=2)
    assert picked == (
        Passage(FERRY, (Cite("a", 0, len(FERRY)),)),
        Passage(DIVERS, (Cite("a", 100, 100 + len(DIVERS)),)),
    )


def test_picks_come_back_in_story_order() -> None:
    candidates = [_cand("a", 0, CHOIR), _cand("a", 1, DIVERS), _cand("b", 0, FERRY)]
    vectors = _unit((0.0, 0.0, 1.0), (0.6, 0.8, 0.0), (1.0, 0.0, 0.0))
    weights = Weights(centrality=1.0, word_support=0, lead=0, day=0, length=0, actors=0)
    # The ferry sentence scores highest but comes last in the story; the choir is left out.
    assert [p.text for p in summarize(candidates, vectors, max_sentences=2, weights=weights)] == [
        DIVERS,
        FERRY,
    ]


def test_max_words_stops_before_the_budget_is_exceeded() -> None:
    candidates = [_cand("a", 0, FERRY), _cand("a", 1, DIVERS), _cand("a", 2, CHOIR)]
    vectors = _unit((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))
    words = len(FERRY.split())  # 14: the next sentence (12 words) would go over 20
    assert [p.text for p in summarize(candidates, vectors, max_sentences=3, max_words=20)] == [FERRY]
    assert len(summarize(candidates, vectors, max_sentences=3, max_words=words + 12)) == 2


def test_a_sentence_mentioning_the_key_day_wins_a_tie() -> None:
    plain = "Officials said the northern ferry route would stay closed for repairs."
    dated = "Officials said the northern ferry route would stay closed until Friday."
    candidates = [_cand("a", 0, plain), _cand("b", 0, dated, frozenset({"2025-02-07"}))]
    vectors = _unit((1.0, 0.0), (1.0, 0.0))
    assert [p.text for p in summarize(candidates, vectors, max_sentences=1)] == [plain]
    assert [p.text for p in summarize(candidates, vectors, max_sentences=1, days=["2025-02-07"])] == [dated]


def test_lead_prior_decays_with_the_sentence_number() -> None:
    candidates = [_cand("a", 0, FERRY), _cand("a", 5, DIVERS)]
    vectors = _unit((1.0, 0.0), (1.0, 0.0))
    weights = Weights(centrality=0, word_support=0, lead=1.0, lead_decay=5.0, day=0, length=0)
    assert salience(candidates, vectors, weights=weights) == pytest.approx([1.0, np.exp(-1.0)])


def test_word_support_is_the_mean_share_of_articles_using_each_content_word() -> None:
    texts = ["Storm sank ferry", "The ferry sank", "Choir sang"]
    # Share of the 2 articles using each content word: storm 1/2, sank 1, ferry 1 -> 5/6;
    # sank, ferry -> 1; choir 1/2, sang 1/2 -> 1/2.
    assert word_support(texts, ["a", "b", "b"]).tolist() == pytest.approx([5 / 6, 1.0, 0.5])


def test_key_day_is_the_day_most_articles_mention() -> None:
    assert key_days([["2025-02-04", "2025-02-05"], ["2025-02-05"], ["2025-02-01"]]) == ("2025-02-05",)
    assert key_days([["2025-02-04"], ["2025-02-05"]]) == ()  # no day is mentioned twice
    assert key_days([["2025-02-04", "2025-02-03"]]) == ("2025-02-04",)  # one article: its first day
    assert key_days([]) == ()


def test_eligible_sentences() -> None:
    assert eligible(FERRY)
    assert not eligible("Ferry sinks")  # a headline fragment
    assert not eligible("Why did the grain ferry sink near the northern cape that night?")
    assert not eligible("and the ferry sank near the northern cape in a storm that night.")

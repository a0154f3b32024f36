from __future__ import annotations

import math

import numpy as np
import pytest

from storyline.story.stance_model import (
    CUE_NAMES,
    FEATURE_NAMES,
    LABELS,
    Body,
    Headline,
    Tfidf,
    TreeEnsemble,
    cue_counts,
    cue_features,
    load_arrays,
    predict,
    similarity_features,
    split_sentences,
    stance_between,
    tokens,
)

CLAIM = "The city council approved the new bridge over the river."
AGREES = (
    "The city council voted on Tuesday to approve construction of a new bridge over the river. "
    "Work begins next spring, officials confirmed."
)
UNRELATED = "A rare orchid bloomed at the botanical garden, drawing crowds of visitors on Sunday."


def _tfidf() -> Tfidf:
    return Tfidf(["bridge", "council", "river", "orchid"], np.ones(4))


def test_tokens_keep_contractions_and_fold_curly_apostrophes() -> None:
    assert tokens("It isn’t a HOAX, officials said.") == ["it", "isn't", "a", "hoax", "officials", "said"]


def test_sentences_split_on_newlines_and_final_punctuation() -> None:
    text = 'First one. "Second," he said.\nThird? yes. 4 more!'
    assert split_sentences(text) == ["First one.", '"Second," he said.', "Third? yes.", "4 more!"]


def test_cue_counts_per_list() -> None:
    words = tokens("It isn't true, officials said; the report was not confirmed.")
    # refute, hedge, report (said, report), affirm (true, confirmed), negate (isn't, not), contrast, spread
    assert cue_counts(words).tolist() == [0, 0, 2, 2, 2, 0, 0]


def test_tfidf_is_sublinear_and_l2_normalised() -> None:
    tfidf = Tfidf(["bridge", "council", "river"], np.array([1.0, 2.0, 1.0]))
    matrix = tfidf.transform(["council council bridge", "nothing here"]).toarray()
    council, bridge = (1 + math.log(2)) * 2.0, 1.0
    norm = math.hypot(council, bridge)
    assert matrix[0] == pytest.approx([bridge / norm, council / norm, 0.0])
    assert matrix[1].tolist() == [0.0, 0.0, 0.0]


def test_similarity_features_of_a_tiny_pair() -> None:
    headline = Headline.of("Council approves bridge", _tfidf())
    body = Body.of("The council met. The bridge opened over the river.", _tfidf())
    # Headline vector: council and bridge at 1/sqrt(2); sentence cosines 1/sqrt(2) and 1/2.
    expected = {
        "cos_body": math.sqrt(2 / 3),
        "cos_lead": math.sqrt(2 / 3),
        "cos_best": 1 / math.sqrt(2),
        "cos_top3": (1 / math.sqrt(2) + 0.5) / 2,
        "share_similar": 1.0,
        "best_position": 0.0,
        "overlap": 2 / 3,
        "overlap_lead": 2 / 3,
        "overlap_best": 1 / 3,
        "bigrams": 0.0,
        "trigrams": 0.0,
        "log_headline_words": math.log(4),
        "log_body_words": math.log(10),
        "semantic_lead": 0.5,
    }
    assert dict(zip(expected, similarity_features(headline, body, 0.5), strict=True)) == pytest.approx(
        expected
    )


def test_cue_features_of_a_tiny_pair() -> None:
    headline = Headline.of("Is the bridge a hoax?", _tfidf())
    body = Body.of("Officials denied the report. However, the bridge isn't closed, they said.", _tfidf())
    found = {
        name: value for name, value in zip(CUE_NAMES, cue_features(headline, body), strict=True) if value
    }
    per_100 = 100 / 11  # the body has 11 words
    assert found == pytest.approx(
        {
            "refute_headline": 1,
            "refute_lead": 1,
            "report_lead": 2,
            "negate_lead": 1,
            "contrast_lead": 1,
            "report_best": 1,
            "negate_best": 1,
            "contrast_best": 1,
            "refute_top3": 1,
            "report_top3": 2,
            "negate_top3": 1,
            "contrast_top3": 1,
            "refute_body_per100": per_100,
            "report_body_per100": 2 * per_100,
            "negate_body_per100": per_100,
            "contrast_body_per100": per_100,
            "question": 1,
        }
    )


def _stump(values: list[float], baseline: list[float]) -> TreeEnsemble:
    """One stump per output on feature 0 at 0.5; node 0 of each is the split, then left, right."""
    k = len(baseline)
    return TreeEnsemble(
        {
            "feature": np.zeros(3 * k, dtype=np.int32),
            "threshold": np.array([0.5, 0, 0] * k),
            "missing_left": np.array([True, False, False] * k),
            "left": np.array([i + 1 if i % 3 == 0 else 0 for i in range(3 * k)]),
            "right": np.array([i + 2 if i % 3 == 0 else 0 for i in range(3 * k)]),
            "leaf": np.array([False, True, True] * k),
            "value": np.array(values),
            "roots": np.array([[3 * j for j in range(k)]]),
            "baseline": np.array(baseline),
        }
    )


def test_tree_ensemble_walks_to_leaves_with_missing_values_going_left() -> None:
    stump = _stump([0, -1, 1], [0.25])
    x = np.array([[0.0], [0.5], [2.0], [np.nan]])
    assert stump.raw(x)[:, 0].tolist() == [-0.75, -0.75, 1.25, -0.75]
    sigmoid = 1 / (1 + math.exp(-1.25))
    assert stump.proba(x[2:3])[0] == pytest.approx([1 - sigmoid, sigmoid])


def test_tree_ensemble_softmax_over_outputs() -> None:
    trees = _stump([0, 1, 0, 0, 0, 1], [0.0, 0.0])
    p = trees.proba(np.array([[0.0], [1.0]]))
    e = math.e
    assert p.ravel() == pytest.approx([e / (e + 1), 1 / (e + 1), 1 / (e + 1), e / (e + 1)])


def test_shipped_weights_are_plain_arrays_with_the_feature_order() -> None:
    arrays = load_arrays()
    assert tuple(arrays["feature_names"]) == FEATURE_NAMES
    assert len(str(arrays["trained_on_sha256"])) == 64


def test_shipped_model_predicts_obvious_pairs() -> None:
    assert predict([(CLAIM, AGREES), (CLAIM, UNRELATED)]) == ["agree", "unrelated"]
    assert predict([]) == []


def test_stance_between_gives_a_label_and_its_probability() -> None:
    label, confidence = stance_between(CLAIM, UNRELATED)
    assert label == "unrelated" and label in LABELS
    assert 0.9 < confidence <= 1.0

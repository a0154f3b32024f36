"""Metric helpers on tiny hand-made examples, with the exact numbers worked out by hand."""

from __future__ import annotations

from collections import Counter

import pytest

from storyline.evaluate.metrics import (
    bag_overlap,
    bcubed,
    f1,
    macro_prf,
    normalize_space,
    prf,
    safe_div,
    shingle_counts,
    shingles,
    span_counts,
    word_tokens,
)


def test_prf_from_counts() -> None:
    assert prf(3, 1, 2) == {"precision": 0.75, "recall": 0.6, "f1": pytest.approx(2 / 3)}
    assert prf(0, 0, 0) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert f1(0.5, 1.0) == pytest.approx(2 / 3)
    assert safe_div(1, 0) == 0.0


def test_word_tokens_are_word_runs() -> None:
    assert word_tokens("It's 2024 — naïve, co-op!") == ["It", "s", "2024", "naïve", "co", "op"]
    assert word_tokens(None) == []


def test_shingles_are_a_multiset_and_short_texts_make_one() -> None:
    assert shingles(["a", "b", "a", "b", "a"], n=2) == Counter({("a", "b"): 2, ("b", "a"): 2})
    assert shingles(["a", "b"], n=4) == Counter({("a", "b"): 1})
    assert shingles([], n=4) == Counter()


def test_bag_overlap_counts_shared_surplus_and_missing() -> None:
    assert bag_overlap(Counter(x=2, y=1), Counter(x=1, z=3)) == (1, 3, 2)


def test_shingle_counts_on_text() -> None:
    # gold 4-grams: abcd bcde cdef; predicted: abcd bcde cdeg
    assert shingle_counts("a b c d e f", "a b c d e g") == (2, 1, 1)


def test_macro_prf_skips_empty_outputs_for_precision() -> None:
    pages = [(3, 1, 0), (0, 0, 4), (1, 1, 2)]
    # P over pages with output: (3/4 + 1/2) / 2; R over all pages: (1 + 0 + 1/3) / 3
    result = macro_prf(pages)
    assert result["precision"] == pytest.approx(0.625)
    assert result["recall"] == pytest.approx(4 / 9)
    assert result["f1"] == pytest.approx(2 * 0.625 * (4 / 9) / (0.625 + 4 / 9))


def test_normalize_space_folds_unicode_whitespace() -> None:
    assert normalize_space("  a\u00a0 b\n\tc ") == "a b c"


def test_span_counts_exact_match() -> None:
    gold = {(0, 2, "PER"), (5, 6, "LOC")}
    pred = {(0, 2, "PER"), (5, 6, "ORG"), (8, 9, "LOC")}
    assert span_counts(gold, pred) == (1, 2, 1)


def test_bcubed_on_a_small_clustering() -> None:
    gold = {"a": 1, "b": 1, "c": 2}
    pred = {"a": "x", "b": "y", "c": "y"}
    # precision per item: a 1, b 1/2, c 1/2 -> 2/3; recall: a 1/2, b 1/2, c 1 -> 2/3
    assert bcubed(gold, pred) == {
        "precision": pytest.approx(2 / 3),
        "recall": pytest.approx(2 / 3),
        "f1": pytest.approx(2 / 3),
    }
    with pytest.raises(ValueError):
        bcubed({"a": 1}, {"b": 1})

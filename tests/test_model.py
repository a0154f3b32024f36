"""The data model's compact parts read, compare and serialise like the plain tuples they replace."""

from __future__ import annotations

import json
import pickle

import pytest

from storyline.model import Article, Spans, from_dict, to_dict


def test_spans_read_like_a_tuple_of_pairs() -> None:
    spans = Spans(((0, 5), (6, 10), (11, 20)))
    assert len(spans) == 3
    assert list(spans) == [(0, 5), (6, 10), (11, 20)]
    assert spans[1] == (6, 10) and spans[-1] == (11, 20)
    assert spans[1:] == ((6, 10), (11, 20)) and isinstance(spans[1:], Spans)
    assert [start for start, _ in spans] == [0, 6, 11]
    assert (6, 10) in spans and spans.index((11, 20)) == 2
    with pytest.raises(IndexError):
        spans[3]


def test_spans_equal_and_hash_like_the_tuple_they_stand_for() -> None:
    pairs = ((0, 5), (6, 10))
    assert Spans(pairs) == pairs and Spans(pairs) == Spans([[0, 5], [6, 10]])
    assert Spans(pairs) != Spans(((0, 5),)) and Spans() == ()
    assert hash(Spans(pairs)) == hash(pairs)
    assert repr(Spans(pairs)) == repr(pairs)


def test_a_span_has_two_ends() -> None:
    with pytest.raises(ValueError, match="start, end"):
        Spans([(0, 5, 9)])


def test_an_article_keeps_its_sentences_as_spans_and_round_trips() -> None:
    article = Article(id="a1", source="a.txt", text="One. Two.", sentences=((0, 4), (5, 9)))
    assert isinstance(article.sentences, Spans)
    data = to_dict(article)
    assert json.loads(json.dumps(data))["sentences"] == [[0, 4], [5, 9]]
    assert from_dict(Article, data) == article
    assert pickle.loads(pickle.dumps(article)) == article
    assert Article(id="a2", source="b.txt", text="").sentences == ()

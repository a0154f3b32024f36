from __future__ import annotations

import json

import pytest

from storyline.evaluate.timeline import (
    DatedArticle,
    date_prf,
    evaluate,
    mean_prf,
    predict,
    select_dates,
    select_sentences,
)


def _article(published: str, *mentions: tuple[str, set[str]]) -> DatedArticle:
    lines = tuple(line for line, _ in mentions)
    return DatedArticle(published, lines, tuple((line, frozenset(days)) for line, days in mentions))


def test_date_precision_and_recall() -> None:
    assert date_prf({"2025-01-02", "2025-01-03"}, {"2025-01-03", "2025-01-04", "2025-01-05"}) == (0.5, 1 / 3)
    assert date_prf(set(), {"2025-01-03"}) == (0.0, 0.0)


def test_f1_of_the_mean_precision_and_recall() -> None:
    p, r, f = mean_prf([(0.5, 1 / 3), (1.0, 1.0)])
    assert (p, r) == (0.75, pytest.approx(2 / 3))
    assert f == pytest.approx(2 * 0.75 * (2 / 3) / (0.75 + 2 / 3))
    assert mean_prf([]) == (0.0, 0.0, 0.0)


def test_each_article_votes_once_per_day_it_is_about() -> None:
    articles = [
        _article("2025-01-02", ("The ferry sank on New Year's Day off the cape.", {"2025-01-01"})),
        _article(
            "2025-01-03",
            ("Divers reached the ferry that sank on Wednesday near the cape.", {"2025-01-01"}),
            ("The ferry, which sank on January 1, carried grain and salt.", {"2025-01-01"}),
        ),
        _article("2025-01-03", ("The cape lighthouse was built on December 1.", {"2024-12-01"})),
    ]
    # 01-01: two articles mention it; 01-03: two published then; 01-02: one; 12-01 is out of range.
    assert select_dates(articles, "2025-01-01", "2025-01-05", 2) == ["2025-01-01", "2025-01-03"]
    assert select_dates(articles, "2025-01-01", "2025-01-05", 5) == ["2025-01-01", "2025-01-03", "2025-01-02"]


def test_sentences_nearest_the_centroid_or_the_day_leads() -> None:
    articles = [
        _article(
            "2025-01-03",
            ("Divers reached the ferry near the cape at dawn.", {"2025-01-01"}),
            ("The grain ferry sank near the cape in a storm.", {"2025-01-01"}),
            ("A storm sank the ferry and its grain near the cape.", {"2025-01-01"}),
            ("A choir sang carols at the harbour that evening.", {"2025-01-01"}),
        ),
        _article("2025-01-02", ("Fishermen mourned the crew of the ferry.", set())),
    ]
    assert select_sentences(articles, "2025-01-01", 1) == ["The grain ferry sank near the cape in a storm."]
    assert select_sentences(articles, "2025-01-01", 2) == [  # kept in the order first seen
        "The grain ferry sank near the cape in a storm.",
        "A storm sank the ferry and its grain near the cape.",
    ]
    assert select_sentences(articles, "2025-01-02", 1) == ["Fishermen mourned the crew of the ferry."]
    assert select_sentences(articles, "2025-01-04", 1) == []
    assert predict(articles, "2025-01-01", "2025-01-03", 1, 1) == {  # a three-way tie: earliest
        "2025-01-01": ["The grain ferry sank near the cape in a storm."]
    }


def test_evaluate_on_a_tiny_topic(tmp_path) -> None:  # type: ignore[no-untyped-def]
    rouge_scorer = pytest.importorskip("rouge_score.rouge_scorer")
    topic = {
        "topic": "crane",
        "articles": [
            {
                "id": "t/2025-03-03/1",
                "published": "2025-03-03",
                "title": "",
                "text": "The harbour crane collapsed on Saturday, port officials said.\nNo one was hurt.",
            },
            {
                "id": "t/2025-03-04/1",
                "published": "2025-03-04",
                "title": "",
                "text": "Officials said the crane collapsed on March 1 during a storm.\n"
                "Engineers began an inspection of the quay on Monday.",
            },
        ],
        "timelines": [
            {
                "name": "crane/t1",
                "entries": [
                    {"date": "2025-03-01", "summary": ["The harbour crane collapsed in a storm."]},
                    {"date": "2025-03-04", "summary": ["Engineers inspected the quay."]},
                ],
            }
        ],
    }
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps(topic) + "\n", encoding="utf-8")
    result = evaluate(path)
    # Votes: 03-01 by both articles, 03-03 (published; "Monday") by both, 03-04 by one.
    assert (result["timelines"], result["date_p"], result["date_r"], result["date_f1"]) == (1, 0.5, 0.5, 0.5)
    predicted = (
        "The harbour crane collapsed on Saturday, port officials said.\n"
        "Engineers began an inspection of the quay on Monday."
    )
    gold = "The harbour crane collapsed in a storm.\nEngineers inspected the quay."
    scores = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True).score(gold, predicted)
    assert result["rouge1_f1"] == round(scores["rouge1"].fmeasure, 4)
    assert result["rouge2_f1"] == round(scores["rouge2"].fmeasure, 4)

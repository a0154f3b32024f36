"""A story past the size limit is cut by time into chapters; smaller stories are left alone."""

from __future__ import annotations

import random
from collections import defaultdict

import pytest

from storyline.briefing import corpus
from storyline.model import Annotation, Article, Mention
from storyline.settings import Settings
from storyline.story.chapters import chapters, chapters_of


def _stories(labels: list[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    for n, label in enumerate(labels):
        found[label].append(n)
    return found


def _when(published: list[str | None], n: int) -> tuple[bool, str]:
    return published[n] is None, published[n] or ""


def test_stories_at_or_under_the_size_are_left_as_they_are() -> None:
    labels = [0, 1, 0, 2, 1, 0]
    assert chapters(labels, [None] * 6, most=3) == labels
    assert chapters([], [], most=1) == []


def test_a_large_story_is_cut_in_order_of_publication_into_near_equal_chapters() -> None:
    published = ["2024-03-05", "2024-03-01", None, "2024-03-02", "2024-03-04", "2024-03-03", "2024-03-06"]
    labels = chapters([0] * 7, published, most=3)
    # 7 articles, at most 3 a story: chapters of 3, 2 and 2 (by date: 1 3 5 | 4 0 | 6 2, the
    # undated article last); the first keeps the story's label, and labels go by first appearance.
    assert labels == [0, 1, 2, 1, 0, 1, 2]


def test_copies_stay_with_their_original_unless_the_group_alone_is_too_large() -> None:
    published = ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-09", "2024-01-04"]
    # Article 3 copies article 1 (its own date is later): it sorts and stays with its original.
    labels = chapters([0] * 5, published, most=3, original_of={3: 1})
    assert labels[3] == labels[1]
    assert all(len(m) <= 3 for m in _stories(labels).values())
    # A group larger than the limit is cut too: no story ever holds more than `most` articles.
    big = chapters([0] * 5, [None] * 5, most=2, original_of={1: 0, 2: 0, 3: 0, 4: 0})
    assert max(len(m) for m in _stories(big).values()) == 2


def test_copies_given_by_id_stay_with_their_original() -> None:
    ids = ["a", "b", "c", "d", "e"]
    published = ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-09", "2024-01-04"]
    # "d" copies "b"; "x" is not among the articles and is left out.
    labels = chapters_of(ids, [0] * 5, published, {"d": "b", "x": "a"}, most=3)
    assert labels == chapters([0] * 5, published, 3, {3: 1})
    assert labels[3] == labels[1] and max(labels) == 1


@pytest.mark.parametrize("seed", range(20))
def test_chapters_refine_the_stories_in_time_order_within_the_limit(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(1, 400)
    most = rng.randint(1, 60)
    labels = [rng.randint(0, rng.randint(0, 8)) for _ in range(n)]
    days = [f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" for _ in range(n)]
    published: list[str | None] = [None if rng.random() < 0.1 else day for day in days]
    original_of = {}
    for copy in rng.sample(range(n), k=n // 5):
        original = rng.randrange(n)
        if original != copy and original not in original_of and copy not in original_of.values():
            original_of[copy] = original
    cut = chapters(labels, published, most, original_of)

    first: dict[int, int] = {}
    assert cut == [first.setdefault(label, len(first)) for label in cut]  # numbered by first appearance
    before, after = _stories(labels), _stories(cut)
    for old in before.values():
        parts = [after[label] for label in dict.fromkeys(cut[n] for n in old)]
        assert sorted(n for part in parts for n in part) == old  # a chapter lies within one story
        if len(old) <= most:
            assert len(parts) == 1
            continue
        assert len(parts) >= -(-len(old) // most)
        assert all(len(part) <= most for part in parts)
        # In time order: a chapter's originals are no later than the next chapter's.
        inside = set(old)
        heads = [[n for n in part if n not in original_of or original_of[n] not in inside] for part in parts]
        ordered = sorted((p for p in heads if p), key=lambda p: min(_when(published, n) for n in p))
        for earlier, later in zip(ordered, ordered[1:], strict=False):
            assert max(_when(published, n) for n in earlier) <= min(_when(published, n) for n in later)
        for copy, original in original_of.items():
            if copy in old and original in old:
                group = 1 + sum(1 for c, o in original_of.items() if o == original and c in old)
                if group <= most:
                    assert cut[copy] == cut[original]


def test_the_limit_must_allow_an_article_and_dates_must_match_the_labels() -> None:
    with pytest.raises(ValueError, match="at least one article"):
        chapters([0, 0], [None, None], most=0)
    with pytest.raises(ValueError, match="2 labels but 1"):
        chapters([0, 0], [None], most=1)


def test_the_corpus_stage_cuts_a_story_past_the_settings_limit() -> None:
    names = ("Ronald Reagan", "Sergei Lavrov", "Geneva")
    lines = [
        "{0} met {1} in {2} to talk about 40 missiles. Aides were hopeful after the first round.",
        "In {2}, {1} told {0} that the 40 missiles must go. The meeting ran late into the night.",
        "Talks between {0} and {1} over 40 missiles went on in {2}. Neither side gave ground today.",
        "{1} left {2} after a day with {0}; the 40 missiles remain. Critics in Congress were wary.",
        "A deal on 40 missiles is near, {0} said in {2} after he saw {1}. Allies welcomed the news.",
        "{0} and {1} ended the {2} round on 40 missiles. A summit date was not set by either camp.",
    ]
    articles, annotations = [], {}
    for n, line in enumerate(lines):
        text = line.format(*names)
        day = f"1987-10-0{n + 1}"
        article = Article(id=f"a{n}", source=f"a{n}.txt", title="Arms talks", text=text, published=day)
        mentions = tuple(
            Mention(text.index(name), text.index(name) + len(name), name, kind)
            for name, kind in zip(names, ("PERSON", "PERSON", "GPE"), strict=True)
        )
        articles.append(article)
        annotations[article.id] = Annotation(article=article.id, mentions=mentions)
    held = corpus.HeldAnnotations(annotations)
    whole = corpus.find(articles, held, Settings(), None)
    cut = corpus.find(articles, held, Settings(max_story_articles=2), None)
    try:
        assert whole.duplicates == {}
        assert whole.labels == [0] * 6
        assert cut.labels == [0, 0, 1, 1, 2, 2]
    finally:
        whole.close()
        cut.close()

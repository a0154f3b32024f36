from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from storyline.model import Annotation, Article, DateMention, Mention
from storyline.story.cluster import cluster, entity_strings, key_terms, link, similarity

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


def test_two_stories_and_a_singleton() -> None:
    texts = [FLOOD[0], FLOOD[1], MATCH[0], FLOOD[2], MATCH[1], BAKERY]
    assert cluster(texts) == [0, 0, 1, 0, 1, 2]


def test_given_entities_are_used_instead_of_ner() -> None:
    texts = [FLOOD[0], MATCH[0], FLOOD[1], MATCH[1]]
    entities = [
        ["Tessel", "Marrowdale", "Monday", "Ilka Brandt"],
        ["Orvane Rovers", "Kestrel City", "Saturday", "Tomas Velk"],
        ["Ilka Brandt", "Marrowdale", "Tessel", "Monday night"],
        ["Tomas Velk", "Orvane Rovers", "Kestrel City", "Saturday afternoon"],
    ]
    assert cluster(texts, entities=entities) == [0, 1, 0, 1]


def test_look_alike_events_are_told_apart_by_names_places_and_numbers() -> None:
    texts = [
        "Champion Arno Vesk kept his heavyweight title by stopping Dario Lund in the sixth round in Bern "
        "on Saturday, his 51st win.",
        "Arno Vesk stopped Dario Lund in round six in Bern on Saturday to keep his heavyweight belts.",
        "Champion Arno Vesk kept his heavyweight title with a seventh-round stoppage of Hal Rimmer in "
        "Mannheim on Sunday, his 44th win.",
        "Arno Vesk beat Hal Rimmer in Mannheim on Sunday in the seventh round to keep the heavyweight title.",
    ]
    assert cluster(texts) == [0, 0, 1, 1]


def test_same_input_same_labels_in_any_order() -> None:
    texts = [FLOOD[0], MATCH[0], BAKERY, FLOOD[1], MATCH[1], FLOOD[2]]
    first = cluster(texts)
    assert cluster(texts) == first == [0, 1, 2, 0, 1, 0]
    order = [5, 3, 1, 0, 4, 2]
    shuffled = cluster([texts[i] for i in order])
    assert shuffled == [0, 0, 1, 0, 1, 2]


def test_empty_and_tiny_inputs() -> None:
    assert cluster([]) == []
    assert cluster(["Only one article here."]) == [0]
    assert cluster(["", ""]) == [0, 1]


def test_key_terms_are_entity_words_then_numbers() -> None:
    text = "Wladimir Klitschko won 6-1 in Bern, his 58th win, before 20,000 fans."
    assert key_terms(text, ["Wladimir Klitschko", "Bern", "Saturday"]) == [
        "wladimir",
        "klitschko",
        "bern",
        "saturday",
        "6-1",
        "58th",
        "20,000",
    ]


def test_far_apart_dates_lower_the_similarity() -> None:
    texts = [FLOOD[0], FLOOD[1]]
    undated = similarity(texts)[0, 1]
    near = similarity(texts, published=["2030-03-04", "2030-03-20"])[0, 1]
    # 395 days apart: 365 days past the 30-day window, half of the 730-day decay to 0.7.
    far = similarity(texts, published=["2030-03-04", "2031-04-03"])[0, 1]
    one_dated = similarity(texts, published=["2030-03-04", None])[0, 1]
    assert near == pytest.approx(undated)
    assert one_dated == pytest.approx(undated)
    assert far == pytest.approx(undated * 0.85)


def test_link_cuts_average_linkage_at_the_threshold() -> None:
    similar = np.array(
        [
            [1.0, 0.9, 0.1, 0.0],
            [0.9, 1.0, 0.2, 0.1],
            [0.1, 0.2, 1.0, 0.3],
            [0.0, 0.1, 0.3, 1.0],
        ]
    )
    assert link(similar, 0.5) == [0, 0, 1, 2]
    assert link(similar, 0.75) == [0, 0, 1, 1]
    assert link(similar, 0.95) == [0, 0, 0, 0]


def test_entity_strings_of_an_annotation() -> None:
    annotation = Annotation(
        article="a",
        mentions=(Mention(0, 5, "Brandt", "PERSON"),),
        dates=(DateMention(10, 16, "Monday", "2031-03-03", "day", 0, 20),),
    )
    assert entity_strings(annotation) == ["Brandt", "Monday"]
    assert entity_strings(None) == []


# --- the product's own inputs: one story per corpus, and corpora kept apart -------------------


Corpus = tuple[list[Article], list[list[str]]]


@pytest.fixture(scope="module")
def demo(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return _cleaned(demo_dir, tmp_path_factory)


@pytest.fixture(scope="module")
def seeds(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return _cleaned(seeds_dir, tmp_path_factory)


def _cleaned(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """The pipeline's cleaned articles and, from its store, the entities it annotated in them."""
    from storyline import annotate
    from storyline.annotate.nlp import load_spacy
    from storyline.pipeline import run
    from storyline.settings import Settings
    from storyline.store import Store

    db = tmp_path_factory.mktemp("cluster") / "x.db"
    articles = list(run([folder], Settings(db=db)).briefing.articles)
    store = Store.open(db)
    try:
        version = annotate.version(load_spacy())
        return articles, [entity_strings(store.annotation(a.id, version)) for a in articles]
    finally:
        store.close()


def _stories(articles: list[Article], entities: list[list[str]]) -> list[int]:
    texts = [f"{a.title or ''}\n{a.text}" for a in articles]
    return cluster(texts, entities=entities, published=[a.published for a in articles])


def test_the_demo_corpus_is_one_story(demo: Corpus) -> None:
    assert len(demo[0]) == 7
    assert _stories(*demo) == [0] * 7


def test_the_seed_articles_are_one_story(seeds: Corpus) -> None:
    assert _stories(*seeds) == [0] * len(seeds[0])


def test_a_mixed_corpus_keeps_its_stories_apart(demo: Corpus, seeds: Corpus, bench_dir: Path) -> None:
    from storyline.evaluate.clustering import pipeline_entities

    reuters = bench_dir / "corpus" / "reuters21578.jsonl"
    if not reuters.exists():
        pytest.skip("the Reuters corpus is not present")
    wire = []
    with reuters.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if len(row["text"].split()) > 150:  # news stories, not one-line price tables
                wire.append(
                    Article(id=f"r{row['id']}", source="reuters", text=row["text"], title=row["title"])
                )
            if len(wire) == 12:
                break
    wire_entities = pipeline_entities([a.text for a in wire], [None] * len(wire))
    labels = _stories(seeds[0] + demo[0] + wire, seeds[1] + demo[1] + wire_entities)
    n_seeds, n_demo = len(seeds[0]), len(demo[0])
    seed_labels, demo_labels, rest = labels[:n_seeds], labels[n_seeds : n_seeds + n_demo], labels[-12:]
    assert set(seed_labels) == {0} and set(demo_labels) == {1}
    assert not set(rest) & {0, 1}

from __future__ import annotations

import pytest

from storyline.model import Cite
from storyline.story.ask import NOT_FOUND, SentenceIndex, answer, content_words

SENTENCES = [
    "The ferry company cancelled all crossings to Orsk on Monday because of a storm.",
    "Harbour master Tilde Varga said the crossings would resume on Thursday.",
    "The town council approved a new budget of 4 million crowns for the harbour.",
    "Fishermen complained that the storm damaged twelve boats.",
]


def _index() -> SentenceIndex:
    cites = [Cite("a", i * 100, i * 100 + len(s)) for i, s in enumerate(SENTENCES)]
    kinds = [frozenset({"date"}), frozenset({"person", "date"}), frozenset({"number"}), frozenset({"number"})]
    return SentenceIndex(cites, SENTENCES, kinds)


def test_content_words_drop_stop_words_and_stem() -> None:
    assert content_words("When will the crossings resume?") == ["cross", "resum"]


def test_answers_cite_the_supporting_sentence() -> None:
    result = answer(_index(), "When will the ferry crossings start again?", max_sentences=1)
    assert result.answered
    assert result.passages[0].text == SENTENCES[1]
    assert result.passages[0].cites == (Cite("a", 100, 100 + len(SENTENCES[1])),)


def test_how_many_prefers_a_sentence_with_a_number() -> None:
    result = answer(_index(), "How many boats did the storm damage?", max_sentences=1)
    assert result.passages[0].text == SENTENCES[3]


def test_unrelated_question_gets_an_honest_no() -> None:
    result = answer(_index(), "Who won the national chess championship?")
    assert not result.answered
    assert result.passages[0].text == NOT_FOUND and result.passages[0].cites == ()


class _DictCache:
    def __init__(self) -> None:
        self.kept: dict[str, str] = {}

    def story_results(self, keys):  # type: ignore[no-untyped-def]
        return {k: self.kept[k] for k in keys if k in self.kept}

    def put_story_results(self, items) -> None:  # type: ignore[no-untyped-def]
        self.kept.update(items)

    def drop_story_results(self, prefix, keep) -> None:  # type: ignore[no-untyped-def]
        pass


def test_sentence_vectors_are_kept_per_article_and_only_new_articles_are_embedded() -> None:
    import numpy as np

    from storyline.model import Cite
    from storyline.story.ask import SENTENCE_KEY, _sentence_vectors

    encoded: list[str] = []

    def encode(texts):  # type: ignore[no-untyped-def]
        encoded.extend(texts)
        rows = np.array([[len(t), t.count("a"), 1.0] for t in texts], dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)

    cites = [Cite("a1", 0, 5), Cite("a1", 6, 20), Cite("a2", 0, 9)]
    texts = ["Alpha", "A banana stand", "Cat and a"]
    cache = _DictCache()
    first = _sentence_vectors(cites, texts, encode, cache)
    assert encoded == texts and all(k.startswith(SENTENCE_KEY) and len(k) <= 64 for k in cache.kept)
    assert len(cache.kept) == 2  # one entry per article
    encoded.clear()
    again = _sentence_vectors(cites, texts, encode, cache)
    assert (
        encoded == []
        and np.array_equal(first.codes, again.codes)
        and np.array_equal(first.scale, again.scale)
    )
    grown = _sentence_vectors([*cites, Cite("a3", 0, 4)], [*texts, "Anna"], encode, cache)
    assert encoded == ["Anna"] and np.array_equal(grown.codes[:3], first.codes)
    # Without a store the vectors are the same (both rounded through float16).
    alone = _sentence_vectors(cites, texts, encode, None)
    assert np.array_equal(alone.codes, first.codes) and np.array_equal(alone.scale, first.scale)


def test_int8_rows_give_the_cosines_of_the_float_vectors_within_half_a_percent() -> None:
    import numpy as np

    from storyline.story.ask import Int8Rows

    rng = np.random.default_rng(7)
    vectors = rng.standard_normal((2500, 48)).astype(np.float32)  # more rows than one block
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors[10] = 0.0  # an empty row stays 0
    query = vectors[3] + 0.02 * rng.standard_normal(48).astype(np.float32)
    query /= np.linalg.norm(query)
    rows = Int8Rows.of(vectors)
    assert rows.shape == (2500, 48) and rows.codes.dtype == np.int8
    got, want = rows.dot(query), vectors @ query
    assert got.dtype == np.float32 and np.abs(got - want).max() < 0.005
    assert got[10] == 0.0 and int(np.argmax(got)) == int(np.argmax(want)) == 3
    assert Int8Rows(0, 0).dot(np.zeros(0, dtype=np.float32)).shape == (0,)


def test_int8_rows_kept_in_a_file_read_back_what_was_put_wherever_it_was_put() -> None:
    """Rows put out of order, in runs and alone, read back exactly; `dot` over the file is the
    product of the codes in memory, block edges included; readers in threads agree."""
    from concurrent.futures import ThreadPoolExecutor

    import numpy as np

    from storyline.story.ask import Int8Rows

    rng = np.random.default_rng(11)
    vectors = rng.standard_normal((2100, 16)).astype(np.float32)
    rows = Int8Rows(2100, 16)
    order = [np.arange(1500, 2100), np.array([3, 4, 5, 900, 901, 7]), np.arange(0, 3), np.array([6])]
    rest = np.setdiff1d(np.arange(2100), np.concatenate(order))
    for at in [*order, rest]:
        rows.put(at, vectors[at])
    whole = Int8Rows.of(vectors)
    assert np.array_equal(rows.codes, whole.codes) and np.array_equal(rows.scale, whole.scale)
    assert np.abs(rows.codes.astype(np.float32) * rows.scale[:, None] - vectors).max() < 0.03
    query = rng.standard_normal(16).astype(np.float32)
    want = (rows.codes.astype(np.float32) @ query) * rows.scale
    got = rows.dot(query)
    assert np.allclose(got, want, rtol=1e-6, atol=1e-6)
    with ThreadPoolExecutor(4) as pool:
        assert all(np.array_equal(again, got) for again in pool.map(lambda _: rows.dot(query), range(8)))
    unset = Int8Rows(3, 4)
    unset.put([1], np.ones((1, 4), dtype=np.float32))
    assert unset.codes.tolist() == [[0] * 4, [127] * 4, [0] * 4]


@pytest.mark.parametrize("part_postings", [1 << 18, 7])
def test_okapi_scores_are_rank_bm25_scores_to_the_last_bit(part_postings: int, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import random

    from rank_bm25 import BM25Okapi

    from storyline.story.ask import Okapi

    # 7 postings a partition: the postings of 60 sentences are spread over dozens of files.
    monkeypatch.setattr(Okapi, "PART_POSTINGS", part_postings)
    rng = random.Random(7)
    words = [f"w{n}" for n in range(40)]
    for size in (1, 2, 5, 60):
        # Few words, so that some are in more than half of the sentences (their idf is floored).
        docs = [
            [rng.choice(words[: rng.randint(2, 40)]) for _ in range(rng.randint(1, 12))] for _ in range(size)
        ]
        ours, theirs = Okapi(docs), BM25Okapi(docs)
        for query in (["w0"], ["w1", "w1", "w3"], ["nowhere", "w2"], words[:10], []):
            assert ours.get_scores(query).tolist() == theirs.get_scores(query).tolist()


def test_an_index_of_a_briefing_cites_each_original_sentence_by_its_words() -> None:
    from storyline.model import Article, Briefing, Entity, Tool

    first = "Tilde Varga said the crossings would resume on Thursday. Too short. The storm damaged 12 boats."
    copy = first
    other = "The council approved a budget of four million crowns. Orsk harbour reopened its quay."
    sentences = ((0, 56), (57, 67), (68, 95))
    articles = (
        Article(id="a", source="a.txt", text=first, sentences=sentences),
        Article(id="b", source="b.txt", text=copy, sentences=sentences, duplicate_of="a"),
        Article(id="c", source="c.txt", text=other, sentences=((0, 53), (54, 85))),
    )
    varga = Entity(id="p1", name="Tilde Varga", type="PERSON", mentions=(Cite("a", 0, 11),))
    briefing = Briefing(generated_at="", tool=Tool("storyline", "0"), articles=articles, entities=(varga,))
    index = SentenceIndex.from_briefing(briefing)
    # The copy is left out, and so is the three-word sentence.
    assert list(index.cites) == [Cite("a", 0, 56), Cite("a", 68, 95), Cite("c", 0, 53), Cite("c", 54, 85)]
    assert list(index.texts) == [articles[0].text[0:56], first[68:95], other[0:53], other[54:85]]
    assert index.texts[-1] == "Orsk harbour reopened its quay." and index.cites[1:2] == [Cite("a", 68, 95)]
    assert list(index.kinds) == [
        frozenset({"person"}),
        frozenset({"number"}),
        frozenset({"number"}),
        frozenset(),
    ]
    assert answer(index, "How many boats did the storm damage?", max_sentences=1).passages[0].cites == (
        Cite("a", 68, 95),
    )


def test_a_sentence_is_dated_or_holds_a_person_only_in_its_own_article() -> None:
    from storyline.model import Article, Entity
    from storyline.story.ask import starts_by_article

    text = "Storm warnings closed the Orsk ferry port today. Harbour master Tilde Varga spoke later on."
    sentences = ((0, 48), (49, 91))
    articles = [Article(id=i, source=f"{i}.txt", text=text, sentences=sentences) for i in ("a", "c")]
    people = [
        Entity(id="p1", name="Tilde Varga", type="PERSON", mentions=(Cite("c", 64, 75),)),
        Entity(id="o1", name="Orsk", type="GPE", mentions=(Cite("a", 26, 30), Cite("a", 64, 75))),
    ]
    dated = starts_by_article([("c", 0), ("a", 49), ("c", 0)])
    assert {k: list(v) for k, v in dated.items()} == {"c": [0, 0], "a": [49]}
    index = SentenceIndex.of(articles, people, dated)
    assert list(index.kinds) == [frozenset(), frozenset({"date"}), frozenset({"date"}), frozenset({"person"})]


def test_the_index_made_from_a_plan_is_the_index_of_its_whole_briefing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from storyline import ingest
    from storyline.briefing.build import assemble
    from storyline.pipeline import planned
    from storyline.settings import Settings

    rows = [
        {
            "site": "one.example",
            "text": "Tilde Varga said on 3 March 2031 that the ferry crossings would resume.",
        },
        {
            "site": "two.example",
            "text": "The storm damaged 12 boats in Orsk harbour on Monday, officials said.",
        },
    ]
    corpus = tmp_path / "news.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    with planned(ingest.read([str(corpus)]), Settings(db=tmp_path / "store.db")) as done:
        planned_index = SentenceIndex.from_plan(done.plan)
        whole = SentenceIndex.from_briefing(assemble(done.plan))
    assert list(planned_index.cites) == list(whole.cites) != []
    assert list(planned_index.texts) == list(whole.texts)
    assert list(planned_index.kinds) == list(whole.kinds) and frozenset({"date"}) <= set().union(*whole.kinds)


def test_sentences_read_back_from_the_file_whatever_their_letters() -> None:
    from storyline.model import Article, Briefing, Tool

    texts = [
        "Zoë Kaçar said the Straße would reopen — “soon”. Then 4 more lines of text here.",
        "Ölçü 12 ist gut genug für alle hier.",
    ]
    articles = tuple(
        Article(id=f"a{i}", source="x", text=t, sentences=((0, len(t)),)) for i, t in enumerate(texts)
    )
    briefing = Briefing(generated_at="", tool=Tool("storyline", "0"), articles=articles)
    index = SentenceIndex.from_briefing(briefing)
    assert list(index.texts) == texts
    assert [index.texts[1], index.texts[0], index.texts[1]] == [texts[1], texts[0], texts[1]]
    assert list(index.kinds) == [frozenset({"number"}), frozenset({"number"})]


class _HashEmbedder:
    """Unit vectors drawn from each text's hash: no model, the same vector for the same text."""

    def encode(self, texts):  # type: ignore[no-untyped-def]
        import hashlib

        import numpy as np

        seeds = [int(hashlib.md5(t.encode()).hexdigest()[:8], 16) for t in texts]
        out = [np.random.default_rng(seed).standard_normal(16) for seed in seeds]
        return np.asarray([v / np.linalg.norm(v) for v in out], dtype=np.float32)


def test_a_large_index_ranks_from_candidates_as_it_would_rank_every_sentence(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import random

    import storyline.annotate.embed as embed
    from storyline.story import fusion

    monkeypatch.setattr(embed, "load_embedder", _HashEmbedder)
    rng = random.Random(3)
    words = "storm ferry harbour council budget boats crossing resume monday crowns fishermen".split()
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(4, 12))) + f" {n}." for n in range(5_000)]
    cites = [Cite("a", i * 1_000, i * 1_000 + len(t)) for i, t in enumerate(texts)]
    kinds = [frozenset(rng.sample(["date", "person", "number"], rng.randint(0, 2))) for _ in texts]
    index = SentenceIndex(cites, texts, kinds)
    questions = ["When will the crossings resume?", "How many boats did the storm damage?", "Who spoke?"]
    monkeypatch.setattr(fusion, "_FIRST_M", 10**6)  # every sentence ranked in both lists
    dense = [index.search(q) for q in questions]
    monkeypatch.setattr(fusion, "_FIRST_M", 16)
    monkeypatch.setattr(fusion, "fused_top_dense", None)  # the candidates must settle it
    assert [index.search(q) for q in questions] == dense

"""The stages over all articles (copies, entities, clustering) are cached whole: a re-run of an
unchanged store skips them, any new article redoes them, and the briefing is the same either way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline import pipeline
from storyline.briefing import build as build_module
from storyline.settings import Settings
from storyline.store import Store
from storyline.story import identities

HARBOUR = [
    "The harbour master of Velport, Ansel Marek, closed the north quay on Monday after a crane "
    "collapsed. \u201cNobody was hurt,\u201d Marek said.",
    "Velport's north quay stays closed while engineers inspect the fallen crane, harbour master Ansel "
    "Marek told the Velport Courier on Tuesday.",
]
LIBRARY = "The Drossen city library will open on Sundays from April, its director Liesl Varga said."


def _write(folder: Path, name: str, texts: list[str]) -> Path:
    rows = [{"site": f"site{i}.example", "title": t[:40], "text": t} for i, t in enumerate(texts)]
    path = folder / name
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def resolved(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many articles each identity resolution read."""
    sizes: list[int] = []
    real = identities.resolve

    def spy(articles, story_of=None):  # type: ignore[no-untyped-def]
        sizes.append(len(articles))
        return real(articles, story_of)

    monkeypatch.setattr(identities, "resolve", spy)
    return sizes


def _plain(briefing) -> dict:  # type: ignore[no-untyped-def]
    return {k: v for k, v in briefing.to_dict().items() if k != "generated_at"}


def test_a_rerun_reads_the_corpus_stages_back_and_gives_the_briefing_built_without_cache(
    tmp_path: Path, resolved: list[int]
) -> None:
    harbour = _write(tmp_path, "harbour.jsonl", HARBOUR)
    settings = Settings(db=tmp_path / "store.db")
    first = pipeline.run([harbour], settings).briefing
    assert resolved == [2]
    second = pipeline.run([harbour], settings).briefing
    assert resolved == [2]  # read back
    assert _plain(second) == _plain(first)
    assert {e.name for e in second.entities} >= {"Ansel Marek", "Velport"}

    store = Store.open(settings.db)
    try:
        articles = list(store.articles())
        annotations, _ = pipeline._annotate(articles, store, settings, lambda *_: None)
        uncached = build_module.build(articles, annotations, [], settings, cache=None)
    finally:
        store.close()
    assert _plain(uncached) == _plain(first)


def test_a_new_article_redoes_the_corpus_stages(tmp_path: Path, resolved: list[int]) -> None:
    settings = Settings(db=tmp_path / "store.db")
    harbour = _write(tmp_path, "harbour.jsonl", HARBOUR)
    pipeline.run([harbour], settings)
    library = _write(tmp_path, "library.jsonl", [LIBRARY])
    both = pipeline.run([harbour, library], settings).briefing
    assert resolved == [2, 3]
    assert "Liesl Varga" in {e.name for e in both.entities}


def test_lead_embeddings_are_kept_per_lead_so_a_new_article_embeds_only_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyline.annotate import embed
    from storyline.story import cluster

    embedded: list[str] = []
    real = embed.load_embedder()

    class Counting:
        def encode(self, texts):  # type: ignore[no-untyped-def]
            embedded.extend(texts)
            return real.encode(texts)

    def lead(text: str) -> str:  # what clustering embeds of an article written by `_write`
        return cluster.lead_text(f"{text[:40]}\n{text}")

    monkeypatch.setattr(embed, "load_embedder", lambda: Counting())
    settings = Settings(db=tmp_path / "store.db")
    harbour = _write(tmp_path, "harbour.jsonl", HARBOUR)
    pipeline.run([harbour], settings)
    assert sorted(t for t in embedded if t in map(lead, HARBOUR)) == sorted(map(lead, HARBOUR))
    embedded.clear()
    both = pipeline.run([harbour, _write(tmp_path, "library.jsonl", [LIBRARY])], settings).briefing
    assert [t for t in embedded if t in map(lead, [*HARBOUR, LIBRARY])] == [lead(LIBRARY)]
    assert len(both.stories) == 2


def test_only_the_latest_corpus_entry_is_kept(tmp_path: Path) -> None:
    settings = Settings(db=tmp_path / "store.db")
    harbour = _write(tmp_path, "harbour.jsonl", HARBOUR)
    pipeline.run([harbour], settings)
    pipeline.run([harbour, _write(tmp_path, "library.jsonl", [LIBRARY])], settings)
    store = Store.open(settings.db)
    try:
        with store.engine.connect() as conn:
            keys = [k for (k,) in conn.exec_driver_sql("SELECT key FROM story_results")]
    finally:
        store.close()
    corpus = [k for k in keys if k.startswith(build_module.CORPUS_KEY)]
    assert len(corpus) == 1 and all(len(k) <= 64 for k in keys)  # the key column's width
    assert (
        len([k for k in keys if k.startswith(build_module.LEAD_KEY)]) == 3
    )  # lead embeddings are per article: all kept


def test_stored_annotations_are_read_in_order_a_batch_at_a_time(tmp_path: Path) -> None:
    settings = Settings(db=tmp_path / "store.db")
    pipeline.run([_write(tmp_path, "harbour.jsonl", HARBOUR)], settings)
    store = Store.open(settings.db)
    try:
        articles = list(store.articles())
        stored, _ = pipeline._annotate(articles, store, settings, lambda *_: None)
        reads: list[int] = []
        real = store.annotations

        def counted(ids, version):  # type: ignore[no-untyped-def]
            reads.append(len(ids))
            return real(ids, version)

        store.annotations = counted  # type: ignore[method-assign]
        source = pipeline.StoredAnnotations(store, stored.version, batch=1)
        ids = [articles[1].id, "missing", articles[0].id]
        got = list(source.read(ids))
    finally:
        store.close()
    assert [a.article if a else None for a in got] == [articles[1].id, None, articles[0].id]
    assert reads == [1, 1, 1]


def test_the_corpus_entry_round_trips_with_its_cites_packed_over_one_article_table() -> None:
    from storyline.briefing.corpus import Corpus
    from storyline.model import Cite, Entity, Role

    marek = Entity(
        id="person:ansel-marek",
        name="Ansel Marek",
        type="PERSON",
        variants=("Marek", "Ansel Marek"),
        roles=(Role("harbour master", Cite("b2", 70, 84)),),
        mentions=(Cite("a1", 0, 11), Cite("b2", 85, 96), Cite("a1", 2_000_000, 2_000_005)),
        articles=("a1", "b2"),
    )
    velport = Entity(
        id="gpe:velport", name="Velport", type="GPE", mentions=(Cite("c3", 5, 12),), articles=("c3",)
    )
    bare = Entity(id="org:x", name="X", type="ORG")  # no mentions, roles or articles
    found = identities.Identities(entities=(marek, velport, bare))
    corpus = Corpus({"b2": "a1"}, found, [0, 0, 1], {"person:ansel-marek": "person:ansel-marek"})
    text = corpus.to_json()
    assert '"article"' not in text  # cites are packed, not one object each
    again = Corpus.from_json(text)
    assert again.found.entities == (marek, velport, bare)
    assert (again.duplicates, again.labels, again.groups_of) == (
        corpus.duplicates,
        corpus.labels,
        corpus.groups_of,
    )
    assert again.found.entities[0].mentions[0].article is again.found.entities[0].articles[0]  # one string


def test_a_corpus_entry_of_another_format_is_refused_not_misread() -> None:
    from storyline.briefing.corpus import Corpus

    with pytest.raises(ValueError, match="format"):
        Corpus.from_json(json.dumps({"duplicates": {}, "entities": [], "labels": [], "groups_of": {}}))

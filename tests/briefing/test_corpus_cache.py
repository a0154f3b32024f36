"""The stages over all articles (copies, entities, clustering) are cached whole: a re-run of an
unchanged store skips them, any new article redoes them, and the briefing is the same either way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline import pipeline
from storyline.briefing import build as build_module
from storyline.briefing import corpus as corpus_module
from storyline.briefing.entity_table import EntityTable
from storyline.model import Cite, Entity, Role
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
    real = identities.resolve_spooled

    def spy(spool, texts, story_of=None):  # type: ignore[no-untyped-def]
        sizes.append(len(spool))
        return real(spool, texts, story_of)

    monkeypatch.setattr(identities, "resolve_spooled", spy)
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
            rows = dict(conn.exec_driver_sql("SELECT key, body FROM story_results").all())
    finally:
        store.close()
    keys = list(rows)
    corpus = [k for k in keys if k.startswith(build_module.CORPUS_KEY)]
    # One entry: its header row and the chunk rows it counts.
    headers = [json.loads(rows[k]) for k in corpus if '"chunks"' in rows[k]]
    assert len(headers) == 1 and len(corpus) == 1 + headers[0]["chunks"]
    assert all(len(k) <= 64 for k in keys)  # the key column's width
    assert (
        len([k for k in keys if k.startswith(build_module.LEAD_KEY)]) == 3
    )  # lead embeddings are per article: all kept


def test_the_run_removes_its_entity_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    made: list[Path] = []
    real = EntityTable.__init__

    def spy(self: EntityTable) -> None:
        real(self)
        made.append(self.path)

    monkeypatch.setattr(EntityTable, "__init__", spy)
    settings = Settings(db=tmp_path / "store.db")
    harbour = _write(tmp_path, "harbour.jsonl", HARBOUR)
    pipeline.run([harbour], settings)  # the corpus stages run
    pipeline.run([harbour], settings)  # they are read back
    assert len(made) == 2 and all(p.parent.parent == scratch for p in made)
    assert not [p for p in made if p.parent.exists()]


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


def _entities() -> tuple[Entity, ...]:
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
    return (marek, velport, bare)


def test_the_corpus_entry_round_trips_in_chunks_with_cites_packed_over_an_article_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(corpus_module, "_CHUNK_CITES", 3)  # a chunk per entity or two
    entities = _entities()
    table = EntityTable.of(entities)
    corpus = corpus_module.Corpus({"b2": "a1"}, table, [0, 0, 1], {"person:ansel-marek": "gpe:velport"})
    key = build_module.CORPUS_KEY + "x" * 20
    rows = list(corpus_module.entry_rows(key, corpus, entities))
    table.close()
    assert [k for k, _ in rows][-1] == key  # the header last, after the chunks it counts
    assert len(rows) == 3 and all(k.startswith(build_module.CORPUS_KEY) and len(k) <= 64 for k, _ in rows)
    assert not any('"article"' in body for _, body in rows)  # cites are packed, not one object each
    store = Store.open(tmp_path / "store.db")
    try:
        assert corpus_module.read_entry(store, key) is None
        store.put_story_results(rows)
        again = corpus_module.read_entry(store, key)
        assert again is not None
        try:
            assert again.entities.all() == entities
            assert (again.duplicates, again.labels, again.groups_of) == (
                corpus.duplicates,
                corpus.labels,
                corpus.groups_of,
            )
            read = again.entities.all()
            assert read[0].mentions[0].article is read[0].articles[0]  # one string
        finally:
            again.close()
        # A chunk gone (the entry half dropped): no corpus, rather than one missing entities.
        store.drop_story_results(build_module.CORPUS_KEY, keep=[k for k, _ in rows if k != rows[1][0]])
        assert corpus_module.read_entry(store, key) is None
    finally:
        store.close()


def test_a_corpus_entry_of_another_format_is_refused_not_misread(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "store.db")
    try:
        key = build_module.CORPUS_KEY + "y" * 20
        store.put_story_results(
            [(key, json.dumps({"duplicates": {}, "entities": [], "labels": [], "groups_of": {}}))]
        )
        with pytest.raises(ValueError, match="format"):
            corpus_module.read_entry(store, key)
    finally:
        store.close()


def test_the_capitals_are_worked_out_once_per_run_not_per_story(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyline.story import stances

    calls: list[int] = []
    real = stances.capital_countries

    def spy(entities):  # type: ignore[no-untyped-def]
        calls.append(len(entities))
        return real(entities)

    monkeypatch.setattr(stances, "capital_countries", spy)
    settings = Settings(db=tmp_path / "store.db")
    paths = [_write(tmp_path, "harbour.jsonl", HARBOUR), _write(tmp_path, "library.jsonl", [LIBRARY])]
    briefing = pipeline.run(paths, settings).briefing
    assert len(briefing.stories) == 2
    # Once for the actor groups (the corpus stages), once for the stories' stances.
    assert len(calls) == 2

"""The briefing written a story at a time is the briefing written whole, file for file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline import ingest
from storyline.briefing import build as build_module
from storyline.briefing import render, stream
from storyline.briefing.build import assemble
from storyline.errors import StorylineError
from storyline.pipeline import StoredArticles, planned
from storyline.settings import Settings
from storyline.store import Store

STORIES = [
    "Dockworkers at the port of Brava walked out on Monday over pay. \u201cWe will stay out until wages "
    "rise,\u201d said Mara Quell, the union leader. The port authority said talks would resume on Friday.",
    "The strike at the port of Brava entered its second day on Tuesday. Mara Quell of the dockworkers' "
    "union said pay talks with the port authority had broken down. "
    "\u201cNobody has called us,\u201d she said.",
    "A late frost destroyed much of the apple harvest in the Teller valley, growers said on Friday. "
    "\u201cLosses will top half the crop,\u201d said Oskar Fenn, chairman of the growers' cooperative.",
    "Teller valley growers counted their losses on Saturday after the frost. Oskar Fenn said the "
    "cooperative would ask the province for help, and the agriculture minister Ilse Varga promised a visit.",
    "The city council of Ostrand voted on Wednesday to close the old tram depot by March 2027. "
    "\u201cThe depot is unsafe,\u201d said the mayor, Tomas Riel. "
    "Opposition councillor Ana Brun voted against.",
]


def _corpus(folder: Path) -> Path:
    rows = [{"site": f"site{i % 3}.example", "title": t[:48], "text": t} for i, t in enumerate(STORIES)]
    # A near copy of the first report, from another site: marked a duplicate, shown with its original.
    rows.append({"site": "copy.example", "title": "Copy", "text": STORIES[0] + " Updated."})
    path = folder / "news.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    return path


def _both(tmp_path: Path) -> tuple[dict[str, str], dict[str, str], stream.Tally]:
    corpus = _corpus(tmp_path)
    settings = Settings(db=tmp_path / "store.db")
    streamed, whole = tmp_path / "streamed", tmp_path / "whole"
    streamed.mkdir()
    whole.mkdir()
    with planned(ingest.read([str(corpus)]), settings) as done:
        tally = stream.write(done.plan, {n: streamed / f"briefing.{n}" for n in stream.FORMATS})
        briefing = assemble(done.plan)
    for name in stream.FORMATS:
        render.write(name, briefing, whole / f"briefing.{name}")
    read = lambda folder: {n: (folder / f"briefing.{n}").read_text("utf-8") for n in stream.FORMATS}  # noqa: E731
    return read(streamed), read(whole), tally


def test_each_format_written_story_by_story_is_the_whole_briefing_rendered(tmp_path: Path) -> None:
    streamed, whole, tally = _both(tmp_path)
    briefing = json.loads(whole["json"])
    assert len(briefing["stories"]) >= 3  # several stories, so the joins between them are checked
    assert any(a["duplicate_of"] for a in briefing["articles"])
    for name in stream.FORMATS:
        assert streamed[name] == whole[name], name
    assert tally.articles == len(briefing["articles"])
    assert tally.stories == len(briefing["stories"])
    assert tally.quotes == len(briefing["quotes"])
    assert tally.entities == len(briefing["entities"])


def test_batch_edges_between_stories_change_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_module, "_READ_BATCH", 1)  # every story read, worked out and cached alone
    streamed, whole, _ = _both(tmp_path)
    for name in stream.FORMATS:
        assert streamed[name] == whole[name], name


def test_batches_cut_by_articles_change_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_module, "_READ_ARTICLES", 2)  # a batch ends before its third article
    streamed, whole, _ = _both(tmp_path)
    for name in stream.FORMATS:
        assert streamed[name] == whole[name], name


def test_story_batches_keep_the_order_and_bound_stories_and_articles() -> None:
    groups = [["a"], ["b", "c"], ["d", "e", "f", "g"], ["h"], ["i"], ["j"]]
    batches = list(build_module._story_batches(groups, 3, 3))
    assert [g for b in batches for g in b] == groups
    # A story larger than the bound is a batch of its own; otherwise both bounds hold.
    assert batches == [[["a"], ["b", "c"]], [["d", "e", "f", "g"]], [["h"], ["i"], ["j"]]]
    assert list(build_module._story_batches([], 3, 3)) == []


def test_a_plugin_format_is_refused_by_name(tmp_path: Path) -> None:
    settings = Settings(db=tmp_path / "store.db")
    refused = pytest.raises(ValueError, match="cannot stream format csv")
    with planned(ingest.read([str(_corpus(tmp_path))]), settings) as done, refused:
        stream.write(done.plan, {"csv": tmp_path / "briefing.csv"})


def test_stored_articles_read_a_batch_at_a_time_in_the_order_asked(tmp_path: Path) -> None:
    settings = Settings(db=tmp_path / "store.db")
    with planned(ingest.read([str(_corpus(tmp_path))]), settings):
        pass
    store = Store.open(settings.db)
    try:
        ids = store.article_ids()
        everything = list(store.articles())
        reordered = list(reversed(ids))
        view = StoredArticles(store, reordered, batch=2)
        assert [a.id for a in view] == reordered
        assert view[0] == next(a for a in everything if a.id == reordered[0])
        assert len(view._held) <= 2  # one batch, never the whole store
        with pytest.raises(StorylineError, match="not stored"):
            list(StoredArticles(store, ["no-such-article"]))
    finally:
        store.close()


def test_a_plugin_format_is_written_from_the_whole_briefing_with_the_same_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render, "_RENDERERS", {**render._RENDERERS})  # the plugin is gone after the test
    render.register("titles", lambda b: "\n".join(s.title for s in b.stories))
    settings = Settings(db=tmp_path / "store.db")
    targets = {"titles": tmp_path / "briefing.titles", "json": tmp_path / "briefing.json"}
    with planned(ingest.read([str(_corpus(tmp_path))]), settings) as done:
        mixed = stream.write_files(done.plan, targets)
        streamed = stream.write(done.plan, {"json": tmp_path / "streamed.json"})
    briefing = json.loads(targets["json"].read_text("utf-8"))
    titles = targets["titles"].read_text("utf-8").splitlines()
    assert titles == [s["title"] for s in briefing["stories"]]
    assert mixed == streamed

"""Worked-out stories are cached by what they depend on: unchanged stories are not redone."""

from __future__ import annotations

import json

import pytest

from storyline.briefing import build as build_module
from storyline.pipeline import run
from storyline.settings import Settings

PORT = [
    "Dockworkers at the port of Brava walked out on Monday over pay. The union leader Mara Quell said "
    "the strike would go on until the port authority raised wages.",
    "The strike at the port of Brava entered its second day on Tuesday. Mara Quell of the dockworkers' "
    "union said pay talks with the port authority had broken down.",
]
ORCHARD = (
    "A late frost destroyed much of the apple harvest in the Teller valley, growers said on Friday. "
    "The growers' cooperative chairman Oskar Fenn said losses would top half the crop."
)


def _write(folder, name, texts):
    rows = [{"site": f"site{i}.example", "title": t[:40], "text": t} for i, t in enumerate(texts)]
    path = folder / name
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def counted(monkeypatch):
    calls: list[tuple[str, ...]] = []
    real = build_module.work_out

    def spy(members, *args, **kwargs):
        calls.append(tuple(a.id for a in members))
        return real(members, *args, **kwargs)

    monkeypatch.setattr(build_module, "work_out", spy)
    return calls


def test_a_rerun_reuses_every_story_and_gives_the_same_briefing(tmp_path, counted):
    port = _write(tmp_path, "port.jsonl", PORT)
    settings = Settings(db=tmp_path / "store.db")
    first = run([port], settings).briefing
    assert len(counted) == len(first.stories) >= 1
    counted.clear()
    second = run([port], settings).briefing
    assert counted == []
    strip = lambda b: {k: v for k, v in b.to_dict().items() if k != "generated_at"}  # noqa: E731
    assert strip(second) == strip(first)


def test_adding_an_unrelated_article_redoes_only_its_own_story(tmp_path, counted):
    port = _write(tmp_path, "port.jsonl", PORT)
    settings = Settings(db=tmp_path / "store.db")
    first = run([port], settings).briefing
    counted.clear()
    orchard = _write(tmp_path, "orchard.jsonl", [ORCHARD])
    both = run([port, orchard], settings).briefing
    assert len(both.stories) == len(first.stories) + 1
    new_story = next(s for s in both.stories if s not in first.stories)
    assert counted == [new_story.articles]


def test_cached_stories_read_back_in_batches_are_all_reused(tmp_path, counted, monkeypatch):
    monkeypatch.setattr(build_module, "_READ_BATCH", 1)  # one story per read: every batch edge
    both = _write(tmp_path, "both.jsonl", [*PORT, ORCHARD])
    settings = Settings(db=tmp_path / "store.db")
    first = run([both], settings).briefing
    assert len(first.stories) >= 2
    counted.clear()
    second = run([both], settings).briefing
    assert counted == [] and second.stories == first.stories

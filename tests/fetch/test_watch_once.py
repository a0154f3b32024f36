"""One poll builds the briefing once, over everything in the store, with only this poll's failures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.briefing import build as build_module
from storyline.fetch.client import FetchPolicy
from storyline.fetch.state import WatchState
from storyline.fetch.watch import poll
from storyline.settings import Settings

from .conftest import Site, page

PAGES = {
    "/kiln.html": (
        "Potters in the hill town of Ossary fired the new communal kiln for the first time on Sunday, "
        "the guild secretary Petra Lume said."
    ),
    "/well.html": (
        "Engineers finished drilling a second well for the village of Tarnby on Friday, the water board "
        "said, ending a summer of rationing."
    ),
}


def _html(text: str) -> bytes:
    body = f"<article><p>{text}</p></article>"
    return f"<html><head><title>Local news</title></head><body>{body}</body></html>".encode()


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    sizes: list[int] = []
    real = build_module.prepare

    def spy(articles, *args, **kwargs):  # type: ignore[no-untyped-def]
        sizes.append(len(articles))
        return real(articles, *args, **kwargs)

    monkeypatch.setattr(build_module, "prepare", spy)
    return sizes


def test_a_poll_builds_one_briefing_of_the_whole_store(site: Site, tmp_path: Path, builds: list[int]) -> None:
    for path, text in PAGES.items():
        site.routes[path] = page(_html(text))
    site.routes["/robots.txt"] = page(b"User-agent: *\nDisallow:\n", "text/plain")
    watchlist = tmp_path / "watch.txt"
    settings = Settings(db=tmp_path / "s.db")
    policy = FetchPolicy(allow_private=True, delay=0)
    state = WatchState.load(tmp_path / "s.watch.json")

    targets = {"json": tmp_path / "briefing.json", "md": tmp_path / "briefing.md"}

    def written() -> dict:  # type: ignore[type-arg]
        return json.loads(targets["json"].read_text("utf-8"))

    watchlist.write_text(site.url("/kiln.html") + "\n")
    first = poll(watchlist, settings, policy, state, targets)
    assert builds == [1]
    assert [a["url"] for a in written()["articles"]] == [site.url("/kiln.html")]
    assert (first.written.articles, first.written.stories) == (1, 1)
    assert "Ossary" in targets["md"].read_text("utf-8")

    # The second poll fetches one new page and fails on another; its briefing holds both stored
    # pages (the first poll's too) and only its own failure.
    watchlist.write_text(f"{site.url('/well.html')}\n{site.url('/gone.html')}\n")
    second = poll(watchlist, settings, policy, state, targets)
    assert builds == [1, 2]
    briefing = written()
    assert [a["url"] for a in briefing["articles"]] == [site.url("/kiln.html"), site.url("/well.html")]
    assert second.new_articles == 1
    assert [f["path"] for f in briefing["inputs"]["failed"]] == [site.url("/gone.html")]
    assert [f.path for f in second.written.failed] == [site.url("/gone.html")]
    assert briefing["inputs"]["ok"] == second.written.articles == 2

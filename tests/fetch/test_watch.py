"""`storyline watch` end to end against a local server: feed, robots.txt, 304s, failures, the briefing."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from storyline.cli import EXIT_INPUTS_FAILED, app

from .conftest import Site, page, respond

PARAGRAPHS = {
    "ferry": (
        "Ferry crews in the port town of Marrowick ended a nine-day strike on Tuesday after the harbour "
        "board agreed to a new pay scale, union organiser Teodor Vasska said.",
        "\u201cThe boats will sail again on Wednesday morning,\u201d Vasska told reporters at the quay.",
        "The harbour board said the agreement would cost the town about two million crowns a year.",
    ),
    "bridge": (
        "The old stone bridge over the river Lenn in Marrowick reopened on Monday after two years of "
        "repairs, the town engineer Mila Ostrand said.",
        "\u201cIt will carry traffic for another century,\u201d Ostrand said at the opening ceremony.",
        "Shops on both banks said trade had fallen by a third while the bridge was closed.",
    ),
    "market": (
        "The winter market in Marrowick will open a week early this year, the town council announced "
        "on Thursday, citing strong demand from traders.",
        "Council member Ivo Brandel said the early opening would bring visitors to the harbour district.",
    ),
}


def _html(name: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[name])
    return (
        f"<html><head><title>{name} page</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>Story about {name}</h1>{body}</article><footer>Courier</footer></body></html>"
    ).encode()


def _rss(items: list[tuple[str, str, str]]) -> bytes:
    body = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid><pubDate>{day}</pubDate></item>"
        for title, link, day in items
    )
    channel = f"<channel><title>Courier</title>{body}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'.encode()


def _serve(site: Site, items: list[tuple[str, str, str]], etag: str) -> None:
    site.routes["/robots.txt"] = page(b"User-agent: *\nDisallow: /private/\n", "text/plain")
    site.routes["/feed.xml"] = page(_rss(items), "application/rss+xml", etag=etag)
    site.routes["/news/ferry.html"] = page(_html("ferry"))
    site.routes["/private/bridge.html"] = page(_html("bridge"))
    site.routes["/market.html"] = page(_html("market"), etag='"m1"')
    site.routes["/loop"] = lambda h: respond(h, 302, headers={"Location": "/loop"})
    site.routes["/news/bridge.html"] = page(_html("bridge"))


def _watch(tmp_path: Path, watchlist: Path) -> tuple[int, str, dict]:  # type: ignore[type-arg]
    out = tmp_path / "out"
    args = ["watch", str(watchlist), "--db", str(tmp_path / "s.db"), "--out", str(out)]
    result = CliRunner().invoke(app, [*args, "--once", "--allow-private", "--delay", "0", "-q"])
    return result.exit_code, result.output, json.loads((out / "briefing.json").read_text(encoding="utf-8"))


def test_watch_polls_feeds_and_pages_then_only_what_is_new(site: Site, tmp_path: Path) -> None:
    items = [
        ("Ferry strike ends", "/news/ferry.html", "Tue, 03 Mar 2026 09:00:00 GMT"),
        ("Bridge reopens", "/private/bridge.html", "Mon, 02 Mar 2026 09:00:00 GMT"),
    ]
    _serve(site, items, etag='"f1"')
    watchlist = tmp_path / "feeds.txt"
    watchlist.write_text(
        f"# test outlets\n{site.url('/feed.xml')}\n{site.url('/market.html')}\n{site.url('/loop')}\n"
    )

    code, output, data = _watch(tmp_path, watchlist)
    assert code == EXIT_INPUTS_FAILED, output
    articles = {a["url"]: (a["title"], a["published"]) for a in data["articles"]}
    assert articles == {
        site.url("/news/ferry.html"): ("Ferry strike ends", "2026-03-03"),
        site.url("/market.html"): ("Story about market", None),
    }
    assert sorted((f["path"], f["error"]) for f in data["inputs"]["failed"]) == [
        (site.url("/loop"), f"redirect loop: {site.url('/loop')} -> {site.url('/loop')}"),
        (site.url("/private/bridge.html"), f"disallowed by {site.base}/robots.txt"),
    ]
    assert site.hits["/private/bridge.html"] == 0
    assert "2 new articles (2 pages fetched, 0 unchanged), 2 failed" in output
    state = json.loads((tmp_path / "s.watch.json").read_text(encoding="utf-8"))
    assert state["urls"][site.url("/feed.xml")]["etag"] == '"f1"'

    # Second poll: the feed and the page answer 304; only the loop fails again.
    code, output, data = _watch(tmp_path, watchlist)
    assert code == EXIT_INPUTS_FAILED, output
    assert (site.hits["/feed.xml"], site.hits["/news/ferry.html"], site.hits["/market.html"]) == (2, 1, 2)
    assert site.headers["/feed.xml"]["if-none-match"] == '"f1"'
    assert "0 new articles (0 pages fetched, 2 unchanged), 1 failed" in output
    assert len(data["articles"]) == 2

    # Third poll: the feed has a new item; the old one is not fetched again.
    site.routes["/news/bridge.html"] = page(_html("bridge"))
    _serve(
        site, [*items, ("Bridge opens", "/news/bridge.html", "Wed, 04 Mar 2026 09:00:00 GMT")], etag='"f2"'
    )
    watchlist.write_text(f"{site.url('/feed.xml')}\n")
    code, output, data = _watch(tmp_path, watchlist)
    assert code == 0, output
    assert (site.hits["/news/ferry.html"], site.hits["/news/bridge.html"]) == (1, 1)
    assert sorted(a["title"] for a in data["articles"]) == [
        "Bridge opens",
        "Ferry strike ends",
        "Story about market",
    ]
    assert data["inputs"]["failed"] == []


def test_watch_refuses_loopback_without_the_switch(site: Site, tmp_path: Path) -> None:
    site.routes["/feed.xml"] = page(_rss([]), "application/rss+xml")
    watchlist = tmp_path / "feeds.txt"
    watchlist.write_text(site.url("/feed.xml") + "\n")
    out = tmp_path / "out"
    args = ["watch", str(watchlist), "--db", str(tmp_path / "s.db"), "--out", str(out), "--once", "-q"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == EXIT_INPUTS_FAILED, result.output
    (failure,) = json.loads((out / "briefing.json").read_text(encoding="utf-8"))["inputs"]["failed"]
    assert failure["path"] == site.url("/feed.xml")
    assert failure["error"].startswith("refused: 127.0.0.1 is a loopback address")
    assert site.hits["/feed.xml"] == 0 and site.hits["/robots.txt"] == 0

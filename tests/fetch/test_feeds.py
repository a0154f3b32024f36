from __future__ import annotations

from pathlib import Path

import pytest

from storyline.errors import FetchError, FormatError
from storyline.fetch.client import Fetcher, FetchPolicy
from storyline.fetch.feeds import Entry, parse_feed, read_watchlist
from storyline.fetch.robots import Robots
from storyline.fetch.watch import parse_every

from .conftest import Site, page, respond

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Valdoria Courier</title>
<item><title>Ferry strike ends &amp; boats return</title><link>/news/ferry.html</link>
<guid isPermaLink="false">courier-101</guid><pubDate>Tue, 03 Mar 2026 09:30:00 GMT</pubDate></item>
<item><title>Council vote</title><link>https://courier.example/news/vote.html</link></item>
<item><title>No link at all</title><description>A note</description></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Orvel Post</title>
<entry><id>urn:orvel:7</id><title>Bridge reopens</title>
<link rel="alternate" href="https://post.example/bridge"/><updated>2026-04-01T12:00:00Z</updated></entry>
</feed>"""


def test_rss_items_become_entries_with_absolute_links() -> None:
    assert parse_feed(RSS, "https://courier.example/feed.xml") == [
        Entry(
            "courier-101",
            "https://courier.example/news/ferry.html",
            "Ferry strike ends & boats return",
            "2026-03-03",
        ),
        Entry(
            "https://courier.example/news/vote.html", "https://courier.example/news/vote.html", "Council vote"
        ),
    ]


def test_atom_entries_use_their_id_and_alternate_link() -> None:
    assert parse_feed(ATOM, "https://post.example/atom") == [
        Entry("urn:orvel:7", "https://post.example/bridge", "Bridge reopens", "2026-04-01")
    ]


def test_html_and_text_are_not_feeds() -> None:
    assert (
        parse_feed(b"<html><body><p>Ferry news</p><a href='/a'>a</a></body></html>", "https://x.example/")
        is None
    )
    assert parse_feed(b"just words", "https://x.example/") is None


def test_a_body_naming_a_local_file_is_not_opened(tmp_path: Path) -> None:
    # feedparser opens a string argument as a URL or a file; the body must never be taken as one.
    local = tmp_path / "secret.xml"
    local.write_bytes(RSS)
    assert parse_feed(str(local).encode(), "https://x.example/") is None


def test_watchlist_skips_comments_and_names_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "feeds.txt"
    path.write_text(
        "# outlets\n\nhttps://courier.example/feed.xml\nnot a url\n  https://post.example/atom  \n"
    )
    items = list(read_watchlist(path))
    assert items[0] == (3, "https://courier.example/feed.xml")
    assert items[2] == (5, "https://post.example/atom")
    assert isinstance(items[1], FormatError)
    assert str(items[1]) == f"{path}:4: not a URL: 'not a url' (one http(s) URL per line)"


@pytest.mark.parametrize(
    ("text", "seconds"), [("90s", 90), ("15m", 900), ("2h", 7200), ("45", 45), ("1.5m", 90)]
)
def test_every_parses_units(text: str, seconds: float) -> None:
    assert parse_every(text) == seconds


@pytest.mark.parametrize("text", ["", "0m", "15 minutes", "-5s", "m"])
def test_every_refuses_what_is_not_an_interval(text: str) -> None:
    with pytest.raises(ValueError, match="not an interval"):
        parse_every(text)


LOCAL = FetchPolicy(allow_private=True, delay=0, timeout=2, total_timeout=5)


def test_robots_disallow_is_an_error_naming_the_url(site: Site) -> None:
    site.routes["/robots.txt"] = page(b"User-agent: *\nDisallow: /private/\n", "text/plain")
    with Fetcher(LOCAL) as fetcher:
        robots = Robots(fetcher)
        robots.ensure_allowed(site.url("/news/a.html"))
        with pytest.raises(FetchError) as caught:
            robots.ensure_allowed(site.url("/private/b.html"))
        robots.ensure_allowed(site.url("/news/c.html"))
    assert str(caught.value) == f"{site.url('/private/b.html')}: disallowed by {site.base}/robots.txt"
    assert not caught.value.transient
    assert site.hits["/robots.txt"] == 1


def test_robots_crawl_delay_widens_the_pause_for_its_host(site: Site) -> None:
    site.routes["/robots.txt"] = page(b"User-agent: storyline\nCrawl-delay: 3\n", "text/plain")
    site.routes["/a.html"] = page(b"<p>a</p>")
    slept: list[float] = []
    with Fetcher(LOCAL, sleep=slept.append) as fetcher:
        Robots(fetcher).ensure_allowed(site.url("/a.html"))
        fetcher.get(site.url("/a.html"))
    assert len(slept) == 1 and 2.0 < slept[0] <= 3.0


def test_missing_robots_allows_everything(site: Site) -> None:
    with Fetcher(LOCAL) as fetcher:
        Robots(fetcher).ensure_allowed(site.url("/private/b.html"))
    assert site.hits["/robots.txt"] == 1


def test_unreachable_robots_disallows_for_now(site: Site) -> None:
    site.routes["/robots.txt"] = lambda h: respond(h, 503, b"busy")
    with Fetcher(LOCAL) as fetcher, pytest.raises(FetchError) as caught:
        Robots(fetcher).ensure_allowed(site.url("/news/a.html"))
    assert caught.value.reason == f"robots.txt of {site.base} cannot be read (HTTP 503); not fetched"
    assert caught.value.transient

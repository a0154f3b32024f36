"""RSS/Atom feeds and the list of URLs to watch: feedparser reads the feed, we keep what a poll needs.

A fetched body counts as a feed when feedparser recognises a feed version in it (content types are
too often wrong, e.g. RSS served as text/html or text/plain); anything else is treated as a page.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import feedparser

from storyline.errors import FormatError, InputError

__all__ = ["Entry", "parse_feed", "read_watchlist"]


@dataclass(frozen=True)
class Entry:
    """One feed item: a stable key (its id, else its link), the article link, title and day."""

    key: str
    link: str
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD


def parse_feed(body: bytes, url: str) -> list[Entry] | None:
    """The entries of a feed document, or None when `body` is not RSS/Atom (an HTML page, say)."""
    # A BytesIO, never the bytes themselves: feedparser treats a string argument as a URL or a file
    # name and would open it, so a body reading "/etc/passwd" must not reach it as a string.
    parsed = feedparser.parse(io.BytesIO(body), response_headers={"content-location": url})
    if not parsed.get("version"):
        return None
    entries = []
    for item in parsed.entries:
        link = item.get("link") or _first_alternate(item)
        if not link:
            continue  # an item with no article to fetch (a status note); nothing to read
        entries.append(
            Entry(
                key=str(item.get("id") or link),
                link=str(link),
                title=str(item.get("title") or "").strip() or None,
                published=_day(item.get("published_parsed") or item.get("updated_parsed")),
            )
        )
    return entries


def read_watchlist(path: Path) -> Iterator[tuple[int, str] | InputError]:
    """(line number, URL) for each URL line of a watch list; blank lines and `#` comments are skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        yield InputError(str(path), f"cannot read the watch list: {getattr(exc, 'strerror', None) or exc}")
        return
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if " " in text or "://" not in text:
            yield FormatError(str(path), f"not a URL: {text[:80]!r} (one http(s) URL per line)", number)
            continue
        yield number, text


def _first_alternate(item: feedparser.FeedParserDict) -> str | None:
    for link in item.get("links", []):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link["href"])
    return None


def _day(parsed: time.struct_time | None) -> str | None:
    return time.strftime("%Y-%m-%d", parsed) if parsed else None

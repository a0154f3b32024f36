"""`storyline watch`: poll feeds and pages, feed what is new through the pipeline, rebuild the briefing.

Each poll walks the watch list: a URL whose body is RSS/Atom is a feed (its unseen items are
fetched), anything else is a page (ingested when its bytes changed). Pages stream into
`pipeline.planned` as `RawDocument`s; failures stream with them as `FetchError`s naming the URL,
so they reach `inputs.failed` like any bad file. The state is saved only after the store has the
articles: a poll cut short fetches again rather than losing anything.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Generator, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from storyline import pipeline
from storyline.briefing import stream
from storyline.briefing.stream import Tally
from storyline.errors import FetchError, InputError
from storyline.fetch.client import Fetcher, FetchPolicy, Response
from storyline.fetch.feeds import Entry, parse_feed, read_watchlist
from storyline.fetch.robots import Robots
from storyline.fetch.state import UrlState, WatchState
from storyline.model import RawDocument
from storyline.settings import Settings

__all__ = ["PollResult", "poll", "parse_every", "Collector"]

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Served as a page but holding no markup to extract from; the cleaner takes them as plain text.
TEXT_TYPES = frozenset({"text/plain"})


@dataclass(frozen=True)
class PollResult:
    written: Tally  # what the briefing of everything in the store holds; `failed`: this poll's failures
    new_articles: int  # articles the store did not have before this poll
    fetched: int  # pages fetched and handed to the pipeline
    unchanged: int  # feeds and pages the server said (or the digest showed) had not changed


def poll(
    watchlist: Path,
    settings: Settings,
    policy: FetchPolicy,
    state: WatchState,
    targets: Mapping[str, Path],
    progress: pipeline.Progress | None = None,
) -> PollResult:
    """One pass over `watchlist`: fetch what is new, store it, and write the briefing of the whole
    store to `targets` (format name -> file), a story at a time."""
    with Fetcher(policy) as fetcher:
        collector = Collector(fetcher, state)
        # One briefing, of the whole store: the poll's own articles alone would be a second briefing
        # nobody reads. Its `inputs.failed` are this poll's failures.
        documents = collector.documents(watchlist)
        with pipeline.planned(documents, settings, progress, whole_store=True) as done:
            state.save()  # the store has the articles now: a write that fails fetches nothing twice
            written = stream.write_files(done.plan, targets)
    return PollResult(written, done.cleaned_new, collector.fetched, collector.unchanged)


class Collector:
    """Walks a watch list and yields what it fetched as documents (or errors), updating the state."""

    def __init__(self, fetcher: Fetcher, state: WatchState) -> None:
        self.fetcher = fetcher
        self.robots = Robots(fetcher)
        self.state = state
        self.fetched = 0
        self.unchanged = 0
        self._links: set[str] = set()  # article links fetched this poll (two feeds may share one)

    def documents(self, watchlist: Path) -> Iterator[RawDocument | InputError]:
        for item in read_watchlist(watchlist):
            if isinstance(item, InputError):
                yield item
            else:
                yield from self.visit(item[1])

    def visit(self, url: str) -> Iterator[RawDocument | InputError]:
        """The new documents behind one watch-list URL (a feed's new items, or a changed page)."""
        known = self.state.get(url)
        try:
            self.robots.ensure_allowed(url)
            response = self.fetcher.get(url, known.etag, known.last_modified)
        except FetchError as exc:
            yield exc
            return
        if response.not_modified:
            self.unchanged += 1
            return
        entries = parse_feed(response.body, response.url)
        if entries is None:
            yield from self._page(url, response, known)
            return
        retry = yield from self._items(entries, known)
        # Keep the feed's validators only when no item needs another try: a 304 next time would
        # otherwise hide the items that failed for now (a timeout, a 503).
        if not retry:
            _keep_validators(known, response)

    def _page(self, url: str, response: Response, known: UrlState) -> Iterator[RawDocument | InputError]:
        digest = hashlib.sha256(response.body).hexdigest()
        _keep_validators(known, response)
        if digest == known.digest:
            self.unchanged += 1
            return
        known.digest = digest
        yield self._document(url, response, None)

    def _items(
        self, entries: list[Entry], known: UrlState
    ) -> Generator[RawDocument | InputError, None, bool]:
        """Fetch the feed's unseen items; the return value says whether one failed for now."""
        retry = False
        for entry in entries:
            if entry.key in known.seen or entry.link in self._links:
                continue
            self._links.add(entry.link)
            try:
                self.robots.ensure_allowed(entry.link)
                response = self.fetcher.get(entry.link)
            except FetchError as exc:
                yield exc
                retry = retry or exc.transient
                if not exc.transient:
                    known.remember(entry.key)  # a 404 or a robots rule: asking again changes nothing
                continue
            known.remember(entry.key)
            yield self._document(entry.link, response, entry)
        return retry

    def _document(self, url: str, response: Response, entry: Entry | None) -> RawDocument | InputError:
        kind = response.content_type
        if kind not in HTML_TYPES | TEXT_TYPES:
            return FetchError(url, f"not an HTML page (Content-Type {kind or 'missing'}); skipped")
        self.fetched += 1
        meta = [("url", response.url)]
        if entry is not None:
            # What the feed says about its item wins over what the cleaner would guess from the page.
            meta += [(k, v) for k, v in (("title", entry.title), ("published", entry.published)) if v]
        mime = "text/html" if kind in HTML_TYPES else "text/plain"
        return RawDocument(source=response.url, data=response.body, mime=mime, meta=tuple(meta))


def _keep_validators(known: UrlState, response: Response) -> None:
    known.etag = response.headers.get("etag")
    known.last_modified = response.headers.get("last-modified")


_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*$")
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600}


def parse_every(text: str) -> float:
    """Seconds in an interval such as `90s`, `15m`, `2h` (a bare number is seconds)."""
    match = _EVERY.match(text.lower())
    if not match or float(match.group(1)) <= 0:
        raise ValueError(f"not an interval: {text!r}; write a number with s, m or h, e.g. 15m")
    return float(match.group(1)) * _UNIT[match.group(2)]

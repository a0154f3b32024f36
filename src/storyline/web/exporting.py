"""The whole briefing as a download, streamed from the catalog: JSON a row at a time, Markdown and
HTML a story at a time, each story rendered from its own slice.

The text is what `Briefing.iter_json` and the renderers give for the whole briefing (tests compare
them), written the way `briefing.stream` writes `storyline analyze`'s files. A plugin renderer reads
a whole `Briefing`, so for one (and for a briefing with articles in no story, which only a briefing
handed to the app can have) the briefing is put together from the catalog.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from storyline.briefing import render, render_html, render_md
from storyline.briefing.view import BriefingView, HeadRows, StoryView, story_view
from storyline.model import (
    BRIEFING_KEYS,
    Article,
    Briefing,
    Claim,
    Conflict,
    Entity,
    Event,
    JsonLayout,
    Quote,
    Signal,
    Stance,
    Story,
)
from storyline.web.snapshot import StoreSnapshot

__all__ = ["BUILT_IN", "whole", "written"]

BUILT_IN = {render.render_json: "json", render_md.render: "md", render_html.render: "html"}
# The briefing's tables as the catalog keeps them, in the contract's order.
TABLES: dict[str, tuple[type[Any], str]] = {
    "articles": (Article, "SELECT body FROM articles ORDER BY pos"),
    "entities": (Entity, "SELECT body FROM entities ORDER BY pos"),
    "quotes": (Quote, "SELECT body FROM quotes ORDER BY pos"),
    "stories": (Story, "SELECT body FROM stories ORDER BY pos"),
    "claims": (Claim, "SELECT body FROM claims ORDER BY pos"),
    "conflicts": (Conflict, "SELECT body FROM conflicts ORDER BY pos"),
    "stances": (Stance, "SELECT body FROM stances ORDER BY pos"),
    "events": (Event, "SELECT body FROM events ORDER BY pos"),
    "signals": (Signal, "SELECT body FROM signals ORDER BY pos"),
}
CHUNK = 1 << 16  # characters sent at once: a piece per row would be a write per row


def written(snap: StoreSnapshot, fmt: str) -> Iterator[str]:
    """The briefing in a built-in format (json, md, html), in pieces."""
    if fmt == "json":
        return _chunked(_json(snap))
    if snap.unassigned:
        return iter([render.get(fmt)(whole(snap))])
    return _chunked(_markdown(snap) if fmt == "md" else _html(snap))


def whole(snap: StoreSnapshot) -> Briefing:
    """The whole briefing, decoded from the catalog (only for what must read it whole)."""
    from dataclasses import replace

    tables: dict[str, Any] = {name: tuple(snap.decoded(cls, sql)) for name, (cls, sql) in TABLES.items()}
    return replace(snap.header, **tables)


def _json(snap: StoreSnapshot) -> Iterator[str]:
    layout = JsonLayout()
    yield "{"
    for n, name in enumerate(BRIEFING_KEYS):
        yield layout.key(n, name)
        if name not in TABLES:
            yield layout.value(getattr(snap.header, name))
            continue
        rows = snap.catalog.stream(TABLES[name][1])
        first = next(rows, None)
        if first is None:
            yield layout.value(())
            continue
        yield "["
        # A row of plain JSON is laid out as the model value it was made from (`to_dict` keeps it).
        yield layout.row(0, json.loads(first[0]))
        yield from (layout.row(i, json.loads(body)) for i, (body,) in enumerate(rows, 1))
        yield layout.table_end()
    yield layout.end()


class _Heads(HeadRows):
    """The list of stories a page opens with, read from the catalog as the page is written."""

    def __init__(self, snap: StoreSnapshot) -> None:
        self._catalog = snap.catalog
        row = self._catalog.one("SELECT count(*) FROM stories")
        self._count = int(row[0]) if row else 0

    def __len__(self) -> int:
        return self._count

    def _row(self, at: int) -> str:
        row = self._catalog.one("SELECT head FROM stories WHERE pos = ?", (at,))
        if row is None:
            raise IndexError(f"no story at {at} in the catalog")
        return str(row[0])

    def _rows(self) -> Iterator[str]:
        return (head for (head,) in self._catalog.stream("SELECT head FROM stories ORDER BY pos"))


def _stories(snap: StoreSnapshot) -> Iterator[tuple[BriefingView, StoryView]]:
    """Each story's view over its own slice, in order (not kept: the pages' slices stay as they are)."""
    for story in snap.decoded(Story, "SELECT body FROM stories ORDER BY pos"):
        view = BriefingView(snap.slice_briefing(story), colours=snap.colours)
        yield view, story_view(view, story)


def _markdown(snap: StoreSnapshot) -> Iterator[str]:
    heads = _Heads(snap)
    yield from (line + "\n" for line in render_md.head_lines(heads, snap.counts["articles"], snap.site_count))
    for view, shown in _stories(snap):
        yield from (line + "\n" for line in render_md.story_lines(view, shown))
    yield "\n".join(render_md.footer_lines(snap.header)).rstrip() + "\n"


def _html(snap: StoreSnapshot) -> Iterator[str]:
    heads = _Heads(snap)
    page = render_html.PageParts(snap.header, heads, snap.counts["articles"], snap.site_count)
    yield from page.head_pieces()
    for number, (view, shown) in enumerate(_stories(snap), 1):
        yield render_html.story_part(view, shown, number, len(heads))
    yield page.tail()


def _chunked(pieces: Iterable[str]) -> Iterator[str]:
    held: list[str] = []
    size = 0
    for piece in pieces:
        held.append(piece)
        size += len(piece)
        if size >= CHUNK:
            yield "".join(held)
            held, size = [], 0
    if held:
        yield "".join(held)

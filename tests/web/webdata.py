"""Test data for the web tests: a tiny briefing written here (no models needed), and store copies."""

from __future__ import annotations

import shutil
from pathlib import Path

from storyline.model import (
    Article,
    Briefing,
    Cite,
    Entity,
    Event,
    Passage,
    Quote,
    Story,
    TimelineEntry,
    Tool,
)

TOKEN = "test-token-3f9a"
EVIL = "<script>alert(1)</script>"

# A made-up article; offsets below are computed from it, never typed by hand.
TEXT = (
    "Bridge plan rejected\n"
    "Mayor Ana Ruiz said the river bridge would reopen in June.\n"
    "The council, led by Tom Hale, rejected the plan on 3 May 2024. "
    '"Ruiz is wrong about the bridge," Hale said.'
)


def span(text: str, words: str, article: str = "a1") -> Cite:
    start = text.index(words)
    return Cite(article, start, start + len(words))


def tiny_briefing(title: str = "Bridge plan rejected", text: str = TEXT) -> Briefing:
    """One story, one article, three entities, one quote, one event, a timeline of four entries."""
    a = Article(
        id="a1",
        source="tests/bridge.txt",
        text=text,
        title=title,
        site="Test Gazette",
        published="2024-05-04",
    )
    quote_words = "Ruiz is wrong about the bridge,"
    ruiz = span(text, "Ana Ruiz")
    ruiz_in_quote = span(text, "Ruiz is")
    ruiz_in_quote = Cite("a1", ruiz_in_quote.start, ruiz_in_quote.start + 4)
    entities = (
        Entity("ana-ruiz", "Ana Ruiz", "PERSON", ("Ruiz",), (), (ruiz, ruiz_in_quote), ("a1",)),
        Entity("tom-hale", "Tom Hale", "PERSON", ("Hale",), (), (span(text, "Tom Hale"),), ("a1",)),
        Entity("council", "council", "ORG", (), (), (span(text, "council"),), ("a1",)),
    )
    quote = Quote("q1", span(text, quote_words), quote_words, "direct", "tom-hale", "Hale", "said")
    event_cite = span(text, "The council, led by Tom Hale, rejected the plan on 3 May 2024.")
    event = Event("e1", "REJECT", event_cite, "council", "ana-ruiz", "2024-05-03")
    said = span(text, "Mayor Ana Ruiz said the river bridge would reopen in June.")
    timeline = (
        TimelineEntry("2023", "year", "last year", "Background.", said),
        TimelineEntry("2024-05-03", "day", "3 May 2024", "The council rejected the plan.", event_cite),
        TimelineEntry("2024-05-07", "day", "Tuesday", "A vote follows.", event_cite),
        TimelineEntry(None, "unresolved", "one day", "Undated.", said),
    )
    story = Story(
        "s1",
        title,
        ("a1",),
        summary=(Passage(text[said.start : said.end], (said,)),),
        timeline=timeline,
    )
    return Briefing(
        generated_at="2024-05-04T00:00:00Z",
        tool=Tool("storyline", "test"),
        articles=(a,),
        entities=entities,
        quotes=(quote,),
        stories=(story,),
        events=(event,),
    )


def copy_store(db: Path, folder: Path) -> Path:
    """A private copy of a store (with its WAL files, if SQLite left any) for a test that writes."""
    target = folder / db.name
    for suffix in ("", "-wal", "-shm"):
        source = db.with_name(db.name + suffix)
        if source.exists():
            shutil.copy(source, target.with_name(target.name + suffix))
    return target

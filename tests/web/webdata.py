"""Test data for the web tests: a tiny briefing written here (no models needed), and store copies."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from storyline.model import (
    Article,
    Briefing,
    Cite,
    Claim,
    Conflict,
    ConflictSide,
    Entity,
    Event,
    FaqItem,
    Passage,
    Quote,
    Signal,
    Stance,
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


# A second made-up article from another outlet, so that sources can agree, differ and stand alone.
TEXT2 = (
    "Council votes down bridge plan\n"
    "The council rejected the bridge plan on Friday, Tom Hale said.\n"
    "Hale said the bridge would stay shut until 2025. He could back a smaller plan, he added.\n"
    "Ruiz backs the repair fund, but only if the toll is dropped."
)


def compared_briefing(evil: str = "") -> Briefing:
    """`tiny_briefing` plus a second source, with claims, a conflict, stances, signals, takeaways, FAQ.

    `evil` is appended to every free-text field the comparison pages show (claim text, conflict
    summary, issue, signal name, evidence note, takeaway, question), for the escaping tests.
    """
    base = tiny_briefing()
    a2 = Article(
        id="a2",
        source="tests/harbour.txt",
        text=TEXT2,
        title="Council votes down bridge plan",
        site="Harbour Post",
        published="2024-05-05",
    )
    rejected_1 = span(TEXT, "The council, led by Tom Hale, rejected the plan on 3 May 2024.")
    rejected_2 = span(TEXT2, "The council rejected the bridge plan on Friday", "a2")
    june = span(TEXT, "the river bridge would reopen in June")
    ruiz_said = span(TEXT, "Mayor Ana Ruiz said the river bridge would reopen in June.")
    shut = span(TEXT2, "the bridge would stay shut until 2025", "a2")
    claims = (
        Claim("c-rejected", "s1", "The council rejected the plan" + evil, "assert", "council",
              (rejected_1, rejected_2), 2, False),
        Claim("c-june", "s1", "The bridge would reopen in June", "assert", "ana-ruiz", (june,), 1, True),
        Claim("c-shut", "s1", "The bridge would stay shut until 2025", "assert", "tom-hale", (shut,)),
    )  # fmt: skip
    conflict = Conflict(
        "cf-reopen",
        "s1",
        "date",
        "When the bridge reopens" + evil,
        (ConflictSide("claim", "c-june", (june,)), ConflictSide("claim", "c-shut", (shut,))),
    )
    plan = "bridge plan" + evil
    stances = (
        Stance("tom-hale", plan, "oppose", (span(TEXT, "Ruiz is wrong about the bridge,"),)),
        Stance("tom-hale", plan, "conditional", (span(TEXT2, "He could back a smaller plan", "a2"),)),
        Stance("ana-ruiz", plan, "support", (ruiz_said,)),
        Stance("ana-ruiz", "repair fund", "conditional",
               (span(TEXT2, "Ruiz backs the repair fund, but only if the toll is dropped.", "a2"),)),
    )  # fmt: skip
    signals = (
        Signal("a1", "quote_share" + evil, 0.25, (span(TEXT, "Ruiz is wrong about the bridge,"),)),
        Signal("a2", "quote_share" + evil, 0.0, ("no quotation marks" + evil,)),
        Signal("a2", "named_sources", 2, ()),
    )
    story = base.stories[0]
    story = replace(
        story,
        articles=("a1", "a2"),
        takeaways=(Passage("The council rejected the plan." + evil, (rejected_1, rejected_2)),),
        faq=(
            FaqItem("When does the bridge reopen?" + evil, (Passage(TEXT[june.start : june.end], (june,)),)),
        ),
    )
    hale = base.entities[1]
    entities = (base.entities[0], replace(hale, mentions=(*hale.mentions, span(TEXT2, "Tom Hale", "a2"))),
                *base.entities[2:])  # fmt: skip
    return replace(
        base,
        articles=(*base.articles, a2),
        entities=entities,
        stories=(story,),
        claims=claims,
        conflicts=(conflict,),
        stances=stances,
        signals=signals,
    )

"""Write a briefing's files a story at a time from a `build.Plan`, never holding the whole briefing.

Two passes over the store give every part: the articles in input order with their quotes and
events, then the stories with their claims, conflicts, stances and signals. Each story is rendered
from its own slice (its members, their quotes and events, its entities cut to its articles), and
each file's sections go to temporary files as they come, joined in order at the end: memory holds
one batch of stories, the store-wide stages' small results (the entities stay in their table on
disk, the pages' lists of stories in their spools) and small tallies, where the whole briefing of a
19,000-article store is ~230 MB of objects.
The text is what the in-memory renderers give for the same briefing (tests compare them).
"""

from __future__ import annotations

import functools
import json
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from storyline.briefing import render_html, render_md
from storyline.briefing.build import ArticleRow, Plan, StoryPart
from storyline.briefing.render import speaker_colours
from storyline.briefing.signal_spool import SignalSpool
from storyline.briefing.view import BriefingView, HeadRows, StoryHead, StoryView, site_name, story_view
from storyline.model import BRIEFING_KEYS, Briefing, InputFailure, JsonLayout
from storyline.scratch import scratch_sqlite
from storyline.story.entity_lookup import EntityCut

__all__ = ["FORMATS", "HeadSpool", "Tally", "write", "write_files"]

FORMATS = ("json", "md", "html")  # the built-in formats; a plugin renderer reads the whole briefing
Page = Callable[[], tuple[BriefingView, StoryView]]  # one story's view, made when a writer asks
_HEADS_READ = 1_000  # story heads read back from a page's spool at once


@dataclass
class Tally:
    """What was written, counted on the way (the CLI prints it)."""

    articles: int = 0
    failed: tuple[InputFailure, ...] = ()
    stories: int = 0
    people: int = 0
    entities: int = 0
    quotes: int = 0
    speakers: int = 0
    first_stories: list[tuple[str, int, int]] = field(default_factory=list)  # title, articles, dated

    @classmethod
    def of(cls, briefing: Briefing, first: int = 8) -> Tally:
        """The same counts, of a briefing held whole."""
        people = sum(1 for e in briefing.entities if e.type == "PERSON")
        return cls(
            articles=len(briefing.articles),
            failed=briefing.inputs.failed,
            stories=len(briefing.stories),
            people=people,
            entities=len(briefing.entities),
            quotes=len(briefing.quotes),
            speakers=len({q.speaker for q in briefing.quotes if q.speaker}),
            first_stories=[(s.title, len(s.articles), len(s.timeline)) for s in briefing.stories[:first]],
        )


def write_files(plan: Plan, targets: Mapping[str, Path]) -> Tally:
    """Every format of `targets` (name -> file): the built-in ones a story at a time, a plugin
    renderer's from the whole briefing (a renderer is `fn(briefing) -> str`)."""
    from storyline.briefing import render
    from storyline.briefing.build import assemble

    plugins = [name for name in targets if name not in FORMATS]
    if not plugins:
        return write(plan, targets)
    # A plugin reads the whole briefing anyway: the built-in formats are rendered from it too,
    # rather than working every story out a second time.
    briefing = assemble(plan)
    for name, target in targets.items():
        render.write(name, briefing, target)
    return Tally.of(briefing)


def write(plan: Plan, targets: Mapping[str, Path], *, first: int = 8) -> Tally:
    """Write each of `targets` (format name -> file) from `plan`; the formats are in `FORMATS`."""
    unknown = sorted(set(targets) - set(FORMATS))
    if unknown:
        raise ValueError(f"cannot stream format {', '.join(unknown)}; streamed: {', '.join(FORMATS)}")
    header = Briefing(generated_at=plan.generated_at, tool=plan.tool, inputs=plan.inputs)
    entities = plan.corpus.entities  # read back from its table an entity at a time when written
    tally = Tally(failed=plan.failures, entities=len(entities))
    tally.people = entities.count("PERSON")
    writers: list[_Writer] = []
    if "json" in targets:
        writers.append(_JsonWriter(targets["json"]))
    if "md" in targets:
        writers.append(_MarkdownWriter(targets["md"]))
    if "html" in targets:
        writers.append(_HtmlWriter(targets["html"]))
    signals = SignalSpool()
    try:
        listed = 0
        sites: set[str] = set()
        speakers: Counter[str] = Counter()
        for row in plan.rows():
            signals.article(row.article.id)
            listed += 1
            sites.add(site_name(row.article))
            speakers.update(q.speaker for q in row.quotes if q.speaker)
            tally.quotes += len(row.quotes)
            for w in writers:
                w.row(row)
        tally.articles, tally.speakers = listed, len(speakers)
        colours = speaker_colours(speakers.elements())
        del speakers
        slicer = _Slicer(plan, plan.scopes, colours)
        count = len(set(plan.corpus.labels))
        for number, part in enumerate(plan.stories(), 1):
            story = part.result.story
            if number <= first:
                tally.first_stories.append((story.title, len(story.articles), len(story.timeline)))
            signals.add(part.signals)
            # Made on first use, once: the JSON writer needs no view of the story.
            page = functools.cache(functools.partial(slicer.view, part))
            for w in writers:
                w.story(part, page, number, count)
        tally.stories = count
        for w in writers:
            w.finish(header, entities, signals, listed, len(sites))
    finally:
        for w in writers:
            w.close()
        signals.close()
    return tally


class _Slicer:
    """One story's own briefing, for the renderers: its members, their quotes and events, its
    claims, conflicts, stances and signals, and its entities cut to its articles (every count a
    story shows is within its articles; speaker colours stay those of the whole briefing)."""

    def __init__(self, plan: Plan, scopes: EntityCut, colours: dict[str, int]) -> None:
        self._plan, self._scopes, self._colours = plan, scopes, colours

    def view(self, part: StoryPart) -> tuple[BriefingView, StoryView]:
        result = part.result
        members = [r.article for r in part.rows]
        ids = [a.id for a in members]
        events = tuple(e for r in part.rows for e in r.events)
        quotes = tuple(q for r in part.rows for q in r.quotes)
        named = [q.speaker for q in quotes if q.speaker]
        named += [c.actor for c in result.claims if c.actor] + [s.actor for s in result.stances]
        named += [a for e in events for a in (e.source, e.target) if a]
        named += [s.ref for c in result.conflicts for s in c.sides if s.kind == "entity"]
        # A copy names its original, which may be in another story: the renderers show its title.
        originals = {a.duplicate_of for a in members if a.duplicate_of} - set(ids)
        sliced = Briefing(
            generated_at=self._plan.generated_at,
            tool=self._plan.tool,
            articles=(*members, *self._plan.members.read(sorted(originals))),
            entities=self._scopes.cut(ids, named),
            quotes=quotes,
            stories=(result.story,),
            claims=result.claims,
            conflicts=result.conflicts,
            stances=result.stances,
            events=events,
            signals=part.signals,
        )
        view = BriefingView(sliced, colours=self._colours)
        return view, story_view(view, result.story)


class _Writer(Protocol):
    def row(self, row: ArticleRow) -> None: ...

    def story(self, part: StoryPart, page: Page, number: int, count: int) -> None: ...

    def finish(
        self, header: Briefing, entities: Iterable[Any], signals: Iterable[Any], articles: int, sites: int
    ) -> None: ...

    def close(self) -> None: ...


class _Spool:
    """Text kept in a temporary file until what goes before it in the output is known."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - closed by close()
        self.count = 0

    def write(self, text: str) -> None:
        self._file.write(text)

    def copy_to(self, out: IO[str]) -> None:
        self._file.seek(0)
        shutil.copyfileobj(self._file, out)

    def close(self) -> None:
        self._file.close()


class _JsonWriter:
    """`briefing.json`: each table's rows spooled as they come, joined in the contract's key order."""

    def __init__(self, target: Path) -> None:
        self._target = target
        self._layout = JsonLayout()
        names = ("articles", "quotes", "events", "stories", "claims", "conflicts", "stances")
        self._tables = {name: _Spool() for name in names}

    def _add(self, name: str, items: Iterable[Any]) -> None:
        spool = self._tables[name]
        for item in items:
            spool.write(self._layout.row(spool.count, item))
            spool.count += 1

    def row(self, row: ArticleRow) -> None:
        self._add("articles", [row.article])
        self._add("quotes", row.quotes)
        self._add("events", row.events)

    def story(self, part: StoryPart, page: Page, number: int, count: int) -> None:
        self._add("stories", [part.result.story])
        self._add("claims", part.result.claims)
        self._add("conflicts", part.result.conflicts)
        self._add("stances", part.result.stances)

    def finish(
        self, header: Briefing, entities: Iterable[Any], signals: Iterable[Any], articles: int, sites: int
    ) -> None:
        layout = self._layout
        with self._target.open("w", encoding="utf-8") as out:
            out.write("{")
            for n, name in enumerate(BRIEFING_KEYS):
                out.write(layout.key(n, name))
                spool = self._tables.get(name)
                if spool is not None and spool.count:
                    out.write("[")
                    spool.copy_to(out)
                    out.write(layout.table_end())
                elif spool is None and name in ("entities", "signals"):
                    rows = entities if name == "entities" else signals
                    written = 0
                    for item in rows:  # one at a time: the entities' rows are ~25 MB
                        out.write(("[" if not written else "") + layout.row(written, item))
                        written += 1
                    out.write(layout.table_end() if written else layout.value(()))
                else:
                    out.write(layout.value(() if spool is not None else getattr(header, name)))
            out.write(layout.end())

    def close(self) -> None:
        for spool in self._tables.values():
            spool.close()


class HeadSpool(HeadRows):
    """The heads of a page's stories in a temporary SQLite file, in the order they came (held in
    memory until the page's head is written, they were about 300 bytes a story, for each page).
    The file goes on `close`, when the spool is let go, or at exit."""

    def __init__(self) -> None:
        self._conn, self.path, self._remove = scratch_sqlite(
            self, "storyline-heads-", "heads.sqlite", any_thread=True
        )
        self._conn.execute("CREATE TABLE head (seq INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        self._count = 0

    def append(self, head: StoryHead) -> None:
        self._conn.execute("INSERT INTO head VALUES (?, ?)", (self._count, json.dumps(head.row())))
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def _row(self, at: int) -> str:
        (body,) = self._conn.execute("SELECT body FROM head WHERE seq = ?", (at,)).fetchone()
        return str(body)

    def _rows(self) -> Iterator[str]:
        rows = self._conn.execute("SELECT body FROM head ORDER BY seq")
        while batch := rows.fetchmany(_HEADS_READ):
            yield from (body for (body,) in batch)

    def close(self) -> None:
        self._remove()


class _PageWriter:
    """A page: the stories spooled as they come, the head (counts, list of stories) written first."""

    def __init__(self, target: Path) -> None:
        self._target = target
        self._body = _Spool()
        self._heads = HeadSpool()

    def row(self, row: ArticleRow) -> None:
        pass

    def close(self) -> None:
        self._body.close()
        self._heads.close()


class _MarkdownWriter(_PageWriter):
    """`briefing.md`."""

    def story(self, part: StoryPart, page: Page, number: int, count: int) -> None:
        view, shown = page()
        self._heads.append(StoryHead.of(shown))
        for line in render_md.story_lines(view, shown):
            self._body.write(line + "\n")

    def finish(
        self, header: Briefing, entities: Iterable[Any], signals: Iterable[Any], articles: int, sites: int
    ) -> None:
        # Every article of a plan is in exactly one story, so there is no "Articles in no story" part.
        with self._target.open("w", encoding="utf-8") as out:
            out.writelines(line + "\n" for line in render_md.head_lines(self._heads, articles, sites))
            self._body.copy_to(out)
            out.write("\n".join(render_md.footer_lines(header)).rstrip() + "\n")


class _HtmlWriter(_PageWriter):
    """`briefing.html`: the page template's three parts, the story part once per story."""

    def __init__(self, target: Path, include_text: bool = True) -> None:
        super().__init__(target)
        self._include_text = include_text

    def story(self, part: StoryPart, page: Page, number: int, count: int) -> None:
        view, shown = page()
        self._heads.append(StoryHead.of(shown))
        self._body.write(render_html.story_part(view, shown, number, count, self._include_text))

    def finish(
        self, header: Briefing, entities: Iterable[Any], signals: Iterable[Any], articles: int, sites: int
    ) -> None:
        page = render_html.PageParts(header, self._heads, articles, sites, self._include_text)
        with self._target.open("w", encoding="utf-8") as out:
            out.writelines(page.head_pieces())
            self._body.copy_to(out)
            out.write(page.tail())

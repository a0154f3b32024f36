"""The story view: one reading of a `Briefing` that every renderer formats.

It decides which sections a story shows, numbers footnotes per section, groups quotes by speaker,
orders entities and words dates, so the Markdown and HTML renderers only format and say the same.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from storyline.briefing.render import (
    anchor_id,
    article_anchor,
    cite_anchor,
    format_date,
    format_number,
    speaker_colours,
)
from storyline.model import (
    Article,
    Briefing,
    Cite,
    ConflictSide,
    Event,
    Quote,
    Signal,
    Stance,
    Story,
    TimelineEntry,
)
from storyline.views import Computed

TYPE_ORDER = ("PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "OTHER")
TYPE_LABELS = {
    "PERSON": "People",
    "ORG": "Organisations",
    "GPE": "Countries and cities",
    "LOC": "Places",
    "NORP": "Nationalities and groups",
    "EVENT": "Events",
    "OTHER": "Other",
}
# Section keys are the anchors a story's `toc` names (`{story anchor}-{key}` on the page).
DEFAULT_TITLES = {
    "summary": "Summary",
    "takeaways": "Key takeaways",
    "faq": "FAQ",
    "entities": "People and organisations",
    "quotes": "Who said what",
    "timeline": "Timeline",
    "claims": "Where the sources agree, differ, stand alone",
    "stances": "Stances",
    "events": "Events",
    "sources": "Sources",
}


@dataclass(frozen=True)
class SourceRef:
    """Where a cite points: the article's site and title, the cited words, and its anchors."""

    site: str
    title: str
    words: str
    start: int
    end: int
    anchor: str
    article_anchor: str


@dataclass(frozen=True)
class Note:
    number: int
    ref: SourceRef
    verbatim: bool = False  # every line citing it is the cited words themselves: no need to repeat them


@dataclass(frozen=True)
class Cited:
    """A line of output text and the footnote numbers of its evidence."""

    text: str
    numbers: tuple[int, ...] = ()


class Notes:
    """Footnote numbering for one section: the same cite always gets the same number."""

    def __init__(self, view: BriefingView) -> None:
        self._view = view
        self._refs: dict[Cite, SourceRef] = {}  # in order of first citation: that order numbers them
        self._numbers: dict[Cite, int] = {}
        self._verbatim: dict[Cite, bool] = {}

    def cited(self, text: str, cites: Iterable[Cite]) -> Cited:
        numbers = []
        for cite in cites:
            if cite not in self._refs:
                self._refs[cite] = self._view.ref(cite)
                self._numbers[cite] = len(self._numbers) + 1
            same = " ".join(text.split()) == " ".join(self._refs[cite].words.split())
            self._verbatim[cite] = self._verbatim.get(cite, True) and same
            numbers.append(self._numbers[cite])
        return Cited(text, tuple(dict.fromkeys(numbers)))

    @property
    def items(self) -> list[Note]:
        return [Note(self._numbers[c], ref, self._verbatim[c]) for c, ref in self._refs.items()]


@dataclass(frozen=True)
class EntityRow:
    id: str
    name: str
    type: str
    mentions: int
    articles: int
    variants: tuple[str, ...]
    roles: tuple[tuple[str, tuple[SourceRef, ...]], ...]  # each role once, with every source giving it


@dataclass(frozen=True)
class QuoteRow:
    id: str
    text: str
    kind: str
    cue: str | None
    resolved_from: str | None  # the pronoun or title the speaker was resolved from
    ref: SourceRef
    also: tuple[SourceRef, ...] = ()  # other sources carrying the same words from the same speaker


@dataclass(frozen=True)
class QuoteGroup:
    speaker: str | None  # None: the unattributed group
    speaker_id: str | None
    role: str | None
    colour: int
    quotes: tuple[QuoteRow, ...]


@dataclass(frozen=True)
class TimelineRow:
    date: str
    text: str
    sources: tuple[SourceRef, ...]
    reported: str | None  # shown only when it differs from the event date


@dataclass(frozen=True)
class ClaimRow:
    actor: str | None
    polarity: str  # assert | deny
    sources: int
    text: Cited


@dataclass(frozen=True)
class ConflictRow:
    kind: str
    summary: str
    sides: tuple[tuple[str, tuple[SourceRef, ...]], ...]  # (what the side is, its cited words)


@dataclass(frozen=True)
class SignalRow:
    signal: str
    value: str
    evidence: tuple[SourceRef | str, ...]


@dataclass(frozen=True)
class EventRow:
    type: str
    source: str | None
    target: str | None
    date: str | None
    ref: SourceRef


@dataclass(frozen=True)
class StoryHead:
    """What the list of stories shows of one: a page written a story at a time spools these."""

    anchor: str
    title: str
    articles: tuple[str, ...]
    sites: int
    date_range: str | None

    @classmethod
    def of(cls, story: StoryView) -> StoryHead:
        ids = tuple(a.id for a in story.articles)
        return cls(story.anchor, story.title, ids, story.sites, story.date_range)

    def row(self) -> list[Any]:
        """The head as a JSON array (what the workbench's catalog and a page's spool keep)."""
        return [self.anchor, self.title, list(self.articles), self.sites, self.date_range]

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> StoryHead:
        anchor, title, ids, sites, date_range = row
        return cls(anchor, title, tuple(ids), sites, date_range)


class HeadRows(Computed[StoryHead]):
    """Story heads kept as JSON rows elsewhere (a page's spool, the workbench's catalog), read as
    a list: a page lists every story before the first one, and held whole the heads grow with
    the store. A subclass gives the count (`__len__`), one row by its place, and every row in
    order (read in batches, not one query a story)."""

    def _row(self, at: int) -> str:
        raise NotImplementedError

    def _rows(self) -> Iterator[str]:
        raise NotImplementedError

    def _item(self, i: int) -> StoryHead:
        return StoryHead.from_row(json.loads(self._row(i)))

    def __iter__(self) -> Iterator[StoryHead]:
        return (StoryHead.from_row(json.loads(row)) for row in self._rows())


@dataclass
class StoryView:
    """Everything one story shows, already grouped, ordered and numbered."""

    id: str
    anchor: str
    title: str
    articles: list[Article]
    sites: int
    date_range: str | None
    summary: list[Cited] = field(default_factory=list)
    summary_notes: list[Note] = field(default_factory=list)
    takeaways: list[Cited] = field(default_factory=list)
    takeaway_notes: list[Note] = field(default_factory=list)
    faq: list[tuple[str, list[Cited]]] = field(default_factory=list)
    faq_notes: list[Note] = field(default_factory=list)
    entities: list[EntityRow] = field(default_factory=list)
    quote_groups: list[QuoteGroup] = field(default_factory=list)
    timeline: list[TimelineRow] = field(default_factory=list)
    agree: list[ClaimRow] = field(default_factory=list)
    differ: list[ConflictRow] = field(default_factory=list)
    alone: list[ClaimRow] = field(default_factory=list)
    claim_notes: list[Note] = field(default_factory=list)
    stance_issues: list[str] = field(default_factory=list)
    stance_rows: list[tuple[str, list[Cited | None]]] = field(default_factory=list)
    stance_notes: list[Note] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)  # section titles the story's own toc gives

    def heading(self, key: str) -> str:
        return self.titles.get(key) or DEFAULT_TITLES[key]

    def entity_groups(self) -> list[tuple[str, list[EntityRow]]]:
        """The entities split by type, keeping their order (PERSON first)."""
        return [(t, list(rows)) for t, rows in itertools.groupby(self.entities, key=lambda r: r.type)]

    def sections(self) -> list[tuple[str, str]]:
        """(anchor, title) of the sections that have something to show, in page order."""
        filled = {
            "summary": self.summary,
            "takeaways": self.takeaways,
            "faq": self.faq,
            "entities": self.entities,
            "quotes": self.quote_groups,
            "timeline": self.timeline,
            "claims": self.agree or self.differ or self.alone,
            "stances": self.stance_rows,
            "events": self.events,
            "sources": self.articles,
        }
        return [(anchor_id(self.anchor, key), self.heading(key)) for key in DEFAULT_TITLES if filled[key]]


class BriefingView:
    """Look-ups by id (built once; the model's own look-ups scan) and the story views."""

    def __init__(self, briefing: Briefing, colours: dict[str, int] | None = None) -> None:
        """`colours`: speakers' palette slots worked out over a larger briefing than this one (a
        story written alone keeps the colours it has in the whole briefing)."""
        self.briefing = briefing
        self.articles = {a.id: a for a in briefing.articles}
        self.entities = {e.id: e for e in briefing.entities}
        self.claims = {c.id: c for c in briefing.claims}
        self.quotes = {q.id: q for q in briefing.quotes}
        self.colours = (
            colours
            if colours is not None
            else speaker_colours(q.speaker for q in briefing.quotes if q.speaker)
        )
        self._signals: dict[str, list[Signal]] = {}
        for signal in briefing.signals:
            self._signals.setdefault(signal.article, []).append(signal)

    @functools.cached_property
    def index(self) -> ArticleIndex:
        """Per-article look-ups, built on first use: a story's view then reads its own articles'
        entities, quotes, stances and events instead of scanning the whole store's lists."""
        return ArticleIndex.of(self.briefing)

    def colour(self, speaker_id: str | None) -> int:
        """The speaker's palette slot; -1 for no speaker."""
        return self.colours.get(speaker_id, -1) if speaker_id else -1

    def words(self, cite: Cite) -> str:
        article = self.articles.get(cite.article)
        return article.text[cite.start : cite.end] if article else ""

    def ref(self, cite: Cite) -> SourceRef:
        article = self.articles.get(cite.article)
        return SourceRef(
            site=site_name(article) if article else "unknown source",
            title=(article.title if article else None) or "untitled",
            words=self.words(cite),
            start=cite.start,
            end=cite.end,
            anchor=cite_anchor(cite),
            article_anchor=article_anchor(cite.article),
        )

    def entity_name(self, entity_id: str | None) -> str | None:
        entity = self.entities.get(entity_id) if entity_id else None
        return entity.name if entity else entity_id

    def site_count(self) -> int:
        return len({site_name(a) for a in self.briefing.articles})

    def unassigned_articles(self) -> list[Article]:
        """Articles that no story lists, in briefing order."""
        in_story = {a for s in self.briefing.stories for a in s.articles}
        return [a for a in self.briefing.articles if a.id not in in_story]

    def signals(self, article_id: str) -> list[SignalRow]:
        return [signal_row(self, s) for s in self._signals.get(article_id, ())]

    def stories(self) -> list[StoryView]:
        return [story_view(self, story) for story in self.briefing.stories]


@dataclass
class ArticleIndex:
    """Positions of a briefing's items in its lists, by the article (or story) they belong to.

    Items come back in the briefing's own order, so a story's view is the same as a scan of the
    lists would give; on an 18,700-article store the scans made each story page cost ~100 ms.
    """

    entities: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    mention_counts: dict[str, Counter[str]] = field(default_factory=dict)  # entity -> article -> n
    entity_articles: dict[str, frozenset[str]] = field(default_factory=dict)
    quotes: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    stances: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    events: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    claims: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))  # by story
    conflicts: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))  # by story
    # By entity: the quotes it speaks, the events it takes part in, its claims and stances.
    speaker_quotes: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    actor_events: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    actor_claims: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    actor_stances: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, briefing: Briefing) -> ArticleIndex:
        index = cls()
        for n, e in enumerate(briefing.entities):
            counts = Counter(m.article for m in e.mentions)
            index.mention_counts[e.id] = counts
            index.entity_articles[e.id] = frozenset(e.articles) | frozenset(counts)
            for article in index.entity_articles[e.id]:
                index.entities[article].append(n)
        for n, q in enumerate(briefing.quotes):
            index.quotes[q.cite.article].append(n)
            if q.speaker:
                index.speaker_quotes[q.speaker].append(n)
        for n, s in enumerate(briefing.stances):
            index.actor_stances[s.actor].append(n)
            for article in dict.fromkeys(c.article for c in s.cites):
                index.stances[article].append(n)
        for n, ev in enumerate(briefing.events):
            index.events[ev.cite.article].append(n)
            for actor in dict.fromkeys(a for a in (ev.source, ev.target) if a):
                index.actor_events[actor].append(n)
        for n, c in enumerate(briefing.claims):
            index.claims[c.story].append(n)
            if c.actor:
                index.actor_claims[c.actor].append(n)
        for n, conflict in enumerate(briefing.conflicts):
            index.conflicts[conflict.story].append(n)
        return index

    @staticmethod
    def positions(table: dict[str, list[int]], ids: Iterable[str]) -> list[int]:
        """The positions `table` files under any of `ids`, each once, in list order."""
        return sorted({n for key in ids for n in table.get(key, ())})


def _count_in(counts: Counter[str] | frozenset[str], ids: set[str]) -> int:
    """How many of `counts` (n per article, or a set of articles) fall in `ids`, from the smaller side."""
    if isinstance(counts, Counter):
        if len(counts) <= len(ids):
            return sum(n for article, n in counts.items() if article in ids)
        return sum(counts.get(article, 0) for article in ids)
    return len(counts & ids) if len(counts) <= len(ids) else sum(1 for a in ids if a in counts)


def site_name(article: Article) -> str:
    return article.site or article.source.rsplit("/", 1)[-1] or article.id


def date_range(articles: Iterable[Article]) -> str | None:
    days = sorted(a.published for a in articles if a.published)
    if not days:
        return None
    first, last = format_date(days[0]), format_date(days[-1])
    return first if first == last else f"{first} – {last}"


def story_view(view: BriefingView, story: Story) -> StoryView:
    """Group and number everything one story shows; each section numbers its own footnotes."""
    articles = [view.articles[a] for a in story.articles if a in view.articles]
    ids = {a.id for a in articles}
    out = StoryView(
        id=story.id,
        anchor=anchor_id("story", story.id),
        title=story.title,
        articles=articles,
        sites=len({site_name(a) for a in articles}),
        date_range=date_range(articles),
        titles={entry.anchor: entry.title for entry in story.toc},
    )
    notes = Notes(view)
    out.summary = [notes.cited(p.text, p.cites) for p in story.summary]
    out.summary_notes = notes.items
    notes = Notes(view)
    out.takeaways = [notes.cited(p.text, p.cites) for p in story.takeaways]
    out.takeaway_notes = notes.items
    notes = Notes(view)
    out.faq = [(item.question, [notes.cited(p.text, p.cites) for p in item.answer]) for item in story.faq]
    out.faq_notes = notes.items
    out.entities = entity_rows(view, ids)
    out.quote_groups = quote_groups(view, ids)
    out.timeline = [timeline_row(view, entry) for entry in story.timeline]
    compare_sources(view, story.id, out)
    stance_table(view, ids, out)
    out.events = [
        event_row(view, view.briefing.events[n]) for n in view.index.positions(view.index.events, ids)
    ]
    return out


def entity_rows(view: BriefingView, ids: set[str]) -> list[EntityRow]:
    """The story's entities: PERSON first, then ORG, GPE…; within a type, most mentioned first."""
    rows = []
    index = view.index
    for position in index.positions(index.entities, ids):
        e = view.briefing.entities[position]
        mentions = _count_in(index.mention_counts[e.id], ids)
        articles = _count_in(index.entity_articles[e.id], ids)
        if not articles:
            continue
        by_role: dict[str, list[SourceRef]] = {}
        seen: set[tuple[str, str]] = set()
        for r in e.roles:
            if r.cite.article in ids and (r.role, r.cite.article) not in seen:  # each source once per role
                seen.add((r.role, r.cite.article))
                by_role.setdefault(r.role, []).append(view.ref(r.cite))
        roles = tuple(
            (role, tuple(refs)) for role, refs in sorted(by_role.items(), key=lambda item: -len(item[1]))
        )
        variants = tuple(dict.fromkeys(v for v in e.variants if v != e.name))
        rows.append(EntityRow(e.id, e.name, e.type, mentions, articles, variants, roles))
    rank = {t: i for i, t in enumerate(TYPE_ORDER)}
    rows.sort(key=lambda r: (rank.get(r.type, len(rank)), -r.mentions, -r.articles, r.name.casefold()))
    return rows


def quote_groups(view: BriefingView, ids: set[str]) -> list[QuoteGroup]:
    """Quotes by speaker (most quoted first); quotes with no speaker form a last group."""
    groups: dict[str | None, list[Quote]] = {}
    for position in view.index.positions(view.index.quotes, ids):
        q = view.briefing.quotes[position]
        groups.setdefault(q.speaker or None, []).append(q)
    out = []
    for speaker, quotes in groups.items():
        if speaker is None:
            continue
        entity = view.entities.get(speaker)
        # A speaker id the entities table lacks still gets a name: the words at the cue.
        name = entity.name if entity else next((q.speaker_text for q in quotes if q.speaker_text), speaker)
        roles = Counter(r.role for r in entity.roles if r.cite.article in ids) if entity else Counter()
        role = roles.most_common(1)[0][0] if roles else None
        rows = merge_repeats([quote_row(view, q) for q in quotes])
        out.append(QuoteGroup(name, speaker, role, view.colour(speaker), rows))
    out.sort(key=lambda g: (-len(g.quotes), (g.speaker or "").casefold()))
    if None in groups:
        out.append(QuoteGroup(None, None, None, -1, tuple(quote_row(view, q) for q in groups[None])))
    return out


def merge_repeats(rows: list[QuoteRow]) -> tuple[QuoteRow, ...]:
    """One row per wording: the same words from the same speaker in several articles (a wire copy,
    a quote picked up by other outlets) are shown once, with every source that carries them."""
    merged: dict[tuple[str, str], QuoteRow] = {}
    for row in rows:
        key = (row.kind, " ".join(row.text.casefold().split()))
        if key in merged:
            first = merged[key]
            merged[key] = replace(first, also=(*first.also, row.ref))
        else:
            merged[key] = row
    return tuple(merged.values())


def quote_row(view: BriefingView, q: Quote) -> QuoteRow:
    resolved = q.speaker_text if q.resolved_by in ("pronoun", "title") and q.speaker_text else None
    return QuoteRow(q.id, q.text, q.kind, q.cue, resolved, view.ref(q.cite))


def timeline_row(view: BriefingView, entry: TimelineEntry) -> TimelineRow:
    cites = (entry.cite, *(c for c in entry.cites if c != entry.cite))
    reported = entry.reported if entry.reported and entry.reported != entry.date else None
    return TimelineRow(
        date=format_date(entry.date, entry.precision, entry.expression),
        text=entry.text,
        sources=tuple(view.ref(c) for c in cites),
        reported=format_date(reported) if reported else None,
    )


def compare_sources(view: BriefingView, story_id: str, out: StoryView) -> None:
    """Claims two or more sources make, conflicts with each side's words, single-source claims."""
    notes = Notes(view)
    for claim in (view.briefing.claims[n] for n in view.index.claims.get(story_id, ())):
        row = ClaimRow(
            view.entity_name(claim.actor),
            claim.polarity,
            claim.sources,
            notes.cited(claim.text, claim.mentions),
        )
        (out.agree if claim.sources >= 2 else out.alone).append(row)
    out.claim_notes = notes.items
    for conflict in (view.briefing.conflicts[n] for n in view.index.conflicts.get(story_id, ())):
        sides = tuple((side_label(view, s), tuple(view.ref(c) for c in s.cites)) for s in conflict.sides)
        out.differ.append(ConflictRow(conflict.kind, conflict.summary, sides))


def side_label(view: BriefingView, side: ConflictSide) -> str:
    if side.kind == "claim" and side.ref in view.claims:
        return view.entity_name(view.claims[side.ref].actor) or "claim"
    if side.kind == "quote" and side.ref in view.quotes:
        quote = view.quotes[side.ref]
        return view.entity_name(quote.speaker) or quote.speaker_text or "unattributed quote"
    return view.entity_name(side.ref) or side.kind


def stance_table(view: BriefingView, ids: set[str], out: StoryView) -> None:
    """An actor × issue grid; a stance belongs to the story when one of its cites does."""
    stances = [view.briefing.stances[n] for n in view.index.positions(view.index.stances, ids)]
    notes = Notes(view)
    issues = matrix_issues(stances)
    stances = [s for s in stances if s.issue in issues]
    cells: dict[str, list[Cited | None]] = {}
    for s in stances:
        row = cells.setdefault(view.entity_name(s.actor) or s.actor, [None] * len(issues))
        cell, new = row[issues.index(s.issue)], notes.cited(s.stance, s.cites)
        # Two stances of one actor on one issue (from different articles) are both shown.
        row[issues.index(s.issue)] = (
            Cited(f"{cell.text} / {new.text}", cell.numbers + new.numbers) if cell else new
        )
    out.stance_issues, out.stance_rows, out.stance_notes = issues, list(cells.items()), notes.items


def matrix_issues(stances: Sequence[Stance], most: int = 8) -> list[str]:
    """The issues worth a column: held by several actors or cited several times, busiest first.

    A matrix with one column per passing phrase is unreadable; positions on the other issues stay
    in the claims list ("what only one source says").
    """
    actors: dict[str, set[str]] = {}
    cites: Counter[str] = Counter()
    for s in stances:
        actors.setdefault(s.issue, set()).add(s.actor)
        cites[s.issue] += len(s.cites)
    ranked = sorted(actors, key=lambda i: (-len(actors[i]), -cites[i], i))
    busy = [i for i in ranked if len(actors[i]) >= 2 or cites[i] >= 2]
    return (busy or ranked)[:most]


def event_row(view: BriefingView, event: Event) -> EventRow:
    return EventRow(
        event.type,
        view.entity_name(event.source),
        view.entity_name(event.target),
        format_date(event.date) if event.date else None,
        view.ref(event.cite),
    )


def signal_row(view: BriefingView, signal: Signal) -> SignalRow:
    evidence = tuple(view.ref(e) if isinstance(e, Cite) else str(e) for e in signal.evidence)
    return SignalRow(signal.signal, format_number(signal.value), evidence)

"""Assemble the `Briefing` from stored articles and annotations: the story-level stages run here.

Order: the stages over every article at once (`corpus`: near-duplicates, stories, canonical
entities, actor groups), quotes with their speakers and events per article, then story by story the
timeline, summary, claims, conflicts, stances and signals. `prepare` runs the first part and returns
a `Plan` that gives the rest a batch at a time, in two passes: `rows` (articles in input order with
their quotes and events) and `stories` (each story with its members and signals). `build` keeps
both in one `Briefing`; `briefing.stream` writes them to files and never holds the whole of it.
With a cache (the store), the results are kept per story, each under a key over everything it reads.
"""

from __future__ import annotations

import functools
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from itertools import islice
from typing import Protocol

from storyline._version import __version__
from storyline.briefing import corpus as corpus_stage
from storyline.briefing.corpus import (
    CORPUS_KEY,
    LEAD_KEY,
    AnnotationSource,
    Corpus,
    HeldAnnotations,
    ids_of,
    stage_versions,
)
from storyline.briefing.entity_view import EntityViews
from storyline.briefing.stories import Index, StoryCache, StoryResult, story_key, work_out
from storyline.model import (
    Annotation,
    Article,
    Attribution,
    Briefing,
    Cite,
    Event,
    InputFailure,
    Inputs,
    Quote,
    Signal,
    Spans,
    Tool,
)
from storyline.settings import Settings
from storyline.story import signals
from storyline.story.entity_lookup import EntityLookup

__all__ = [
    "CORPUS_KEY",
    "LEAD_KEY",
    "AnnotationSource",
    "ArticleRow",
    "ArticleSource",
    "Plan",
    "StoryPart",
    "assemble",
    "build",
    "prepare",
    "stage_versions",
]

_READ_BATCH = 500  # stories (their cached results, members and annotations) read from the store at once
# ... and at most about this many member articles: stories grow with the store (1.9 articles each
# in the first 4,000 Reuters stories, 2.7 in 18,675), and a batch's decoded annotations, rows and
# entity views grow with its articles, not its stories (memray, warm run of 18,675 articles: ~75 MB).
_READ_ARTICLES = 1_000
_ROW_BATCH = 500  # articles whose entities' cites `rows` reads at once


class ArticleSource(Protocol):
    """Where the plan reads a story's members from: the store, or the articles in memory."""

    def read(self, article_ids: Sequence[str]) -> Iterator[Article]:
        """The articles with these ids, in that order."""
        ...


class _HeldArticles:
    def __init__(self, articles: Sequence[Article]) -> None:
        self._by_id = {a.id: a for a in articles}

    def read(self, article_ids: Sequence[str]) -> Iterator[Article]:
        return (self._by_id[i] for i in article_ids)


@dataclass(frozen=True)
class ArticleRow:
    """An article as the briefing lists it (sentences and copy marked), with its quotes and events."""

    article: Article
    quotes: tuple[Quote, ...]
    events: tuple[Event, ...]


@dataclass(frozen=True)
class StoryPart:
    """One story as the briefing lists it, with its members' rows and the signals of its members."""

    result: StoryResult
    rows: tuple[ArticleRow, ...]
    signals: tuple[Signal, ...]


@dataclass(frozen=True)
class Plan:
    """What the store-wide stages found, and the briefing worked out from it a batch at a time."""

    articles: Sequence[Article]
    members: ArticleSource
    source: AnnotationSource
    corpus: Corpus
    failures: tuple[InputFailure, ...]
    settings: Settings
    cache: StoryCache | None
    generated_at: str

    @property
    def tool(self) -> Tool:
        return Tool(name="storyline", version=__version__, stages=stage_versions())

    @property
    def inputs(self) -> Inputs:
        return Inputs(ok=len(self.articles), failed=self.failures)

    @functools.cached_property
    def scopes(self) -> EntityViews:
        """The run's entities read a batch of articles at a time (`stories` reads its batches
        through it, and a writer cuts a story's entities out of the batch the story came in)."""
        return EntityViews(self.corpus.entities)

    def close(self) -> None:
        """Remove the run's entity table (the plan cannot be read after)."""
        self.corpus.close()

    def rows(self) -> Iterator[ArticleRow]:
        """Every article in input order, with its quotes and events."""
        ids = ids_of(self.articles)
        articles, annotations = iter(self.articles), self.source.read(ids)
        for start in range(0, len(ids), _ROW_BATCH):
            batch = ids[start : start + _ROW_BATCH]
            found = self.scopes.view(batch)
            yield from self._rows(islice(articles, len(batch)), islice(annotations, len(batch)), found)

    def stories(self, held: Mapping[str, ArticleRow] | None = None) -> Iterator[StoryPart]:
        """Every story in label order, from the cache where its inputs did not change. Rows come
        from `held` when given (the caller has them all), else are read again per batch of stories."""
        groups = _member_ids(ids_of(self.articles), self.corpus.labels)
        table = self.corpus.entities
        versions = stage_versions()
        for batch in _story_batches(groups, _READ_BATCH, _READ_ARTICLES):
            wanted = [i for ids in batch for i in ids]
            found = self.scopes.view(wanted)
            if held is None:
                annotations = dict(zip(wanted, self.source.read(wanted), strict=True))
                read: Mapping[str, ArticleRow] = {
                    r.article.id: r
                    for r in self._rows(self.members.read(wanted), annotations.values(), found)
                }
            else:
                annotations, read = {}, held
            rows = [tuple(read[i] for i in ids) for ids in batch]
            index = Index(found, self.corpus.groups_of, table.capitals)
            results = self._results(rows, annotations, index, versions)
            scoped = [
                found.scope([r.article for r in members], [q for r in members for q in r.quotes])
                for members in rows
            ]
            story_signals = signals.of_scopes(scoped, table.names, self.cache)
            for result, members, signals_of in zip(results, rows, story_signals, strict=True):
                yield StoryPart(result, members, tuple(signals_of))

    def _rows(
        self,
        articles: Iterator[Article] | Sequence[Article],
        annotations: Iterable[Annotation | None],
        found: EntityLookup,
    ) -> Iterator[ArticleRow]:
        duplicates = self.corpus.duplicates
        for article, ann in zip(articles, annotations, strict=True):
            article = _with_sentences(article, ann, duplicates.get(article.id))
            if ann is None:
                yield ArticleRow(article, (), ())
                continue
            quotes = tuple(_quote(article, attr, found) for attr in ann.attributions)
            yield ArticleRow(article, quotes, tuple(_events(article, ann, found)))

    def _results(
        self,
        rows: Sequence[Sequence[ArticleRow]],
        annotations: Mapping[str, Annotation | None],
        index: Index,
        versions: tuple[str, ...],
    ) -> list[StoryResult]:
        """The results of a batch of stories: read back where cached, worked out where not."""
        members = [[r.article for r in story] for story in rows]
        keys = [story_key(m, index, self.settings, versions) for m in members]
        cached = self.cache.story_results(keys) if self.cache is not None else {}
        results, fresh = [], []
        for key, story, story_rows in zip(keys, members, rows, strict=True):
            if key in cached:
                results.append(StoryResult.from_json(cached.pop(key)))
                continue
            ids = [a.id for a in story]
            read = (
                annotations
                if all(i in annotations for i in ids)
                else dict(zip(ids, self.source.read(ids), strict=True))
            )
            held = {i: ann for i in ids if (ann := read[i]) is not None}
            quotes = {r.article.id: list(r.quotes) for r in story_rows}
            result = work_out(story, held, replace(index, quotes=quotes), self.settings)
            results.append(result)
            fresh.append((key, result.to_json()))
        if self.cache is not None and fresh:
            self.cache.put_story_results(fresh)
        return results


def prepare(
    articles: Sequence[Article],
    annotations: Mapping[str, Annotation] | AnnotationSource,
    failures: Sequence[InputFailure],
    settings: Settings,
    cache: StoryCache | None = None,
    members: ArticleSource | None = None,
) -> Plan:
    """Run the stages over every article at once and plan the rest (`members`: where a story's
    articles are read from; by default `articles` itself, looked up by id)."""
    source = HeldAnnotations(annotations) if isinstance(annotations, Mapping) else annotations
    found = corpus_stage.find(articles, source, settings, cache)
    return Plan(
        articles=articles,
        members=members if members is not None else _HeldArticles(articles),
        source=source,
        corpus=found,
        failures=tuple(failures),
        settings=settings,
        cache=cache,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )


def build(
    articles: Sequence[Article],
    annotations: Mapping[str, Annotation] | AnnotationSource,
    failures: Sequence[InputFailure],
    settings: Settings,
    cache: StoryCache | None = None,
) -> Briefing:
    """The briefing of `articles`, whole; with a `cache`, stories whose inputs did not change are reused.

    Annotations are read a batch at a time in a few passes (the store-wide stages' key, their
    inputs when they must run, then quotes and events), and again per story for the stories that
    must be worked out: a store of 19,000 articles never has all its annotations in memory at once.
    """
    plan = prepare(articles, annotations, failures, settings, cache)
    try:
        return assemble(plan)
    finally:
        plan.close()


def assemble(plan: Plan) -> Briefing:
    """The whole briefing a plan gives, in memory (`briefing.stream` writes it without holding it)."""
    rows = list(plan.rows())
    parts = list(plan.stories({r.article.id: r for r in rows}))
    by_article: dict[str, list[Signal]] = defaultdict(list)
    for part in parts:
        for signal in part.signals:
            by_article[signal.article].append(signal)
    results = [p.result for p in parts]
    return Briefing(
        generated_at=plan.generated_at,
        tool=plan.tool,
        inputs=plan.inputs,
        articles=tuple(r.article for r in rows),
        entities=plan.corpus.entities.all(),
        quotes=tuple(q for r in rows for q in r.quotes),
        stories=tuple(r.story for r in results),
        claims=tuple(c for r in results for c in r.claims),
        conflicts=tuple(c for r in results for c in r.conflicts),
        stances=tuple(s for r in results for s in r.stances),
        events=tuple(e for r in rows for e in r.events),
        # Signals read other sources' titles, spellings and quoted names; they are cached per story
        # like the story results, and listed article by article.
        signals=tuple(s for r in rows for s in by_article.pop(r.article.id, ())),
    )


def _story_batches(groups: Sequence[list[str]], stories: int, articles: int) -> Iterator[Sequence[list[str]]]:
    """`groups` (each story's article ids) in order, cut into batches of at most `stories` stories
    and, unless one story alone is larger, at most `articles` articles."""
    start, size = 0, 0
    for end, ids in enumerate(groups):
        if end > start and (end - start >= stories or size + len(ids) > articles):
            yield groups[start:end]
            start, size = end, 0
        size += len(ids)
    if start < len(groups):
        yield groups[start:]


def _member_ids(ids: Sequence[str], labels: Sequence[int]) -> list[list[str]]:
    """The article ids of each story, stories in label order, articles in input order."""
    groups: dict[int, list[str]] = defaultdict(list)
    for article, label in zip(ids, labels, strict=True):
        groups[label].append(article)
    return [groups[label] for label in sorted(groups)]


def _with_sentences(article: Article, ann: Annotation | None, duplicate_of: str | None) -> Article:
    return replace(article, sentences=Spans(ann.sentences if ann else ()), duplicate_of=duplicate_of)


def _quote(article: Article, attr: Attribution, found: EntityLookup) -> Quote:
    speaker = None
    if attr.speaker_start is not None and attr.speaker_end is not None:
        speaker = found.entity_at(article.id, attr.speaker_start, attr.speaker_end)
        if speaker is None:
            # NER missed the name at this spot (a bare surname, say); match it against known names.
            speaker = found.find_by_name(article.text[attr.speaker_start : attr.speaker_end], article.id)
    cue_cite = None
    if attr.cue_start is not None and attr.cue_end is not None:
        cue_cite = Cite(article.id, attr.cue_start, attr.cue_end)
    digest = hashlib.sha1(f"{article.id}:{attr.start}:{attr.end}".encode()).hexdigest()[:12]
    return Quote(
        id=f"q-{digest}",
        cite=Cite(article.id, attr.start, attr.end),
        text=article.text[attr.start : attr.end],
        kind=attr.kind,
        speaker=speaker,
        speaker_text=attr.speaker_text,
        cue=attr.cue,
        cue_cite=cue_cite,
        resolved_by=attr.resolved_by if speaker else "none",
    )


def _events(article: Article, ann: Annotation, found: EntityLookup) -> Iterator[Event]:
    """An article's events with their actors as canonical entities and the date their sentence gives."""
    if article.duplicate_of is not None:
        return
    for ev in ann.events:
        dates = [d.value for d in ann.dates if ev.sentence_start <= d.start < ev.sentence_end and d.value]
        digest = hashlib.sha1(f"{article.id}:{ev.sentence_start}:{ev.type}".encode()).hexdigest()[:12]
        yield Event(
            id=f"ev-{digest}",
            type=ev.type,
            source=_actor(article, found, ev.source_start, ev.source_end),
            target=_actor(article, found, ev.target_start, ev.target_end),
            date=dates[0] if dates else None,
            cite=Cite(article.id, ev.sentence_start, ev.sentence_end),
        )


def _actor(article: Article, found: EntityLookup, start: int | None, end: int | None) -> str | None:
    if start is None or end is None:
        return None
    return found.entity_at(article.id, start, end) or found.find_by_name(article.text[start:end], article.id)

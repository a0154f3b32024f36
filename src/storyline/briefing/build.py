"""Assemble the `Briefing` from stored articles and annotations: the story-level stages run here.

Order: near-duplicates, stories, canonical entities (across the whole run, so one person is one
entity in every story), quotes with their speakers, then per story the timeline and the summary,
then the signals. With a cache (the store), the stages over all articles are kept whole and the
per-story results and signals per story, each under a key over everything it reads.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Protocol

import numpy as np

from storyline._version import __version__
from storyline.briefing.stories import Index, StoryCache, StoryResult, story_key, work_out
from storyline.model import (
    Annotation,
    Article,
    Attribution,
    Briefing,
    Cite,
    Entity,
    Event,
    InputFailure,
    Inputs,
    Quote,
    Spans,
    Tool,
    from_dict,
    to_dict,
)
from storyline.settings import Settings
from storyline.story import claims, cluster, dedupe, identities, signals, stances, summary, timeline
from storyline.views import Computed

# Keys of the cached corpus stages start with this, so that older entries can be found and dropped.
CORPUS_KEY = "corpus:"
LEAD_KEY = "lead:"
_KEY_LENGTH = 64  # the store's key column
_READ_BATCH = 500  # cached story results read from the store at once


class AnnotationSource(Protocol):
    """Where `build` reads annotations from, a batch at a time (the store, or a dict in memory)."""

    def read(self, article_ids: Sequence[str]) -> Iterator[Annotation | None]:
        """The annotation of each of `article_ids`, in that order (None where there is none)."""
        ...


class HeldAnnotations:
    """Annotations already in memory, read like stored ones."""

    def __init__(self, annotations: Mapping[str, Annotation]) -> None:
        self._annotations = annotations

    def read(self, article_ids: Sequence[str]) -> Iterator[Annotation | None]:
        return (self._annotations.get(i) for i in article_ids)


def build(
    articles: Sequence[Article],
    annotations: Mapping[str, Annotation] | AnnotationSource,
    failures: Sequence[InputFailure],
    settings: Settings,
    cache: StoryCache | None = None,
) -> Briefing:
    """The briefing of `articles`; with a `cache`, stories whose inputs did not change are reused.

    Annotations are read a batch at a time in a few passes (the store-wide stages' key, their
    inputs when they must run, then quotes and events), and again per story for the stories that
    must be worked out: a store of 19,000 articles never has all its annotations in memory at once.
    """
    source = HeldAnnotations(annotations) if isinstance(annotations, Mapping) else annotations
    corpus = _corpus(articles, source, settings, cache)
    found = corpus.found
    kept: list[Article] = []
    quotes: list[Quote] = []
    events: list[Event] = []
    for article, ann in zip(articles, source.read([a.id for a in articles]), strict=True):
        article = _with_sentences(article, ann, corpus.duplicates.get(article.id))
        kept.append(article)
        if ann is not None:
            quotes.extend(_quote(article, attr, found) for attr in ann.attributions)
            events.extend(_events(article, ann, found))
    index = Index.build(found, quotes, corpus.groups_of)
    results = _stories(_members(kept, corpus.labels), source, index, settings, cache)
    briefing = Briefing(
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        tool=Tool(name="storyline", version=__version__, stages=stage_versions()),
        inputs=Inputs(ok=len(kept), failed=tuple(failures)),
        articles=tuple(kept),
        entities=found.entities,
        quotes=tuple(quotes),
        stories=tuple(r.story for r in results),
        claims=tuple(c for r in results for c in r.claims),
        conflicts=tuple(c for r in results for c in r.conflicts),
        stances=tuple(s for r in results for s in r.stances),
        events=tuple(events),
    )
    # Signals read the finished briefing: other sources' titles, spellings and quoted names. They
    # are cached per story like the story results, under keys of their own.
    return replace(briefing, signals=signals.compute(briefing, cache))


@dataclass(frozen=True)
class _Corpus:
    """What the stages that read every article at once found: copies, entities, stories, groups."""

    duplicates: dict[str, str]
    found: identities.Identities
    labels: list[int]
    groups_of: dict[str, str]

    def to_json(self) -> str:
        entities = [to_dict(e) for e in self.found.entities]
        data = {"duplicates": self.duplicates, "entities": entities}
        return json.dumps({**data, "labels": self.labels, "groups_of": self.groups_of}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> _Corpus:
        data = json.loads(text)
        found = identities.Identities(entities=tuple(from_dict(Entity, e) for e in data["entities"]))
        return cls(data["duplicates"], found, data["labels"], data["groups_of"])


def _corpus(
    articles: Sequence[Article], source: AnnotationSource, settings: Settings, cache: StoryCache | None
) -> _Corpus:
    """Near-duplicates, canonical entities, story labels and actor groups; cached whole, by a key over
    every input they read, so a re-run over an unchanged store skips them (any change redoes them)."""
    key = _corpus_key(articles, source, settings) if cache is not None else ""
    if cache is not None and (hit := cache.story_results([key]).get(key)) is not None:
        return _Corpus.from_json(hit)
    duplicates = dedupe.find_duplicates(articles)
    # What these stages read of the annotations, and no more: the mentions and roles identity
    # resolution compares, and the entity strings clustering weighs.
    mentions: list[identities.ArticleMentions] = []
    entity_strings: list[list[str]] = []
    for a, ann in zip(articles, source.read([a.id for a in articles]), strict=True):
        entity_strings.append(cluster.entity_strings(ann))
        if ann is not None:
            mentions.append(identities.ArticleMentions(a.id, a.text, ann.mentions, ann.roles))
    texts = _TitledTexts(articles)
    labels = cluster.cluster(
        texts,
        settings.cluster_threshold,
        entities=entity_strings,
        published=[a.published for a in articles],
        lead_vectors=_lead_vectors(texts, cache),
    )
    del texts, entity_strings
    # Stories first: a bare surname may join a person named elsewhere in its own story only.
    story_of = {a.id: int(label) for a, label in zip(articles, labels, strict=True)}
    found = identities.resolve(mentions, story_of)
    del mentions
    groups_of = stances.actor_groups(found.entities, {a.id: a.text for a in articles})
    corpus = _Corpus(duplicates, found, [int(label) for label in labels], dict(groups_of))
    if cache is not None:
        cache.put_story_results([(key, corpus.to_json())])
        # One entry per store state: an older one (tens of MB on a large store) is never read again
        # once the store has grown, and a watch that adds articles every poll would pile them up.
        cache.drop_story_results(CORPUS_KEY, keep=[key])
    return corpus


class _TitledTexts(Computed[str]):
    """Title and text of each article, what clustering reads, made when read: a list of them would
    be a second copy of every text in the store beside the articles' own."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self._articles = articles

    def __len__(self) -> int:
        return len(self._articles)

    def _item(self, i: int) -> str:
        article = self._articles[i]
        return f"{article.title or ''}\n{article.text}"


def _lead_vectors(texts: Sequence[str], cache: StoryCache | None) -> np.ndarray | None:
    """The lead embeddings clustering reads, kept per lead text in the cache: a store that grows by
    a hundred articles embeds those hundred leads, not every lead of the store again."""
    if cache is None or len(texts) <= 1:
        return None
    from storyline.annotate.embed import EMBED_VERSION, load_embedder

    leads = [cluster.lead_text(t) for t in texts]
    keys = [_cache_key(LEAD_KEY, f"{EMBED_VERSION}|{lead}") for lead in leads]
    unique = dict(zip(keys, leads, strict=True))
    stored = cache.story_results(list(unique))
    vectors = {k: np.frombuffer(base64.b64decode(body), dtype=np.float32) for k, body in stored.items()}
    missing = [k for k in unique if k not in vectors]
    if missing:
        fresh = load_embedder().encode([unique[k] for k in missing]).astype(np.float32)
        vectors.update(zip(missing, fresh, strict=True))
        cache.put_story_results(
            [(k, base64.b64encode(v.tobytes()).decode("ascii")) for k, v in zip(missing, fresh, strict=True)]
        )
    return np.stack([vectors[k] for k in keys])


def _corpus_key(articles: Sequence[Article], source: AnnotationSource, settings: Settings) -> str:
    digest = hashlib.sha256(f"{'|'.join(stage_versions())}|{settings.cluster_threshold}".encode())
    for a, ann in zip(articles, source.read([a.id for a in articles]), strict=True):
        # Reprs of frozen dataclasses spell out every field; of the annotation, the parts these
        # stages read (mentions and roles for identities, mentions and dates for clustering).
        digest.update(repr(a).encode())
        digest.update(repr((ann.mentions, ann.roles, ann.dates) if ann else None).encode())
    return _cache_key(CORPUS_KEY, digest.hexdigest())


def _cache_key(prefix: str, text: str) -> str:
    """`prefix` + a SHA-256 of `text`, cut to the store's key length (still 200+ bits)."""
    return (prefix + hashlib.sha256(text.encode()).hexdigest())[:_KEY_LENGTH]


def _members(articles: Sequence[Article], labels: Sequence[int]) -> list[list[Article]]:
    """The articles of each story, stories in label order, articles in input order."""
    groups: dict[int, list[Article]] = defaultdict(list)
    for article, label in zip(articles, labels, strict=True):
        groups[label].append(article)
    return [groups[label] for label in sorted(groups)]


def _stories(
    groups: Sequence[Sequence[Article]],
    source: AnnotationSource,
    index: Index,
    settings: Settings,
    cache: StoryCache | None,
) -> list[StoryResult]:
    versions = stage_versions()
    keys = [story_key(members, index, settings, versions) for members in groups]
    results, fresh = [], []
    cached: dict[str, str] = {}
    for n, (key, members) in enumerate(zip(keys, groups, strict=True)):
        if cache is not None and n % _READ_BATCH == 0:
            # The cached bodies a batch at a time: all of them at once are ~100 MB of JSON text
            # at 7,000 stories, beside the results decoded from them.
            cached = cache.story_results(keys[n : n + _READ_BATCH])
        if key in cached:
            results.append(StoryResult.from_json(cached.pop(key)))
            continue
        ids = [a.id for a in members]
        annotations = {i: ann for i, ann in zip(ids, source.read(ids), strict=True) if ann is not None}
        result = work_out(members, annotations, index, settings)
        results.append(result)
        fresh.append((key, result.to_json()))
    if cache is not None and fresh:
        cache.put_story_results(fresh)
    return results


def stage_versions() -> tuple[str, ...]:
    from storyline.annotate import dates, entities, events, quotes
    from storyline.clean.article import CLEAN_VERSION

    return (
        CLEAN_VERSION,
        entities.ENTITIES_VERSION,
        quotes.QUOTES_VERSION,
        dates.DATES_VERSION,
        events.EVENTS_VERSION,
        dedupe.DEDUPE_VERSION,
        cluster.CLUSTER_VERSION,
        identities.IDENTITIES_VERSION,
        stances.STANCES_VERSION,
        signals.SIGNALS_VERSION,
        claims.CLAIMS_STORY_VERSION,
        timeline.TIMELINE_VERSION,
        summary.SUMMARY_VERSION,
    )


def _with_sentences(article: Article, ann: Annotation | None, duplicate_of: str | None) -> Article:

    return replace(article, sentences=Spans(ann.sentences if ann else ()), duplicate_of=duplicate_of)


def _quote(article: Article, attr: Attribution, found: identities.Identities) -> Quote:
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


def _events(article: Article, ann: Annotation, found: identities.Identities) -> Iterator[Event]:
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


def _actor(article: Article, found: identities.Identities, start: int | None, end: int | None) -> str | None:
    if start is None or end is None:
        return None
    return found.entity_at(article.id, start, end) or found.find_by_name(article.text[start:end], article.id)

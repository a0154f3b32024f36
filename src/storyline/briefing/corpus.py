"""The stages that read every article at once: near-duplicates, canonical entities, story labels
and actor groups. Their result is cached under a key over every input they read (a header row and the
entities in chunk rows), so that a run over an unchanged store skips them; the lead embeddings
clustering reads are cached per lead. The entities are kept in a table on disk for the run.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from storyline.briefing.entity_table import EntityTable
from storyline.briefing.stories import StoryCache
from storyline.model import Annotation, Article, Cite, Entity, Role
from storyline.settings import Settings
from storyline.story import (
    chapters,
    claims,
    cluster,
    dedupe,
    identities,
    identity_index,
    signals,
    stances,
    summary,
    timeline,
)
from storyline.story.identity_spool import MentionSpool
from storyline.views import Computed

__all__ = [
    "CORPUS_KEY",
    "LEAD_KEY",
    "AnnotationSource",
    "Corpus",
    "HeldAnnotations",
    "entry_rows",
    "find",
    "lead_cache_key",
    "read_entry",
    "stage_versions",
]

# Keys of the cached corpus stages start with this, so that older entries can be found and dropped.
CORPUS_KEY = "corpus:"
LEAD_KEY = "lead:"
_KEY_LENGTH = 64  # the store's key column


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


@dataclass(frozen=True)
class Corpus:
    """What the stages that read every article at once found: copies, entities, stories, groups.
    The entities are in a table on disk (`entity_table`), read a batch of articles at a time."""

    duplicates: dict[str, str]
    entities: EntityTable
    labels: list[int]
    groups_of: dict[str, str]

    def close(self) -> None:
        """Remove the entity table's file."""
        self.entities.close()


# Bumped with the layout of the cache entry; part of the cache key, so an older entry is never read.
_FORMAT = "corpus.json.v3"
# A chunk row holds entities up to about this many cites (mentions, roles and articles): the entry
# of an 18,700-article store (300,000 cites) is 7 chunks of 0.9-2 MB of JSON, each decoded and put in
# the run's table before the next is read, where the whole 8 MB row was decoded at once and kept.
_CHUNK_CITES = 50_000


def entry_rows(key: str, corpus: Corpus, entities: Iterable[Entity]) -> Iterator[tuple[str, str]]:
    """The cache entry of `corpus` (whose entities are `entities`, in order) as rows: chunks of
    packed entities, each under a key made from `key`, then the header under `key` itself (written
    last, so that a header read back always has its chunks)."""
    chunks = 0
    packed: list[Entity] = []
    cites = 0
    for entity in entities:
        packed.append(entity)
        cites += len(entity.mentions) + len(entity.roles) + len(entity.articles)
        if cites >= _CHUNK_CITES:
            yield _chunk_key(key, chunks), _packed_chunk(packed)
            chunks, packed, cites = chunks + 1, [], 0
    if packed:
        yield _chunk_key(key, chunks), _packed_chunk(packed)
        chunks += 1
    header = {"format": _FORMAT, "chunks": chunks, "duplicates": corpus.duplicates}
    yield (
        key,
        json.dumps({**header, "labels": corpus.labels, "groups_of": corpus.groups_of}, ensure_ascii=False),
    )


def read_entry(cache: StoryCache, key: str) -> Corpus | None:
    """The corpus cached under `key`, its entities read a chunk at a time into a new table; None
    when there is no such entry (or a part of it is missing)."""
    header_text = cache.story_results([key]).get(key)
    if header_text is None:
        return None
    header = json.loads(header_text)
    if header.get("format") != _FORMAT:
        raise ValueError(f"corpus cache entry of format {header.get('format')!r}; expected {_FORMAT}")
    table = EntityTable()
    for n in range(header["chunks"]):
        chunk = _chunk_key(key, n)
        text = cache.story_results([chunk]).get(chunk)
        if text is None:
            table.close()
            return None
        table.add(_unpacked_chunk(text))
    table.finish()
    return Corpus(header["duplicates"], table, header["labels"], header["groups_of"])


def _chunk_key(key: str, n: int) -> str:
    return _cache_key(CORPUS_KEY, f"{key}|entities|{n}")


def _packed_chunk(entities: Sequence[Entity]) -> str:
    """Entities' cites as int32 arrays over one table of article ids (base64), not a JSON object
    per cite: the object form parsed into 85 MB of dicts on an 18,700-article store."""
    table: dict[str, int] = {}
    packed = [_packed_entity(e, table) for e in entities]
    return json.dumps({"format": _FORMAT, "articles": list(table), "entities": packed}, ensure_ascii=False)


def _unpacked_chunk(text: str) -> list[Entity]:
    data = json.loads(text)
    table = [sys.intern(a) for a in data["articles"]]
    return [_unpacked_entity(e, table) for e in data["entities"]]


def _packed_entity(entity: Entity, table: dict[str, int]) -> dict[str, object]:
    def index(article: str) -> int:
        return table.setdefault(article, len(table))

    cites = np.array([(index(c.article), c.start, c.end) for c in entity.mentions], dtype=np.int32)
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "variants": list(entity.variants),
        "roles": [[r.role, index(r.cite.article), r.cite.start, r.cite.end] for r in entity.roles],
        "mentions": base64.b64encode(cites.tobytes()).decode("ascii"),
        "articles": [index(a) for a in entity.articles],
    }


def _unpacked_entity(data: dict[str, Any], table: list[str]) -> Entity:
    flat = np.frombuffer(base64.b64decode(data["mentions"]), dtype=np.int32).tolist()
    mentions = tuple(Cite(table[flat[i]], flat[i + 1], flat[i + 2]) for i in range(0, len(flat), 3))
    return Entity(
        id=sys.intern(data["id"]),
        name=data["name"],
        type=sys.intern(data["type"]),
        variants=tuple(data["variants"]),
        roles=tuple(
            Role(sys.intern(role), Cite(table[a], start, end)) for role, a, start, end in data["roles"]
        ),
        mentions=mentions,
        articles=tuple(table[a] for a in data["articles"]),
    )


def find(
    articles: Sequence[Article], source: AnnotationSource, settings: Settings, cache: StoryCache | None
) -> Corpus:
    """Near-duplicates, canonical entities, story labels and actor groups; cached by a key over every
    input they read, so a re-run over an unchanged store skips them (any change redoes them). The
    caller closes the result (`Corpus.close`) to remove its entity table's file."""
    key = _corpus_key(articles, source, settings) if cache is not None else ""
    if cache is not None and (stored := read_entry(cache, key)) is not None:
        # Filing the entities under their name keys filled the name functions' caches (~14 MB on
        # an 18,700-article store, memray); the stories pass asks for few of those names again.
        identity_index.forget_names()
        return stored
    duplicates = dedupe.find_duplicates(articles)
    # What these stages read of the annotations, and no more: the mentions and roles identity
    # resolution compares, spooled to disk with the positions of the articles that have them.
    # Clustering reads the texts, entity strings and lead embeddings a batch at a time and keeps
    # its features in files: none of them is held for the whole store.
    spool = MentionSpool()  # removed below, or when let go on an error
    annotated = array("i")
    ids = ids_of(articles)
    for n, (article_id, ann) in enumerate(zip(ids, source.read(ids), strict=True)):
        if ann is not None:
            spool.add(article_id, ann.mentions, ann.roles)
            annotated.append(n)
    published = [a.published for a in articles]
    labels = cluster.cluster(
        _TitledTexts(articles),
        settings.cluster_threshold,
        entities=_EntityStrings(ids, source),
        published=published,
        embedder=_CachedLeads(cache) if cache is not None else None,
    )
    # A story past the size the per-story stages are allowed is cut by time into chapters.
    labels = chapters.chapters_of(ids, labels, published, duplicates, settings.max_story_articles)
    # Stories first: a bare surname may join a person named elsewhere in its own story only.
    story_of = {i: int(label) for i, label in zip(ids, labels, strict=True)}
    # The entities go from the spool straight into the run's table, which the rest of the run reads
    # a batch at a time.
    table = EntityTable()
    try:
        table.add(identities.resolve_spooled(spool, lambda: (articles[n].text for n in annotated), story_of))
        table.finish()
    finally:
        spool.close()
    identity_index.forget_names()
    groups_of = stances.actor_groups(table, stances.title_contexts(table, articles))
    corpus = Corpus(duplicates, table, [int(label) for label in labels], dict(groups_of))
    if cache is not None:
        kept = []
        for row in entry_rows(key, corpus, table):  # a chunk at a time
            cache.put_story_results([row])
            kept.append(row[0])
        # One entry per store state: an older one (tens of MB on a large store) is never read again
        # once the store has grown, and a watch that adds articles every poll would pile them up.
        cache.drop_story_results(CORPUS_KEY, keep=kept)
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


class _EntityStrings(Computed[list[str]]):
    """The entity strings clustering weighs, per article, read from `source` a batch at a time
    when read in order (a list of them would hold every mention's text in the store)."""

    def __init__(self, ids: Sequence[str], source: AnnotationSource, batch: int = 500) -> None:
        self._ids, self._source, self._batch = ids, source, batch
        self._start = 0
        self._held: list[list[str]] = []

    def __len__(self) -> int:
        return len(self._ids)

    def _item(self, i: int) -> list[str]:
        if not self._start <= i < self._start + len(self._held):
            self._start = i - i % self._batch
            batch = self._ids[self._start : self._start + self._batch]
            self._held = [cluster.entity_strings(ann) for ann in self._source.read(batch)]
        return self._held[i - self._start]


class _CachedLeads:
    """The lead embeddings clustering reads, kept per lead text in the cache: a store that grows by
    a hundred articles embeds those hundred leads, not every lead of the store again. Clustering
    asks for them a batch of articles at a time."""

    def __init__(self, cache: StoryCache) -> None:
        self._cache = cache

    def encode(self, leads: Sequence[str]) -> np.ndarray:
        from storyline.annotate.embed import DIM, load_embedder

        if not leads:
            return np.zeros((0, DIM), dtype=np.float32)
        keys = [lead_cache_key(lead) for lead in leads]
        unique = dict(zip(keys, leads, strict=True))
        stored = self._cache.story_results(list(unique))
        vectors = {k: np.frombuffer(base64.b64decode(body), dtype=np.float32) for k, body in stored.items()}
        missing = [k for k in unique if k not in vectors]
        if missing:
            fresh = load_embedder().encode([unique[k] for k in missing]).astype(np.float32)
            vectors.update(zip(missing, fresh, strict=True))
            self._cache.put_story_results(
                [
                    (k, base64.b64encode(v.tobytes()).decode("ascii"))
                    for k, v in zip(missing, fresh, strict=True)
                ]
            )
        return np.stack([vectors[k] for k in keys])


def ids_of(articles: Sequence[Article]) -> list[str]:
    """The articles' ids; a sequence read from the store (`pipeline.StoredArticles`) gives them
    without reading every article once more."""
    ids = getattr(articles, "ids", None)
    return list(ids) if ids is not None else [a.id for a in articles]


def _corpus_key(articles: Sequence[Article], source: AnnotationSource, settings: Settings) -> str:
    versions = "|".join((*stage_versions(), _FORMAT, chapters.CHAPTERS_VERSION))
    digest = hashlib.sha256(f"{versions}|{settings.cluster_threshold}|{settings.max_story_articles}".encode())
    for a, ann in zip(articles, source.read(ids_of(articles)), strict=True):
        # Reprs of frozen dataclasses spell out every field; of the annotation, the parts these
        # stages read (mentions and roles for identities, mentions and dates for clustering).
        digest.update(repr(a).encode())
        digest.update(repr((ann.mentions, ann.roles, ann.dates) if ann else None).encode())
    return _cache_key(CORPUS_KEY, digest.hexdigest())


def lead_cache_key(lead: str) -> str:
    """The cache key of a lead's embedding (`cluster.lead_text` of an article's title and text)."""
    from storyline.annotate.embed import EMBED_VERSION

    return _cache_key(LEAD_KEY, f"{EMBED_VERSION}|{lead}")


def _cache_key(prefix: str, text: str) -> str:
    """`prefix` + a SHA-256 of `text`, cut to the store's key length (still 200+ bits)."""
    return (prefix + hashlib.sha256(text.encode()).hexdigest())[:_KEY_LENGTH]


def stage_versions() -> tuple[str, ...]:
    from storyline.annotate import dates, entities, events, quotes
    from storyline.annotate.embed import EMBED_VERSION
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
        EMBED_VERSION,  # claims, figure conflicts and stances compare sentence vectors
    )

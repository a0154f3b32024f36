"""The per-story stages: timeline, summary, title, claims, conflicts, stances, takeaways and FAQ.

Each story is worked out from its own articles, the canonical entities that appear in them and their
quotes, looked up through an index over its batch of stories (a corpus of thousands of stories must
neither rescan every entity per story nor hold every entity's mentions). The result is cached by a
key over everything it depends on — the members and their copies, the stage versions, and the names
and groupings of the story's entities — so adding articles to a large store recomputes only the
stories they join or change.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

import numpy as np

from storyline.annotate import is_english
from storyline.model import (
    Annotation,
    Article,
    Claim,
    Conflict,
    DateMention,
    Entity,
    Quote,
    Stance,
    Story,
    StoryTocEntry,
    from_dict,
    to_dict,
)
from storyline.settings import Settings
from storyline.story import claims, conflicts, faq, stances, summary, takeaways, timeline
from storyline.story.entity_lookup import EntityLookup

__all__ = ["Index", "StoryCache", "StoryEntities", "StoryResult", "story_key", "work_out"]

ACTOR_TYPES = frozenset({"PERSON", "ORG", "GPE"})

STORY_SECTIONS = (
    ("Key takeaways", "takeaways"),
    ("Summary", "summary"),
    ("Questions and answers", "faq"),
    ("People and organisations", "entities"),
    ("Who said what", "quotes"),
    ("Timeline", "timeline"),
    ("Where the sources agree, differ, stand alone", "claims"),
    ("Stances", "stances"),
    ("Sources", "sources"),
)


class StoryCache(Protocol):
    """Where worked-out stories are kept between runs (the store implements it)."""

    def story_results(self, keys: Sequence[str]) -> dict[str, str]: ...

    def put_story_results(self, items: Sequence[tuple[str, str]]) -> None: ...

    def drop_story_results(self, prefix: str, keep: Sequence[str]) -> None: ...


@dataclass(frozen=True)
class StoryResult:
    story: Story
    claims: tuple[Claim, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    stances: tuple[Stance, ...] = ()

    def to_json(self) -> str:
        return json.dumps(to_dict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> StoryResult:
        return from_dict(cls, json.loads(text))


class StoryEntities(EntityLookup, Protocol):
    """The entity look-ups of a batch of stories (`entity_view.EntityView`)."""

    def story_entities(self, members: Sequence[Article], cites: bool = True) -> list[Entity]:
        """The entities that list one of `members` among their articles, in the run's order, each
        with its mentions, roles and articles in `members` (none, without `cites`)."""
        ...


@dataclass
class Index:
    """What the per-story stages look up beyond a story's own articles: the entities (a batch of
    stories at a time), the actor groups and capitals of the whole run, and the quotes."""

    found: StoryEntities
    groups_of: Mapping[str, str]
    capitals: Mapping[str, str]  # capital city -> country (`stances.capital_countries`)
    quotes: dict[str, list[Quote]] = field(default_factory=lambda: defaultdict(list))

    def story_entities(self, members: Sequence[Article], cites: bool = True) -> list[Entity]:
        """The entities mentioned in `members`, in the run's order (ties elsewhere break the same way),
        each with its mentions, roles and articles among `members`, all the story stages read (none,
        without `cites`: a story's cache key reads the names alone)."""
        return self.found.story_entities(members, cites)


Encode = Callable[[Sequence[str]], np.ndarray]


class RememberedVectors:
    """`encode` that embeds each distinct text once: a story's stages ask for many of the same
    sentences (a quarter of a story's texts, on Reuters). The model gives a text the same vector
    bit for bit whatever else is in its batch, so the results are those of encoding each time."""

    def __init__(self, encode: Encode) -> None:
        self._encode = encode
        self._known: dict[str, np.ndarray] = {}

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        new = [t for t in dict.fromkeys(texts) if t not in self._known]
        if new:
            self._known.update(zip(new, np.asarray(self._encode(new)), strict=True))
        if not texts:
            return np.asarray(self._encode([]))
        return np.stack([self._known[t] for t in texts])


def story_key(members: Sequence[Article], index: Index, settings: Settings, versions: Sequence[str]) -> str:
    """A digest of everything a story's result depends on."""
    digest = hashlib.sha256()
    digest.update("|".join(versions).encode())
    digest.update(f"|{settings.summary_sentences}|{settings.summary_words}".encode())
    for article in members:
        digest.update(f"|{article.id}>{article.duplicate_of or ''}".encode())
    for ent in sorted(index.story_entities(members, cites=False), key=lambda e: e.id):
        digest.update(f"|{ent.id}={ent.name}:{ent.type}>{index.groups_of.get(ent.id, '')}".encode())
    return digest.hexdigest()


def work_out(
    members: Sequence[Article], annotations: Mapping[str, Annotation], index: Index, settings: Settings
) -> StoryResult:
    """Everything the briefing says about one story."""
    from storyline.annotate.embed import load_embedder

    story_entities = index.story_entities(members)
    names = {e.id: e.name for e in story_entities}
    # The summary, the figure conflicts and the claims embed many of the same sentences.
    encode = RememberedVectors(load_embedder().encode)
    story = _story(members, annotations, index.found, story_entities, settings, encode)
    found_claims, found_conflicts, found_stances = _compare(
        story, members, annotations, index, story_entities, encode
    )
    story = replace(
        story,
        takeaways=takeaways.takeaways(story.summary, found_claims, found_conflicts, story.timeline, names),
        faq=faq.faq(members, found_stances, found_claims, found_conflicts, story.timeline, names),
    )
    return StoryResult(story, tuple(found_claims), tuple(found_conflicts), tuple(found_stances))


def _story(
    members: Sequence[Article],
    annotations: Mapping[str, Annotation],
    found: EntityLookup,
    story_entities: Sequence[Entity],
    settings: Settings,
    encode: Encode,
) -> Story:
    ids = tuple(a.id for a in members)
    entries = timeline.build(
        [
            (a.id, a.text, a.published, _time_points(a, annotations[a.id]))
            for a in members
            if a.id in annotations
        ]
    )
    # The summary is in English: sentences of articles in other languages are not candidates.
    originals = [a for a in members if a.duplicate_of is None and is_english(a)]
    ranked = _ranked_actors(members, story_entities)
    top = [e.id for e, n in ranked[:8] if n > 0]
    passages = summary.summarize_articles(
        originals, annotations, found, top, settings.summary_sentences, settings.summary_words, encode
    )
    digest = hashlib.sha1(":".join(sorted(ids)).encode()).hexdigest()[:10]
    return Story(
        id=f"s-{digest}",
        title=_title(members, [e for e, _ in ranked[:5]]),
        articles=ids,
        summary=passages,
        toc=tuple(StoryTocEntry(title=t, anchor=a) for t, a in STORY_SECTIONS),
        timeline=entries,
    )


def _compare(
    story: Story,
    members: Sequence[Article],
    annotations: Mapping[str, Annotation],
    index: Index,
    story_entities: Sequence[Entity],
    encode: Encode,
) -> tuple[list[Claim], list[Conflict], list[Stance]]:
    """Claims with their independent sources, the conflicts and the stance matrix of one story."""
    story_quotes = [q for a in members if a.duplicate_of is None for q in index.quotes.get(a.id, ())]
    positions = stances.positions(members, annotations, index.found, encode, capitals=index.capitals)
    texts = {a.id: a.text for a in members}
    groups = claims.group(positions, story_quotes, texts, encode, index.groups_of)
    story_claims = claims.to_claims(groups, story.id, members)
    claim_ids = {(g.actor, g.issue, g.stance): c.id for g, c in zip(groups, story_claims, strict=True)}
    story_conflicts = conflicts.find(
        story.id,
        members,
        annotations,
        positions,
        claim_ids,
        story_quotes,
        story_entities,
        index.groups_of,
        encode,
    )
    story_conflicts, figure_claims = claims.for_conflict_sides(story_conflicts, story.id, members)
    return claims.ranked([*story_claims, *figure_claims]), story_conflicts, stances.matrix(positions)


def _time_points(article: Article, ann: Annotation) -> tuple[DateMention, ...]:
    return (*ann.dates, *timeline.named_events(article.text, ann.sentences, ann.dates))


def _ranked_actors(members: Sequence[Article], story_entities: Sequence[Entity]) -> list[tuple[Entity, int]]:
    """The story's people, organisations and places by how often its articles mention them."""
    ids = {a.id for a in members}
    counts: Counter[str] = Counter()
    by_id = {}
    for ent in story_entities:
        if ent.type in ACTOR_TYPES:
            counts[ent.id] = sum(1 for m in ent.mentions if m.article in ids)
            by_id[ent.id] = ent
    return [(by_id[e], n) for e, n in counts.most_common()]


def _title(members: Sequence[Article], ranked: Sequence[Entity]) -> str:
    """The title of the story's most typical article (sharing most of the top actors), else the actors."""

    def shared(article: Article) -> int:
        return sum(1 for e in ranked if article.id in e.articles)

    titled = [a for a in members if a.title and a.duplicate_of is None]
    if titled:
        return max(titled, key=lambda a: (shared(a), -members.index(a))).title or ""
    names = [e.name for e in ranked[:3]]
    return ", ".join(names) if names else (members[0].text.split("\n", 1)[0][:80])

"""Canonical entities across the articles of a run: one entity per person, organisation or place.

Method: (1) each surface form takes the majority NER label it got across articles (spaCy may call
"Trump" an ORG once and a PERSON ten times); (2) names are compared folded (case, accents, and the
apostrophes and dashes outlets type differently: O’Brien is O'Brien), by a transliteration skeleton
(consonants after folding x/ks, th/t, ph/f, dropping vowels and y — Sergey/Sergei, Kyiv/Kiev,
Antony/Anthony) plus Jaro-Winkler similarity and a length check; (3) people (`people`): a surname-only
mention joins the full name its article writes with that very surname, else one named in the same
story, a transliteration only if no article writes the two spellings side by side (Donald Regan,
Reagan) and never a guess from elsewhere in the store; titles are no part of a name, but "Mr" and
"Mrs" keep a man and a woman apart; a name ending in a vowel the other lacks is another name (Lange,
Liang); acronyms join the name they abbreviate;
(4) a last pass finds case slips ("lavrov") of the names already known. Names meet only under shared
blocking keys (identity_index), so a store of 19,000 articles resolves in about linear time. The
decisions read names, their labels and counts, and which articles write them: the mentions wait in
a spool on disk (identity_spool), and what grows with the distinct names (label votes and counts,
clusters, blocking lists) in tables of the same file, those in use held in memory (shelf), so that
memory stays flat however many names a store has.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import sqlite3
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from storyline.model import Entity, Mention, RoleMention
from storyline.story.identity_index import (
    FirstMatch,
    acronym,
    forget_names,
    name_tokens,
    person_words,
    plain_marks,
    same_name,
    same_thing,
    skeleton,
    surface_key,
    thing_keys,
    thing_probes,
    words_of,
)
from storyline.story.identity_spool import MentionSpool
from storyline.story.name_evidence import Evidence, Labels, Slips, Words, is_common_noun
from storyline.story.people import apart_in, merge_people
from storyline.story.shelf import Shelf, ShelfList

__all__ = [
    "ArticleMentions",
    "Identities",
    "MentionSpans",
    "acronym",
    "name_tokens",
    "resolve",
    "resolve_spooled",
    "same_name",
    "skeleton",
    "surface_key",
]

IDENTITIES_VERSION = "identities.v9"

_TYPE_ORDER = {"PERSON": 0, "ORG": 1, "GPE": 2, "LOC": 3, "NORP": 4, "EVENT": 5, "OTHER": 6}


@dataclass(frozen=True)
class ArticleMentions:
    """What identity resolution needs from one article."""

    article: str
    text: str
    mentions: Sequence[Mention]
    roles: Sequence[RoleMention] = ()


@dataclass(slots=True)
class _Cluster:
    """The names of one entity's mentions and how often each is written (the mentions themselves
    are in the spool, each placed in its cluster).

    Spellings that differ only in typography ("O’Brien", "O'Brien": see `plain_marks`) are one name
    to a reader: they count together when the entity's name is chosen, and the spelling of theirs
    written most often stands for them all.

    A store has tens of thousands of clusters, most with one name, so a cluster keeps two small
    dicts: the names in the order first met and the labels. Which spellings share plain marks is
    kept only for names that are not their own plain marks (`_marked`), and a name's place in the
    order is looked up only to break a tie.
    """

    type: str
    names: dict[str, int] = field(default_factory=dict)  # name -> mentions, first met first
    size: int = 0  # mentions
    labels: dict[str, int] = field(default_factory=dict)  # the mentions' labels, first met first
    _marked: dict[str, list[str]] | None = None  # plain marks -> the spellings that differ from them
    _canonical: str | None = None

    def add(self, text: str, label: str) -> None:
        # A name as written, its spaces made one: in hard-wrapped text a name may run across lines.
        name = " ".join(text.split())
        plain = plain_marks(name)
        if name not in self.names and name != plain:
            if self._marked is None:
                self._marked = {}
            self._marked.setdefault(plain, []).append(name)
        self.names[name] = self.names.get(name, 0) + 1
        self.size += 1
        self.labels[label] = self.labels.get(label, 0) + 1
        # Only the scores of this name's spellings moved (upwards), so the best name so far stays
        # best unless the best of them overtakes it: the same answer as a max over all names,
        # without the pass over them.
        best = self._best_spelling(plain)
        if self._canonical is None or self._better(best, self._canonical):
            self._canonical = best

    def label(self) -> str:
        """The label most of its mentions have (of two as common, the one met first)."""
        return max(self.labels, key=self.labels.__getitem__)

    def key_tokens(self) -> tuple[str, ...]:
        """The words of a person's name, titles left out (what `people` compares)."""
        return person_words(self.canonical())

    def canonical(self) -> str:
        assert self._canonical is not None, "a cluster is made from a mention"
        return self._canonical

    def variants(self) -> tuple[str, ...]:
        """The other names, one spelling each: "O’Brien" beside "O'Brien" would tell a reader nothing."""
        name = plain_marks(self.canonical())
        plains = dict.fromkeys(plain_marks(n) for n in self.names)
        return tuple(sorted(self._best_spelling(plain) for plain in plains if plain != name))

    def _spellings(self, plain: str) -> list[str]:
        marked = self._marked.get(plain, []) if self._marked is not None else []
        return [plain, *marked] if plain in self.names else list(marked)

    def _best_spelling(self, plain: str) -> str:
        spellings = self._spellings(plain)
        best = spellings[0]
        for name in spellings[1:]:
            if self._better(name, best):
                best = name
        return best

    def _better(self, a: str, b: str) -> bool:
        """Whether `a` names the cluster better than `b`: see `_score`, then the one read first."""
        if a == b:
            return False
        score_a, score_b = self._score(a), self._score(b)
        if score_a != score_b:
            return score_a > score_b
        for name in self.names:  # the order first met
            if name in (a, b):
                return name == a
        raise AssertionError("both are names of the cluster")

    def _score(self, name: str) -> tuple[int, bool, int, bool, int]:
        # Longest proper-cased form, then the most used (its typographic spellings together, then
        # itself), then one without a title. A person's title is no part of the length: "Mrs
        # Reagan" is no fuller a name than "Reagan", and a few of them must not name the many bare
        # mentions of a cluster, nor "President Reagan" outrank "Ronald Reagan".
        words = name.split()
        capitalised = all(w[:1].isupper() or not w[:1].isalpha() for w in words)
        length = len(person_words(name)) if self.type == "PERSON" else len(words)
        return (
            length if length <= 4 else 0,
            capitalised,
            sum(self.names[s] for s in self._spellings(plain_marks(name))),
            length == len(words),
            self.names[name],
        )


class MentionSpans(NamedTuple):
    """One article's mentions, sorted by (start, end): two int arrays and the entity ids.

    A dict keyed by (article, start, end) tuples cost about 150 bytes a mention, some 400 MB on a
    store of 19,000 articles; arrays cost 16.
    """

    starts: array[int]
    ends: array[int]
    ids: list[str]

    @classmethod
    def of(cls, points: Mapping[tuple[int, int], str]) -> MentionSpans:
        """From (start, end) -> entity id."""
        ordered = sorted(points.items())
        return cls(
            array("i", (s for (s, _), _ in ordered)),
            array("i", (e for (_, e), _ in ordered)),
            [ent_id for _, ent_id in ordered],
        )

    def listed(self) -> list[tuple[int, int, str]]:
        """(start, end, entity id) of every mention, in text order."""
        return list(zip(self.starts, self.ends, self.ids, strict=True))

    def entity_at(self, start: int, end: int) -> str | None:
        """The entity whose mention best overlaps `start:end` (None when none does)."""
        starts, ends, ids = self
        # Mentions are short: any overlapping one starts after start - 200 and before end.
        first, stop = bisect.bisect_left(starts, start - 200), bisect.bisect_left(starts, end)
        at = bisect.bisect_left(starts, start, first, stop)
        while at < stop and starts[at] == start:
            if ends[at] == end:
                return ids[at]
            at += 1
        best, best_overlap = None, 0
        for i in range(first, stop):
            if ends[i] > start:
                overlap = min(ends[i], end) - max(starts[i], start)
                if overlap > best_overlap:
                    best, best_overlap = ids[i], overlap
        return best


@dataclass(frozen=True)
class Identities:
    """The entities, and where each mention points (with per-article and per-name look-ups).

    Where a mention points is read off the entities' own `mentions`; a span two entities share
    belongs to the later one.
    """

    entities: tuple[Entity, ...]
    _spans: dict[str, MentionSpans] = field(default_factory=dict, init=False, repr=False, compare=False)
    _names: dict[str, list[Entity]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _surnames: dict[str, list[Entity]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Indexes built once: the story stages ask these questions for every quote, event and sentence.
        # The name indexes wait for the first `find_by_name`: a run asks names of its entity table
        # instead, and these entities then only say where the mentions of an article point.
        points: dict[str, dict[tuple[int, int], str]] = defaultdict(dict)
        for ent in self.entities:
            for cite in ent.mentions:
                points[cite.article][(cite.start, cite.end)] = ent.id
        for article, spans in points.items():
            self._spans[article] = MentionSpans.of(spans)

    def _index_names(self) -> None:
        if self._names or not self.entities:  # built (every entity has a name), or nothing to build
            return
        for ent in self.entities:
            forms = (ent.name, *ent.variants)
            for form in forms:
                self._names.setdefault(surface_key(form), []).append(ent)
            if ent.type == "PERSON":
                for surname in {words[-1] for words in map(words_of, forms) if words}:
                    self._surnames.setdefault(surname, []).append(ent)

    def spans_in(self, article: str) -> list[tuple[int, int, str]]:
        """(start, end, entity id) of every mention in `article`, in text order."""
        spans = self._spans.get(article)
        return spans.listed() if spans else []

    def find_by_name(self, name: str, article: str | None = None) -> str | None:
        """The entity a name as written refers to ("Mr Haddane"), preferring one seen in `article`.

        A bare surname stands for a person named in `article` only, as in `resolve`: the most cited
        one elsewhere would be a guess that more articles could overturn. And only for one whose
        names spell that surname so: "Reagan" is not the "Donald Regan" of the same article.
        """
        words = words_of(name)
        if not words:
            return None
        self._index_names()
        matches = list(self._names.get(surface_key(name), []))
        if len(words) == 1:
            matches += [
                e for e in self._surnames.get(words[0], []) if article is None or article in e.articles
            ]
        if not matches:
            return None
        return max(matches, key=lambda e: (article in e.articles if article else False, len(e.mentions))).id

    def entity_at(self, article: str, start: int, end: int) -> str | None:
        """The entity whose mention best overlaps `start:end` in `article` (None when none does)."""
        spans = self._spans.get(article)
        return spans.entity_at(start, end) if spans is not None else None


def resolve(articles: Sequence[ArticleMentions], story_of: Mapping[str, int] | None = None) -> Identities:
    """Group the mentions of all articles into canonical entities.

    `story_of` (article id -> story) lets a bare surname join a person named elsewhere in its story;
    without it, only a person named in its own article.
    """
    spool = MentionSpool()
    try:
        for art in articles:
            spool.add(art.article, art.mentions, art.roles)
        return Identities(
            entities=tuple(resolve_spooled(spool, lambda: (a.text for a in articles), story_of))
        )
    finally:
        spool.close()


def resolve_spooled(
    spool: MentionSpool, texts: Callable[[], Iterable[str]], story_of: Mapping[str, int] | None = None
) -> Iterator[Entity]:
    """`resolve` of the articles in `spool`, whose texts `texts()` gives in the spool's order (it is
    called once per pass): the entities in order, made one at a time from the spool.

    Two passes over the articles: the first gathers each name's label votes, counts and the words
    written in lower case; the second finds the case slips and spools each mention with its label.
    Merging then reads the names a family at a time from the spool, and the entities come out of it.
    """
    evidence = Evidence(spool.conn)
    for _, _, text, mentions in spool.articles(texts()):
        evidence.read(text, mentions)
    labels, common = evidence.labels(), evidence.common()
    slips = Slips(evidence.frequent(), labels, common)
    families = _spool_items(spool, texts(), labels, common, slips)
    del evidence, labels, common, slips
    # The clusters of a family wait on a shelf while it merges; once merged, what naming and
    # ordering the entities reads of each is spooled.
    merged = 0
    for family in families:
        # Each family asks the name functions about its own names: the cached answers about the
        # names before it would only sit under its peak.
        forget_names()

        def place(item: int, at: int, offset: int = merged) -> None:
            spool.place(item, offset + at)

        clusters: Iterable[_Cluster]
        if family == "PERSON":
            full, bare = spool.full_names(), spool.bare_names()
            clusters = merge_people(
                full, bare, spool.apart(), story_of or {}, _Cluster, place, spool, spool.conn
            )
        else:
            clusters = _merge_things(spool.things(family), place, spool.conn)
        for cluster in clusters:
            head = _Merged.of(cluster)
            spool.add_merged(merged, (_TYPE_ORDER.get(head.type, 9), -head.size, head.name), head)
            merged += 1
    return spool.entities(_heads(spool.merged(), Shelf(spool.conn)))


def _spool_items(
    spool: MentionSpool, texts: Iterable[str], labels: Labels, common: Words, slips: Slips
) -> list[str]:
    """Spool each mention resolution merges, with its label, family and rank, and the case slips
    found among them; not the common nouns NER took for names. The families in the order first met;
    the surname spellings the articles write apart (`people.apart_in`) go to the spool too."""
    families: dict[str, None] = {}
    for n, _, text, mentions in spool.articles(texts):
        people_texts = []
        for mention in sorted([*mentions, *slips.find(text, mentions)], key=lambda m: m.start):
            if is_common_noun(mention, labels, common):
                continue
            label = labels.get(surface_key(mention.text), mention.label) or mention.label
            family = "GPE" if label in {"GPE", "LOC"} else label
            families.setdefault(family)
            if family == "PERSON":
                people_texts.append(mention.text)
                rank = len(person_words(mention.text))
            else:
                rank = len(mention.text)
            spool.add_item(n, mention, label, family, rank)
        spool.add_apart(apart_in(people_texts))
    spool.items_done()
    return list(families)


def _merge_things(
    items: Iterable[tuple[int, str, str]], place: Callable[[int, int], None], conn: sqlite3.Connection
) -> ShelfList[_Cluster]:
    """The clusters of organisations, places or groups: (item, text, label) longest names first."""
    merged: ShelfList[_Cluster] = ShelfList(conn)
    # Comparing each name with every cluster so far was O(mentions²): 186 s of a 400 s build on
    # 1,000 articles. Blocking finds the same cluster, the earliest that has a matching name.
    index = FirstMatch(thing_keys, thing_probes, same_thing, conn=conn)
    for item, name, label in items:
        at = index.first(name)
        if at is None:
            at = len(merged)
            merged.append(_Cluster(label))
        cluster = merged[at]
        if name not in cluster.names:
            index.add(at, name)
        cluster.add(name, label)
        place(item, at)
    return merged


class _Merged(NamedTuple):
    """What the entities' names and order read of a cluster once it is merged."""

    type: str  # its first mention's label
    size: int
    name: str
    label: str  # its mentions' most common label
    variants: tuple[str, ...]

    @classmethod
    def of(cls, cluster: _Cluster) -> _Merged:
        label = cluster.label()
        return cls(cluster.type, cluster.size, cluster.canonical(), label, cluster.variants())


def _heads(clusters: Iterable[tuple[int, _Merged]], used: Shelf[str, bool]) -> Iterator[tuple[int, Entity]]:
    """(cluster, its entity without cites) of `clusters` (in the entities' order: by type, most
    mentions, name); `used` holds the ids given."""
    for i, cluster in clusters:
        ent_type = cluster.label if cluster.label in _TYPE_ORDER else "OTHER"
        yield i, Entity(_entity_id(ent_type, cluster.name, used), cluster.name, ent_type, cluster.variants)


def _entity_id(ent_type: str, name: str, used: Shelf[str, bool]) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", surface_key(name)).strip("-")[:40] or "entity"
    candidate = slug
    if candidate in used:
        candidate = f"{slug}-{hashlib.sha1(f'{ent_type}:{name}'.encode()).hexdigest()[:6]}"
    n = 2
    while candidate in used:
        candidate = f"{slug}-{n}"
        n += 1
    used[candidate] = True
    return candidate

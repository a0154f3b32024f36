"""What one story's signals read, cut out of the whole briefing, the cache key over exactly that, and
the look-ups the signal functions make on it.

One pass over the briefing buckets every entity mention, role and quote by article; a story's scope
is then its members, their quotes and the entities they name or quote, each entity reduced to its
mentions and roles inside the story (in the entity's own order). The key digests that scope plus
the names of the whole run that the members' words could match (the misspelling check exempts them).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import metadata
from typing import TypeVar

from storyline.model import Article, Briefing, Cite, Entity, Quote, Role
from storyline.story.signals_spelling import plain_words, spelling_words

__all__ = ["Index", "Scope", "Scopes", "name_tokens", "scope_key"]

T = TypeVar("T")


@dataclass(frozen=True)
class Scope:
    """The part of the briefing that the signals of `members` depend on."""

    members: tuple[Article, ...]
    entities: tuple[Entity, ...]  # in the run's order, mentions and roles inside the story only
    quotes: tuple[Quote, ...]  # in the run's order


@dataclass
class Index:
    """What the signals of one story look up, built from its scope."""

    peers: dict[str, set[str]] = field(default_factory=dict)  # article -> other originals of its story
    entities: dict[str, Entity] = field(default_factory=dict)
    quotes: dict[str, list[Quote]] = field(default_factory=lambda: defaultdict(list))
    mentions: dict[str, list[tuple[Entity, Cite]]] = field(default_factory=lambda: defaultdict(list))
    names: set[str] = field(default_factory=set)  # lower-case tokens of every entity name and variant
    words: dict[str, set[str]] = field(default_factory=dict)  # article -> its lower-case words
    published: dict[str, str | None] = field(default_factory=dict)
    # article -> the entities it names or gives a title, by id
    present: dict[str, dict[str, Entity]] = field(default_factory=lambda: defaultdict(dict))
    # entity -> lower-case name token as written -> article -> the mentions writing it so
    spellings: dict[str, dict[str, dict[str, list[Cite]]]] = field(default_factory=dict)

    @classmethod
    def of(cls, scope: Scope, names: set[str]) -> Index:
        index = cls(entities={e.id: e for e in scope.entities}, names=names)
        originals = {a.id for a in scope.members if a.duplicate_of is None}
        for a in scope.members:
            # A copy and its original are one source: its original may not vouch for a copy (copies
            # are never anyone's peers, being no originals).
            index.peers[a.id] = originals - {a.id, a.duplicate_of or ""}
            index.words[a.id] = spelling_words(a.text)
            index.published[a.id] = a.published
        for q in scope.quotes:
            index.quotes[q.cite.article].append(q)
        texts = {a.id: a.text for a in scope.members}
        for e in scope.entities:
            index.spellings[e.id] = defaultdict(lambda: defaultdict(list))
            for m in e.mentions:
                index.mentions[m.article].append((e, m))
                index.present[m.article][e.id] = e
                written = texts.get(m.article, "")[m.start : m.end].casefold()
                for token in re.findall(r"[^\W\d_]{3,}", written):
                    index.spellings[e.id][token][m.article].append(m)
            for r in e.roles:
                index.present[r.cite.article][e.id] = e
        return index


@dataclass
class Scopes:
    """Per-article look-ups over the run's entities (and quotes), built once; `scope` cuts out one
    story. Built from the entities alone, a story's quotes come with the call instead: the briefing
    written a story at a time never has every quote of the store at once."""

    entities: Sequence[Entity]
    names: set[str] = field(default_factory=set)  # lower-case tokens of every entity name and variant
    _mentions: dict[str, list[tuple[int, int, Cite]]] = field(default_factory=lambda: defaultdict(list))
    _roles: dict[str, list[tuple[int, int, Role]]] = field(default_factory=lambda: defaultdict(list))
    _articles: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    _quotes: dict[str, list[tuple[int, Quote]]] = field(default_factory=lambda: defaultdict(list))
    _position: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, briefing: Briefing) -> Scopes:
        scopes = cls.of_entities(briefing.entities)
        for n, q in enumerate(briefing.quotes):
            scopes._quotes[q.cite.article].append((n, q))
        return scopes

    @classmethod
    def of_entities(cls, entities: Sequence[Entity]) -> Scopes:
        scopes = cls(entities)
        for position, ent in enumerate(entities):
            scopes._position[ent.id] = position
            # (entity position, index in the entity's list): sorting restores the entity's own order.
            for i, m in enumerate(ent.mentions):
                scopes._mentions[m.article].append((position, i, m))
            for i, r in enumerate(ent.roles):
                scopes._roles[r.cite.article].append((position, i, r))
            for i, article in enumerate(ent.articles):
                scopes._articles[article].append((position, i))
            scopes.names |= {t for n in (ent.name, *ent.variants) for t in name_tokens(n)}
        return scopes

    def positions(self, article_ids: Sequence[str]) -> set[int]:
        """Positions (in the run's list) of the entities these articles mention, titles or list."""
        found: set[int] = set()
        for a in article_ids:
            found.update(p for p, _, _ in self._mentions.get(a, ()))
            found.update(p for p, _, _ in self._roles.get(a, ()))
            found.update(p for p, _ in self._articles.get(a, ()))
        return found

    def position(self, entity_id: str) -> int | None:
        return self._position.get(entity_id)

    def scope(self, members: Sequence[Article], quotes: Sequence[Quote] | None = None) -> Scope:
        """The scope of `members`; their `quotes` in the run's order, or (None) those `of` bucketed."""
        if quotes is None:
            quotes = _in_order([nq for a in members for nq in self._quotes.get(a.id, ())])
        ids = [a.id for a in members]
        positions = {p for a in ids for p, _, _ in self._mentions.get(a, ())}
        positions |= {p for a in ids for p, _, _ in self._roles.get(a, ())}
        # A speaker found by name alone may have no mention here; the signals still read its entry.
        positions |= {self._position[q.speaker] for q in quotes if q.speaker in self._position}
        return Scope(tuple(members), self._reduced(positions, ids), tuple(quotes))

    def cut(self, article_ids: Sequence[str], also: Iterable[str] = ()) -> tuple[Entity, ...]:
        """The entities these articles mention, title or list, and the entities `also` names, in the
        run's order, each reduced to its mentions, roles and articles among `article_ids`."""
        positions = self.positions(article_ids) | {self._position[e] for e in also if e in self._position}
        return self._reduced(positions, article_ids)

    def _reduced(self, positions: set[int], article_ids: Sequence[str]) -> tuple[Entity, ...]:
        mentions: dict[int, list[tuple[int, Cite]]] = defaultdict(list)
        roles: dict[int, list[tuple[int, Role]]] = defaultdict(list)
        articles: dict[int, list[tuple[int, str]]] = defaultdict(list)
        # Each entity's lists are cut from the per-article buckets, not filtered whole: an entity
        # named in thousands of articles must not be rescanned for every story.
        for a in article_ids:
            for position, i, m in self._mentions.get(a, ()):
                mentions[position].append((i, m))
            for position, i, r in self._roles.get(a, ()):
                roles[position].append((i, r))
            for position, i in self._articles.get(a, ()):
                articles[position].append((i, a))
        return tuple(
            replace(
                self.entities[position],
                mentions=_in_order(mentions[position]),
                roles=_in_order(roles[position]),
                articles=_in_order(articles[position]),
            )
            for position in sorted(positions)
        )


def scope_key(scope: Scope, names: set[str], version: str) -> str:
    """A digest of everything the signals of `scope` depend on (`names`: the run's name tokens)."""
    digest = hashlib.sha256(f"{version}|{_wordlist_version()}".encode())
    # Reprs of frozen dataclasses spell out every field: a changed field is a changed key.
    for part in (*scope.members, *scope.entities, *scope.quotes):
        digest.update(repr(part).encode())
    words = set().union(*(plain_words(a.text) for a in scope.members))
    digest.update("|".join(sorted(words & names)).encode())
    return digest.hexdigest()


def _in_order(items: list[tuple[int, T]]) -> tuple[T, ...]:
    return tuple(item for _, item in sorted(items, key=lambda x: x[0]))


def name_tokens(name: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", name.casefold())


@cache
def _wordlist_version() -> str:
    # The misspelling check reads pyspellchecker's word list: a new release may change it.
    try:
        return metadata.version("pyspellchecker")
    except metadata.PackageNotFoundError:  # pragma: no cover - a declared dependency
        return "?"

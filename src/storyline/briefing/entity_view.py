"""The run's entities as a batch of articles sees them, read from the run's `EntityTable`.

A view holds the cites of its articles only, bucketed by article, and answers what the story
stages and writers ask of those articles with the answers the whole run's `Identities` and
`Scopes` give: where a mention points, a story's entities, a story's signal scope, the entities
cut to some articles. Look-ups that reach past the batch (a name, an entity named by id) go to the
table. `EntityViews` hands out a view per batch and keeps the latest for the writers' cuts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import TypeVar

from storyline.briefing.entity_table import LISTED, MENTION, EntityTable, Head
from storyline.model import Article, Cite, Entity, Quote, Role
from storyline.story import identities
from storyline.story.identity_index import surface_key, words_of
from storyline.story.signals_scope import Scope

__all__ = ["EntityView", "EntityViews"]

T = TypeVar("T")
_first, _second = itemgetter(0), itemgetter(1)


class EntityView:
    """The entities of a batch of articles: each with its mentions, roles and articles in them."""

    def __init__(self, table: EntityTable, article_ids: Iterable[str]) -> None:
        self._table = table
        self.articles: set[str] = set()
        # article -> (entity position, index in the entity's own list, the cite): sorting by the
        # first two restores the run's order of entities and each entity's own order.
        self._mentions: dict[str, list[tuple[int, int, Cite]]] = defaultdict(list)
        self._roles: dict[str, list[tuple[int, int, Role]]] = defaultdict(list)
        self._listed: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self._listed_sets: dict[str, set[int]] = {}
        self._heads: dict[int, Head] = {}
        self._position: dict[str, int | None] = {}
        self._named: dict[tuple[str, str], list[Head]] = {}
        self._spans: dict[str, identities.Identities] = {}
        self._load(article_ids)

    def _load(self, article_ids: Iterable[str]) -> None:
        """Read the cites of those of `article_ids` not read yet."""
        new = set(article_ids) - self.articles
        if not new:
            return
        positions: set[int] = set()
        for row in self._table.cites_in(sorted(new)):
            positions.add(row.position)
            if row.kind == LISTED:
                self._listed[row.article].append((row.position, row.seq))
                continue
            assert row.start is not None and row.end is not None
            cite = Cite(row.article, row.start, row.end)
            if row.kind == MENTION:
                self._mentions[row.article].append((row.position, row.seq, cite))
            else:
                self._roles[row.article].append((row.position, row.seq, Role(row.role or "", cite)))
        heads = self._table.heads(positions - self._heads.keys())
        self._heads.update(heads)
        self._position.update((h.id, p) for p, h in heads.items())
        self.articles |= new

    # --- `Identities`: where mentions and names point ------------------------------------------

    def entity_at(self, article: str, start: int, end: int) -> str | None:
        return self._identities(article).entity_at(article, start, end)

    def spans_in(self, article: str) -> list[tuple[int, int, str]]:
        return self._identities(article).spans_in(article)

    def find_by_name(self, name: str, article: str | None = None) -> str | None:
        """`Identities.find_by_name` over the whole run: the same candidates in the same order (name
        matches, then surname matches), so the first best is the same entity."""
        words = words_of(name)
        if not words:
            return None
        matches = list(self._looked_up("name", surface_key(name)))
        if len(words) == 1:
            surnamed = self._looked_up("surname", words[0])
            matches += [h for h in surnamed if article is None or self._lists(h, article)]
        if not matches:
            return None
        return max(matches, key=lambda h: (self._lists(h, article) if article else False, h.mentions)).id

    def _identities(self, article: str) -> identities.Identities:
        # The article's entities with their mentions in it, in the run's order: where a mention
        # points depends on nothing else, so `Identities` over these answers as over the whole run.
        # (Ids and mentions only: names would file each entity under its name keys for nothing.)
        if article not in self._spans:
            mentions: dict[int, list[tuple[int, Cite]]] = defaultdict(list)
            for position, i, cite in self._mentions_in(article):
                mentions[position].append((i, cite))
            entities = (
                Entity(self._heads[p].id, "", "", mentions=_in_order(mentions[p])) for p in sorted(mentions)
            )
            self._spans[article] = identities.Identities(entities=tuple(entities))
        return self._spans[article]

    def _looked_up(self, kind: str, key: str) -> list[Head]:
        if (kind, key) not in self._named:
            self._named[kind, key] = self._table.named(key) if kind == "name" else self._table.surnamed(key)
        return self._named[kind, key]

    def _lists(self, head: Head, article: str) -> bool:
        """`article in entity.articles`: from the batch's cites for one of its articles."""
        if article not in self.articles:
            return self._table.lists(head.position, article)
        if article not in self._listed_sets:
            self._listed_sets[article] = {p for p, _ in self._listed.get(article, ())}
        return head.position in self._listed_sets[article]

    # --- a story's entities (`stories.Index`) ----------------------------------------------------

    def story_entities(self, members: Sequence[Article]) -> list[Entity]:
        """The entities that list one of `members` among their articles, in the run's order, each
        reduced to its mentions, roles and articles in `members` (what the story stages read)."""
        ids = [a.id for a in members]
        positions = {p for a in ids for p, _ in self._listed_in(a)}
        return list(self._reduced(positions, ids))

    # --- `Scopes`: a story's signal scope, and entities cut to some articles ---------------------

    def positions(self, article_ids: Sequence[str]) -> set[int]:
        """Positions of the entities these articles mention, title or list."""
        found: set[int] = set()
        for a in article_ids:
            found.update(p for p, _, _ in self._mentions_in(a))
            found.update(p for p, _, _ in self._roles_in(a))
            found.update(p for p, _ in self._listed_in(a))
        return found

    def position(self, entity_id: str) -> int | None:
        if entity_id not in self._position:
            self._position[entity_id] = self._table.position(entity_id)
        return self._position[entity_id]

    def scope(self, members: Sequence[Article], quotes: Sequence[Quote]) -> Scope:
        """`Scopes.scope`: the members, their quotes, and the entities they name or quote."""
        ids = [a.id for a in members]
        positions = {p for a in ids for p, _, _ in self._mentions_in(a)}
        positions |= {p for a in ids for p, _, _ in self._roles_in(a)}
        # A speaker found by name alone may have no mention here; the signals still read its entry.
        positions |= {p for q in quotes if q.speaker and (p := self.position(q.speaker)) is not None}
        return Scope(tuple(members), self._reduced(positions, ids), tuple(quotes))

    def cut(self, article_ids: Sequence[str], also: Iterable[str] = ()) -> tuple[Entity, ...]:
        """`Scopes.cut`."""
        named = {p for e in also if (p := self.position(e)) is not None}
        return self._reduced(self.positions(article_ids) | named, article_ids)

    def _reduced(self, positions: set[int], article_ids: Sequence[str]) -> tuple[Entity, ...]:
        mentions: dict[int, list[tuple[int, Cite]]] = defaultdict(list)
        roles: dict[int, list[tuple[int, Role]]] = defaultdict(list)
        listed: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for a in article_ids:
            for position, i, m in self._mentions_in(a):
                mentions[position].append((i, m))
            for position, i, r in self._roles_in(a):
                roles[position].append((i, r))
            for position, i in self._listed_in(a):
                listed[position].append((i, a))
        missing = positions - self._heads.keys()
        if missing:  # entities named from outside the batch (a speaker found by name, say)
            self._heads.update(self._table.heads(missing))
        return tuple(
            self._heads[p].entity(_in_order(roles[p]), _in_order(mentions[p]), _in_order(listed[p]))
            for p in sorted(positions)
        )

    # An article outside the batch is read when asked about (never, in a plan's passes).
    def _mentions_in(self, article: str) -> list[tuple[int, int, Cite]]:
        if article not in self.articles:
            self._load([article])
        return self._mentions.get(article, [])

    def _roles_in(self, article: str) -> list[tuple[int, int, Role]]:
        if article not in self.articles:
            self._load([article])
        return self._roles.get(article, [])

    def _listed_in(self, article: str) -> list[tuple[int, int]]:
        if article not in self.articles:
            self._load([article])
        return self._listed.get(article, [])


class EntityViews:
    """Views of the run's entity table, one per batch of articles; a cut of articles within the
    latest view's batch is made from it (a writer cuts each story of the batch it is given)."""

    def __init__(self, table: EntityTable) -> None:
        self.table = table
        self._latest: EntityView | None = None

    def view(self, article_ids: Iterable[str]) -> EntityView:
        self._latest = EntityView(self.table, article_ids)
        return self._latest

    def cut(self, article_ids: Sequence[str], also: Iterable[str] = ()) -> tuple[Entity, ...]:
        """`Scopes.cut`, from the latest view when it holds these articles."""
        view = self._latest
        if view is None or not view.articles.issuperset(article_ids):
            view = EntityView(self.table, article_ids)
        return view.cut(article_ids, also)


def _in_order(items: list[tuple[int, T]]) -> tuple[T, ...]:
    """The items by their place in the entity's list (a batch's rows come mostly in that order)."""
    if len(items) > 1:
        items.sort(key=_first)
    return tuple(map(_second, items))

"""The run's entities as a batch of articles sees them, read from the run's `EntityTable`.

A view holds the cites of its articles only, bucketed by article, and answers what the story
stages and writers ask of those articles with the answers the whole run's `Identities` and
`Scopes` give: where a mention points, a story's entities, a story's signal scope, the entities
cut to some articles. Look-ups that reach past the batch (a name, an entity named by id) go to the
table. `EntityViews` hands out a view per batch and keeps the latest for the writers' cuts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import chain
from operator import itemgetter
from typing import TypeVar

from storyline.briefing.entity_table import LISTED, MENTION, EntityTable, Head
from storyline.model import Article, Cite, Entity, Quote, Role
from storyline.story.identities import MentionSpans
from storyline.story.identity_index import surface_key, words_of
from storyline.story.signals_scope import Scope

__all__ = ["EntityView", "EntityViews"]

T = TypeVar("T")
_first, _second = itemgetter(0), itemgetter(1)


# One entity's cites in one article: its mentions, roles and the article itself if it lists it,
# each with its place in the entity's list of that kind (to merge several articles' in that order).
_Part = tuple[list[tuple[int, Cite]], list[tuple[int, Role]], list[tuple[int, str]]]


class EntityView:
    """The entities of a batch of articles: each with its mentions, roles and articles in them.

    The batch's cite rows are read at once and kept as read; what each question needs of an
    article (where its mentions point, which entities list it, its entities' cites as objects) is
    made from them when first asked: a pass over the articles' quotes asks only the first two.
    """

    def __init__(self, table: EntityTable, article_ids: Iterable[str]) -> None:
        self._table = table
        self.articles: set[str] = set()
        # article -> its cite rows: (entity position, kind, place in the entity's list, start, end,
        # role), in that order (`EntityTable.cites_in`), so each entity's cites here are in its order
        self._rows: dict[str, list[tuple[int, int, int, int | None, int | None, str | None]]] = {}
        self._ids: dict[int, str] = {}  # entity position -> id, for the entities of the batch
        self._position: dict[str, int | None] = {}
        self._heads: dict[int, Head] = {}
        self._parts: dict[str, dict[int, _Part]] = {}  # article -> entity position -> its cites there
        self._spans: dict[str, MentionSpans] = {}
        self._listing: dict[str, set[int]] = {}  # article -> positions of the entities listing it
        self._load(article_ids)

    def _load(self, article_ids: Iterable[str]) -> None:
        """Read the cite rows of those of `article_ids` not read yet."""
        new = set(article_ids) - self.articles
        if not new:
            return
        rows = self._rows
        for article in new:
            rows[article] = []
        positions: set[int] = set()
        for position, kind, seq, article, start, end, role in self._table.cites_in(sorted(new)):
            rows[article].append((position, kind, seq, start, end, role))
            positions.add(position)
        ids = self._table.ids(positions - self._ids.keys())
        self._ids.update(ids)
        self._position.update((i, p) for p, i in ids.items())
        self.articles |= new

    # --- `Identities`: where mentions and names point ------------------------------------------

    def entity_at(self, article: str, start: int, end: int) -> str | None:
        return self._spans_of(article).entity_at(start, end)

    def spans_in(self, article: str) -> list[tuple[int, int, str]]:
        return self._spans_of(article).listed()

    def find_by_name(self, name: str, article: str | None = None) -> str | None:
        """`Identities.find_by_name` over the whole run: the same candidates in the same order (name
        matches, then surname matches), so the first best is the same entity."""
        words = words_of(name)
        if not words:
            return None
        matches = list(self._table.named(surface_key(name)))
        if len(words) == 1:
            matches += [
                h for h in self._table.surnamed(words[0]) if article is None or self._lists(h, article)
            ]
        if not matches:
            return None
        return max(matches, key=lambda h: (self._lists(h, article) if article else False, h.mentions)).id

    def _spans_of(self, article: str) -> MentionSpans:
        # As `Identities` reads them off the entities in the run's order: a span two entities
        # share belongs to the later one.
        if article not in self._spans:
            points: dict[tuple[int, int], str] = {}
            for position, kind, _, start, end, _ in self._rows_in(article):  # in position order
                if kind == MENTION:
                    assert start is not None and end is not None
                    points[start, end] = self._ids[position]
            self._spans[article] = MentionSpans.of(points)
        return self._spans[article]

    def _lists(self, head: Head, article: str) -> bool:
        """`article in entity.articles`, from the batch's cites for one of its articles."""
        if article not in self.articles:
            return self._table.lists(head.position, article)
        return head.position in self._listing_in(article)

    def _listing_in(self, article: str) -> set[int]:
        """The positions of the entities that list `article`."""
        if article not in self._listing:
            self._listing[article] = {p for p, kind, *_ in self._rows_in(article) if kind == LISTED}
        return self._listing[article]

    # --- a story's entities (`stories.Index`) ----------------------------------------------------

    def story_entities(self, members: Sequence[Article], cites: bool = True) -> list[Entity]:
        """The entities that list one of `members` among their articles, in the run's order, each
        reduced to its mentions, roles and articles in `members` (what the story stages read), or
        without any (`cites` false: what a story's cache key reads)."""
        ids = [a.id for a in members]
        positions = set().union(*(self._listing_in(a) for a in ids))
        if cites:
            return list(self._reduced(positions, ids))
        heads = self._heads_at(positions)
        return [heads[p].entity() for p in sorted(positions)]

    # --- `Scopes`: a story's signal scope, and entities cut to some articles ---------------------

    def positions(self, article_ids: Sequence[str]) -> set[int]:
        """Positions of the entities these articles mention, title or list."""
        return {p for a in article_ids for p in self._parts_in(a)}

    def position(self, entity_id: str) -> int | None:
        if entity_id not in self._position:
            self._position[entity_id] = self._table.position(entity_id)
        return self._position[entity_id]

    def scope(self, members: Sequence[Article], quotes: Sequence[Quote]) -> Scope:
        """`Scopes.scope`: the members, their quotes, and the entities they name or quote."""
        ids = [a.id for a in members]
        positions = {
            p for a in ids for p, (mentions, roles, _) in self._parts_in(a).items() if mentions or roles
        }
        # A speaker found by name alone may have no mention here; the signals still read its entry.
        positions |= {p for q in quotes if q.speaker and (p := self.position(q.speaker)) is not None}
        return Scope(tuple(members), self._reduced(positions, ids), tuple(quotes))

    def cut(self, article_ids: Sequence[str], also: Iterable[str] = ()) -> tuple[Entity, ...]:
        """`Scopes.cut`."""
        named = {p for e in also if (p := self.position(e)) is not None}
        return self._reduced(self.positions(article_ids) | named, article_ids)

    def _reduced(self, positions: set[int], article_ids: Sequence[str]) -> tuple[Entity, ...]:
        """The entities at `positions` in the run's order, each with its cites among `article_ids`
        (an entity named in thousands of articles is cut from theirs, never read whole)."""
        heads = self._heads_at(positions)
        by_article = [self._parts_in(a) for a in article_ids]
        out = []
        for p in sorted(positions):
            parts = [part for found in by_article if (part := found.get(p)) is not None]
            if len(parts) == 1:  # most entities of a story are named in one of its articles
                part = parts[0]
                out.append(heads[p].entity(_items(part[1]), _items(part[0]), _items(part[2])))
            else:
                roles = _merged([part[1] for part in parts])
                mentions = _merged([part[0] for part in parts])
                listed = _merged([part[2] for part in parts])
                out.append(heads[p].entity(roles, mentions, listed))
        return tuple(out)

    def _heads_at(self, positions: set[int]) -> dict[int, Head]:
        """The heads of the entities, all of the batch's read at the first call (one query), any
        other (an entity named from outside the batch, a speaker say) when asked for."""
        if not self._heads:
            self._heads.update(self._table.heads(self._ids))
        missing = [p for p in positions if p not in self._heads]
        if missing:
            self._heads.update(self._table.heads(missing))
        return self._heads

    def _parts_in(self, article: str) -> dict[int, _Part]:
        if article not in self._parts:
            parts: dict[int, _Part] = {}
            for position, kind, seq, start, end, role in self._rows_in(article):
                part = parts.get(position)
                if part is None:
                    part = parts[position] = ([], [], [])
                if kind == LISTED:
                    part[2].append((seq, article))
                    continue
                assert start is not None and end is not None
                if kind == MENTION:
                    part[0].append((seq, Cite(article, start, end)))
                else:
                    part[1].append((seq, Role(role or "", Cite(article, start, end))))
            self._parts[article] = parts
        return self._parts[article]

    def _rows_in(self, article: str) -> list[tuple[int, int, int, int | None, int | None, str | None]]:
        if article not in self.articles:  # read when asked about (never, in a plan's passes)
            self._load([article])
        return self._rows[article]


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


def _items(cites: list[tuple[int, T]]) -> tuple[T, ...]:
    return tuple(map(_second, cites))


def _merged(lists: list[list[tuple[int, T]]]) -> tuple[T, ...]:
    """The cites of several articles in the entity's own order."""
    return tuple(map(_second, sorted(chain.from_iterable(lists), key=_first)))

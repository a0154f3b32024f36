"""The store as the workbench reads it: whole-store lists from the catalog, each story's own part.

A `StoreSnapshot` answers what spans the store (lists, counts, the API's tables, the network, the
Q&A index) with queries on its `Catalog`. A page about one story or article reads a *slice*: the
story's articles, their quotes, events and signals, its claims, conflicts and stances, and the
entities cut to its articles as `Scopes.cut` cuts them, wrapped in a per-briefing `Snapshot` with
the whole store's speaker colours, so those pages keep their code. The last slices are kept.
"""

from __future__ import annotations

import functools
import json
import threading
import weakref
from collections import Counter, OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from storyline.briefing.view import BriefingView, EntityRow, SourceRef
from storyline.model import (
    Article,
    Briefing,
    Cite,
    Claim,
    Entity,
    Signal,
    Story,
    Tool,
    from_dict,
)
from storyline.web import slices
from storyline.web.catalog import Catalog
from storyline.web.slices import ARTICLES, IN
from storyline.web.slices import decode as _decode
from storyline.web.state import Snapshot

if TYPE_CHECKING:
    from storyline.briefing.stories import StoryCache
    from storyline.story.ask import SentenceIndex
    from storyline.web.network import ActorGraph, NetworkPicture

__all__ = ["StoreSnapshot"]

SLICES_KEPT = 32


class Anchors(Mapping[str, str]):
    """Article anchor -> article id, read from the catalog as `pages.ref_cite` asks."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog

    def __getitem__(self, anchor: str) -> str:
        # The last article of an anchor, as a dict built over the articles in order keeps it.
        row = self._catalog.one(
            "SELECT id FROM articles WHERE anchor = ? ORDER BY pos DESC LIMIT 1", (anchor,)
        )
        if row is None:
            raise KeyError(anchor)
        return str(row[0])

    def __iter__(self) -> Iterator[str]:
        return (r[0] for r in self._catalog.stream("SELECT DISTINCT anchor FROM articles"))

    def __len__(self) -> int:
        row = self._catalog.one("SELECT count(DISTINCT anchor) FROM articles")
        return int(row[0]) if row else 0


class StoreSnapshot:
    """One load of the store: its catalog, header and counts, and its stories' slices on demand."""

    def __init__(self, catalog: Catalog, generation: int) -> None:
        self.catalog = catalog
        self.generation = generation
        self.header: Briefing = from_dict(Briefing, catalog.meta("header"))
        self.tool: Tool = self.header.tool
        self.counts: dict[str, int] = catalog.meta("counts")
        self.colours: dict[str, int] = catalog.meta("colours")
        self.issue_order: tuple[str, ...] = tuple(catalog.meta("issue_order"))
        self.types: Counter[str] = Counter(catalog.meta("types"))
        self.unassigned: int = catalog.meta("unassigned")
        self.site_count: int = self.counts["sources"]
        self.by_anchor = Anchors(catalog)
        self._slices: OrderedDict[object, Snapshot] = OrderedDict()
        self._lock = threading.Lock()
        # The catalog's folder goes with the last reader of this snapshot (an ingest swaps it).
        weakref.finalize(self, catalog.remove)

    @classmethod
    def of_briefing(cls, briefing: Briefing, generation: int) -> StoreSnapshot:
        return cls(Catalog.of_briefing(briefing), generation)

    # --- single items ------------------------------------------------------------------------

    def story_pos(self, story_id: str) -> int | None:
        row = self.catalog.one("SELECT pos FROM stories WHERE id = ? ORDER BY pos LIMIT 1", (story_id,))
        return int(row[0]) if row else None

    def story(self, pos: int) -> Story:
        row = self.catalog.one("SELECT body FROM stories WHERE pos = ?", (pos,))
        assert row is not None
        return _decode(Story, row[0])

    def story_articles(self, story_id: str | None) -> list[str] | None:
        """The article ids of a story (None: no filter); KeyError for an unknown story."""
        if story_id is None:
            return None
        pos = self.story_pos(story_id)
        if pos is None:
            raise KeyError(story_id)
        return [
            r[0]
            for r in self.catalog.rows(
                "SELECT article FROM story_articles WHERE story = ? ORDER BY n", (pos,)
            )
        ]

    def article(self, article_id: str) -> Article | None:
        row = self.catalog.one("SELECT body FROM articles WHERE id = ? ORDER BY pos LIMIT 1", (article_id,))
        return _decode(Article, row[0]) if row else None

    def article_story(self, article_id: str) -> str | None:
        row = self.catalog.one("SELECT story FROM articles WHERE id = ? ORDER BY pos LIMIT 1", (article_id,))
        return row[0] if row else None

    def article_metas(self, article_ids: Sequence[str]) -> list[dict[str, Any]]:
        """Articles without their text (`schemas.ArticleMeta`), in the order asked."""
        sql = f"SELECT id, meta FROM articles WHERE id IN ({IN}) ORDER BY pos"
        found: dict[str, str] = {}
        for i, meta in self.catalog.rows(sql, (json.dumps(list(article_ids)),)):
            found[i] = meta  # the last article of an id, as a look-up by id keeps it
        return [json.loads(found[a]) for a in article_ids if a in found]

    def unassigned_metas(self) -> list[dict[str, Any]]:
        """Articles that no story lists, in briefing order."""
        return [
            json.loads(r[0])
            for r in self.catalog.rows("SELECT meta FROM articles WHERE story IS NULL ORDER BY pos")
        ]

    def cards(self, offset: int, limit: int) -> list[dict[str, Any]]:
        """The home page's story cards, worked out when the catalog was written."""
        sql = "SELECT card FROM stories ORDER BY pos LIMIT ? OFFSET ?"
        return [json.loads(r[0]) for r in self.catalog.rows(sql, (limit, offset))]

    def sources_page(
        self, new: set[str], offset: int, limit: int
    ) -> tuple[list[dict[str, Any]], BriefingView]:
        """A page of the sources list (the articles just added first, then by site and date) and a
        view of the page's signals with the articles their evidence cites."""
        sql = (
            f"SELECT id, meta FROM articles ORDER BY id NOT IN ({IN}), sort_site, published, pos"
            " LIMIT ? OFFSET ?"
        )
        page = self.catalog.rows(sql, (json.dumps(sorted(new)), limit, offset))
        ids = json.dumps([i for i, _ in page])
        signals = tuple(
            _decode(Signal, r[0])
            for r in self.catalog.rows(
                f"SELECT body FROM signals WHERE article IN ({IN}) ORDER BY pos", (ids,)
            )
        )
        cited = {e.article for s in signals for e in s.evidence if isinstance(e, Cite)}
        articles = tuple(
            _decode(Article, r[0]) for r in self.catalog.rows(ARTICLES, (json.dumps(sorted(cited)),))
        )
        view = BriefingView(Briefing("", self.tool, articles=articles, signals=signals), colours={})
        return [json.loads(meta) for _, meta in page], view

    def story_titles(self, story_ids: set[str]) -> dict[str, str]:
        sql = f"SELECT id, json_extract(body, '$.title') FROM stories WHERE id IN ({IN}) ORDER BY pos"
        return {i: t for i, t in self.catalog.rows(sql, (json.dumps(sorted(story_ids)),))}

    def entity(self, entity_id: str) -> Entity | None:
        row = self.catalog.one(
            "SELECT body FROM entities WHERE id = ? ORDER BY pos DESC LIMIT 1", (entity_id,)
        )
        return _decode(Entity, row[0]) if row else None

    def ref(self, cite: Cite) -> SourceRef:
        """Where a cite points (site, title, words), as the briefing's view words it."""
        article = self.article(cite.article)
        articles = (article,) if article is not None else ()
        return BriefingView(Briefing("", self.tool, articles=articles), colours={}).ref(cite)

    # --- entities -------------------------------------------------------------------------------

    def entity_count(self, kind: str | None) -> int:
        row = self.catalog.one(
            "SELECT count(*) FROM entities WHERE rank >= 0 AND (? IS NULL OR type = ?)", (kind, kind)
        )
        return int(row[0]) if row else 0

    def entity_lines(self, kind: str | None, offset: int, limit: int) -> list[dict[str, Any]]:
        """Rows of the entities list, sorted as `view.entity_rows` sorts them (its order ties on
        the entities' own order)."""
        sql = (
            "SELECT line FROM entities WHERE rank >= 0 AND (? IS NULL OR type = ?)"
            " ORDER BY rank, mentions DESC, articles DESC, sort_name, pos LIMIT ? OFFSET ?"
        )
        return [json.loads(r[0]) for r in self.catalog.rows(sql, (kind, kind, limit, offset))]

    def _entity_pos(self, entity_id: str) -> int | None:
        row = self.catalog.one("SELECT MAX(pos) FROM entities WHERE id = ?", (entity_id,))
        return None if row is None or row[0] is None else int(row[0])

    def mentioned_in_count(self, entity_id: str) -> int:
        sql = (
            "SELECT count(*) FROM entity_articles m WHERE m.entity = ? AND m.n > 0"
            " AND EXISTS (SELECT 1 FROM articles a WHERE a.id = m.article)"
        )
        row = self.catalog.one(sql, (self._entity_pos(entity_id),))
        return int(row[0]) if row else 0

    def mentioned_in(self, entity_id: str, offset: int, limit: int) -> list[tuple[Article, int]]:
        """The articles that mention an entity, most mentions first (first mentioned first on a tie),
        each as the list shows it: id, title and site (not its text)."""
        sql = (
            "SELECT m.article, m.n, json_extract(a.meta, '$.title'), json_extract(a.meta, '$.site'),"
            " json_extract(a.meta, '$.source') FROM entity_articles m"
            " JOIN articles a ON a.pos = (SELECT MIN(pos) FROM articles WHERE id = m.article)"
            " WHERE m.entity = ? AND m.n > 0 ORDER BY m.n DESC, m.first LIMIT ? OFFSET ?"
        )
        rows = self.catalog.rows(sql, (self._entity_pos(entity_id), limit, offset))
        return [(Article(i, source, "", title=title, site=site), n) for i, n, title, site, source in rows]

    def entity_part(self, found: Entity) -> tuple[Snapshot, EntityRow]:
        """What an entity's page shows of it as a small briefing (its quotes, events, claims and
        stances, the articles they and its roles cite, the entities they name) and its row."""
        part = Snapshot.of(
            slices.entity_part(self.catalog, self.header, found), self.generation, self.colours
        )
        part.disputed = self._disputed(part.briefing.claims)
        return part, self._entity_row(found, part.view)

    def _entity_row(self, found: Entity, view: BriefingView) -> EntityRow:
        """The entity's row over the whole store (`view.entity_rows`): counts from the catalog,
        each role once per source with the cited words."""
        row = self.catalog.one(
            "SELECT mentions, articles FROM entities WHERE pos = ?", (self._entity_pos(found.id),)
        )
        mentions, articles = row if row else (0, 0)
        by_role: dict[str, list[SourceRef]] = {}
        seen: set[tuple[str, str]] = set()
        for r in found.roles:
            if r.cite.article in view.articles and (r.role, r.cite.article) not in seen:
                seen.add((r.role, r.cite.article))
                by_role.setdefault(r.role, []).append(view.ref(r.cite))
        roles = tuple(
            (role, tuple(refs)) for role, refs in sorted(by_role.items(), key=lambda item: -len(item[1]))
        )
        variants = tuple(dict.fromkeys(v for v in found.variants if v != found.name))
        return EntityRow(found.id, found.name, found.type, mentions, articles, variants, roles)

    # --- slices ----------------------------------------------------------------------------------

    def part(self, story_pos: int) -> Snapshot:
        """The story's own briefing, with the per-briefing look-ups (kept among the last used)."""
        return self._kept(story_pos, lambda: self._slice(self.story(story_pos)))

    def article_part(self, article_id: str) -> Snapshot:
        """The slice an article's page reads: its story's, or the article alone when in no story."""
        story = self.article_story(article_id)
        pos = self.story_pos(story) if story is not None else None
        if pos is not None:
            return self.part(pos)
        return self._kept(("article", article_id), lambda: self._slice(None, [article_id]))

    def _kept(self, key: object, make: Any) -> Snapshot:
        with self._lock:
            found = self._slices.get(key)
            if found is not None:
                self._slices.move_to_end(key)
                return found
        made: Snapshot = make()
        with self._lock:
            self._slices[key] = made
            while len(self._slices) > SLICES_KEPT:
                self._slices.popitem(last=False)
        return made

    def _slice(self, story: Story | None, ids: Sequence[str] | None = None) -> Snapshot:
        briefing = self.slice_briefing(story, ids)
        snap = Snapshot.of(briefing, self.generation, colours=self.colours)
        # Every cite the whole store makes into these articles, and every disputed claim, come
        # from the catalog: an item of another story may cite them too.
        chosen = json.dumps([a.id for a in briefing.articles])
        cited: dict[str, set[Cite]] = {}
        for article, start, end in self.catalog.rows(
            f'SELECT article, start, "end" FROM cites WHERE article IN ({IN})', (chosen,)
        ):
            cited.setdefault(article, set()).add(Cite(article, start, end))
        snap.cited = cited
        snap.disputed = self._disputed(briefing.claims)
        return snap

    def _disputed(self, claims: Sequence[Claim]) -> set[str]:
        """Which of these claims are a side of a conflict (of any story)."""
        sql = f"SELECT id FROM claims WHERE disputed AND id IN ({IN})"
        return {r[0] for r in self.catalog.rows(sql, (json.dumps([c.id for c in claims]),))}

    def slice_briefing(self, story: Story | None, ids: Sequence[str] | None = None) -> Briefing:
        """A story's part of the briefing (or some articles' part, `story` None)."""
        return slices.story_part(self.catalog, self.header, story, ids)

    # --- whole-store parts ---------------------------------------------------------------------

    @functools.cached_property
    def network(self) -> tuple[ActorGraph, NetworkPicture]:
        """The whole store's actor network and its drawing, built once per load."""
        from storyline.web.network import picture
        from storyline.web.store_network import store_graph

        graph = store_graph(self)
        return graph, picture(graph)

    def sentence_index(self, cache: StoryCache | None) -> SentenceIndex:
        """The Q&A index of every article, read from the catalog in one pass (as `from_plan`)."""
        from storyline.story.ask import SentenceIndex, starts_by_article

        dated = starts_by_article(
            (c["article"], c["start"])
            for (body,) in self.catalog.stream("SELECT body FROM stories ORDER BY pos")
            for entry in json.loads(body)["timeline"]
            for c in (entry["cite"], *entry["cites"])
        )
        people = (
            _decode(Entity, r[0])
            for r in self.catalog.stream("SELECT body FROM entities WHERE type = 'PERSON' ORDER BY pos")
        )
        articles = (
            _decode(Article, r[0]) for r in self.catalog.stream("SELECT body FROM articles ORDER BY pos")
        )
        return SentenceIndex.of(articles, people, dated, cache)

    def decoded(self, cls: type[Any], sql: str, params: Sequence[Any] = ()) -> Iterator[Any]:
        return (_decode(cls, r[0]) for r in self.catalog.stream(sql, params))

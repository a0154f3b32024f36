"""Writing the workbench's catalog (`web.catalog`): a briefing's rows, in one pass.

From a `Plan` the rows come as `briefing.stream` writes files (the articles with their quotes and
events, then story by story its claims, conflicts, stances and signals); from a `Briefing` table by
table. What the pages list is worked out here once: each story's card, each entity's counts and
roles, the store's speaker colours and stance issue order.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyline.briefing.render import article_anchor, speaker_colours
from storyline.briefing.render_html import cited_spans
from storyline.briefing.view import TYPE_ORDER, BriefingView, StoryHead, StoryView, site_name, story_view
from storyline.model import (
    Article,
    Briefing,
    Claim,
    Conflict,
    Entity,
    Event,
    Quote,
    Signal,
    Stance,
    Story,
    to_dict,
)
from storyline.story.entity_lookup import EntityCut
from storyline.story.signals_scope import Scopes
from storyline.web.catalog import INDEXES, TABLES, dumps

if TYPE_CHECKING:
    from storyline.briefing.build import Plan

__all__ = ["Builder"]

_TYPE_RANK = {t: i for i, t in enumerate(TYPE_ORDER)}


class Builder:
    """Writes the catalog: `article` rows, then `story` parts, then `finish`; positions follow the
    order of the calls, which is the briefing's own order (`build.assemble` lists them so)."""

    def __init__(self, path: Path, header: Briefing) -> None:
        self.conn = sqlite3.connect(path)
        self.conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + TABLES)
        self.header = header
        self.count: Counter[str] = Counter()  # rows written per table
        self.article_pos: dict[str, int] = {}
        self.sites: set[str] = set()
        self.speakers: Counter[str] = Counter()
        self.quotes_in: Counter[str] = Counter()
        self.pairs: dict[tuple[str, str], None] = {}  # (actor, issue) of the stances, first seen first
        self.disputed: set[str] = set()

    def __enter__(self) -> Builder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.conn.close()

    def insert(self, table: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            self.conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)

    def pos(self, table: str) -> int:
        self.count[table] += 1
        return self.count[table] - 1

    # --- the two ways in -------------------------------------------------------------------

    def from_briefing(self, b: Briefing) -> None:
        for article in b.articles:
            self.article(article)
        self.quotes(b.quotes)
        self.events(b.events)
        scopes = Scopes.of_entities(b.entities)
        quotes: dict[str, int] = Counter(q.cite.article for q in b.quotes)
        held = {a.id: a for a in b.articles}
        for story in b.stories:
            members = [held[a] for a in dict.fromkeys(story.articles) if a in held]
            self.story(story, members, scopes, sum(quotes[a.id] for a in members))
        self.claims(b.claims)
        self.conflicts(b.conflicts)
        self.stances(b.stances)
        self.signals(b.signals)
        self.entities(b.entities)
        self.cites(c for cites in cited_spans(b).values() for c in cites)
        self.finish()

    def from_plan(self, plan: Plan) -> None:
        for row in plan.rows():
            self.article(row.article)
            self.quotes(row.quotes)
            self.events(row.events)
        scopes = plan.scopes
        for part in plan.stories():
            result = part.result
            members = [r.article for r in part.rows]
            quotes = sum(len(r.quotes) for r in part.rows)
            self.story(result.story, members, scopes, quotes)
            self.claims(result.claims)
            self.conflicts(result.conflicts)
            self.stances(result.stances)
            self.signals(part.signals)
            story = Briefing(
                generated_at="",
                tool=self.header.tool,
                stories=(result.story,),
                claims=result.claims,
                conflicts=result.conflicts,
                stances=result.stances,
                signals=part.signals,
                quotes=tuple(q for r in part.rows for q in r.quotes),
                events=tuple(e for r in part.rows for e in r.events),
            )
            self.cites(c for cites in cited_spans(story).values() for c in cites)
        # Read back from the run's entity table an entity at a time, twice.
        entities = plan.corpus.entities
        self.entities(entities)
        self.cites(r.cite for e in entities for r in e.roles)
        self.finish()

    # --- rows --------------------------------------------------------------------------------

    def article(self, a: Article) -> None:
        pos = self.pos("articles")
        self.article_pos.setdefault(a.id, pos)
        site = site_name(a)
        self.sites.add(site)
        meta = {
            "id": a.id,
            "title": a.title,
            "site": site,
            "source": a.source,
            "url": a.url,
            "author": a.author,
            "published": a.published,
            "language": a.language,
            "duplicate_of": a.duplicate_of,
            "story": None,  # both filled in by `finish`, once every story and quote is in
            "words": len(a.text.split()),
            "quotes": 0,
            "removed": len(a.removed),
        }
        row = (pos, a.id, article_anchor(a.id), site, site.casefold(), a.published or "", a.title)
        self.insert("articles", [(*row, None, 0, dumps(meta), dumps(a))])

    def quotes(self, quotes: Iterable[Quote]) -> None:
        rows = []
        for q in quotes:
            rows.append((self.pos("quotes"), q.id, q.cite.article, q.speaker, dumps(q)))
            self.quotes_in[q.cite.article] += 1
            if q.speaker:
                self.speakers[q.speaker] += 1
        self.insert("quotes", rows)

    def events(self, events: Iterable[Event]) -> None:
        self.insert(
            "events",
            [
                (self.pos("events"), e.id, e.cite.article, e.type, e.source, e.target, dumps(e))
                for e in events
            ],
        )

    def story(self, story: Story, members: Sequence[Article], scopes: EntityCut, quotes: int) -> None:
        pos = self.pos("stories")
        shown = _story_alone(story, members, scopes, self.header)
        people = [e.name for e in shown.entities if e.type == "PERSON"][:5]
        card = {
            "id": shown.id,
            "title": shown.title,
            "articles": len(shown.articles),
            "sites": shown.sites,
            "date_range": shown.date_range,
            "lead": shown.summary[0].text if shown.summary else None,
            "people": people,
            "quotes": quotes,
            "dated_events": len(shown.timeline),
        }
        heads = StoryHead.of(shown).row()
        self.insert(
            "stories",
            [(pos, story.id, dumps(story), dumps(card), dumps(heads))],
        )
        self.insert("story_articles", [(pos, n, a) for n, a in enumerate(story.articles)])
        self.insert(
            "timeline",
            [
                (
                    self.pos("timeline"),
                    story.id,
                    dumps({**to_dict(t), "story": story.id}),
                )
                for t in story.timeline
            ],
        )

    def claims(self, claims: Iterable[Claim]) -> None:
        for c in claims:
            pos = self.pos("claims")
            self.insert("claims", [(pos, c.id, c.story, c.actor, int(c.single_source), 0, dumps(c))])
            self.insert("claim_articles", [(pos, a) for a in dict.fromkeys(m.article for m in c.mentions)])

    def conflicts(self, conflicts: Iterable[Conflict]) -> None:
        for c in conflicts:
            self.insert("conflicts", [(self.pos("conflicts"), c.id, c.story, c.kind, dumps(c))])
            self.disputed.update(s.ref for s in c.sides if s.kind == "claim")

    def stances(self, stances: Iterable[Stance]) -> None:
        for s in stances:
            pos = self.pos("stances")
            self.pairs.setdefault((s.actor, s.issue), None)
            self.insert("stances", [(pos, s.actor, s.issue, dumps(s))])
            self.insert("stance_articles", [(pos, a) for a in dict.fromkeys(c.article for c in s.cites)])

    def signals(self, signals: Iterable[Signal]) -> None:
        # Listed article by article (as `assemble` lists them); `finish` numbers them so.
        self.insert(
            "signals",
            [
                (self.pos("signals"), None, s.article, self.article_pos.get(s.article, 0), s.signal, dumps(s))
                for s in signals
            ],
        )

    def cites(self, cites: Iterable[Any]) -> None:
        self.insert("cites", ((c.article, c.start, c.end) for c in cites))

    def entities(self, entities: Iterable[Entity]) -> None:
        known = self.article_pos
        for e in entities:
            pos = self.pos("entities")
            per_article: dict[str, tuple[list[Any], list[Any], list[int]]] = {}
            for i, m in enumerate(e.mentions):
                per_article.setdefault(m.article, ([], [], []))[0].append([i, m.start, m.end])
            for i, r in enumerate(e.roles):
                per_article.setdefault(r.cite.article, ([], [], []))[1].append(
                    [i, r.role, r.cite.start, r.cite.end]
                )
            for i, a in enumerate(e.articles):
                per_article.setdefault(a, ([], [], []))[2].append(i)
            self.insert(
                "entity_articles",
                [
                    (pos, a, dumps(m), dumps(r), dumps(listed), len(m),
                     m[0][0] if m else 0)
                    for a, (m, r, listed) in per_article.items()
                ],
            )  # fmt: skip
            self.insert("entities", [_entity_row(pos, e, known)])

    def finish(self) -> None:
        conn = self.conn
        # Indexed first: the updates below look rows up by article and claim id.
        conn.executescript(INDEXES)
        # The story of an article is the first story that lists it.
        conn.execute(
            "UPDATE articles SET story = (SELECT s.id FROM story_articles m JOIN stories s ON s.pos = m.story"
            " WHERE m.article = articles.id ORDER BY m.story LIMIT 1)"
        )
        conn.executemany(
            "UPDATE articles SET quotes = ? WHERE id = ?", [(n, a) for a, n in self.quotes_in.items()]
        )
        conn.execute("UPDATE articles SET meta = json_set(meta, '$.story', story, '$.quotes', quotes)")
        conn.executemany("UPDATE claims SET disputed = 1 WHERE id = ?", [(c,) for c in self.disputed])
        order = conn.execute("SELECT seq FROM signals ORDER BY article_pos, seq").fetchall()
        conn.executemany(
            "UPDATE signals SET pos = ? WHERE seq = ?", [(n, seq) for n, (seq,) in enumerate(order)]
        )
        conn.execute("CREATE INDEX signals_pos ON signals (pos)")
        issues = Counter(issue for _, issue in self.pairs)
        people = conn.execute("SELECT count(*) FROM entities WHERE type = 'PERSON'").fetchone()[0]
        counts = {
            "stories": self.count["stories"],
            "articles": self.count["articles"],
            "sources": len(self.sites),
            "people": people,
            "entities": self.count["entities"],
            "quotes": self.count["quotes"],
            "speakers": len(self.speakers),
            "events": self.count["events"],
        }
        meta = {
            "header": to_dict(self.header),
            "counts": counts,
            "colours": speaker_colours(self.speakers.elements()),
            "issue_order": sorted(issues, key=lambda i: (-issues[i], i.casefold())),
            "types": Counter(r[0] for r in conn.execute("SELECT type FROM entities ORDER BY pos")),
            "unassigned": conn.execute("SELECT count(*) FROM articles WHERE story IS NULL").fetchone()[0],
        }
        self.insert("meta", [(k, dumps(v)) for k, v in meta.items()])
        conn.commit()


def _entity_row(pos: int, e: Entity, known: dict[str, int]) -> tuple[Any, ...]:
    """An entity's row: the counts and roles the entities page lists (within the store's articles,
    as `view.entity_rows` counts them), its summary for the API, and the whole entity."""
    mentions = sum(1 for m in e.mentions if m.article in known)
    articles = len({*e.articles, *(m.article for m in e.mentions)} & known.keys())
    by_role: dict[str, set[str]] = {}
    for r in e.roles:
        if r.cite.article in known:
            by_role.setdefault(r.role, set()).add(r.cite.article)
    roles = sorted(((role, len(found)) for role, found in by_role.items()), key=lambda item: -item[1])
    line = {
        "id": e.id,
        "name": e.name,
        "type": e.type,
        "mentions": mentions,
        "articles": articles,
        "variants": list(dict.fromkeys(v for v in e.variants if v != e.name)),
        "roles": [{"role": role, "sources": n} for role, n in roles],
    }
    head = {"id": e.id, "name": e.name, "type": e.type, "variants": list(e.variants)}
    summary = {**to_dict(Entity(e.id, e.name, e.type, e.variants, e.roles)), "mentions": len(e.mentions)}
    summary["articles"] = list(e.articles)
    rank = _TYPE_RANK.get(e.type, len(_TYPE_RANK))
    return (
        pos,
        e.id,
        e.type,
        rank if articles else -1,  # -1: in no article of the store, so on no list (as `entity_rows`)
        mentions,
        articles,
        e.name.casefold(),
        dumps(head),
        dumps(summary),
        dumps(line),
        # The row of entities.csv / .parquet: every variant, each role once, counts.
        dumps(
            [
                e.id,
                e.name,
                e.type,
                list(e.variants),
                list(dict.fromkeys(r.role for r in e.roles)),
                len(e.mentions),
                len(e.articles),
            ]
        ),
        dumps(e),
    )


def _story_alone(story: Story, members: Sequence[Article], scopes: EntityCut, header: Briefing) -> StoryView:
    """The story's view over its own articles and entities: what its card on the home page shows."""
    ids = [a.id for a in members]
    briefing = Briefing(
        generated_at=header.generated_at, tool=header.tool, articles=tuple(members), entities=scopes.cut(ids)
    )
    return story_view(BriefingView(briefing, colours={}), story)

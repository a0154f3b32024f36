"""Parts of the briefing read back from the catalog: a story's own briefing, an entity's.

A story's part is what its pages show and cite: its articles with their quotes, events and
signals, its claims (and any claim made in its articles), its conflicts, the stances with a cite in
its articles, and the entities cut to its articles exactly as `Scopes.cut` cuts them (each entity's
mentions, roles and articles among the story's, in the entity's own order, plus the entities its
items name). Articles outside it that it copies or cites come too, so every cite has its words.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from storyline.model import (
    Article,
    Briefing,
    Cite,
    Claim,
    Conflict,
    Entity,
    Event,
    Quote,
    Role,
    Signal,
    Stance,
    Story,
    from_dict,
)
from storyline.web.catalog import Catalog

__all__ = ["ARTICLES", "IN", "cut", "decode", "entity_part", "story_part"]

IN = "SELECT value FROM json_each(?)"  # a list of ids passed as one JSON parameter
# Articles by id, each once (the first of an id, as the API's look-up finds it), in briefing order.
ARTICLES = (
    f"SELECT body FROM articles WHERE pos IN (SELECT MIN(pos) FROM articles WHERE id IN ({IN}) GROUP BY id)"
    " ORDER BY pos"
)


def decode(cls: type[Any], body: str) -> Any:
    """A catalog row's contract JSON as the model value it was made from."""
    return from_dict(cls, json.loads(body))


def _table(cat: Catalog, cls: type[Any], sql: str, *params: Any) -> tuple[Any, ...]:
    return tuple(decode(cls, r[0]) for r in cat.rows(sql, params))


def story_part(
    cat: Catalog, header: Briefing, story: Story | None, ids: Sequence[str] | None = None
) -> Briefing:
    """A story's part of the briefing (or some articles' part, `story` None)."""
    ids = list(dict.fromkeys(story.articles if story is not None else ids or ()))
    key = json.dumps(ids)
    story_id = story.id if story is not None else None
    members = _table(cat, Article, ARTICLES, key)
    quotes: tuple[Quote, ...] = _table(
        cat, Quote, f"SELECT body FROM quotes WHERE article IN ({IN}) ORDER BY pos", key
    )
    events: tuple[Event, ...] = _table(
        cat, Event, f"SELECT body FROM events WHERE article IN ({IN}) ORDER BY pos", key
    )
    signals: tuple[Signal, ...] = _table(
        cat, Signal, f"SELECT body FROM signals WHERE article IN ({IN}) ORDER BY pos", key
    )
    claims: tuple[Claim, ...] = _table(
        cat,
        Claim,
        "SELECT body FROM claims WHERE story = ?"
        f" OR pos IN (SELECT claim FROM claim_articles WHERE article IN ({IN})) ORDER BY pos",
        story_id,
        key,
    )
    conflicts: tuple[Conflict, ...] = _table(
        cat, Conflict, "SELECT body FROM conflicts WHERE story = ? ORDER BY pos", story_id
    )
    stances: tuple[Stance, ...] = _table(
        cat,
        Stance,
        "SELECT body FROM stances"
        f" WHERE pos IN (SELECT stance FROM stance_articles WHERE article IN ({IN})) ORDER BY pos",
        key,
    )
    named = [q.speaker for q in quotes if q.speaker]
    named += [c.actor for c in claims if c.actor] + [s.actor for s in stances]
    named += [a for e in events for a in (e.source, e.target) if a]
    named += [s.ref for c in conflicts for s in c.sides if s.kind == "entity"]
    inside = {a.id for a in members}
    elsewhere = {a.duplicate_of for a in members if a.duplicate_of}
    elsewhere |= {c.article for c in _cites(story, claims, conflicts, stances, signals)}
    others = _table(cat, Article, ARTICLES, json.dumps(sorted(elsewhere - inside)))
    return Briefing(
        generated_at=header.generated_at,
        tool=header.tool,
        articles=(*members, *others),
        entities=cut(cat, ids, named),
        quotes=quotes,
        stories=(story,) if story is not None else (),
        claims=claims,
        conflicts=conflicts,
        stances=stances,
        events=events,
        signals=signals,
    )


def entity_part(cat: Catalog, header: Briefing, found: Entity) -> Briefing:
    """What an entity's page shows of it: its quotes, events, claims and stances, the articles
    they and its roles cite, and the entities they name (by name only)."""
    key = found.id
    quotes: tuple[Quote, ...] = _table(
        cat, Quote, "SELECT body FROM quotes WHERE speaker = ? ORDER BY pos", key
    )
    events: tuple[Event, ...] = _table(
        cat, Event, "SELECT body FROM events WHERE source = ? OR target = ? ORDER BY pos", key, key
    )
    claims: tuple[Claim, ...] = _table(
        cat, Claim, "SELECT body FROM claims WHERE actor = ? ORDER BY pos", key
    )
    stances: tuple[Stance, ...] = _table(
        cat, Stance, "SELECT body FROM stances WHERE actor = ? ORDER BY pos", key
    )
    cited = {q.cite.article for q in quotes} | {e.cite.article for e in events}
    cited |= {r.cite.article for r in found.roles} | {
        c.article for c in _cites(None, claims, (), stances, ())
    }
    named = {key, *(a for e in events for a in (e.source, e.target) if a)}
    return Briefing(
        generated_at=header.generated_at,
        tool=header.tool,
        articles=_table(cat, Article, ARTICLES, json.dumps(sorted(cited))),
        entities=cut(cat, (), sorted(named)),
        quotes=quotes,
        claims=claims,
        stances=stances,
        events=events,
    )


def cut(cat: Catalog, ids: Sequence[str], also: Sequence[str] = ()) -> tuple[Entity, ...]:
    """The entities these articles mention, title or list, and those `also` names, in the
    store's order, each cut to its mentions, roles and articles among `ids` (`Scopes.cut`)."""
    mentions: dict[int, list[tuple[int, Cite]]] = {}
    roles: dict[int, list[tuple[int, Role]]] = {}
    listed: dict[int, list[tuple[int, str]]] = {}
    sql = f"SELECT entity, article, mentions, roles, listed FROM entity_articles WHERE article IN ({IN})"
    for entity, article, m, r, a in cat.rows(sql, (json.dumps(list(ids)),)):
        mentions.setdefault(entity, []).extend((i, Cite(article, s, e)) for i, s, e in json.loads(m))
        roles.setdefault(entity, []).extend(
            (i, Role(role, Cite(article, s, e))) for i, role, s, e in json.loads(r)
        )
        listed.setdefault(entity, []).extend((i, article) for i in json.loads(a))
    positions = set(mentions)
    if also:
        # An id the store gives twice is the last entity of it, as a look-up by id keeps it.
        sql = f"SELECT MAX(pos) FROM entities WHERE id IN ({IN}) GROUP BY id"
        positions.update(r[0] for r in cat.rows(sql, (json.dumps(sorted(set(also))),)))
    sql = f"SELECT pos, head FROM entities WHERE pos IN ({IN}) ORDER BY pos"
    out = []
    for pos, head in cat.rows(sql, (json.dumps(sorted(positions)),)):
        h = json.loads(head)
        out.append(
            Entity(
                h["id"],
                h["name"],
                h["type"],
                tuple(h["variants"]),
                roles=_in_order(roles.get(pos, [])),
                mentions=_in_order(mentions.get(pos, [])),
                articles=_in_order(listed.get(pos, [])),
            )
        )
    return tuple(out)


def _in_order(items: list[tuple[int, Any]]) -> tuple[Any, ...]:
    return tuple(item for _, item in sorted(items, key=lambda x: x[0]))


def _cites(
    story: Story | None,
    claims: Sequence[Claim],
    conflicts: Sequence[Conflict],
    stances: Sequence[Stance],
    signals: Sequence[Signal],
) -> Iterator[Cite]:
    if story is not None:
        for passage in (*story.summary, *story.takeaways, *(p for f in story.faq for p in f.answer)):
            yield from passage.cites
        for entry in story.timeline:
            yield entry.cite
            yield from entry.cites
    yield from (c for claim in claims for c in claim.mentions)
    yield from (c for conflict in conflicts for side in conflict.sides for c in side.cites)
    yield from (c for stance in stances for c in stance.cites)
    yield from (e for s in signals for e in s.evidence if isinstance(e, Cite))

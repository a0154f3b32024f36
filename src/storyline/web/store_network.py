"""The whole store's actor network, read from the catalog in two streaming passes.

`network.actor_graph` on the whole briefing collects every link's cites before it keeps the best
connected actors; here the first pass counts links (weights and labels) and the second gathers the
cites of the kept links only, so the graph is the same without the store's quotes and mentions in
memory at once.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING

from storyline.model import Cite, Entity, from_dict
from storyline.web.network import MAX_NODES, ActorGraph, Link

if TYPE_CHECKING:
    from storyline.web.snapshot import StoreSnapshot

Key = tuple[str, str, str]  # (source, target, kind)


def store_graph(snap: StoreSnapshot, limit: int = MAX_NODES) -> ActorGraph:
    """What `actor_graph(briefing)` gives for the store's whole briefing."""
    cat = snap.catalog
    known = {r[0] for r in cat.rows("SELECT DISTINCT id FROM entities")}
    labels: dict[Key, Counter[str]] = {}
    for key, label, _ in _items(snap):
        if key[0] in known and key[1] in known and key[0] != key[1]:
            labels.setdefault(key, Counter())[label] += 1
    del known
    degree: Counter[str] = Counter()
    for (source, target, _), counts in labels.items():
        weight = sum(counts.values())
        degree[source] += weight
        degree[target] += weight
    keep = {n for n, _ in sorted(degree.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]}
    cites: dict[Key, list[Cite]] = {k: [] for k in labels if k[0] in keep and k[1] in keep}
    for key, _, cite in _items(snap):
        if key in cites:
            cites[key].append(cite)
    links = [
        Link(s, t, kind, len(found), _ordered(labels[(s, t, kind)]), tuple(found))
        for (s, t, kind), found in cites.items()
    ]
    bodies = cat.rows(
        "SELECT id, body FROM entities WHERE pos IN (SELECT MAX(pos) FROM entities GROUP BY id)"
    )
    nodes = {i: b for i, b in bodies if i in keep}
    return ActorGraph(
        tuple(from_dict(Entity, json.loads(nodes[n])) for n in sorted(keep)),
        {n: degree[n] for n in keep},
        tuple(sorted(links, key=lambda lk: (-lk.weight, lk.source, lk.target, lk.kind))),
    )


def _items(snap: StoreSnapshot) -> Iterator[tuple[Key, str, Cite]]:
    """Every (link, label, cite) of the store: quotes in order, then events (as `actor_graph`)."""
    cat = snap.catalog

    @functools.lru_cache(maxsize=64)
    def mentions(article: str) -> tuple[tuple[int, int, str], ...]:
        sql = (
            "SELECT e.id, m.mentions FROM entity_articles m JOIN entities e ON e.pos = m.entity"
            " WHERE m.article = ?"
        )
        return tuple(
            (s, e, entity) for entity, found in cat.rows(sql, (article,)) for _, s, e in json.loads(found)
        )

    def named(cite: Cite, exclude: str | None) -> set[str]:
        return {
            e for s, end, e in mentions(cite.article) if cite.start <= s and end <= cite.end and e != exclude
        }

    for speaker, body in cat.stream(
        "SELECT speaker, body FROM quotes WHERE speaker IS NOT NULL ORDER BY pos"
    ):
        if not speaker:
            continue
        cite = _cite(body)
        for other in named(cite, speaker):
            yield (speaker, other, "quote"), "quoted", cite
    for kind, source, target, body in cat.stream(
        "SELECT type, source, target, body FROM events ORDER BY pos"
    ):
        cite = _cite(body)
        if source and target:
            pairs = [(source, target)]
        elif source:
            pairs = [(source, other) for other in sorted(named(cite, source))]
        elif target:
            pairs = [(other, target) for other in sorted(named(cite, target))]
        else:
            pairs = []
        for pair in pairs:
            yield (*pair, "event"), kind, cite


def _cite(body: str) -> Cite:
    c = json.loads(body)["cite"]
    return Cite(c["article"], c["start"], c["end"])


def _ordered(counts: Counter[str]) -> tuple[str, ...]:
    return tuple(label for label, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

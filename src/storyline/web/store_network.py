"""The whole store's actor network, read from the catalog in two streaming passes.

`network.actor_graph` on the whole briefing collects every link's cites before it keeps the best
connected actors; here the first pass counts links (weights and labels) and the second gathers the
cites of the kept links only, so the graph is the same without the store's quotes and mentions in
memory at once. The counts are made by SQLite in a scratch file, not in Python dicts: a dict of
links with a Counter of labels each took ~65 MB on a 75,100-article store (a link per pair of
actors ever quoted or linked by an event), and grows with the store.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from storyline.model import Cite, Entity, from_dict
from storyline.web.network import MAX_NODES, ActorGraph, Link

if TYPE_CHECKING:
    from storyline.web.snapshot import StoreSnapshot

Key = tuple[str, str, str]  # (source, target, kind)
_BATCH = 10_000  # link items inserted at a time


def store_graph(snap: StoreSnapshot, limit: int = MAX_NODES) -> ActorGraph:
    """What `actor_graph(briefing)` gives for the store's whole briefing."""
    cat = snap.catalog
    with tempfile.TemporaryDirectory(prefix="storyline-network-") as tmp:
        counts = _LinkCounts(Path(tmp) / "links.sqlite", cat.path)
        try:
            counts.add(_items(snap))
            degree = counts.best_connected(limit)
            labels = counts.labels(set(degree))
        finally:
            counts.close()
    cites: dict[Key, list[Cite]] = {k: [] for k in labels}
    for key, _, cite in _items(snap):
        if key in cites:
            cites[key].append(cite)
    links = [
        Link(s, t, kind, len(found), _ordered(labels[(s, t, kind)]), tuple(found))
        for (s, t, kind), found in cites.items()
    ]
    # The last row of each kept entity only, not every entity's body in the store at once.
    nodes = dict(
        cat.rows(
            "SELECT id, body FROM entities WHERE pos IN (SELECT MAX(pos) FROM entities"
            " WHERE id IN (SELECT value FROM json_each(?)) GROUP BY id)",
            (json.dumps(sorted(degree)),),
        )
    )
    return ActorGraph(
        tuple(from_dict(Entity, json.loads(nodes[n])) for n in sorted(degree)),
        degree,
        tuple(sorted(links, key=lambda lk: (-lk.weight, lk.source, lk.target, lk.kind))),
    )


class _LinkCounts:
    """Each link's count per label, between two entities of the catalog (`catalog`, attached
    read-only), kept in a SQLite file: its sorts spill to disk past a few MB."""

    def __init__(self, path: Path, catalog: Path) -> None:
        self._db = sqlite3.connect(path.as_uri(), uri=True)  # URIs also in ATTACH
        self._db.execute("ATTACH DATABASE ? AS cat", (f"{catalog.as_uri()}?mode=ro&immutable=1",))
        self._db.execute("CREATE TABLE items (source TEXT, target TEXT, kind TEXT, label TEXT)")

    def add(self, items: Iterator[tuple[Key, str, Cite]]) -> None:
        """Count `items`, the links between an entity and another (self-links are not links)."""
        pairs = ((*key, label) for key, label, _ in items if key[0] != key[1])
        while batch := list(islice(pairs, _BATCH)):
            self._db.executemany("INSERT INTO items VALUES (?, ?, ?, ?)", batch)
        # Only links between entities of the briefing count (as `actor_graph` reads them).
        self._db.executescript(
            """
            CREATE TABLE links AS
                SELECT source, target, kind, label, COUNT(*) AS n FROM items
                WHERE source IN (SELECT id FROM cat.entities) AND target IN (SELECT id FROM cat.entities)
                GROUP BY source, target, kind, label;
            DROP TABLE items;
            """
        )

    def best_connected(self, limit: int) -> dict[str, int]:
        """The `limit` entities of the largest weighted degree (ties by id), with their degree."""
        sql = """
            SELECT node, SUM(n) AS degree FROM (
                SELECT source AS node, n FROM links UNION ALL SELECT target AS node, n FROM links
            ) GROUP BY node ORDER BY degree DESC, node LIMIT ?
        """
        return {node: degree for node, degree in self._db.execute(sql, (limit,))}

    def labels(self, keep: set[str]) -> dict[Key, Counter[str]]:
        """The label counts of each link between two of `keep`."""
        sql = """
            SELECT source, target, kind, label, n FROM links
            WHERE source IN (SELECT value FROM json_each(?1)) AND target IN (SELECT value FROM json_each(?1))
        """
        found: dict[Key, Counter[str]] = {}
        for source, target, kind, label, n in self._db.execute(sql, (json.dumps(sorted(keep)),)):
            found.setdefault((source, target, kind), Counter())[label] += n
        return found

    def close(self) -> None:
        self._db.close()


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

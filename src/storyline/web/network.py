"""The actor network: who speaks about whom and who acts on whom, as a graph, a picture and GraphML.

Nodes are canonical entities. An edge A→B is drawn when a quote by A mentions B, or when an event
has A as its source and B as its target (an event with only one known side links it to the other
entities named in the event's sentence). The picture is a circle layout grouped by entity type:
with a few dozen actors it stays readable where force layouts overlap labels, and it is stable
from run to run. GraphML comes from networkx.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storyline.model import Briefing, Cite, Entity

if TYPE_CHECKING:
    from storyline.briefing.view import BriefingView

MAX_NODES = 28
WIDTH, HEIGHT = 900, 600
TYPE_RANK = {t: i for i, t in enumerate(("PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "OTHER"))}


@dataclass(frozen=True)
class Link:
    source: str
    target: str
    kind: str  # quote | event
    weight: int
    labels: tuple[str, ...]  # event types, most frequent first ("quoted" for quote links)
    cites: tuple[Cite, ...]


@dataclass(frozen=True)
class ActorGraph:
    nodes: tuple[Entity, ...]
    degree: dict[str, int]
    links: tuple[Link, ...]


@dataclass(frozen=True)
class NodeShape:
    id: str
    name: str
    type: str
    degree: int
    x: float
    y: float
    r: float
    label_x: float
    label_y: float
    anchor: str  # SVG text-anchor: start on the right half, end on the left


@dataclass(frozen=True)
class EdgeShape:
    link: Link
    path: str
    width: float
    title: str


@dataclass(frozen=True)
class NetworkPicture:
    width: int
    height: int
    nodes: tuple[NodeShape, ...]
    edges: tuple[EdgeShape, ...]


def actor_graph(
    briefing: Briefing,
    articles: set[str] | None = None,
    limit: int = MAX_NODES,
    *,
    view: BriefingView | None = None,
    mentions_by_article: Mapping[str, list[tuple[Cite, str]]] | None = None,
) -> ActorGraph:
    """The graph of the given articles (all when None), keeping the `limit` best-connected actors.

    With the workbench's look-ups (`view` and the (cite, entity) mentions of each article), a
    story's graph reads only its own articles' items instead of every mention of the store.
    """
    mentions: dict[str, list[tuple[Cite, str]]] = defaultdict(list)
    if mentions_by_article is not None:
        chosen = mentions_by_article if articles is None else articles
        for article in chosen:
            mentions[article].extend(mentions_by_article.get(article, ()))
    else:
        for entity in briefing.entities:
            for cite in entity.mentions:
                if articles is None or cite.article in articles:
                    mentions[cite.article].append((cite, entity.id))
    quotes, events = briefing.quotes, briefing.events
    if view is not None and articles is not None:
        quotes = tuple(briefing.quotes[n] for n in view.index.positions(view.index.quotes, articles))
        events = tuple(briefing.events[n] for n in view.index.positions(view.index.events, articles))
    found: dict[tuple[str, str, str], list[tuple[str, Cite]]] = defaultdict(list)
    for quote in quotes:
        if quote.speaker and (articles is None or quote.cite.article in articles):
            for other in _named_in(mentions, quote.cite, exclude=quote.speaker):
                found[(quote.speaker, other, "quote")].append(("quoted", quote.cite))
    for event in events:
        if articles is not None and event.cite.article not in articles:
            continue
        for source, target in _event_pairs(mentions, event.source, event.target, event.cite):
            found[(source, target, "event")].append((event.type, event.cite))
    known = view.entities if view is not None else {e.id: e for e in briefing.entities}
    links = [
        Link(s, t, kind, len(items), _labels(items), tuple(c for _, c in items))
        for (s, t, kind), items in found.items()
        if s in known and t in known and s != t
    ]
    degree: Counter[str] = Counter()
    for link in links:
        degree[link.source] += link.weight
        degree[link.target] += link.weight
    keep = {n for n, _ in sorted(degree.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]}
    nodes = tuple(known[n] for n in sorted(keep))
    kept = tuple(
        sorted(
            (lk for lk in links if lk.source in keep and lk.target in keep),
            key=lambda lk: (-lk.weight, lk.source, lk.target, lk.kind),
        )
    )
    return ActorGraph(nodes, {n: degree[n] for n in keep}, kept)


def _named_in(mentions: dict[str, list[tuple[Cite, str]]], span: Cite, exclude: str | None) -> set[str]:
    return {
        entity
        for cite, entity in mentions.get(span.article, [])
        if span.start <= cite.start and cite.end <= span.end and entity != exclude
    }


def _event_pairs(
    mentions: dict[str, list[tuple[Cite, str]]], source: str | None, target: str | None, cite: Cite
) -> list[tuple[str, str]]:
    if source and target:
        return [(source, target)]
    if source:
        return [(source, other) for other in sorted(_named_in(mentions, cite, source))]
    if target:
        return [(other, target) for other in sorted(_named_in(mentions, cite, target))]
    return []


def _labels(items: list[tuple[str, Cite]]) -> tuple[str, ...]:
    counts = Counter(label for label, _ in items)
    return tuple(label for label, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def picture(graph: ActorGraph, names: dict[str, str] | None = None) -> NetworkPicture:
    """A circle layout: types in contiguous arcs, each type's best-connected actor first."""
    order = sorted(graph.nodes, key=lambda e: (TYPE_RANK.get(e.type, 99), -graph.degree[e.id], e.name))
    cx, cy, radius = WIDTH / 2, HEIGHT / 2, min(WIDTH, HEIGHT) / 2 - 70
    shapes: dict[str, NodeShape] = {}
    for i, entity in enumerate(order):
        angle = -math.pi / 2 + 2 * math.pi * i / max(len(order), 1)
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        r = min(6 + 2.2 * math.sqrt(graph.degree[entity.id]), 20)
        reach = radius + r + 8
        shapes[entity.id] = NodeShape(
            entity.id,
            (names or {}).get(entity.id, entity.name),
            entity.type,
            graph.degree[entity.id],
            round(x, 1),
            round(y, 1),
            round(r, 1),
            round(cx + reach * math.cos(angle), 1),
            round(cy + reach * math.sin(angle) + 4, 1),
            "start" if math.cos(angle) >= -1e-9 else "end",
        )
    edges = [_edge(link, shapes, cx, cy) for link in graph.links]
    # Thin edges first so that the strong ones are drawn on top.
    edges.sort(key=lambda e: e.width)
    return NetworkPicture(WIDTH, HEIGHT, tuple(shapes[e.id] for e in order), tuple(edges))


def _edge(link: Link, shapes: dict[str, NodeShape], cx: float, cy: float) -> EdgeShape:
    a, b = shapes[link.source], shapes[link.target]
    # Bend each chord toward the centre; A→B and B→A bend to opposite sides (the offset's sign).
    mx, my = (a.x + b.x) / 2, (a.y + b.y) / 2
    qx, qy = mx + 0.35 * (cx - mx), my + 0.35 * (cy - my)
    dx, dy = b.x - a.x, b.y - a.y
    length = math.hypot(dx, dy) or 1.0
    shift = 14 if link.kind == "event" else -14
    qx, qy = qx - dy / length * shift, qy + dx / length * shift
    # Stop the line at the target's rim so the arrowhead shows.
    ex, ey = b.x - qx, b.y - qy
    reach = math.hypot(ex, ey) or 1.0
    end_x, end_y = b.x - ex / reach * (b.r + 3), b.y - ey / reach * (b.r + 3)
    path = f"M{a.x:.1f},{a.y:.1f} Q{qx:.1f},{qy:.1f} {end_x:.1f},{end_y:.1f}"
    what = "quoted about" if link.kind == "quote" else ", ".join(link.labels).lower()
    title = f"{a.name} → {b.name}: {what} ({link.weight}×)"
    return EdgeShape(link, path, round(1 + 1.6 * math.log2(link.weight), 2), title)


def to_graphml(graph: ActorGraph) -> str:
    """The graph as GraphML (networkx writes it), one edge per (source, target, kind)."""
    import networkx as nx

    g = nx.MultiDiGraph()
    for entity in graph.nodes:
        g.add_node(entity.id, name=entity.name, type=entity.type, degree=graph.degree[entity.id])
    for link in graph.links:
        g.add_edge(
            link.source,
            link.target,
            key=link.kind,
            kind=link.kind,
            weight=link.weight,
            labels=" ".join(link.labels),
        )
    return "\n".join(nx.generate_graphml(g)) + "\n"

"""Hand-built articles and entities for the story-stage tests (claims, conflicts): sentences joined
by spaces with their offsets as the annotation gives them, entities mentioned wherever named."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from storyline.model import Annotation, Article, Cite, Conflict, DateMention, Entity, Spans
from storyline.story import conflicts

Encode = Callable[[Sequence[str]], np.ndarray]


def article(name: str, site: str, *sentences: str, published: str | None = None) -> Article:
    """An article of `sentences` joined by spaces, with their offsets as the annotation gives them."""
    spans, start = [], 0
    for sentence in sentences:
        spans.append((start, start + len(sentence)))
        start += len(sentence) + 1
    text = " ".join(sentences)
    return Article(
        id=name, source=f"{name}.txt", text=text, site=site, published=published, sentences=Spans(spans)
    )


def dated(art: Article, expression: str, value: str) -> DateMention:
    """The day `expression` (its first occurrence in `art`) resolves to, as the date stage gives it."""
    start = art.text.index(expression)
    s, e = next((s, e) for s, e in art.sentences if s <= start < e)
    return DateMention(start, start + len(expression), expression, value, "day", s, e)


def annotation(art: Article, dates: Sequence[DateMention] = ()) -> Annotation:
    return Annotation(art.id, tuple(art.sentences), dates=tuple(dates))


def named(articles: Sequence[Article], *names: tuple[str, str]) -> list[Entity]:
    """Entities (name, type) mentioned wherever their names occur in `articles`, as identities gives them."""
    out = []
    for name, kind in names:
        mentions = []
        for art in articles:
            at = art.text.find(name)
            while at >= 0:
                mentions.append(Cite(art.id, at, at + len(name)))
                at = art.text.find(name, at + 1)
        slug = name.lower().replace(" ", "-")
        out.append(
            Entity(slug, name, kind, mentions=tuple(mentions), articles=tuple({m.article for m in mentions}))
        )
    return out


def figure_conflicts(
    first: Article,
    second: Article,
    encode: Encode,
    *names: tuple[str, str],
    days: tuple[Sequence[DateMention], Sequence[DateMention]] = ((), ()),
) -> list[Conflict]:
    """Figure and date conflicts between two articles naming `names`, with `days` found in each."""
    annotations = {a.id: annotation(a, found) for a, found in zip((first, second), days, strict=True)}
    entities = named([first, second], *names)
    return conflicts.find("s-1", [first, second], annotations, [], {}, [], entities, {}, encode)

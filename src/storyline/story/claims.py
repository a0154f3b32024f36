"""Claims of a story: who claims what, grouped across articles, counted over independent sources.

Method: a claim is a stance sentence (an actor for or against an issue), or a quotation with a named
speaker. Stance sentences with the same actor, issue and direction are one claim however they are
worded; quotations are one claim when the same speaker's words match closely (embedding cosine or
shared words). Sources are counted once per outlet and once per family of copies (an article and its
near-duplicates or syndicated copies are one source), so a wire story in three papers counts once.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from storyline.model import Article, Cite, Claim, Conflict, Quote
from storyline.story.stances import Position

CLAIMS_STORY_VERSION = "claims.story.v1"

__all__ = ["CLAIMS_STORY_VERSION", "ClaimGroup", "group", "ranked", "source_key", "to_claims"]

# Two quotations by one speaker are the same claim above this cosine (MiniLM) or word overlap.
_SAME_QUOTE_COSINE = 0.82
_SAME_QUOTE_WORDS = 0.6
_NEGATION = re.compile(
    r"\b(not|never|no|n't|won't|cannot|deny|denies|denied|refuse[sd]?|reject(s|ed)?)\b", re.I
)


@dataclass
class ClaimGroup:
    """Evidence for one claim: the mentions in text order, and what the claim is about."""

    actor: str | None
    text: str
    polarity: str  # assert | deny
    mentions: list[Cite]
    issue: str | None = None
    stance: str | None = None  # support | oppose, for stance claims
    quotes: tuple[str, ...] = ()  # quote ids, for quotation claims


def source_key(article: Article, by_id: dict[str, Article]) -> str:
    """What makes a source independent: its outlet, or the original it copies when it has no outlet."""
    root = article
    seen = set()
    while root.duplicate_of and root.duplicate_of in by_id and root.id not in seen:
        seen.add(root.id)
        root = by_id[root.duplicate_of]
    return f"site:{root.site.casefold()}" if root.site else f"article:{root.id}"


def group(
    positions: Sequence[Position],
    quotes: Sequence[Quote],
    texts: dict[str, str],
    encode: object | None = None,
    groups_of: Mapping[str, str] | None = None,
) -> list[ClaimGroup]:
    """Stance claims keyed by (actor, issue, direction), then speakers' quotations grouped by wording.

    With `groups_of` (entity -> the country it speaks for), a minister's stance and his government's
    are one claim: "Russia opposes X" is corroborated by a source quoting its foreign minister.
    """
    groups: dict[tuple[str, str, str], ClaimGroup] = {}
    covered: set[tuple[str, int]] = set()
    for pos in positions:
        actor = (groups_of or {}).get(pos.actor, pos.actor)
        key = (actor, pos.issue, pos.polarity)
        text = texts[pos.cite.article][pos.cite.start : pos.cite.end]
        if key not in groups:
            polarity = "deny" if pos.polarity == "oppose" else "assert"
            groups[key] = ClaimGroup(actor, text, polarity, [], pos.issue, pos.polarity)
        if pos.cite not in groups[key].mentions:
            groups[key].mentions.append(pos.cite)
        covered.add((pos.cite.article, pos.cite.start))
    for g in groups.values():
        # The plainest wording stands for the claim: the shortest sentence that carries it.
        g.text = min((texts[c.article][c.start : c.end] for c in g.mentions), key=len)
    out = list(groups.values())
    spoken = [q for q in quotes if q.speaker and not _inside_covered(q, covered, texts)]
    out.extend(_quote_groups(spoken, encode))
    return out


def to_claims(groups: Sequence[ClaimGroup], story: str, articles: Sequence[Article]) -> list[Claim]:
    """One Claim per group, in the groups' order, with its independent-source count."""
    by_id = {a.id: a for a in articles}
    out = []
    for g in groups:
        keys = {source_key(by_id[c.article], by_id) for c in g.mentions if c.article in by_id}
        digest = hashlib.sha1(f"{story}:{g.actor}:{g.issue}:{g.stance}:{g.text}".encode()).hexdigest()[:12]
        out.append(
            Claim(
                id=f"c-{digest}",
                story=story,
                text=g.text,
                polarity=g.polarity,
                actor=g.actor,
                mentions=tuple(g.mentions),
                sources=len(keys),
                single_source=len(keys) <= 1,
            )
        )
    return out


def for_conflict_sides(
    found: Sequence[Conflict], story: str, articles: Sequence[Article]
) -> tuple[list[Conflict], list[Claim]]:
    """Give each conflict side that cites bare sentences (a figure, a date) a claim of its own.

    Every side of a conflict must point at a claim, quote or entity; a sentence that gives a
    disputed figure is a check-worthy claim in its own right, made by no named actor.
    """
    made: dict[tuple[Cite, ...], Claim] = {}
    out = []
    for conflict in found:
        sides = []
        for side in conflict.sides:
            if side.ref:
                sides.append(side)
                continue
            if side.cites not in made:
                text = " ".join(_text_of(articles, c) for c in side.cites)
                made[side.cites] = to_claims(
                    [ClaimGroup(None, text, "assert", list(side.cites))], story, articles
                )[0]
            sides.append(replace(side, ref=made[side.cites].id))
        out.append(replace(conflict, sides=tuple(sides)))
    return out, list(made.values())


def _text_of(articles: Sequence[Article], cite: Cite) -> str:
    article = next(a for a in articles if a.id == cite.article)
    return article.text[cite.start : cite.end]


def ranked(found: Sequence[Claim]) -> list[Claim]:
    """Most independent sources first, then most mentions."""
    return sorted(found, key=lambda c: (-c.sources, -len(c.mentions), c.id))


def _inside_covered(quote: Quote, covered: set[tuple[str, int]], texts: dict[str, str]) -> bool:
    """A quotation whose sentence already gave a stance claim is evidence of that claim, not another."""
    text = texts[quote.cite.article]
    start = text.rfind("\n", 0, quote.cite.start) + 1
    return any(a == quote.cite.article and start <= s <= quote.cite.end for a, s in covered)


def _quote_groups(quotes: Sequence[Quote], encode: object | None) -> list[ClaimGroup]:
    if not quotes:
        return []
    if encode is None:
        from storyline.annotate.embed import load_embedder

        encode = load_embedder().encode
    vectors = np.asarray(encode([q.text for q in quotes]))  # type: ignore[operator]
    words = [set(re.findall(r"\w+", q.text.lower())) for q in quotes]
    groups: list[list[int]] = []
    for i, quote in enumerate(quotes):
        home = None
        for g in groups:
            j = g[0]
            if quotes[j].speaker != quote.speaker:
                continue
            overlap = len(words[i] & words[j]) / max(1, min(len(words[i]), len(words[j])))
            if float(vectors[i] @ vectors[j]) >= _SAME_QUOTE_COSINE or overlap >= _SAME_QUOTE_WORDS:
                home = g
                break
        if home is None:
            groups.append([i])
        else:
            home.append(i)
    out = []
    for g in groups:
        first = quotes[g[0]]
        out.append(
            ClaimGroup(
                actor=first.speaker,
                text=first.text,
                polarity="deny" if _NEGATION.search(first.text) else "assert",
                mentions=list(dict.fromkeys(quotes[i].cite for i in g)),
                quotes=tuple(quotes[i].id for i in g),
            )
        )
    return out

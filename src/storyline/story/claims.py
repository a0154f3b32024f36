"""Claims of a story: who claims what, grouped across articles, counted over independent sources.

Method: a claim is a stance sentence (an actor for or against an issue), or a quotation with a named
speaker. Stance sentences with the same actor, issue and direction are one claim however they are
worded; quotations are one claim when the same speaker's words match closely (embedding cosine or
most of their content words) or sit in one sentence. A claim is cited by a clause a reader can check:
a partial or very short quotation ("in phases", "Monday") is cited by its sentence. Sources are counted
once per outlet and once per family of copies (an article and its near-duplicates or syndicated
copies are one source), so a wire story in three papers counts once.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from storyline.model import Article, Cite, Claim, Conflict, Quote
from storyline.story.stances import Position

CLAIMS_STORY_VERSION = "claims.story.v6"

__all__ = ["CLAIMS_STORY_VERSION", "ClaimGroup", "group", "ranked", "source_key", "to_claims"]

# Two quotations by one speaker are the same claim above this cosine (MiniLM, between two clauses:
# the cosine of a word or two says little) or when they share this share of the shorter one's content
# words, and at least _SAME_QUOTE_SHARED of them (all, when the two hold fewer). A lone shared word
# is not corroboration: a bare "Monday" is not "the two sides ... would meet again on Monday".
_SAME_QUOTE_COSINE = 0.82
_SAME_QUOTE_WORDS = 0.6
_SAME_QUOTE_SHARED = 3
# Fewer words than this are a fragment, not a clause a reader can check: cited by their sentence.
_CLAUSE_WORDS = 5
# A contraction or possessive is one word ("state’s"): a bare "s" would count as a shared word.
_WORD = re.compile(r"\w+(?:['’]\w+)?")
# From the last character of one quotation to the next, a sentence end or a line break means two
# sentences; an abbreviation ("U.S.") reads as an end too, which only keeps two quotations apart.
_SENTENCE_BREAK = re.compile(r"[.!?]|\n")
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
    fragments: frozenset[Cite] = frozenset()  # mentions that need their sentence (partial quotations)


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
    """Stance claims keyed by (actor, issue, direction), then speakers' quotations grouped by wording
    or by sentence. A fragment (a partial quotation, a word or two) in a sentence that also carries
    another speaker's quotation gives no claim: its sentence, which would cite it, is not its own.

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
    by_article: dict[str, list[Quote]] = {}
    for q in spoken:
        by_article.setdefault(q.cite.article, []).append(q)
    spoken = [q for q in spoken if not _in_another_speakers_sentence(q, by_article[q.cite.article], texts)]
    out.extend(_quote_groups(spoken, texts, encode))
    return out


def to_claims(groups: Sequence[ClaimGroup], story: str, articles: Sequence[Article]) -> list[Claim]:
    """One Claim per group, in the groups' order, with its independent-source count."""
    by_id = {a.id: a for a in articles}
    out = []
    for g in groups:
        text, mentions = _checkable(g, by_id)
        keys = {source_key(by_id[c.article], by_id) for c in mentions if c.article in by_id}
        digest = hashlib.sha1(f"{story}:{g.actor}:{g.issue}:{g.stance}:{text}".encode()).hexdigest()[:12]
        out.append(
            Claim(
                id=f"c-{digest}",
                story=story,
                text=text,
                polarity=g.polarity,
                actor=g.actor,
                mentions=mentions,
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
    """Most independent sources first, then most mentions; a claim once however often it was made.

    Two groups can end as one claim (same story, actor and sentence) when both were fragments of one
    sentence that `group` could not tell was one (an abbreviation between them): the id says so.
    """
    unique = {c.id: c for c in reversed(found)}
    return sorted(unique.values(), key=lambda c: (-c.sources, -len(c.mentions), c.id))


def _checkable(g: ClaimGroup, by_id: Mapping[str, Article]) -> tuple[str, tuple[Cite, ...]]:
    """The claim's text and mentions, each mention a clause or sentence a reader can check.

    A fragment (a partial quotation, a word or two) is widened to the sentence that holds it, and a
    claim worded by its first mention is worded by what that mention became: "Monday" says nothing
    on its own, "The envoy has called a third round for Monday." does.
    """
    mentions = _merged([_sentence_of(c, by_id.get(c.article), c in g.fragments) for c in g.mentions])
    if not g.mentions or g.mentions[0].article not in by_id:
        return g.text, mentions
    first = g.mentions[0]
    text = by_id[first.article].text
    grown = next(c for c in mentions if c.article == first.article and c.start <= first.start < c.end)
    if grown == first or text[first.start : first.end] != g.text:
        return g.text, mentions
    return text[grown.start : grown.end], mentions


def _sentence_of(cite: Cite, article: Article | None, fragment: bool) -> Cite:
    """The sentence(s) around `cite` when it is a fragment or shorter than a clause, else `cite`."""
    if article is None or not article.sentences:
        return cite
    if not fragment and _is_clause(article.text[cite.start : cite.end]):
        return cite
    around = [(s, e) for s, e in article.sentences if s < cite.end and cite.start < e]
    if not around:
        return cite
    return Cite(cite.article, min(cite.start, around[0][0]), max(cite.end, around[-1][1]))


def _merged(cites: list[Cite]) -> tuple[Cite, ...]:
    """One mention per stretch of an article: a quotation and the sentence holding it are one span."""
    out: list[Cite] = []
    for cite in cites:
        home = next((i for i, c in enumerate(out) if c.article == cite.article and _overlap(c, cite)), None)
        if home is None:
            out.append(cite)
        else:
            c = out[home]
            out[home] = Cite(c.article, min(c.start, cite.start), max(c.end, cite.end))
    return tuple(out)


def _overlap(a: Cite, b: Cite) -> bool:
    return a.start < b.end and b.start < a.end


def _is_clause(text: str) -> bool:
    return len(_WORD.findall(text)) >= _CLAUSE_WORDS


def _inside_covered(quote: Quote, covered: set[tuple[str, int]], texts: dict[str, str]) -> bool:
    """A quotation whose sentence already gave a stance claim is evidence of that claim, not another."""
    text = texts[quote.cite.article]
    start = text.rfind("\n", 0, quote.cite.start) + 1
    return any(a == quote.cite.article and start <= s <= quote.cite.end for a, s in covered)


def _quote_groups(quotes: Sequence[Quote], texts: dict[str, str], encode: object | None) -> list[ClaimGroup]:
    if not quotes:
        return []
    if encode is None:
        from storyline.annotate.embed import load_embedder

        encode = load_embedder().encode
    vectors = np.asarray(encode([q.text for q in quotes]))  # type: ignore[operator]
    words = [_content_words(q.text) for q in quotes]
    clause = [_stands_alone(q) for q in quotes]
    groups: list[list[int]] = []
    # A quotation joins the first group of its speaker it matches: each speaker's groups in the
    # order made, so that a large story's quotations are not compared with every other speaker's.
    spoken_by: dict[str | None, list[list[int]]] = defaultdict(list)
    for i, quote in enumerate(quotes):
        home = None
        for g in spoken_by[quote.speaker]:
            j = g[0]
            cosine = clause[i] and clause[j] and float(vectors[i] @ vectors[j]) >= _SAME_QUOTE_COSINE
            # Words are matched against the group's first quotation; a sentence is shared with any.
            together = any(_one_sentence(quote.cite, quotes[k].cite, texts) for k in g)
            if cosine or _share_words(words[i], words[j]) or together:
                home = g
                break
        if home is None:
            groups.append([i])
            spoken_by[quote.speaker].append(groups[-1])
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
                fragments=frozenset(quotes[i].cite for i in g if not clause[i]),
            )
        )
    return out


def _stands_alone(quote: Quote) -> bool:
    """A quotation that is a clause of its own; a partial one is words inside the reporter's sentence."""
    return quote.kind != "partial" and _is_clause(quote.text)


def _content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in ENGLISH_STOP_WORDS}


def _share_words(a: set[str], b: set[str]) -> bool:
    """Most of the shorter one's content words, and enough of them to be more than a date or a name."""
    shared = len(a & b)
    enough = shared >= min(_SAME_QUOTE_SHARED, len(a | b))
    return shared > 0 and enough and shared / min(len(a), len(b)) >= _SAME_QUOTE_WORDS


def _in_another_speakers_sentence(quote: Quote, same_article: Sequence[Quote], texts: dict[str, str]) -> bool:
    """A fragment is cited by its sentence, so that sentence must be its speaker's: when it also
    carries someone else's quotation (a parse that took "he said" for a quotation), it is not."""
    if _stands_alone(quote):
        return False
    return any(q.speaker != quote.speaker and _one_sentence(q.cite, quote.cite, texts) for q in same_article)


def _one_sentence(a: Cite, b: Cite, texts: dict[str, str]) -> bool:
    """Two quotations of one sentence ("called it 'x' and 'y'"): one claim, cited by that sentence."""
    if a.article != b.article:
        return False
    first, second = sorted((a, b), key=lambda c: c.start)
    between = texts[a.article][max(first.start, first.end - 1) : second.start]
    return first.end > second.start or not _SENTENCE_BREAK.search(between)

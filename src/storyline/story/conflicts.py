"""Where the sources of a story disagree, with both sides' evidence; never who is right.

Kinds: `polarity` (one source reports an actor for an issue, another against: a minister and his
government count as one actor), `number` and `date` (near-identical sentences in two sources, about
one named thing, that give a figure or day in the same role, unit and words before it, different
values), `quote_wording` (the same speaker's quotation worded differently), `quote_speaker` (the
same words put in different mouths) and `role` (one source calls a person "former X", another plain
"X", X an office: a title's head noun). Figures and dates are found in `figure_conflicts`.
Each side cites what a reader can check: a title by the sentence that gives it to its person, a
quotation shorter than a clause by its sentence; a sentence shorter than a clause is no evidence.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence

import numpy as np
from rapidfuzz import fuzz, process

from storyline.model import Annotation, Article, Cite, Conflict, ConflictSide, Entity, Quote, RoleMention
from storyline.story.claims import source_key
from storyline.story.stances import Position

__all__ = ["find"]

_SAME_WORDS = 97  # rapidfuzz ratio at or above which two quotations are worded the same
_SIMILAR_WORDS = 70  # ... and at or above which they are the same quotation worded differently
_ROWS = 256  # quotations scored against all the others at once (2 MB of scores a thousand quotations)
_QUALIFIERS = re.compile(r"\b(former|ex|outgoing|incoming|then|acting|interim|late)\b[-\s]*|-elect\b", re.I)
ARTICLES = {"a", "an", "the"}
_TITLE_LINKS = {"of", "for", "at", "in", "on", "to", "from", "with", "and"}  # what follows names no office
# Fewer words than this are a fragment, not a clause a reader can check (as claims count them): a
# bare title ("President") or a four-word quotation is cited by its sentence. A sentence this short
# ("Record March 13", a line of a wire table) says too little for two of them to be one fact: on
# 300 Reuters stories every date conflict between such lines paired two companies' dividends.
_CLAUSE_WORDS = 5
WORD = re.compile(r"\w+(?:['’]\w+)?")


def find(
    story: str,
    articles: Sequence[Article],
    annotations: Mapping[str, Annotation],
    positions: Sequence[Position],
    claim_ids: Mapping[tuple[str | None, str | None, str | None], str],
    quotes: Sequence[Quote],
    entities: Sequence[Entity],
    groups_of: Mapping[str, str],
    encode: object | None = None,
) -> list[Conflict]:
    """All conflicts in one story. `groups_of` maps an entity to the country it speaks for."""
    # Imported here: the figures' module reads this one's helpers (`conflict`, `outlet`, `is_clause`).
    from storyline.story import figure_conflicts

    by_id = {a.id: a for a in articles}
    # Each article's source once: worked out for every pair of quotations, with a copy of `by_id`
    # each time, it was O(quotations² × articles).
    sources = {a.id: source_key(a, by_id) for a in articles}
    names = {e.id: e.name for e in entities}
    found = [
        *_polarity(story, positions, claim_ids, by_id, sources, names, groups_of),
        *_quotations(story, quotes, by_id, sources, annotations, names, groups_of),
        *_roles(story, entities, by_id, sources, annotations),
        *figure_conflicts.find(story, articles, annotations, by_id, entities, encode),
    ]
    return found


def conflict(story: str, kind: str, summary: str, sides: Sequence[ConflictSide]) -> Conflict:
    key = "|".join(f"{s.kind}:{s.ref}:{[(c.article, c.start) for c in s.cites]}" for s in sides)
    digest = hashlib.sha1(f"{story}:{kind}:{key}".encode()).hexdigest()[:12]
    return Conflict(id=f"x-{digest}", story=story, kind=kind, summary=summary, sides=tuple(sides))


def outlet(article: Article) -> str:
    from pathlib import PurePath

    return article.site or article.title or PurePath(article.source).name


def _polarity(
    story: str,
    positions: Sequence[Position],
    claim_ids: Mapping[tuple[str | None, str | None, str | None], str],
    by_id: Mapping[str, Article],
    sources: Mapping[str, str],
    names: Mapping[str, str],
    groups_of: Mapping[str, str],
) -> list[Conflict]:
    cells: dict[tuple[str, str], list[Position]] = defaultdict(list)
    for pos in positions:
        cells[(groups_of.get(pos.actor, pos.actor), pos.issue)].append(pos)
    out = []
    for (actor, issue), items in cells.items():
        by_side = {p: [x for x in items if x.polarity == p] for p in ("support", "oppose")}
        if not by_side["support"] or not by_side["oppose"]:
            continue
        keys = {p: {sources[x.cite.article] for x in xs} for p, xs in by_side.items()}
        if keys["support"] == keys["oppose"] and len(keys["support"]) == 1:
            continue  # one source reporting both: a mixed position, not a disagreement between sources
        sides = []
        for polarity, xs in by_side.items():
            ref = claim_ids.get((actor, issue, polarity), "")
            sides.append(ConflictSide("claim", ref, tuple(dict.fromkeys(x.cite for x in xs))))
        outlets = {p: sorted({outlet(by_id[x.cite.article]) for x in xs}) for p, xs in by_side.items()}
        summary = (
            f"Sources differ on where {names.get(actor, actor)} stands on {issue}: "
            f"{', '.join(outlets['support'])} report support; "
            f"{', '.join(outlets['oppose'])} report opposition."
        )
        out.append(conflict(story, "polarity", summary, sides))
    return out


def _quotations(
    story: str,
    quotes: Sequence[Quote],
    by_id: Mapping[str, Article],
    sources: Mapping[str, str],
    annotations: Mapping[str, Annotation],
    names: Mapping[str, str],
    groups_of: Mapping[str, str],
) -> list[Conflict]:
    spoken = [q for q in quotes if q.kind in {"direct", "partial"} and len(q.text.split()) >= 4]
    out = []
    for i, j, ratio in _similar_pairs([_norm(q.text) for q in spoken]):
        a, b = spoken[i], spoken[j]
        if a.cite.article == b.cite.article or sources[a.cite.article] == sources[b.cite.article]:
            continue
        sides = tuple(ConflictSide("quote", q.id, (_checkable(q.cite, by_id, annotations),)) for q in (a, b))
        same_speaker = a.speaker and groups_of.get(a.speaker, a.speaker) == groups_of.get(
            b.speaker or "", b.speaker
        )
        if ratio >= _SAME_WORDS and a.speaker and b.speaker and not same_speaker:
            summary = (
                f"The same words are attributed to {names.get(a.speaker, a.speaker)} by "
                f"{outlet(by_id[a.cite.article])} and to {names.get(b.speaker, b.speaker)} by "
                f"{outlet(by_id[b.cite.article])}."
            )
            out.append(conflict(story, "quote_speaker", summary, sides))
        elif same_speaker and ratio < _SAME_WORDS:
            summary = (
                f"{outlet(by_id[a.cite.article])} and {outlet(by_id[b.cite.article])} quote "
                f"{names.get(a.speaker or '', a.speaker)} in different words."
            )
            out.append(conflict(story, "quote_wording", summary, sides))
    return out


def _similar_pairs(texts: Sequence[str]) -> Iterator[tuple[int, int, float]]:
    """(i, j, ratio) of the pairs i < j whose rapidfuzz ratio is `_SIMILAR_WORDS` or more, in order.

    Scored a block of rows at a time by `process.cdist` (rapidfuzz's ratio, in C++): a pair at a
    time from Python was most of the time a large story took.
    """
    for start in range(0, len(texts), _ROWS):
        block = process.cdist(
            texts[start : start + _ROWS],
            texts,
            scorer=fuzz.ratio,
            score_cutoff=_SIMILAR_WORDS,
            dtype=np.float64,
        )
        for row, scores in enumerate(block):
            i = start + row
            for j in np.flatnonzero(scores[i + 1 :] >= _SIMILAR_WORDS):
                yield i, i + 1 + int(j), float(scores[i + 1 + j])


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _roles(
    story: str,
    entities: Sequence[Entity],
    by_id: Mapping[str, Article],
    sources: Mapping[str, str],
    annotations: Mapping[str, Annotation],
) -> list[Conflict]:
    """A title qualified ("former president") in one source and plain ("president") in another.

    The summary quotes the titles; each side cites the sentences that give them to the person, since
    a bare "President" does not show whom it names.
    """
    out = []
    for ent in entities:
        if ent.type != "PERSON":
            continue
        by_office: dict[str, dict[bool, list[tuple[Cite, frozenset[str]]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for role in ent.roles:
            if role.cite.article not in by_id:
                continue
            words = role.role.lower()
            office, narrowed = _office(_QUALIFIERS.sub("", words))
            by_office[office][bool(_QUALIFIERS.search(words))].append((role.cite, narrowed))
        for office, forms in by_office.items():
            if not office or len(forms) < 2:
                continue
            qualified, plain = _one_office(forms[True], forms[False])
            if not qualified or not plain:
                continue
            outlets_q = {sources[c.article] for c in qualified}
            outlets_p = {sources[c.article] for c in plain}
            if outlets_q == outlets_p:
                continue
            q_words, p_words = _distinct(by_id, qualified), _distinct(by_id, plain)
            summary = (
                f"Sources give {ent.name} different titles: "
                f"“{'”, “'.join(q_words)}” versus “{'”, “'.join(p_words)}”."
            )
            sides = tuple(
                ConflictSide("entity", ent.id, _titled_sentences(cites, by_id, annotations))
                for cites in (qualified, plain)
            )
            out.append(conflict(story, "role", summary, sides))
    return out


def _office(title: str) -> tuple[str, frozenset[str]]:
    """The head noun of a title and the words that narrow it: "U.S. President" is the office
    "president" of the U.S., "mayor of Brava" the office "mayor" of Brava."""
    words = [w for w in re.findall(r"[\w'’-]+", title.lower()) if w not in ARTICLES]
    head = next((i for i, w in enumerate(words) if w in _TITLE_LINKS), len(words))
    if not head:
        return "", frozenset()
    return words[head - 1], frozenset(w for w in words if w not in _TITLE_LINKS) - {words[head - 1]}


def _one_office(
    xs: Sequence[tuple[Cite, frozenset[str]]], ys: Sequence[tuple[Cite, frozenset[str]]]
) -> tuple[list[Cite], list[Cite]]:
    """The titles of `xs` and of `ys` that can name one office with one of the other side: "former
    mayor of Brava" and "mayor" can, "mayor of Brava" and "mayor of Lenka" cannot, nor "foreign
    minister" and "defence minister"."""

    def fits(a: frozenset[str], b: frozenset[str]) -> bool:
        return not a or not b or bool(a & b)

    return [c for c, a in xs if any(fits(a, b) for _, b in ys)], [
        c for c, b in ys if any(fits(a, b) for _, a in xs)
    ]


def _titled_sentences(
    cites: Sequence[Cite], by_id: Mapping[str, Article], annotations: Mapping[str, Annotation]
) -> tuple[Cite, ...]:
    """For each title, the sentence(s) holding it and the name it qualifies, each stretch once."""
    out: dict[Cite, None] = {}
    for cite in cites:
        role = _role_mention(cite, annotations.get(cite.article))
        titled = cite
        if role is not None:
            # An appositive title follows its name ("Ana Rey, the former mayor"), a prefix precedes it.
            start, end = min(cite.start, role.person_start), max(cite.end, role.person_end)
            titled = Cite(cite.article, start, end)
        out[_sentence_of(titled, by_id, annotations)] = None
    return tuple(out)


def _role_mention(cite: Cite, annotation: Annotation | None) -> RoleMention | None:
    if annotation is None:
        return None
    return next((r for r in annotation.roles if (r.start, r.end) == (cite.start, cite.end)), None)


def _checkable(cite: Cite, by_id: Mapping[str, Article], annotations: Mapping[str, Annotation]) -> Cite:
    """`cite`, or the sentence holding it when it is shorter than a clause."""
    words = by_id[cite.article].text[cite.start : cite.end]
    return cite if is_clause(words) else _sentence_of(cite, by_id, annotations)


def _sentence_of(cite: Cite, by_id: Mapping[str, Article], annotations: Mapping[str, Annotation]) -> Cite:
    """The sentence(s) that `cite` lies in, grown to hold all of `cite`; `cite` when none is known."""
    ann = annotations.get(cite.article)
    sentences = ann.sentences if ann is not None and ann.sentences else by_id[cite.article].sentences
    around = [(s, e) for s, e in sentences if s < cite.end and cite.start < e]
    if not around:
        return cite
    return Cite(cite.article, min(cite.start, around[0][0]), max(cite.end, around[-1][1]))


def is_clause(text: str) -> bool:
    return len(WORD.findall(text)) >= _CLAUSE_WORDS


def _distinct(by_id: Mapping[str, Article], cites: Sequence[Cite]) -> list[str]:
    """The wordings of `cites`, once each however spaced, dotted or capitalised."""
    seen: dict[str, str] = {}
    for cite in cites:
        words = by_id[cite.article].text[cite.start : cite.end]
        seen.setdefault(re.sub(r"[\W_]+", "", words.lower()), words)
    return list(seen.values())

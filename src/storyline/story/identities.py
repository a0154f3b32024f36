"""Canonical entities across the articles of a run: one entity per person, organisation or place.

Method: (1) each surface form takes the majority NER label it got across articles (spaCy may call
"Trump" an ORG once and a PERSON ten times); (2) names are compared folded (case, accents, and the
apostrophes and dashes outlets type differently: O’Brien is O'Brien), by a transliteration skeleton
(consonants after folding x/ks, th/t, ph/f, dropping vowels and y — Sergey/Sergei, Kyiv/Kiev,
Antony/Anthony) plus Jaro-Winkler similarity and a length check; (3) people (`people`): a surname-only
mention joins the full name its article writes with that very surname, else one named in the same
story, a transliteration only if no article writes the two spellings side by side (Donald Regan,
Reagan) and never a guess from elsewhere in the store; titles are no part of a name, but "Mr" and
"Mrs" keep a man and a woman apart; a name ending in a vowel the other lacks is another name (Lange,
Liang); acronyms join the name they abbreviate;
(4) a last pass finds case slips ("lavrov") of the names already known. Names meet only under shared
blocking keys (identity_index), so a store of 19,000 articles resolves in about linear time.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from storyline.model import Cite, Entity, Mention, Role, RoleMention
from storyline.story import places
from storyline.story.identity_index import (
    FirstMatch,
    NameScanner,
    acronym,
    name_tokens,
    person_words,
    plain_marks,
    same_name,
    same_thing,
    skeleton,
    surface_key,
    thing_keys,
    thing_probes,
    words_of,
)
from storyline.story.people import merge_people

__all__ = [
    "ArticleMentions",
    "Identities",
    "MentionSpans",
    "acronym",
    "name_tokens",
    "resolve",
    "same_name",
    "skeleton",
    "surface_key",
]

IDENTITIES_VERSION = "identities.v9"

_TYPE_ORDER = {"PERSON": 0, "ORG": 1, "GPE": 2, "LOC": 3, "NORP": 4, "EVENT": 5, "OTHER": 6}


@dataclass(frozen=True)
class ArticleMentions:
    """What identity resolution needs from one article."""

    article: str
    text: str
    mentions: Sequence[Mention]
    roles: Sequence[RoleMention] = ()


class _Single(NamedTuple):
    """One mention before merging, with the label it takes across the articles."""

    label: str
    article: str
    mention: Mention


@dataclass
class _Cluster:
    """The mentions of one entity, and the names they write it with.

    Spellings that differ only in typography ("O’Brien", "O'Brien": see `plain_marks`) are one name
    to a reader: they count together when the entity's name is chosen, and the spelling of theirs
    written most often stands for them all.
    """

    type: str
    names: Counter[str] = field(default_factory=Counter)
    mentions: list[tuple[str, Mention]] = field(default_factory=list)
    articles: set[str] = field(default_factory=set)
    _first_seen: dict[str, int] = field(default_factory=dict)
    _spellings: dict[str, list[str]] = field(default_factory=dict)  # plain marks -> spellings
    _written: Counter[str] = field(default_factory=Counter)  # plain marks -> mentions
    _canonical: str | None = None

    def add(self, article: str, mention: Mention) -> None:
        # A name as written, its spaces made one: in hard-wrapped text a name may run across lines.
        name = " ".join(mention.text.split())
        plain = plain_marks(name)
        if name not in self.names:
            self._spellings.setdefault(plain, []).append(name)
        self.names[name] += 1
        self._written[plain] += 1
        self._first_seen.setdefault(name, len(self._first_seen))
        self.mentions.append((article, mention))
        self.articles.add(article)
        # Only the scores of this name's spellings moved (upwards), so the best name so far stays
        # best unless the best of them overtakes it: the same answer as a max over all names,
        # without the pass over them.
        best = self._best_spelling(plain)
        if self._canonical is None or self._score(best) > self._score(self._canonical):
            self._canonical = best

    def key_tokens(self) -> tuple[str, ...]:
        """The words of a person's name, titles left out (what `people` compares)."""
        return person_words(self.canonical())

    def canonical(self) -> str:
        assert self._canonical is not None, "a cluster is made from a mention"
        return self._canonical

    def variants(self) -> tuple[str, ...]:
        """The other names, one spelling each: "O’Brien" beside "O'Brien" would tell a reader nothing."""
        name = plain_marks(self.canonical())
        return tuple(sorted(self._best_spelling(plain) for plain in self._spellings if plain != name))

    def _best_spelling(self, plain: str) -> str:
        return max(self._spellings[plain], key=self._score)

    def _score(self, name: str) -> tuple[int, bool, int, bool, int, int]:
        # Longest proper-cased form, then the most used (its typographic spellings together, then
        # itself), then one without a title, then the one read first. A person's title is no part
        # of the length: "Mrs Reagan" is no fuller a name than "Reagan", and a few of them must not
        # name the many bare mentions of a cluster, nor "President Reagan" outrank "Ronald Reagan".
        words = name.split()
        capitalised = all(w[:1].isupper() or not w[:1].isalpha() for w in words)
        length = len(person_words(name)) if self.type == "PERSON" else len(words)
        return (
            length if length <= 4 else 0,
            capitalised,
            self._written[plain_marks(name)],
            length == len(words),
            self.names[name],
            -self._first_seen[name],
        )


class MentionSpans(NamedTuple):
    """One article's mentions, sorted by (start, end): two int arrays and the entity ids.

    A dict keyed by (article, start, end) tuples cost about 150 bytes a mention, some 400 MB on a
    store of 19,000 articles; arrays cost 16.
    """

    starts: array[int]
    ends: array[int]
    ids: list[str]

    @classmethod
    def of(cls, points: Mapping[tuple[int, int], str]) -> MentionSpans:
        """From (start, end) -> entity id."""
        ordered = sorted(points.items())
        return cls(
            array("i", (s for (s, _), _ in ordered)),
            array("i", (e for (_, e), _ in ordered)),
            [ent_id for _, ent_id in ordered],
        )

    def listed(self) -> list[tuple[int, int, str]]:
        """(start, end, entity id) of every mention, in text order."""
        return list(zip(self.starts, self.ends, self.ids, strict=True))

    def entity_at(self, start: int, end: int) -> str | None:
        """The entity whose mention best overlaps `start:end` (None when none does)."""
        starts, ends, ids = self
        # Mentions are short: any overlapping one starts after start - 200 and before end.
        first, stop = bisect.bisect_left(starts, start - 200), bisect.bisect_left(starts, end)
        at = bisect.bisect_left(starts, start, first, stop)
        while at < stop and starts[at] == start:
            if ends[at] == end:
                return ids[at]
            at += 1
        best, best_overlap = None, 0
        for i in range(first, stop):
            if ends[i] > start:
                overlap = min(ends[i], end) - max(starts[i], start)
                if overlap > best_overlap:
                    best, best_overlap = ids[i], overlap
        return best


@dataclass(frozen=True)
class Identities:
    """The entities, and where each mention points (with per-article and per-name look-ups).

    Where a mention points is read off the entities' own `mentions`; a span two entities share
    belongs to the later one.
    """

    entities: tuple[Entity, ...]
    _spans: dict[str, MentionSpans] = field(default_factory=dict, init=False, repr=False, compare=False)
    _names: dict[str, list[Entity]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _surnames: dict[str, list[Entity]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Indexes built once: the story stages ask these questions for every quote, event and sentence.
        # The name indexes wait for the first `find_by_name`: a run asks names of its entity table
        # instead, and these entities then only say where the mentions of an article point.
        points: dict[str, dict[tuple[int, int], str]] = defaultdict(dict)
        for ent in self.entities:
            for cite in ent.mentions:
                points[cite.article][(cite.start, cite.end)] = ent.id
        for article, spans in points.items():
            self._spans[article] = MentionSpans.of(spans)

    def _index_names(self) -> None:
        if self._names or not self.entities:  # built (every entity has a name), or nothing to build
            return
        for ent in self.entities:
            forms = (ent.name, *ent.variants)
            for form in forms:
                self._names.setdefault(surface_key(form), []).append(ent)
            if ent.type == "PERSON":
                for surname in {words[-1] for words in map(words_of, forms) if words}:
                    self._surnames.setdefault(surname, []).append(ent)

    def spans_in(self, article: str) -> list[tuple[int, int, str]]:
        """(start, end, entity id) of every mention in `article`, in text order."""
        spans = self._spans.get(article)
        return spans.listed() if spans else []

    def find_by_name(self, name: str, article: str | None = None) -> str | None:
        """The entity a name as written refers to ("Mr Haddane"), preferring one seen in `article`.

        A bare surname stands for a person named in `article` only, as in `resolve`: the most cited
        one elsewhere would be a guess that more articles could overturn. And only for one whose
        names spell that surname so: "Reagan" is not the "Donald Regan" of the same article.
        """
        words = words_of(name)
        if not words:
            return None
        self._index_names()
        matches = list(self._names.get(surface_key(name), []))
        if len(words) == 1:
            matches += [
                e for e in self._surnames.get(words[0], []) if article is None or article in e.articles
            ]
        if not matches:
            return None
        return max(matches, key=lambda e: (article in e.articles if article else False, len(e.mentions))).id

    def entity_at(self, article: str, start: int, end: int) -> str | None:
        """The entity whose mention best overlaps `start:end` in `article` (None when none does)."""
        spans = self._spans.get(article)
        return spans.entity_at(start, end) if spans is not None else None


def resolve(articles: Sequence[ArticleMentions], story_of: Mapping[str, int] | None = None) -> Identities:
    """Group the mentions of all articles into canonical entities.

    `story_of` (article id -> story) lets a bare surname join a person named elsewhere in its story;
    without it, only a person named in its own article.
    """
    labels = _majority_labels(articles)
    common = _common_words(articles)
    slips = _case_slips(articles, labels, common)
    clusters: dict[str, list[_Single]] = defaultdict(list)
    for art in articles:
        for mention in sorted([*art.mentions, *slips.get(art.article, [])], key=lambda m: m.start):
            if _is_common_noun(mention, labels, common):
                continue
            label = labels.get(surface_key(mention.text), mention.label)
            family = "GPE" if label in {"GPE", "LOC"} else label
            labelled = mention if mention.label == label else replace(mention, label=label)
            clusters[family].append(_Single(label, art.article, labelled))
    merged: list[_Cluster] = []
    for family, items in clusters.items():
        merged.extend(_merge_family(family, items, story_of or {}))
    return _build(merged, articles)


def _common_words(articles: Sequence[ArticleMentions]) -> set[str]:
    """Words the articles write in lower case mid-sentence more often than capitalised: common nouns.

    A case slip ("a threat to russia") is rarer than the name written properly, so it does not
    make a name common; "Ports" in a headline against "ports" in the prose does.
    """
    lower: Counter[str] = Counter()
    upper: Counter[str] = Counter()
    for art in articles:
        for word in re.findall(r"(?<=[a-z,;] )[A-Za-z]+", art.text):
            (lower if word.islower() else upper)[word.lower()] += 1
    return {w for w, n in lower.items() if n >= 2 and n > upper[w]}


def _is_common_noun(mention: Mention, labels: dict[str, str], common: set[str]) -> bool:
    # NER tags capitalised common nouns in headlines and titles ("Transport", "Ports") as names; a
    # one-word non-person "name" that the same texts write in lower case elsewhere is such a noun.
    key = surface_key(mention.text)
    return " " not in key and labels.get(key, mention.label) != "PERSON" and key in common


# Head words that make a name an organisation whatever NER said ("Hallorsen Shipping", "X Bank").
_ORG_HEADS = frozenset(
    """agency association authority bank board bureau commission committee company corp corporation council
    court department foundation group inc institute institution league ltd ministry office organisation
    organization party police press service shipping union university airlines airways army navy""".split()
)
# Words before a name that place it: "in Calvora", "from Dessen" are places, not people.
_LOCATIVE = re.compile(r"(?:\b(?:in|at|from|near|across|outside|inside|to|towards|throughout)\s+)$", re.I)


def _label_votes(art: ArticleMentions, m: Mention) -> Counter[str]:
    """NER's label for a mention, plus evidence from its head word and the preposition before it."""
    votes: Counter[str] = Counter({m.label: 1})
    known_place = places.place(m.text)
    if known_place is not None and m.label != "NORP":
        votes["GPE"] += 2 * known_place[1]
    words = name_tokens(m.text)
    if len(words) >= 2 and words[-1] in _ORG_HEADS:
        votes["ORG"] += 2
    elif (
        len(words) == 1
        and m.label in {"PERSON", "ORG"}
        and _LOCATIVE.search(art.text[max(0, m.start - 12) : m.start])
    ):
        votes["GPE"] += 1
    return votes


def _majority_labels(articles: Sequence[ArticleMentions]) -> dict[str, str]:
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for art in articles:
        # A surname alone is the person whose full name ends in it: the small NER model often calls
        # a bare "Lavrov" an ORG, but the "Sergey Lavrov" tagged PERSON in the same article outvotes
        # it. Only there: one article's "Radio Malaysia" tagged PERSON must not turn every
        # "Malaysia" of the store into a person, nor one new article the type of a word used a
        # thousand times.
        full = [surface_key(m.text).split() for m in art.mentions if m.label == "PERSON"]
        surnames = {words[-1] for words in full if len(words) >= 2}
        for m in art.mentions:
            key = surface_key(m.text)
            votes[key].update(_label_votes(art, m))
            if key in surnames:
                votes[key]["PERSON"] += 2
    # An all-capitals word that abbreviates a multi-word organisation named in the texts ("NLU" for
    # "Northern Littoral Union") is that organisation, whatever NER called it.
    org_acronyms = {acronym(m.text) for art in articles for m in art.mentions if m.label == "ORG"} - {""}
    for art in articles:
        for m in art.mentions:
            bare = m.text.replace(".", "")
            if bare.isupper() and len(bare) >= 2 and bare in org_acronyms:
                votes[surface_key(m.text)]["ORG"] += 3
    return {key: counter.most_common(1)[0][0] for key, counter in votes.items()}


def _merge_family(family: str, items: list[_Single], story_of: Mapping[str, int]) -> list[_Cluster]:
    if family == "PERSON":
        return merge_people(items, story_of, _Cluster)
    merged: list[_Cluster] = []
    # Comparing each name with every cluster so far was O(mentions²): 186 s of a 400 s build on
    # 1,000 articles. Blocking finds the same cluster, the earliest that has a matching name.
    index = FirstMatch(thing_keys, thing_probes, same_thing)
    for item in sorted(items, key=lambda s: -len(s.mention.text)):
        name = item.mention.text
        at = index.first(name)
        if at is None:
            at = len(merged)
            merged.append(_Cluster(item.label))
        if name not in merged[at].names:
            index.add(at, name)
        merged[at].add(item.article, item.mention)
    return merged


def _case_slips(
    articles: Sequence[ArticleMentions], labels: dict[str, str], common: set[str]
) -> dict[str, list[Mention]]:
    """Mentions NER missed because of a case slip ("lavrov", "putin has"): known names, other case.

    A name the texts mostly write in lower case is a word, not a slipped name: "Said" or "Market"
    tagged a few times must not make every "said" and "market" of a wire archive a mention.
    """
    from spacy.lang.en.stop_words import STOP_WORDS

    known: dict[str, str] = {}
    counts = Counter(m.text for art in articles for m in art.mentions)
    for name, count in counts.items():
        label = labels.get(surface_key(name), "OTHER")
        words = name.split()
        if label not in {"PERSON", "ORG", "GPE", "LOC"} or count < 2 or not name[:1].isupper():
            continue
        candidates = [name] + ([words[-1]] if label == "PERSON" and len(words) > 1 else [])
        for cand in candidates:
            if len(cand) >= 4 and cand.lower() not in STOP_WORDS and cand.lower() not in common:
                known.setdefault(cand, label)
    found: dict[str, list[Mention]] = defaultdict(list)
    if not known:
        return found
    scanner = NameScanner(known)
    by_fold: dict[str, str] = {}
    for name in known:
        by_fold.setdefault(name.casefold(), name)
    for art in articles:
        taken = [(m.start, m.end) for m in art.mentions]
        exact = set(taken)  # most hits are the mentions themselves: no need to look for overlaps
        for s, e, name in scanner.find(art.text):
            text = art.text[s:e]
            if text in known or (s, e) in exact or any(a < e and s < b for a, b in taken):
                continue
            # The first known name of that spelling gives the label; `re.I` also equates a few letters
            # casefold keeps apart (dotless ı and i), and then the name that matched does.
            canonical = by_fold.get(text.casefold(), name)
            found[art.article].append(Mention(start=s, end=e, text=text, label=known[canonical]))
            taken.append((s, e))
    return found


def _build(clusters: Iterable[_Cluster], articles: Sequence[ArticleMentions]) -> Identities:
    ordered = sorted(clusters, key=lambda c: (_TYPE_ORDER.get(c.type, 9), -len(c.mentions), c.canonical()))
    entities: list[Entity] = []
    by_span: dict[tuple[str, int, int], str] = {}
    used: set[str] = set()
    for cluster in ordered:
        ent_type = Counter(m.label for _, m in cluster.mentions).most_common(1)[0][0]
        ent_type = ent_type if ent_type in _TYPE_ORDER else "OTHER"
        name = cluster.canonical()
        ent_id = _entity_id(ent_type, name, used)
        for art, m in cluster.mentions:
            by_span[(art, m.start, m.end)] = ent_id
        mentions = sorted(
            {Cite(a, m.start, m.end) for a, m in cluster.mentions}, key=lambda c: (c.article, c.start)
        )
        entities.append(
            Entity(
                id=ent_id,
                name=name,
                type=ent_type,
                variants=cluster.variants(),
                mentions=tuple(mentions),
                articles=tuple(sorted({a for a, _ in cluster.mentions})),
            )
        )
    roles = _roles(articles, by_span)
    entities = [replace(e, roles=tuple(roles[e.id])) if e.id in roles else e for e in entities]
    return Identities(entities=tuple(entities))


def _roles(
    articles: Sequence[ArticleMentions], by_span: dict[tuple[str, int, int], str]
) -> dict[str, list[Role]]:
    roles: dict[str, list[Role]] = defaultdict(list)
    spans: dict[str, dict[tuple[int, int], str]] = defaultdict(dict)
    for (article, s, e), ent_id in by_span.items():
        spans[article][(s, e)] = ent_id
    for art in articles:
        for r in art.roles:
            ent = by_span.get((art.article, r.person_start, r.person_end))
            if ent is None:
                ent = next(
                    (v for (s, e), v in spans.get(art.article, {}).items() if s <= r.person_start < e), None
                )
            if ent is not None:
                roles[ent].append(Role(role=r.role, cite=Cite(art.article, r.start, r.end)))
    return roles


def _entity_id(ent_type: str, name: str, used: set[str]) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", surface_key(name)).strip("-")[:40] or "entity"
    candidate = slug
    if candidate in used:
        candidate = f"{slug}-{hashlib.sha1(f'{ent_type}:{name}'.encode()).hexdigest()[:6]}"
    n = 2
    while candidate in used:
        candidate = f"{slug}-{n}"
        n += 1
    used.add(candidate)
    return candidate

"""Reliability signals per article: measurements shown beside a source to help read it, not verdicts.

Text signals read one article (`signals_text`, `signals_spelling`); source signals compare it with
the other original (not duplicate) articles of its story through the canonical entities, their
roles and the quotes.

Signals are worked out story by story from the story's scope (`signals_scope`), so that a story
whose scope did not change is read back from the cache instead of redone.

Each signal is emitted only past its threshold, with the spans (or removed lines) that show it:

  boilerplate         lines removed as navigation, teasers, widgets, ads, legal notes, bios (count >= 3)
  toc_oversized       table-of-contents entries per 1,000 words (>= 5, and >= 6 entries)
  repeated_heading    extra occurrences of a section heading (>= 1)
  repeated_paragraph  paragraphs repeating an earlier one, verbatim or 3-shingle Jaccard >= 0.6 (>= 1)
  misspelling         misspelt words per 1,000 words (>= 0.5, and >= 2 words)
  missing_space       punctuation glued to the next word ("said.The") per 1,000 words (>= 1, and >= 2)
  lowercase_start     sentences that start in lower case (count >= 2)
  unattributed_quote  quotes and reported statements with no named speaker (count >= 3, and >= half
                      of the article's quotes)
  unique_source       people or organisations quoted three or more times here and named in no other
                      source (count >= 1; only in stories with three or more sources)
  title_conflict      people given a title that more other sources contradict than confirm, among
                      reports at most 90 days apart (count >= 1)
  name_spelling       names spelt unlike most sources of the story, case aside (count >= 1)
  single_outlet       attributions to one outside news organisation ("according to X", "X reported"),
                      when they are two or more and at least half of the article's attributions (count)
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from storyline.model import Article, Briefing, Cite, Quote, Role, Signal, from_dict, to_dict
from storyline.story import signals_spelling as spelling
from storyline.story import signals_text as text_signals
from storyline.story.signals_scope import Index, Scope, Scopes, scope_key

if TYPE_CHECKING:
    from storyline.briefing.stories import StoryCache

__all__ = ["EVIDENCE_SHOWN", "SIGNALS_VERSION", "SIGNAL_LABELS", "compute", "describe", "of_scopes"]

SIGNALS_VERSION = "signals.v1"
# "Officials said" is ordinary reporting; an article whose quoted words mostly have no named
# speaker is not. On ECB+ news (658 articles) these bounds fire on 11% of articles.
UNATTRIBUTED_MIN = 3
UNATTRIBUTED_SHARE = 0.5
# A speaker the annotator could not resolve ("he", "who") was named by the article: not counted.
_PRONOUNS = frozenset(
    "i we you he she it they one who which that this these those him her them us me".split()
)
UNIQUE_SOURCE_MIN_SOURCES = 3
# A voice quoted once is colour; one whose words carry part of the article and whom no other outlet
# names is worth a look (on ECB+ news: 13% of articles at three quotes, 23% at two).
UNIQUE_SOURCE_QUOTES = 3
TITLE_DAYS = 90  # titles change over time: reports further apart than this are not compared
SINGLE_OUTLET_MIN = 2
SINGLE_OUTLET_SHARE = 0.5
# rapidfuzz ratio of two spellings of one name token: Gadhafi/Gaddafi 86, Aleksandr/Alexander 78,
# Mohammed/Muhammad 75; a different name (Beijing/Peking 62) stays apart.
SPELLING_SIMILARITY = 70
# Words that change what a title means rather than narrowing it: "former president" is not a kind
# of "president" the way "Spanish foreign minister" is a kind of "foreign minister".
CHANGING_WORDS = frozenset(
    {"former", "ex", "late", "acting", "deputy", "vice", "elect", "outgoing", "incoming", "interim"}
    | {"assistant", "designate", "retired", "future", "previous", "then"}
)
_ROLE_FILLER = frozenset({"of", "the", "a", "an", "for", "and", "to"})
_NAMED_TYPES = ("PERSON", "ORG", "GPE", "LOC")
# An organisation named as where words come from: "according to X", "told X", "X reported".
_OUTLET_BEFORE = re.compile(
    r"(?:according to|reports? (?:by|from|in)|reporting (?:by|from|in)|reported by|cited by|quoted by|"
    r"told|interview with|writing in|wrote in|published (?:by|in)|broadcast (?:by|on)|aired on)"
    r"(?: the| a)?\s+$",
    re.IGNORECASE,
)
_OUTLET_AFTER = re.compile(
    r"^(?:['’]s?\s+(?:report|reporting|article|story|sources|correspondent|reporter|interview)\b|"
    r"\s+(?:has |had )?(?:reported|reports|reporting|wrote|writes|published|revealed|broadcast|aired)\b)",
    re.IGNORECASE,
)


# What a reader sees for each signal: a label and the unit of its value (one, many).
SIGNAL_LABELS = {
    "boilerplate": ("Boilerplate and navigation lines removed", "line", "lines"),
    "toc_oversized": (
        "Table of contents out of proportion",
        "entry per 1,000 words",
        "entries per 1,000 words",
    ),
    "repeated_heading": ("Section headings repeated", "repeat", "repeats"),
    "repeated_paragraph": ("Paragraphs repeated", "repeat", "repeats"),
    "misspelling": ("Misspelt words", "per 1,000 words", "per 1,000 words"),
    "missing_space": ("Missing spaces after punctuation", "per 1,000 words", "per 1,000 words"),
    "lowercase_start": ("Sentences starting in lower case", "sentence", "sentences"),
    "unattributed_quote": ("Quotes with no named speaker", "quote", "quotes"),
    "unique_source": ("Sources named in no other article of the story", "source", "sources"),
    "title_conflict": ("Titles that clash with other sources", "person", "people"),
    "name_spelling": ("Names spelt unlike most sources", "name", "names"),
    "single_outlet": ("Attributions resting on one outside outlet", "attribution", "attributions"),
}
EVIDENCE_SHOWN = 6  # renderers list this many pieces of evidence, then say how many more there are


def describe(signal: str, value: str) -> str:
    """A signal as a reader sees it: "Misspelt words: 0.9 per 1,000 words"."""
    label, one, many = SIGNAL_LABELS.get(signal, (signal.replace("_", " ").capitalize(), "", ""))
    return f"{label}: {value} {one if value == '1' else many}".rstrip()


def compute(briefing: Briefing, cache: StoryCache | None = None) -> tuple[Signal, ...]:
    """Every signal that fires, article by article in briefing order.

    Signals are worked out story by story, each from its own scope; with a `cache`, a story whose
    scope did not change is read back instead (`signals_scope` says what the key covers).
    """
    scopes = Scopes.of(briefing)
    by_article: dict[str, list[Signal]] = defaultdict(list)
    for found in of_scopes([scopes.scope(members) for members in _groups(briefing)], scopes.names, cache):
        for signal in found:
            by_article[signal.article].append(signal)
    return tuple(s for a in briefing.articles for s in by_article.pop(a.id, ()))


def of_scopes(scopes: Sequence[Scope], names: set[str], cache: StoryCache | None) -> list[list[Signal]]:
    """The signals of each story's scope (`names`: every entity name token of the run), read back
    from the cache where the scope is unchanged, worked out and stored where not."""
    keys = [scope_key(s, names, SIGNALS_VERSION) for s in scopes] if cache is not None else []
    cached = cache.story_results(keys) if cache is not None else {}
    out, fresh = [], []
    for n, scope in enumerate(scopes):
        if keys and keys[n] in cached:
            found = [from_dict(Signal, s) for s in json.loads(cached[keys[n]])]
        else:
            found = _story_signals(scope, names)
            if keys:
                fresh.append((keys[n], json.dumps([to_dict(s) for s in found], ensure_ascii=False)))
        out.append(found)
    if cache is not None and fresh:
        cache.put_story_results(fresh)
    return out


def _groups(briefing: Briefing) -> list[tuple[Article, ...]]:
    """The members of each story; an article in no story is a group of its own."""
    by_id = {a.id: a for a in briefing.articles}
    out = [tuple(by_id[i] for i in s.articles if i in by_id) for s in briefing.stories]
    placed = {a.id for group in out for a in group}
    out += [(a,) for a in briefing.articles if a.id not in placed]
    return [g for g in out if g]


def _story_signals(scope: Scope, names: set[str]) -> list[Signal]:
    index = Index.of(scope, names)
    out: list[Signal] = []
    for article in scope.members:
        count = text_signals.words(article.text)
        spans = [(c.start, c.end) for _, c in index.mentions[article.id]]
        shared = set().union(*(index.words[p] for p in index.peers[article.id]))
        found = [
            text_signals.debris(article),
            text_signals.oversized_toc(article, count),
            text_signals.repeated_headings(article),
            text_signals.repeated_paragraphs(article),
            spelling.misspellings(article, count, index.names, shared, spans),
            text_signals.missing_spaces(article, count),
            text_signals.lowercase_starts(article),
            unattributed_quotes(article, index.quotes[article.id]),
        ]
        if article.duplicate_of is None:
            found += [
                unique_sources(article, index),
                title_conflicts(article, index),
                name_spellings(article, index),
                single_outlet(article, index),
            ]
        out += [s for s in found if s is not None]
    return out


def unattributed_quotes(article: Article, quotes: Sequence[Quote]) -> Signal | None:
    """Quoted or reported words that no named speaker goes with ("critics argue", "many fear"),
    when they are at least three and half of the article's quotes."""
    cites = sorted(
        (q.cite for q in quotes if q.speaker is None and (q.speaker_text or "").casefold() not in _PRONOUNS),
        key=lambda c: c.start,
    )
    if len(cites) < max(UNATTRIBUTED_MIN, UNATTRIBUTED_SHARE * len(quotes)):
        return None
    return Signal(article.id, "unattributed_quote", len(cites), tuple(cites))


def unique_sources(article: Article, index: Index) -> Signal | None:
    """Speakers quoted at least three times here whom no other source of the story names at all."""
    peers = index.peers[article.id]
    if len(peers) + 1 < UNIQUE_SOURCE_MIN_SOURCES:
        return None
    quoted = Counter(q.speaker for q in index.quotes[article.id] if q.speaker)
    alone = [
        index.entities[e]
        for e, n in quoted.most_common()
        if n >= UNIQUE_SOURCE_QUOTES
        and index.entities[e].type in {"PERSON", "ORG"}
        and not peers & set(index.entities[e].articles)
    ]
    if not alone:
        return None
    evidence: list[Cite | str] = []
    for ent in alone:
        roles = sorted(r.role for r in ent.roles if r.cite.article == article.id)
        role = f" ({roles[0]})" if roles else ""
        evidence.append(f"{ent.name}{role}: quoted {_times(quoted[ent.id])} here, named in no other source")
        evidence += _first(m for m in ent.mentions if m.article == article.id)
    return Signal(article.id, "unique_source", len(alone), tuple(evidence))


def title_conflicts(article: Article, index: Index) -> Signal | None:
    """Titles given here that clash with what more other sources call the person than agree with it."""
    peers = index.peers[article.id]
    evidence: list[Cite | str] = []
    people = 0
    for ent in index.present[article.id].values():
        mine = _distinct_roles(r for r in ent.roles if r.cite.article == article.id)
        theirs = _distinct_roles(
            r for r in ent.roles if r.cite.article in peers and _same_time(index, article.id, r.cite.article)
        )
        clashes = []
        for role in mine:
            against = [
                r for r in theirs if _comparable(role.role, r.role) and not _compatible(role.role, r.role)
            ]
            agree = {r.cite.article for r in theirs if _compatible(role.role, r.role)}
            if against and len({r.cite.article for r in against}) > len(agree):
                clashes.append((role, against))
        if clashes:
            people += 1
            for role, against in clashes:
                others = "’, ‘".join(sorted({r.role for r in against}))
                sources = _plural(len({r.cite.article for r in against}), "other source")
                evidence.append(f"{ent.name}: ‘{role.role}’ here, ‘{others}’ in {sources}")
                evidence += [role.cite, *(r.cite for r in against)]
    return Signal(article.id, "title_conflict", people, tuple(evidence)) if people else None


def _same_time(index: Index, a: str, b: str) -> bool:
    """Whether two articles are close enough in time for a title in one to hold in the other."""
    day_a, day_b = index.published.get(a), index.published.get(b)
    if not day_a or not day_b:
        return True
    try:
        gap = abs((date.fromisoformat(day_a[:10]) - date.fromisoformat(day_b[:10])).days)
    except ValueError:
        return True
    return gap <= TITLE_DAYS


def _distinct_roles(roles: Iterable[Role]) -> list[Role]:
    """One role per (article, title): the first place each article gives it."""
    seen: dict[tuple[str, str], Role] = {}
    for r in roles:
        seen.setdefault((r.cite.article, r.role), r)
    return list(seen.values())


def _role_words(role: str) -> tuple[str, set[str]]:
    """The head noun of a title ("secretary" of "secretary of state") and its content words."""
    tokens = re.findall(r"[a-z]+", role.casefold())
    head_part = tokens[: tokens.index("of")] if "of" in tokens else tokens
    return (head_part[-1] if head_part else ""), {t for t in tokens if t not in _ROLE_FILLER}


def _comparable(a: str, b: str) -> bool:
    """Two titles of the same kind of post: one's head noun is a word of the other."""
    head_a, words_a = _role_words(a)
    head_b, words_b = _role_words(b)
    return bool(head_a) and (head_a in words_b or head_b in words_a)


def _compatible(a: str, b: str) -> bool:
    """One title narrows the other ("secretary" / "secretary of state") without changing it."""
    words_a, words_b = _role_words(a)[1], _role_words(b)[1]
    if not (words_a <= words_b or words_b <= words_a):
        return False
    return not (words_a ^ words_b) & CHANGING_WORDS


def name_spellings(article: Article, index: Index) -> Signal | None:
    """Name tokens spelt here unlike the spelling most sources use ("Gadhafi" where most write "Gaddafi")."""
    sources = index.peers[article.id] | {article.id}
    evidence: list[Cite | str] = []
    names = 0
    for ent in index.present[article.id].values():
        if ent.type not in _NAMED_TYPES:
            continue
        spellings = index.spellings[ent.id]
        used = {token: set(by_article) & sources for token, by_article in spellings.items()}
        used = {token: users for token, users in used.items() if users}
        where = {token: spellings[token].get(article.id, []) for token in used}
        for group in _spelling_groups(list(used)):
            ranked = sorted(group, key=lambda t: -len(used[t]))
            top = ranked[0]
            if len(used[top]) == len(used[ranked[1]]):
                continue  # no majority to differ from
            for token in ranked[1:]:
                if article.id not in used[token] or article.id in used[top]:
                    continue
                written = _as_written(article, where[token], token)
                if written.isupper():
                    continue  # an acronym ("IRNA" beside "Iran") is another name, not a spelling
                names += 1
                others = _plural(len(used[top]), "other source")
                evidence += [f"‘{written}’ here; ‘{top.capitalize()}’ in {others}", *where[token]]
    return Signal(article.id, "name_spelling", names, tuple(evidence)) if names else None


def _spelling_groups(tokens: list[str]) -> list[list[str]]:
    """Spellings of one name token: same first letter and a rapidfuzz ratio of at least 70."""
    groups: list[list[str]] = []
    for token in sorted(tokens):
        for group in groups:
            if any(t[0] == token[0] and fuzz.ratio(t, token) >= SPELLING_SIMILARITY for t in group):
                group.append(token)
                break
        else:
            groups.append([token])
    return [g for g in groups if len(g) > 1]


def _as_written(article: Article, cites: Sequence[Cite], token: str) -> str:
    for c in cites:
        words = article.text[c.start : c.end]
        at = words.casefold().find(token)
        if at >= 0:
            return words[at : at + len(token)]
    return token


def single_outlet(article: Article, index: Index) -> Signal | None:
    """Most of what the article attributes comes from one outside news organisation."""
    own = _squash(" ".join(x for x in (article.site, article.url) if x))
    attributed: dict[str, list[Cite]] = defaultdict(list)
    for ent, m in index.mentions[article.id]:
        if ent.type != "ORG" or (own and any(_squash(n) in own for n in (ent.name, *ent.variants))):
            continue
        before = article.text[max(0, m.start - 60) : m.start]
        after = article.text[m.end : m.end + 40]
        if _OUTLET_BEFORE.search(before) or _OUTLET_AFTER.match(after):
            attributed[ent.id].append(m)
    if not attributed:
        return None
    # Counted in sentences, so that an outlet named twice in one sentence is one attribution.
    by_outlet = {e: {_sentence_of(article, c.start) for c in cs} for e, cs in attributed.items()}
    top = max(by_outlet, key=lambda e: (len(by_outlet[e]), e))
    sentences = {_sentence_of(article, q.cite.start) for q in index.quotes[article.id]}
    sentences = sentences.union(*by_outlet.values())
    count = len(by_outlet[top])
    if count < SINGLE_OUTLET_MIN or count < SINGLE_OUTLET_SHARE * len(sentences):
        return None
    note = f"{index.entities[top].name}: {count} of {len(sentences)} attributed sentences"
    return Signal(article.id, "single_outlet", count, (note, *attributed[top]))


def _sentence_of(article: Article, offset: int) -> int:
    for i, (start, end) in enumerate(article.sentences):
        if start <= offset < end:
            return i
    return -1 - offset  # no sentence spans known: each place counts on its own


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())


def _first(cites: Iterable[Cite]) -> list[Cite]:
    return sorted(cites, key=lambda c: c.start)[:1]


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"

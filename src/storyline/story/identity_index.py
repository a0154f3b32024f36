"""Names as keys: folded forms, transliteration skeletons, acronyms, a person's words without
titles, and the indexes built on them.

A folded form is blind to case, accents and typography: the apostrophe, dash and quote that
outlets type in many ways (O’Brien, OʼBrien, O'Brien; Jean‐Pierre, Jean-Pierre) are one character each.

Identity resolution compares names; done pair by pair across a store it is O(mentions²). Here each
name is filed under blocking keys that every matching pair shares (`thing_keys`), `FirstMatch` and
`Candidates` look up only names that share one, and `NameScanner` finds known names in texts by
their first letters instead of one alternation of thousands of names.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import sqlite3
import unicodedata
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import JaroWinkler

from storyline.story import places
from storyline.story.shelf import Shelf

_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "lord", "lady", "st"}
# Titles NER sometimes keeps in a person's span ("President Reagan", "Sen Bob Packwood"): the words
# a name opens with that are no part of it. Only for people, and only in front: "General Motors" is
# no title, and "Mr Major" keeps its surname.
_TITLES = frozenset(
    """mr mrs ms miss madam madame mme mlle dr prof sir dame lord lady king queen prince princess
    president vice prime minister premier chancellor secretary chairman ambassador mayor governor gov
    senator sen rep congressman congresswoman judge gen general col lt capt adm sgt
    sheikh sheik emir ayatollah pope rev reverend""".split()
)
# The titles that say whether the bearer is a man or a woman.
_GENDER = {
    **dict.fromkeys("mr sir lord king prince".split(), "m"),
    **dict.fromkeys("mrs ms miss madam madame mme mlle dame lady queen princess".split(), "f"),
}
_CONNECTORS = {"of", "for", "and", "the", "on", "in", "de", "la", "&"}


# Stand-ins for one character that outlets and their publishing systems type in many ways: the
# apostrophe of "O'Brien", the hyphen of "Jean-Pierre", the quotes around a nickname. NFKC folds
# only their compatibility forms (fullwidth ＇, non-breaking ‑), so the rest is mapped by hand, each
# to its ASCII form; invisible soft hyphens and zero-width spaces go. ZWJ and ZWNJ stay: they change
# how a word is written in Persian or Hindi. The acute accent ´ is mapped before NFKC, which would
# make it a space and a combining accent.
_APOSTROPHES = "\u2018\u2019\u201a\u201b\u02b9\u02bb\u02bc\u02bd\u02be\u02bf\u2032\u00b4`\uff07"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\uff02"
_INVISIBLE = "\u00ad\u200b\u2060\ufeff"
_PLAIN_MARKS = str.maketrans(
    {
        **dict.fromkeys(_APOSTROPHES, "'"),
        **dict.fromkeys(_DASHES, "-"),
        **dict.fromkeys(_DOUBLE_QUOTES, '"'),
        **dict.fromkeys(_INVISIBLE, None),
    }
)


# Name functions are pure and asked about the same few thousand names again and again across a store.
@functools.lru_cache(maxsize=1 << 14)
def plain_marks(text: str) -> str:
    """`text` in NFKC with one form of each apostrophe, dash and quote: "O’Brien" -> "O'Brien".

    Letters and case are kept, so two spellings with equal plain marks read the same to a reader.
    """
    return unicodedata.normalize("NFKC", text.translate(_PLAIN_MARKS))


@functools.lru_cache(maxsize=1 << 14)
def surface_key(text: str) -> str:
    """A name folded for matching: plain marks, no accents, one space, no possessive, case folded."""
    text = unicodedata.normalize("NFKD", plain_marks(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"'(s)?$", "", text.strip())
    return re.sub(r"\s+", " ", text).casefold()


def forget_names() -> None:
    """Empty the name functions' caches (and `places.place`'s): called once a store's identities
    are resolved. Filled while resolution reads every name of the store, their entries sit among the
    blocks of its short-lived objects and would keep those pages for the rest of the run (a first
    run over 18,675 Reuters stories peaked at 588 MB with them emptied, 614 MB without); the
    stories fill them again with the few names each reads."""
    # Every cached function of this module, found rather than listed: a cache added later is emptied too.
    for cached in [f for f in globals().values() if callable(getattr(f, "cache_clear", None))]:
        cached.cache_clear()
    places.place.cache_clear()


def name_tokens(name: str) -> list[str]:
    """The words of a name, folded, without honorifics: "Dr. Elena Petrova" -> ["elena", "petrova"]."""
    return list(words_of(name))


@functools.lru_cache(maxsize=1 << 14)
def words_of(name: str) -> tuple[str, ...]:
    """`name_tokens` as a tuple, cached."""
    return tuple(w for w in _all_words(name) if w not in _HONORIFICS)


@functools.lru_cache(maxsize=1 << 14)
def person_words(name: str) -> tuple[str, ...]:
    """The words of a person's name without the titles it opens with: "President Ronald Reagan" ->
    ("ronald", "reagan"), "Mrs Reagan" -> ("reagan",); a title alone stays ("President")."""
    words = words_of(name)
    opening = 0
    while opening < len(words) - 1 and words[opening] in _TITLES:
        opening += 1
    return words[opening:]


@functools.lru_cache(maxsize=1 << 14)
def title_gender(name: str) -> str | None:
    """The sex the titles a name opens with give it, "m" or "f" ("Mrs Reagan" -> "f"), else None."""
    words = _all_words(name)
    genders = {_GENDER.get(w) for w in itertools.takewhile(_TITLES.__contains__, words[:-1])}
    genders.discard(None)
    return genders.pop() if len(genders) == 1 else None


def _all_words(name: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[^\W\d_][\w'-]*", surface_key(name)))


@functools.lru_cache(maxsize=1 << 14)
def skeleton(word: str) -> str:
    """A transliteration-tolerant key: first letter + consonants after common spelling folds."""
    w = surface_key(word)
    for a, b in (("x", "ks"), ("ph", "f"), ("th", "t"), ("ck", "k"), ("w", "v"), ("q", "k"), ("c", "k")):
        w = w.replace(a, b)
    # A leading vowel or y/j is the part transliterations disagree on most (Yuri/Iuri/Juri, Yusuf/Iusuf).
    head = "V" if w[:1] in set("aeiouyj") else w[:1]
    rest = re.sub(r"[aeiouy\W\d_]", "", w[1:])
    return head + re.sub(r"(.)\1+", r"\1", rest)


def same_name(a: str, b: str) -> bool:
    """Two spellings of one name (single words): equal folded, or same skeleton and close spelling."""
    a, b = surface_key(a), surface_key(b)
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1 or len(a) < 3 or len(b) < 3:
        return False
    return skeleton(a) == skeleton(b) and JaroWinkler.similarity(a, b) >= 0.8


def word_key(word: str) -> str:
    """The key `same_name` needs two words to share: the skeleton of the folded word."""
    # Equal folded words have equal skeletons too, so every pair `same_name` accepts shares it.
    return skeleton(surface_key(word))


@functools.lru_cache(maxsize=1 << 14)
def acronym(name: str) -> str:
    words = [w for w in re.findall(r"[A-Za-z][\w-]*", plain_marks(name)) if w.lower() not in _CONNECTORS]
    return "".join(w[0] for w in words).upper() if len(words) >= 2 else ""


def _capitals(name: str) -> str:
    bare = name.replace(".", "")
    return bare.upper() if bare.isupper() else ""


def same_thing(x: str, y: str) -> bool:
    """Two names of one organisation, place or group: same folded name, one place, an acronym of the
    other, or a spelling variant word by word."""
    if surface_key(x) == surface_key(y) or places.same_place(x, y):
        return True
    xc, yc = _capitals(x), _capitals(y)
    if (yc and yc == acronym(x)) or (xc and xc == acronym(y)):
        return True
    tx, ty = words_of(x), words_of(y)
    return len(tx) == len(ty) and bool(tx) and all(same_name(p, q) for p, q in zip(tx, ty, strict=True))


def thing_keys(name: str) -> list[tuple[object, ...]]:
    """Keys a name is filed under, such that every pair `same_thing` accepts meets under one.

    Equal folded names share ("S", key). One place shares ("P", GeoNames id). Word-by-word variants
    share ("T", word keys), see `word_key`. An acronym pair meets under ("A", letters) when the filed
    name is the long one and under ("C", letters) when it is the capitals form; `thing_probes` looks
    the other way round, so two long names with one acronym are never compared.
    """
    keys = _shared_keys(name)
    if acronym(name):
        keys.append(("A", acronym(name)))
    if _capitals(name):
        keys.append(("C", _capitals(name)))
    return keys


def thing_probes(name: str) -> list[tuple[object, ...]]:
    """The keys to look a new name up under (see `thing_keys`)."""
    keys = _shared_keys(name)
    if _capitals(name):
        keys.append(("A", _capitals(name)))
    if acronym(name):
        keys.append(("C", acronym(name)))
    return keys


def _shared_keys(name: str) -> list[tuple[object, ...]]:
    keys: list[tuple[object, ...]] = [("S", surface_key(name))]
    known_place = places.place(name)
    if known_place is not None:
        keys.append(("P", known_place[0]))
    if words_of(name):
        keys.append(("T", tuple(word_key(w) for w in words_of(name))))
    return keys


Keys = Callable[[str], Iterable[Hashable]]


@dataclass(slots=True)
class _Asked:
    best: int | None = None
    read: dict[Hashable, int] = field(default_factory=dict)


class FirstMatch:
    """The earliest position holding a name that `match(name, query)` accepts, found by blocking.

    The caller promises completeness: whenever `match(x, q)` holds, `keys(x)` and `probes(q)` share
    a key. Positions and names are only ever added, so the answer for a query can only move earlier:
    each query remembers how far it has read under each key and its best position so far, and a name
    asked a thousand times is compared once with each candidate.
    """

    def __init__(
        self,
        keys: Keys,
        probes: Keys,
        match: Callable[[str, str], bool],
        remember: int = 1 << 13,
        conn: sqlite3.Connection | None = None,
        capacity: int | None = None,
    ) -> None:
        self._keys, self._probes, self._match = keys, probes, match
        # The names under each key; the keys used last in memory, the rest in `conn` (a private
        # database in memory without one).
        self._entries: Shelf[Hashable, list[tuple[int, str]]] = Shelf(
            conn or sqlite3.connect(":memory:"), capacity, encode=repr
        )
        # The queries asked last (at most `remember`): one per distinct name would grow with the
        # store. A query forgotten and asked again reads its keys from the start, to the same answer.
        self._asked: OrderedDict[str, _Asked] = OrderedDict()
        self._remember = remember

    def add(self, position: int, name: str) -> None:
        for key in set(self._keys(name)):
            self._entries.setdefault(key, list).append((position, name))

    def first(self, query: str) -> int | None:
        asked = self._asked.get(query)
        if asked is None:
            asked = self._asked[query] = _Asked(read=dict.fromkeys(set(self._probes(query)), 0))
            if len(self._asked) > self._remember:
                self._asked.popitem(last=False)
        else:
            self._asked.move_to_end(query)
        for key, done in asked.read.items():
            entries = self._entries.get(key) or []
            for position, name in entries[done:]:
                if (asked.best is None or position < asked.best) and self._match(name, query):
                    asked.best = position
            asked.read[key] = len(entries)
        return asked.best


class Candidates:
    """Positions filed under keys (str); entries may go stale, so the caller re-checks its predicate.
    The keys used last are held in memory, the others in `conn` (a private database in memory
    without one)."""

    def __init__(self, conn: sqlite3.Connection | None = None, capacity: int | None = None) -> None:
        self._under: Shelf[str, list[int]] = Shelf(conn or sqlite3.connect(":memory:"), capacity)

    def add(self, position: int, key: str) -> None:
        under = self._under.setdefault(key, list)
        # Usually appended at the end; a refiled older position goes in its place.
        at = bisect.bisect_left(under, position)
        if at == len(under) or under[at] != position:
            under.insert(at, position)

    def under(self, key: str) -> Sequence[int]:
        """Positions filed under `key`, in increasing order (not to be changed by the caller, and
        read before the next `add` or `under`)."""
        return self._under.get(key) or ()


# The only non-ASCII characters that `re.IGNORECASE` equates with ASCII letters (the tests check it).
_TO_ASCII = str.maketrans("İıſ\u212a", "iisk")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _fold(text: str) -> str:
    """As long as `text`; two strings `re.IGNORECASE` calls equal fold equal (not conversely)."""
    return _NON_ASCII.sub("\x00", text.translate(_TO_ASCII)).lower()


def _starts(firsts: set[str]) -> re.Pattern[str]:
    """Word boundaries before a letter that folds like the first letter of some name."""
    # `re.I` makes the class match just the letters that fold into `firsts`: an ASCII letter's
    # case-blind kin are ASCII or the four letters `_fold` maps to ASCII; "\x00" stands for the rest.
    ascii_firsts = "".join(re.escape(c) for c in sorted(firsts - {"\x00"}))
    others = "\x80-\U0010ffff" if "\x00" in firsts else ""
    return re.compile(rf"\b(?=[{ascii_firsts}{others}])", re.I) if firsts else re.compile(r"(?!)")


class NameScanner:
    """Finds known names in texts, whole words and blind to case, longest name first.

    It finds what `re.finditer(r"\b(n1|n2|…)\b", re.I)` finds with the names sorted longest first,
    but that alternation tries every name at every word, O(text × names). Here a word boundary looks
    up the folded text of each length the names have (only lengths of names sharing its first
    letters), longest first, and tries the regex only on names that fold like the text there.
    """

    def __init__(self, names: Iterable[str]) -> None:
        ordered = sorted(names, key=len, reverse=True)
        self._width = min(4, *(len(n) for n in ordered)) if ordered else 1
        self._lengths: dict[str, list[int]] = defaultdict(list)
        self._by_fold: dict[str, list[str]] = defaultdict(list)
        for name in ordered:
            lengths = self._lengths[_fold(name[: self._width])]
            if len(name) not in lengths:
                lengths.append(len(name))
            self._by_fold[_fold(name)].append(name)
        self._compiled: dict[str, re.Pattern[str]] = {}
        self._starts = _starts({_fold(name[:1]) for name in ordered})

    def find(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, name that matched) of each occurrence, left to right, never overlapping."""
        folded = _fold(text)
        resume = 0
        # Inlined loops: this visits millions of word boundaries across a store.
        for boundary in self._starts.finditer(text):
            at = boundary.start()
            if at < resume:
                continue
            for length in self._lengths.get(folded[at : at + self._width], ()):
                for name in self._by_fold.get(folded[at : at + length], ()):
                    match = self._pattern(name).match(text, at)
                    if match is not None:
                        resume = match.end()
                        yield at, resume, name
                        break
                if resume > at:  # found one: shorter names are not tried
                    break

    def _pattern(self, name: str) -> re.Pattern[str]:
        pattern = self._compiled.get(name)
        if pattern is None:
            pattern = self._compiled[name] = re.compile(r"\b" + re.escape(name) + r"\b", re.I)
        return pattern

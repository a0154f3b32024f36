"""What the texts say about names, for identity resolution: each name's label by majority vote, the
words written as common nouns, and the case slips ("lavrov") of the names known.

Gathered in one pass over the articles (`Evidence.read`, one article at a time) and tallied in
tables of the run's spool a few thousand at a time: memory holds neither the mentions nor the distinct
names and words of the store, which grow with it. The case-slip scanner holds the names written
most, at most `_KNOWN_AT_MOST` of them.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol

from storyline.model import Mention
from storyline.story import places
from storyline.story.identity_index import NameScanner, acronym, name_tokens, surface_key

__all__ = ["Evidence", "Labels", "Slips", "Words", "is_common_noun"]

# Head words that make a name an organisation whatever NER said ("Hallorsen Shipping", "X Bank").
_ORG_HEADS = frozenset(
    """agency association authority bank board bureau commission committee company corp corporation council
    court department foundation group inc institute institution league ltd ministry office organisation
    organization party police press service shipping union university airlines airways army navy""".split()
)
# Words before a name that place it: "in Calvora", "from Dessen" are places, not people.
_LOCATIVE = re.compile(r"(?:\b(?:in|at|from|near|across|outside|inside|to|towards|throughout)\s+)$", re.I)


_SCHEMA = """
CREATE TABLE vote (key TEXT NOT NULL, label TEXT NOT NULL, n INTEGER NOT NULL, seq INTEGER NOT NULL,
  PRIMARY KEY (key, label)) WITHOUT ROWID;
CREATE TABLE spelt (text TEXT PRIMARY KEY, n INTEGER NOT NULL, seq INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE org_acronym (letters TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE word (word TEXT PRIMARY KEY, lower INTEGER NOT NULL, upper INTEGER NOT NULL) WITHOUT ROWID;
"""
# Each name's label: the most votes, of two as many the label met first (`Counter.most_common`).
_LABELS = """CREATE TABLE label (key TEXT PRIMARY KEY, label TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO label SELECT key, label FROM (SELECT key, label,
  row_number() OVER (PARTITION BY key ORDER BY n DESC, seq) AS r FROM vote) WHERE r = 1;"""
_COMMON = """CREATE TABLE common (word TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT INTO common SELECT word FROM word WHERE lower >= 2 AND lower > upper;"""
_BUFFERED = 1 << 15  # tallies held before they are added to the tables
# The names the case slips are looked for (`Slips`), at most: the scanner and the patterns it
# compiles cost ~2 KB a name. Over this many, the names written least often are left out.
_KNOWN_AT_MOST = 1 << 15
_REMEMBER = 1 << 13  # answers a label or word lookup remembers


class Evidence:
    """Label votes per folded name, how often each name is written as it is, the acronyms of the
    organisations named, and the words written in lower case and capitalised mid-sentence.

    They grow with the distinct names and words of the store, so they are tallied in tables of
    `conn` (made here), a few thousand at a time; what `labels` and `common` give is read from them.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        conn.executescript(_SCHEMA)
        self._conn = conn
        self._seq = 0  # tallies started, in order: which label a name was given first
        self._votes: dict[tuple[str, str], list[int]] = {}  # (folded name, label) -> [votes, seq]
        self._counts: dict[str, list[int]] = {}  # mentions per name as written -> [mentions, seq]
        self._org_acronyms: set[str] = set()
        self._lower: Counter[str] = Counter()
        self._upper: Counter[str] = Counter()

    def read(self, text: str, mentions: Sequence[Mention]) -> None:
        """Take in one article (in the run's order: ties of votes go to the label met first)."""
        for word in re.findall(r"(?<=[a-z,;] )[A-Za-z]+", text):
            (self._lower if word.islower() else self._upper)[word.lower()] += 1
        # A surname alone is the person whose full name ends in it: the small NER model often calls
        # a bare "Lavrov" an ORG, but the "Sergey Lavrov" tagged PERSON in the same article outvotes
        # it. Only there: one article's "Radio Malaysia" tagged PERSON must not turn every
        # "Malaysia" of the store into a person, nor one new article the type of a word used a
        # thousand times.
        full = [surface_key(m.text).split() for m in mentions if m.label == "PERSON"]
        surnames = {words[-1] for words in full if len(words) >= 2}
        for m in mentions:
            key = surface_key(m.text)
            for label, votes in _label_votes(text, m).items():
                self._vote(key, label, votes)
            if key in surnames:
                self._vote(key, "PERSON", 2)
            self._tally(self._counts, m.text, 1)
            if m.label == "ORG" and acronym(m.text):
                self._org_acronyms.add(acronym(m.text))
        if len(self._votes) + len(self._counts) + len(self._lower) + len(self._upper) > _BUFFERED:
            self._write()

    def labels(self) -> _Lookup:
        """Folded name -> the label most of its votes give (called once, after the last `read`)."""
        self._write()
        # An all-capitals word that abbreviates a multi-word organisation named in the texts ("NLU"
        # for "Northern Littoral Union") is that organisation, whatever NER called it.
        found = "SELECT 1 FROM org_acronym WHERE letters = ?"
        for name, count in self._conn.execute("SELECT text, n FROM spelt ORDER BY seq"):
            bare = name.replace(".", "")
            if bare.isupper() and len(bare) >= 2 and self._conn.execute(found, (bare,)).fetchone():
                self._vote(surface_key(name), "ORG", 3 * count)
                if len(self._votes) > _BUFFERED:
                    self._write()
        self._write()
        self._conn.executescript(_LABELS)
        return _Lookup(self._conn, "SELECT label FROM label WHERE key = ?")

    def common(self) -> _Lookup:
        """Words the articles write in lower case mid-sentence more often than capitalised: common nouns.

        A case slip ("a threat to russia") is rarer than the name written properly, so it does not
        make a name common; "Ports" in a headline against "ports" in the prose does.
        """
        self._write()
        self._conn.executescript(_COMMON)
        return _Lookup(self._conn, "SELECT 1 FROM common WHERE word = ?")

    def frequent(self) -> Iterator[tuple[str, int]]:
        """(name as written, mentions) of the names written twice or more, first written first; of
        more than `_KNOWN_AT_MOST`, the ones written most often."""
        self._write()
        least = 2
        tally = "SELECT n, count(*) FROM spelt WHERE n >= 2 GROUP BY n ORDER BY n DESC"
        names = 0
        for n, count in self._conn.execute(tally).fetchall():
            names += count
            if names > _KNOWN_AT_MOST:
                least = n + 1
                break
        yield from self._conn.execute("SELECT text, n FROM spelt WHERE n >= ? ORDER BY seq", (least,))

    def _vote(self, key: str, label: str, votes: int) -> None:
        self._tally(self._votes, (key, label), votes)

    def _tally(self, tallies: dict[Any, list[int]], key: Any, n: int) -> None:
        tally = tallies.get(key)
        if tally is None:
            tallies[key] = [n, self._seq]
            self._seq += 1
        else:
            tally[0] += n

    def _write(self) -> None:
        """Add the tallies held to the tables, and let them go."""
        conn = self._conn
        conn.executemany(
            """INSERT INTO vote VALUES (?, ?, ?, ?) ON CONFLICT (key, label)
            DO UPDATE SET n = n + excluded.n, seq = min(seq, excluded.seq)""",
            ((key, label, n, seq) for (key, label), (n, seq) in self._votes.items()),
        )
        conn.executemany(
            """INSERT INTO spelt VALUES (?, ?, ?) ON CONFLICT (text)
            DO UPDATE SET n = n + excluded.n, seq = min(seq, excluded.seq)""",
            ((text, n, seq) for text, (n, seq) in self._counts.items()),
        )
        conn.executemany("INSERT OR IGNORE INTO org_acronym VALUES (?)", ((a,) for a in self._org_acronyms))
        words = [(w, n, self._upper.pop(w, 0)) for w, n in self._lower.items()]
        words += [(w, 0, n) for w, n in self._upper.items()]
        conn.executemany(
            """INSERT INTO word VALUES (?, ?, ?) ON CONFLICT (word)
            DO UPDATE SET lower = lower + excluded.lower, upper = upper + excluded.upper""",
            words,
        )
        self._votes, self._counts, self._org_acronyms = {}, {}, set()
        self._lower, self._upper = Counter(), Counter()


class _Lookup:
    """`get` and `in` over one table by its key, the answers asked last remembered."""

    def __init__(self, conn: sqlite3.Connection, sql: str) -> None:
        self._conn, self._sql, self._remember = conn, sql, _REMEMBER
        self._asked: OrderedDict[str, Any] = OrderedDict()

    def get(self, key: str, default: str | None = None) -> str | None:
        found = self._asked.get(key, _UNKNOWN)
        if found is _UNKNOWN:
            row = self._conn.execute(self._sql, (key,)).fetchone()
            found = self._asked[key] = row[0] if row is not None else None
            if len(self._asked) > self._remember:
                self._asked.popitem(last=False)
        else:
            self._asked.move_to_end(key)
        return default if found is None else found

    def __contains__(self, key: str) -> bool:
        return self.get(key) is not None


_UNKNOWN: object = object()


def _label_votes(text: str, m: Mention) -> Counter[str]:
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
        and _LOCATIVE.search(text[max(0, m.start - 12) : m.start])
    ):
        votes["GPE"] += 1
    return votes


class Labels(Protocol):
    def get(self, key: str, default: str | None = None, /) -> str | None: ...


class Words(Protocol):
    def __contains__(self, word: str, /) -> bool: ...


def is_common_noun(mention: Mention, labels: Labels, common: Words) -> bool:
    # NER tags capitalised common nouns in headlines and titles ("Transport", "Ports") as names; a
    # one-word non-person "name" that the same texts write in lower case elsewhere is such a noun.
    key = surface_key(mention.text)
    return " " not in key and labels.get(key, mention.label) != "PERSON" and key in common


class Slips:
    """Finds mentions NER missed because of a case slip ("lavrov", "putin has"): known names, other case.

    A name the texts mostly write in lower case is a word, not a slipped name: "Said" or "Market"
    tagged a few times must not make every "said" and "market" of a wire archive a mention.
    """

    def __init__(self, counts: Iterable[tuple[str, int]], labels: Labels, common: Words) -> None:
        """`counts`: (name as written, mentions), first written first (`Evidence.frequent`)."""
        from spacy.lang.en.stop_words import STOP_WORDS

        self._known: dict[str, str] = {}
        for name, count in counts:
            label = labels.get(surface_key(name), "OTHER")
            words = name.split()
            if label not in {"PERSON", "ORG", "GPE", "LOC"} or count < 2 or not name[:1].isupper():
                continue
            candidates = [name] + ([words[-1]] if label == "PERSON" and len(words) > 1 else [])
            for cand in candidates:
                if len(cand) >= 4 and cand.lower() not in STOP_WORDS and cand.lower() not in common:
                    self._known.setdefault(cand, label)
        self._scanner = NameScanner(self._known) if self._known else None
        self._by_fold: dict[str, str] = {}
        for name in self._known:
            self._by_fold.setdefault(name.casefold(), name)

    def find(self, text: str, mentions: Sequence[Mention]) -> list[Mention]:
        """The slips in one article's `text`, whose mentions are `mentions`."""
        found: list[Mention] = []
        if self._scanner is None:
            return found
        taken = [(m.start, m.end) for m in mentions]
        exact = set(taken)  # most hits are the mentions themselves: no need to look for overlaps
        for s, e, name in self._scanner.find(text):
            written = text[s:e]
            if written in self._known or (s, e) in exact or any(a < e and s < b for a, b in taken):
                continue
            # The first known name of that spelling gives the label; `re.I` also equates a few letters
            # casefold keeps apart (dotless ı and i), and then the name that matched does.
            canonical = self._by_fold.get(written.casefold(), name)
            found.append(Mention(start=s, end=e, text=written, label=self._known[canonical]))
            taken.append((s, e))
        return found

"""People across articles: which full names are one person, and whom a bare surname stands for.

Full names are one person when surname and first name match (spelling variants allowed, see
`same_name`). One writer spells one name one way, so a bare surname joins a full name its own article
writes with that very surname (after folding case, accents and typography); transliteration-level
matches (Sergei/Sergey, Zelensky/Zelenskyy) are for spellings across articles and outlets, and never
for two spellings that one article sets side by side with a full name ("Donald Regan" and "Reagan").
A title is no part of a name ("President Reagan" is a bare surname), but "Mr" and "Mrs" say who is
meant: a man and a woman are never one person, and "Mrs Reagan" joins no bare "Reagan" of unknown sex.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from storyline.model import Mention
from storyline.story.identity_index import (
    Candidates,
    person_words,
    same_name,
    skeleton,
    surface_key,
    title_gender,
    word_key,
)
from storyline.story.shelf import ShelfList

__all__ = ["Group", "HeldWritten", "Written", "apart_in", "merge_people", "written_apart"]


class Group(Protocol):
    """One entity as merging sees it: the words of its name, how many mentions it has."""

    @property
    def size(self) -> int: ...

    def add(self, text: str, label: str) -> None: ...

    def key_tokens(self) -> tuple[str, ...]: ...


class Written(Protocol):
    """Which surnames each person's full names are written with, per article (kept out of memory
    by a run: one entry per person and article that names him in full)."""

    def add_written(self, person: int, article: str, surname: str) -> None: ...

    def written_in(self, article: str) -> Mapping[int, Set[str]]:
        """Person -> the surnames `article` writes that person's full names with."""
        ...


class HeldWritten:
    """`Written` in memory."""

    def __init__(self) -> None:
        self._by_article: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))

    def add_written(self, person: int, article: str, surname: str) -> None:
        self._by_article[article][person].add(surname)

    def written_in(self, article: str) -> Mapping[int, Set[str]]:
        return self._by_article.get(article, {})


G = TypeVar("G", bound=Group)
# (handle, label, article, text): one mention of a person, with the label it takes across the
# articles; the handle is the caller's, handed back to `place` with the group the mention joins.
Item = tuple[int, str, str, str]
Apart = set[frozenset[str]]


def written_apart(items: Iterable[tuple[str, str, Mention]]) -> Apart:
    """`apart_in` over (label, article, mention) triples of many articles."""
    texts: dict[str, list[str]] = defaultdict(list)
    for _, article, mention in items:
        texts[article].append(mention.text)
    return set().union(*map(apart_in, texts.values()))


def apart_in(texts: Iterable[str]) -> Apart:
    """Pairs of surname spellings (folded) that one article, whose people's mentions are `texts`,
    writes side by side, one in a full name.

    A writer who names "Donald Regan" knows how his name is spelled; the bare "Reagan" of the same
    text is someone else, so no bare "Reagan" elsewhere joins a Regan by transliteration either
    (full names still do, their first names matching: see `_same_person`). Both spellings must share
    a skeleton (only those could be taken for one name), and one must come with a first name: two
    bare spellings may be a slip of the keyboard ("President Regan" beside "President Reagan").
    """
    spellings: dict[str, set[str]] = defaultdict(set)  # word key -> the surnames written under it
    in_full: set[str] = set()
    for text in texts:
        words = person_words(text)
        if words:
            spellings[word_key(words[-1])].add(words[-1])
            if len(words) >= 2:
                in_full.add(words[-1])
    return {
        frozenset((surname, w)) for surname in in_full for w in spellings[word_key(surname)] if w != surname
    }


@dataclass(slots=True)
class _Person(Generic[G]):
    """A person of the full names: the group, the surnames its full names are written with, the
    stories that write them, and the sexes their titles give."""

    group: G
    spelled: set[str] = field(default_factory=set)
    stories: set[object] = field(default_factory=set)
    sexes: set[str] = field(default_factory=set)


@dataclass(slots=True)
class _Loner(Generic[G]):
    """A person named by a bare surname only: the group, its spellings, its title's sex."""

    group: G
    sex: str | None
    spelled: set[str] = field(default_factory=set)


def merge_people(
    full: Iterable[Item],
    bare: Iterable[Item],
    apart: Container[frozenset[str]],
    story_of: Mapping[str, int],
    new_group: Callable[[str], G],
    place: Callable[[int, int], None],
    written: Written | None = None,
    conn: sqlite3.Connection | None = None,
) -> Iterator[G]:
    """Group the mentions of people: the full names (`full`, longest names first), then each bare
    surname (`bare`, in the articles' order); see the module doc. Each mention's handle goes to
    `place` with the position of its group in the groups given back, in order, once every mention
    is placed; a mention whose name has no word joins none. `apart` is `apart_in` over every
    article. The people and the blocking lists are kept on shelves (`shelf`) in `conn`, a private
    database in memory without one."""
    written = written if written is not None else HeldWritten()
    conn = conn or sqlite3.connect(":memory:")

    def story(article: str) -> object:
        return story_of.get(article, article)

    # Each person and loner is taken from its shelf and changed before the next is taken.
    people, surnames = _full_names(full, new_group, place, written, story, conn)
    loners: ShelfList[_Loner[G]] = ShelfList(conn)
    alone = Candidates(conn)
    for handle, label, article, text in bare:
        words = person_words(text)
        if len(words) != 1:
            continue
        word, sex = words[0], title_gender(text)
        under = [i for i in surnames.under(word_key(word)) if _fits(sex, people[i].sexes)]
        # The person whose full name this article writes with this surname. Else one its story names
        # (in other articles), that very spelling first, then a transliteration of it. Never one
        # this article names with another spelling, nor one named only in other stories: which
        # person that would be is a guess, and one a growing store overturns (a first "X Data"
        # somewhere, or a second), moving the name's mentions in every story that has them.
        here_written = written.written_in(article)
        here = [i for i in under if word in here_written.get(i, ())]
        if not here:
            near = [i for i in under if i not in here_written and story(article) in people[i].stories]
            here = [i for i in near if word in people[i].spelled] or [
                i for i in near if _variant(word, people[i].group.key_tokens()[-1], people[i].spelled, apart)
            ]
        if here:
            at = max(here, key=lambda i: people[i].group.size)
            person = people[at]
            person.group.add(text, label)
            place(handle, at)
            if sex:
                person.sexes.add(sex)
            surnames.add(at, word_key(person.group.key_tokens()[-1]))
            continue
        # Bare surnames of one title's sex only: whether a bare "Reagan" is Mr or Mrs Reagan no
        # text says, and a guess would give one her husband's words.
        at = next(
            (
                i
                for i in alone.under(word_key(word))
                if loners[i].sex == sex
                and _variant(word, loners[i].group.key_tokens()[0], loners[i].spelled, apart)
            ),
            len(loners),
        )
        if at == len(loners):
            loners.append(_Loner(new_group(label), sex))
        loner = loners[at]
        loner.group.add(text, label)
        place(handle, len(people) + at)
        loner.spelled.add(word)
        alone.add(at, word_key(loner.group.key_tokens()[0]))
    return itertools.chain((p.group for p in people), (loner.group for loner in loners))


def _full_names(
    full: Iterable[Item],
    new_group: Callable[[str], G],
    place: Callable[[int, int], None],
    written: Written,
    story: Callable[[str], object],
    conn: sqlite3.Connection,
) -> tuple[ShelfList[_Person[G]], Candidates]:
    """The people of the full names (given longest first), each with the surnames its full names are
    written with (also per article, in `written`), the stories that write them and the sexes its
    titles give; and the people filed under the keys of their surnames."""
    people: ShelfList[_Person[G]] = ShelfList(conn)
    # Every person is filed under the key of its surname (`same_name` needs equal word keys), and
    # refiled when a new name changes its canonical one; the predicates then check the few
    # candidates in merge order, the order in which a scan over all people met them.
    surnames = Candidates(conn)
    for handle, label, article, text in full:
        words, sex = person_words(text), title_gender(text)
        under = surnames.under(word_key(words[-1]))
        at = next(
            (
                i
                for i in under
                if _fits(sex, people[i].sexes) and _same_person(people[i].group.key_tokens(), words)
            ),
            len(people),
        )
        if at == len(people):
            people.append(_Person(new_group(label)))
        person = people[at]
        person.group.add(text, label)
        place(handle, at)
        written.add_written(at, article, words[-1])
        person.spelled.add(words[-1])
        person.stories.add(story(article))
        if sex:
            person.sexes.add(sex)
        surnames.add(at, word_key(person.group.key_tokens()[-1]))
    return people, surnames


def _fits(sex: str | None, sexes: Set[str]) -> bool:
    """A mention whose title gives `sex` may name a person whose titles gave `sexes`."""
    return sex is None or sexes <= {sex}


def _variant(word: str, name: str, spellings: Set[str], apart: Container[frozenset[str]]) -> bool:
    """`word` is a spelling of a surname that is `name` and written `spellings`, none of them apart."""
    if word in spellings:
        return True
    return _same_spelling(name, word) and not any(frozenset((word, s)) in apart for s in spellings)


def _same_person(ta: Sequence[str], tb: Sequence[str]) -> bool:
    # Spellings set apart (`written_apart`) do not part two full names: with the first name matching
    # too, "Osvald Brenick" is the "Osvald Brennick" another outlet spells so, and one text that once
    # writes a surname otherwise must not split him across the run.
    if not _same_spelling(ta[-1], tb[-1]):
        return False
    fa, fb = ta[0], tb[0]
    # With the surname already matching, a first name only has to share the transliteration
    # skeleton (Youssef/Yusuf differ in length by two, which `same_name` alone would refuse).
    return (
        ((same_name(fa, fb) or skeleton(fa) == skeleton(fb)) and _ends_alike(fa, fb))
        or (len(fa) == 1 and fb.startswith(fa))
        or (len(fb) == 1 and fa.startswith(fb))
    )


def _same_spelling(a: str, b: str) -> bool:
    """Two spellings of one name of a person: `same_name`, and both end in a vowel or neither does."""
    return same_name(a, b) and _ends_alike(a, b)


def _ends_alike(a: str, b: str) -> bool:
    # Transliteration changes how a vowel is written (Sergei/Sergey, Gorbachev/Gorbachov), never
    # whether a name ends in one, which in a Latin-script name makes another name: David Lange is
    # not David Liang, nor Clark Clarke, nor Jean Jeanne; Karimova is Karimov's daughter. The skeleton
    # drops vowels, so without this they share a key and a close spelling.
    return _ends_in_vowel(a) == _ends_in_vowel(b)


def _ends_in_vowel(word: str) -> bool:
    letters = [ch for ch in surface_key(word) if ch.isalpha()]
    return bool(letters) and letters[-1] in "aeiouy"

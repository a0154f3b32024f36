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

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence, Set, Sized
from typing import Protocol, TypeVar

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

__all__ = ["Group", "merge_people", "written_apart"]


class Group(Protocol):
    """The mentions of one entity as merging sees them: the words of its name, where it is named."""

    @property
    def articles(self) -> Set[str]: ...

    @property
    def mentions(self) -> Sized: ...

    def add(self, article: str, mention: Mention) -> None: ...

    def key_tokens(self) -> tuple[str, ...]: ...


G = TypeVar("G", bound=Group)
# (label, article, mention): one mention of a person, with the label it takes across the articles.
Item = tuple[str, str, Mention]
Apart = set[frozenset[str]]


def written_apart(items: Iterable[Item]) -> Apart:
    """Pairs of surname spellings (folded) that one article writes side by side, one in a full name.

    A writer who names "Donald Regan" knows how his name is spelled; the bare "Reagan" of the same
    text is someone else, so no bare "Reagan" elsewhere joins a Regan by transliteration either
    (full names still do, their first names matching: see `_same_person`). Both spellings must share
    a skeleton (only those could be taken for one name), and one must come with a first name: two
    bare spellings may be a slip of the keyboard ("President Regan" beside "President Reagan").
    """
    # article -> word key -> the surnames written under it
    spellings: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    in_full: dict[str, set[str]] = defaultdict(set)
    for _, article, mention in items:
        words = person_words(mention.text)
        if words:
            spellings[article][word_key(words[-1])].add(words[-1])
            if len(words) >= 2:
                in_full[article].add(words[-1])
    apart: Apart = set()
    for article, keyed in spellings.items():
        for surname in in_full[article]:
            apart.update(frozenset((surname, w)) for w in keyed[word_key(surname)] if w != surname)
    return apart


def merge_people(
    items: Sequence[Item], story_of: Mapping[str, int], new_group: Callable[[str], G]
) -> list[G]:
    """Group the mentions of people: full names first, then each bare surname (see the module doc)."""
    apart = written_apart(items)
    people, written, surnames, sexes = _full_names(items, new_group)
    spelled = [set().union(*by_article.values()) for by_article in written]

    def story(article: str) -> object:
        return story_of.get(article, article)

    stories = [{story(a) for a in person.articles} for person in people]
    loners: list[G] = []
    loner_spelled: list[set[str]] = []
    loner_sex: list[str | None] = []
    alone = Candidates()
    for label, article, mention in items:
        words = person_words(mention.text)
        if len(words) != 1:
            continue
        word, sex = words[0], title_gender(mention.text)
        under = [i for i in surnames.under(word_key(word)) if _fits(sex, sexes[i])]
        # The person whose full name this article writes with this surname. Else one its story names
        # (in other articles), that very spelling first, then a transliteration of it. Never one
        # this article names with another spelling, nor one named only in other stories: which
        # person that would be is a guess, and one a growing store overturns (a first "X Data"
        # somewhere, or a second), moving the name's mentions in every story that has them.
        here = [i for i in under if word in written[i].get(article, ())]
        if not here:
            near = [i for i in under if article not in written[i] and story(article) in stories[i]]
            here = [i for i in near if word in spelled[i]] or [
                i for i in near if _variant(word, people[i].key_tokens()[-1], spelled[i], apart)
            ]
        if here:
            at = max(here, key=lambda i: len(people[i].mentions))
            people[at].add(article, mention)
            surnames.add(at, word_key(people[at].key_tokens()[-1]))
            if sex:
                sexes[at].add(sex)
            continue
        # Bare surnames of one title's sex only: whether a bare "Reagan" is Mr or Mrs Reagan no
        # text says, and a guess would give one her husband's words.
        at = next(
            (
                i
                for i in alone.under(word_key(word))
                if loner_sex[i] == sex and _variant(word, loners[i].key_tokens()[0], loner_spelled[i], apart)
            ),
            len(loners),
        )
        if at == len(loners):
            loners.append(new_group(label))
            loner_spelled.append(set())
            loner_sex.append(sex)
        loners[at].add(article, mention)
        loner_spelled[at].add(word)
        alone.add(at, word_key(loners[at].key_tokens()[0]))
    return people + loners


def _full_names(
    items: Iterable[Item], new_group: Callable[[str], G]
) -> tuple[list[G], list[dict[str, set[str]]], Candidates, list[set[str]]]:
    """The people of the full names, longest names first; the surnames each person's full names are
    written with, per article; the people filed under the keys of their surnames; and the sexes
    their titles give each person."""
    full = sorted(
        (s for s in items if len(person_words(s[2].text)) >= 2), key=lambda s: -len(person_words(s[2].text))
    )
    people: list[G] = []
    written: list[dict[str, set[str]]] = []
    sexes: list[set[str]] = []
    # Every person is filed under the key of its surname (`same_name` needs equal word keys), and
    # refiled when a new name changes its canonical one; the predicates then check the few
    # candidates in merge order, the order in which a scan over all people met them.
    surnames = Candidates()
    for label, article, mention in full:
        words, sex = person_words(mention.text), title_gender(mention.text)
        under = surnames.under(word_key(words[-1]))
        at = next(
            (i for i in under if _fits(sex, sexes[i]) and _same_person(people[i].key_tokens(), words)),
            len(people),
        )
        if at == len(people):
            people.append(new_group(label))
            written.append(defaultdict(set))
            sexes.append(set())
        people[at].add(article, mention)
        written[at][article].add(words[-1])
        if sex:
            sexes[at].add(sex)
        surnames.add(at, word_key(people[at].key_tokens()[-1]))
    return people, written, surnames, sexes


def _fits(sex: str | None, sexes: Set[str]) -> bool:
    """A mention whose title gives `sex` may name a person whose titles gave `sexes`."""
    return sex is None or sexes <= {sex}


def _variant(word: str, name: str, spellings: Set[str], apart: Apart) -> bool:
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

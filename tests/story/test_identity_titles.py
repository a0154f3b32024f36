"""Titles in people's names, and names that end otherwise (storyline.story.people, identity_index)."""

from __future__ import annotations

from storyline.model import Mention
from storyline.story.identities import ArticleMentions, Identities, resolve
from storyline.story.identity_index import person_words, title_gender


def _mentions(body: str, *names: str) -> list[Mention]:
    """Every occurrence of each name in `body` as NER would tag it, a longer name first."""
    found: list[Mention] = []
    for name in sorted(names, key=len, reverse=True):
        at = body.find(name)
        while at >= 0:
            end = at + len(name)
            if not any(m.start < end and at < m.end for m in found):
                found.append(Mention(at, end, name, "PERSON"))
            at = body.find(name, end)
    return sorted(found, key=lambda m: m.start)


def _people(found: Identities, texts: dict[str, str]) -> dict[str, list[str]]:
    """Each person's name -> the mentions it holds, as written."""
    return {
        e.name: sorted(texts[c.article][c.start : c.end] for c in e.mentions)
        for e in found.entities
        if e.type == "PERSON"
    }


def test_titles_are_no_part_of_a_persons_name_but_some_tell_the_sex() -> None:
    assert person_words("President Tomas Varga") == ("tomas", "varga")
    assert person_words("Sen. Bob Halden") == ("bob", "halden")
    assert person_words("Mrs Varga") == person_words("Prime Minister Varga") == ("varga",)
    # A title is only dropped in front of a name, and never the name's last word.
    assert person_words("Mr Major") == ("major",)
    assert person_words("President") == ("president",)
    assert title_gender("Mrs Varga") == title_gender("Ms. Anna Varga") == "f"
    assert title_gender("Mr. Varga") == title_gender("Prime Minister Mr Varga") == "m"
    assert title_gender("President Varga") is None
    assert title_gender("Varga") is None
    assert title_gender("Mr") is None


def test_a_titled_surname_does_not_outrank_the_full_name() -> None:
    # Two words each, and "Mr Varga" the more frequent: the old picker named him "Mr Varga".
    a = "Tomas Varga spoke. Mr Varga said more. Mr Varga left."
    found = resolve([ArticleMentions("a", a, _mentions(a, "Tomas Varga", "Mr Varga"))])
    assert [(e.name, e.variants) for e in found.entities] == [("Tomas Varga", ("Mr Varga",))]


def test_a_title_in_the_span_is_no_first_name() -> None:
    a = "Tomas Varga spoke. President Varga said more. President Varga left."
    b = "Sen Bob Halden voted. Bob Halden spoke."
    found = resolve(
        [
            ArticleMentions("a", a, _mentions(a, "Tomas Varga", "President Varga")),
            ArticleMentions("b", b, _mentions(b, "Sen Bob Halden", "Bob Halden")),
        ]
    )
    assert _people(found, {"a": a, "b": b}) == {
        "Tomas Varga": ["President Varga", "President Varga", "Tomas Varga"],
        "Bob Halden": ["Bob Halden", "Sen Bob Halden"],
    }


def test_a_titled_minority_form_does_not_name_the_bare_surnames() -> None:
    a = "Sheikh Hamad arrived. Hamad said no. Hamad left."
    found = resolve([ArticleMentions("a", a, _mentions(a, "Sheikh Hamad", "Hamad"))])
    assert [(e.name, e.variants) for e in found.entities] == [("Hamad", ("Sheikh Hamad",))]
    # The titled form names a person when it is the one most written.
    b = "Sheikh Hamad arrived. Sheikh Hamad spoke. Hamad left."
    found = resolve([ArticleMentions("b", b, _mentions(b, "Sheikh Hamad", "Hamad"))])
    assert [e.name for e in found.entities] == ["Sheikh Hamad"]


def test_mrs_is_not_the_bare_surname_nor_mr() -> None:
    # Whether the bare "Varga" is her husband no text says: she stays apart (the old merge named
    # the husband's many mentions "Mrs Varga").
    a = "Varga spoke. The president and Mrs Varga met Varga's guests. Varga left."
    found = resolve([ArticleMentions("a", a, _mentions(a, "Mrs Varga", "Varga"))])
    assert _people(found, {"a": a}) == {"Varga": ["Varga", "Varga", "Varga"], "Mrs Varga": ["Mrs Varga"]}
    # With a full name in the article, "Mr" joins him and "Mrs" does not.
    b = "Tomas Varga spoke. Mr Varga and Mrs Varga left."
    found = resolve([ArticleMentions("b", b, _mentions(b, "Tomas Varga", "Mr Varga", "Mrs Varga"))])
    assert _people(found, {"b": b}) == {
        "Tomas Varga": ["Mr Varga", "Tomas Varga"],
        "Mrs Varga": ["Mrs Varga"],
    }


def test_full_names_with_titles_of_either_sex_are_two_people() -> None:
    a = "Mr Jan Varga spoke."
    b = "Mrs Jan Varga spoke. Jan Varga left."
    found = resolve(
        [
            ArticleMentions("a", a, _mentions(a, "Mr Jan Varga")),
            ArticleMentions("b", b, _mentions(b, "Mrs Jan Varga", "Jan Varga")),
        ]
    )
    assert sorted(_people(found, {"a": a, "b": b}).values()) == [
        ["Jan Varga", "Mr Jan Varga"],
        ["Mrs Jan Varga"],
    ]


def test_a_name_ending_in_a_vowel_the_other_lacks_is_another_name() -> None:
    # Same first name, same consonants, close spelling: only the final vowel tells them apart.
    a = "Prime Minister David Lange visited the region."
    b = "The stake was bought from David Liang. Liang declined to comment."
    c = "Jean Morel and Jeanne Morel signed."
    found = resolve(
        [
            ArticleMentions("a", a, _mentions(a, "David Lange")),
            ArticleMentions("b", b, _mentions(b, "David Liang", "Liang")),
            ArticleMentions("c", c, _mentions(c, "Jean Morel", "Jeanne Morel")),
        ]
    )
    assert _people(found, {"a": a, "b": b, "c": c}) == {
        "David Liang": ["David Liang", "Liang"],
        "David Lange": ["David Lange"],
        "Jean Morel": ["Jean Morel"],
        "Jeanne Morel": ["Jeanne Morel"],
    }


def test_a_bare_surname_with_a_final_vowel_does_not_join_by_transliteration() -> None:
    a = "Ruslan Tashkov spoke."
    b = "His daughter Tashkova left."
    found = resolve(
        [
            ArticleMentions("a", a, _mentions(a, "Ruslan Tashkov")),
            ArticleMentions("b", b, _mentions(b, "Tashkova")),
        ],
        {"a": 0, "b": 0},
    )
    assert _people(found, {"a": a, "b": b}) == {
        "Ruslan Tashkov": ["Ruslan Tashkov"],
        "Tashkova": ["Tashkova"],
    }


def test_transliterations_still_meet() -> None:
    pairs = [
        ("Sergey Lavrov", "Sergei Lavrov"),
        ("Mohamed Morsi", "Mohammed Mursi"),
        ("Antony Blinken", "Anthony Blinken"),
        ("Mikhail Gorbachev", "Mikhail Gorbachov"),
        ("Volodymyr Zelensky", "Volodymyr Zelenskyy"),
        ("Dmitri Volkhonsky", "Dmitry Volkhonskiy"),
        ("Aleksandr Lukashenko", "Alexander Lukashenka"),
    ]
    for one, other in pairs:
        a, b = f"{one} spoke.", f"{other} spoke."
        found = resolve(
            [ArticleMentions("a", a, _mentions(a, one)), ArticleMentions("b", b, _mentions(b, other))]
        )
        assert len(found.entities) == 1, (one, other)

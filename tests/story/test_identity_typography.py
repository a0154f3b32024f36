"""One entity under one name whichever apostrophe, dash or quote an outlet types in it."""

from __future__ import annotations

import pytest

from storyline.model import Mention
from storyline.story.identities import ArticleMentions, resolve
from storyline.story.identity_index import acronym, plain_marks, surface_key, words_of


def _mentions(body: str, *names: str, label: str = "PERSON") -> list[Mention]:
    """Every occurrence of each name in `body`, as NER would tag it."""
    found = []
    for name in names:
        at = body.find(name)
        while at >= 0:
            found.append(Mention(at, at + len(name), name, label))
            at = body.find(name, at + len(name))
    return found


def _surname(body: str, surname: str) -> Mention:
    """The surname standing alone, after the full name (the last occurrence in `body`)."""
    at = body.rindex(surname)
    return Mention(at, at + len(surname), surname, "PERSON")


def test_plain_marks_gives_one_form_of_each_apostrophe_dash_and_quote() -> None:
    for apostrophe in "\u2019\u2018\u02bc\u02bb`\u00b4\uff07'":
        assert plain_marks(f"O{apostrophe}Brien") == "O'Brien"
    for dash in "\u2010\u2011\u2012\u2013\u2212\uff0d-":
        assert plain_marks(f"Jean{dash}Pierre") == "Jean-Pierre"
    assert plain_marks("Ahmed \u201cAbu\u201d Khalil") == 'Ahmed "Abu" Khalil'
    # Invisible breaks from HTML go; letters, accents and case stay as written.
    assert plain_marks("Dock\u00adworkers\u200b") == "Dockworkers"
    assert plain_marks("Côte d’Ivoire") == "Côte d'Ivoire"
    assert plain_marks("ＬＡＶＲＯＶ") == "LAVROV"
    # Joiners change how Persian and Indic words are written: they are letters' business, not typography.
    assert plain_marks("می\u200cخواهم") == "می\u200cخواهم"


def test_folded_keys_words_and_acronyms_ignore_typography() -> None:
    assert surface_key("Patrick O’Brien") == surface_key("patrick o'brien") == "patrick o'brien"
    assert surface_key("Dockworkers’") == surface_key("Dockworkers'") == "dockworkers"
    assert words_of("Jean‐Pierre Dupont") == words_of("Jean-Pierre Dupont") == ("jean-pierre", "dupont")
    assert acronym("Jean‑Pierre Dupont Foundation") == acronym("Jean-Pierre Dupont Foundation") == "JDF"


def test_two_articles_writing_the_apostrophe_two_ways_give_one_person_one_spelling_each() -> None:
    a = "Patrick O’Brien, the mayor, spoke on Monday. O’Brien said the port would reopen."
    b = "Patrick O'Brien was asked about the port. O'Brien declined to comment."
    c = "The mayor, Patrick O'Brien, met the union."
    found = resolve(
        [
            ArticleMentions("a", a, [*_mentions(a, "Patrick O’Brien"), _surname(a, "O’Brien")]),
            ArticleMentions("b", b, [*_mentions(b, "Patrick O'Brien"), _surname(b, "O'Brien")]),
            ArticleMentions("c", c, _mentions(c, "Patrick O'Brien")),
        ]
    )
    people = [e for e in found.entities if e.type == "PERSON"]
    assert [p.name for p in people] == ["Patrick O'Brien"]  # the spelling written most often
    person = people[0]
    # The surname alone is another name; its second spelling is not another variant.
    assert len(person.variants) == 1
    assert plain_marks(person.variants[0]) == "O'Brien"
    assert person.articles == ("a", "b", "c")


@pytest.mark.parametrize("dash", ["\u2010", "\u2011", "\u2013"])
def test_a_hyphen_typed_as_another_dash_does_not_split_a_person(dash: str) -> None:
    a = f"Jean{dash}Pierre Dupont arrived in the capital."
    b = "Jean-Pierre Dupont left the talks early."
    found = resolve(
        [
            ArticleMentions("a", a, _mentions(a, f"Jean{dash}Pierre Dupont")),
            ArticleMentions("b", b, _mentions(b, "Jean-Pierre Dupont")),
        ]
    )
    assert [(e.name, e.variants, e.articles) for e in found.entities] == [
        (f"Jean{dash}Pierre Dupont", (), ("a", "b"))  # equal counts: the spelling read first
    ]


@pytest.mark.parametrize("apostrophe", ["\u2019", "\u2018", "\u02bc", "`"])
def test_an_organisation_written_with_any_apostrophe_is_one_entity_without_variants(apostrophe: str) -> None:
    name = f"Calvoran Dockworkers{apostrophe} Union"
    a = f"The {name} called a strike. The {name} met again."
    b = "The Calvoran Dockworkers' Union rejected the offer."
    found = resolve(
        [
            ArticleMentions("a", a, _mentions(a, name, label="ORG")),
            ArticleMentions("b", b, _mentions(b, "Calvoran Dockworkers' Union", label="ORG")),
        ]
    )
    assert [(e.name, e.type, e.variants, len(e.mentions)) for e in found.entities] == [(name, "ORG", (), 3)]


def test_typographic_spellings_count_together_when_the_name_is_chosen() -> None:
    # Youssef is written four times in two typographies, Yusuf three times: Youssef is the name,
    # in its most frequent spelling, and Yusuf the one variant.
    a = "Youssef O’Brien spoke. Later Youssef O’Brien left. Youssef O’Brien returned."
    b = "Youssef O'Brien and Yusuf O'Brien are one man. Yusuf O'Brien smiled. Yusuf O'Brien waved."
    found = resolve(
        [
            ArticleMentions("a", a, _mentions(a, "Youssef O’Brien")),
            ArticleMentions("b", b, _mentions(b, "Youssef O'Brien", "Yusuf O'Brien")),
        ]
    )
    assert [(e.name, e.variants) for e in found.entities] == [("Youssef O’Brien", ("Yusuf O'Brien",))]


def test_a_name_is_found_whichever_apostrophe_the_question_types() -> None:
    a = "Patrick O’Brien, the mayor, spoke on Monday."
    found = resolve([ArticleMentions("a", a, _mentions(a, "Patrick O’Brien"))])
    (person,) = found.entities
    assert found.find_by_name("Patrick O'Brien") == person.id
    assert found.find_by_name("Patrick OʼBrien", article="a") == person.id

"""Bare surnames and spellings: one writer spells one name one way (storyline.story.people)."""

from __future__ import annotations

from storyline.model import Mention
from storyline.story.identities import ArticleMentions, Identities, resolve
from storyline.story.people import written_apart


def _m(text: str, body: str, nth: int = 0, label: str = "PERSON") -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = body.index(text, start + 1)
    return Mention(start, start + len(text), text, label)


def _forms(found: Identities, texts: dict[str, str]) -> dict[str, list[str]]:
    """Each entity's name -> the mentions it holds, as written."""
    return {
        e.name: sorted(texts[c.article][c.start : c.end] for c in e.mentions)
        for e in found.entities
        if e.type == "PERSON"
    }


# "Brennick" and "Brenick" share a transliteration skeleton and are close in spelling: `same_name`
# alone would take them for one name.
STAFF = "Chief of staff Osvald Brennick briefed reporters. President Brenick signed. Brennick left."


def _staff() -> ArticleMentions:
    return ArticleMentions(
        "a", STAFF, [_m("Osvald Brennick", STAFF), _m("Brenick", STAFF), _m("Brennick", STAFF, nth=1)]
    )


def test_a_bare_surname_spelled_otherwise_than_a_full_name_of_its_article_is_someone_else() -> None:
    found = resolve([_staff()])
    assert _forms(found, {"a": STAFF}) == {
        "Osvald Brennick": ["Brennick", "Osvald Brennick"],
        "Brenick": ["Brenick"],
    }


def test_two_spellings_one_article_sets_apart_stay_apart_in_the_rest_of_the_story() -> None:
    b = "President Brenick vetoed the bill. Brenick was firm."
    found = resolve(
        [_staff(), ArticleMentions("b", b, [_m("Brenick", b), _m("Brenick", b, nth=1)])], {"a": 0, "b": 0}
    )
    assert _forms(found, {"a": STAFF, "b": b}) == {
        "Osvald Brennick": ["Brennick", "Osvald Brennick"],
        "Brenick": ["Brenick", "Brenick", "Brenick"],
    }


def test_a_bare_surname_joins_the_person_of_that_spelling_named_elsewhere_in_its_story() -> None:
    b = "President Halden Brenick spoke."
    found = resolve([_staff(), ArticleMentions("b", b, [_m("Halden Brenick", b)])], {"a": 0, "b": 0})
    assert _forms(found, {"a": STAFF, "b": b}) == {
        "Osvald Brennick": ["Brennick", "Osvald Brennick"],
        "Halden Brenick": ["Brenick", "Halden Brenick"],
    }


def test_full_names_with_one_first_name_are_one_person_whatever_an_article_sets_apart() -> None:
    # Another outlet's "Osvald Brenick" is the man article a calls Osvald Brennick; its
    # "President Brenick" is not.
    b = "Osvald Brenick spoke. Brenick left."
    found = resolve([_staff(), ArticleMentions("b", b, [_m("Osvald Brenick", b), _m("Brenick", b, nth=1)])])
    assert sorted(_forms(found, {"a": STAFF, "b": b}).values()) == [
        ["Brenick"],
        ["Brenick", "Brennick", "Osvald Brenick", "Osvald Brennick"],
    ]


def test_a_surname_found_by_name_is_spelled_as_the_person_it_stands_for() -> None:
    a = "Chief of staff Osvald Brennick briefed reporters. Brenick signed."
    found = resolve([ArticleMentions("a", a, [_m("Osvald Brennick", a)])])
    osvald = found.entities[0].id
    assert found.find_by_name("Brennick", "a") == osvald
    assert found.find_by_name("Brenick", "a") is None


def test_spellings_across_outlets_still_meet() -> None:
    # One outlet writes "Mykola Dovzhenkyy", another "Dovzhenky": a transliteration, not a second man.
    a = "Mykola Dovzhenkyy spoke. Dovzhenkyy left."
    b = "Dovzhenky said more."
    c = "Dovzhenky was quoted."
    articles = [
        ArticleMentions("a", a, [_m("Mykola Dovzhenkyy", a), _m("Dovzhenkyy", a, nth=1)]),
        ArticleMentions("b", b, [_m("Dovzhenky", b)]),
        ArticleMentions("c", c, [_m("Dovzhenky", c)]),
    ]
    texts = {"a": a, "b": b, "c": c}
    assert _forms(resolve(articles, {"a": 0, "b": 0, "c": 1}), texts) == {
        "Mykola Dovzhenkyy": ["Dovzhenky", "Dovzhenkyy", "Mykola Dovzhenkyy"],
        "Dovzhenky": ["Dovzhenky"],
    }
    # Bare spellings from different outlets, no full name anywhere: one person.
    assert _forms(resolve(articles[1:]), texts) == {"Dovzhenky": ["Dovzhenky", "Dovzhenky"]}


def test_only_a_full_name_sets_two_spellings_apart() -> None:
    # Two bare spellings in one text may be a slip of the keyboard; a full name is a writer's choice.
    slip = "President Brenick said. Brennick added."
    items = [("PERSON", "s", _m("Brenick", slip)), ("PERSON", "s", _m("Brennick", slip))]
    assert written_apart(items) == set()
    assert written_apart([("PERSON", "a", m) for m in _staff().mentions]) == {
        frozenset({"brennick", "brenick"})
    }

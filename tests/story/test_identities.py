from __future__ import annotations

from storyline.model import Mention, RoleMention
from storyline.story.identities import ArticleMentions, resolve, same_name, skeleton


def _m(text: str, body: str, label: str = "PERSON", nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = body.index(text, start + 1)
    return Mention(start, start + len(text), text, label)


def test_transliteration_variants_share_a_skeleton() -> None:
    assert skeleton("Sergey") == skeleton("Sergei")
    assert skeleton("Antony") == skeleton("Anthony")
    assert skeleton("Kyiv") == skeleton("Kiev")
    assert same_name("Aleksandr", "Alexander")
    assert not same_name("Iran", "Iraq")
    assert not same_name("Niger", "Nigeria")


def test_one_person_across_articles_with_variants_surnames_and_case_slips() -> None:
    a = "Foreign Minister Yuri Kovalenko spoke. Kovalenko said more. Later kovalenko left."
    b = "Iuri Kovalenko, the minister, declined. Kovalenko was firm."
    c = "Officials met Yury Kovalenko on Monday."
    arts = [
        ArticleMentions(
            "a",
            a,
            [_m("Yuri Kovalenko", a), _m("Kovalenko", a, nth=1)],
            [RoleMention(8, 25, "foreign minister", a.index("Yuri"), a.index("Yuri") + 14)],
        ),
        ArticleMentions("b", b, [_m("Iuri Kovalenko", b), _m("Kovalenko", b, "ORG", nth=1)]),
        ArticleMentions("c", c, [_m("Yury Kovalenko", c)]),
    ]
    found = resolve(arts)
    people = [e for e in found.entities if e.type == "PERSON"]
    assert len(people) == 1
    person = people[0]
    assert person.name == "Yuri Kovalenko"
    assert set(person.variants) == {"Iuri Kovalenko", "Yury Kovalenko", "Kovalenko", "kovalenko"}
    assert person.articles == ("a", "b", "c")
    assert [r.role for r in person.roles] == ["foreign minister"]
    slip = a.index("kovalenko")
    assert found.entity_at("a", slip, slip + 9) == person.id


def test_two_people_with_one_surname_stay_apart_and_surname_goes_to_the_local_one() -> None:
    a = "Anna Berg met Tomas Berg. Berg said no."
    b = "Tomas Berg arrived. Berg smiled."
    found = resolve(
        [
            ArticleMentions("a", a, [_m("Anna Berg", a), _m("Tomas Berg", a), _m("Berg", a, nth=2)]),
            ArticleMentions("b", b, [_m("Tomas Berg", b), _m("Berg", b, nth=1)]),
        ]
    )
    names = sorted(e.name for e in found.entities)
    assert names == ["Anna Berg", "Tomas Berg"]
    tomas = next(e for e in found.entities if e.name == "Tomas Berg")
    assert found.entity_at("b", b.rindex("Berg"), b.rindex("Berg") + 4) == tomas.id


def test_places_and_acronyms() -> None:
    a = "Troops left Kyiv. The North Atlantic Treaty Organization met."
    b = "Officials in Kiev said NATO would meet."
    found = resolve(
        [
            ArticleMentions(
                "a", a, [_m("Kyiv", a, "GPE"), _m("North Atlantic Treaty Organization", a, "ORG")]
            ),
            ArticleMentions("b", b, [_m("Kiev", b, "GPE"), _m("NATO", b, "ORG")]),
        ]
    )
    by_type = {e.type: e for e in found.entities}
    assert set([by_type["GPE"].name, *by_type["GPE"].variants]) == {"Kyiv", "Kiev"}
    assert "NATO" in [by_type["ORG"].name, *by_type["ORG"].variants]
    assert len(found.entities) == 2


def test_majority_label_wins_for_a_surname() -> None:
    a = "Donald Brix spoke. Brix left. Brix returned."
    found = resolve(
        [ArticleMentions("a", a, [_m("Donald Brix", a), _m("Brix", a, "ORG", 1), _m("Brix", a, "ORG", 2)])]
    )
    assert [(e.name, e.type) for e in found.entities] == [("Donald Brix", "PERSON")]


def test_a_city_mislabelled_as_a_person_is_a_place_and_spellings_merge() -> None:
    a = "Officials in Kyiv said Kyiv sees the alliance as a shield."
    b = "The Kiev government disagreed."
    found = resolve(
        [
            ArticleMentions("a", a, [_m("Kyiv", a, "PERSON"), _m("Kyiv", a, "PERSON", 1)]),
            ArticleMentions("b", b, [_m("Kiev", b, "ORG")]),
        ]
    )
    assert [(e.type, e.name, e.variants) for e in found.entities] == [("GPE", "Kyiv", ("Kiev",))]


def test_an_acronym_of_a_named_organisation_is_that_organisation() -> None:
    a = "The Harbour Workers Federation met. HWF leaders left."
    b = "HWF said no."
    found = resolve(
        [
            ArticleMentions("a", a, [_m("Harbour Workers Federation", a, "ORG"), _m("HWF", a, "GPE")]),
            ArticleMentions("b", b, [_m("HWF", b, "GPE")]),
        ]
    )
    assert [(e.type, e.name, e.variants) for e in found.entities] == [
        ("ORG", "Harbour Workers Federation", ("HWF",))
    ]

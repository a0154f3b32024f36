from __future__ import annotations

from storyline.annotate.entities import extract


def _people_and_roles(nlp, text: str):  # type: ignore[no-untyped-def]
    doc = nlp(text)
    mentions, roles = extract(doc)
    people = [m.text for m in mentions if m.label == "PERSON"]
    return people, [(r.role, text[r.person_start : r.person_end], text[r.start : r.end]) for r in roles]


def test_title_before_name_gives_role_without_nationality(nlp) -> None:  # type: ignore[no-untyped-def]
    people, roles = _people_and_roles(nlp, "Estonian Foreign Minister Margus Tamm said it.")
    assert people == ["Margus Tamm"]
    assert roles == [("foreign minister", "Margus Tamm", "Foreign Minister")]


def test_appositive_role(nlp) -> None:  # type: ignore[no-untyped-def]
    people, roles = _people_and_roles(nlp, "Helen Marsh, the United States secretary of state, said so.")
    assert people == ["Helen Marsh"]
    assert roles[0][:2] == ("secretary of state", "Helen Marsh")


def test_secretary_of_state_title(nlp) -> None:  # type: ignore[no-untyped-def]
    people, roles = _people_and_roles(nlp, "Secretary of State Helen Marsh was firm about the plan.")
    assert people == ["Helen Marsh"]
    assert roles == [("secretary of state", "Helen Marsh", "Secretary of State")]


def test_name_after_title_is_a_person_even_with_a_case_slip(nlp) -> None:  # type: ignore[no-untyped-def]
    people, roles = _people_and_roles(nlp, "Austrian Chancellor Karl nehmer recently remarked on it.")
    assert people == ["Karl nehmer"]
    assert roles == [("chancellor", "Karl nehmer", "Chancellor")]


def test_former_is_kept_in_the_role(nlp) -> None:  # type: ignore[no-untyped-def]
    people, roles = _people_and_roles(
        nlp, "Former U.S.President george Walden has again stressed his support."
    )
    assert people == ["george Walden"]
    assert roles[0][0] == "former president"


def test_prepositions_other_than_of_do_not_enter_roles(nlp) -> None:  # type: ignore[no-untyped-def]
    _, roles = _people_and_roles(nlp, "He spoke with President Maria Lopez about trade.")
    assert [r[0] for r in roles] == ["president"]


def test_bare_title_word_is_not_an_entity(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Secretary of State Helen Marsh was firm about the plan.")
    mentions, _ = extract(doc)
    assert all(m.text != "State" for m in mentions)

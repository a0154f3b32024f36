from __future__ import annotations

from storyline.annotate.entities import extract


def _people_and_roles(nlp, text: str):  # type: ignore[no-untyped-def]
    doc = nlp(text)
    mentions, roles = extract(doc)
    people = [m.text for m in mentions if m.label == "PERSON"]
    return people, [(r.role, text[r.person_start : r.person_end], text[r.start : r.end]) for r in roles]


def test_title_before_name_gives_role_without_nationality(nlp) -> None:  # type: ignore[no-untyped-def]
    people, roles = _people_and_roles(nlp, "Russian Foreign Minister Sergey Lavrov said it.")
    assert people == ["Sergey Lavrov"]
    assert roles == [("foreign minister", "Sergey Lavrov", "Foreign Minister")]


def test_appositive_role(nlp) -> None:  # type: ignore[no-untyped-def]
    people, roles = _people_and_roles(nlp, "Anthony Blinken, the United States secretary of state, said so.")
    assert people == ["Anthony Blinken"]
    assert roles[0][:2] == ("secretary of state", "Anthony Blinken")


def test_secretary_of_state_title(nlp) -> None:  # type: ignore[no-untyped-def]
    people, roles = _people_and_roles(nlp, "Secretary of State Antony Blinken has been clear.")
    assert people == ["Antony Blinken"]
    assert roles == [("secretary of state", "Antony Blinken", "Secretary of State")]


def test_name_after_title_is_a_person_even_with_a_case_slip(nlp) -> None:  # type: ignore[no-untyped-def]
    people, roles = _people_and_roles(nlp, "German Chancellor Olaf scholz recently remarked on it.")
    assert people == ["Olaf scholz"]
    assert roles == [("chancellor", "Olaf scholz", "Chancellor")]


def test_former_is_kept_in_the_role(nlp) -> None:  # type: ignore[no-untyped-def]
    people, roles = _people_and_roles(
        nlp, "Former U.S.President donald Trump has once again emphasized his dedication."
    )
    assert people == ["donald Trump"]
    assert roles[0][0] == "former president"


def test_prepositions_other_than_of_do_not_enter_roles(nlp) -> None:  # type: ignore[no-untyped-def]
    _, roles = _people_and_roles(nlp, "He spoke with President Maria Lopez about trade.")
    assert [r[0] for r in roles] == ["president"]


def test_bare_title_word_is_not_an_entity(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Secretary of State Antony Blinken has been clear.")
    mentions, _ = extract(doc)
    assert all(m.text != "State" for m in mentions)

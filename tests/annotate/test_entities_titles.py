"""The title repair of `annotate.entities`: a title word completes a person's name, but never turns
an organisation or a place into a person."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from storyline.annotate.entities import _may_replace, extract

if TYPE_CHECKING:
    from spacy.language import Language


def _mentions(nlp: Language, text: str) -> list[tuple[str, str]]:
    mentions, _ = extract(nlp(text), nlp)
    return [(m.text, m.label) for m in mentions]


def test_a_bank_after_lead_manager_stays_an_organisation(nlp: Language) -> None:
    text = (
        "The 10-year bond with a 4-3/4 pct coupon is priced at 100-1/4 pct, lead manager Union Bank "
        "of Switzerland said. The issue carries a fee."
    )
    assert _mentions(nlp, text) == [("Union Bank of Switzerland", "ORG")]


def test_a_name_the_ner_read_as_an_organisation_does_not_become_a_person(nlp: Language) -> None:
    # The relabeller drops the bank's name here; the NER's own reading still says it is no person.
    text = "The bond is priced at 101 pct, lead manager Union Bank of Switzerland said."
    assert all(label != "PERSON" for _, label in _mentions(nlp, text))


def test_general_in_a_company_name_is_no_title(nlp: Language) -> None:
    mentions, roles = extract(nlp("General Motors Corp said it will raise prices next month."), nlp)
    assert [(m.text, m.label) for m in mentions] == [("General Motors Corp", "ORG")]
    assert roles == []


def test_official_as_an_adjective_is_no_title(nlp: Language) -> None:
    text = "Oil output rose, the official Saudi Press Agency said on Monday."
    assert ("Saudi Press Agency", "ORG") in _mentions(nlp, text)
    assert all(label != "PERSON" for _, label in _mentions(nlp, text))


def test_a_nationality_before_a_titled_name_stays_apart(nlp: Language) -> None:
    text = "He scored a knock-out win over fellow American James Heath in their title fight."
    assert _mentions(nlp, text) == [("American", "NORP"), ("James Heath", "PERSON")]


def test_a_common_noun_after_a_lower_case_title_is_no_name(nlp: Language) -> None:
    text = "The party's national executive committee said it was satisfied with the reforms."
    assert _mentions(nlp, text) == []


def test_a_surname_that_is_also_a_title_word_stays_a_person(nlp: Language) -> None:
    text = 'Billie Jean King picked the team. "We have the players to win," King said.'
    assert ("King", "PERSON") in _mentions(nlp, text)


def test_a_lone_title_is_still_no_person(nlp: Language) -> None:
    text = "The President said the plan would pass."
    assert _mentions(nlp, text) == []


# --- which entities a titled name may replace: spans written here, no model ---------------------

_WORDS = "the fellow American James Heath of Ohio won".split()


def _span(doc: Doc, start: int, end: int, label: str) -> Span:
    return Span(doc, start, end, label=label)


@pytest.mark.parametrize(
    ("over", "expected"),
    [
        ([], True),  # the NER missed the name
        ([(2, 3, "PERSON"), (3, 5, "PERSON")], True),  # pieces of one name
        ([(2, 3, "NORP")], True),  # a first name read as a nationality ("Olaf")
        ([(2, 5, "ORG")], False),  # an organisation's name ("Saudi Press Agency")
        ([(2, 7, "ORG")], False),  # a longer organisation's ("Union Bank of Switzerland")
        ([(1, 5, "PERSON")], False),  # a person's that covers it already
        ([(2, 3, "NORP"), (3, 5, "PERSON")], False),  # "fellow American James Heath"
    ],
)
def test_may_replace(over: list[tuple[int, int, str]], expected: bool) -> None:
    doc = Doc(Vocab(), words=_WORDS)
    name = doc[2:5]
    assert _may_replace(name, [_span(doc, *o) for o in over]) is expected

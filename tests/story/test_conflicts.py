"""Conflict sides cite what a reader can check: a title by the sentence that gives it to its person,
a quotation shorter than a clause by its sentence; lines shorter than a clause make no conflict."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pytest

from storyline.model import (
    Annotation,
    Article,
    Cite,
    Conflict,
    DateMention,
    Entity,
    Quote,
    Role,
    RoleMention,
    Spans,
)
from storyline.story import conflicts

Encode = Callable[[Sequence[str]], np.ndarray]
PERSON = "e-ana-rey"


def _article(name: str, site: str, *sentences: str) -> Article:
    """An article of `sentences` joined by spaces, with their offsets as the annotation gives them."""
    spans, start = [], 0
    for sentence in sentences:
        spans.append((start, start + len(sentence)))
        start += len(sentence) + 1
    return Article(id=name, source=f"{name}.txt", text=" ".join(sentences), site=site, sentences=Spans(spans))


def _span(article: Article, words: str, after: int = 0) -> tuple[int, int]:
    start = article.text.index(words, after)
    return start, start + len(words)


def _titled(article: Article, title: str, name: str, after: int = 0) -> tuple[Role, RoleMention]:
    """The role as identities gives it (the title's words) and as the annotation found it."""
    start, end = _span(article, title, after)
    # A title before the name ("Mayor Ana Rey") or after it ("Ana Rey, the mayor").
    follows = article.text.find(name, end)
    person_start = follows if follows == end + 1 else article.text.rindex(name, 0, start)
    role = Role(title.lower(), Cite(article.id, start, end))
    return role, RoleMention(start, end, title.lower(), person_start, person_start + len(name))


def _annotation(
    article: Article, roles: Sequence[RoleMention] = (), dates: Sequence[DateMention] = ()
) -> Annotation:
    return Annotation(article.id, tuple(article.sentences), roles=tuple(roles), dates=tuple(dates))


def _roles_found(
    articles: list[Article], roles: list[Role], annotations: dict[str, Annotation]
) -> list[Conflict]:
    person = Entity(PERSON, "Ana Rey", "PERSON", roles=tuple(roles), articles=tuple(a.id for a in articles))
    return conflicts.find("s-1", articles, annotations, [], {}, [], [person], {})


def _cited(articles: list[Article], conflict: Conflict) -> list[list[str]]:
    by_id = {a.id: a for a in articles}
    return [[by_id[c.article].text[c.start : c.end] for c in side.cites] for side in conflict.sides]


def test_a_role_side_cites_the_sentence_that_gives_the_title_to_its_person() -> None:
    first = _article(
        "a1",
        "post.example",
        "Storms closed the harbour.",
        "Former Mayor Ana Rey opened the shelters on the quay.",
    )
    # An appositive title follows the name it qualifies.
    second = _article("a2", "wire.example", "The shelters stay open, Ana Rey, the mayor, said on the quay.")
    former, former_at = _titled(first, "Former Mayor", "Ana Rey")
    plain, plain_at = _titled(second, "mayor", "Ana Rey")
    annotations = {"a1": _annotation(first, [former_at]), "a2": _annotation(second, [plain_at])}
    [conflict] = _roles_found([first, second], [former, plain], annotations)
    assert conflict.kind == "role"
    assert conflict.summary == "Sources give Ana Rey different titles: “Former Mayor” versus “mayor”."
    assert [side.ref for side in conflict.sides] == [PERSON, PERSON]
    assert _cited([first, second], conflict) == [
        ["Former Mayor Ana Rey opened the shelters on the quay."],
        ["The shelters stay open, Ana Rey, the mayor, said on the quay."],
    ]


def test_a_title_given_in_two_sentences_cites_each_sentence_once() -> None:
    first = _article(
        "a1",
        "post.example",
        "Former Mayor Ana Rey opened the shelters.",
        "Crews cleared the quay by noon.",
        "Former Mayor Ana Rey thanked the crews.",
    )
    second = _article("a2", "wire.example", "Mayor Ana Rey said the shelters would stay open.")
    again = first.text.index("Crews")
    roles = [_titled(first, "Former Mayor", "Ana Rey"), _titled(first, "Former Mayor", "Ana Rey", again)]
    plain = _titled(second, "Mayor", "Ana Rey")
    annotations = {"a1": _annotation(first, [r for _, r in roles]), "a2": _annotation(second, [plain[1]])}
    # The same title found twice in one sentence (two parses of one mention) is one cite.
    found = _roles_found([first, second], [roles[0][0], roles[0][0], roles[1][0], plain[0]], annotations)
    assert _cited([first, second], found[0]) == [
        ["Former Mayor Ana Rey opened the shelters.", "Former Mayor Ana Rey thanked the crews."],
        ["Mayor Ana Rey said the shelters would stay open."],
    ]


def test_a_role_with_no_annotation_is_cited_by_the_articles_sentence() -> None:
    first = _article("a1", "post.example", "Former Mayor Ana Rey opened the shelters.")
    second = _article("a2", "wire.example", "Rain fell all night.", "Mayor Ana Rey kept them open.")
    roles = [_titled(first, "Former Mayor", "Ana Rey")[0], _titled(second, "Mayor", "Ana Rey")[0]]
    [conflict] = _roles_found([first, second], roles, {})
    assert _cited([first, second], conflict) == [
        ["Former Mayor Ana Rey opened the shelters."],
        ["Mayor Ana Rey kept them open."],
    ]


def _quote(article: Article, words: str, speaker: str = "e-ona-pell") -> Quote:
    start, end = _span(article, words)
    return Quote(
        id=f"q-{article.id}", cite=Cite(article.id, start, end), text=words, kind="direct", speaker=speaker
    )


def test_a_quotation_shorter_than_a_clause_is_cited_by_its_sentence() -> None:
    first = _article(
        "a1", "post.example", "The vote was close.", "Ona Pell told the dockers: “We will not sign.”"
    )
    second = _article("a2", "wire.example", "“We will never sign,” Ona Pell said after the vote.")
    quotes = [_quote(first, "We will not sign"), _quote(second, "We will never sign")]
    [conflict] = conflicts.find("s-1", [first, second], {}, [], {}, quotes, [], {})
    assert conflict.kind == "quote_wording"
    assert [side.ref for side in conflict.sides] == ["q-a1", "q-a2"]
    assert _cited([first, second], conflict) == [
        ["Ona Pell told the dockers: “We will not sign.”"],
        ["“We will never sign,” Ona Pell said after the vote."],
    ]


def test_a_quotation_of_a_clause_or_more_keeps_its_own_words() -> None:
    first = _article("a1", "post.example", "Ona Pell told the dockers: “We will not sign this deal.”")
    second = _article("a2", "wire.example", "“We will never sign this deal,” Ona Pell said.")
    quotes = [_quote(first, "We will not sign this deal"), _quote(second, "We will never sign this deal")]
    [conflict] = conflicts.find("s-1", [first, second], {}, [], {}, quotes, [], {})
    assert _cited([first, second], conflict) == [
        ["We will not sign this deal"],
        ["We will never sign this deal"],
    ]


@pytest.fixture(scope="module")
def encode() -> Encode:
    from storyline.annotate.embed import load_embedder

    return load_embedder().encode


def _dated(article: Article, expression: str, value: str) -> DateMention:
    start, end = _span(article, expression)
    s, e = next((s, e) for s, e in article.sentences if s <= start < e)
    return DateMention(start, end, expression, value, "day", s, e)


def test_lines_shorter_than_a_clause_give_no_date_conflict(encode: Encode) -> None:
    first = _article("a1", "post.example", "Dividend raised.", "Record March 13.")
    second = _article("a2", "wire.example", "Dividend kept.", "Record March 9.")
    annotations = {
        "a1": _annotation(first, dates=[_dated(first, "March 13", "2031-03-13")]),
        "a2": _annotation(second, dates=[_dated(second, "March 9", "2031-03-09")]),
    }
    assert conflicts.find("s-1", [first, second], annotations, [], {}, [], [], {}, encode) == []


def test_near_identical_sentences_with_different_days_are_a_date_conflict(encode: Encode) -> None:
    first = _article("a1", "post.example", "Talks between the union and the port owners resume on March 3.")
    second = _article("a2", "wire.example", "Talks between the union and the port owners resume on March 6.")
    annotations = {
        "a1": _annotation(first, dates=[_dated(first, "March 3", "2031-03-03")]),
        "a2": _annotation(second, dates=[_dated(second, "March 6", "2031-03-06")]),
    }
    [conflict] = conflicts.find("s-1", [first, second], annotations, [], {}, [], [], {}, encode)
    assert conflict.kind == "date"
    assert _cited([first, second], conflict) == [[first.text], [second.text]]

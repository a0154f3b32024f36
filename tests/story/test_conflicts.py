"""Conflict sides cite what a reader can check: a title by the sentence that gives it to its person,
a quotation shorter than a clause by its sentence; lines shorter than a clause make no conflict.
A figure or date conflict needs two sentences about one thing giving one figure two values; a title
is compared by its office."""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest
from story_docs import Encode, article, figure_conflicts

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
)
from storyline.story import conflicts

PERSON = "e-ana-rey"


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
    first = article(
        "a1",
        "post.example",
        "Storms closed the harbour.",
        "Former Mayor Ana Rey opened the shelters on the quay.",
    )
    # An appositive title follows the name it qualifies.
    second = article("a2", "wire.example", "The shelters stay open, Ana Rey, the mayor, said on the quay.")
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
    first = article(
        "a1",
        "post.example",
        "Former Mayor Ana Rey opened the shelters.",
        "Crews cleared the quay by noon.",
        "Former Mayor Ana Rey thanked the crews.",
    )
    second = article("a2", "wire.example", "Mayor Ana Rey said the shelters would stay open.")
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
    first = article("a1", "post.example", "Former Mayor Ana Rey opened the shelters.")
    second = article("a2", "wire.example", "Rain fell all night.", "Mayor Ana Rey kept them open.")
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
    first = article(
        "a1", "post.example", "The vote was close.", "Ona Pell told the dockers: “We will not sign.”"
    )
    second = article("a2", "wire.example", "“We will never sign,” Ona Pell said after the vote.")
    quotes = [_quote(first, "We will not sign"), _quote(second, "We will never sign")]
    [conflict] = conflicts.find("s-1", [first, second], {}, [], {}, quotes, [], {})
    assert conflict.kind == "quote_wording"
    assert [side.ref for side in conflict.sides] == ["q-a1", "q-a2"]
    assert _cited([first, second], conflict) == [
        ["Ona Pell told the dockers: “We will not sign.”"],
        ["“We will never sign,” Ona Pell said after the vote."],
    ]


def test_a_quotation_of_a_clause_or_more_keeps_its_own_words() -> None:
    first = article("a1", "post.example", "Ona Pell told the dockers: “We will not sign this deal.”")
    second = article("a2", "wire.example", "“We will never sign this deal,” Ona Pell said.")
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
    first = article("a1", "post.example", "Dividend raised.", "Record March 13.")
    second = article("a2", "wire.example", "Dividend kept.", "Record March 9.")
    annotations = {
        "a1": _annotation(first, dates=[_dated(first, "March 13", "2031-03-13")]),
        "a2": _annotation(second, dates=[_dated(second, "March 9", "2031-03-09")]),
    }
    assert conflicts.find("s-1", [first, second], annotations, [], {}, [], [], {}, encode) == []


TALKS = [("Northern Union", "ORG"), ("Varnhavn", "GPE")]


def test_near_identical_sentences_about_one_thing_with_different_days_are_a_date_conflict(
    encode: Encode,
) -> None:
    # Neither sentence names anyone: each stands for what its article opens on, the same talks.
    first = article(
        "a1",
        "post.example",
        "The Northern Union envoy opened talks in Varnhavn.",
        "Talks are due to resume on Thursday.",
    )
    second = article(
        "a2",
        "wire.example",
        "Talks under the Northern Union envoy in Varnhavn broke up.",
        "Talks to resume on Monday after the break.",
    )
    days = [_dated(first, "Thursday", "2031-03-06")], [_dated(second, "Monday", "2031-03-03")]
    [conflict] = figure_conflicts(first, second, encode, *TALKS, days=days)
    assert conflict.kind == "date"
    assert conflict.summary == (
        "Sources give different dates: "
        "post.example 2031-03-06 (“Thursday”), wire.example 2031-03-03 (“Monday”)."
    )
    assert _cited([first, second], conflict) == [
        ["Talks are due to resume on Thursday."],
        ["Talks to resume on Monday after the break."],
    ]


def test_unnamed_lines_of_articles_naming_no_one_give_no_conflict(encode: Encode) -> None:
    # Two companies' dividend lines, the company named only in each headline.
    first = article("a1", "post.example", "Quarterly dividend of 35 cts vs 35 cts prior.")
    second = article("a2", "wire.example", "Quarterly dividend of eight cts vs 7.5 cts prior.")
    assert figure_conflicts(first, second, encode) == []


def test_sentences_naming_different_companies_give_no_conflict(encode: Encode) -> None:
    first = article(
        "a1",
        "post.example",
        "Revenue at the Harlow Mills pipeline and terminal operations rose to 12.2 mln dlrs in the quarter.",
    )
    second = article(
        "a2",
        "wire.example",
        "Revenue at the Brenton pipeline and terminal operations rose to 16.4 mln dlrs in the quarter.",
    )
    assert figure_conflicts(first, second, encode, ("Harlow Mills", "ORG"), ("Brenton", "ORG")) == []


def test_one_term_in_articles_opening_on_different_countries_gives_no_conflict(encode: Encode) -> None:
    first = article(
        "a1",
        "post.example",
        "Norland money supply grew in December.",
        "The central bank said M-1 rose to 5.03 billion dlrs in the latest week.",
    )
    second = article(
        "a2",
        "wire.example",
        "Sudria money supply fell in the week.",
        "The central bank said M-1 rose to 735.0 billion dlrs in the latest week.",
    )
    names = [("M-1", "ORG"), ("Norland", "GPE"), ("Sudria", "GPE")]
    assert figure_conflicts(first, second, encode, *names) == []
    # The same two sentences in articles on one country are one fact given two values.
    same = article(
        "a2",
        "wire.example",
        "Norland money supply fell in the week.",
        "The central bank said M-1 rose to 735.0 billion dlrs in the latest week.",
    )
    [conflict] = figure_conflicts(first, same, encode, *names)
    assert conflict.summary == (
        "Sources give different figures: "
        "post.example says 5.03 billion dlrs, wire.example says 735.0 billion dlrs."
    )


def test_figures_in_different_roles_give_no_conflict(encode: Encode) -> None:
    # The sale price agrees; the gain one source adds is another figure, not a different price.
    first = article(
        "a1",
        "post.example",
        "Harlow Mills sold its pipeline units for 12.2 mln dlrs and will record a gain of 2.9 mln dlrs.",
    )
    second = article("a2", "wire.example", "Harlow Mills sold its pipeline subsidiaries for 12.2 mln dlrs.")
    assert figure_conflicts(first, second, encode, ("Harlow Mills", "ORG")) == []


def test_days_in_different_roles_give_no_conflict(encode: Encode) -> None:
    first = article(
        "a1",
        "post.example",
        "Coffee exporters will present the proposal to importers on March 3 at the ICO council.",
    )
    second = article(
        "a2",
        "wire.example",
        "Coffee exporters will present the proposal for quotas from April 1 under the ICO plan.",
    )
    days = [_dated(first, "March 3", "2031-03-03")], [_dated(second, "April 1", "2031-04-01")]
    assert figure_conflicts(first, second, encode, ("ICO", "ORG"), days=days) == []


def test_a_figure_one_source_rounded_is_no_conflict(encode: Encode) -> None:
    first = article(
        "a1", "post.example", "Soybean output in Norland will rise to 1.075 mln tonnes next season."
    )
    second = article(
        "a2", "wire.example", "Soybean output in Norland will rise to 1.08 mln tonnes next season."
    )
    assert figure_conflicts(first, second, encode, ("Norland", "GPE")) == []
    third = article(
        "a2", "wire.example", "Soybean output in Norland will rise to 1.2 mln tonnes next season."
    )
    [conflict] = figure_conflicts(first, third, encode, ("Norland", "GPE"))
    assert conflict.kind == "number"
    assert conflict.summary == (
        "Sources give different figures: "
        "post.example says 1.075 mln tonnes, wire.example says 1.2 mln tonnes."
    )


def test_a_title_is_compared_by_its_office_not_its_last_word() -> None:
    first = article("a1", "post.example", "Former Mayor Ana Rey opened the shelters on the quay.")
    second = article("a2", "wire.example", "Ana Rey, the mayor of Brava, said the shelters stay open.")
    former, former_at = _titled(first, "Former Mayor", "Ana Rey")
    start, end = _span(second, "mayor of Brava")
    person = second.text.index("Ana Rey")
    plain = Role("mayor of brava", Cite("a2", start, end))
    plain_at = RoleMention(start, end, "mayor of brava", person, person + len("Ana Rey"))
    annotations = {"a1": _annotation(first, [former_at]), "a2": _annotation(second, [plain_at])}
    [conflict] = _roles_found([first, second], [former, plain], annotations)
    assert (
        conflict.summary == "Sources give Ana Rey different titles: “Former Mayor” versus “mayor of Brava”."
    )


def _former_and_plain(former_title: str, title: str) -> list[Conflict]:
    first = article("a1", "post.example", f"{former_title} Ana Rey opened the shelters.")
    second = article("a2", "wire.example", f"The shelters stay open, {title} Ana Rey said.")
    former, former_at = _titled(first, former_title, "Ana Rey")
    plain, plain_at = _titled(second, title, "Ana Rey")
    annotations = {"a1": _annotation(first, [former_at]), "a2": _annotation(second, [plain_at])}
    return _roles_found([first, second], [former, plain], annotations)


def test_titles_narrowed_to_different_offices_are_no_conflict() -> None:
    # A former defence minister may well be foreign minister now, a former mayor of one town mayor
    # of another; "U.S. President" still narrows nothing "President" contradicts.
    assert _former_and_plain("Former Defence Minister", "Foreign Minister") == []
    assert _former_and_plain("Former Mayor of Brava", "Mayor of Lenka") == []
    [conflict] = _former_and_plain("Former U.S. President", "President")
    assert (
        conflict.summary
        == "Sources give Ana Rey different titles: “Former U.S. President” versus “President”."
    )


def test_figures_of_two_occasions_give_no_conflict(encode: Encode) -> None:
    # Each sentence gives its own day's average: neither the rates nor the days are in dispute.
    first = article(
        "a1", "post.example", "Federal funds at the Norland Reserve averaged 6.02 pct on Friday in New York."
    )
    second = article(
        "a2",
        "wire.example",
        "Federal funds at the Norland Reserve averaged 6.18 pct on Thursday in New York.",
    )
    days = [_dated(first, "Friday", "2031-03-07")], [_dated(second, "Thursday", "2031-03-06")]
    assert figure_conflicts(first, second, encode, ("Norland Reserve", "ORG"), days=days) == []


def test_a_day_both_sources_word_alike_is_no_conflict(encode: Encode) -> None:
    # "Today" in two articles written a day apart: the sources say the same thing.
    first = article(
        "a1", "post.example", "Talks between the Northern Union and the port owners in Varnhavn resume today."
    )
    second = article(
        "a2", "wire.example", "Talks between the Northern Union and the port owners in Varnhavn resume today."
    )
    days = [_dated(first, "today", "2031-03-03")], [_dated(second, "today", "2031-03-04")]
    assert figure_conflicts(first, second, encode, *TALKS, days=days) == []


def test_amounts_after_different_words_or_another_amounts_unit_are_in_different_roles(encode: Encode) -> None:
    first = article(
        "a1", "post.example", "Harlow Mills said its sales rose 16 pct to 174.6 mln dlrs in the first half."
    )
    second = article(
        "a2", "wire.example", "Harlow Mills said its orders rose 15 pct to 101.1 mln dlrs in the first half."
    )
    assert figure_conflicts(first, second, encode, ("Harlow Mills", "ORG")) == []


def test_similar_pairs_are_those_a_ratio_per_pair_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    from rapidfuzz import fuzz

    rng = random.Random(5)
    words = "the minister said talks would resume next week after the strike ended".split()
    texts = [" ".join(rng.choices(words, k=rng.randint(4, 9))) for _ in range(60)]
    texts += [texts[3], texts[7] + " today"]  # the same words, and nearly
    monkeypatch.setattr(conflicts, "_ROWS", 7)  # several blocks of rows
    expected = [
        (i, j, fuzz.ratio(texts[i], texts[j]))
        for i in range(len(texts))
        for j in range(i + 1, len(texts))
        if fuzz.ratio(texts[i], texts[j]) >= conflicts._SIMILAR_WORDS
    ]
    assert list(conflicts._similar_pairs(texts)) == expected
    assert len(expected) >= 3

"""Figure conflicts the sources really have: a figure placed by the words after it, a place named at
two levels, a decimal a detokeniser split, a bound or a round figure; and the look-alikes that stay
apart (two occasions, two sessions, a value both sentences give)."""

from __future__ import annotations

import pytest
from story_docs import Encode, article, dated, figure_conflicts

from storyline.model import Article, Conflict


@pytest.fixture(scope="module")
def encode() -> Encode:
    from storyline.annotate.embed import load_embedder

    return load_embedder().encode


def _summaries(found: list[Conflict]) -> list[str]:
    return [c.summary for c in found]


def test_a_figure_opening_its_sentence_is_placed_by_the_words_after_it(encode: Encode) -> None:
    first = article("a1", "post.example", "The 5.9-magnitude quake struck Qeshm island, state media said.")
    second = article("a2", "wire.example", "The 6.1-magnitude quake struck Qeshm island, state media said.")
    assert _summaries(figure_conflicts(first, second, encode, ("Qeshm", "GPE"))) == [
        "Sources give different figures: post.example says 5.9-magnitude, wire.example says 6.1-magnitude."
    ]


def test_words_after_a_figure_place_it_when_the_words_before_differ(encode: Encode) -> None:
    first = article(
        "a1",
        "post.example",
        "The temblor struck at dawn and was centered in Geyserville, about 20 miles north of Santa Rosa.",
    )
    second = article("a2", "wire.example", "The temblor struck about 26 miles north of Santa Rosa.")
    names = [("Santa Rosa", "GPE"), ("Geyserville", "GPE")]
    assert _summaries(figure_conflicts(first, second, encode, *names)) == [
        "Sources give different figures: post.example says 20 miles, wire.example says 26 miles."
    ]


def test_different_words_after_a_figure_are_different_occasions(encode: Encode) -> None:
    first = article(
        "a1",
        "post.example",
        "The Bank of Norland gave the money market 37 mln stg assistance in the morning session.",
    )
    second = article(
        "a2",
        "wire.example",
        "The Bank of Norland gave the money market 437 mln stg assistance in the afternoon session.",
    )
    assert figure_conflicts(first, second, encode, ("Bank of Norland", "ORG")) == []


def test_a_decimal_split_by_a_detokeniser_is_one_number(encode: Encode) -> None:
    first = article("a1", "post.example", "The quake near Healdsburg occurred at a depth of 12 miles.")
    second = article("a2", "wire.example", "The quake near Healdsburg occurred at a depth of 1. 2 miles.")
    assert _summaries(figure_conflicts(first, second, encode, ("Healdsburg", "GPE"))) == [
        "Sources give different figures: post.example says 12 miles, wire.example says 1.2 miles."
    ]
    same = article("a2", "wire.example", "The quake near Healdsburg occurred at a depth of 12. 0 miles.")
    assert figure_conflicts(first, same, encode, ("Healdsburg", "GPE")) == []


def test_a_place_named_at_two_levels_is_one_subject(encode: Encode) -> None:
    # Each article names both the province and the country, so "Aceh" and "Indonesia" do not differ.
    first = article(
        "a1",
        "post.example",
        "A quake shook Aceh in Indonesia.",
        "In 2004 a quake off Aceh triggered a tsunami that killed 230,000 people in 14 countries.",
    )
    second = article(
        "a2",
        "wire.example",
        "A quake shook Indonesia's Aceh province.",
        "In 2004 a quake off Indonesia triggered a tsunami that killed 230, 000 people in 13 countries.",
    )
    names = [("Aceh", "GPE"), ("Indonesia", "GPE")]
    assert _summaries(figure_conflicts(first, second, encode, *names)) == [
        "Sources give different figures: post.example says 14 countries, wire.example says 13 countries."
    ]


def test_places_the_other_article_never_names_still_differ(encode: Encode) -> None:
    first = article("a1", "post.example", "Floods in Norland killed 40 people in 14 villages last week.")
    second = article("a2", "wire.example", "Floods in Sudria killed 40 people in 13 villages last week.")
    assert figure_conflicts(first, second, encode, ("Norland", "GPE"), ("Sudria", "GPE")) == []


def test_a_source_a_sentence_cites_is_not_its_subject(encode: Encode) -> None:
    first = article(
        "a1",
        "post.example",
        "A quake shook Santa Rosa.",
        "The quake struck 20 miles north of Santa Rosa, according to the Geological Survey.",
    )
    second = article(
        "a2",
        "wire.example",
        "A quake shook Santa Rosa.",
        "The quake struck 26 miles north of Santa Rosa, the Quake Centre said.",
    )
    names = [("Santa Rosa", "GPE"), ("Geological Survey", "ORG"), ("Quake Centre", "ORG")]
    assert _summaries(figure_conflicts(first, second, encode, *names)) == [
        "Sources give different figures: post.example says 20 miles, wire.example says 26 miles."
    ]


def test_a_bound_agrees_with_values_on_its_side_and_a_round_figure_with_values_near_it(
    encode: Encode,
) -> None:
    def school(figure: str, name: str = "a2", site: str = "wire.example") -> Article:
        return article(name, site, f"The shelling of the Jabaliya school killed {figure} people.")

    first = school("43", "a1", "post.example")
    for agreeing in ("more than 40", "up to 45", "around 40", "at least 43"):
        assert figure_conflicts(first, school(agreeing), encode, ("Jabaliya", "GPE")) == []
    assert _summaries(figure_conflicts(first, school("at least 45"), encode, ("Jabaliya", "GPE"))) == [
        "Sources give different figures: post.example says 43 people, wire.example says 45 people."
    ]
    assert _summaries(figure_conflicts(first, school("around 50"), encode, ("Jabaliya", "GPE"))) == [
        "Sources give different figures: post.example says 43 people, wire.example says 50 people."
    ]


def test_a_value_both_sentences_give_is_no_dispute(encode: Encode) -> None:
    first = article(
        "a1", "post.example", "The 36-year-old Klitschko floored the 40-year-old Thompson in Bern."
    )
    second = article("a2", "wire.example", "Klitschko floored the 40-year-old Thompson in Bern.")
    names = [("Klitschko", "PERSON"), ("Thompson", "PERSON")]
    assert figure_conflicts(first, second, encode, *names) == []


def test_sentences_giving_several_amounts_none_alike_are_two_occasions(encode: Encode) -> None:
    first = article(
        "a1",
        "post.example",
        "The Bank of Norland bought bills comprising four mln stg in band one and 33 mln stg in band two.",
    )
    second = article(
        "a2",
        "wire.example",
        "The Bank of Norland bought bills comprising two mln stg in band one and 22 mln stg in band two.",
    )
    assert figure_conflicts(first, second, encode, ("Bank of Norland", "ORG")) == []


def _talks(day: str, published: str, name: str, site: str) -> Article:
    return article(
        name,
        site,
        f"Talks between the Dock Union and the port are due to resume on {day}.",
        published=published,
    )


def test_a_plan_whose_day_had_passed_when_the_other_source_wrote_is_no_dispute(encode: Encode) -> None:
    # Talks due on Thursday (written on the Tuesday before), then due on Monday (written on the
    # Saturday after that Thursday): what came next, not two days for one meeting.
    first = _talks("Thursday", "2031-03-04", "a1", "post.example")
    later = _talks("Monday", "2031-03-08", "a2", "wire.example")
    days = ([dated(first, "Thursday", "2031-03-06")], [dated(later, "Monday", "2031-03-10")])
    assert figure_conflicts(first, later, encode, ("Dock Union", "ORG"), days=days) == []
    # Written before that Thursday, the other source gives the same plan another day: a dispute.
    meanwhile = _talks("Monday", "2031-03-05", "a2", "wire.example")
    days = ([dated(first, "Thursday", "2031-03-06")], [dated(meanwhile, "Monday", "2031-03-10")])
    assert [c.kind for c in figure_conflicts(first, meanwhile, encode, ("Dock Union", "ORG"), days=days)] == [
        "date"
    ]


def test_a_day_both_sources_give_for_what_had_happened_stays_comparable(encode: Encode) -> None:
    first = article(
        "a1", "post.example", "The quake struck the Norland coast on Monday.", published="2031-03-05"
    )
    second = article(
        "a2", "wire.example", "The quake struck the Norland coast on Tuesday.", published="2031-03-06"
    )
    days = ([dated(first, "Monday", "2031-03-03")], [dated(second, "Tuesday", "2031-03-04")])
    assert [c.kind for c in figure_conflicts(first, second, encode, ("Norland", "GPE"), days=days)] == [
        "date"
    ]


@pytest.mark.parametrize("rows", [1, 3, 7, 64])
def test_close_pairs_a_block_at_a_time_are_the_pairs_of_the_whole_matrix(rows: int) -> None:
    import numpy as np

    from storyline.story.figure_conflicts import _close_pairs

    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(40, 6)).astype(np.float32)
    vectors[20:30] = vectors[:10] + 0.05 * rng.normal(size=(10, 6)).astype(np.float32)  # near twins
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    sims = vectors @ vectors.T
    expected = [(i, j) for i in range(40) for j in range(i + 1, 40) if sims[i, j] >= 0.8]
    assert len(expected) >= 10
    assert list(_close_pairs(vectors, 0.8, rows=rows)) == expected

from __future__ import annotations

from storyline.briefing.view import QuoteRow, SourceRef, merge_repeats


def _ref(site: str) -> SourceRef:
    return SourceRef(
        site=site, title="T", words="w", start=0, end=1, anchor=f"c-{site}", article_anchor=f"a-{site}"
    )


def test_the_same_words_from_two_sources_are_one_row_with_both_sources() -> None:
    rows = [
        QuoteRow("q1", "We will not  move.", "direct", "said", None, _ref("Wire")),
        QuoteRow("q2", "we will not move.", "direct", "said", None, _ref("Copy")),
        QuoteRow("q3", "We will not move.", "partial", None, None, _ref("Other")),
    ]
    merged = merge_repeats(rows)
    assert [(r.id, [a.site for a in r.also]) for r in merged] == [("q1", ["Copy"]), ("q3", [])]

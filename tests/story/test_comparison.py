"""Claims, corroboration over independent sources, conflicts and the stance matrix, end to end on
a small invented story: two outlets agree, a copy of one adds no source, a third reports the opposite."""

from __future__ import annotations

import json

import pytest

from storyline.pipeline import run
from storyline.settings import Settings

STORY = [
    (
        "brava-post.example",
        "Norway rejects Iceland bid as port talks stall",
        "Norway has firmly rejected proposals that involve any possibility of Iceland joining the EU. "
        "Norwegian Foreign Minister Anton Velkov told reporters in Brava that the talks on the port "
        "would go on. "
        "Velkov insisted that a ceasefire would serve the interests of both sides. "
        "The port handled 40 ships last week, officials said.",
    ),
    (
        "osterland-times.example",
        "Iceland EU bid meets firm no from Norway",
        "The government of Norway rejected any plan for Iceland joining the EU, officials in Brava said. "
        "Talks on the disputed port of Lenka resumed on Tuesday after a week of delays. "
        "Norway insists that a ceasefire will not lead to a lasting settlement of the port dispute. "
        "The port handled 25 ships last week, officials said.",
    ),
]


@pytest.fixture(scope="module")
def briefing(tmp_path_factory):
    folder = tmp_path_factory.mktemp("comparison")
    rows = [
        {"site": site, "title": title, "text": text, "published": "2031-05-0" + str(i + 1)}
        for i, (site, title, text) in enumerate(STORY)
    ]
    # A syndicated copy of the first article on a third site: a mention, not a new source.
    rows.append({**rows[0], "site": "wire-mirror.example", "title": rows[0]["title"] + " (copy)"})
    (folder / "story.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    return run([folder / "story.jsonl"], Settings(db=folder / "store.db")).briefing


def _name(briefing, entity_id):
    return briefing.entity(entity_id).name if entity_id else None


def test_the_shared_stance_is_one_claim_with_two_independent_sources(briefing):
    nato = [c for c in briefing.claims if "joining the EU" in c.text and _name(briefing, c.actor) == "Norway"]
    assert len(nato) == 1
    claim = nato[0]
    assert claim.polarity == "deny"
    assert claim.sources == 2 and not claim.single_source
    assert len({m.article for m in claim.mentions}) == 2  # the copy is a duplicate, not a mention


def test_the_copy_is_linked_to_its_original(briefing):
    copies = [a for a in briefing.articles if a.duplicate_of]
    assert [a.site for a in copies] in (["wire-mirror.example"], ["brava-post.example"])


def test_opposite_positions_from_two_sources_are_a_conflict_with_both_sentences(briefing):
    polarity = [c for c in briefing.conflicts if c.kind == "polarity"]
    assert len(polarity) == 1
    conflict = polarity[0]
    assert "ceasefire" in conflict.summary
    quoted = [briefing.cited_text(cite) for side in conflict.sides for cite in side.cites]
    assert any("would serve the interests" in q for q in quoted)
    assert any("will not lead to a lasting settlement" in q for q in quoted)


def test_different_figures_for_the_same_fact_are_a_number_conflict(briefing):
    numbers = [c for c in briefing.conflicts if c.kind == "number"]
    assert len(numbers) == 1
    assert "40 ships" in numbers[0].summary and "25 ships" in numbers[0].summary


def test_stance_matrix_cells_cite_their_sentences(briefing):
    cells = {(_name(briefing, s.actor), s.issue): s for s in briefing.stances}
    assert cells[("Norway", "Iceland joining EU")].stance == "oppose"
    for stance in briefing.stances:
        assert stance.cites
        for cite in stance.cites:
            assert briefing.cited_text(cite).strip()


def test_claims_found_in_one_source_are_flagged(briefing):
    singles = [c for c in briefing.claims if c.single_source]
    assert singles and all(c.sources == 1 for c in singles)


def test_every_conflict_side_points_at_a_claim_quote_or_entity(briefing):
    claims = {c.id for c in briefing.claims}
    quotes = {q.id for q in briefing.quotes}
    entities = {e.id for e in briefing.entities}
    for conflict in briefing.conflicts:
        for side in conflict.sides:
            known = {"claim": claims, "quote": quotes, "entity": entities}[side.kind]
            assert side.ref in known


def test_takeaways_and_faq_cite_every_line(briefing):
    story = briefing.stories[0]
    assert 3 <= len(story.takeaways) <= 7
    assert story.faq
    for passage in (*story.takeaways, *(p for item in story.faq for p in item.answer)):
        assert passage.cites
        for cite in passage.cites:
            assert briefing.cited_text(cite).strip()

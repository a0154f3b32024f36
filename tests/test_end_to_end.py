"""End-to-end: the bundled demo corpus (exact expectations: the project wrote it) and the shared
seed articles (general properties only: nothing from their text is hard-coded here)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from storyline.model import SCHEMA, Briefing, Cite
from storyline.pipeline import RunResult, run
from storyline.settings import Settings
from storyline.story.identities import name_tokens, same_name

CONTRACT_KEYS = {
    "schema",
    "generated_at",
    "tool",
    "inputs",
    "articles",
    "entities",
    "quotes",
    "stories",
    "claims",
    "conflicts",
    "stances",
    "events",
    "signals",
}
SPEECH = re.compile(
    r"\b(said|says|stated|states|added|explains|explained|declared|told|argued|insisted|"
    r"remarked|stressed|noted|warned|quipped|admits|observes|notes|adds)\b",
    re.I,
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, demo_dir: Path) -> tuple[RunResult, Path]:
    db = tmp_path_factory.mktemp("demo") / "s.db"
    return run([demo_dir], Settings(db=db)), db


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Briefing:
    return run([seeds_dir], Settings(db=tmp_path_factory.mktemp("seeds") / "s.db")).briefing


def _all_cites(b: Briefing) -> list[Cite]:
    cites = [q.cite for q in b.quotes] + [q.cue_cite for q in b.quotes if q.cue_cite]
    cites += [m for e in b.entities for m in e.mentions] + [r.cite for e in b.entities for r in e.roles]
    for s in b.stories:
        cites += [c for p in s.summary for c in p.cites]
        cites += [t.cite for t in s.timeline] + [c for t in s.timeline for c in t.cites]
    return cites


def _check_cites(b: Briefing) -> None:
    texts = {a.id: a.text for a in b.articles}
    for cite in _all_cites(b):
        assert 0 <= cite.start < cite.end <= len(texts[cite.article])
    for q in b.quotes:
        assert texts[q.cite.article][q.cite.start : q.cite.end] == q.text
    for s in b.stories:
        for p in s.summary:
            assert any(texts[c.article][c.start : c.end] == p.text for c in p.cites)


def test_demo_contract_and_round_trip(demo: tuple[RunResult, Path]) -> None:
    result, _ = demo
    b = result.briefing
    data = json.loads(b.to_json())
    assert set(data) == CONTRACT_KEYS and data["schema"] == SCHEMA
    assert Briefing.from_json(b.to_json()) == b
    assert b.inputs.ok == 7 and b.inputs.failed == ()
    _check_cites(b)


def test_demo_finds_the_people_under_one_name_each(demo: tuple[RunResult, Path]) -> None:
    b = demo[0].briefing
    people = {e.name: e for e in b.entities if e.type == "PERSON"}
    haddane = next(e for e in people.values() if "Haddane" in e.name)
    assert {"Youssef Haddane", "Yusuf Haddane"} <= {haddane.name, *haddane.variants}
    marrow = next(e for e in people.values() if "Marrow" in e.name)
    assert {"Ilse Marrow", "Ilsa Marrow"} <= {marrow.name, *marrow.variants}
    vidrak = next(e for e in people.values() if "Vidrak" in e.name)
    assert "vidrak" in vidrak.variants
    assert "transport minister" in {r.role for r in vidrak.roles}


def test_demo_near_duplicate_points_at_the_wire(demo: tuple[RunResult, Path]) -> None:
    b = demo[0].briefing
    copies = {Path(a.source).name: a.duplicate_of for a in b.articles if a.duplicate_of}
    wire = next(a.id for a in b.articles if a.source.endswith("lpa_wire.txt"))
    assert copies == {"coastline_daily.txt": wire}


def test_demo_quotes_have_speakers_and_the_story_has_a_cited_summary(demo: tuple[RunResult, Path]) -> None:
    b = demo[0].briefing
    direct = [q for q in b.quotes if q.kind == "direct"]
    assert len(direct) >= 10
    assert sum(q.speaker is not None for q in direct) / len(direct) >= 0.9
    assert any(q.resolved_by == "pronoun" for q in b.quotes) and any(
        q.resolved_by == "title" for q in b.quotes
    )
    assert b.stories and b.stories[0].summary and b.stories[0].timeline


def test_second_run_reuses_the_store(demo: tuple[RunResult, Path], demo_dir: Path) -> None:
    first, db = demo
    again = run([demo_dir], Settings(db=db))
    assert (again.cleaned_new, again.annotated_new) == (0, 0)
    assert again.briefing.to_dict() | {"generated_at": None} == first.briefing.to_dict() | {
        "generated_at": None
    }


def test_seeds_every_attributed_quotation_has_a_speaker(seeds: Briefing) -> None:
    texts = {a.id: a.text for a in seeds.articles}
    missing = []
    for q in seeds.quotes:
        if q.kind != "direct":
            continue
        text = texts[q.cite.article]
        window = text[max(0, q.cite.start - 80) : q.cite.end + 60]
        line_start = text.rfind("\n", 0, q.cite.start) + 1
        line_end = text.find("\n", q.cite.end)
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        if SPEECH.search(window) and SPEECH.search(line) and q.speaker is None:
            missing.append(q.text[:60])
    assert missing == []
    _check_cites(seeds)


def test_seeds_removed_lines_are_boilerplate_only(seeds: Briefing) -> None:
    allowed = {
        "navigation",
        "teaser",
        "share",
        "advertisement",
        "legal",
        "caption",
        "byline",
        "dateline",
        "comments",
        "author_bio",
        "toc",
    }
    for article in seeds.articles:
        for removed in article.removed:
            assert removed.reason in allowed
            assert "“" not in removed.text and '"' not in removed.text


def test_seeds_one_entity_per_person(seeds: Briefing) -> None:
    people = [e for e in seeds.entities if e.type == "PERSON" and len(name_tokens(e.name)) >= 2]
    for i, a in enumerate(people):
        for b in people[i + 1 :]:
            ta, tb = name_tokens(a.name), name_tokens(b.name)
            assert not (same_name(ta[-1], tb[-1]) and same_name(ta[0], tb[0])), (a.name, b.name)
    surnames = [name_tokens(e.name)[-1] for e in people]
    for e in seeds.entities:
        if e.type == "PERSON" and len(name_tokens(e.name)) == 1:
            assert not any(same_name(name_tokens(e.name)[0], s) for s in surnames), e.name

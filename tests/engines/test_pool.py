"""Local worker processes (`--workers N`): the same annotations, in input order, as one process."""

from __future__ import annotations

import json
from pathlib import Path

from storyline import annotate, engine_pool, pipeline
from storyline.annotate.nlp import load_spacy
from storyline.model import Article, to_dict
from storyline.settings import Settings

ARTICLES = [
    Article(
        id=f"a{n}",
        source=f"a{n}.txt",
        text=f"Mayor Ilsa Varnquist said on Tuesday that ferry {n} would run again."
        ' "We are ready," she said.',
        published="2031-04-08",
    )
    for n in range(5)
] + [Article(id="de", source="de.txt", text="Der Hafen von Ostervale bleibt geschlossen.", language="de")]


def test_worker_processes_give_the_annotations_of_one_process_in_order() -> None:
    batches = [ARTICLES[i : i + 2] for i in range(0, len(ARTICLES), 2)]
    pooled = list(engine_pool.annotate(iter(batches), workers=2))
    assert [[a.article for a in batch] for batch in pooled] == [["a0", "a1"], ["a2", "a3"], ["a4", "de"]]
    alone = list(annotate.annotate(ARTICLES, load_spacy()))
    assert [to_dict(a) for batch in pooled for a in batch] == [to_dict(a) for a in alone]


def test_a_run_with_two_workers_stores_what_a_run_with_one_stores(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        "\n".join(json.dumps({"title": a.id, "text": a.text}) for a in ARTICLES), encoding="utf-8"
    )
    one = pipeline.run([source], Settings(db=tmp_path / "one.db", batch_size=2)).briefing
    two = pipeline.run([source], Settings(db=tmp_path / "two.db", batch_size=2, workers=2)).briefing
    assert two.to_dict()["quotes"] == one.to_dict()["quotes"] and two.entities == one.entities

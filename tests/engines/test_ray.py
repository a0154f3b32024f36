"""The Ray engine: shards round-trip, actors agree with the local annotator, and a Ray run of the
demo corpus (through the CLI) gives the same briefing and the same store as a single-process run."""

from __future__ import annotations

import json
import sys

import pyarrow.parquet as pq
import pytest
from pyarrow import fs
from typer.testing import CliRunner

from storyline import annotate, engine_ray
from storyline.cli import app
from storyline.errors import EngineError
from storyline.model import Article, to_dict
from storyline.pipeline import run
from storyline.settings import Settings
from storyline.store import Store

ARTICLES = [
    Article(
        id="a1",
        source="a1.txt",
        text='Mayor Ilsa Varnquist said on Tuesday that the ferry would run again. "We are ready," she said.',
        published="2031-04-08",
    ),
    Article(id="a2", source="a2.txt", text="The Brannock harbour board met in Ostervale."),
    Article(id="a3", source="a3.txt", text="Der Hafen von Ostervale bleibt geschlossen.", language="de"),
]


@pytest.fixture(scope="module")
def ray_runtime():  # type: ignore[no-untyped-def]
    ray = pytest.importorskip("ray", reason="ray is not installed (pip install 'storyline[ray]')")
    ray.init(num_cpus=2, include_dashboard=False, logging_level="WARNING")
    yield ray
    ray.shutdown()


def _briefing_json(path) -> dict:  # type: ignore[no-untyped-def]
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("generated_at")
    return data


def test_write_shards_splits_rows_and_round_trips(tmp_path) -> None:  # type: ignore[no-untyped-def]
    paths = engine_ray.write_shards(ARTICLES, fs.LocalFileSystem(), str(tmp_path), rows=2)

    assert [p.rsplit("/", 1)[1] for p in paths] == ["articles-00000.parquet", "articles-00001.parquet"]
    tables = [pq.read_table(p) for p in paths]
    assert [t.column("id").to_pylist() for t in tables] == [["a1", "a2"], ["a3"]]
    rows = tables[0].column("article").to_pylist() + tables[1].column("article").to_pylist()
    assert [json.loads(r) for r in rows] == [to_dict(a) for a in ARTICLES]


@pytest.mark.parametrize(("cpus", "workers", "each"), [(3, 2, 1.0), (2, 2, 0.5), (8, 2, 1.0), (1, 1, 0.0)])
def test_actors_leave_one_cpu_for_reading(cpus: float, workers: int, each: float) -> None:
    assert engine_ray._actor_cpus(cpus, workers) == each


def test_actor_gives_the_local_annotations(nlp) -> None:  # type: ignore[no-untyped-def]
    actor = engine_ray.AnnotateActor(annotate.version(nlp))
    batch = {"article": [json.dumps(to_dict(a)) for a in ARTICLES]}

    out = actor(batch)

    assert out["id"] == ["a1", "a2", "a3"]
    first, _, german = (json.loads(b) for b in out["annotation"])
    assert first["sentences"] == [[0, 68], [69, 94]]
    assert [(q["start"], q["end"], q["kind"]) for q in first["attributions"]][-1] == (70, 82, "direct")
    assert german["mentions"] == [] and german["sentences"] == [[0, 43]]
    assert [json.loads(b) for b in out["annotation"]] == [
        to_dict(a) for a in annotate.annotate(ARTICLES, nlp)
    ]


def test_actor_refuses_another_pipeline_version(nlp) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(EngineError, match="install the same storyline and model versions"):
        engine_ray.AnnotateActor("some-other-model+entities.v0")


def test_missing_ray_is_an_engine_error(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(sys.modules, "ray", None)

    with pytest.raises(EngineError, match=r"pip install 'storyline\[ray\]'"):
        list(engine_ray.annotate(ARTICLES[:1], Settings(engine="ray"), "v"))


def test_nothing_to_annotate_needs_no_ray(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(sys.modules, "ray", None)

    assert list(engine_ray.annotate([], Settings(engine="ray"), "v")) == []


def test_ray_run_matches_the_local_run(ray_runtime, demo_dir, tmp_path, nlp) -> None:  # type: ignore[no-untyped-def]
    local = run([str(demo_dir)], Settings(db=tmp_path / "local.db"))
    local_json = to_dict(local.briefing)
    local_json.pop("generated_at")

    out = tmp_path / "ray"
    args = ["analyze", str(demo_dir), "--out", str(out), "--format", "json", "-q", "--engine", "ray"]
    result = CliRunner().invoke(app, [*args, "--workers", "2"])

    assert result.exit_code == 0, result.output
    assert _briefing_json(out / "briefing.json") == local_json
    # Same version key as the local path: a local run over the Ray store has nothing left to do.
    store = Store.open(out / "storyline.db")
    try:
        assert store.missing_annotations(list(local.article_ids), annotate.version(nlp)) == []
    finally:
        store.close()
    again = run([str(demo_dir)], Settings(db=out / "storyline.db"))
    assert (again.cleaned_new, again.annotated_new) == (0, 0)
    assert local.annotated_new == len(local.article_ids) == 7


def test_a_worker_with_another_version_stops_the_run(ray_runtime) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(engine="ray", workers=1)

    with pytest.raises(EngineError, match=r"Ray run failed: .*install the same storyline and model versions"):
        list(engine_ray.annotate(ARTICLES, settings, "some-other-model+entities.v0"))

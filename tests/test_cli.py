from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import EXIT_INPUTS_FAILED, app

ARTICLE = (
    "Harbour workers in the town of Elmsford voted on Monday to end a two-week strike, union leader Rosa "
    "Ketteridge said. \u201cWe have won what we came for,\u201d Ketteridge told reporters outside the hall. "
    "The port authority said ships would return by Thursday.\n"
)


def test_analyze_writes_all_formats_and_names_bad_inputs(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    (src / "blob.txt").write_bytes(bytes(range(256)) * 30)
    (src / "feed.jsonl").write_text('{"text": "Short text article body here."}\n{broken\n', encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["analyze", str(src), "--out", str(out), "--quiet"])
    assert result.exit_code == EXIT_INPUTS_FAILED, result.output
    assert f"{src / 'empty.txt'}: the file is empty" in result.output
    assert f"{src / 'feed.jsonl'}:2: not valid JSON" in result.output
    assert "blob.txt" in result.output
    data = json.loads((out / "briefing.json").read_text(encoding="utf-8"))
    assert data["inputs"]["ok"] == 2
    assert sorted((f["path"].rsplit("/", 1)[-1], f["line"]) for f in data["inputs"]["failed"]) == [
        ("blob.txt", None),
        ("empty.txt", None),
        ("feed.jsonl", 2),
    ]
    html = (out / "briefing.html").read_text(encoding="utf-8")
    assert "<link" not in html and "<script src" not in html
    assert "Ketteridge" in (out / "briefing.md").read_text(encoding="utf-8")
    assert (out / "storyline.db").exists()


def test_analyze_only_the_requested_format(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["analyze", str(tmp_path / "a.txt"), "--out", str(out), "--format", "md", "-q"]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir() if p.name.startswith("briefing")) == ["briefing.md"]


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(app, ["analyze", str(tmp_path), "--format", "pdf"])
    assert result.exit_code == 2
    assert "unknown format pdf" in result.output


def test_python_api_matches(tmp_path: Path) -> None:
    import storyline

    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    briefing = storyline.analyze([tmp_path])
    assert briefing.inputs.ok == 1
    assert any(e.name == "Rosa Ketteridge" for e in briefing.entities)


def test_python_write_streams_the_files_analyze_would_give(tmp_path: Path) -> None:
    import storyline
    from storyline.briefing import render

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "in" / "bad.jsonl").write_text("{not json\n", encoding="utf-8")
    tally = storyline.write([tmp_path / "in"], tmp_path / "out", formats=["json", "md"])
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "briefing.json",
        "briefing.md",
        "storyline.db",
    ]
    assert tally.articles == 1 and tally.stories == 1
    assert [f.path.endswith("bad.jsonl") for f in tally.failed] == [True]

    whole = storyline.analyze([tmp_path / "in"], db=tmp_path / "out" / "storyline.db")
    written = json.loads((tmp_path / "out" / "briefing.json").read_text("utf-8"))
    assert {**written, "generated_at": None} == {**whole.to_dict(), "generated_at": None}
    render.write("md", whole, tmp_path / "whole.md")
    undated = lambda path: [line for line in path.read_text("utf-8").splitlines() if "generated" not in line]  # noqa: E731
    assert undated(tmp_path / "out" / "briefing.md") == undated(tmp_path / "whole.md")
    with pytest.raises(ValueError, match="unknown format pdf"):
        storyline.write([tmp_path / "in"], tmp_path / "other", formats=["md", "pdf"])
    assert not (tmp_path / "other").exists()  # refused before any work


def test_render_writes_the_stored_briefing_again_without_inputs(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    first, again = tmp_path / "first", tmp_path / "again"
    db = first / "storyline.db"
    assert (
        CliRunner().invoke(app, ["analyze", str(tmp_path / "a.txt"), "--out", str(first), "-q"]).exit_code
        == 0
    )
    result = CliRunner().invoke(app, ["render", "--db", str(db), "--out", str(again), "-q"])
    assert result.exit_code == 0, result.output
    assert "1 articles read (0 new, 0 annotated)" in result.output
    for name in ("briefing.json", "briefing.md", "briefing.html"):
        strip = lambda p: [ln for ln in p.read_text("utf-8").splitlines() if "generated" not in ln]  # noqa: E731
        assert strip(again / name) == strip(first / name), name


def test_render_names_a_missing_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["render", "--db", str(tmp_path / "none.db")], env={"COLUMNS": "400"})
    assert result.exit_code == 2
    assert "none.db: no such store" in " ".join(result.output.split())


def test_ask_answers_from_the_store_with_its_sources(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    assert (
        CliRunner().invoke(app, ["analyze", str(tmp_path / "a.txt"), "--out", str(out), "-q"]).exit_code == 0
    )
    db = str(out / "storyline.db")
    result = CliRunner().invoke(app, ["ask", "When will ships return?", "--db", db], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    assert "Thursday" in result.output and "a.txt chars" in result.output
    answer = json.loads(
        CliRunner().invoke(app, ["ask", "When will ships return?", "--db", db, "--json"]).output
    )
    assert answer["passages"] and all(c["end"] > c["start"] for p in answer["passages"] for c in p["cites"])


def test_prune_drops_older_annotations_and_the_briefing_stays_the_same(tmp_path: Path) -> None:
    from storyline.model import Annotation
    from storyline.store import Store

    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    out, db = tmp_path / "out", tmp_path / "out" / "storyline.db"
    assert (
        CliRunner().invoke(app, ["analyze", str(tmp_path / "a.txt"), "--out", str(out), "-q"]).exit_code == 0
    )
    before = json.loads((out / "briefing.json").read_text(encoding="utf-8"))
    store = Store.open(db)
    # What an older release left: its annotation of the same article, under its own version.
    store.put_annotations([Annotation(article=before["articles"][0]["id"])], "an-older-release")
    store.close()

    dry = CliRunner().invoke(app, ["prune", "--db", str(db), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would delete 0 replaced articles" in dry.output and "1 annotations" in dry.output
    done = CliRunner().invoke(app, ["prune", "--db", str(db)])
    assert done.exit_code == 0, done.output
    assert "deleted 0 replaced articles" in done.output and "1 annotations" in done.output
    assert " MB -> " in done.output
    again = CliRunner().invoke(app, ["render", "--db", str(db), "--out", str(tmp_path / "again"), "-q"])
    assert again.exit_code == 0, again.output
    after = json.loads((tmp_path / "again" / "briefing.json").read_text(encoding="utf-8"))
    assert after["articles"] == before["articles"] and after["quotes"] == before["quotes"]


def test_prune_names_a_missing_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["prune", "--db", str(tmp_path / "none.db")], env={"COLUMNS": "400"})
    assert result.exit_code == 2
    assert "none.db: no such store" in " ".join(result.output.split())

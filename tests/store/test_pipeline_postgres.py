"""The pipeline over PostgreSQL gives the briefing SQLite gives; the CLI reaches it by --database-url."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pgserver import PostgresServer
from typer.testing import CliRunner

from storyline.cli import app
from storyline.model import Briefing
from storyline.pipeline import RunResult, load, run
from storyline.settings import Settings

# Two invented reports of one invented story, with quotes, titles and a date, so every stage has work.
ARTICLES = {
    "gazette.txt": (
        "Ferry service to Lanmore Island halted\n\n"
        "The Corvel Ferry Company suspended its Lanmore Island crossing on Tuesday after a hull "
        "inspection found cracks, company director Mara Voss said. \u201cNo boat sails until the "
        "repairs are certified,\u201d Voss told reporters at the harbour. Island mayor Piet Anholt said "
        "residents would be supplied by helicopter from 14 March 2024.\n"
    ),
    "herald.txt": (
        "Lanmore Island cut off as ferry is withdrawn\n\n"
        "Residents of Lanmore Island face weeks without a ferry after the Corvel Ferry Company withdrew "
        "its only vessel. Mayor Piet Anholt called the decision \u201ca blow to every family here\u201d. "
        "Director Mara Voss said the repairs would take at least three weeks.\n"
    ),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def pg_url(postgres: PostgresServer) -> Iterator[str]:
    name = postgres.create_database()
    yield postgres.url_of(name)
    postgres.drop_database(name)


@pytest.fixture(scope="module")
def sqlite_run(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RunResult]:
    db = tmp_path_factory.mktemp("sqlite") / "store.db"
    return db, run([str(corpus)], Settings(db=db))


def _comparable(briefing: Briefing) -> dict[str, object]:
    data = briefing.to_dict()
    data.pop("generated_at")
    return data


def test_pipeline_on_postgresql_gives_the_sqlite_briefing(
    corpus: Path, pg_url: str, sqlite_run: tuple[Path, RunResult]
) -> None:
    _, on_sqlite = sqlite_run
    on_postgres = run([str(corpus)], Settings(db=pg_url))
    assert on_sqlite.briefing.inputs.ok == 2 and on_sqlite.briefing.quotes  # a briefing with content
    assert _comparable(on_postgres.briefing) == _comparable(on_sqlite.briefing)
    assert (on_postgres.cleaned_new, on_postgres.annotated_new) == (2, 2)
    again = run([str(corpus)], Settings(db=pg_url))
    assert (again.cleaned_new, again.annotated_new) == (0, 0)  # the stored work is found again
    assert _comparable(load(Settings(db=pg_url))) == _comparable(load(Settings(db=sqlite_run[0])))


def test_cli_analyze_and_ask_take_a_database_url(
    corpus: Path, pg_url: str, sqlite_run: tuple[Path, RunResult], tmp_path: Path
) -> None:
    sqlite_db, on_sqlite = sqlite_run
    runner = CliRunner()
    out = tmp_path / "out"
    analyzed = runner.invoke(
        app, ["analyze", str(corpus), "--database-url", pg_url, "--out", str(out), "--format", "json", "-q"]
    )
    assert analyzed.exit_code == 0, analyzed.output
    written = json.loads((out / "briefing.json").read_text(encoding="utf-8"))
    written.pop("generated_at")
    assert written == _comparable(on_sqlite.briefing)
    assert not (out / "storyline.db").exists()  # nothing went to the default SQLite file
    question = ["ask", "When will the repairs be done?", "--json"]
    by_url = runner.invoke(app, [*question, "--database-url", pg_url])
    by_file = runner.invoke(app, [*question, "--db", str(sqlite_db)])
    assert by_url.exit_code == 0, by_url.output
    assert json.loads(by_url.output) == json.loads(by_file.output)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--db", "x.db", "--database-url", "postgresql://h/d"], "give --db FILE or --database-url URL"),
        (["--database-url", "somehost/db"], "'somehost/db' is not a URL like postgresql://"),
    ],
)
def test_cli_refuses_two_stores_or_a_url_that_is_not_one(args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["ask", "Who?", *args])
    assert result.exit_code == 2
    assert message in " ".join(result.output.replace("│", " ").split())  # rich wraps it in a box


def test_cli_serve_passes_the_database_url_to_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    import storyline.web

    served: list[tuple[object, ...]] = []
    monkeypatch.setattr(storyline.web, "serve", lambda *args: served.append(args))
    url = "postgresql://reader@db.example:5432/news"
    result = CliRunner().invoke(app, ["serve", "--database-url", url, "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert served == [(url, "127.0.0.1", 8123, None)]

"""The `storyline` command: parse flags, call the library, print. Nothing else lives here.

Exit status: 0 all inputs read; 3 the briefing was written but some inputs failed (each named on
stderr); 1 the run could not be done (a store or model error, one line saying why); 2 usage errors.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from storyline.errors import StorylineError
from storyline.settings import Settings

if TYPE_CHECKING:
    from storyline.errors import InputError
    from storyline.model import RawDocument

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Cited briefings from news articles.",
    rich_markup_mode="markdown",  # docstrings are reflowed: their line breaks are not the help's
)
out_console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

EXIT_INPUTS_FAILED = 3
DEFAULT_STORE = Path("briefing/storyline.db")
DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="A PostgreSQL store instead of --db: postgresql://USER@HOST:PORT/DBNAME "
        "(keep the password in ~/.pgpass or PGPASSWORD, not on the command line)",
    ),
]


@app.callback()
def main() -> None:
    """storyline: who said what, what happened when, where the sources agree and differ."""


@app.command()
def analyze(
    paths: Annotated[list[Path], typer.Argument(help="Files/folders: .txt .md .html .jsonl .gz .zip .tar")],
    out: Annotated[Path, typer.Option("--out", help="Folder for briefing.json/.md/.html")] = Path("briefing"),
    db: Annotated[Path | None, typer.Option("--db", help="SQLite file (default OUT/storyline.db)")] = None,
    database_url: DatabaseUrl = None,
    formats: Annotated[str, typer.Option("--format", help="Comma-separated: json,md,html")] = "json,md,html",
    sentences: Annotated[int, typer.Option("--sentences", min=1, help="Summary length in sentences")] = 5,
    words: Annotated[int | None, typer.Option("--words", min=10, help="Summary length cap in words")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar")] = False,
    engine: Annotated[
        Literal["local", "ray"],
        typer.Option("--engine", help="Where the per-article stages run: this process, or Ray Data actors"),
    ] = "local",
    address: Annotated[
        str | None,
        typer.Option(
            "--address", help="Ray cluster to join ('auto' from a cluster node; default: start one)"
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            help="Processes (local) or Ray actors for the per-article stages; each loads the models once",
        ),
    ] = 1,
    shards: Annotated[
        str | None,
        typer.Option("--shards", help="Folder or s3:// URI every Ray node reads (multi-node clusters)"),
    ] = None,
) -> None:
    """Analyze articles into a cited briefing (JSON, Markdown, HTML) and store the work in SQLite."""
    from storyline import ingest

    wanted = _formats(formats)
    settings = Settings(
        db=_store(db, database_url, default=out / "storyline.db"),
        summary_sentences=sentences,
        summary_words=words,
        engine=engine,
        ray_address=address,
        workers=workers,
        ray_shards=shards,
    )
    _write(ingest.read([str(p) for p in paths]), settings, out, wanted, quiet)


@app.command()
def render(
    db: Annotated[
        Path | None,
        typer.Option("--db", help=f"The store written by `storyline analyze` (default {DEFAULT_STORE})"),
    ] = None,
    database_url: DatabaseUrl = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for briefing.json/.md/.html")] = Path("briefing"),
    formats: Annotated[str, typer.Option("--format", help="Comma-separated: json,md,html")] = "json,md,html",
    sentences: Annotated[int, typer.Option("--sentences", min=1, help="Summary length in sentences")] = 5,
    words: Annotated[int | None, typer.Option("--words", min=10, help="Summary length cap in words")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar")] = False,
) -> None:
    """Write the briefing of every article in a store (JSON, Markdown, HTML), reading no input."""
    wanted = _formats(formats)
    store = _existing_store(db, database_url)
    settings = Settings(db=store, summary_sentences=sentences, summary_words=words)
    _write((), settings, out, wanted, quiet, whole_store=True)


def _write(
    documents: Iterable[RawDocument | InputError],
    settings: Settings,
    out: Path,
    wanted: list[str],
    quiet: bool,
    *,
    whole_store: bool = False,
) -> None:
    """Run the pipeline on `documents` and write the briefing files a story at a time; exit 3 when
    an input failed, 1 when the run or the writing could not be done."""
    from storyline.briefing import stream
    from storyline.pipeline import planned

    targets = {name: out / f"briefing.{name}" for name in wanted}
    try:
        with (
            _progress(quiet) as notify,
            planned(documents, settings, notify, whole_store=whole_store) as done,
        ):
            out.mkdir(parents=True, exist_ok=True)
            tally = stream.write_files(done.plan, targets)
    except StorylineError as exc:
        err_console.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(1) from exc
    except OSError as exc:
        err_console.print(
            f"[red]error:[/red] cannot write the briefing to {out}: {exc.strerror or exc}", highlight=False
        )
        raise typer.Exit(1) from exc
    _print_summary(tally, done.cleaned_new, done.annotated_new, list(targets.values()))
    if done.failures:
        raise typer.Exit(EXIT_INPUTS_FAILED)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="A question about the stored articles")],
    db: Annotated[
        Path | None,
        typer.Option("--db", help=f"The store written by `storyline analyze` (default {DEFAULT_STORE})"),
    ] = None,
    database_url: DatabaseUrl = None,
    sentences: Annotated[int, typer.Option("--sentences", min=1, help="At most this many sentences")] = 2,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
) -> None:
    """Answer a question from the stored articles, with the sentences and sources that support it."""
    from storyline.model import to_dict
    from storyline.pipeline import planned
    from storyline.story.ask import SentenceIndex, answer

    store = _existing_store(db, database_url)
    try:
        # The index is made from the store's articles and timelines; the briefing is never held
        # whole. Sentence vectors of earlier questions are kept in the store.
        with planned((), Settings(db=store), whole_store=True) as done:
            index = SentenceIndex.from_plan(done.plan, done.plan.cache)
            result = answer(index, question, max_sentences=sentences)
            cited = {c.article for p in result.passages for c in p.cites}
            articles = {a.id: a for a in done.plan.members.read(sorted(cited))}
    except StorylineError as exc:
        err_console.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(1) from exc
    if as_json:
        print(json.dumps(to_dict(result), ensure_ascii=False))
        return
    for passage in result.passages:
        out_console.print(" ".join(passage.text.split()), highlight=False)  # wrapped lines made one
        for cite in passage.cites:
            article = articles[cite.article]
            name = article.site or article.title or article.source
            out_console.print(
                f"    — {name}, {article.source} chars {cite.start}–{cite.end}", style="dim", highlight=False
            )


@app.command()
def serve(
    db: Annotated[
        Path | None, typer.Option("--db", help=f"The store to serve (default {DEFAULT_STORE})")
    ] = None,
    database_url: DatabaseUrl = None,
    host: Annotated[
        str, typer.Option("--host", help="Address; beyond loopback every read needs the token")
    ] = ("127.0.0.1"),
    port: Annotated[int, typer.Option("--port")] = 8000,
    token: Annotated[
        str | None,
        typer.Option("--token", envvar="STORYLINE_TOKEN", help="Token for writes (random if unset)"),
    ] = None,
) -> None:
    """Serve the web workbench and HTTP API over a store."""
    from storyline.web import serve as run_server

    run_server(str(_store(db, database_url, default=DEFAULT_STORE)), host, port, token)


@app.command("eval")
def evaluate(
    task: Annotated[str, typer.Argument(help="extraction, extraction-snippets, quotes, ner, timeline, ...")],
    data: Annotated[Path, typer.Option("--data", help="A JSONL (or CoNLL) file in the bench format")],
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Only the first N rows")] = None,
    peer: Annotated[str | None, typer.Option("--peer", help="Measure a peer tool instead")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
) -> None:
    """Measure a stage on labelled data; prints the metrics (one JSON object with --json)."""
    from storyline.evaluate import registry

    if not data.exists():
        raise typer.BadParameter(f"{data}: no such file", param_hint="--data")
    options = {"peer": peer} if peer else {}
    try:
        result = registry.run(task, str(data), limit=limit, **options)
    except (ValueError, StorylineError, ImportError) as exc:
        err_console.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(1) from exc
    if as_json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        _print_metrics(result)


def _store(db: Path | None, database_url: str | None, default: Path) -> Path | str:
    """The store a command uses: --db FILE or --database-url URL (not both), else `default`."""
    if database_url is None:
        return db or default
    if db is not None:
        raise typer.BadParameter(
            "give --db FILE or --database-url URL, not both", param_hint="--database-url"
        )
    if "://" not in database_url:
        raise typer.BadParameter(
            f"{database_url!r} is not a URL like postgresql://USER@HOST:5432/DBNAME",
            param_hint="--database-url",
        )
    return database_url


def _existing_store(db: Path | None, database_url: str | None) -> Path | str:
    """The store of a command that reads one (`_store`, default `DEFAULT_STORE`), which must exist."""
    store = _store(db, database_url, default=DEFAULT_STORE)
    if isinstance(store, Path) and not store.exists():
        raise typer.BadParameter(
            f"{store}: no such store; run `storyline analyze ... --db {store}` first", param_hint="--db"
        )
    return store


def _print_metrics(result: dict[str, object], indent: str = "") -> None:
    for key, value in result.items():
        if isinstance(value, dict):
            out_console.print(f"{indent}{key}:", highlight=False)
            _print_metrics(value, indent + "  ")
        elif isinstance(value, float):
            out_console.print(f"{indent}{key}: {value:.4f}", highlight=False)
        else:
            out_console.print(f"{indent}{key}: {value}", highlight=False)


class _progress:
    """A rich progress bar on stderr; a no-op when quiet or when stderr is not a terminal."""

    def __init__(self, quiet: bool) -> None:
        self.enabled = not quiet and sys.stderr.isatty()
        self.bar = Progress(
            TextColumn("{task.description:<9}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
        )
        self.tasks: dict[str, TaskID] = {}

    def __enter__(self):
        if self.enabled:
            self.bar.start()
        return self.notify

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self.bar.stop()

    def notify(self, phase: str, done: int, total: int | None) -> None:
        if not self.enabled:
            return
        if phase not in self.tasks:
            self.tasks[phase] = self.bar.add_task(phase, total=total)
        self.bar.update(self.tasks[phase], completed=done, total=total)


def _print_summary(tally, cleaned_new: int, annotated_new: int, written: list[Path]) -> None:
    out_console.print(
        f"[bold]{tally.articles}[/bold] articles read ({cleaned_new} new, "
        f"{annotated_new} annotated), [bold]{len(tally.failed)}[/bold] failed",
        highlight=False,
    )
    out_console.print(
        f"{tally.stories} stories · {tally.people} people · {tally.entities - tally.people} other entities · "
        f"{tally.quotes} quotes from {tally.speakers} speakers",
        highlight=False,
    )
    for title, articles, dated in tally.first_stories:
        out_console.print(f"  • {title} — {articles} articles, {dated} dated events", highlight=False)
    if tally.stories > len(tally.first_stories):
        out_console.print(f"  … and {tally.stories - len(tally.first_stories)} more stories", highlight=False)
    for failure in tally.failed[:10]:
        where = f"{failure.path}:{failure.line}" if failure.line else failure.path
        err_console.print(f"[yellow]skipped[/yellow] {where}: {failure.error}", highlight=False)
    if len(tally.failed) > 10:
        err_console.print(f"… and {len(tally.failed) - 10} more failed inputs (see briefing.json)")
    for path in written:
        out_console.print(f"wrote {path}", highlight=False)


def _formats(formats: str) -> list[str]:
    from storyline.briefing import render

    wanted = [f.strip() for f in formats.split(",") if f.strip()]
    unknown = [f for f in wanted if f not in render.names()]
    if unknown:
        raise typer.BadParameter(
            f"unknown format {', '.join(unknown)}; choose from {', '.join(render.names())}"
        )
    return wanted


# The commands kept in modules of their own register themselves on `app` when imported.
from storyline.cli import prune, watch  # noqa: E402, F401

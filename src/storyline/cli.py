"""The `storyline` command: parse flags, call the library, print. Nothing else lives here.

Exit status: 0 all inputs read; 3 the briefing was written but some inputs failed (each named on
stderr); 1 the run could not be done (a store or model error, one line saying why); 2 usage errors.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from storyline.errors import StorylineError
from storyline.settings import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Cited briefings from news articles.")
out_console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

EXIT_INPUTS_FAILED = 3


@app.callback()
def main() -> None:
    """storyline: who said what, what happened when, where the sources agree and differ."""


@app.command()
def analyze(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders: .txt .md .html .htm .jsonl")],
    out: Annotated[Path, typer.Option("--out", help="Folder for briefing.json/.md/.html")] = Path("briefing"),
    db: Annotated[Path | None, typer.Option("--db", help="SQLite file (default OUT/storyline.db)")] = None,
    formats: Annotated[str, typer.Option("--format", help="Comma-separated: json,md,html")] = "json,md,html",
    sentences: Annotated[int, typer.Option("--sentences", min=1, help="Summary length in sentences")] = 5,
    words: Annotated[int | None, typer.Option("--words", min=10, help="Summary length cap in words")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar")] = False,
) -> None:
    """Analyze articles into a cited briefing (JSON, Markdown, HTML) and store the work in SQLite."""
    from storyline.briefing import render
    from storyline.pipeline import run

    wanted = [f.strip() for f in formats.split(",") if f.strip()]
    unknown = [f for f in wanted if f not in render.names()]
    if unknown:
        raise typer.BadParameter(
            f"unknown format {', '.join(unknown)}; choose from {', '.join(render.names())}"
        )
    settings = Settings(db=db or out / "storyline.db", summary_sentences=sentences, summary_words=words)
    try:
        with _progress(quiet) as notify:
            result = run([str(p) for p in paths], settings, progress=notify)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name in wanted:
            target = out / f"briefing.{name}"
            target.write_text(render.get(name)(result.briefing), encoding="utf-8")
            written.append(target)
    except StorylineError as exc:
        err_console.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(1) from exc
    except OSError as exc:
        err_console.print(
            f"[red]error:[/red] cannot write the briefing to {out}: {exc.strerror or exc}", highlight=False
        )
        raise typer.Exit(1) from exc
    _print_summary(result, written)
    if result.failures:
        raise typer.Exit(EXIT_INPUTS_FAILED)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="A question about the stored articles")],
    db: Annotated[Path, typer.Option("--db", help="The store written by `storyline analyze`")] = Path(
        "briefing/storyline.db"
    ),
    sentences: Annotated[int, typer.Option("--sentences", min=1, help="At most this many sentences")] = 2,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
) -> None:
    """Answer a question from the stored articles, with the sentences and sources that support it."""
    from storyline.model import to_dict
    from storyline.pipeline import load
    from storyline.story.ask import SentenceIndex, answer

    if not db.exists():
        raise typer.BadParameter(
            f"{db}: no such store; run `storyline analyze ... --db {db}` first", param_hint="--db"
        )
    try:
        briefing = load(Settings(db=db))
    except StorylineError as exc:
        err_console.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(1) from exc
    result = answer(SentenceIndex.from_briefing(briefing), question, max_sentences=sentences)
    if as_json:
        print(json.dumps(to_dict(result), ensure_ascii=False))
        return
    for passage in result.passages:
        out_console.print(passage.text, highlight=False)
        for cite in passage.cites:
            article = briefing.article(cite.article)
            name = article.site or article.title or article.source
            out_console.print(
                f"    — {name}, {article.source} chars {cite.start}–{cite.end}", style="dim", highlight=False
            )


@app.command()
def serve(
    db: Annotated[Path, typer.Option("--db", help="The store to serve")] = Path("briefing/storyline.db"),
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

    run_server(str(db), host, port, token)


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
        self.tasks: dict[str, int] = {}

    def __enter__(self):  # type: ignore[no-untyped-def]
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


def _print_summary(result, written: list[Path]) -> None:  # type: ignore[no-untyped-def]
    b = result.briefing
    people = [e for e in b.entities if e.type == "PERSON"]
    speakers = {q.speaker for q in b.quotes if q.speaker}
    out_console.print(
        f"[bold]{b.inputs.ok}[/bold] articles read ({result.cleaned_new} new, "
        f"{result.annotated_new} annotated), [bold]{len(b.inputs.failed)}[/bold] failed",
        highlight=False,
    )
    out_console.print(
        f"{len(b.stories)} stories · {len(people)} people · {len(b.entities) - len(people)} other entities · "
        f"{len(b.quotes)} quotes from {len(speakers)} speakers",
        highlight=False,
    )
    for story in b.stories[:8]:
        out_console.print(
            f"  • {story.title} — {len(story.articles)} articles, {len(story.timeline)} dated events",
            highlight=False,
        )
    if len(b.stories) > 8:
        out_console.print(f"  … and {len(b.stories) - 8} more stories", highlight=False)
    for failure in b.inputs.failed[:10]:
        where = f"{failure.path}:{failure.line}" if failure.line else failure.path
        err_console.print(f"[yellow]skipped[/yellow] {where}: {failure.error}", highlight=False)
    if len(b.inputs.failed) > 10:
        err_console.print(f"… and {len(b.inputs.failed) - 10} more failed inputs (see briefing.json)")
    for path in written:
        out_console.print(f"wrote {path}", highlight=False)


if __name__ == "__main__":
    app()

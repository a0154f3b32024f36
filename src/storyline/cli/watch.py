"""`storyline watch`: poll feeds and pages, store what is new, rewrite the briefing after each poll."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from storyline.cli import (
    DEFAULT_STORE,
    EXIT_INPUTS_FAILED,
    DatabaseUrl,
    _formats,
    _progress,
    _store,
    app,
    err_console,
    out_console,
)
from storyline.errors import StorylineError
from storyline.settings import Settings


@app.command()
def watch(
    watchlist: Annotated[Path, typer.Argument(help="A file of RSS/Atom feed and page URLs, one per line")],
    db: Annotated[Path | None, typer.Option("--db", help="The SQLite store to add to")] = None,
    database_url: DatabaseUrl = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for briefing.json/.md/.html")] = Path("briefing"),
    every: Annotated[str, typer.Option("--every", help="Time between polls: 90s, 15m, 2h")] = "15m",
    once: Annotated[bool, typer.Option("--once", help="Poll once, write the briefing, exit")] = False,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="Also fetch from loopback/private/link-local addresses")
    ] = False,
    delay: Annotated[
        float, typer.Option("--delay", min=0, help="Seconds between requests to one host")
    ] = 1.0,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.1, help="Seconds to connect or wait for data")
    ] = 10.0,
    max_mb: Annotated[float, typer.Option("--max-mb", min=0.001, help="Largest response read, in MB")] = 10.0,
    state: Annotated[
        Path | None, typer.Option("--state", help="Watch state file (default DB.watch.json)")
    ] = None,
    formats: Annotated[str, typer.Option("--format", help="Comma-separated: json,md,html")] = "json,md,html",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar")] = False,
) -> None:
    """Poll feeds and pages (conditional GET, robots.txt, per-host delay); store new articles and
    rewrite the briefing after each poll. Exit status with --once: 0, or 3 when some URL failed."""
    import time

    from storyline.fetch.client import FetchPolicy
    from storyline.fetch.state import WatchState, state_path
    from storyline.fetch.watch import parse_every, poll

    wanted = _formats(formats)
    try:
        interval = parse_every(every)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--every") from exc
    if not watchlist.is_file():
        raise typer.BadParameter(f"{watchlist}: no such file", param_hint="WATCHLIST")
    target = _store(db, database_url, DEFAULT_STORE)
    if state is None and "://" in str(target):
        raise typer.BadParameter(
            "with --database-url, give --state FILE for the watch state", param_hint="--state"
        )
    settings = Settings(db=target)
    policy = FetchPolicy(
        allow_private=allow_private,
        timeout=timeout,
        total_timeout=max(60.0, 6 * timeout),  # a whole page, however it trickles in
        max_bytes=int(max_mb * 1024 * 1024),
        delay=delay,
    )
    state_file = state or state_path(Path(target))
    targets = {name: out / f"briefing.{name}" for name in wanted}
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        err_console.print(f"[red]error:[/red] cannot write the briefing to {out}: {exc.strerror or exc}")
        raise typer.Exit(1) from exc
    try:
        while True:
            try:
                with _progress(quiet) as notify:
                    result = poll(watchlist, settings, policy, WatchState.load(state_file), targets, notify)
            except OSError as exc:
                err_console.print(
                    f"[red]error:[/red] cannot write the briefing to {out}: {exc.strerror or exc}",
                    highlight=False,
                )
                status = 1
            except StorylineError as exc:
                # Without --once the next poll may succeed (a locked store, a full disk freed).
                err_console.print(f"[red]error:[/red] {exc}", highlight=False)
                status = 1
            else:
                _print_poll(result, list(targets.values()))
                status = EXIT_INPUTS_FAILED if result.written.failed else 0
            if once:
                raise typer.Exit(status)
            time.sleep(interval)
    except KeyboardInterrupt:
        # Articles are stored batch by batch and the state is saved after them: nothing is lost.
        err_console.print("stopped; what was stored stays stored")


def _print_poll(result, written: list[Path]) -> None:
    import time

    b = result.written
    out_console.print(
        f"{time.strftime('%H:%M:%S')} [bold]{result.new_articles}[/bold] new articles "
        f"({result.fetched} pages fetched, {result.unchanged} unchanged), "
        f"[bold]{len(b.failed)}[/bold] failed · {b.articles} articles in {b.stories} stories",
        highlight=False,
    )
    for failure in b.failed:
        where = f"{failure.path}:{failure.line}" if failure.line else failure.path
        err_console.print(f"[yellow]skipped[/yellow] {where}: {failure.error}", highlight=False)
    for path in written:
        out_console.print(f"wrote {path}", highlight=False)

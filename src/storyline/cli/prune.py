"""`storyline prune`: delete from a store what no run of this version reads any more."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from storyline.cli import DEFAULT_STORE, DatabaseUrl, _existing_store, app, err_console, out_console
from storyline.errors import StorylineError


@app.command()
def prune(
    db: Annotated[
        Path | None,
        typer.Option("--db", help=f"The store written by `storyline analyze` (default {DEFAULT_STORE})"),
    ] = None,
    database_url: DatabaseUrl = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count what would go, delete nothing")] = False,
) -> None:
    """Delete what an upgrade left in a store: replaced articles, older versions' annotations.

    A newer cleaner or annotator keeps its results beside the old ones (no run lists or reads the
    old ones); this deletes them and compacts a SQLite file. Worked-out stories are kept.
    """
    from storyline import annotate
    from storyline.clean.article import CLEAN_VERSION
    from storyline.store import Store

    target = _existing_store(db, database_url)
    try:
        store = Store.open(target)
        try:
            done = store.prune(CLEAN_VERSION, annotate.installed_version(), dry_run=dry_run)
        finally:
            store.close()
    except StorylineError as exc:
        err_console.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(1) from exc
    verb = "would delete" if dry_run else "deleted"
    out_console.print(
        f"{verb} [bold]{done.articles}[/bold] replaced articles, {done.documents} input records, "
        f"[bold]{done.annotations}[/bold] annotations of other versions",
        highlight=False,
    )
    if done.size_before is not None and done.size_after is not None and not dry_run:
        out_console.print(
            f"{store.database}: {done.size_before / 1e6:.1f} MB -> {done.size_after / 1e6:.1f} MB",
            highlight=False,
        )

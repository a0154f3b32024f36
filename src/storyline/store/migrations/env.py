"""Alembic's entry point for the store's migrations, run by `storyline.store.migrate`.

`migrate.upgrade` passes the open connection in `config.attributes["connection"]`, so a migration
runs inside the caller's transaction. SQLite gets batch mode: it can only alter a table by copying it.
"""

from __future__ import annotations

from alembic import context

from storyline.store import schema

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=schema.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()

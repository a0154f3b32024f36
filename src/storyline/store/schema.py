"""The store's tables (SQLAlchemy Core), shared by SQLite and PostgreSQL.

Per-article work is stored by content: `documents` maps the hash of an input's bytes to the
article it cleaned to, `articles` holds cleaned articles by id (a hash of their text), and
`annotations` holds what the per-article stages found, keyed by article id and pipeline version.

There is no `from __future__ import annotations` here: it would bind the name `annotations`,
which in this module is a table.
"""

from sqlalchemy import Column, Integer, MetaData, String, Table, Text

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("raw_hash", String(64), primary_key=True),
    Column("clean_version", String(32), primary_key=True),
    Column("article_id", String(32), nullable=False, index=True),
)

articles = Table(
    "articles",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("source", Text, nullable=False),
    Column("title", Text),
    Column("site", Text),
    Column("published", String(10), index=True),
    Column("language", String(8)),
    Column("body", Text, nullable=False),  # the Article as JSON
    Column("seq", Integer, nullable=False, index=True),  # insertion order, for stable listings
)

annotations = Table(
    "annotations",
    metadata,
    Column("article_id", String(32), primary_key=True),
    Column("version", String(160), primary_key=True),
    Column("body", Text, nullable=False),  # the Annotation as JSON
)

story_results = Table(
    "story_results",
    metadata,
    Column("key", String(64), primary_key=True),  # storyline.briefing.stories.story_key
    Column("body", Text, nullable=False),  # the StoryResult as JSON
)

"""The first schema: documents, articles and annotations by content hash, and a key-value meta table.

Revision ID: 0001
Revises:
Create Date: 2026-11-23

Stores made before migrations existed hold exactly these tables; `migrate.upgrade` stamps them with
this revision instead of creating anything.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "documents",
        sa.Column("raw_hash", sa.String(64), primary_key=True),
        sa.Column("clean_version", sa.String(32), primary_key=True),
        sa.Column("article_id", sa.String(32), nullable=False),
    )
    op.create_index("ix_documents_article_id", "documents", ["article_id"])
    op.create_table(
        "articles",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("site", sa.Text),
        sa.Column("published", sa.String(10)),
        sa.Column("language", sa.String(8)),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
    )
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_index("ix_articles_seq", "articles", ["seq"])
    op.create_table(
        "annotations",
        sa.Column("article_id", sa.String(32), primary_key=True),
        sa.Column("version", sa.String(160), primary_key=True),
        sa.Column("body", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("annotations", "articles", "documents", "meta"):
        op.drop_table(table)

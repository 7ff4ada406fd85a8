"""Initial schema: articles, pages, crawl_runs, rejects.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("site", sa.String(64), nullable=False, index=True),
        sa.Column("url", sa.Text, nullable=False, unique=True),
        sa.Column("title", sa.Text),
        sa.Column("published_at", sa.String(32), index=True),
        sa.Column("source", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("editor", sa.Text),
        sa.Column("section", sa.Text),
        sa.Column("body", sa.Text),
        sa.Column("body_html", sa.Text),
        sa.Column("images", sa.Text, nullable=False),
        sa.Column("views", sa.Integer),
        sa.Column("script", sa.String(8)),
        sa.Column("content_hash", sa.String(64), index=True),
        sa.Column("cluster_id", sa.Integer, index=True),
        sa.Column("extraction_method", sa.String(16), nullable=False),
        sa.Column("first_seen_at", sa.String(32), nullable=False),
        sa.Column("last_seen_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "pages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", sa.Text, nullable=False, unique=True),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("headers", sa.Text, nullable=False),
        sa.Column("fetched_at", sa.String(32), nullable=False),
        sa.Column("body_zlib", sa.LargeBinary, nullable=False),
        sa.Column("body_sha1", sa.String(40), nullable=False),
    )
    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("spider", sa.String(64), nullable=False, index=True),
        sa.Column("started_at", sa.String(32), nullable=False),
        sa.Column("finished_at", sa.String(32)),
        sa.Column("finish_reason", sa.String(64)),
        sa.Column("pages_fetched", sa.Integer, nullable=False),
        sa.Column("articles_new", sa.Integer, nullable=False),
        sa.Column("articles_updated", sa.Integer, nullable=False),
        sa.Column("articles_unchanged", sa.Integer, nullable=False),
        sa.Column("rejects", sa.Integer, nullable=False),
        sa.Column("generic_fallbacks", sa.Integer, nullable=False),
        sa.Column("errors", sa.Integer, nullable=False),
        sa.Column("stats", sa.Text),
        sa.Column("alarms", sa.Text, nullable=False),
    )
    op.create_table(
        "rejects",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("crawl_runs.id")),
        sa.Column("spider", sa.String(64), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_rejects_spider_url", "rejects", ["spider", "url"])


def downgrade() -> None:
    op.drop_table("rejects")
    op.drop_table("crawl_runs")
    op.drop_table("pages")
    op.drop_table("articles")

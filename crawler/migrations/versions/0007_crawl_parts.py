"""Per-worker parts of a crawl shared by several workers (one ``crawl_runs`` row per crawl).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "crawl_parts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("crawl_runs.id"), nullable=False, index=True),
        sa.Column("worker", sa.String(200), nullable=False),
        sa.Column("started_at", sa.String(32), nullable=False),
        sa.Column("finished_at", sa.String(32)),
        sa.Column("finish_reason", sa.String(64)),
        sa.Column("pages_fetched", sa.Integer, nullable=False, server_default="0"),
        sa.Column("articles_new", sa.Integer, nullable=False, server_default="0"),
        sa.Column("articles_updated", sa.Integer, nullable=False, server_default="0"),
        sa.Column("articles_unchanged", sa.Integer, nullable=False, server_default="0"),
        sa.Column("rejects", sa.Integer, nullable=False, server_default="0"),
        sa.Column("generic_fallbacks", sa.Integer, nullable=False, server_default="0"),
        sa.Column("errors", sa.Integer, nullable=False, server_default="0"),
        sa.Column("stats", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("crawl_parts")

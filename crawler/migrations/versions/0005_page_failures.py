"""Pages that did not become articles, with their attempts and next try.

A passing failure (network error, 5xx, 429, a truncated or empty body, a database that
could not be written) is fetched again by later runs until ``FAILURE_MAX_ATTEMPTS``;
a page rejected for its content stays until a reparse or a refresh says otherwise.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "page_failures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer),
        sa.Column("spider", sa.String(64), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("first_failed_at", sa.String(32), nullable=False),
        sa.Column("last_failed_at", sa.String(32), nullable=False),
        sa.Column("next_try_at", sa.String(32)),
        sa.Column("request", sa.Text, nullable=False),
    )
    op.create_index("ix_page_failures_spider_url", "page_failures", ["spider", "url"], unique=True)
    op.create_index("ix_page_failures_due", "page_failures", ["spider", "state", "next_try_at"])


def downgrade() -> None:
    op.drop_table("page_failures")

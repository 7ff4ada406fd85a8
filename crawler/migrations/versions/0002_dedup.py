"""Near-duplicate index: MinHash signatures and LSH band keys.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dedup_signatures",
        sa.Column("article_id", sa.Integer,
                  sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("content_hash", sa.String(64)),
        sa.Column("params", sa.String(64), nullable=False),
        sa.Column("signature", sa.LargeBinary),
    )
    op.create_table(
        "dedup_bands",
        sa.Column("bucket", sa.BigInteger, primary_key=True),
        sa.Column("article_id", sa.Integer, primary_key=True),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("dedup_bands")
    op.drop_table("dedup_signatures")

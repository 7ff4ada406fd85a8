"""Where each article field came from: ``articles.field_sources``, JSON text.

Page readers record, per field, the evidence they took it from (``site:…``, the
dialect's name, ``page:…`` or ``generic``); rows stored before have none (NULL).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("field_sources", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("articles", "field_sources")

"""The store keeps the search index itself; PostgreSQL gets one, and JSONB columns.

SQLite: the insert and update triggers of 0003 go (they called a Python function per
row); the store now writes the index text of each batch it stores.  The delete
trigger stays, so that a row deleted outside the store leaves the index.
PostgreSQL: ``search_documents`` holds each article's ``tsvector`` (``simple``
configuration, the project's own bigram tokens) under a GIN index.  It was filled for the
existing articles here; revision 0011 replaces it, so it is created empty now.  JSON text
columns become JSONB.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# The triggers of 0003, for a downgrade.
_INSERT = ("INSERT INTO articles_fts (rowid, title, body) "
           "VALUES (new.id, zh_index_text(new.title), zh_index_text(new.body));")
_DELETE = ("INSERT INTO articles_fts (articles_fts, rowid, title, body) "
           "VALUES ('delete', old.id, zh_index_text(old.title), zh_index_text(old.body));")
JSON_COLUMNS = (("articles", "images"), ("articles", "field_sources"), ("pages", "headers"), ("crawl_runs", "stats"),
                ("crawl_runs", "alarms"))


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS articles_fts_insert")
        op.execute("DROP TRIGGER IF EXISTS articles_fts_update")
    elif dialect == "postgresql":
        op.create_table(
            "search_documents",
            sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"),
                      primary_key=True),
            sa.Column("document", TSVECTOR, nullable=False),
        )
        op.create_index("ix_search_documents_document", "search_documents", ["document"],
                        postgresql_using="gin")
        for table, column in JSON_COLUMNS:
            op.alter_column(table, column, type_=JSONB, postgresql_using=f"{column}::jsonb")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for table, column in JSON_COLUMNS:
            op.alter_column(table, column, type_=sa.Text, postgresql_using=f"{column}::text")
        op.drop_table("search_documents")
    elif dialect == "sqlite":
        op.execute(f"CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN {_INSERT} END")
        op.execute("CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body ON articles "
                   "WHEN old.title IS NOT new.title OR old.body IS NOT new.body "
                   f"BEGIN {_DELETE} {_INSERT} END")

"""PostgreSQL searches the articles' own text, under a GIN index of its characters and words.

``search_documents`` (a ``tsvector`` of bigrams with their positions under a GIN index)
was 4.4 times the text it indexes, and kept at most 256 positions of a bigram and none
past the 16,383rd token.  It goes.  A GIN index over an expression of ``articles``
(``zh_lexemes``: the distinct characters and ASCII words of the title and body) now
narrows a query, and each term is looked for in the text itself (``crawler.search``).
``search_texts`` holds the token text of the articles whose own characters are not their
normalised tokens (Traditional characters, full-width or accented letters), under a GIN
index of its own (``zh_token_lexemes``); this upgrade fills it from the stored articles.
SQLite is unchanged.  A downgrade leaves ``search_documents`` empty: ``crawler search
--reindex`` of the older version fills it.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import TSVECTOR

from crawler.search import LEXEMES_SQL, TOKEN_LEXEMES_SQL

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _function(name: str, body: str) -> str:
    return (f"CREATE FUNCTION {name}(title text, body text) RETURNS tsvector "
            f"LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $${body}$$")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_table("search_documents")
    op.execute(_function("zh_lexemes", LEXEMES_SQL))
    op.execute(_function("zh_token_lexemes", TOKEN_LEXEMES_SQL))
    op.create_table(
        "search_texts",
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
    )
    from crawler.storage.search_index import rebuild  # here: alembic loads every revision at each open

    rebuild(op.get_bind())
    # A pending list of 1 MB, not 4: the pages a merged list leaves stay in the index, and a
    # search reads the whole list (3,000 articles stored in batches: 0.35 against 0.57 of their
    # text, the insert time within noise).
    op.execute("CREATE INDEX ix_articles_search ON articles USING gin (zh_lexemes(title, body)) "
               "WITH (gin_pending_list_limit = 1024)")
    op.execute("CREATE INDEX ix_search_texts_search ON search_texts USING gin (zh_token_lexemes(title, body))")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_table("search_texts")
    op.drop_index("ix_articles_search", "articles")
    op.execute("DROP FUNCTION zh_lexemes(text, text)")
    op.execute("DROP FUNCTION zh_token_lexemes(text, text)")
    op.create_table(
        "search_documents",
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("document", TSVECTOR, nullable=False),
    )
    op.create_index("ix_search_documents_document", "search_documents", ["document"], postgresql_using="gin")

"""Full-text index of article titles and bodies, kept in sync by triggers.

The index stores its own segmented copy of the text (see ``crawler.search``), so
deleting an article needs no SQL function, and a plain ``sqlite3`` shell can delete
rows; inserting or changing title or body needs ``zh_index_text``, which the store
registers on its connections.  SQLite only: other databases get no index.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

from crawler.search import register_functions

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    register_functions(bind.connection.driver_connection)
    op.execute("CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, tokenize='unicode61')")
    op.execute("INSERT INTO articles_fts (rowid, title, body) "
               "SELECT id, zh_index_text(title), zh_index_text(body) FROM articles")
    op.execute("""
        CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts (rowid, title, body)
            VALUES (new.id, zh_index_text(new.title), zh_index_text(new.body));
        END""")
    op.execute("""
        CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body ON articles
        WHEN old.title IS NOT new.title OR old.body IS NOT new.body BEGIN
            UPDATE articles_fts SET title = zh_index_text(new.title), body = zh_index_text(new.body)
            WHERE rowid = new.id;
        END""")
    op.execute("""
        CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
            DELETE FROM articles_fts WHERE rowid = old.id;
        END""")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in ("articles_fts_insert", "articles_fts_update", "articles_fts_delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS articles_fts")

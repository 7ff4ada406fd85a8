"""Full-text index of article titles and bodies, kept in sync by triggers.

The index is contentless (see ``crawler.search``), so every trigger, the delete one
too, calls ``zh_index_text``, which the store registers on its connections; a plain
``sqlite3`` shell can read and search but not change ``articles``.  SQLite only:
other databases get no index.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

from crawler.search import rebuild_index

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_INSERT = ("INSERT INTO articles_fts (rowid, title, body) "
           "VALUES (new.id, zh_index_text(new.title), zh_index_text(new.body));")
_DELETE = ("INSERT INTO articles_fts (articles_fts, rowid, title, body) "
           "VALUES ('delete', old.id, zh_index_text(old.title), zh_index_text(old.body));")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    op.execute("CREATE VIRTUAL TABLE articles_fts USING fts5("
               "title, body, content='', prefix='1', tokenize='unicode61')")
    rebuild_index(bind.connection.driver_connection)
    op.execute(f"CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN {_INSERT} END")
    op.execute("CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body ON articles "
               f"WHEN old.title IS NOT new.title OR old.body IS NOT new.body BEGIN {_DELETE} {_INSERT} END")
    op.execute(f"CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN {_DELETE} END")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in ("articles_fts_insert", "articles_fts_update", "articles_fts_delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS articles_fts")

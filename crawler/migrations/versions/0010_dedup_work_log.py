"""The clustering finds its work without reading every stored article.

It used to compare every article with its index entry (no signature, another content
hash) and look for index entries and cluster ids left by deleted articles, scans of the
whole corpus at every spider close: 0.4 s at 100k articles, for a run of ten new ones as
for one of thousands.  Now:

- an article the clustering has yet to see is one without a cluster id: the store clears
  ``cluster_id`` when an article's content hash changes, and this revision clears it
  where the old comparison would have found work;
- a deleted article is written to ``dedup_deletions`` by a trigger, whatever deletes it
  (the store, sqlite3, psql), with the cluster it was in; this revision lists there the
  deletions the old scans would have found.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_RECORD = "INSERT INTO dedup_deletions (article_id, cluster_id) VALUES (OLD.id, OLD.cluster_id)"


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    same = "IS" if sqlite else "IS NOT DISTINCT FROM"
    op.execute("UPDATE articles SET cluster_id = NULL WHERE cluster_id IS NOT NULL AND NOT EXISTS ("
               "SELECT 1 FROM dedup_signatures s WHERE s.article_id = articles.id "
               f"AND s.content_hash {same} articles.content_hash)")
    op.create_table(
        "dedup_deletions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, nullable=False),
        sa.Column("cluster_id", sa.Integer),
    )
    op.execute("INSERT INTO dedup_deletions (article_id) SELECT s.article_id FROM dedup_signatures s "
               "WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = s.article_id)")
    op.execute("INSERT INTO dedup_deletions (article_id, cluster_id) SELECT DISTINCT a.cluster_id, a.cluster_id "
               "FROM articles a WHERE a.cluster_id IS NOT NULL "
               "AND NOT EXISTS (SELECT 1 FROM articles c WHERE c.id = a.cluster_id)")
    if sqlite:
        op.execute(f"CREATE TRIGGER dedup_article_deleted AFTER DELETE ON articles BEGIN {_RECORD}; END")
    else:
        op.execute("CREATE FUNCTION dedup_record_deletion() RETURNS trigger LANGUAGE plpgsql AS "
                   f"$$ BEGIN {_RECORD}; RETURN OLD; END $$")
        op.execute("CREATE TRIGGER dedup_article_deleted AFTER DELETE ON articles "
                   "FOR EACH ROW EXECUTE FUNCTION dedup_record_deletion()")


def downgrade() -> None:
    """The older scans find what the log would have told: only the log goes."""
    op.execute("DROP TRIGGER IF EXISTS dedup_article_deleted" +
               ("" if op.get_bind().dialect.name == "sqlite" else " ON articles"))
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP FUNCTION IF EXISTS dedup_record_deletion()")
    op.drop_table("dedup_deletions")

"""Datasette plugin: Chinese full-text search on the corpus database.

Loaded with ``corpus.py`` from ``--plugins-dir crawler/datasette_plugins`` (what
``crawler datasette`` passes).  It adds the SQL functions of
``crawler.search`` (for the canned ``search`` query) and, on databases that have the
``articles_fts`` index, replaces Datasette's ``escape_fts`` so that the table search
box sends Chinese terms of any length to the index as phrases of its characters.
"""

from datasette import hookimpl

from crawler.search import INDEX_TABLE, match_expression, register_functions


@hookimpl(trylast=True)  # after Datasette's own escape_fts, so that this one wins
def prepare_connection(conn):
    register_functions(conn)
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (INDEX_TABLE,)).fetchone():
        conn.create_function("escape_fts", 1, match_expression, deterministic=True)

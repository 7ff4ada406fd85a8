"""Chinese full-text search: substrings of any length, all terms required, ranked, in sync."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from itertools import count

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from crawler.cli import main
from crawler.search import MARK, fts_tokens, register_functions, terms
from crawler.storage import Store, make_engine, migrate
from tests.conftest import rows

ARTICLES = [
    dict(site="a", url="https://a.example/1", title="民警破获电信诈骗案", published_at="2024-03-05T10:00:00+08:00",
         body="近日，某区公安分局民警成功破获一起电信网络诈骗案件。\n群众损失已挽回。"),
    dict(site="b", url="https://b.example/2", title="平安建设工作会议召开", published_at="2023-12-01T09:00:00+08:00",
         body="会议强调，要扎实推进平安建设，防范诈骗。"),
    dict(site="c", url="https://c.example/3", title="警方破獲集團", published_at="2024-01-02T08:00:00+08:00",
         body="臺北市警察局破獲一個電信詐騙集團。"),
    dict(site="a", url="https://a.example/4", title="交通安全宣传", published_at="2024-02-02T08:00:00+08:00",
         body="交警走进校园，开展5G网络安全宣传。"),
]


@pytest.fixture
def store(database_url):
    store = Store.migrated(database_url)
    store.upsert_articles(ARTICLES)
    yield store
    store.close()


def urls(store, query, **filters):
    return {hit.url for hit in store.search(query, limit=100, **filters)}


def execute(store, sql):
    """Change rows behind the store's back, as a SQL shell would."""
    engine = create_engine(store.url)
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            register_functions(connection.connection.driver_connection)  # the delete trigger's
        connection.execute(text(sql))
    engine.dispose()


@pytest.mark.parametrize("query, expected", [
    ("骗", {1, 2, 3}),                 # one character, also inside Traditional 詐騙
    ("诈骗", {1, 2, 3}),               # the two-character case trigram indexes miss
    ("派出所", set()),
    ("电信网络", {1}),
    ("损失已挽回", {1}),
    ("诈骗 民警", {1}),                # every term must match
    ("诈骗 平安 会议", {2}),
    ("5G网络", {4}),
    ("5g", {4}),
    ("骗民", set()),                   # not across punctuation: 诈骗，民警 is not 骗民
    ("。", set()),
])
def test_substrings_of_any_length_match(store, query, expected):
    assert urls(store, query) == {ARTICLES[n - 1]["url"] for n in expected}


def test_simplified_and_traditional_find_each_other(store):
    assert urls(store, "警察局") == {"https://c.example/3"}
    assert urls(store, "詐騙 民警") == {"https://a.example/1"}


def test_title_hits_rank_above_body_hits(store):
    hits = store.search("诈骗")
    assert hits[0].url == "https://a.example/1"  # 诈骗 in its title; the others only in the body


def test_snippet_marks_terms_in_the_stored_text(store):
    [hit] = store.search("电信 集团")
    assert hit.url == "https://c.example/3"
    assert f"{MARK[0]}電信{MARK[1]}" in hit.snippet and f"{MARK[0]}集團{MARK[1]}" in hit.snippet


def test_site_and_since_filters(store):
    assert urls(store, "诈骗", site="b") == {"https://b.example/2"}
    assert urls(store, "诈骗", since="2024-01-01") == {"https://a.example/1", "https://c.example/3"}


def test_index_follows_updates_and_deletes(store):
    store.upsert_articles([dict(ARTICLES[1], title="禁毒宣传周启动", body="禁毒知识进社区。")])
    assert urls(store, "平安建设") == set()
    assert urls(store, "禁毒") == {"https://b.example/2"}
    store.upsert_articles([dict(ARTICLES[1], title="禁毒宣传周启动", body="禁毒知识进社区。", views=7)])
    assert urls(store, "禁毒") == {"https://b.example/2"}
    execute(store, "DELETE FROM articles WHERE url = 'https://c.example/3'")
    assert urls(store, "诈骗") == {"https://a.example/1"}
    if store.dialect == "sqlite":
        connection = sqlite3.connect(store.url.removeprefix("sqlite:///"))
        connection.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")  # raises if not
        assert connection.execute("SELECT count(*) FROM articles_fts").fetchone() == (3,)
    else:  # the Traditional page's token text went with it
        assert rows(store.url, "SELECT count(*) AS n FROM search_texts") == [{"n": 0}]


def test_changing_other_columns_does_not_touch_the_index(store):
    engine = create_engine(store.url)  # no zh_index_text on this connection
    with engine.begin() as connection:
        connection.execute(text("UPDATE articles SET cluster_id = 1, views = 5"))
    engine.dispose()
    assert urls(store, "诈骗 民警") == {"https://a.example/1"}


def test_upgrade_indexes_existing_articles(database_url):
    engine = make_engine(database_url)
    migrate(engine, "0002")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO articles (site, url, title, body, images, extraction_method, first_seen_at, "
            "last_seen_at, updated_at) VALUES ('a', 'u', '旧文章', '反诈宣传', '[]', 'site', 't', 't', 't'), "
            "('a', 'v', '舊文章', '反詐宣傳', '[]', 'site', 't', 't', 't')")
    engine.dispose()
    store = Store.migrated(database_url)
    assert urls(store, "反诈") == {"u", "v"}  # on PostgreSQL the Traditional one is read in search_texts
    store.close()


def test_searching_does_not_migrate(database_url, capsys):
    engine = make_engine(database_url)
    migrate(engine, "0003")
    engine.dispose()
    assert main(["search", "反诈", "--db", database_url]) == 1
    assert "crawler migrate" in capsys.readouterr().err


HAN = "诈骗民警公安平建设电信网络案件群众的了"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.text(alphabet=HAN + "，。", min_size=1, max_size=40), data=st.data())
def test_any_substring_is_found_and_nothing_else(store, body, data):
    url = f"https://p.example/{next(_numbers)}"
    store.upsert_articles([dict(site="p", url=url, title=None, body=body)])
    start = data.draw(st.integers(0, len(body) - 1))
    piece = body[start:data.draw(st.integers(start + 1, len(body)))]
    assume(any(ch in HAN for ch in piece))
    assert url in urls(store, piece, site="p")
    other = data.draw(st.text(alphabet=HAN, min_size=1, max_size=4))
    assert (url in urls(store, other, site="p")) == (other in body)


_numbers = count()


def test_search_command_prints_hits(store, capsys):
    assert main(["search", "诈骗 民警", "--db", store.url]) == 0
    out = capsys.readouterr().out
    assert "民警破获电信诈骗案" in out and "https://a.example/1" in out and "2024-03-05" in out
    assert out.rstrip().endswith("1 hit")


@pytest.mark.parametrize("query", ["诈骗", "骗", "网络 安全", "警察局", "5g"])
def test_search_command_finds_what_the_store_finds(store, query, capsys):
    """The command reads a SQLite file on sqlite3 and PostgreSQL on psycopg, not through the store."""
    assert main(["search", query, "--db", store.url, "--limit", "100"]) == 0
    printed = [line.split()[-1] for line in capsys.readouterr().out.splitlines() if line.startswith("   ")
               and line.split()[-1].startswith("https://")]
    assert printed == [hit.url for hit in store.search(query, limit=100)]


def test_search_command_on_either_backend_does_not_import_sqlalchemy(database_url):
    """Importing SQLAlchemy costs more than the search (half of a second on PostgreSQL)."""
    store = Store.migrated(database_url)
    store.upsert_articles(ARTICLES)
    store.close()
    script = ("import sys; from crawler.cli import main; code = main(['search', '诈骗', '--db', sys.argv[1]]); "
              "sys.exit(code or 3 * any(name.startswith('sqlalchemy') for name in sys.modules))")
    done = subprocess.run([sys.executable, "-c", script, database_url], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "3 hits" in done.stdout


def test_search_command_names_a_postgresql_database_it_cannot_reach_without_its_password(postgres_url, capsys):
    missing = make_url(postgres_url).set(password="secret", database="zhengfa_no_such_database").render_as_string(
        hide_password=False)
    assert main(["search", "平安", "--db", missing]) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith("crawler search: postgresql+psycopg://") and "zhengfa_no_such_database" in error
    assert "secret" not in error and len(error.splitlines()) == 1


def test_search_command_refuses_a_file_that_is_not_a_database(tmp_path, capsys):
    path = tmp_path / "notes.db"
    path.write_text("平安建设\n" * 100, encoding="utf-8")
    assert main(["search", "平安", "--db", f"sqlite:///{path}"]) == 1
    assert capsys.readouterr().err.strip() == f"crawler search: {path}: file is not a database"


def test_search_command_rejects_an_empty_query(store, capsys):
    assert main(["search", "。", "--db", store.url]) == 2
    assert "give a query" in capsys.readouterr().err


def test_reindex_rebuilds_a_lost_index(store, capsys):
    """On PostgreSQL only the token texts can be lost: the GIN index is over the articles' own text."""
    sqlite = store.dialect == "sqlite"
    execute(store, "INSERT INTO articles_fts (articles_fts) VALUES ('delete-all')" if sqlite
            else "DELETE FROM search_texts")
    assert urls(store, "诈骗") == (set() if sqlite else {"https://a.example/1", "https://b.example/2"})
    assert main(["search", "--reindex", "--db", store.url]) == 0
    assert urls(store, "诈骗") == {"https://a.example/1", "https://b.example/2", "https://c.example/3"}


# Ranges whose characters Unicode 6.1 (the tables of unicode61) already had.
_LETTERS = st.one_of(*(st.characters(min_codepoint=low, max_codepoint=high, blacklist_categories=("Cn", "Cs"))
                       for low, high in ((0x20, 0x36f), (0x386, 0x3ce), (0x1e00, 0x1eff),
                                         (0x3000, 0x303f), (0x4e00, 0x9fcb), (0xff01, 0xffee))))


@settings(max_examples=200, deadline=None)
@given(value=st.text(alphabet=_LETTERS, max_size=60))
def test_postgresql_tokens_are_the_tokens_of_sqlite_fts5(value):
    """The tsvector of PostgreSQL is built from these tokens: they must be unicode61's own."""
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61')")
    connection.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    connection.execute("INSERT INTO t VALUES (?)", (value,))
    expected = [term for term, in connection.execute("SELECT term FROM v ORDER BY offset")]
    assert fts_tokens(value) == expected


@pytest.mark.parametrize("body, query, found", [
    ("ab网 b", "b网", False),        # a word ends where letters end, not inside "ab"
    ("ab网", "ab网", True),
    ("警民", "警，民", False),       # a run that ends is followed by no Han character
    ("警，民", "警。民", True),      # what lies between two runs does not matter
    ("5G，网络", "5g网络", True),    # nor between a word and a run
    ("5G abc 网络", "5g网络", False), # but nothing else may
    ("covid-19", "covid19", False),
    ("covid-19疫情", "19疫 covid", True),
    ("Ａ级景区", "a级", True),       # full-width letters and Traditional characters are read as their normal forms
    ("電信網絡", "电信网", True),
    ("電信網絡", "网络电信", False),
])
def test_terms_match_the_tokens_of_the_text(database_url, body, query, found):
    store = Store.migrated(database_url)
    store.upsert_articles([dict(site="t", url="https://t.example/1", title=None, body=body)])
    assert bool(urls(store, query)) is found
    store.close()


# Text PostgreSQL reads as it stands (Simplified Han characters, ASCII letters and digits,
# separators of both widths), and text with what it must not: Traditional characters,
# full-width and accented letters.
OWN = "诈骗民警网络安全aBz09，。 -_\u3000"
MIXED = OWN + "網絡Ａé"


@pytest.fixture
def both_backends(postgres_url, tmp_path):
    stores = [Store.migrated(f"sqlite:///{tmp_path / 'news.db'}"), Store.migrated(postgres_url)]
    yield stores
    for store in stores:
        store.close()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.text(alphabet=OWN, min_size=1, max_size=30) | st.text(alphabet=MIXED, min_size=1, max_size=30),
                      min_size=1, max_size=4), data=st.data())
def test_postgresql_finds_what_sqlite_finds(both_backends, texts, data):
    """PostgreSQL reads most articles' own text and others' token text; SQLite reads FTS5's tokens."""
    site = f"m{next(_numbers)}"
    articles = [dict(site=site, url=f"https://{site}.example/{n}", title=text[:n], body=text)
                for n, text in enumerate(texts)]
    piece = data.draw(st.sampled_from(texts))
    start = data.draw(st.integers(0, len(piece) - 1))
    query = " ".join([piece[start:data.draw(st.integers(start + 1, len(piece)))],
                      *data.draw(st.lists(st.text(alphabet=MIXED.replace(" ", ""), min_size=1, max_size=3),
                                          max_size=1))])
    assume(terms(query))
    found = []
    for store in both_backends:
        store.upsert_articles(articles)
        found.append(urls(store, query, site=site))
    assert found[0] == found[1]


def test_postgresql_search_narrows_by_the_gin_indexes_even_for_a_term_in_every_article(postgres_url):
    """Without the plan setting the planner scans every article for a common term, computing
    each one's lexemes anew (what the GIN index holds), six times slower at 20,000 articles."""
    import psycopg

    from crawler.storage.search_query import POSTGRES_PLAN, postgres_conninfo, psycopg_sql, statement

    store = Store.migrated(postgres_url)
    store.upsert_articles([dict(site="s", url=f"https://s.example/{n}", title="平安", body="平安建设" * 50)
                           for n in range(300)])
    store.close()
    sql, parameters = statement("平安", None, None, 20, postgres=True)
    with psycopg.connect(postgres_conninfo(postgres_url)) as connection:
        connection.execute("ANALYZE")
        connection.execute(POSTGRES_PLAN)
        plan = "\n".join(row[0] for row in connection.execute(
            "EXPLAIN " + psycopg_sql(sql), parameters))
    assert "ix_articles_search" in plan and "ix_search_texts_search" in plan

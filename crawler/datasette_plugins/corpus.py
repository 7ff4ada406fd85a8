"""Datasette plugin: the corpus as a reader should meet it, in any database file.

Datasette keys its metadata by database name, which comes from the file name; so this
plugin finds, when Datasette starts, the databases that hold the project's tables and
gives each the settings of ``crawler/datasette.yaml`` (its ``corpus`` part).  It also:

- opens a table's HTML page on the columns listed for it (``list_columns``), with long
  text cut to a short excerpt, so that a screen shows many readable rows;
- sends a search typed in the articles table's search box to the ranked ``search`` query,
  whose snippets show the matched terms highlighted; that page links back to the same
  matches as table rows with facets (``?_search=…&_rank=off``);
- adds the ``month`` facet (``{"month": "published_at"}``), which filters by ``__startswith``;
- shows the alarms of ``crawl_runs`` as sentences and folds away the column descriptions
  (each stays in its column's menu).
"""

from __future__ import annotations

import contextvars
import copy
import json
import re
import weakref
from importlib.resources import files
from urllib.parse import parse_qsl, urlencode

import markupsafe
import yaml
from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args
from datasette.utils.asgi import Response

from crawler.report import alarm_sentence
from crawler.search import INDEX_TABLE, MARK, snippet

PLUGIN = "crawler-corpus"
CORPUS_TABLES = {"articles", INDEX_TABLE, "crawl_runs", "alembic_version"}
EXCERPT_CHARS = 60
SEARCH_QUERY = "search"
TABLE_SEARCH = "_rank"  # ?_rank=off: the table search box filters the rows instead of ranking
_SETTINGS = yaml.safe_load(files("crawler").joinpath("datasette.yaml").read_text("utf-8"))
_ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?([+-]\d\d:\d\d|Z)?")
_MARKED = re.compile(f"{MARK[0]}([^{MARK[0]}{MARK[1]}]*){MARK[1]}")

# The corpus databases of each running Datasette and their tables, found at start-up.
_corpus_databases: weakref.WeakKeyDictionary[object, dict[str, set[str]]] = weakref.WeakKeyDictionary()
# (database, table or canned query listed or None, table search) while Datasette renders a
# page of a corpus database: render_cell cannot tell a table's rows from a row's page.
_page: contextvars.ContextVar[tuple[str, str | None, str | None] | None] = contextvars.ContextVar(
    "page", default=None)


@hookimpl
def startup(datasette):
    async def find_corpus_databases():
        found = {}
        for name, database in datasette.databases.items():
            tables = set(await database.table_names())
            if CORPUS_TABLES <= tables:
                found[name] = tables
        _corpus_databases[datasette] = found
    return find_corpus_databases


def corpus_databases(datasette) -> dict[str, set[str]]:
    """database name -> its tables, for the corpus databases."""
    return _corpus_databases.get(datasette, {})


@hookimpl
def get_metadata(datasette, key, database, table):
    """The title, and the corpus settings for each corpus database (a fresh copy each
    time, since Datasette merges the metadata of ``-m`` into what plugins return)."""
    names = corpus_databases(datasette)
    if not names:
        return {}
    return copy.deepcopy({"title": _SETTINGS["title"], "description": _SETTINGS["description"],
                          "databases": {name: _SETTINGS["corpus"] for name in names}})


def list_columns(datasette, database: str, table: str) -> list[str]:
    config = datasette.plugin_config(PLUGIN, database=database, table=table, fallback=False)
    return (config or {}).get("list_columns") or []


def _corpus_page(datasette, path: str) -> tuple[str, str | None] | None:
    """For a page of a corpus database: (database, the table or canned query whose rows the
    page lists, or None for any other page, such as one row's)."""
    base = datasette.setting("base_url").rstrip("/")
    if base and path.startswith(base):
        path = path[len(base):]
    parts = path.strip("/").split("/")
    if parts[0] not in corpus_databases(datasette):
        return None
    listing = len(parts) == 2 and (parts[1] in corpus_databases(datasette)[parts[0]]
                                   or parts[1] in _SETTINGS["corpus"]["queries"])
    return parts[0], parts[1] if listing else None


def _search_url(datasette, database: str, args: dict[str, list[str]]) -> str:
    """The ranked search for what the table's search box and site or month filter asked."""
    site = (args.get("site") or args.get("site__exact") or [""])[0]
    params = {"q": args["_search"][0], "site": site,
              "month": (args.get("published_at__startswith") or [""])[0][:7]}
    query = urlencode({name: value for name, value in params.items() if value})
    return f"{datasette.urls.database(database)}/{SEARCH_QUERY}?{query}"


def _table_search_url(datasette, database: str, request) -> str:
    """The rows of the articles table that the ranked search ``request`` finds, with facets."""
    params = {"_search": request.args.get("q", ""), TABLE_SEARCH: "off",
              "site": request.args.get("site", ""),
              "published_at__startswith": request.args.get("month", "")}
    query = urlencode({name: value for name, value in params.items() if value})
    return f"{datasette.urls.table(database, 'articles')}?{query}"


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def corpus_pages(scope, receive, send):
            page = _corpus_page(datasette, scope.get("path", "")) if scope["type"] == "http" else None
            if page is None:
                return await app(scope, receive, send)
            database, name = page
            pairs = parse_qsl(scope.get("query_string", b"").decode("utf-8"), keep_blank_values=True)
            args: dict[str, list[str]] = {}
            for key, value in pairs:
                args.setdefault(key, []).append(value)
            search = (args.get("_search") or [""])[0].strip() or None
            if name in corpus_databases(datasette)[database]:
                ranked = (args.get(TABLE_SEARCH) or [""])[0] != "off"
                # a filter form to read first: Datasette turns it into plain filters, then back here
                form = any(key.startswith("_filter_column") for key in args)
                if name == "articles" and search and ranked and not form:
                    return await Response.redirect(_search_url(datasette, database, args)).asgi_send(send)
                columns = list_columns(datasette, database, name)
                if columns and not {"_col", "_nocol"} & args.keys():
                    pairs += [("_col", column) for column in columns]
                if "_nosuggest" not in args:  # suggestions query every column: slow, and a screen long
                    pairs.append(("_nosuggest", "1"))
                scope = dict(scope, query_string=urlencode(pairs).encode("utf-8"))
            token = _page.set((database, name, search))
            try:
                return await app(scope, receive, send)
            finally:
                _page.reset(token)
        return corpus_pages
    return wrap


def highlighted(text: str) -> markupsafe.Markup:
    """``text`` with the terms ``crawler.search.snippet`` marked, as HTML ``<mark>``s."""
    pieces, last = [], 0
    for match in _MARKED.finditer(text):
        pieces.append(markupsafe.escape(text[last:match.start()]))
        pieces.append(markupsafe.Markup("<mark>%s</mark>") % match.group(1))
        last = match.end()
    pieces.append(markupsafe.escape(text[last:]))
    return markupsafe.Markup("").join(pieces)


def excerpt(value: str, search: str | None) -> markupsafe.Markup:
    """The start of a long text, or with a search the passage around the first match."""
    if search:
        return highlighted(snippet(value, search, EXCERPT_CHARS))
    flat = " ".join(value.split())
    return markupsafe.escape(flat[:EXCERPT_CHARS] + ("…" if len(flat) > EXCERPT_CHARS else ""))


def alarm_list(value: str) -> markupsafe.Markup | None:
    try:
        alarms = json.loads(value)
    except (TypeError, ValueError):
        return None
    if not isinstance(alarms, list):
        return None
    if not alarms:
        return markupsafe.Markup("none")
    items = markupsafe.Markup("").join(
        markupsafe.Markup("<li>%s</li>") % alarm_sentence(alarm) for alarm in alarms)
    return markupsafe.Markup('<ul class="alarms">%s</ul>') % items


def short_time(value: str) -> markupsafe.Markup:
    """``2023-01-19T08:47:00+08:00`` as ``2023-01-19 08:47`` (the time where it was recorded:
    publication times are the sites', crawl times UTC), the whole value on hover."""
    return markupsafe.Markup('<span class="time" title="%s">%s</span>') % (value, value[:16].replace("T", " "))


@hookimpl
def render_cell(value, column, table, database, datasette):
    page = _page.get()
    if page is None or page[0] != database:
        return None
    listed = page[1] is not None and page[1] == (table or page[1])
    if page[1] == SEARCH_QUERY and column == "id" and isinstance(value, int):
        url = f"{datasette.urls.table(database, 'articles')}/{value}"
        return markupsafe.Markup('<a href="%s">%s</a>') % (url, value)
    if not isinstance(value, str):
        return None
    if page[1] == SEARCH_QUERY and column == "snippet":
        return highlighted(value)
    if table == "crawl_runs" and column == "alarms":
        return alarm_list(value)
    if listed and _ISO_TIME.fullmatch(value):
        return short_time(value)
    if listed and table == "articles" and column in ("body", "body_html"):
        return excerpt(value, page[2])
    return None


FOLD_DESCRIPTIONS = """
(function () {
  var list = document.querySelector("dl.column-descriptions");
  if (!list) return;
  var fold = document.createElement("details");
  fold.className = "column-descriptions";
  var summary = document.createElement("summary");
  summary.textContent = "Column descriptions";
  list.parentNode.insertBefore(fold, list);
  fold.appendChild(summary);
  fold.appendChild(list);
})();
"""


STYLE = """
.facet-info { width: auto; max-width: 600px; }
.facet-info ul { padding-left: 0; }
.facet-info li { display: inline-block; margin-right: 0.9em; }
mark { background: #ffe066; padding: 0 1px; }
td.col-url { word-break: break-all; }
span.time { white-space: nowrap; }
ul.alarms { margin: 0; padding-left: 1.1em; color: #a00; }
"""
STYLE_PATH = "/-/crawler-corpus.css"


TABLE_LINK = """
(function () {
  var form = document.querySelector("form.sql");
  if (!form) return;
  var line = document.createElement("p");
  var link = document.createElement("a");
  link.className = "table-search";
  link.href = %s;
  link.textContent = "The same matches as rows of the articles table, newest first, with facets";
  line.appendChild(link);
  form.parentNode.insertBefore(line, form.nextSibling);
})();
"""


@hookimpl
def extra_body_script(request, database, datasette):
    page = _page.get()
    if page is None or page[0] != database or page[1] is None:
        return None
    if page[1] == SEARCH_QUERY:
        return TABLE_LINK % json.dumps(_table_search_url(datasette, database, request))
    return FOLD_DESCRIPTIONS if page[1] in corpus_databases(datasette)[database] else None


@hookimpl
def extra_css_urls(database, datasette):
    if database in corpus_databases(datasette):
        return [datasette.urls.path(STYLE_PATH)]
    return []


async def corpus_style():
    return Response(STYLE, content_type="text/css; charset=utf-8")


@hookimpl
def register_routes():
    return [(f"^{re.escape(STYLE_PATH)}$", corpus_style)]


class MonthFacet(Facet):
    """Counts per calendar month of an ISO 8601 text column, newest month first."""

    type = "month"

    async def suggest(self):
        return []

    async def facet_results(self):
        results, timed_out = [], []
        chosen = dict(self.get_querystring_pairs())
        size = self.get_facet_size()
        for source_and_config in self.get_configs():
            config, source = source_and_config["config"], source_and_config["source"]
            column = config.get("column") or config["simple"]
            filter_name = f"{column}__startswith"
            month = f"substr({escape_sqlite(column)}, 1, 7)"
            sql = (f"select {month} as value, count(*) as count from ({self.sql}) "
                   f"where {month} glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]' "
                   f"group by value order by value desc limit {size + 1}")
            try:
                rows = await self.ds.execute(self.database, sql, self.params, truncate=False,
                                             custom_time_limit=self.ds.setting("facet_time_limit_ms"))
            except QueryInterrupted:
                timed_out.append(column)
                continue
            values = []
            for row in rows.rows[:size]:
                selected = chosen.get(filter_name) == row["value"]
                path = (path_with_removed_args(self.request, {filter_name: row["value"]}) if selected
                        else path_with_added_args(self.request, {filter_name: row["value"]}))
                values.append({"value": row["value"], "label": row["value"], "count": row["count"],
                               "toggle_url": self.ds.absolute_url(self.request, path),
                               "selected": selected})
            results.append({"name": column, "type": self.type, "results": values,
                            "hideable": source != "metadata",
                            "toggle_url": path_with_removed_args(self.request, {"_facet_month": column}),
                            "truncated": len(rows) > size})
        return results, timed_out


@hookimpl
def register_facet_classes():
    return [MonthFacet]

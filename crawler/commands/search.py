"""crawler search: full-text search of titles and bodies, Chinese terms of any length."""

from __future__ import annotations

from crawler.corpus import add_database_argument, database_url, open_store, parse_day
from crawler.errors import ArgumentError
from crawler.search import terms
from crawler.storage.search_query import postgres_conninfo, search_file, search_postgres, sqlite_file

help = "search article titles and bodies (Chinese terms of any length; all terms must match)"


def add_arguments(parser) -> None:
    parser.add_argument("query", nargs="?", help="terms separated by spaces, e.g. '诈骗 民警'")
    parser.add_argument("--site", help="only this site")
    parser.add_argument("--since", help="only articles published on or after YYYY-MM-DD")
    parser.add_argument("--limit", type=int, default=20, help="hits to print (default 20)")
    parser.add_argument("--reindex", action="store_true",
                        help="rebuild the search index from the stored articles (after upgrading OpenCC)")
    add_database_argument(parser)


def run(args) -> int:
    if not args.reindex and not (args.query and terms(args.query)):
        raise ArgumentError("give a query with at least one word or Chinese character")
    if args.limit < 1:
        raise ArgumentError("--limit must be at least 1")
    since = parse_day(args.since)
    url = database_url(args.db)
    if args.reindex:
        _rebuild_index(url)
        print("search index rebuilt")
        if not args.query:
            return 0
    path = sqlite_file(url)
    # without SQLAlchemy, whose import costs more than the search
    if path is not None:
        hits = search_file(path, args.query, site=args.site, since=since, limit=args.limit)
    elif postgres_conninfo(url) is not None:
        hits = search_postgres(url, args.query, site=args.site, since=since, limit=args.limit)
    else:
        store = open_store(url)
        try:
            hits = store.search(args.query, site=args.site, since=since, limit=args.limit)
        finally:
            store.close()
    for number, hit in enumerate(hits, 1):
        print(f"{number}. {hit.title or '(no title)'}")
        print(f"   {hit.site}  {(hit.published_at or 'undated')[:10]}  {hit.url}")
        print(f"   {hit.snippet}")
    print(f"{len(hits)} hit{'s' if len(hits) != 1 else ''}"
          + (f" (limit {args.limit}; use --limit for more)" if len(hits) == args.limit else ""))
    return 0


def _rebuild_index(url: str) -> None:
    """The one write of this command, on a database at the newest schema."""
    from crawler.storage import Store

    open_store(url).close()
    writer = Store(url)
    try:
        writer.rebuild_search_index()
    finally:
        writer.close()

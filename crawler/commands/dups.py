"""crawler dups: the reprint clusters of the corpus, with sites, URLs, titles and similarity."""

from __future__ import annotations

import argparse

from crawler.corpus import add_database_argument, open_store
from crawler.dedup.clusters import Deduplicator, canonical_order
from crawler.dedup.minhash import DedupParams
from crawler.errors import ArgumentError
from crawler.runner import project_settings
from crawler.storage import Store

help = "list clusters of duplicate articles: sites, URLs, titles and similarity to the canonical one"


def add_arguments(parser) -> None:
    add_database_argument(parser)
    parser.add_argument("--site", help="only clusters with at least one article of this site")
    parser.add_argument("--update", action="store_true",
                        help="first index and cluster articles stored since the last crawl ended")


def clusters(store: Store, site: str | None) -> dict[int, list]:
    """Clusters of two or more articles, as cluster id -> member rows, canonical first."""
    found = store.cluster_members(site)
    for rows in found.values():
        rows.sort(key=lambda r: canonical_order(r.published_at, r.first_seen_at, r.url))
    return found


def run(args: argparse.Namespace) -> int:
    params = DedupParams.from_settings(project_settings())
    store = open_store(args.db)
    try:
        if args.update:  # the one write of this command, under the store's dedup lock
            writer = Store(store.url)
            try:
                Deduplicator(writer, params).update()
            finally:
                writer.close()
        if args.site and store.site_articles(args.site) == 0:
            raise ArgumentError(f"no articles of site {args.site!r}")
        deduplicator = Deduplicator(store, params)
        found = clusters(store, args.site)
        order = sorted(found, key=lambda c: canonical_order(found[c][0].published_at,
                                                            found[c][0].first_seen_at, found[c][0].url))
        for cluster_id in order:
            members = found[cluster_id]
            similar = deduplicator.similarities(cluster_id, [m.id for m in members])
            sites = sorted({m.site for m in members})
            print(f"cluster {cluster_id}: {len(members)} articles, {len(sites)} sites ({', '.join(sites)})")
            for member in members:
                mark = "*" if member.id == cluster_id else " "
                score = "  -  " if similar[member.id] is None else f"{similar[member.id]:.2f}"
                print(f"  {mark} {(member.published_at or '')[:10]:10}  {member.site:10}  {score}  "
                      f"{member.url}  {member.title or ''}")
        total = sum(len(m) for m in found.values())
        print(f"{len(found)} clusters of duplicates, {total} articles"
              + (f" (with an article of {args.site})" if args.site else ""))
        pending = deduplicator.pending()
        if pending:
            print(f"{pending} articles are not clustered yet: run with --update")
    finally:
        store.close()
    return 0

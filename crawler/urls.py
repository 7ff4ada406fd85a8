"""URL canonicalisation: every address of one page becomes the one ``articles.url``.

The sites serve a page under several addresses: http and https, mobile and mirror
hosts, ``index.html`` or a bare directory, tracking parameters from share buttons,
fragments, and the second page of a split article.  ``canonical_url`` maps them all
to one form, so the unique ``url`` column keeps one row per page.  Parameters that
select content (PHPCMS's ``m``, ``c``, ``a``, ``catid``, ``id``) are kept.

A spider states its site's rules as class attributes, read by ``url_rules``:

* ``host_aliases``: ``{"m.youngwriting.cn": "app.wjyanghu.com"}``, alias host to canonical host;
* ``https_hosts``: hosts whose canonical scheme is https; every other host gets http.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

if TYPE_CHECKING:
    from spiders.base import NewsSpider

DEFAULT_PORTS = {"http": 80, "https": 443}

# Index files a server sends for a bare directory; removed when the URL has no query.
_INDEX_FILE = re.compile(r"/(?:index|default)\.(?:html?|shtml|php|asp|aspx|jsp)$", re.I)

# Parameters that say how a reader arrived, never which page they see.
_TRACKING_EXACT = frozenset({
    "spm", "from", "share", "share_from", "share_source", "shareid", "share_token",
    "isappinstalled", "scene", "srcid", "chksm", "clicktime", "enterid", "wfr", "tt_from",
    "fbclid", "gclid", "_hsenc", "_hsmi", "mc_cid", "mc_eid", "yclid", "jsessionid",
})
_TRACKING_PREFIXES = ("utm_",)

# In-article page suffixes: page N of a split article maps to page 1.
# EmpireCMS, DedeCMS and PHPCMS static pages: ``/2022-10-03/118206_2.html`` -> ``118206.html``.
_NUMBERED_PAGE = re.compile(r"/(\d+)_\d{1,3}(\.s?html?)$", re.I)
# TRS WCM: ``t20230119_3533419_1.shtml`` -> ``t20230119_3533419.shtml``.
_TRS_PAGE = re.compile(r"/(t\d{8}_\d+)_\d{1,3}(\.s?html?)$", re.I)
# PHPCMS pseudo-static: ``show-38-1235-2.html`` -> ``show-38-1235-1.html``.
_PHPCMS_STATIC_PAGE = re.compile(r"/show-(\d+)-(\d+)-\d+\.html$", re.I)


def canonical_url(url: str, *, host_aliases: Mapping[str, str] | None = None,
                  https_hosts: Collection[str] | None = None) -> str:
    """The canonical form of ``url``.

    * host: lower case, IDNA-encoded, trailing dot and default port dropped, then
      mapped through ``host_aliases`` (keys and values are host names);
    * scheme: ``https`` when the canonical host is in ``https_hosts``, else ``http``;
    * path: percent-encoding normalised, ``index.html``/``default.*`` removed when
      there is no query, the page suffix of a split article removed;
    * query: tracking parameters removed (``utm_*``, ``spm``, ``from``, ``share`` …),
      PHPCMS's ``page`` removed from article (``a=show``) URLs, the rest kept and sorted;
    * fragment: removed.

    URLs that are not http(s) are returned unchanged.
    """
    url = url.strip()
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return url
    if parts.scheme.lower() not in DEFAULT_PORTS or not parts.hostname:
        return url
    host = _canonical_host(parts.hostname, host_aliases or {})
    scheme = "https" if host in {h.lower() for h in (https_hosts or ())} else "http"
    netloc = host if port in (None, *DEFAULT_PORTS.values()) else f"{host}:{port}"

    path = parts.path or "/"
    path = _strip_path_params(path)
    query = _clean_query(parts.query)
    if not query:
        path = _INDEX_FILE.sub("/", path)
    path = _TRS_PAGE.sub(r"/\1\2", path)
    path = _NUMBERED_PAGE.sub(r"/\1\2", path)
    path = _PHPCMS_STATIC_PAGE.sub(r"/show-\1-\2-1.html", path)
    return canonicalize_url(urlunsplit((scheme, netloc, path, query, "")), keep_blank_values=True)


def request_url(url: str, encoding: str) -> str:
    """``url``, found on a page in ``encoding``, as a request can take it: without its
    fragment (never sent to the server, and not part of the canonical URL), and with each
    character of its query that the encoding cannot write as the URL standard writes it
    (``%26%23`` + its code point + ``%3B``), so that a stray character in a link (a U+FFFD
    where the page's own bytes were broken) cannot fail the page's other links."""
    parts = urlsplit(url)
    query = parts.query
    try:
        query.encode(encoding)
    except UnicodeEncodeError:
        query = "".join(_query_character(character, encoding) for character in query)
    except LookupError:  # an encoding Python does not know: the request falls back on UTF-8
        pass
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def _query_character(character: str, encoding: str) -> str:
    try:
        character.encode(encoding)
    except UnicodeEncodeError:
        return f"%26%23{ord(character)}%3B"
    return character


def url_rules(spider: NewsSpider | type[NewsSpider]) -> dict:
    """The keyword arguments of ``canonical_url`` for a spider's site.

    The https hosts are those the spider declares plus those its start URLs reach
    over https, so a site crawled over https keeps https without a declaration.
    """
    https_hosts = set(spider.https_hosts)
    https_hosts.update(urlsplit(start).hostname or "" for start in spider.start_urls
                       if start.lower().startswith("https://"))
    https_hosts.discard("")
    return {"host_aliases": dict(spider.host_aliases), "https_hosts": https_hosts}


def _canonical_host(host: str, aliases: Mapping[str, str]) -> str:
    host = host.rstrip(".").lower()
    lowered = {alias.lower(): target.lower() for alias, target in aliases.items()}
    host = lowered.get(host, host)
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _strip_path_params(path: str) -> str:
    """Drop ``;jsessionid=…``-style session parameters from the path."""
    return re.sub(r";jsessionid=[^/?#]*", "", path, flags=re.I)


def _clean_query(query: str) -> str:
    """Drop tracking parameters, keeping every other byte as it was (GBK escapes included)."""
    pieces = [piece for piece in query.split("&") if piece]
    names = [unquote(piece.partition("=")[0]).lower() for piece in pieces]
    phpcms_article = any(piece.lower() == "a=show" for piece in pieces)
    return "&".join(piece for piece, name in zip(pieces, names, strict=True)
                    if not _is_tracking(name) and not (phpcms_article and name == "page"))


def _is_tracking(name: str) -> bool:
    return name in _TRACKING_EXACT or name.startswith(_TRACKING_PREFIXES)

"""A local news site on 127.0.0.1 that misbehaves on request, for the fault suite.

Pages follow ``tests/faults/spiders/faultsite.py``: list pages ``/list/N.html`` name
articles ``/a/NAME.html``.  Every page is written for these tests.  ``site.fault(path,
*behaviours)`` makes a path answer with the given behaviours, one per request, the last
one repeated: ``"ok"``, ``"status:503"``, ``"retry-after:2"`` (429 with Retry-After),
``"reset"``, ``"short"`` (a Content-Length longer than the body), ``"drip"`` (a byte a
second), ``"loop"`` (redirects to itself), ``"offsite"`` (redirects to another host),
``"empty"`` (an empty 200), ``"hang"`` (no answer for a minute), or any ``(status, headers, body)`` tuple.
"""

from __future__ import annotations

import http.server
import socket
import struct
import threading
import time
import zlib
from collections import defaultdict

PARAGRAPH = ("今年以来，区公安分局坚持以人民为中心的发展思想，深入推进平安建设，"
             "全力打击电信网络诈骗犯罪，切实守护群众财产安全，辖区治安形势持续向好。")


def article_html(name: str, paragraphs: int = 3, extra: str = "") -> bytes:
    body = "".join(f"<p>{PARAGRAPH}（{name}-{i}）</p>" for i in range(paragraphs))
    return (f"<html><head><meta charset='utf-8'><title>{name}</title></head><body>"
            f"<h1>测试文章 {name}</h1><div class='info'>发布时间：2024-03-0{1 + len(name) % 9} 10:00 "
            f"来源：测试日报</div><div class='content'>{body}</div>{extra}</body></html>").encode()


def list_html(articles: list[str], next_page: str | None = None) -> bytes:
    items = "".join(f"<li><a href='/a/{name}'>测试文章 {name}</a><span>2024-03-01</span></li>"
                    for name in articles)
    pager = f"<div class='pager'><a href='{next_page}'>下一页</a></div>" if next_page else ""
    return (f"<html><head><meta charset='utf-8'></head><body><ul class='list'>{items}</ul>"
            f"{pager}</body></html>").encode()


def gzip_bomb(compressed_bytes: int) -> bytes:
    """A gzip stream of about ``compressed_bytes`` that inflates to about 1,000 times that
    in zeros: fully flushed blocks of a zero megabyte are all alike, so one is repeated."""
    chunk = bytes(1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    head = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = max(1, (compressed_bytes - len(head)) // len(block))
    end = compressor.flush()
    return head + block * count + end[:-8] + struct.pack("<II", 0, (count + 1 << 20) & 0xFFFFFFFF)


class FaultSite:
    def __init__(self):
        self.pages: dict[str, object] = {}
        self.faults: dict[str, list] = {}
        self.hits: dict[str, int] = defaultdict(int)
        self.times: dict[str, list[float]] = defaultdict(list)
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                path = self.path
                site.hits[path] += 1
                site.times[path].append(time.monotonic())
                behaviours = site.faults.get(path.partition("?")[0])
                behaviour = "ok"
                if behaviours:
                    behaviour = behaviours.pop(0) if len(behaviours) > 1 else behaviours[0]
                site.answer(self, path, behaviour)

            def log_message(self, *args):
                pass

        class Server(http.server.ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # a client that hung up (a killed crawl, a timeout) is what the tests do

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def page(self, path: str, body, content_type: str = "text/html; charset=utf-8", headers=None):
        self.pages[path] = (200, {"Content-Type": content_type, **(headers or {})}, body)

    def fault(self, path: str, *behaviours) -> None:
        self.faults[path] = list(behaviours)

    def column(self, names: list[str], per_page: int | None = None) -> str:
        """List pages of ``names`` (``per_page`` a page) and their articles; the start URL."""
        per_page = per_page or len(names) or 1
        pages = [names[i:i + per_page] for i in range(0, max(len(names), 1), per_page)]
        for number, chunk in enumerate(pages, 1):
            following = f"/list/{number + 1}.html" if number < len(pages) else None
            self.page(f"/list/{number}.html", list_html(chunk, following))
        for name in names:
            self.pages.setdefault(f"/a/{name}", (200, {"Content-Type": "text/html; charset=utf-8"},
                                                 article_html(name)))
        return f"{self.base}/list/1.html"

    def answer(self, handler, path: str, behaviour) -> None:
        found = self.pages.get(path, (404, {"Content-Type": "text/html"}, b"<html><body>Not Found</body></html>"))
        status, headers, body = behaviour if isinstance(behaviour, tuple) else found
        name, _, value = str(behaviour).partition(":") if not isinstance(behaviour, tuple) else ("ok", "", "")
        if name == "status":
            status, body = int(value), b"<html><body>error</body></html>"
        elif name == "retry-after":
            status, headers, body = 429, {"Retry-After": value}, b"slow down"
        elif name == "empty":
            status, body = 200, b""
        elif name in ("loop", "offsite"):
            target = (path.partition("?")[0] if "?" in path else f"{path}?again") if name == "loop" else \
                f"http://127.0.0.2:{self.server.server_address[1]}{path}"
            status, headers, body = 302, {"Location": target}, b""
        elif name == "hang":
            time.sleep(60)
            return
        elif name == "reset":
            handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            handler.connection.close()
            handler.close_connection = True
            return
        handler.send_response(status)
        for key, header in headers.items():
            handler.send_header(key, header)
        length = len(body) + (1000 if name == "short" else 0)
        handler.send_header("Content-Length", str(length))
        handler.end_headers()
        if name == "drip":
            try:
                for byte in body[:60]:
                    handler.wfile.write(bytes([byte]))
                    handler.wfile.flush()
                    time.sleep(1)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        try:
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        if name == "short":
            handler.close_connection = True

    def close(self) -> None:
        self.server.shutdown()

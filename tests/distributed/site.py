"""A generated TRS-style column on 127.0.0.1: N articles, 10 to a list page, served by a
threaded HTTP server that records when each path was asked for and can answer slowly.

Written for these tests and for ``bench/distributed.py``; every page is made up.
"""

from __future__ import annotations

import http.server
import threading
import time

PER_PAGE = 10
COLUMN = "/col/"


def article_path(number: int) -> str:
    return f"{COLUMN}202301/t20230115_{100000 + number}.shtml"


def list_path(page: int) -> str:
    return f"{COLUMN}index.shtml" if page == 0 else f"{COLUMN}index_{page}.shtml"


class ArticleSite:
    def __init__(self, articles: int = 200, delay: float = 0.0, gated: bool = False):
        self.articles = articles
        self.pages = -(-articles // PER_PAGE)
        self.delay = delay
        # Gated, the start page is answered only once ``gate`` is set (when every worker is up).
        self.gate = threading.Event()
        if not gated:
            self.gate.set()
        self.hits: list[tuple[float, str]] = []  # (time.monotonic(), path) per request
        self.lock = threading.Lock()
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                site.gate.wait()
                with site.lock:
                    site.hits.append((time.monotonic(), self.path))
                body = site.page(self.path)
                if site.delay:
                    time.sleep(site.delay)
                self.send_response(200 if body else 404)
                payload = (body or "not found").encode("utf-8")
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def start_url(self) -> str:
        return self.base + list_path(0)

    def expected_paths(self) -> set[str]:
        return {list_path(page) for page in range(self.pages)} | {article_path(n) for n in range(self.articles)}

    def article_urls(self) -> set[str]:
        return {self.base + article_path(n) for n in range(self.articles)}

    def page(self, path: str) -> str | None:
        for page in range(self.pages):
            if path == list_path(page):
                return self.list_page(page)
        if path.startswith(f"{COLUMN}202301/t20230115_"):
            number = int(path.rsplit("_", 1)[1].split(".")[0]) - 100000
            if 0 <= number < self.articles:
                return self.article_page(number)
        return None

    def list_page(self, page: int) -> str:
        first = page * PER_PAGE
        items = "".join(f'<li><a href="{article_path(n)}">第{n}号通报</a><span>2023-01-15</span></li>'
                        for n in range(first, min(first + PER_PAGE, self.articles)))
        return (f"<html><body><ul>{items}</ul>"
                f'<script>createPageHTML({self.pages}, {page}, "index", "shtml");</script></body></html>')

    @staticmethod
    def article_page(number: int) -> str:
        words = "".join(f"第{number}号案件第{line}段，民警依法处置，群众安全得到保障。" for line in range(6))
        return (f'<html><head><meta name="ArticleTitle" content="第{number}号警情通报"></head><body>'
                f'<div class="article"><h1>第{number}号警情通报</h1>'
                f'<div class="info">发布时间：2023-01-15 08:00 来源：测试公安局</div>'
                f'<div class="TRS_Editor"><p>{words}</p><p>编号{number:05d}的通报到此结束。</p></div>'
                f"</div></body></html>")

    def close(self) -> None:
        self.gate.set()
        self.server.shutdown()
        self.server.server_close()

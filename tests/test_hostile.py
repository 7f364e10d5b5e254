"""The hostile web: bombs and huge bodies must not blow up memory, and must not stop the
other sources of the run."""

import os
import subprocess
import sys

import sqlite3
import zlib

from conftest import FAST, ROOT, write_sources
from pipeline.config import Source
from pipeline.demo.articles import ARTICLES
from pipeline.demo.sampleweb import article_html
from pipeline.demo.webserver import Route, StaticWeb

def gzip_bomb(inflated_mib: int = 1024) -> bytes:
    """A gzip body of about 1 MB that inflates to `inflated_mib` MiB of zeros."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = b"\0" * (1024 * 1024)
    return b"".join(compressor.compress(chunk) for _ in range(inflated_mib)) + compressor.flush()


def test_bombs_and_huge_bodies_keep_memory_bounded_and_the_good_source_is_kept(tmp_path):
    huge = b"<html><body>" + b"<p>product ops</p>" * (50 * 1024 * 1024 // 18) + b"</body></html>"
    web = StaticWeb({
        "/robots.txt": Route(b"", "text/plain"),
        "/bomb": Route(gzip_bomb(), "text/html", headers={"Content-Encoding": "gzip"}),
        "/huge": Route(huge, "text/html"),
        "/good": Route(article_html(ARTICLES[0], "http://x").encode()),
    })
    with web:
        sources = write_sources(tmp_path / "s.yaml", [
            Source("bomb", "Bomb", "url", web.base_url + "/bomb"),
            Source("huge", "Huge", "url", web.base_url + "/huge"),
            Source("good", "Good", "url", web.base_url + "/good"),
        ])
        crawl = subprocess.Popen(
            [sys.executable, "-m", "pipeline.cli", "crawl", "--sources", str(sources),
             "--db", str(tmp_path / "c.db"), "--allow-private-network", *FAST],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(crawl.pid, 0)  # this crawl's own peak RSS
        crawl.returncode = os.waitstatus_to_exitcode(status)
    assert crawl.returncode == 0
    peak_mib = usage.ru_maxrss / 1024
    assert peak_mib < 400, f"peak RSS {peak_mib:.0f} MiB"
    with sqlite3.connect(tmp_path / "c.db") as conn:
        assert [row[0] for row in conn.execute("SELECT source_id FROM documents")] == ["good"]
        status = dict(conn.execute("SELECT id, last_status FROM sources"))
    assert status["good"] == "ok"
    assert status["bomb"] != "ok" and status["huge"] != "ok", status

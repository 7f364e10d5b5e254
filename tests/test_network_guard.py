"""The network guard: http(s) only; non-public addresses refused unless allowed."""

import asyncio
import ipaddress

import pytest
from scrapy import Request

from spiders.middlewares import NetworkGuardMiddleware, RefusedRequest, is_public, literal_address


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "2130706433", "0x7f000001", "127.1", "[::ffff:127.0.0.1]", "[::1]",
             "10.0.0.1", "192.168.1.1", "169.254.169.254", "224.0.0.1", "0.0.0.0"],
)
def test_numeric_forms_of_non_public_addresses_are_refused(host):
    guard = NetworkGuardMiddleware(allow_private_network=False)
    with pytest.raises(RefusedRequest, match="allow-private-network"):
        asyncio.run(guard.process_request(Request(f"http://{host}/feed")))


def test_names_that_resolve_to_loopback_are_refused():
    guard = NetworkGuardMiddleware(allow_private_network=False)
    with pytest.raises(RefusedRequest, match="localhost is a non-public address"):
        asyncio.run(guard.process_request(Request("http://localhost:8000/")))


def test_allowed_private_network_passes():
    guard = NetworkGuardMiddleware(allow_private_network=True)
    assert asyncio.run(guard.process_request(Request("http://127.0.0.1/"))) is None


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x", "data:text/plain,hi"])
def test_only_http_and_https(url):
    guard = NetworkGuardMiddleware(allow_private_network=True)
    with pytest.raises(RefusedRequest, match="only http and https"):
        asyncio.run(guard.process_request(Request(url)))


def test_public_addresses():
    assert is_public(ipaddress.ip_address("93.184.216.34"))
    assert not is_public(ipaddress.ip_address("::ffff:10.0.0.1"))
    assert literal_address("example.com") is None
    assert literal_address("2130706433") == ipaddress.ip_address("127.0.0.1")


def test_the_resolver_connections_use_refuses_non_public_answers(tmp_path):
    """Against DNS rebinding: even with the middleware's own lookup out of the way (as if it
    had been answered with a public address), the connection's lookup of a name that
    resolves to loopback is refused; --allow-private-network lifts it."""
    import json
    import sqlite3

    from conftest import FAST, run_prodops, write_sources

    from pipeline.config.sources import Source
    from pipeline.demo.articles import ARTICLES
    from pipeline.demo.sampleweb import article_html
    from pipeline.demo.webserver import Route, StaticWeb

    without_guard = json.dumps({"spiders.middlewares.NetworkGuardMiddleware": None})
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"),
                     "/good": Route(article_html(ARTICLES[0], "http://x").encode())})
    with web:
        port = web.base_url.rsplit(":", 1)[1]
        sources = write_sources(tmp_path / "s.yaml", [Source("named", "n", "url", f"http://localhost:{port}/good")])
        refused = run_prodops("crawl", "--sources", str(sources), "--db", str(tmp_path / "a.db"), *FAST,
                              "-s", f"DOWNLOADER_MIDDLEWARES={without_guard}", "-s", "RETRY_TIMES=0")
        assert web.requests == []
        allowed = run_prodops("crawl", "--sources", str(sources), "--db", str(tmp_path / "b.db"), *FAST,
                              "-s", f"DOWNLOADER_MIDDLEWARES={without_guard}", "--allow-private-network")
    assert refused.returncode == 0 and allowed.returncode == 0, refused.stderr + allowed.stderr
    with sqlite3.connect(tmp_path / "a.db") as conn:
        status = conn.execute("SELECT last_status FROM sources").fetchone()[0]
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    assert "non-public address 127.0.0.1" in status, status
    with sqlite3.connect(tmp_path / "b.db") as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    assert "/good" in web.requests

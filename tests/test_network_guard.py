"""The network guard: http(s) only; non-public addresses refused unless allowed, in every
IPv6 spelling, and through a proxy too.

The proxy tests run a real forward proxy on 127.0.0.1 that answers every request itself
(it never forwards), so a request the guard wrongly lets through reaches it and nothing
else. Their unresolvable names are under .invalid and .test (RFC 6761): a resolver answers
those itself, so no lookup of them goes past the machine's resolver.
"""

import asyncio
import ipaddress
import json
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import FAST, run_prodops, write_sources
from scrapy import Request

from pipeline.config.sources import Source
from pipeline.demo.articles import ARTICLES
from pipeline.demo.sampleweb import article_html
from pipeline.demo.webserver import Route, StaticWeb
from spiders.middlewares import NetworkGuardMiddleware, RefusedRequest, is_public, literal_address


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "2130706433", "0x7f000001", "127.1", "[::ffff:127.0.0.1]", "[::1]",
             "10.0.0.1", "192.168.1.1", "169.254.169.254", "224.0.0.1", "0.0.0.0",
             "[::127.0.0.1]", "[::ffff:0:7f00:1]", "[64:ff9b::7f00:1]", "[64:ff9b::a00:1]",
             "[2002:7f00:1::]", "[fec0::1]", "[2001:0:4136:e378:8000:63bf:3fff:fdd2]"],
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


def test_a_name_that_does_not_resolve_is_refused_only_when_a_proxy_would_carry_it():
    guard = NetworkGuardMiddleware(allow_private_network=False)
    url = "http://intranet.invalid/wiki/runbook"
    assert asyncio.run(guard.process_request(Request(url))) is None  # the download reports it
    with pytest.raises(RefusedRequest, match="intranet.invalid does not resolve here"):
        asyncio.run(guard.process_request(Request(url, meta={"proxy": "http://127.0.0.1:3128"})))
    proxied = NetworkGuardMiddleware(allow_private_network=False, proxied_schemes=frozenset({"http"}))
    with pytest.raises(RefusedRequest, match="intranet.invalid does not resolve here"):
        asyncio.run(proxied.process_request(Request(url)))
    assert asyncio.run(proxied.process_request(Request("http://93.184.216.34/"))) is None


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


# Each address and whether the guard lets it be fetched. Forms that carry an IPv4 address
# are judged by it where it is the destination (IPv4-mapped, NAT64's well-known prefix) and
# refused whole where it is not, or the form is deprecated (see spiders/middlewares.py).
ADDRESSES = [
    ("8.8.8.8", True),
    ("93.184.216.34", True),
    ("2606:4700::1111", True),
    ("64:ff9b::808:808", True),  # NAT64 (DNS64) spelling of 8.8.8.8: judged by 8.8.8.8
    ("::ffff:8.8.8.8", True),  # IPv4-mapped 8.8.8.8
    ("127.0.0.1", False),
    ("10.0.0.1", False),
    ("169.254.169.254", False),
    ("0.0.0.0", False),
    ("224.0.0.1", False),
    ("::1", False),
    ("::", False),
    ("::ffff:127.0.0.1", False),
    ("::ffff:10.0.0.1", False),
    ("fe80::1", False),
    ("fc00::1", False),
    ("ff02::1", False),
    ("ff0e::1", False),  # global-scope multicast
    ("::127.0.0.1", False),  # IPv4-compatible (deprecated, RFC 4291)
    ("::8.8.8.8", False),
    ("::ffff:0:7f00:1", False),  # IPv4-translated (RFC 2765)
    ("::ffff:0:808:808", False),
    ("64:ff9b::7f00:1", False),  # NAT64 well-known prefix carrying 127.0.0.1
    ("64:ff9b::a00:1", False),  # ... carrying 10.0.0.1
    ("64:ff9b::a9fe:a9fe", False),  # ... carrying 169.254.169.254
    ("64:ff9b:1::808:808", False),  # NAT64 local-use prefix (RFC 8215): a private translator
    ("2002:7f00:1::", False),  # 6to4 (deprecated, RFC 7526) carrying 127.0.0.1
    ("2002:808:808::1", False),  # ... carrying 8.8.8.8: the host is behind it, not at it
    ("fec0::1", False),  # site-local (deprecated, RFC 3879)
    ("2001::1", False),  # Teredo
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),  # Teredo, a public server and client
    ("2001:db8::1", False),  # documentation
    ("3fff::1", False),  # documentation (RFC 9637)
]


@pytest.mark.parametrize("address, public", ADDRESSES, ids=[address for address, _ in ADDRESSES])
def test_which_addresses_are_public(address, public):
    assert is_public(ipaddress.ip_address(address)) is public


def test_the_resolver_judges_addresses_as_the_middleware_does():
    import spiders.resolver

    assert spiders.resolver.is_public is is_public


def test_the_resolver_connections_use_refuses_non_public_answers(tmp_path):
    """Against DNS rebinding: even with the middleware's own lookup out of the way (as if it
    had been answered with a public address), the connection's lookup of a name that
    resolves to loopback is refused; --allow-private-network lifts it."""
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
        status, errors, due = conn.execute("SELECT last_status, consecutive_errors, next_due FROM sources").fetchone()
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    assert "non-public address 127.0.0.1" in status, status
    assert (errors or 0) == 0 and due is None  # the user's setting, not the source's failure
    with sqlite3.connect(tmp_path / "b.db") as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    assert "/good" in web.requests


class RecordingProxy:
    """A forward HTTP proxy on 127.0.0.1 with a free port that records each request (the
    absolute URI a proxy is asked for; "CONNECT host:port" for a tunnel) and answers it
    itself: an empty robots.txt, an article for anything else, a refusal for a tunnel."""

    def __init__(self, host: str = "127.0.0.1"):
        self.requests: list[str] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                proxy.requests.append(self.path)
                robots = self.path.endswith("/robots.txt")
                body = b"" if robots else article_html(ARTICLES[0], self.path).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain" if robots else "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_CONNECT(self):
                proxy.requests.append(f"CONNECT {self.path}")
                self.send_response(403)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format, *args):  # noqa: A002 - keep test output clean
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://{host}:{self.server.server_address[1]}"

    def __enter__(self) -> "RecordingProxy":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.server.shutdown()
        self.server.server_close()


def crawl_through(monkeypatch, proxy: RecordingProxy, tmp_path, urls: dict[str, str], *options: str):
    """Crawl `urls` (source id -> URL) with `proxy` as the environment's http proxy, as a user
    with http_proxy exported would: (the run's result, the database's connection). The
    result is not judged here: a run in which every source failed to connect ends "offline"
    with status 1."""
    for name in ("http_proxy", "HTTP_PROXY"):
        monkeypatch.setenv(name, proxy.url)
    for name in ("no_proxy", "NO_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    sources = write_sources(tmp_path / "s.yaml", [Source(id_, id_, "url", url) for id_, url in urls.items()])
    result = run_prodops("crawl", "--sources", str(sources), "--db", str(tmp_path / "p.db"), *FAST,
                         "-s", "RETRY_TIMES=0", *options)
    return result, sqlite3.connect(tmp_path / "p.db")


def statuses(conn) -> dict[str, str]:
    return dict(conn.execute("SELECT id, last_status FROM sources"))


@pytest.mark.parametrize("allow", [[], ["--allow-private-network"]], ids=["guarded", "private-allowed"])
def test_the_environments_proxy_is_not_used_by_default(tmp_path, monkeypatch, allow):
    """An exported http_proxy would resolve a name this machine cannot (an intranet's) out
    of the guard's sight: by default no request goes to it, and a name that does not
    resolve fails as a DNS error, as without a proxy. With --allow-private-network too: the
    proxy is off, not merely refused by the guard."""
    with RecordingProxy() as proxy:
        result, conn = crawl_through(monkeypatch, proxy, tmp_path, {"intranet": "http://intranet.invalid/wiki/runbook",
                                                                    "lookalike": "http://wiki.northwind.test/runbook"},
                                     *allow)
    assert proxy.requests == []
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    # Both sources failed to connect, so the run is "offline" (status 1) and says why.
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "No network: none of the 2 sources could be reached" in output, output
    # The summary says it once; each source's error is kept in the runs table.
    errors = json.loads(conn.execute("SELECT error_messages FROM runs").fetchone()[0])
    for source, url in [("intranet", "http://intranet.invalid/wiki/runbook"),
                        ("lookalike", "http://wiki.northwind.test/runbook")]:
        host = url.split("/")[2]
        assert (f"{source}: {url}: CannotResolveHostError: DNS lookup failed: "
                f"no results for hostname lookup: {host}.") in errors, errors


def test_through_a_proxy_the_target_is_checked_and_the_proxy_is_not(tmp_path, monkeypatch):
    """HTTPPROXY_ENABLED=True: a target name that does not resolve here is refused before
    the request leaves (the proxy would have resolved it), while the proxy itself, named
    `localhost` here, is the user's choice and is reached without --allow-private-network."""
    with RecordingProxy(host="localhost") as proxy:
        result, conn = crawl_through(monkeypatch, proxy, tmp_path, {"intranet": "http://intranet.invalid/wiki/runbook",
                                                               "public": "http://93.184.216.34/article"},
                                "-s", "HTTPPROXY_ENABLED=True")
    assert result.returncode == 0, result.stderr
    assert not any("intranet" in request for request in proxy.requests), proxy.requests
    assert "http://93.184.216.34/article" in proxy.requests
    status = statuses(conn)
    assert "intranet.invalid does not resolve" in status["intranet"], status
    assert status["public"] == "ok", status
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1


def test_a_proxy_turned_on_carries_allowed_requests(tmp_path, monkeypatch):
    """HTTPPROXY_ENABLED=True and --allow-private-network: a page on 127.0.0.1 is fetched
    through the proxy (which answers it; the server itself is asked nothing)."""
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"), "/good": Route(b"not this one")})
    with web, RecordingProxy() as proxy:
        result, conn = crawl_through(monkeypatch, proxy, tmp_path, {"local": f"{web.base_url}/good"},
                                     "-s", "HTTPPROXY_ENABLED=True", "--allow-private-network")
    assert result.returncode == 0, result.stderr
    assert f"{web.base_url}/good" in proxy.requests and web.requests == []
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1


def test_ipv6_spellings_of_private_addresses_are_refused_in_a_crawl(tmp_path, monkeypatch):
    """Literal IPv6 hosts that stand for loopback, refused before the request leaves (a
    loopback proxy is on, so one the guard let through would reach it, and nothing else)."""
    with RecordingProxy() as proxy:
        result, conn = crawl_through(monkeypatch, proxy, tmp_path, {"compatible": "http://[::127.0.0.1]/admin",
                                                                    "nat64": "http://[64:ff9b::7f00:1]/admin"},
                                     "-s", "HTTPPROXY_ENABLED=True")
    assert result.returncode == 0, result.stderr
    assert proxy.requests == []
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    for source, status in statuses(conn).items():
        assert "non-public address" in status, (source, status)


def test_a_refused_address_is_no_failure_of_the_source_and_the_flag_then_crawls_it(tmp_path):
    """A local source crawled without --allow-private-network is refused, said so, and not
    backed off: the next crawl, with the flag, fetches it at once."""
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"),
                     "/good": Route(article_html(ARTICLES[0], "http://x").encode())})
    with web:
        sources = write_sources(tmp_path / "s.yaml", [Source("local", "l", "url", web.base_url + "/good")])
        db = str(tmp_path / "c.db")
        refused = run_prodops("crawl", "--sources", str(sources), "--db", db, *FAST)
        with sqlite3.connect(db) as conn:
            health = conn.execute("SELECT consecutive_errors, next_due, last_status FROM sources").fetchone()
        allowed = run_prodops("crawl", "--sources", str(sources), "--db", db, *FAST, "--allow-private-network")
    assert refused.returncode == 0 and "--allow-private-network" in refused.stdout + refused.stderr
    assert (health[0] or 0) == 0 and health[1] is None and "allow-private-network" in health[2], health
    assert allowed.returncode == 0 and "backing off" not in allowed.stderr, allowed.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1


def test_a_refused_sitemap_source_says_the_address_was_refused_not_robots_txt(tmp_path):
    """A sitemap source reads the site's robots.txt for the sitemaps it declares: that request,
    refused by the guard, named "robots.txt" in its URL and was reported as "the site's
    robots.txt disallows it", sending the curator to the wrong file."""
    web = StaticWeb({"/robots.txt": Route(b"", "text/plain"),
                     "/sitemap.xml": Route(b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>',
                                           "application/xml")})
    with web:
        # A site root: its robots.txt says where the sitemaps are.
        sources = write_sources(tmp_path / "s.yaml", [Source("map", "m", "sitemap", web.base_url + "/")])
        result = run_prodops("crawl", "--sources", str(sources), "--db", str(tmp_path / "c.db"), *FAST)
    assert result.returncode == 0, result.stderr
    assert "robots.txt disallows" not in result.stdout and "allow-private-network" in result.stdout, result.stdout

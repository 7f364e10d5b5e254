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

"""Downloader middleware that keeps the crawler on the public web.

Only http and https are fetched. Unless PRODOPS_ALLOW_PRIVATE_NETWORK is set (the CLI's
--allow-private-network), a request whose host is, or resolves to, a loopback, private,
link-local, multicast or reserved address is refused. It sits first in the downloader
chain, so robots.txt requests and every hop of a redirect are checked too. Numeric host
forms (2130706433, 0x7f000001, 127.1, [::ffff:127.0.0.1]) are read as the addresses they
stand for, and so are the IPv6 forms that carry an IPv4 address (see is_public).

Proxies. Scrapy's HttpProxyMiddleware (after this one in the chain) sends a request through
the proxy named by http_proxy/https_proxy; the connection then resolves only the proxy's
name, and the proxy resolves the target's, out of our sight: an intranet name this machine
cannot resolve would be fetched by the proxy. So the project turns that middleware off
(HTTPPROXY_ENABLED = False in spiders/settings.py). When it is on (`-s HTTPPROXY_ENABLED=True`)
or a request carries meta["proxy"], the target named in the request's URL (never the proxy)
must resolve here and to public addresses only, or the request is refused before it leaves.
A scheme the environment names a proxy for counts as proxied even for a host no_proxy
exempts: refusing a name that would not have resolved anyway costs nothing. The proxy's own
address is the user's choice and is not checked (spiders/resolver.py).

Without a proxy, a name that does not resolve is left to the download, which fails on it
with a DNS error: nothing can be reached through it, and a source failing that way is
"unreachable" (it backs off, and a run in which every source fails to connect is taken for
the machine being offline), which a refusal would not be.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from urllib.parse import urlsplit
from urllib.request import getproxies

from scrapy.exceptions import IgnoreRequest
from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class RefusedRequest(IgnoreRequest):
    """A request the network guard will not send."""


def literal_address(host: str) -> Address | None:
    """The address a numeric host stands for (any form inet_aton accepts), else None."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


# An IPv6 address in it stands for the IPv4 address in its last 32 bits (RFC 6052), which
# a NAT64 translator connects to: judged by that address, as an IPv4-mapped one is. Networks
# with DNS64 (IPv6-only hosts) get such answers for every IPv4-only public site, so the
# prefix cannot be refused whole.
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
# Never public, though Python's is_global (3.11) says most of them are. Their IPv4 address, where
# they carry one, is not where the connection goes (6to4: the router of a network behind
# it; Teredo: a relay and a client's NAT) or the form is deprecated: refused whole.
NOT_PUBLIC_V6 = (
    # reserved: IPv4-compatible ::a.b.c.d (deprecated, RFC 4291), IPv4-translated ::ffff:0:a.b.c.d
    # (RFC 2765), local-use NAT64 64:ff9b:1::/48 (RFC 8215)
    ipaddress.IPv6Network("::/8"),
    ipaddress.IPv6Network("2002::/16"),  # 6to4 (deprecated, RFC 7526)
    ipaddress.IPv6Network("2001::/32"),  # Teredo
    ipaddress.IPv6Network("fec0::/10"),  # site-local (deprecated, RFC 3879)
    ipaddress.IPv6Network("3fff::/20"),  # documentation (RFC 9637)
)


def is_public(address: Address) -> bool:
    """True for a globally routable unicast address; an IPv4-mapped or NAT64 (64:ff9b::/96)
    address is judged by the IPv4 address it carries."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        elif address in NAT64:
            address = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        elif any(address in network for network in NOT_PUBLIC_V6):
            return False
    return address.is_global and not address.is_multicast


def environment_proxies(settings: BaseSettings) -> dict[str, str]:
    """The proxies (scheme -> proxy URL) Scrapy's HttpProxyMiddleware takes from the
    environment for http and https; none unless HTTPPROXY_ENABLED."""
    if not settings.getbool("HTTPPROXY_ENABLED"):
        return {}
    return {scheme: url for scheme, url in getproxies().items() if scheme in ("http", "https")}


class NetworkGuardMiddleware:
    """Refuse non-http(s) URLs and, unless allowed, requests to non-public addresses, and
    requests a proxy would carry to a name that does not resolve here."""

    def __init__(self, allow_private_network: bool, proxied_schemes: frozenset[str] = frozenset()):
        self.allow_private_network = allow_private_network
        self.proxied_schemes = proxied_schemes  # schemes HttpProxyMiddleware sends through a proxy
        self._resolved: dict[str, list[Address]] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getbool("PRODOPS_ALLOW_PRIVATE_NETWORK"),
                   frozenset(environment_proxies(crawler.settings)))

    async def process_request(self, request):
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https"):
            raise RefusedRequest(f"refused {request.url}: only http and https URLs are fetched")
        if self.allow_private_network:
            return None
        proxied = bool(request.meta.get("proxy")) or parts.scheme in self.proxied_schemes
        addresses = await self._addresses(parts.hostname) if parts.hostname else []
        if proxied and not addresses:
            raise RefusedRequest(
                f"refused {request.url}: {parts.hostname or 'an empty host name'} does not "
                "resolve here, and the proxy would resolve it out of the network guard's sight; "
                "pass --allow-private-network to let the proxy have it"
            )
        for address in addresses:
            if not is_public(address):
                raise RefusedRequest(
                    f"refused {request.url}: {parts.hostname} is a non-public address "
                    f"({address}); pass --allow-private-network to crawl it"
                )
        return None

    async def _addresses(self, host: str) -> list[Address]:
        literal = literal_address(host)
        if literal is not None:
            return [literal]
        if host not in self._resolved:
            loop = asyncio.get_running_loop()
            try:
                infos = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
            except OSError:
                return []  # let the download itself report the DNS failure
            self._resolved[host] = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
        return self._resolved[host]

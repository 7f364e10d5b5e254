"""Downloader middleware that keeps the crawler on the public web.

Only http and https are fetched. Unless PRODOPS_ALLOW_PRIVATE_NETWORK is set (the CLI's
--allow-private-network), a request whose host is, or resolves to, a loopback, private,
link-local, multicast or reserved address is refused. It sits first in the downloader
chain, so robots.txt requests and every hop of a redirect are checked too. Numeric host
forms (2130706433, 0x7f000001, 127.1, [::ffff:127.0.0.1]) are read as the addresses they
stand for.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest

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


def is_public(address: Address) -> bool:
    """True for a globally routable unicast address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


class NetworkGuardMiddleware:
    """Refuse non-http(s) URLs and, unless allowed, requests to non-public addresses."""

    def __init__(self, allow_private_network: bool):
        self.allow_private_network = allow_private_network
        self._resolved: dict[str, list[Address]] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getbool("PRODOPS_ALLOW_PRIVATE_NETWORK"))

    async def process_request(self, request):
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https"):
            raise RefusedRequest(f"refused {request.url}: only http and https URLs are fetched")
        if self.allow_private_network or not parts.hostname:
            return None
        for address in await self._addresses(parts.hostname):
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
            self._resolved[host] = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
        return self._resolved[host]

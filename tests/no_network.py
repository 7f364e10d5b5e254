"""A DNS resolver for tests that stand for a machine with no network: every name fails to
resolve, as it does offline (the one part of the network a test cannot control otherwise).
Used through `-s TWISTED_DNS_RESOLVER=tests.no_network.NoNetworkResolver`."""

from __future__ import annotations

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.error import DNSLookupError


class NoNetworkResolver(CachingThreadedResolver):
    """Fails every lookup, as a machine without a network does."""

    def getHostByName(self, name: str, timeout=()):  # noqa: N802 - Twisted's interface
        return defer.fail(DNSLookupError(f"no network: {name}"))

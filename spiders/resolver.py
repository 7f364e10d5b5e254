"""The DNS resolver of the crawl, refusing non-public answers (against DNS rebinding).

The network guard middleware resolves a host and refuses non-public addresses before a
request is sent, but the connection resolves the name again: a hostile DNS server can answer
a public address to the first lookup and 127.0.0.1 to the second ("DNS rebinding"). This
resolver is the one the connections use (Scrapy's TWISTED_DNS_RESOLVER), so the address connected to
is the address checked. Unless PRODOPS_ALLOW_PRIVATE_NETWORK is set, a name that resolves to
a loopback, private, link-local, multicast or reserved address fails like an unknown name,
with a message that says why. Numeric hosts never reach a resolver; the middleware checks them.
"""

from __future__ import annotations

import ipaddress

from scrapy.resolver import CachingThreadedResolver
from twisted.internet.error import DNSLookupError

from spiders.middlewares import is_public

# name -> why it was refused. Twisted reports any failed lookup to the request as "no
# results for hostname lookup", so spiders.responses.describe_failure reads the reason here.
REFUSED: dict[str, str] = {}


class PublicOnlyResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, refusing non-public addresses unless allowed."""

    allow_private_network = False

    @classmethod
    def from_crawler(cls, crawler, reactor):
        resolver = super().from_crawler(crawler, reactor)
        resolver.allow_private_network = crawler.settings.getbool("PRODOPS_ALLOW_PRIVATE_NETWORK")
        return resolver

    def getHostByName(self, name: str, timeout=()):  # noqa: N802 - Twisted's interface
        resolved = super().getHostByName(name, timeout)
        if not self.allow_private_network:
            resolved.addCallback(self._refuse_non_public, name)
        return resolved

    @staticmethod
    def _refuse_non_public(address: str, name: str) -> str:
        if not is_public(ipaddress.ip_address(address)):
            REFUSED[name] = (f"refused: {name} resolves to the non-public address {address} "
                             "(pass --allow-private-network to crawl it)")
            raise DNSLookupError(REFUSED[name])
        return address

"""The DNS resolver of the crawl, refusing non-public answers (against DNS rebinding).

The network guard middleware resolves a host and refuses non-public addresses before a
request is sent, but the connection resolves the name again: a hostile DNS server can answer
a public address to the first lookup and 127.0.0.1 to the second ("DNS rebinding"). This
resolver is the one the connections use (Scrapy's TWISTED_DNS_RESOLVER), so the address connected to
is the address checked. Unless PRODOPS_ALLOW_PRIVATE_NETWORK is set, a name that resolves to
a loopback, private, link-local, multicast or reserved address fails like an unknown name,
with a message that says why. A target's numeric host never reaches a resolver; the
middleware checks it.

Through a proxy (HTTPPROXY_ENABLED and http_proxy/https_proxy set) the connection resolves
the proxy's name (or address: connections to a proxy ask the resolver even for 127.0.0.1),
never the target's: the target was checked by the middleware, and the proxy resolves it
again where no check of ours can follow. The proxies the environment names are the user's
choice, often on loopback or the office network, so their hosts are not checked here: a
proxy on 127.0.0.1 needs no --allow-private-network, which would open every target too.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from scrapy.resolver import CachingThreadedResolver
from scrapy.utils.url import add_http_if_no_scheme
from twisted.internet.error import DNSLookupError

from spiders.middlewares import environment_proxies, is_public

# name -> why it was refused. Twisted reports any failed lookup to the request as "no
# results for hostname lookup", so spiders.responses.describe_failure reads the reason here.
REFUSED: dict[str, str] = {}


class PublicOnlyResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, refusing non-public addresses unless allowed."""

    allow_private_network = False
    proxy_hosts: frozenset[str] = frozenset()  # the environment's proxies: not checked

    @classmethod
    def from_crawler(cls, crawler, reactor):
        resolver = super().from_crawler(crawler, reactor)
        resolver.allow_private_network = crawler.settings.getbool("PRODOPS_ALLOW_PRIVATE_NETWORK")
        resolver.proxy_hosts = proxy_hosts(crawler.settings)
        return resolver

    def getHostByName(self, name: str, timeout=()):  # noqa: N802 - Twisted's interface
        resolved = super().getHostByName(name, timeout)
        if not self.allow_private_network and name not in self.proxy_hosts:
            resolved.addCallback(self._refuse_non_public, name)
        return resolved

    @staticmethod
    def _refuse_non_public(address: str, name: str) -> str:
        if not is_public(ipaddress.ip_address(address)):
            REFUSED[name] = (f"refused: {name} resolves to the non-public address {address} "
                             "(pass --allow-private-network to crawl it)")
            raise DNSLookupError(REFUSED[name])
        return address


def proxy_hosts(settings) -> frozenset[str]:
    """The host names (or addresses) of the proxies HttpProxyMiddleware takes from the
    environment; none unless HTTPPROXY_ENABLED."""
    hosts = {urlsplit(add_http_if_no_scheme(url)).hostname for url in environment_proxies(settings).values()}
    return frozenset(host for host in hosts if host)

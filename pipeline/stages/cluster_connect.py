"""Reaching a Dask cluster (pipeline.stages.cluster): whether its address may be trusted before
any connection (check_address: loopback, or tls:// with this client's certificate, or
--cluster-insecure), and a client whose workers all run this version (connect_and_check,
executor); ClusterError says in words why a cluster cannot be used.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
from urllib.parse import urlsplit

import dask.config
from distributed import Client
from distributed.comm import parse_address, parse_host_port

from pipeline.stages.cluster_tasks import PACKAGE, answers, installed_version

CONNECT_TIMEOUT = "10s"  # to reach the scheduler before giving up, unless Dask's config says otherwise


class ClusterError(Exception):
    """The cluster cannot be used: unreachable, or its workers run another version."""


def check_address(address: str, insecure: bool = False) -> str | None:
    """Decide, before any connection, whether the cluster at `address` may be trusted; raise
    ClusterError (in words) when it may not; return a warning to print, or None.

    The crawler unpickles what the workers answer, so a worker can run code on the crawler as
    surely as the crawler runs code on the workers: whoever can join the scheduler must be
    someone the user chose. On loopback that is this machine's users (any scheme). Anywhere
    else the address must be `tls://` with this client's certificate, key and CA configured
    (Dask's mutual TLS: the scheduler then admits only holders of a certificate of that CA);
    `insecure` (--cluster-insecure) accepts a plain address anyway, with a warning. A name
    is loopback only if it resolves to loopback addresses alone: one that does not resolve
    is refused like any other remote name, without a connection being tried."""
    _check_syntax(address)
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if _is_loopback(parts.hostname):
        return None
    if parts.scheme == "tls":
        missing = _missing_client_tls()
        if not missing:
            return None
        if not insecure:
            raise ClusterError(f"--cluster {address}: mutual TLS needs this client's {' and '.join(missing)}: set "
                               f"{', '.join(TLS_VARIABLES[m] for m in missing)} "
                               "(see docs/scale.md, \"When one machine is not enough\"), "
                               "or pass --cluster-insecure to trust the cluster without them")
    elif not insecure:
        raise ClusterError(f"--cluster {address}: a cluster that is not on this machine must be reached over tls:// "
                           "with client certificates (its workers can run code on this crawler, and anyone who "
                           "reaches a plain scheduler can join as a worker); see docs/scale.md, \"When one machine "
                           "is not enough\", or pass --cluster-insecure to trust it anyway")
    return (f"warning: --cluster-insecure: trusting the Dask cluster at {address} without mutual TLS: anyone who "
            "can reach its scheduler can run code on its workers and on this crawler.")


def _check_syntax(address: str) -> None:
    """A malformed address is said as such (a Client half-made from it hangs at exit)."""
    try:
        parse_host_port(parse_address(address)[1])
    except ValueError as error:
        raise ClusterError(f"--cluster {address!r}: {error}; give an address such as tls://host:8786") from None


# The Dask settings a client's side of mutual TLS needs, and the variables that set them.
TLS_SETTINGS = {"CA file": "distributed.comm.tls.ca-file", "certificate": "distributed.comm.tls.client.cert",
                "key": "distributed.comm.tls.client.key"}
TLS_VARIABLES = {"CA file": "DASK_DISTRIBUTED__COMM__TLS__CA_FILE",
                 "certificate": "DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT",
                 "key": "DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY"}


def _missing_client_tls() -> list[str]:
    return [what for what, setting in TLS_SETTINGS.items() if not dask.config.get(setting, None)]


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        addresses = {str(info[4][0]) for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)}
    except OSError:
        return False  # cannot tell: refused as a remote name would be
    return bool(addresses) and all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses)


@functools.cache
def client_defaults() -> None:
    """Add CONNECT_TIMEOUT to Dask's defaults, as a library adds its own: a value the user
    set (config file or environment) still wins, Dask's own default (30 s) does not. Called
    before a client connects, so a worker that imports this module keeps Dask's."""
    dask.config.update_defaults({"distributed": {"comm": {"timeouts": {"connect": CONNECT_TIMEOUT}}}})


def connect_and_check(address: str) -> dict[str, str]:
    """Connect once (synchronously) to check the cluster before a crawl writes anything:
    return {worker: version}; raise ClusterError in words when it cannot be used."""
    client, versions = _checked_client(address)
    client.close()
    return versions


def _checked_client(address: str) -> tuple[Client, dict[str, str]]:
    """A client of the cluster whose workers run this version, and {worker: version}; raise
    ClusterError in words (the client closed) when it cannot be used."""
    _check_syntax(address)
    client_defaults()
    try:
        client = Client(address, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {error}; start it "
                           "(`dask scheduler`) or give another --cluster address") from None
    try:
        versions = answers(client.run(installed_version, on_error="return"))
        check_versions(versions)
    except BaseException:
        client.close()
        raise
    return client, versions


def executor(address: str) -> Client:
    """A checked client of the cluster for batch work (`prodops retag --cluster`): its
    `submit` and futures' `result()` are what retag's pool needs. Close it when done."""
    return _checked_client(address)[0]


def check_versions(versions: dict[str, str]) -> None:
    mine = installed_version()
    if not versions:
        raise ClusterError("the Dask scheduler has no workers; start some with `dask worker ADDRESS`")
    for worker, theirs in sorted(versions.items()):
        if theirs != mine:
            raise ClusterError(f"worker {worker} runs {PACKAGE} {theirs}, this crawler {mine}: install the "
                               "same version on every machine of the cluster")

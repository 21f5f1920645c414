"""The private-address guard: a url from a feed must not make newsbot fetch internal services.

The check runs where the connection is made: the host name is resolved here, every address is
checked, and the socket connects to a checked address. So a name that resolves to 10.0.0.5, a
DNS answer that changes between check and connect, and a redirect to an internal host are all
refused (each redirect opens its connection through the same backend).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable

import httpcore
import httpx

from index.errors import NewsbotError

NAT64 = ipaddress.ip_network("64:ff9b::/96")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class PrivateAddress(NewsbotError):
    """A connection to a private, loopback, link-local or otherwise non-public address was refused.

    Raised while connecting, where the url is not known; fetching turns it into an AddressRefused naming the url.
    """

    def __init__(self, host: str, address: str):
        super().__init__(f"{host} resolves to {address}, a private or local address "
                         "(set NEWSBOT_FETCH_ALLOW_PRIVATE=true to allow it)")
        self.host = host
        self.address = address


def is_internal(ip: Address) -> bool:
    """Private, loopback, link-local, shared, reserved, multicast or unspecified (IPv4 inside IPv6 too)."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour or (
            ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF) if ip in NAT64 else None)
        if inner is not None:
            return is_internal(inner)
    return not ip.is_global or ip.is_multicast


def literal_address(host: str) -> Address | None:
    """The address when a url's host is an IP literal, else None."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's socket backend, resolving names itself and connecting only to allowed addresses."""

    def __init__(self, blocked: Callable[[Address], bool]):
        self.blocked = blocked

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise httpcore.ConnectError(f"cannot resolve {host} ({exc.strerror})") from exc
        addresses = [info[4][0] for info in infos]
        allowed = [a for a in addresses if not self.blocked(ipaddress.ip_address(a.split("%", 1)[0]))]
        if not allowed:
            raise PrivateAddress(host, addresses[0] if addresses else "nothing")
        error: Exception | None = None
        for address in allowed:  # the checked address itself, never the name again
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        raise error


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport over the guarded backend (no proxies from the environment: they would bypass it)."""

    def __init__(self, blocked: Callable[[Address], bool], max_connections: int = 20):
        super().__init__(trust_env=False)
        # httpx does not take a network backend, so the pool it built is replaced by one with ours
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            keepalive_expiry=5.0,
            network_backend=GuardedBackend(blocked),
        )


def policy(allow_private: bool) -> Callable[[Address], bool]:
    """Which addresses are refused: the internal ones, or none when private addresses are allowed."""
    return (lambda _ip: False) if allow_private else is_internal

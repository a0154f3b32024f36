"""Which addresses a fetch may connect to: a host name is resolved once and every address checked.

Only public (globally routable) unicast addresses pass unless private ones are allowed explicitly;
`ipaddress` knows the special ranges (loopback, RFC 1918, link-local with the cloud metadata
address 169.254.169.254, carrier-grade NAT, ULA, multicast, reserved).
"""

from __future__ import annotations

import ipaddress
import socket

__all__ = ["AddressRefused", "resolve_checked", "describe"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(Exception):
    """A host resolved to an address that is not public; the fetcher turns it into a BlockedURLError."""

    def __init__(self, host: str, address: str, kind: str) -> None:
        self.host = host
        self.address = address
        self.kind = kind
        shown = host if host == address else f"{host} resolves to {address}, which"
        super().__init__(f"{shown} is a {kind} address")


def resolve_checked(host: str, port: int, allow_private: bool) -> str:
    """The address to connect to for `host`: resolved once, and every address it has checked.

    Refusing when *any* address is not public (not only the one we would pick) keeps a name that
    mixes a public and a private address from being used to reach the private one on a retry.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise OSError(f"cannot resolve host {host}: {getattr(exc, 'strerror', None) or exc}") from exc
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise OSError(f"cannot resolve host {host}: no address")
    if not allow_private:
        for address in addresses:
            kind = describe(ipaddress.ip_address(address.split("%", 1)[0]))
            if kind is not None:
                raise AddressRefused(host, address, kind)
    return addresses[0]


def describe(ip: IPAddress) -> str | None:
    """None for a public unicast address; otherwise the kind of address it is, for the error."""
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv4 address wrapped in IPv6 (::ffff:127.0.0.1, 6to4, Teredo) reaches the IPv4 host.
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if inner is not None:
            return describe(inner)
    if str(ip) in METADATA:
        return "cloud metadata"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_multicast:
        return "multicast"
    if ip.is_private:
        return "private"
    if not ip.is_global:
        return "reserved (not publicly routable)"
    return None


# Cloud instance-metadata endpoints (AWS, ECS, AWS IPv6, Alibaba); all are refused anyway as
# link-local, private or CGNAT, but naming them makes the error say why it matters.
METADATA = frozenset({"169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200"})

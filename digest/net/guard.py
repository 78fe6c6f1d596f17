"""Keep feeds from making digest fetch internal addresses.

A feed is written by a stranger: an entry linking to `http://127.0.0.1/admin`
or `http://169.254.169.254/` (or a page redirecting there) would otherwise be
fetched from inside the network and its text mailed to every reader. Unless
`[fetch] allow_private = true`, every connection is checked *after* name
resolution, where it is opened: the HTTP client's network layer is replaced
by `GuardedBackend`, which resolves the host itself, refuses loopback,
private, link-local, multicast, reserved and unspecified addresses, and
connects to an address it checked. `[fetch] allow_networks` lets chosen
internal networks through (an intranet feed server) without opening all. So the first request, every redirect
hop, and a name that resolves differently the second time (DNS rebinding)
all pass the same check. Proxy settings from the environment are not used:
through a proxy the address that is reached could not be checked.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable, Sequence
from typing import Any

import httpcore
import httpx

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class AddressRefused(Exception):
    """The host resolves only to addresses that are not fetched; the message says why in one line."""


def refusal(address: IpAddress, allowed: Sequence[Network] = ()) -> str | None:
    """Why `address` is not fetched (a kind of address), or None when it is
    public or in one of the `allowed` networks."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if any(address.version == net.version and address in net for net in allowed):
        return None
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved or not address.is_global),
    )
    return next((kind for kind, hit in checks if hit), None)


async def public_addresses(host: str, port: int, allowed: Sequence[Network] = ()) -> list[str]:
    """The addresses of `host` that may be fetched; AddressRefused when there are none."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpcore.ConnectError(f"cannot resolve the host ({exc})") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    usable: list[tuple[str, str | None]] = []
    refused: list[tuple[str, str | None]] = []
    for text in addresses:
        why = refusal(ipaddress.ip_address(text.split("%")[0]), allowed)
        (refused if why else usable).append((text, why))
    if not usable:
        text, why = refused[0]
        shown = host if host == text else f"{host} ({text})"
        raise AddressRefused(
            f"refused: {shown} is {'an' if why == 'unspecified' else 'a'} {why} address "
            "(fetch.allow_networks or fetch.allow_private would allow it)"
        )
    return [text for text, _ in usable]


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network layer, connecting only to addresses that `refusal` allows."""

    def __init__(self, allowed: Sequence[Network] = ()) -> None:
        self.inner = httpcore.AnyIOBackend()
        self.allowed = allowed

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        last: Exception | None = None
        for address in await public_addresses(host, port, self.allowed):
            try:
                # TLS still checks the certificate against the host name: httpcore
                # passes the URL's host to start_tls, not this address.
                return await self.inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except httpcore.ConnectError as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def make_transport(
    limits: httpx.Limits, allow_private: bool, allow_networks: Sequence[str] = ()
) -> httpx.AsyncHTTPTransport:
    """The client's transport: httpx's own, on a guarded network layer unless
    `allow_private`; `allow_networks` are internal networks fetched all the same."""
    transport = httpx.AsyncHTTPTransport(limits=limits, trust_env=False)
    if allow_private:
        return transport
    # httpx has no public way to hand its pool a network backend, so the pool is
    # rebuilt with the same settings and ours (httpcore's documented parameter).
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=GuardedBackend([ipaddress.ip_network(n, strict=False) for n in allow_networks]),
    )
    return transport

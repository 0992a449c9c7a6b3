"""Who the client is, behind the reverse proxies named in `PROCURE_TRUSTED_PROXIES`.

`X-Forwarded-For` and `X-Forwarded-Proto` are anyone's to send, so they are believed only
when the connection comes from a trusted proxy: then the client is the right-most
forwarded address that is not itself a trusted proxy, and the scheme is the proxy's.
From anyone else (loopback included) the headers are ignored and the client is the
connection's peer. `procure serve` runs uvicorn with its own proxy handling off, so this
is the only place that decides; the sign-in throttle counts by the address it leaves in
the request's `client`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from litestar.middleware.base import DefineMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def _is_trusted(address, trusted: Sequence[Network]) -> bool:
    return address is not None and any(address in network for network in trusted)


def forwarded_client(peer: str, forwarded_for: str, trusted: Sequence[Network]) -> str:
    """The client's address: `peer`, or the address a trusted proxy forwarded."""
    if not _is_trusted(_address(peer), trusted):
        return peer
    client = peer
    for hop in reversed([part.strip() for part in forwarded_for.split(",") if part.strip()]):
        address = _address(hop)
        if address is None:
            break  # a malformed hop: the last well-formed one stands
        client = str(address)
        if not _is_trusted(address, trusted):
            break
    return client


class TrustedProxyHeaders:
    def __init__(self, app: ASGIApp, trusted: Sequence[str]) -> None:
        self.app = app
        self.trusted = tuple(ipaddress.ip_network(network, strict=False) for network in trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        peer = scope.get("client")
        if scope["type"] in ("http", "websocket") and peer and _is_trusted(_address(peer[0]), self.trusted):
            headers: dict[str, str] = {}
            for raw_name, value in scope.get("headers", []):
                name = raw_name.decode("latin-1").lower()
                if name in ("x-forwarded-for", "x-forwarded-proto"):
                    text = value.decode("latin-1")
                    headers[name] = f"{headers[name]},{text}" if name in headers else text
            scope["client"] = (forwarded_client(peer[0], headers.get("x-forwarded-for", ""), self.trusted), 0)
            proto = headers.get("x-forwarded-proto", "").split(",")[-1].strip().lower()
            if proto in ("http", "https"):
                scope["scheme"] = proto
        await self.app(scope, receive, send)


def trusted_proxy_headers(trusted: Sequence[str]) -> DefineMiddleware:
    """The middleware, for the networks of `Settings.trusted_proxies`."""
    return DefineMiddleware(TrustedProxyHeaders, trusted=trusted)


def client_address(connection) -> str:
    """The client's address as the middleware left it (a request, or any connection)."""
    return connection.client.host if connection.client else "unknown"

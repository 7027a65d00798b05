"""The address a request comes from, for the sign-in throttle.

X-Forwarded-For is believed only when the direct peer is a proxy named in ILP_TRUSTED_PROXIES;
otherwise anyone could name a fresh address with each try. uvicorn runs with its own proxy-header
handling off (bot/web/__main__.py), so the peer it reports is the real one.
"""
from __future__ import annotations

import ipaddress
from typing import Sequence

from fastapi import Request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def client_address(request: Request) -> str:
    peer = request.client.host if request.client else "unknown"
    return forwarded_client(peer, request.headers.get("x-forwarded-for"), request.app.state.trusted_proxies)


def forwarded_client(peer: str, forwarded_for: str | None, trusted: Sequence[Network]) -> str:
    """The peer, or behind trusted proxies the nearest address in X-Forwarded-For that none of them is.

    Each proxy appends the address it saw, so the hops are read from the right: what a client wrote
    itself is further left and never reached while a trusted proxy vouches for the hop after it.
    """
    if not forwarded_for or not _is_trusted(peer, trusted):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, trusted):
            return hop
    return hops[0] if hops else peer


def _is_trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)

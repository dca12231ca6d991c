"""The client's address, read from X-Forwarded-For only when our own proxy sent the request.

`DJANGO_TRUSTED_PROXIES` lists the addresses or networks of our proxies, or `unix`: requests that
came through the app server's unix socket (gunicorn gives them no address), for app servers that
listen only on a socket nginx alone may open (deploy/systemd, `make cluster`). A request from
anywhere else is taken at its socket address and its forwarding headers are dropped, so a client
that reaches gunicorn directly cannot forge an address per request to escape the screening rate
limit or the sign-in lockout.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Headers only a trusted proxy may set; from anyone else they are removed before Django reads them
# (X-Forwarded-Proto would otherwise make a plain-HTTP request look secure).
FORWARDING_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_FORWARDED",
)


# The DJANGO_TRUSTED_PROXIES entry for "through our unix socket".
UNIX_SOCKET = "unix"


def parse_networks(entries: Iterable[str]) -> tuple[IPNetwork, ...]:
    """Networks from addresses or CIDR blocks (`unix` aside); raises ValueError on anything else."""
    return tuple(
        ipaddress.ip_network(e.strip(), strict=False)
        for e in entries
        if e.strip() and e.strip() != UNIX_SOCKET
    )


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return parse_networks(entries)


def _address(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def is_trusted_proxy(address: str) -> bool:
    if address == "":
        # Only a unix-socket peer has no address; trusted when the socket is nginx's alone.
        return UNIX_SOCKET in (e.strip() for e in settings.TRUSTED_PROXIES)
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    parsed = _address(address)
    if parsed is None or not networks:
        return False
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped:
        parsed = parsed.ipv4_mapped
    return any(parsed in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The address of whoever connected to our outermost trusted proxy.

    Walk X-Forwarded-For from the right while each hop is one of our proxies; the first address
    that is not ours is the client. Anything left of it was written by the client and is ignored.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    if not is_trusted_proxy(remote):
        return remote
    hops = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    client = remote
    for hop in reversed([h for h in hops if h]):
        if _address(hop) is None:
            # Our proxies write valid addresses; garbage came from the client's side.
            break
        client = hop
        if not is_trusted_proxy(hop):
            break
    return client


class ForwardedHeadersMiddleware:
    """Drop forwarding headers unless the request came from a trusted proxy. Runs first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR", "")):
            for header in FORWARDING_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)

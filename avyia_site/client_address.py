"""The client's address, read safely behind a known number of proxies."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address of whoever connected to our first trusted proxy.

    With DJANGO_TRUSTED_PROXY_COUNT = n, the last n entries of X-Forwarded-For were written by our
    own proxies; anything left of them came from the client and can be forged, so it is ignored.
    """
    count = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if count <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]

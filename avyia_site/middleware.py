from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class HealthCheckMiddleware:
    """Answer `/healthz` before anything reads the Host header or touches a session.

    A load balancer probes by address over plain HTTP, so this path is exempt from the host check
    (answered here, before `request.get_host()` is ever called) and from the HTTPS redirect
    (`SECURE_REDIRECT_EXEMPT`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info != "/healthz":
            return self.get_response(request)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            response = HttpResponse("database unavailable\n", status=503, content_type="text/plain")
        else:
            response = HttpResponse("ok\n", content_type="text/plain")
        response["Cache-Control"] = "no-store"
        return response


class SecurityHeadersMiddleware:
    """Headers Django's own settings do not cover, and the admin's no-index and no-store."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.admin_prefix = "/" + settings.ADMIN_URL

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if request.path_info.startswith(self.admin_prefix):
            # robots.txt must not name the admin path, so the admin asks not to be indexed itself.
            response["X-Robots-Tag"] = "noindex, nofollow"
            # Every admin page can show patient data: no browser or proxy may keep a copy.
            add_never_cache_headers(response)
        return response

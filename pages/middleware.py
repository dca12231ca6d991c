from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import cc_delim_re

from .cache import CachedPage, content_version, is_shared_page

logger = logging.getLogger(__name__)

_CACHEABLE_METHODS = {"GET", "HEAD"}
_REFUSED_CACHE_CONTROL = {"private", "no-store", "no-cache"}


class SharedPageCacheMiddleware:
    """Serve whole rendered content pages from memory, before sessions, CSRF and auth run.

    It sits right after the health check, inside the middleware that adds the security headers
    (SecurityMiddleware, CSP, Permissions-Policy, X-Frame-Options, CORP), which treats a stored page
    exactly as a fresh one: a hit carries the same headers a freshly rendered page would.

    Each request reads the content version from the shared cache once; a page is served from
    memory only if it was rendered at that version. Pages are kept by path, and the path carries
    the language (`/faq/`, `/es/faq/`), so each language has its own copy. The query string plays
    no part: opted-in views never read it, so `/faq/?utm_source=x` is `/faq/`, and the store stays
    one entry per page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.pages: dict[str, CachedPage] = {}
        # Belt and braces: whatever a view claims, pages that can carry patient data are never kept.
        self.never_cached_prefixes = (
            "/screening/",
            *(
                f"/{code}/screening/"
                for code, _name in settings.LANGUAGES
                if code != settings.LANGUAGE_CODE
            ),
            "/" + settings.ADMIN_URL,
        )

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method not in _CACHEABLE_METHODS or request.path.startswith(
            self.never_cached_prefixes
        ):
            return self.get_response(request)
        try:
            version = content_version()
        except Exception:
            # A cache outage must not take the site down: render as if nothing were cached.
            logger.exception("Content version unavailable; serving pages uncached.")
            return self.get_response(request)

        page = self.pages.get(request.path)
        if page is not None and page.version == version and _host_allowed(request):
            return page.respond(request)

        response = self.get_response(request)
        if not self._storable(request, response):
            return response
        page = CachedPage.from_response(response, version=version)
        self.pages[request.path] = page
        return page.respond(request)

    def _storable(self, request: HttpRequest, response: HttpResponseBase) -> bool:
        if not is_shared_page(response) or response.status_code != 200:
            return False
        if response.streaming or response.cookies:
            return False
        vary = {v.lower() for v in cc_delim_re.split(response.get("Vary", ""))}
        if "cookie" in vary:
            return False
        cache_control = {
            d.split("=")[0].strip().lower() for d in response.get("Cache-Control", "").split(",")
        }
        return isinstance(response, HttpResponse) and not cache_control & _REFUSED_CACHE_CONTROL


def _host_allowed(request: HttpRequest) -> bool:
    """The ALLOWED_HOSTS check; a bad host goes down the normal path to its usual 400 page."""
    try:
        request.get_host()
    except DisallowedHost:
        return False
    return True

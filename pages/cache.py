"""Whole-page caching for the public content pages.

Two parts:

* The content version, bumped whenever staff change published content and read once per request.
  It lives in the default cache, which every worker and app server shares (CACHE_URL), so a change
  saved in one process shows in all of them. Each process keeps what it read for at most
  CONTENT_VERSION_MAX_AGE seconds (1 by default), which spares a shared cache (Redis) a round
  trip on every page; the process that saved the change sees it at once.
* Rendered pages, kept per process and keyed by path and content version: the identity body, its
  Brotli and gzip forms (compressed once per version, not per request) and the exact headers the
  view's response carried. `pages.middleware.SharedPageCacheMiddleware` serves them.

Only views that opt in with `SharedPageMixin` are cached: their response must depend on nothing but
the URL path and the published content, the same for every visitor.
"""

from __future__ import annotations

import gzip
import hashlib
import time
from dataclasses import dataclass

import brotli
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.utils.cache import cc_delim_re
from django.utils.http import parse_etags

CONTENT_VERSION_KEY = "pages:content-version"

# Browsers revalidate every time (a cheap 304 while nothing changed), so an edit shows at once.
# Public: the page carries no per-user state, so a shared proxy may keep it too.
SHARED_PAGE_CACHE_CONTROL = "max-age=0, must-revalidate, public"

# Headers that describe one encoded body; each variant sets its own.
_PER_VARIANT_HEADERS = {"content-length", "content-encoding", "etag", "cache-control", "vary"}
# A 304 carries no body, so none of the headers describing one.
_BODY_HEADERS = {"content-length", "content-encoding", "content-type"}

_SHARED_PAGE_ATTRIBUTE = "shared_page"


# (version, when it was read) in this process; replaced whole, so threads never see half of it.
_read: tuple[str, float] | None = None


def content_version() -> str:
    global _read
    now = time.monotonic()
    if _read is not None and now - _read[1] < settings.CONTENT_VERSION_MAX_AGE:
        return _read[0]
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        version = str(time.time_ns())
        # add() so that two workers racing here agree on one value.
        cache.add(CONTENT_VERSION_KEY, version, timeout=None)
        version = cache.get(CONTENT_VERSION_KEY, version)
    _read = (version, now)
    return version


def bump_content_version() -> None:
    """Call after any change to content that pages render (FAQ entries, references).

    The version changes at once and again when the surrounding transaction commits: a page
    rendered in between, from data not yet committed, is then not served under the new version.
    """
    _set_new_version()
    transaction.on_commit(_set_new_version)


def _set_new_version() -> None:
    global _read
    version = str(time.time_ns())
    cache.set(CONTENT_VERSION_KEY, version, timeout=None)
    _read = (version, time.monotonic())


# --- Opting in -----------------------------------------------------------------------------------


class SharedPageMixin:
    """For views whose response is the same for every visitor: cached whole, never per user.

    The template context gets `shared_page`, which keeps base.html from reading the messages
    store (a cookie and the session), so rendering such a page touches no per-user state.
    """

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["shared_page"] = True
        return context

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        response = super().dispatch(request, *args, **kwargs)
        setattr(response, _SHARED_PAGE_ATTRIBUTE, True)
        return response


def is_shared_page(response: HttpResponseBase) -> bool:
    return getattr(response, _SHARED_PAGE_ATTRIBUTE, False)


# --- Rendered pages ------------------------------------------------------------------------------


def preferred_encoding(accept_encoding: str) -> str:
    """ "br", "gzip" or "identity": the best encoding the client accepts (q=0 refuses one)."""
    accepted: dict[str, float] = {}
    for item in accept_encoding.lower().split(","):
        name, _, params = item.partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        accepted[name.strip()] = quality
    wildcard = accepted.get("*", 0.0)
    for encoding in ("br", "gzip"):
        if accepted.get(encoding, wildcard) > 0:
            return encoding
    return "identity"


@dataclass(frozen=True)
class _Variant:
    body: bytes
    headers: dict[str, str]
    not_modified_headers: dict[str, str]


@dataclass(frozen=True)
class CachedPage:
    """One rendered page at one content version, ready to serve in every encoding."""

    version: str
    etag: str
    variants: dict[str, _Variant]

    @classmethod
    def from_response(cls, response: HttpResponse, *, version: str) -> CachedPage:
        """Keep the response's body and headers; add the ETag, revalidation and encodings."""
        body = response.content
        # Weak: the br, gzip and identity bodies are the same page, so one validator serves all.
        etag = f'W/"{hashlib.sha256(body).hexdigest()[:40]}"'
        vary = [v for v in cc_delim_re.split(response.get("Vary", "")) if v]
        if "accept-encoding" not in {v.lower() for v in vary}:
            vary.append("Accept-Encoding")
        kept = {
            name: value
            for name, value in response.items()
            if name.lower() not in _PER_VARIANT_HEADERS
        }
        bodies = {
            "br": brotli.compress(body, mode=brotli.MODE_TEXT, quality=11),
            "gzip": gzip.compress(body, compresslevel=9, mtime=0),
        }
        variants = {"identity": _variant(body, kept, etag=etag, vary=vary, encoding=None)}
        for encoding, compressed in bodies.items():
            if len(compressed) < len(body):
                variants[encoding] = _variant(
                    compressed, kept, etag=etag, vary=vary, encoding=encoding
                )
            else:
                variants[encoding] = variants["identity"]
        return cls(version=version, etag=etag, variants=variants)

    def respond(self, request: HttpRequest) -> HttpResponse:
        variant = self.variants[preferred_encoding(request.META.get("HTTP_ACCEPT_ENCODING", ""))]
        if self._matches(request.META.get("HTTP_IF_NONE_MATCH")):
            return HttpResponseNotModified(headers=variant.not_modified_headers)
        return HttpResponse(variant.body, headers=variant.headers)

    def _matches(self, if_none_match: str | None) -> bool:
        if not if_none_match:
            return False
        etags = parse_etags(if_none_match)
        if etags == ["*"]:
            return True
        # Weak comparison, as RFC 9110 asks for If-None-Match.
        return self.etag.removeprefix("W/") in {tag.removeprefix("W/") for tag in etags}


def _variant(
    body: bytes, kept: dict[str, str], *, etag: str, vary: list[str], encoding: str | None
) -> _Variant:
    headers = {
        **kept,
        "Content-Length": str(len(body)),
        "ETag": etag,
        "Cache-Control": SHARED_PAGE_CACHE_CONTROL,
        "Vary": ", ".join(vary),
    }
    if encoding:
        headers["Content-Encoding"] = encoding
    not_modified = {k: v for k, v in headers.items() if k.lower() not in _BODY_HEADERS}
    return _Variant(body=body, headers=headers, not_modified_headers=not_modified)

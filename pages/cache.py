"""The content version: bumped whenever staff change published content, read cheaply per request.

It lives in the default cache, which every worker and app server shares (CACHE_URL), so a change
saved in one process shows at once in all of them.
"""

from __future__ import annotations

import time

from django.core.cache import cache

CONTENT_VERSION_KEY = "pages:content-version"


def content_version() -> str:
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        version = str(time.time_ns())
        # add() so that two workers racing here agree on one value.
        cache.add(CONTENT_VERSION_KEY, version, timeout=None)
        version = cache.get(CONTENT_VERSION_KEY, version)
    return version


def bump_content_version() -> None:
    """Call after any change to content that pages render (FAQ entries, references)."""
    cache.set(CONTENT_VERSION_KEY, str(time.time_ns()), timeout=None)

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .urls import CONTENT_PAGES


class ContentPageSitemap(Sitemap):
    """Every public page by URL name, with absolute URLs on SITE_URL, not the request host."""

    # Each page in every language, each entry listing the others as hreflang alternates, with
    # English as the x-default.
    i18n = True
    alternates = True
    x_default = True

    def items(self) -> list[str]:
        return [f"pages:{name}" for _, name, _ in CONTENT_PAGES] + ["intake:screening"]

    def location(self, item: str) -> str:
        return reverse(item)

    def get_protocol(self, protocol=None) -> str:
        # Read at each request, not at import: SITE_URL is the one source.
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc

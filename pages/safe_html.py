"""Simple, safe formatting for text staff write in the admin (FAQ answers)."""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = frozenset({"p", "strong", "em", "ul", "ol", "li", "a"})
ALLOWED_ATTRIBUTES = {"a": frozenset({"href"})}
ALLOWED_URL_SCHEMES = frozenset({"https", "http", "mailto", "tel"})


def clean_answer_html(html: str) -> SafeString:
    """Keep paragraphs, bold, italics, lists and links; drop every other tag and attribute.

    Scripts, styles and event handlers go entirely (with the text inside <script> and <style>);
    other unknown tags are removed but their text stays. Links may only point to web, e-mail or
    telephone addresses.
    """
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        # Links open in the same tab, so they need no rel; keep exactly a[href].
        link_rel=None,
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 (nh3 has just removed everything unsafe)

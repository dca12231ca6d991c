"""Structured data for search engines, as schema.org JSON-LD."""

from __future__ import annotations

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Inside <script> the HTML parser ends the block at "</script>" whatever JSON says; escaping these
# characters (as Django's json_script does) keeps any text, even staff-written, inside the block.
_SCRIPT_SAFE_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data: dict) -> SafeString:
    """A `<script type="application/ld+json">` data block (a data block, not a script)."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(payload.translate(_SCRIPT_SAFE_ESCAPES)),  # noqa: S308
    )

"""`{% clinic_sentence facts.fasting_rule %}`: a sentence from the clinic profile, marked with its
language when it is not the page's (the English on a Spanish page, until the Spanish is entered)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def clinic_sentence(words) -> str:
    if not words:
        return ""
    lang = getattr(words, "lang", None)
    if lang and lang != get_language():
        return format_html('<span lang="{}">{}</span>', lang, words)
    return format_html("{}", words)

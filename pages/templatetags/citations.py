"""Numbered citations: the one way a page cites its sources.

    {% load citations %}
    <p>One in five adults lives with chronic pain.{% cite "yong-2022" %}</p>
    ...
    {% references %}

`cite` prints a superscript number linking to the page's reference list; numbers follow the order
of first use on the page, and a source cited again keeps its number. `references` prints the list
(one database query for the whole page), each entry linking back to where it was first cited.

The numbering lives in the template's render context, so it starts afresh with every render and
is never shared between pages or requests. An included template gets a render context of its
own, so cite in the page's own templates, not in includes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import pgettext

from ..models import Reference

logger = logging.getLogger(__name__)
register = template.Library()

_REGISTRY_KEY = "pages.citations"
# Sources are listed as they were published; every one in the database is in English.
SOURCES_LANGUAGE = "en"


class CitationRegistry:
    """The sources cited so far in one render, with their numbers."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.listed = False

    def number_for(self, key: str) -> tuple[int, bool]:
        """The number for `key` and whether this is its first citation."""
        if key in self.numbers:
            return self.numbers[key], False
        self.numbers[key] = len(self.numbers) + 1
        return self.numbers[key], True


@dataclass(frozen=True)
class ListedSource:
    number: int
    key: str
    reference: Reference | None


def _registry(context: template.Context) -> CitationRegistry:
    return context.render_context.setdefault(_REGISTRY_KEY, CitationRegistry())


@register.simple_tag(takes_context=True)
def cite(context: template.Context, key: str) -> SafeString:
    registry = _registry(context)
    if registry.listed:
        raise template.TemplateSyntaxError(
            f"{{% cite {key!r} %}} comes after {{% references %}}: it would have no entry."
        )
    number, first_use = registry.number_for(str(key))
    # Read aloud before the number, in the page's language.
    word = pgettext("hidden word a screen reader says before a citation's number", "source")
    # Only the first citation carries the id the reference list links back to.
    if first_use:
        return format_html(
            '<sup class="cite"><a id="cite-{0}" href="#source-{0}">'
            '<span class="visually-hidden">{1} </span>[{0}]</a></sup>',
            number,
            word,
        )
    return format_html(
        '<sup class="cite"><a href="#source-{0}">'
        '<span class="visually-hidden">{1} </span>[{0}]</a></sup>',
        number,
        word,
    )


def _sources_lang() -> str:
    """The `lang` for the listed sources: empty (no attribute) on a page in their own language.

    A part is marked only where its language differs from the page's, so the page's own words in
    the list (the back links) never carry one. An inclusion tag's template does not see the context
    processors' LANGUAGE_CODE, so the page's language is read here.
    """
    page_language = translation.get_language() or settings.LANGUAGE_CODE
    return "" if page_language == SOURCES_LANGUAGE else SOURCES_LANGUAGE


@register.inclusion_tag("includes/_references.html", takes_context=True)
def references(context: template.Context) -> dict[str, object]:
    registry = _registry(context)
    registry.listed = True
    if not registry.numbers:
        return {"sources": []}
    found = {ref.key: ref for ref in Reference.objects.filter(key__in=list(registry.numbers))}
    missing = sorted(set(registry.numbers) - set(found))
    if missing:
        # A reference deleted or renamed in the admin: show the page anyway and say so in the log.
        logger.error("Cited references missing from the database: %s", ", ".join(missing))
    return {
        "sources": [
            ListedSource(number=number, key=key, reference=found.get(key))
            for key, number in registry.numbers.items()
        ],
        "sources_lang": _sources_lang(),
    }

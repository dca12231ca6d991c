from __future__ import annotations

import secrets

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language

from core.phones import phone_e164
from pages.cache import content_version
from pages.clinic import clinic_facts
from pages.service_area import counties_words


def clinic(request: HttpRequest) -> dict[str, object]:
    """Clinic details and the canonical base URL, for the header, footer and SEO blocks.

    `clinic.facts` is the clinic profile; a fact the clinic has not entered is empty, and the
    templates leave out the sentence that would show it.
    """
    facts = clinic_facts()
    return {
        "clinic": {
            "name": settings.CLINIC_NAME,
            "phone": facts.phone,
            "phone_uri": phone_e164(facts.phone) if facts.phone else "",
            "email": facts.email,
            "opening_hours": facts.opening_hours,
            "counties": facts.counties,
            "counties_words": counties_words(facts.counties),
            "area": facts.area_name,
            "state": settings.SERVICE_AREA_STATE,
            "facts": facts,
        },
        "site_url": settings.SITE_URL,
        "canonical_url": settings.SITE_URL + request.path,
        "content_version": _content_version_or_unique(),
    }


def _content_version_or_unique() -> str:
    """The content version, a key of every shared fragment ({% cache %} in the templates).

    Without the shared cache it is unknown: a value no other request has, so fragments are
    rendered afresh for this request rather than taken from an older version.
    """
    try:
        return content_version()
    except Exception:
        return "unknown-" + secrets.token_hex(8)


def languages(request: HttpRequest) -> dict[str, object]:
    """This page in each language the site speaks, for the language link and hreflang alternates.

    Empty on pages that exist in one language only (the staff admin, a 404).
    """
    versions = [
        {"code": code, "name": name, "url": translate_url(request.path, code)}
        for code, name in settings.LANGUAGES
    ]
    if len({version["url"] for version in versions}) < len(versions):
        return {"language_versions": []}
    current = get_language()
    return {
        "language_versions": versions,
        "other_languages": [version for version in versions if version["code"] != current],
    }

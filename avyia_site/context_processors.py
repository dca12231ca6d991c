from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language

from avyia_site.clinic_words import clinic_words
from avyia_site.phones import phone_e164
from intake.service_area import service_area_name


def clinic(request: HttpRequest) -> dict[str, object]:
    """Clinic details and the canonical base URL, for the header, footer and SEO blocks."""
    return {
        "clinic": {
            "name": settings.CLINIC_NAME,
            "phone": settings.CLINIC_PHONE,
            "phone_uri": phone_e164(settings.CLINIC_PHONE),
            "email": settings.CLINIC_EMAIL,
            "opening_hours": clinic_words("CLINIC_OPENING_HOURS"),
            "counties": settings.SERVICE_AREA_COUNTIES,
            "area": service_area_name(),
        },
        "site_url": settings.SITE_URL,
        "canonical_url": settings.SITE_URL + request.path,
    }


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

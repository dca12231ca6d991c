"""schema.org data for the content pages, built from settings, the clinic profile and page info,
never invented: a fact the profile does not hold is left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.utils.translation import get_language, gettext

from .clinic import ClinicFacts, price_words
from .models import FaqEntry
from .page_info import PageInfo

SCHEMA_CONTEXT = "https://schema.org"


def content_language(language: str | None = None) -> str:
    """A language (the page's by default) as a BCP 47 tag for US readers: "en-US", "es-US"."""
    return f"{language or get_language()}-US"


def _clinic_reference() -> dict[str, str]:
    return {"@type": "MedicalClinic", "name": settings.CLINIC_NAME, "url": settings.SITE_URL + "/"}


def medical_clinic(facts: ClinicFacts) -> dict[str, object]:
    """The clinic as schema.org's MedicalClinic: only the facts its profile holds."""
    data: dict[str, object] = {
        "@context": SCHEMA_CONTEXT,
        "@type": "MedicalClinic",
        "name": settings.CLINIC_NAME,
        "description": gettext("At-home IV ketamine therapy for chronic pain."),
        "url": settings.SITE_URL + "/",
    }
    if facts.counties:
        data["areaServed"] = [
            {
                "@type": "AdministrativeArea",
                "name": gettext("%(county)s County, %(state)s")
                % {"county": county, "state": settings.SERVICE_AREA_STATE_NAME},
            }
            for county in facts.counties
        ]
    optional = {
        "legalName": facts.legal_name,
        "telephone": facts.phone,
        "email": facts.email,
        # One value per span of days: "Mo-Fr 08:00-18:00, Sa 09:00-12:00" is two.
        "openingHours": [hours for hours in facts.opening_hours_schema.split(", ") if hours],
        "medicalSpecialty": facts.medical_specialty,
        "priceRange": _price_range(facts),
    }
    data.update({key: value for key, value in optional.items() if value})
    if facts.has_address:
        data["address"] = {
            "@type": "PostalAddress",
            "streetAddress": facts.street_address,
            "addressLocality": facts.city,
            "addressRegion": settings.SERVICE_AREA_STATE,
            "postalCode": facts.postal_code,
            "addressCountry": "US",
        }
    if facts.has_director:
        data["member"] = _medical_director(facts)
    return data


def _price_range(facts: ClinicFacts) -> str:
    """ "$650 - $3,600": the lowest and highest of the clinic's prices."""
    prices = sorted(
        price
        for price in (
            facts.profile.price_consultation,
            facts.profile.price_per_session,
            facts.profile.price_per_course,
        )
        if price is not None
    )
    if not prices:
        return ""
    low, high = price_words(prices[0]), price_words(prices[-1])
    return low if low == high else f"{low} - {high}"


def _medical_director(facts: ClinicFacts) -> dict[str, object]:
    director: dict[str, object] = {
        "@type": "Physician",
        "name": f"{facts.director_name}, {facts.director_credentials}",
        "description": gettext("Medical director"),
    }
    if facts.director_photo:
        director["image"] = settings.SITE_URL + facts.director_photo_url
    if facts.director_licence_number:
        licence: dict[str, object] = {
            "@type": "EducationalOccupationalCredential",
            "credentialCategory": "license",
            "identifier": facts.director_licence_number,
            "recognizedBy": {
                "@type": "GovernmentOrganization",
                "name": "Washington State Department of Health",
            },
        }
        if facts.director_licence_url:
            licence["url"] = facts.director_licence_url
        director["hasCredential"] = licence
    return director


def _review(checked: date) -> dict[str, object]:
    """When the page was last checked: a review (with who did it) only if the clinic names a
    reviewer; otherwise just the date it last changed, which claims no clinical review."""
    if not settings.MEDICAL_REVIEWER:
        return {"dateModified": checked.isoformat()}
    reviewer: dict[str, object] = {"@type": "Person", "name": settings.MEDICAL_REVIEWER}
    if settings.MEDICAL_REVIEWER_CREDENTIALS:
        reviewer["honorificSuffix"] = settings.MEDICAL_REVIEWER_CREDENTIALS
    return {"lastReviewed": checked.isoformat(), "reviewedBy": reviewer}


def medical_web_page(*, page: PageInfo, url: str, last_reviewed: date) -> dict[str, object]:
    return {
        "@context": SCHEMA_CONTEXT,
        "@type": "MedicalWebPage",
        "name": page.title,
        "description": page.description,
        "url": url,
        "inLanguage": content_language(),
        **_review(last_reviewed),
        "about": {"@type": "MedicalEntity", "name": page.about},
        "audience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "publisher": _clinic_reference(),
    }


def faq_page(
    *, page: PageInfo, url: str, entries: Iterable[FaqEntry], last_reviewed: date | None
) -> dict[str, object]:
    data: dict[str, object] = {
        "@context": SCHEMA_CONTEXT,
        "@type": "FAQPage",
        "name": page.title,
        "url": url,
        "inLanguage": content_language(),
        "publisher": _clinic_reference(),
        "mainEntity": [
            {
                "@type": "Question",
                "name": entry.question_shown(),
                "acceptedAnswer": {"@type": "Answer", "text": str(entry.answer_html())},
                "inLanguage": content_language(entry.language_shown()),
            }
            for entry in entries
        ],
    }
    if last_reviewed:
        data.update(_review(last_reviewed))
    return data

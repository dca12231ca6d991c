"""schema.org data for the content pages, built from settings and page info, never invented.

The clinic has no public street address yet, so none is given; the area it serves is its counties.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.utils.translation import get_language, gettext

from .models import FaqEntry
from .page_info import PageInfo

SCHEMA_CONTEXT = "https://schema.org"


def content_language(language: str | None = None) -> str:
    """A language (the page's by default) as a BCP 47 tag for US readers: "en-US", "es-US"."""
    return f"{language or get_language()}-US"


def _clinic_reference() -> dict[str, str]:
    return {"@type": "MedicalClinic", "name": settings.CLINIC_NAME, "url": settings.SITE_URL + "/"}


def medical_clinic() -> dict[str, object]:
    return {
        "@context": SCHEMA_CONTEXT,
        "@type": "MedicalClinic",
        "name": settings.CLINIC_NAME,
        "description": gettext("At-home IV ketamine therapy for chronic pain."),
        "url": settings.SITE_URL + "/",
        "telephone": settings.CLINIC_PHONE,
        "email": settings.CLINIC_EMAIL,
        "areaServed": [
            {
                "@type": "AdministrativeArea",
                "name": gettext("%(county)s County, %(state)s")
                % {"county": county, "state": settings.SERVICE_AREA_STATE_NAME},
            }
            for county in settings.SERVICE_AREA_COUNTIES
        ],
    }


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

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def clinic(request: HttpRequest) -> dict[str, object]:
    """Clinic details and the canonical base URL, for the header, footer and SEO blocks."""
    return {
        "clinic": {
            "name": settings.CLINIC_NAME,
            "phone": settings.CLINIC_PHONE,
            "email": settings.CLINIC_EMAIL,
            "counties": settings.SERVICE_AREA_COUNTIES,
        },
        "site_url": settings.SITE_URL,
        "canonical_url": settings.SITE_URL + request.path,
    }

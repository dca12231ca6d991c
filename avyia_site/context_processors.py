from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

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
            "opening_hours": settings.CLINIC_OPENING_HOURS,
            "counties": settings.SERVICE_AREA_COUNTIES,
            "area": service_area_name(),
        },
        "site_url": settings.SITE_URL,
        "canonical_url": settings.SITE_URL + request.path,
    }

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.http import HttpRequest


def _tel_uri(phone: str) -> str:
    """tel: links take an E.164 number (RFC 3966): "(206) 555-0142" becomes "+12065550142"."""
    try:
        number = phonenumbers.parse(phone, "US")
    except phonenumbers.NumberParseException:
        return phone
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clinic(request: HttpRequest) -> dict[str, object]:
    """Clinic details and the canonical base URL, for the header, footer and SEO blocks."""
    return {
        "clinic": {
            "name": settings.CLINIC_NAME,
            "phone": settings.CLINIC_PHONE,
            "phone_uri": _tel_uri(settings.CLINIC_PHONE),
            "email": settings.CLINIC_EMAIL,
            "counties": settings.SERVICE_AREA_COUNTIES,
        },
        "site_url": settings.SITE_URL,
        "canonical_url": settings.SITE_URL + request.path,
    }

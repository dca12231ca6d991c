"""One way to write a date and time for staff: the clinic's time zone, one format, everywhere.

The admin's own pages use the same format through `avyia_site/formats/en/formats.py`.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import dateformat, timezone
from django.utils.html import format_html

from .business_hours import clinic_zone

CLINIC_DATETIME_FORMAT = "D, M j, Y, g:i A"  # "Mon, Nov 30, 2026, 9:05 AM"


def clinic_datetime_text(value: datetime) -> str:
    return dateformat.format(timezone.localtime(value, clinic_zone()), CLINIC_DATETIME_FORMAT)


def clinic_datetime(value: datetime | None) -> str:
    """A <time> element: machine-readable instant, the clinic's local time in words."""
    if value is None:
        return ""
    return format_html(
        '<time datetime="{}">{}</time>', value.isoformat(), clinic_datetime_text(value)
    )

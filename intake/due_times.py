"""When a screening request is due for its first contact, by its priority.

Acute requests are due at once; urgent ones within `SCREENING_URGENT_BUSINESS_HOURS`; the others
within the reply time patients are promised (`SCREENING_RESPONSE_TIME`), in business time.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings

from core.business_hours import add_business_time, response_allowance

from .models import ScreeningRequest

Priority = ScreeningRequest.Priority


def due_at_for(*, priority: int, received_at: datetime) -> datetime:
    """When a request of this priority, received then, is due for its first contact."""
    if priority == Priority.ACUTE:
        return received_at
    if priority == Priority.URGENT:
        allowance = timedelta(hours=settings.SCREENING_URGENT_BUSINESS_HOURS)
    else:
        allowance = response_allowance()
    return add_business_time(received_at, allowance)

"""How long screening requests and audit events are kept.

A request that is no longer open (closed, not a candidate or withdrawn) is deleted, with its notes
and status history, SCREENING_RETENTION_MONTHS after its last status change; never one with a
positive suicide-risk screen whose protocol is not on record (it is held, and the purge says so).
Audit events, which hold no patient data, are kept AUDIT_RETENTION_YEARS (HIPAA's six-year
documentation rule).
"""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.audit import audit_record_many
from core.models import AuditEvent

from ..models import ScreeningRequest
from .safety import protocol_incomplete


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same day and time `months` calendar months earlier (a 31st becomes the month's end)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def _ended_before_retention(now: datetime.datetime | None) -> QuerySet[ScreeningRequest]:
    cutoff = months_before(now or timezone.now(), settings.SCREENING_RETENTION_MONTHS)
    return ScreeningRequest.objects.exclude(status__in=ScreeningRequest.OPEN_STATUSES).filter(
        status_changed_at__lt=cutoff
    )


def requests_past_retention(*, now: datetime.datetime | None = None) -> QuerySet[ScreeningRequest]:
    """Requests that ended longer ago than SCREENING_RETENTION_MONTHS and may be deleted."""
    ended = _ended_before_retention(now)
    return ended.exclude(pk__in=protocol_incomplete(ended).values("pk"))


def requests_held_for_protocol(
    *, now: datetime.datetime | None = None
) -> QuerySet[ScreeningRequest]:
    """Requests past retention kept because a positive screen has no protocol on record."""
    return protocol_incomplete(_ended_before_retention(now))


@transaction.atomic
def screening_requests_purge(
    *,
    actor: AbstractBaseUser | None = None,
    actor_label: str = "",
    now: datetime.datetime | None = None,
) -> list[str]:
    """Delete every request past retention with its notes and history; audit each by reference.

    Returns the references deleted.
    """
    expired = requests_past_retention(now=now).select_for_update()
    references = list(expired.values_list("reference", flat=True))
    if not references:
        return []
    audit_record_many(
        action=AuditEvent.Action.PURGE,
        actor=actor,
        actor_label=actor_label,
        references=references,
        detail=f"ended more than {settings.SCREENING_RETENTION_MONTHS} months ago",
    )
    # In batches: SQLite limits how many values one query may carry.
    for start in range(0, len(references), 500):
        ScreeningRequest.objects.filter(reference__in=references[start : start + 500]).delete()
    return references


@transaction.atomic
def audit_events_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete audit events older than AUDIT_RETENTION_YEARS; returns how many."""
    cutoff = months_before(now or timezone.now(), settings.AUDIT_RETENTION_YEARS * 12)
    deleted, _ = AuditEvent.objects.filter(occurred_at__lt=cutoff).delete()
    return deleted

"""The staff home page as a dashboard: what is pressing now, and how fast patients hear from us.

Counts of acute, overdue and due-today requests; the median time from a request to the first
conversation with the patient (a one-way text or e-mail is not one) over the last four weeks;
and requests received and first contacted per day over the last 30 days, drawn as a small SVG
on the server (no script, no inline style: the page's CSP stays strict).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Min
from django.utils import timezone

from core.business_hours import clinic_zone

from ..models import ContactAttempt, ScreeningRequest
from .queue import UNANSWERED_STATUSES, due_today, overdue, queue_annotate
from .queue import duration_words as wait_words

Priority = ScreeningRequest.Priority
CHART_DAYS = 30
MEDIAN_WEEKS = 4


def pressing_counts(*, now: datetime | None = None) -> dict[str, int]:
    waiting = queue_annotate(
        ScreeningRequest.objects.filter(status__in=UNANSWERED_STATUSES), now=now
    )
    return {
        "acute": waiting.filter(priority=Priority.ACUTE).count(),
        "overdue": overdue(waiting).count(),
        "due_today": due_today(waiting, now=now).count(),
    }


def _first_contacts(since: datetime) -> dict[int, datetime]:
    """Each request's first conversation with the patient, for requests received since."""
    rows = (
        ContactAttempt.objects.filter(
            outcome__in=ContactAttempt.TWO_WAY_OUTCOMES, screening_request__received_at__gte=since
        )
        .values("screening_request")
        .annotate(first=Min("made_at"))
    )
    return {row["screening_request"]: row["first"] for row in rows}


def median_first_contact(*, now: datetime | None = None) -> timedelta | None:
    """Median time from a request to its first contact, for requests of the last four weeks."""
    since = (now or timezone.now()) - timedelta(weeks=MEDIAN_WEEKS)
    firsts = _first_contacts(since)
    received = dict(ScreeningRequest.objects.filter(pk__in=firsts).values_list("pk", "received_at"))
    waits = [(firsts[pk] - received[pk]).total_seconds() for pk in firsts if pk in received]
    return timedelta(seconds=statistics.median(waits)) if waits else None


def duration_words(value: timedelta | None) -> str:
    if value is None:
        return "no contact yet in the last 4 weeks"
    return wait_words(value)


@dataclass(frozen=True)
class ChartDay:
    day: date
    received: int
    contacted: int


def daily_counts(*, now: datetime | None = None) -> list[ChartDay]:
    """Requests received and first contacted on each of the last 30 days (clinic time zone)."""
    zone = clinic_zone()
    today = timezone.localtime(now or timezone.now(), zone).date()
    days = [today - timedelta(days=n) for n in range(CHART_DAYS - 1, -1, -1)]
    start = datetime.combine(days[0], datetime.min.time(), tzinfo=zone)
    received = [
        timezone.localtime(moment, zone).date()
        for moment in ScreeningRequest.objects.filter(received_at__gte=start).values_list(
            "received_at", flat=True
        )
    ]
    rows = (
        ContactAttempt.objects.filter(outcome__in=ContactAttempt.TWO_WAY_OUTCOMES)
        .values("screening_request")
        .annotate(first=Min("made_at"))
        .filter(first__gte=start)
    )
    contacted = [timezone.localtime(row["first"], zone).date() for row in rows]
    return [ChartDay(day, received.count(day), contacted.count(day)) for day in days]


def chart(days: list[ChartDay]) -> dict:
    """Bar geometry for the SVG: two bars a day, scaled to the busiest day."""
    # Room below and left of the plot for labels up to 23 units high (see staff-admin.css).
    width, height, left, bottom, top = 600, 180, 40, 32, 24
    plot = height - bottom - top
    peak = max([1, *(d.received for d in days), *(d.contacted for d in days)])
    slot = (width - left) / len(days)
    bar = max(slot / 2 - 1, 1)
    bars = []
    for index, d in enumerate(days):
        x = left + index * slot
        for offset, count, kind in ((0, d.received, "received"), (bar, d.contacted, "contacted")):
            h = plot * count / peak
            bars.append(
                {
                    "x": round(x + offset, 1),
                    "y": round(top + plot - h, 1),
                    "w": round(bar, 1),
                    "h": round(h, 1),
                    "kind": kind,
                    "title": f"{d.day:%b} {d.day.day}: {count} {kind}",
                }
            )
    labels = [
        {"x": round(min(left + i * slot, width - 70), 1), "text": f"{d.day:%b} {d.day.day}"}
        for i, d in enumerate(days)
        if (i % 7 == 0 and i + 4 < len(days)) or i == len(days) - 1
    ]
    return {
        "width": width,
        "height": height,
        "left": left,
        "base": top + plot,
        "top": top,
        "peak": peak,
        "bars": bars,
        "labels": labels,
        "label_y": height - 4,
        "received_total": sum(d.received for d in days),
        "contacted_total": sum(d.contacted for d in days),
    }

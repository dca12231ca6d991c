"""The work-queue summary on the staff admin's home page."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.http import urlencode

from core.business_hours import clinic_zone
from core.dates import clinic_datetime
from core.phones import phone_e164, phone_national
from intake.models import ScreeningRequest
from intake.staff import dashboard, handover
from intake.staff.queue import due_words, most_pressing
from intake.staff.retention import requests_past_retention

register = template.Library()

Status = ScreeningRequest.Status
Priority = ScreeningRequest.Priority


def _queue_url(**filters: Any) -> str:
    return reverse("admin:intake_screeningrequest_changelist") + "?" + urlencode(filters)


@register.inclusion_tag("admin/intake/_queue_summary.html", takes_context=True)
def queue_summary(context: dict[str, Any]) -> dict[str, Any]:
    """Counts of requests by status and priority, and the most pressing unanswered request."""
    user = context["request"].user
    if not user.has_perm("intake.view_screeningrequest"):
        return {"visible": False}
    counts = {
        (row["status"], row["priority"]): row["n"]
        for row in ScreeningRequest.objects.values("status", "priority")
        .order_by()
        .annotate(n=Count("pk"))
    }
    rows = []
    for status, status_label in Status.choices:
        cells = [
            {
                "count": counts.get((status, priority), 0),
                "url": _queue_url(status=status, priority__exact=priority),
            }
            for priority in Priority.values
        ]
        rows.append(
            {
                "label": status_label,
                "cells": cells,
                "total": sum(cell["count"] for cell in cells),
                "url": _queue_url(status=status),
            }
        )
    pressing = most_pressing(ScreeningRequest.objects.only("pk", "reference", "priority", "status"))
    can_purge = user.has_perm("intake.purge_screeningrequest")
    days = dashboard.daily_counts()
    return {
        "visible": True,
        "pressing": dashboard.pressing_counts(),
        "due_soon": handover.due_soon_by_nurse(),
        "acute_url": _queue_url(priority__exact=Priority.ACUTE),
        "overdue_url": _queue_url(due="overdue"),
        "due_today_url": _queue_url(due="today"),
        "median_first_contact": dashboard.duration_words(dashboard.median_first_contact()),
        "chart": dashboard.chart(days),
        "chart_days": days,
        "priorities": Priority.labels,
        "rows": rows,
        "open_url": _queue_url(),
        "most_pressing": pressing,
        "most_pressing_due": (
            due_words(next_due=pressing.next_due, acute_waiting=pressing.acute) if pressing else ""
        ),
        "most_pressing_url": (
            reverse("admin:intake_screeningrequest_change", args=[pressing.pk]) if pressing else ""
        ),
        "past_retention": requests_past_retention().count() if can_purge else 0,
        "purge_url": reverse("admin:intake_screeningrequest_purge") if can_purge else "",
    }


@register.simple_tag
def clinic_time(value):
    """A date and time in the clinic's time zone and its one format, as a <time> element."""
    return clinic_datetime(value)


@register.filter
def clinic_clock(value):
    """Just the time of day, in the clinic's time zone: "9:30 AM"."""
    return dateformat.format(timezone.localtime(value, clinic_zone()), "g:i A")


# A patient's phone number as the queue shows it: dialled in E.164, read in national form.
register.filter("phone_e164", phone_e164)
register.filter("phone_national", phone_national)

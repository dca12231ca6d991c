"""On-call alerts: an acute or urgent request nobody has reached in time, a staff notice not sent.

`manage.py alert_overdue` runs this every 5 minutes (a systemd timer in production, a loop beside
`make run` locally). It sends the e-mails itself rather than queueing them, so an alert still goes
out when the task worker is down. Each alert names the reference, the priority and how long the
request has waited, never a name or an answer: `ON_CALL_EMAIL` may be an e-mail-to-SMS gateway.

An alert repeats every `ON_CALL_REPEAT_MINUTES` until a contact that reached the patient is logged
(or the staff notice goes out). Each repeat period is claimed in the database before sending, so
two runs at once send one e-mail.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from intake.models import ContactAttempt, ScreeningRequest
from intake.staff.safety import CONTACT_MADE_OUTCOMES

from .models import OnCallAlert

logger = logging.getLogger(__name__)

Priority = ScreeningRequest.Priority
Kind = OnCallAlert.Kind

# Acute requests are due at once, urgent ones within SCREENING_URGENT_BUSINESS_HOURS; the rest
# wait for the working day and never wake anyone.
ALERTED_PRIORITIES = (Priority.ACUTE, Priority.URGENT)


@dataclass(frozen=True)
class DueAlert:
    screening_request: ScreeningRequest
    kind: str
    # When the first alert became due; repeats are counted from here.
    since: datetime

    def period(self, now: datetime) -> int:
        return int((now - self.since) / repeat_interval())


def repeat_interval() -> timedelta:
    return timedelta(minutes=settings.ON_CALL_REPEAT_MINUTES)


def alerts_due(*, now: datetime) -> list[DueAlert]:
    """Every alert the on-call person should have now, before checking which were sent."""
    reached = ContactAttempt.objects.filter(
        screening_request=OuterRef("pk"), outcome__in=CONTACT_MADE_OUTCOMES
    )
    open_requests = ScreeningRequest.objects.filter(status__in=ScreeningRequest.OPEN_STATUSES).only(
        "pk", "reference", "priority", "received_at", "due_at"
    )
    not_reached = open_requests.filter(priority__in=ALERTED_PRIORITIES, due_at__lte=now).exclude(
        Exists(reached)
    )
    grace = timedelta(minutes=settings.ON_CALL_NOTICE_GRACE_MINUTES)
    notice_unsent = open_requests.filter(notice_sent_at__isnull=True, received_at__lte=now - grace)
    return [DueAlert(r, Kind.NOT_REACHED, r.due_at) for r in not_reached] + [
        DueAlert(r, Kind.NOTICE_FAILED, r.received_at + grace) for r in notice_unsent
    ]


def waited_words(waited: timedelta) -> str:
    """ "42 min", "3 h 05 min", "2 d 4 h": short enough for a text message."""
    minutes = max(int(waited.total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min"


def alert_message(alert: DueAlert, *, now: datetime) -> EmailMessage:
    """The reference, the priority and the wait: nothing else about the patient."""
    screening_request = alert.screening_request
    priority = Priority(screening_request.priority).name  # ACUTE / URGENT / ...
    waited = waited_words(now - screening_request.received_at)
    if alert.kind == Kind.NOT_REACHED:
        subject = f"AVYIA {priority} {screening_request.reference} not reached, waiting {waited}"
        problem = "No contact that reached the patient is logged."
    else:
        subject = f"AVYIA staff notice for {screening_request.reference} not sent ({waited})"
        problem = "The new-request e-mail to staff has not gone out: check mail and the worker."
    queue = settings.SITE_URL + reverse("admin:intake_screeningrequest_changelist")
    body = (
        f"{priority} request {screening_request.reference}, waiting {waited}.\n"
        f"{problem}\nWork queue: {queue}\n"
    )
    return EmailMessage(subject, body, to=[settings.ON_CALL_EMAIL])


def on_call_alerts_send(*, now: datetime | None = None) -> tuple[int, int]:
    """Send every on-call alert due and not yet sent in its period. Returns (sent, failed)."""
    now = now or timezone.now()
    sent = failed = 0
    for alert in alerts_due(now=now):
        try:
            with transaction.atomic():
                claim = OnCallAlert.objects.create(
                    screening_request=alert.screening_request,
                    kind=alert.kind,
                    period=alert.period(now),
                    sent_at=now,
                )
        except IntegrityError:
            continue  # sent already in this period, or another run is sending it now
        try:
            alert_message(alert, now=now).send()
        except Exception as exc:  # any mail failure: give the next run the chance to send it
            claim.delete()
            failed += 1
            logger.error(
                "On-call alert for %s not sent (%s).",
                alert.screening_request.reference,
                exc.__class__.__name__,
            )
            continue
        sent += 1
    return sent, failed

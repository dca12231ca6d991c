"""The work queue's order, its "overdue" and "due today", and what each row says about a request.

A request is awaiting its first answer while it is new or in review. It is overdue when its due
time has passed, or, once an attempt failed, when the next attempt it set has passed. Until someone
has spoken with the patient, an acute or urgent request's deadline holds: a failed attempt may set
an earlier next try, never a later one (an acute request stays due at once). The queue shows acute
requests awaiting an answer first, then overdue ones, then the rest by due time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from core.business_hours import clinic_day_bounds

from .. import questionnaire
from ..models import ContactAttempt, ScreeningRequest

Priority = ScreeningRequest.Priority
UNANSWERED_STATUSES = ScreeningRequest.UNANSWERED_STATUSES
# Priorities whose due time a failed attempt can never push back.
DEADLINE_HOLDS = (Priority.ACUTE, Priority.URGENT)


def _last_attempt(field: str) -> Subquery:
    attempts = ContactAttempt.objects.filter(screening_request=OuterRef("pk")).order_by(
        "-made_at", "-pk"
    )
    return Subquery(attempts.values(field)[:1])


def queue_annotate(queryset: QuerySet, *, now: datetime | None = None) -> QuerySet:
    """Add each request's last contact attempt, next due time, overdue state and queue rank."""
    now = now or timezone.now()
    unanswered = Q(status__in=UNANSWERED_STATUSES)
    queryset = queryset.annotate(
        last_attempt_outcome=_last_attempt("outcome"),
        last_attempt_at=_last_attempt("made_at"),
        last_attempt_next_due=_last_attempt("next_attempt_due"),
        patient_reached=Exists(
            ContactAttempt.objects.filter(
                screening_request=OuterRef("pk"), outcome__in=ContactAttempt.TWO_WAY_OUTCOMES
            )
        ),
    )
    held = Q(priority__in=DEADLINE_HOLDS, patient_reached=False)
    queryset = queryset.annotate(
        # After a failed attempt the next try sets the pace; without one the first due time does.
        # An acute or urgent request nobody has spoken with keeps its own due time at the latest.
        next_due=Case(
            When(
                unanswered & held & Q(last_attempt_at__isnull=False),
                then=Least(F("due_at"), Coalesce(F("last_attempt_next_due"), F("due_at"))),
            ),
            When(unanswered & Q(last_attempt_at__isnull=False), then=F("last_attempt_next_due")),
            When(unanswered, then=F("due_at")),
            default=Value(None, output_field=DateTimeField()),
            output_field=DateTimeField(),
        ),
    )
    queryset = queryset.annotate(
        overdue=Case(
            When(next_due__lt=now, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        queue_rank=Case(
            When(unanswered & Q(priority=Priority.ACUTE), then=Value(0)),
            When(next_due__lt=now, then=Value(1)),
            When(unanswered, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        ),
        queue_due=Coalesce("next_due", "due_at"),
    )
    return queryset


QUEUE_ORDERING = ("queue_rank", F("queue_due").asc(nulls_last=True), "received_at")


def overdue(queryset: QuerySet) -> QuerySet:
    return queryset.filter(overdue=True)


def most_pressing(queryset: QuerySet | None = None) -> ScreeningRequest | None:
    """The request awaiting an answer that the queue puts first (acute, then overdue, then due)."""
    if queryset is None:
        queryset = ScreeningRequest.objects.all()
    waiting = queue_annotate(queryset.filter(status__in=UNANSWERED_STATUSES))
    return waiting.order_by(*QUEUE_ORDERING).first()


def duration_words(value: timedelta) -> str:
    """A wait in staff words: "12 min", "3 h 05 min", "2.5 days"."""
    minutes = max(round(value.total_seconds() / 60), 0)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d} min"
    return f"{hours / 24:.1f} days"


def due_words(
    *, next_due: datetime | None, acute_waiting: bool, now: datetime | None = None
) -> str:
    """What the queue row, the review page and the home page say about a deadline: one wording.

    "Call now" for an acute request awaiting an answer, with "overdue 12 min" once past due;
    "Overdue 3 h 05 min" for any other late request; nothing otherwise.
    """
    now = now or timezone.now()
    late = next_due is not None and next_due < now
    lateness = duration_words(now - next_due) if late else ""
    if acute_waiting:
        return f"Call now: overdue {lateness}" if late else "Call now"
    return f"Overdue {lateness}" if late else ""


def due_today(queryset: QuerySet, *, now: datetime | None = None) -> QuerySet:
    start, end = clinic_day_bounds(now or timezone.now())
    return queryset.filter(next_due__gte=start, next_due__lt=end)


@dataclass(frozen=True)
class Reason:
    words: str
    crisis: bool


def request_reasons(screening_request: ScreeningRequest) -> list[Reason]:
    """The request's flags as reasons in words, most pressing first, with the stored answers."""
    definition = questionnaire.SCREENING
    values = (screening_request.answers or {}).get("values", {})
    reasons = []
    for code in screening_request.flags:
        flag = definition.flag(code)
        rank = flag.raises if flag and flag.raises is not None else len(Priority)
        reasons.append(
            (rank, Reason(definition.flag_reason(code, values), bool(flag and flag.crisis)))
        )
    return [reason for _, reason in sorted(reasons, key=lambda pair: pair[0])]

"""The hand-over between nurses, and what comes due soon: one reading of "the next thing to do".

A request's follow-up is when someone should next act on it: for a request awaiting its first
answer, the queue's due time (intake.staff.queue: the first due time, or the next try after a
failed attempt); for one already answered, the call-back its last contact attempt promised ("try
again by"). The staff home page lists what falls due in the next hour, per nurse; the hand-over
page lists a nurse's (or the team's) open requests, promised call-backs and the notes written
since a chosen time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import groupby

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Case, DateTimeField, F, Prefetch, Q, QuerySet, When
from django.utils import timezone

from core.audit import audit_record_many
from core.models import AuditEvent

from ..models import Appointment, ContactAttempt, InternalNote, ScreeningRequest
from .queue import UNANSWERED_STATUSES, queue_annotate

OPEN_STATUSES = ScreeningRequest.OPEN_STATUSES
SOON = timedelta(hours=1)
# The hand-over page's notes begin, unless chosen, this long before it is opened.
NOTES_SINCE_DEFAULT = timedelta(days=1)


def follow_up_annotate(queryset: QuerySet, *, now: datetime | None = None) -> QuerySet:
    """The queue's annotations plus `follow_up_due` (see the module's docstring)."""
    return queue_annotate(queryset, now=now).annotate(
        follow_up_due=Case(
            When(status__in=UNANSWERED_STATUSES, then=F("next_due")),
            default=F("last_attempt_next_due"),
            output_field=DateTimeField(),
        )
    )


def nurse_name(user: AbstractBaseUser | None) -> str:
    if user is None:
        return "Unassigned"
    return user.get_full_name() or user.get_username()


@dataclass
class NurseDue:
    nurse: str
    requests: list[ScreeningRequest] = field(default_factory=list)


def due_soon_by_nurse(*, now: datetime | None = None) -> list[NurseDue]:
    """Open requests whose follow-up falls due in the next hour, grouped by nurse (reference and
    time only are shown, so the home page holds no patient data)."""
    now = now or timezone.now()
    due = (
        follow_up_annotate(
            ScreeningRequest.objects.filter(status__in=OPEN_STATUSES).only(
                "pk", "reference", "status", "priority", "due_at", "assigned_to"
            ),
            now=now,
        )
        .filter(follow_up_due__gte=now, follow_up_due__lt=now + SOON)
        .select_related("assigned_to")
    )
    rows = sorted(due, key=lambda r: (nurse_name(r.assigned_to).lower(), r.follow_up_due))
    return [
        NurseDue(nurse, list(group))
        for nurse, group in groupby(rows, key=lambda r: nurse_name(r.assigned_to))
    ]


@dataclass
class Handover:
    """What one nurse (or the team) hands over: open requests, call-backs, notes since a time."""

    nurse: AbstractBaseUser | None
    since: datetime
    open_requests: list[ScreeningRequest]
    call_backs: list[ScreeningRequest]
    notes: list[InternalNote]

    def references(self) -> list[str]:
        shown = [r.reference for r in self.open_requests + self.call_backs]
        shown += [note.screening_request.reference for note in self.notes]
        return list(dict.fromkeys(shown))


def handover_build(
    *, nurse: AbstractBaseUser | None, since: datetime, now: datetime | None = None
) -> Handover:
    """The hand-over for `nurse` (None: the whole team), notes from `since` on."""
    now = now or timezone.now()
    requests = ScreeningRequest.objects.filter(status__in=OPEN_STATUSES)
    notes = InternalNote.objects.filter(created_at__gte=since)
    if nurse is not None:
        requests = requests.filter(assigned_to=nurse)
        # Notes on their requests, and notes they wrote on any other.
        notes = notes.filter(Q(screening_request__assigned_to=nurse) | Q(author=nurse))
    upcoming = Appointment.objects.filter(
        state=Appointment.State.BOOKED, starts_at__gt=now
    ).select_related("clinician")
    open_requests = list(
        follow_up_annotate(requests, now=now)
        .select_related("assigned_to")
        .prefetch_related(Prefetch("appointments", queryset=upcoming, to_attr="upcoming"))
        .order_by("assigned_to__username", "queue_rank", F("follow_up_due").asc(nulls_last=True))
    )
    for r in open_requests:
        outcome = r.last_attempt_outcome
        r.last_attempt_words = ContactAttempt.Outcome(outcome).label if outcome else "No attempt"
    call_backs = sorted(
        (r for r in open_requests if r.last_attempt_next_due is not None),
        key=lambda r: r.last_attempt_next_due,
    )
    return Handover(
        nurse=nurse,
        since=since,
        open_requests=open_requests,
        call_backs=call_backs,
        notes=list(
            notes.select_related("author", "screening_request").order_by("created_at", "pk")
        ),
    )


def handover_record_view(*, handover: Handover, actor: AbstractBaseUser) -> None:
    """One view event per request the page showed, as for every staff look at patient data."""
    whose = nurse_name(handover.nurse) if handover.nurse else "the whole team"
    audit_record_many(
        action=AuditEvent.Action.VIEW,
        actor=actor,
        references=handover.references(),
        detail=f"hand-over page ({whose})",
    )

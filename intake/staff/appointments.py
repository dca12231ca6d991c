"""Appointments behind "scheduled": booked, moved and cancelled, audited, told to the patient.

A request moves to "scheduled" only with an upcoming appointment on record (intake.staff.safety);
the review form books it in the same save. Every change queues the patient's e-mail (with a
calendar file) in the same transaction, and a booking queues its reminder for
APPOINTMENT_REMINDER_HOURS before the time (intake.tasks); a reminder queued for a time that has
since moved, or an appointment since cancelled, sends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from core.audit import audit_record
from core.business_hours import clinic_day_bounds
from core.models import AuditEvent
from pages.models import Clinician

from ..models import Appointment, ScreeningRequest

Kind = Appointment.Kind
State = Appointment.State

# Where the place is needed, and what staff type there.
PLACE_NEEDED = (Kind.HOME, Kind.CLINIC, Kind.VIDEO)
# The place is told to the patient only when the clinic chose it (its address, a video link);
# their own address or number is never written back to them (a mistyped e-mail address would
# give it to a stranger).
PLACE_TOLD = (Kind.CLINIC, Kind.VIDEO)


@dataclass(frozen=True)
class AppointmentDetails:
    starts_at: datetime
    minutes: int
    kind: str
    place: str
    clinician: Clinician


def appointment_upcoming(screening_request: ScreeningRequest) -> Appointment | None:
    """The request's booked appointment that has not started yet, if any."""
    return (
        screening_request.appointments.filter(state=State.BOOKED, starts_at__gt=timezone.now())
        .select_related("clinician")
        .order_by("starts_at")
        .first()
    )


def appointment_next_annotate(queryset: QuerySet) -> QuerySet:
    """Add `next_appointment_at`: each request's next booked appointment, for the queue's rows."""
    upcoming = Appointment.objects.filter(
        screening_request=OuterRef("pk"), state=State.BOOKED, starts_at__gt=timezone.now()
    ).order_by("starts_at")
    return queryset.annotate(next_appointment_at=Subquery(upcoming.values("starts_at")[:1]))


def appointments_between(start: datetime, end: datetime) -> QuerySet:
    """Booked appointments starting in [start, end), soonest first (no patient data loaded)."""
    return (
        Appointment.objects.filter(state=State.BOOKED, starts_at__gte=start, starts_at__lt=end)
        .select_related("clinician", "screening_request")
        .only(
            "starts_at",
            "minutes",
            "kind",
            "clinician__name",
            "clinician__credentials",
            "screening_request__reference",
            "screening_request__status",
        )
        .order_by("starts_at", "pk")
    )


def appointment_days(*, now: datetime | None = None) -> list[tuple[str, QuerySet]]:
    """Today's and tomorrow's appointments in the clinic's time zone, for the work queue."""
    today_start, today_end = clinic_day_bounds(now or timezone.now())
    _, tomorrow_end = clinic_day_bounds(today_end + timedelta(hours=1))
    return [
        ("Today", appointments_between(today_start, today_end)),
        ("Tomorrow", appointments_between(today_end, tomorrow_end)),
    ]


def appointment_details_check(details: AppointmentDetails, *, now: datetime | None = None) -> None:
    """Raise ValidationError unless the details make a bookable appointment."""
    errors = {}
    if details.starts_at <= (now or timezone.now()):
        errors["starts_at"] = "Choose a date and time that has not passed yet."
    if details.kind in PLACE_NEEDED and not details.place.strip():
        errors["place"] = {
            Kind.HOME: "Give the address of the home visit.",
            Kind.CLINIC: "Give the clinic's address or room.",
            Kind.VIDEO: "Give the video link the patient will use.",
        }[details.kind]
    if errors:
        raise ValidationError(errors)


def _reminder_at(appointment: Appointment) -> datetime | None:
    """When the patient's reminder goes, or None when that moment has already passed."""
    moment = appointment.starts_at - timedelta(hours=settings.APPOINTMENT_REMINDER_HOURS)
    return moment if moment > timezone.now() else None


def _queue_emails(appointment: Appointment, what: str) -> None:
    """Queue the patient's e-mail about this change, and the reminder for a booked time."""
    from ..tasks import appointment_email_deliver  # here: the task module imports the services

    if not appointment.screening_request.email:
        return
    appointment_email_deliver.enqueue(
        appointment_id=appointment.pk, what=what, sequence=appointment.sequence
    )
    reminder_at = _reminder_at(appointment) if appointment.state == State.BOOKED else None
    if reminder_at is not None:
        appointment_email_deliver.using(run_after=reminder_at).enqueue(
            appointment_id=appointment.pk, what="reminder", sequence=appointment.sequence
        )


def _audit(appointment: Appointment, actor: AbstractBaseUser, words: str) -> None:
    # How and with whom, never when or where: the trail stays free of patient data.
    audit_record(
        action=AuditEvent.Action.CHANGE,
        actor=actor,
        reference=appointment.screening_request.reference,
        detail=f"appointment {words} ({Kind(appointment.kind).label.lower()}, "
        f"{appointment.clinician.name})",
    )


@transaction.atomic
def appointment_book(
    *, screening_request: ScreeningRequest, actor: AbstractBaseUser, details: AppointmentDetails
) -> Appointment:
    """Book an appointment for a request; queue the patient's confirmation and reminder."""
    appointment_details_check(details)
    appointment = Appointment(
        screening_request=screening_request,
        starts_at=details.starts_at,
        minutes=details.minutes,
        kind=details.kind,
        place=details.place.strip(),
        clinician=details.clinician,
        booked_by=actor,
    )
    appointment.full_clean()
    appointment.save()
    screening_request.bump_version()
    _audit(appointment, actor, "booked")
    _queue_emails(appointment, "confirmation")
    return appointment


def _differs(appointment: Appointment, details: AppointmentDetails) -> bool:
    return (
        appointment.starts_at != details.starts_at
        or appointment.minutes != details.minutes
        or appointment.kind != details.kind
        or appointment.place != details.place.strip()
        or appointment.clinician_id != details.clinician.pk
    )


@transaction.atomic
def appointment_change(
    *, appointment: Appointment, actor: AbstractBaseUser, details: AppointmentDetails
) -> bool:
    """Move or change a booked appointment; tell the patient. Returns whether anything changed."""
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.state != State.BOOKED:
        raise ValidationError("This appointment was cancelled: book a new one instead.")
    if not _differs(appointment, details):
        return False
    appointment_details_check(details)
    moved = appointment.starts_at != details.starts_at
    appointment.starts_at = details.starts_at
    appointment.minutes = details.minutes
    appointment.kind = details.kind
    appointment.place = details.place.strip()
    appointment.clinician = details.clinician
    appointment.sequence += 1
    appointment.full_clean()
    appointment.save()
    appointment.screening_request.bump_version()
    _audit(appointment, actor, "rescheduled" if moved else "changed")
    _queue_emails(appointment, "rescheduled")
    return True


@transaction.atomic
def appointment_cancel(*, appointment: Appointment, actor: AbstractBaseUser) -> None:
    """Cancel a booked appointment and tell the patient; its reminder will not go."""
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.state == State.CANCELLED:
        return
    appointment.state = State.CANCELLED
    appointment.sequence += 1
    appointment.save(update_fields=["state", "sequence"])
    appointment.screening_request.bump_version()
    _audit(appointment, actor, "cancelled")
    _queue_emails(appointment, "cancelled")

"""E-mails the task worker sends about staff work: the patient's appointment e-mails (with a
calendar file) and the nurse's reminders and assignment notices.

Each e-mail is claimed first (intake.models.SentEmail, a unique key per e-mail and the moment it
is about), so two workers, or the same task queued twice, send it once; a failed send gives the
claim back for the next try. Patients get their appointment's time, how it happens and with whom,
in the language they asked in, and nothing about their health or what they typed. Staff get the
reference, the time and a link, never a name or an answer.
"""

from __future__ import annotations

import logging
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext, pgettext
from icalendar import Calendar, Event

from core.business_hours import clinic_zone
from core.dates import clinic_datetime_text
from pages.clinic import clinic_facts

from ..models import Appointment, ContactAttempt, ScreeningRequest, SentEmail
from .appointments import PLACE_TOLD

logger = logging.getLogger(__name__)

Kind = Appointment.Kind
State = Appointment.State

# The patient's e-mails about an appointment, by what happened.
APPOINTMENT_EMAILS = ("confirmation", "rescheduled", "cancelled", "reminder")


def _send_claimed(*, key: str, kind: str, reference: str, message: EmailMessage) -> str:
    """Send `message` once for `key`: "sent", "sent already" or "failed" (claim given back)."""
    try:
        with transaction.atomic():
            claim = SentEmail.objects.create(key=key, kind=kind, reference=reference)
    except IntegrityError:
        return "sent already"
    try:
        message.send()
    except Exception as exc:  # any mail failure: the next try may send it
        claim.delete()
        logger.warning(
            "The %s e-mail for %s was not sent (%s).", kind, reference, type(exc).__name__
        )
        return "failed"
    return "sent"


# --- The patient's appointment e-mails -----------------------------------------------------------


def patient_datetime_text(value: datetime) -> str:
    """An appointment time in the clinic's time zone, written the way the active language does."""
    local = timezone.localtime(value, clinic_zone())
    # Translators: a PHP-style date format (Django's `date` filter) for an appointment time.
    pattern = pgettext("appointment time", "l, F j, Y, g:i A")
    return f"{dateformat.format(local, pattern)} ({local.tzname()})"


def appointment_place_words(appointment: Appointment) -> str:
    """How and where, as the patient reads it (their own address or number never repeated)."""
    kind = Kind(appointment.kind)
    if kind in PLACE_TOLD and appointment.place:
        return f"{kind.label}: {appointment.place}"
    if kind == Kind.PHONE:
        return gettext("Phone call: we will call you at the number you gave us")
    if kind == Kind.HOME:
        return gettext("Home visit, at the address you gave us")
    return str(kind.label)


def calendar_file(appointment: Appointment) -> bytes:
    """The appointment as an iCalendar file: when, how, with whom, the reference; no health."""
    cancelled = appointment.state == State.CANCELLED
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.CLINIC_NAME}//Appointments//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", f"{appointment.uid}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}")
    event.add("sequence", appointment.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("summary", gettext("Appointment with %(clinic)s") % {"clinic": settings.CLINIC_NAME})
    event.add("location", appointment_place_words(appointment))
    phone = clinic_facts().phone
    description = gettext("Reference: %(reference)s") % {
        "reference": appointment.screening_request.reference
    }
    if phone:
        description += "\n" + gettext("To change or cancel, call %(phone)s.") % {"phone": phone}
    event.add("description", description)
    calendar.add_component(event)
    return calendar.to_ical()


def _appointment_message(appointment: Appointment, what: str) -> EmailMessage:
    clinic = clinic_facts()
    when = patient_datetime_text(appointment.starts_at)
    subjects = {
        "confirmation": gettext("%(clinic)s: your appointment on %(when)s"),
        "rescheduled": gettext("%(clinic)s: your appointment has changed: %(when)s"),
        "cancelled": gettext("%(clinic)s: your appointment on %(when)s is cancelled"),
        "reminder": gettext("%(clinic)s: reminder of your appointment on %(when)s"),
    }
    context = {
        "what": what,
        "when": when,
        "how": appointment_place_words(appointment),
        "clinician": str(appointment.clinician),
        "minutes": appointment.minutes,
        "reference": appointment.screening_request.reference,
        "clinic_name": settings.CLINIC_NAME,
        "clinic_phone": clinic.phone,
        "clinic_email": clinic.email,
    }
    message = EmailMessage(
        subjects[what] % {"clinic": settings.CLINIC_NAME, "when": when},
        render_to_string("intake/email/appointment.txt", context),
        to=[appointment.screening_request.email],
        reply_to=[clinic.email] if clinic.email else None,
    )
    method = "CANCEL" if appointment.state == State.CANCELLED else "PUBLISH"
    message.attach("appointment.ics", calendar_file(appointment), f"text/calendar; method={method}")
    return message


def appointment_email_send(*, appointment_id: int, what: str, sequence: int) -> str:
    """Send the patient one e-mail about their appointment as it was at `sequence`.

    An e-mail about a version since replaced (moved again, cancelled) is not sent: the newer one
    says what holds. A cancellation always goes.
    """
    appointment = (
        Appointment.objects.select_related("screening_request", "clinician")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None or not appointment.screening_request.email:
        return "nothing to send"
    if appointment.sequence != sequence:
        return "out of date"
    if (appointment.state == State.CANCELLED) != (what == "cancelled"):
        return "out of date"
    if what == "reminder" and appointment.starts_at <= timezone.now():
        return "out of date"
    language = appointment.screening_request.language or settings.LANGUAGE_CODE
    with translation.override(language):
        message = _appointment_message(appointment, what)
    return _send_claimed(
        key=f"appointment:{appointment.uid}:{sequence}:{what}",
        kind=f"appointment {what}",
        reference=appointment.screening_request.reference,
        message=message,
    )


# --- Staff: call-backs coming due, assignments ---------------------------------------------------


def _staff_link(screening_request: ScreeningRequest) -> str:
    path = reverse("admin:intake_screeningrequest_change", args=[screening_request.pk])
    return settings.SITE_URL + path


def _staff_address(screening_request: ScreeningRequest) -> str:
    """The assigned nurse's address; the intake desk's when nobody (or nobody with one) has it."""
    assignee = screening_request.assigned_to
    if assignee is not None and assignee.is_active and assignee.email:
        return assignee.email
    return settings.INTAKE_NOTIFY_EMAIL


def call_back_due(screening_request: ScreeningRequest) -> datetime | None:
    """The call-back the request's last contact attempt set ("try again by"), if still open."""
    if screening_request.status not in ScreeningRequest.OPEN_STATUSES:
        return None
    last = (
        ContactAttempt.objects.filter(screening_request=screening_request)
        .order_by("-made_at", "-pk")
        .values_list("next_attempt_due", flat=True)
        .first()
    )
    return last


def call_back_reminder_send(*, screening_request_id: int, due_at: str) -> str:
    """Remind whoever has the request that a call-back is coming due: reference, time, link.

    Only while that call-back is still the request's next one (no attempt logged since) and the
    request is open.
    """
    screening_request = (
        ScreeningRequest.objects.select_related("assigned_to")
        .filter(pk=screening_request_id)
        .first()
    )
    due = datetime.fromisoformat(due_at)
    if screening_request is None or call_back_due(screening_request) != due:
        return "out of date"
    reference = screening_request.reference
    message = EmailMessage(
        f"Call-back due {clinic_datetime_text(due)}: {reference}",
        render_to_string(
            "intake/email/staff_call_back.txt",
            {
                "reference": reference,
                "due": clinic_datetime_text(due),
                "link": _staff_link(screening_request),
            },
        ),
        to=[_staff_address(screening_request)],
    )
    return _send_claimed(
        key=f"call-back:{screening_request.pk}:{due.isoformat()}",
        kind="call-back reminder",
        reference=reference,
        message=message,
    )


def assignment_notice_send(*, screening_request_id: int, assignee_id: int, version: int) -> str:
    """Tell a nurse a request was given to them: reference, who gave it, a link."""
    screening_request = ScreeningRequest.objects.filter(pk=screening_request_id).first()
    assignee = get_user_model().objects.filter(pk=assignee_id, is_active=True).first()
    if screening_request is None or assignee is None or not assignee.email:
        return "nothing to send"
    if screening_request.assigned_to_id != assignee.pk:
        return "out of date"
    reference = screening_request.reference
    message = EmailMessage(
        f"Assigned to you: {reference}",
        render_to_string(
            "intake/email/staff_assigned.txt",
            {"reference": reference, "link": _staff_link(screening_request)},
        ),
        to=[assignee.email],
    )
    return _send_claimed(
        key=f"assigned:{screening_request.pk}:{assignee.pk}:{version}",
        kind="assignment notice",
        reference=reference,
        message=message,
    )

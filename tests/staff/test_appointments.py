"""Appointments behind "scheduled": booked on the review page, told to the patient in their
language with a calendar file, reminded by the task worker, moved and cancelled on the record."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from icalendar import Calendar

from core.models import AuditEvent
from intake.demo import demo_request_create
from intake.models import Appointment, ScreeningRequest
from intake.staff.review import ALLOWED_STATUS_MOVES, screening_request_set_status
from intake.staff.safety import contact_attempt_log, protocol_confirm, protocol_current
from tests.intake.screening_support import run_queued_tasks

from .support import change_url, clinician, review_post

pytestmark = pytest.mark.django_db

Status = ScreeningRequest.Status
Kind = Appointment.Kind
LINK = "https://video.example.org/room/77"


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.APPOINTMENT_REMINDER_HOURS = 24
    settings.SITE_URL = "https://avyia.example.org"


def reached(screening_request, actor) -> ScreeningRequest:
    """A request whose patient was reached and which is now "contacted"."""
    contact_attempt_log(
        screening_request=screening_request, actor=actor, method="phone", outcome="reached"
    )
    ScreeningRequest.objects.filter(pk=screening_request.pk).update(status=Status.CONTACTED)
    screening_request.refresh_from_db()
    return screening_request


def booking(starts_at, **fields) -> dict:
    """The review page's appointment fields, as a browser posts them (clinic-local time)."""
    return {
        "appointment_starts_at": timezone.localtime(starts_at).strftime("%Y-%m-%dT%H:%M"),
        "appointment_minutes": 60,
        "appointment_kind": Kind.VIDEO,
        "appointment_place": LINK,
        "appointment_clinician": clinician().pk,
        **fields,
    }


def in_three_days():
    return (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)


def calendar_of(message) -> Calendar:
    (name, content, mimetype) = message.attachments[0]
    assert name == "appointment.ics"
    assert mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


def to_patient(screening_request) -> list:
    """The e-mails the worker sent the patient (the staff notice of a new request aside)."""
    return [m for m in mail.outbox if m.to == [screening_request.email]]


def only_event(calendar: Calendar):
    (event,) = calendar.walk("VEVENT")
    return event


def test_scheduled_needs_an_appointment_and_the_review_page_books_it(
    reviewer_client, reviewer, make_request
):
    screening_request = reached(make_request(), reviewer[0])

    refused = review_post(reviewer_client, screening_request, status=Status.SCHEDULED)
    assert refused.status_code == 200
    form = refused.context["adminform"].form
    assert "Give the date and time." in form.errors["appointment_starts_at"]
    assert not Appointment.objects.exists()

    starts = in_three_days()
    saved = review_post(
        reviewer_client, screening_request, status=Status.SCHEDULED, **booking(starts)
    )
    assert saved.status_code == 302
    screening_request.refresh_from_db()
    assert screening_request.status == Status.SCHEDULED
    appointment = Appointment.objects.get()
    assert appointment.starts_at == starts
    assert (appointment.kind, appointment.place, appointment.clinician) == (
        Kind.VIDEO,
        LINK,
        clinician(),
    )
    event = AuditEvent.objects.get(detail__startswith="appointment")
    assert event.detail == "appointment booked (video call, Dana Ortiz)"
    assert event.reference == screening_request.reference


def test_the_patient_gets_a_confirmation_with_a_calendar_file_and_no_health_details(
    reviewer_client, reviewer, make_request
):
    screening_request = reached(make_request(health_conditions=["psychosis"]), reviewer[0])
    starts = in_three_days()
    review_post(reviewer_client, screening_request, status=Status.SCHEDULED, **booking(starts))
    mail.outbox.clear()

    run_queued_tasks()

    (message,) = to_patient(screening_request)
    assert message.to == [screening_request.email]
    assert message.subject.startswith("AVYIA: your appointment on ")
    assert LINK in message.body
    assert "Dana Ortiz, RN" in message.body
    assert screening_request.reference in message.body
    calendar = calendar_of(message)
    assert str(calendar["METHOD"]) == "PUBLISH"
    event = only_event(calendar)
    assert event.decoded("DTSTART") == starts
    assert event.decoded("DTEND") == starts + timedelta(minutes=60)
    assert str(event["SUMMARY"]) == "Appointment with AVYIA"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert int(event["SEQUENCE"]) == 0
    assert screening_request.reference in str(event["DESCRIPTION"])
    everything = (message.subject + message.body + calendar.to_ical().decode()).lower()
    for secret in (
        screening_request.first_name,
        screening_request.last_name,
        screening_request.phone,
        "psychosis",
        "ketamine",
        "pain",
        "suicide",
    ):
        assert secret.lower() not in everything, secret


def test_a_spanish_speaking_patient_is_written_to_in_spanish(reviewer_client, reviewer):
    screening_request = reached(demo_request_create(61, language="es"), reviewer[0])
    review_post(
        reviewer_client, screening_request, status=Status.SCHEDULED, **booking(in_three_days())
    )
    mail.outbox.clear()

    run_queued_tasks()

    (message,) = to_patient(screening_request)
    assert message.subject.startswith("AVYIA: su cita")
    assert "Su cita con AVYIA" in message.body
    assert str(only_event(calendar_of(message))["SUMMARY"]) == "Cita con AVYIA"


def test_the_reminder_goes_the_set_hours_before_and_only_once(
    reviewer_client, reviewer, make_request, settings
):
    settings.APPOINTMENT_REMINDER_HOURS = 24
    screening_request = reached(make_request(), reviewer[0])
    starts = in_three_days()
    review_post(reviewer_client, screening_request, status=Status.SCHEDULED, **booking(starts))
    run_queued_tasks()
    mail.outbox.clear()

    with time_machine.travel(starts - timedelta(hours=25), tick=False):
        run_queued_tasks()
    assert to_patient(screening_request) == []
    with time_machine.travel(starts - timedelta(hours=23), tick=False):
        run_queued_tasks()
        run_queued_tasks()

    (reminder,) = to_patient(screening_request)
    assert reminder.subject.startswith("AVYIA: reminder of your appointment on ")
    assert only_event(calendar_of(reminder)).decoded("DTSTART") == starts


def test_moving_the_appointment_tells_the_patient_and_moves_the_reminder(
    reviewer_client, reviewer, make_request
):
    screening_request = reached(make_request(), reviewer[0])
    first = in_three_days()
    review_post(reviewer_client, screening_request, status=Status.SCHEDULED, **booking(first))
    run_queued_tasks()
    mail.outbox.clear()

    later = first + timedelta(days=2)
    saved = review_post(reviewer_client, screening_request, **booking(later))
    assert saved.status_code == 302
    run_queued_tasks()

    (moved,) = to_patient(screening_request)
    assert "has changed" in moved.subject
    event = only_event(calendar_of(moved))
    assert event.decoded("DTSTART") == later
    assert int(event["SEQUENCE"]) == 1
    assert AuditEvent.objects.filter(detail="appointment rescheduled (video call, Dana Ortiz)")
    mail.outbox.clear()
    # The reminder for the old time does not go; the new one does.
    with time_machine.travel(first - timedelta(hours=1), tick=False):
        run_queued_tasks()
    assert to_patient(screening_request) == []
    with time_machine.travel(later - timedelta(hours=1), tick=False):
        run_queued_tasks()
    (reminder,) = to_patient(screening_request)
    assert only_event(calendar_of(reminder)).decoded("DTSTART") == later


def test_leaving_scheduled_needs_the_appointment_cancelled_and_the_patient_is_told(
    reviewer_client, reviewer, make_request
):
    screening_request = reached(make_request(), reviewer[0])
    starts = in_three_days()
    review_post(reviewer_client, screening_request, status=Status.SCHEDULED, **booking(starts))
    run_queued_tasks()
    mail.outbox.clear()

    refused = review_post(
        reviewer_client, screening_request, status=Status.CONTACTED, **booking(starts)
    )
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["cancel_appointment"]
    screening_request.refresh_from_db()
    assert screening_request.status == Status.SCHEDULED

    saved = review_post(
        reviewer_client,
        screening_request,
        status=Status.CONTACTED,
        cancel_appointment="on",
        **booking(starts),
    )
    assert saved.status_code == 302
    assert Appointment.objects.get().state == Appointment.State.CANCELLED
    run_queued_tasks()
    (cancelled,) = to_patient(screening_request)
    assert "is cancelled" in cancelled.subject
    calendar = calendar_of(cancelled)
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(only_event(calendar)["STATUS"]) == "CANCELLED"
    assert AuditEvent.objects.filter(detail="appointment cancelled (video call, Dana Ortiz)")
    mail.outbox.clear()
    with time_machine.travel(starts - timedelta(hours=1), tick=False):
        run_queued_tasks()
    assert to_patient(screening_request) == []


def test_a_positive_suicide_risk_screen_still_needs_the_protocol_to_be_scheduled(
    reviewer_client, reviewer, make_request
):
    urgent = reached(make_request(asq_wish_dead="yes", asq_now="no"), reviewer[0])

    refused = review_post(
        reviewer_client, urgent, status=Status.SCHEDULED, **booking(in_three_days())
    )

    assert refused.status_code == 200
    assert "suicide-risk screen" in " ".join(refused.context["adminform"].form.errors["status"])
    assert not Appointment.objects.exists()
    urgent.refresh_from_db()
    assert urgent.status == Status.CONTACTED

    review_post(reviewer_client, urgent, new_note="Called; safe; on-call told.")
    protocol_confirm(
        screening_request=urgent, actor=reviewer[0], steps=protocol_current().step_list()
    )
    saved = review_post(
        reviewer_client, urgent, status=Status.SCHEDULED, **booking(in_three_days())
    )
    assert saved.status_code == 302
    assert Appointment.objects.count() == 1


def test_a_page_opened_before_someone_elses_change_books_nothing(
    reviewer_client, reviewer, make_request
):
    screening_request = reached(make_request(), reviewer[0])
    screening_request.refresh_from_db()
    old_version = screening_request.version
    ScreeningRequest.objects.filter(pk=screening_request.pk).update(version=old_version + 1)

    response = reviewer_client.post(
        change_url(screening_request),
        {
            "status": Status.SCHEDULED,
            "assigned_to": "",
            "version": old_version,
            **booking(in_three_days()),
        },
    )

    assert response.status_code == 200
    assert not Appointment.objects.exists()
    assert "changed after you opened it" in response.content.decode()


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [(a, b) for a, moves in ALLOWED_STATUS_MOVES.items() for b in [a, *moves]],
)
def test_an_appointment_is_booked_only_with_the_status_scheduled(
    reviewer_client, reviewer, make_request, from_status, to_status
):
    screening_request = make_request()
    contact_attempt_log(
        screening_request=screening_request, actor=reviewer[0], method="phone", outcome="reached"
    )
    ScreeningRequest.objects.filter(pk=screening_request.pk).update(status=from_status)

    response = review_post(
        reviewer_client, screening_request, status=to_status, **booking(in_three_days())
    )

    booked = to_status == Status.SCHEDULED
    assert (response.status_code == 302) == booked, (from_status, to_status)
    assert Appointment.objects.exists() == booked
    screening_request.refresh_from_db()
    assert screening_request.status == (to_status if booked else from_status)


@pytest.mark.parametrize("kind", list(Kind))
def test_a_place_is_needed_except_for_a_phone_call_and_a_past_time_is_refused(
    reviewer_client, reviewer, make_request, kind
):
    screening_request = reached(make_request(), reviewer[0])
    response = review_post(
        reviewer_client,
        screening_request,
        status=Status.SCHEDULED,
        **booking(in_three_days(), appointment_kind=kind, appointment_place=""),
    )
    assert (response.status_code == 302) == (kind == Kind.PHONE)

    past = review_post(
        reviewer_client,
        screening_request,
        status=Status.SCHEDULED,
        **booking(timezone.now() - timedelta(hours=1), appointment_kind=kind),
    )
    if kind != Kind.PHONE:
        assert past.status_code == 200
        assert past.context["adminform"].form.errors["appointment_starts_at"]


def test_where_is_encrypted_at_rest(reviewer_client, reviewer, make_request):
    screening_request = reached(make_request(), reviewer[0])
    review_post(
        reviewer_client,
        screening_request,
        status=Status.SCHEDULED,
        **booking(in_three_days(), appointment_kind=Kind.HOME, appointment_place="12 Elm St"),
    )

    with connection.cursor() as cursor:
        cursor.execute("SELECT place FROM intake_appointment")
        (stored,) = cursor.fetchone()
    assert "Elm" not in stored
    assert Appointment.objects.get().place == "12 Elm St"


def test_the_queue_lists_todays_and_tomorrows_appointments(reviewer_client, reviewer, make_request):
    screening_request = reached(make_request(), reviewer[0])
    soon = timezone.now() + timedelta(minutes=30)
    later = timezone.now() + timedelta(days=9)
    for starts in (soon, later):
        Appointment.objects.create(
            screening_request=screening_request,
            starts_at=starts,
            kind=Kind.PHONE,
            clinician=clinician(),
            booked_by=reviewer[0],
        )

    page = reviewer_client.get("/staff/intake/screeningrequest/").content.decode()
    start = page.index('id="appointments-heading"')
    panel = page[start : page.index("</section>", start)]

    assert panel.count(screening_request.reference) == 1  # today's (or tomorrow's), not the 9th day
    assert "phone call, 60 min, with Dana Ortiz" in panel
    assert screening_request.first_name not in panel


def test_a_patient_without_an_e_mail_address_is_booked_and_staff_are_told_to_phone(
    reviewer_client, reviewer, make_request
):
    screening_request = reached(make_request(), reviewer[0])
    ScreeningRequest.objects.filter(pk=screening_request.pk).update(email="")
    response = review_post(
        reviewer_client, screening_request, status=Status.SCHEDULED, **booking(in_three_days())
    )
    assert response.status_code == 302
    mail.outbox.clear()
    run_queued_tasks()

    assert to_patient(screening_request) == []
    page = reviewer_client.get(change_url(screening_request)).content.decode()
    assert "gave no e-mail address: tell them about the appointment by phone" in page


@pytest.mark.parametrize(
    ("state", "hours_ahead", "allowed"),
    [
        (Appointment.State.BOOKED, 2, True),
        (Appointment.State.BOOKED, -2, False),  # it has started: not one ahead
        (Appointment.State.CANCELLED, 2, False),
        (None, 0, False),
    ],
)
def test_the_status_service_itself_needs_an_appointment_ahead(
    reviewer, make_request, state, hours_ahead, allowed
):
    screening_request = reached(make_request(), reviewer[0])
    if state is not None:
        Appointment.objects.create(
            screening_request=screening_request,
            starts_at=timezone.now() + timedelta(hours=hours_ahead),
            kind=Kind.PHONE,
            clinician=clinician(),
            booked_by=reviewer[0],
            state=state,
        )

    if allowed:
        screening_request_set_status(
            screening_request=screening_request, status=Status.SCHEDULED, actor=reviewer[0]
        )
    else:
        with pytest.raises(ValidationError) as refused:
            screening_request_set_status(
                screening_request=screening_request, status=Status.SCHEDULED, actor=reviewer[0]
            )
        assert [e.code for e in refused.value.error_list] == ["no_appointment"]
    screening_request.refresh_from_db()
    assert (screening_request.status == Status.SCHEDULED) == allowed

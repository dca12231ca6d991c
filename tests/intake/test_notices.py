"""The staff notice: sent after commit, nothing personal in it, failures recorded and retried."""

from __future__ import annotations

import socket

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from intake.models import ScreeningRequest
from intake.services import screening_notices_pending

from .screening_support import PATIENT, post_screening

pytestmark = pytest.mark.django_db

PERSONAL = [
    PATIENT["first_name"],
    PATIENT["last_name"],
    PATIENT["email"].lower(),
    "0187",
    "98103",
    "1979",
    PATIENT["current_medicines"],
    PATIENT["pain_condition_other"],
]


@pytest.fixture
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.INTAKE_NOTIFY_EMAIL = "intake-desk@example.org"
    settings.SITE_URL = "https://avyia.example.org"


@pytest.fixture
def refused_smtp(settings):
    """A real SMTP backend pointed at a port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 2


def submit(client, django_capture_on_commit_callbacks, **answers) -> ScreeningRequest:
    with django_capture_on_commit_callbacks(execute=True):
        response = post_screening(client, **answers)
    assert response.status_code == 302
    return ScreeningRequest.objects.get()


def test_staff_get_a_notice_with_reference_priority_and_admin_link(
    client, django_capture_on_commit_callbacks, locmem_mail
):
    stored = submit(client, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert notice.to == ["intake-desk@example.org"]
    assert notice.subject == f"New screening request {stored.reference} (routine)"
    assert f"Reference: {stored.reference}" in notice.body
    assert "Priority: Routine" in notice.body
    assert f"https://avyia.example.org/staff/intake/screeningrequest/{stored.pk}/change/" in (
        notice.body
    )
    stored.refresh_from_db()
    assert stored.notice_sent_at is not None
    assert stored.notice_attempts == 1


def test_the_notice_holds_no_name_answer_or_contact_detail(
    client, django_capture_on_commit_callbacks, locmem_mail
):
    submit(
        client,
        django_capture_on_commit_callbacks,
        health_conditions=["psychosis"],
        asq_attempt="yes",
        asq_now="no",
    )

    notice = mail.outbox[0]
    text = " ".join([notice.subject, notice.body, *notice.to]).lower()
    for secret in PERSONAL:
        assert secret.lower() not in text, secret
    for answer in ("psychosis", "suicide", "kill", "asq", "phq"):
        assert answer not in text


def test_an_asq_positive_request_is_marked_urgent_in_the_subject(
    client, django_capture_on_commit_callbacks, locmem_mail
):
    stored = submit(client, django_capture_on_commit_callbacks, asq_wish_dead="yes", asq_now="no")

    assert mail.outbox[0].subject == f"URGENT: New screening request {stored.reference}"
    assert "Priority: Urgent" in mail.outbox[0].body


def test_a_right_now_yes_is_acute_and_the_notice_says_call_now(
    client, django_capture_on_commit_callbacks, locmem_mail
):
    stored = submit(client, django_capture_on_commit_callbacks, asq_wish_dead="yes", asq_now="yes")

    assert stored.priority == ScreeningRequest.Priority.ACUTE
    assert mail.outbox[0].subject == f"ACUTE, CALL NOW: New screening request {stored.reference}"
    assert "call them now" in mail.outbox[0].body


def test_nothing_is_sent_when_the_request_is_not_stored(
    client, django_capture_on_commit_callbacks, locmem_mail
):
    with django_capture_on_commit_callbacks(execute=True):
        post_screening(client, last_name="")

    assert mail.outbox == []


def test_a_failed_notice_is_recorded_logged_without_personal_data_and_never_shown(
    client, django_capture_on_commit_callbacks, refused_smtp, caplog
):
    caplog.set_level("INFO")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_screening(client)

    stored = ScreeningRequest.objects.get()
    assert response.status_code == 302  # the patient's request still succeeds
    assert stored.notice_sent_at is None
    assert stored.notice_attempts == 1
    assert f"The notice for screening request {stored.reference} was not sent" in caplog.text
    assert "ConnectionRefusedError" in caplog.text
    for secret in PERSONAL:
        assert secret not in caplog.text
    assert list(screening_notices_pending()) == [stored]


def test_retry_notices_sends_the_failed_ones_once_mail_works(
    client, django_capture_on_commit_callbacks, refused_smtp, settings
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            post_screening(client)
    assert ScreeningRequest.objects.filter(notice_sent_at__isnull=True).count() == 2

    with pytest.raises(CommandError, match="2 staff notice"):
        call_command("retry_notices")
    assert set(ScreeningRequest.objects.values_list("notice_attempts", flat=True)) == {2}

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("retry_notices")

    assert len(mail.outbox) == 2
    assert not ScreeningRequest.objects.filter(notice_sent_at__isnull=True).exists()
    call_command("retry_notices")  # nothing left to send
    assert len(mail.outbox) == 2


def test_the_admin_link_is_absolute_on_the_site_url(settings):
    from intake import services

    settings.SITE_URL = "https://avyia.example.org"

    assert services.screening_request_admin_url(ScreeningRequest(pk=42)) == (
        "https://avyia.example.org/staff/intake/screeningrequest/42/change/"
    )


# --- The patient's receipt ----------------------------------------------------------------------


def test_a_patient_who_asks_gets_a_receipt_with_the_reference_and_no_answers(
    client, django_capture_on_commit_callbacks, locmem_mail
):
    stored = submit(
        client,
        django_capture_on_commit_callbacks,
        email_receipt="on",
        asq_wish_dead="yes",
        asq_now="yes",
        health_conditions=["heart"],
    )

    (receipt,) = [m for m in mail.outbox if m.to == [PATIENT["email"]]]
    assert stored.reference in receipt.subject
    assert stored.reference in receipt.body
    assert "What happens next" in receipt.body
    for private in (
        "988",
        "911",
        "suicide",
        "heart",
        "blood pressure",
        PATIENT["current_medicines"],
        PATIENT["pain_condition_other"],
        "Acute",
        "Urgent",
    ):
        assert private.lower() not in receipt.body.lower(), private
    stored.refresh_from_db()
    assert stored.receipt_sent_at is not None
    # Staff still get their notice, and only one of each went out.
    assert len(mail.outbox) == 2


def test_no_receipt_unless_the_patient_asks(
    client, django_capture_on_commit_callbacks, locmem_mail, settings
):
    submit(client, django_capture_on_commit_callbacks)

    assert [m.to for m in mail.outbox] == [[settings.INTAKE_NOTIFY_EMAIL]]


def test_a_receipt_needs_an_e_mail_address(client):
    response = post_screening(client, email_receipt="on", email="", contact_method="phone")

    assert response.status_code == 200
    assert "so we can e-mail you" in response.content.decode()


def test_a_failed_receipt_is_sent_once_by_retry_notices_when_mail_works(
    client, django_capture_on_commit_callbacks, refused_smtp, settings
):
    stored = submit(client, django_capture_on_commit_callbacks, email_receipt="on")
    stored.refresh_from_db()
    assert stored.receipt_sent_at is None
    assert stored.receipt_attempts == 1

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("retry_notices")
    call_command("retry_notices")

    receipts = [m for m in mail.outbox if m.to == [PATIENT["email"]]]
    assert len(receipts) == 1
    stored.refresh_from_db()
    assert stored.receipt_sent_at is not None

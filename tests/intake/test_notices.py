"""The staff notice: queued with the request, sent by the worker, nothing personal, retried."""

from __future__ import annotations

import socket
from contextlib import nullcontext
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from intake.models import ScreeningRequest
from intake.services import screening_notices_pending
from intake.tasks import notice_retry_delay, screening_email_deliver

from .screening_support import PATIENT, post_screening, run_queued_tasks

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
    run_queued_tasks()
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
    run_queued_tasks()

    assert mail.outbox == []
    assert not DBTaskResult.objects.exists()


def test_a_failed_notice_is_recorded_logged_without_personal_data_and_never_shown(
    client, django_capture_on_commit_callbacks, refused_smtp, caplog
):
    caplog.set_level("INFO")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_screening(client)
    run_queued_tasks()

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
    run_queued_tasks()
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
    assert "received your request" in receipt.body
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


def test_the_patient_never_waits_for_the_notice_which_is_queued_once_with_the_request(
    client, locmem_mail
):
    response = post_screening(client)

    assert response.status_code == 302
    assert mail.outbox == []  # nothing sent on the request's path
    stored = ScreeningRequest.objects.get()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "intake.tasks.screening_email_deliver"
    assert queued.args_kwargs["kwargs"] == {"screening_request_id": stored.pk, "what": "notice"}

    run_queued_tasks()
    run_queued_tasks()
    assert len(mail.outbox) == 1


def test_a_rate_limited_request_queues_no_notice(client, settings, locmem_mail):
    settings.SCREENING_RATE_LIMIT = "1/hour"
    post_screening(client)
    assert post_screening(client).status_code == 429

    assert DBTaskResult.objects.count() == 1


def test_a_refused_notice_is_tried_again_later_with_a_growing_wait(client, refused_smtp, settings):
    settings.NOTICE_RETRY_BASE_SECONDS = 30
    post_screening(client)
    before = timezone.now()
    run_queued_tasks()

    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after >= before + timedelta(seconds=30)
    assert notice_retry_delay(1) == timedelta(seconds=30)
    assert notice_retry_delay(3) == timedelta(seconds=120)
    assert notice_retry_delay(30) == timedelta(seconds=settings.NOTICE_RETRY_MAX_SECONDS)

    # When it falls due and the mail server is back, the notice goes out once.
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_queued_tasks()
    assert len(mail.outbox) == 1
    assert ScreeningRequest.objects.get().notice_sent_at is not None
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_a_notice_already_sent_is_never_sent_again(client, locmem_mail):
    stored = submit(client, lambda **kw: nullcontext())

    delivered = screening_email_deliver.call(screening_request_id=stored.pk, what="notice")
    assert delivered == "nothing to send"
    assert len(mail.outbox) == 1


def test_the_worker_gives_up_after_the_configured_attempts(client, refused_smtp, settings):
    settings.NOTICE_RETRY_ATTEMPTS = 1
    post_screening(client)
    run_queued_tasks()

    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert ScreeningRequest.objects.get().notice_sent_at is None  # left for retry_notices

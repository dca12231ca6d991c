"""Reminders to staff: a call-back coming due reaches the assigned nurse once, by reference only;
an assignment tells the assignee; the home page lists what falls due in the next hour per nurse."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from intake.models import ContactAttempt, ScreeningRequest, SentEmail
from intake.staff.messages import call_back_reminder_send
from intake.staff.review import screening_request_assign
from intake.staff.safety import contact_attempt_log
from tests.intake.databases import migrated_database
from tests.intake.screening_support import run_queued_tasks
from tests.support import PROJECT_DIR, run_django

from .support import ADMIN, review_post, staff_member

pytestmark = pytest.mark.django_db

Status = ScreeningRequest.Status
Outcome = ContactAttempt.Outcome
DESK = "intake-desk@example.org"


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STAFF_REMINDER_MINUTES = 15
    settings.INTAKE_NOTIFY_EMAIL = DESK
    settings.SITE_URL = "https://avyia.example.org"


@pytest.fixture
def nurse():
    user, _device = staff_member("reviewer", username="nurse-ana")
    user.email = "ana@clinic.example.org"
    user.first_name, user.last_name = "Ana", "Lopez"
    user.save()
    return user


def staff_mail(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def failed_call(screening_request, actor, due):
    return contact_attempt_log(
        screening_request=screening_request,
        actor=actor,
        method="phone",
        outcome=Outcome.NO_ANSWER,
        next_attempt_due=due,
    )


def test_a_call_back_coming_due_reaches_the_assigned_nurse_once_by_reference_only(
    make_request, reviewer, nurse
):
    screening_request = make_request()
    screening_request_assign(screening_request=screening_request, assignee=nurse, actor=nurse)
    due = (timezone.now() + timedelta(hours=3)).replace(microsecond=0)
    failed_call(screening_request, reviewer[0], due)
    run_queued_tasks()
    mail.outbox.clear()

    with time_machine.travel(due - timedelta(minutes=20), tick=False):
        run_queued_tasks()
    assert staff_mail(nurse.email) == []
    with time_machine.travel(due - timedelta(minutes=14), tick=False):
        run_queued_tasks()
        run_queued_tasks()

    (reminder,) = staff_mail(nurse.email)
    assert screening_request.reference in reminder.subject
    assert f"/staff/intake/screeningrequest/{screening_request.pk}/change/" in reminder.body
    text = (reminder.subject + reminder.body).lower()
    for secret in (
        screening_request.first_name,
        screening_request.last_name,
        screening_request.phone,
        screening_request.email,
    ):
        assert secret.lower() not in text


def test_a_reminder_for_a_call_back_since_replaced_or_a_closed_request_is_not_sent(
    make_request, reviewer, nurse
):
    replaced, closed = make_request(), make_request()
    due = timezone.now() + timedelta(hours=3)
    for screening_request in (replaced, closed):
        screening_request_assign(screening_request=screening_request, assignee=nurse, actor=nurse)
        failed_call(screening_request, reviewer[0], due)
    # A later try on one, with its own call-back; the other is closed.
    failed_call(replaced, reviewer[0], due + timedelta(days=1))
    ScreeningRequest.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
    mail.outbox.clear()

    with time_machine.travel(due, tick=False):
        run_queued_tasks()

    assert staff_mail(nurse.email) == []


@pytest.mark.parametrize("status", list(Status))
def test_call_back_reminders_go_for_every_open_status_and_no_other(
    make_request, reviewer, nurse, status
):
    screening_request = make_request()
    screening_request_assign(screening_request=screening_request, assignee=nurse, actor=nurse)
    due = timezone.now() + timedelta(hours=2)
    failed_call(screening_request, reviewer[0], due)
    ScreeningRequest.objects.filter(pk=screening_request.pk).update(status=status)

    with time_machine.travel(due, tick=False):
        result = call_back_reminder_send(
            screening_request_id=screening_request.pk, due_at=due.isoformat()
        )

    assert (result == "sent") == (status in ScreeningRequest.OPEN_STATUSES)


def test_an_unassigned_call_back_goes_to_the_intake_desk(make_request, reviewer):
    screening_request = make_request()
    due = timezone.now() + timedelta(hours=1)
    failed_call(screening_request, reviewer[0], due)
    mail.outbox.clear()

    with time_machine.travel(due, tick=False):
        run_queued_tasks()

    reminders = [m for m in staff_mail(DESK) if m.subject.startswith("Call-back due")]
    assert [screening_request.reference in m.subject for m in reminders] == [True]


def test_assigning_a_request_on_the_review_page_tells_the_assignee(
    make_request, reviewer_client, reviewer, nurse
):
    screening_request = make_request()
    run_queued_tasks()
    mail.outbox.clear()

    review_post(reviewer_client, screening_request, assigned_to=nurse.pk)
    run_queued_tasks()

    (notice,) = staff_mail(nurse.email)
    assert notice.subject == f"Assigned to you: {screening_request.reference}"
    assert screening_request.first_name not in notice.body
    # Taking a request oneself sends nothing (to someone who would get it).
    me = reviewer[0]
    me.email = "me@clinic.example.org"
    me.save()
    mail.outbox.clear()
    screening_request_assign(screening_request=screening_request, assignee=me, actor=me)
    run_queued_tasks()
    assert mail.outbox == []
    # Whoever assigns, to whomever (an account made earlier or later), the assignee is told.
    for actor, assignee in [(me, nurse), (nurse, me)]:
        assert (assignee.pk < actor.pk) == (assignee == me)
        screening_request_assign(
            screening_request=screening_request, assignee=assignee, actor=actor
        )
        run_queued_tasks()
        assert [m.subject for m in staff_mail(assignee.email)][-1] == (
            f"Assigned to you: {screening_request.reference}"
        )


def test_the_home_page_lists_what_falls_due_in_the_next_hour_per_nurse(
    make_request, reviewer_client, reviewer, nurse
):
    soon, later, unassigned = make_request(), make_request(), make_request()
    for screening_request in (soon, later):
        screening_request_assign(screening_request=screening_request, assignee=nurse, actor=nurse)
    now = timezone.now()
    failed_call(soon, reviewer[0], now + timedelta(minutes=40))
    failed_call(later, reviewer[0], now + timedelta(hours=5))
    failed_call(unassigned, reviewer[0], now + timedelta(minutes=20))

    page = reviewer_client.get(ADMIN).content.decode()
    start = page.index("Due in the next hour")
    listed = page[start : page.index("</div>", start)]

    assert "Ana Lopez" in listed
    assert "Unassigned" in listed
    assert soon.reference in listed
    assert unassigned.reference in listed
    assert later.reference not in listed
    assert soon.first_name not in listed


WORKER_SCRIPT = """
from datetime import timedelta
from django.utils import timezone
from intake.demo import demo_request_create
from intake.models import ContactAttempt
from intake.tasks import call_back_reminder_deliver
from intake.staff.accounts import staff_user_create
nurse, _ = staff_user_create(username="nurse-x", password="a long staff password 42",
                             role="reviewer", email="x@clinic.example.org")
r = demo_request_create(1, notify_staff=False)
r.assigned_to = nurse
r.save()
due = timezone.now() + timedelta(minutes=5)
ContactAttempt.objects.create(screening_request=r, method="phone", outcome="no_answer",
                              made_by=nurse, next_attempt_due=due)
for _ in range(6):  # the same reminder queued again and again: still one e-mail
    call_back_reminder_deliver.enqueue(screening_request_id=r.pk, due_at=due.isoformat())
"""


@pytest.mark.django_db(transaction=True)
def test_two_task_workers_at_once_send_one_reminder(tmp_path):
    with migrated_database(tmp_path) as url:
        env = {
            "DATABASE_URL": url,
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            "STAFF_REMINDER_MINUTES": "15",
        }
        seeded = run_django(WORKER_SCRIPT, env=env)
        assert seeded.returncode == 0, seeded.stderr
        full_env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
        full_env.update(env)
        workers = [
            subprocess.Popen(
                [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
                cwd=PROJECT_DIR,
                env=full_env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [worker.communicate(timeout=180) for worker in workers]
        counted = run_django(
            "from intake.models import SentEmail; print(SentEmail.objects.count())", env=env
        )

    assert [w.returncode for w in workers] == [0, 0], outputs
    printed = "".join(out for out, _err in outputs)
    assert printed.count("Subject: Call-back due") == 1
    assert counted.stdout.strip() == "1"
    assert not SentEmail.objects.exists()  # the test's own database was never touched

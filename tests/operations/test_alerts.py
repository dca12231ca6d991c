"""`manage.py alert_overdue`: who gets woken, when, how often, and what the alert may say."""

from __future__ import annotations

import itertools
import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings

from intake.demo import demo_request_create
from intake.models import ContactAttempt, ScreeningRequest
from operations.models import OnCallAlert
from tests.support import PROJECT_DIR, postgres_database, run_django

Priority = ScreeningRequest.Priority
Status = ScreeningRequest.Status
Outcome = ContactAttempt.Outcome

# Written out here rather than imported: the test states the rule it checks.
WAKES_ON_CALL = {Priority.ACUTE, Priority.URGENT}
REACHES_THE_PATIENT = {Outcome.REACHED, Outcome.EMAIL_SENT, Outcome.TEXT_SENT}
ON_CALL = "pager@example.org"

numbers = itertools.count(1)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_on_call")]


@pytest.fixture
def _on_call():
    with override_settings(
        ON_CALL_EMAIL=ON_CALL, ON_CALL_REPEAT_MINUTES=30, ON_CALL_NOTICE_GRACE_MINUTES=15
    ):
        yield


def waiting_request(priority: int, *, notice_sent: bool = True) -> ScreeningRequest:
    """A stored request of `priority`, due when it arrived, its staff notice sent (or not)."""
    screening_request = demo_request_create(next(numbers) % 90 + 1)
    received = screening_request.received_at
    ScreeningRequest.objects.filter(pk=screening_request.pk).update(
        priority=priority,
        due_at=received + timedelta(hours=1),
        notice_sent_at=received if notice_sent else None,
    )
    screening_request.refresh_from_db()
    return screening_request


def staff():
    user, _ = get_user_model().objects.get_or_create(username="oncall-test-staff")
    return user


def run_at(moment) -> list:
    """Run the command as its timer would at `moment`; the alerts it sent."""
    mail.outbox.clear()
    with time_machine.travel(moment, tick=False):
        call_command("alert_overdue", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return [m for m in mail.outbox if m.to == [ON_CALL]]


@pytest.mark.parametrize("outcome", [None, *Outcome], ids=lambda o: str(o or "no attempt"))
@pytest.mark.parametrize("priority", list(Priority), ids=lambda p: Priority(p).name)
def test_only_acute_and_urgent_requests_not_reached_by_their_due_time_wake_the_on_call(
    priority, outcome
):
    screening_request = waiting_request(priority)
    if outcome is not None:
        ContactAttempt.objects.create(
            screening_request=screening_request,
            method=ScreeningRequest.ContactMethod.PHONE,
            outcome=outcome,
            made_by=staff(),
            made_at=screening_request.received_at + timedelta(minutes=5),
        )

    before_due = run_at(screening_request.due_at - timedelta(minutes=1))
    after_due = run_at(screening_request.due_at + timedelta(minutes=1))

    assert before_due == []
    expected = priority in WAKES_ON_CALL and outcome not in REACHES_THE_PATIENT
    assert len(after_due) == (1 if expected else 0)
    if expected:
        (alert,) = after_due
        assert screening_request.reference in alert.subject
        assert Priority(priority).name in alert.subject
        assert "waiting 1 h 01 min" in alert.subject


@pytest.mark.parametrize("status", list(Status))
def test_a_request_no_longer_open_never_wakes_anyone(status):
    screening_request = waiting_request(Priority.ACUTE)
    ScreeningRequest.objects.filter(pk=screening_request.pk).update(status=status)

    sent = run_at(screening_request.due_at + timedelta(minutes=1))

    assert len(sent) == (1 if status in ScreeningRequest.OPEN_STATUSES else 0)


def test_the_alert_repeats_every_repeat_period_until_a_contact_reaches_the_patient():
    screening_request = waiting_request(Priority.ACUTE)
    due = screening_request.due_at

    first = run_at(due + timedelta(minutes=1))
    same_period = run_at(due + timedelta(minutes=29))
    second = run_at(due + timedelta(minutes=31))
    ContactAttempt.objects.create(
        screening_request=screening_request,
        method=ScreeningRequest.ContactMethod.PHONE,
        outcome=Outcome.NO_ANSWER,
        made_by=staff(),
        made_at=due + timedelta(minutes=40),
    )
    after_a_failed_call = run_at(due + timedelta(minutes=61))
    ContactAttempt.objects.create(
        screening_request=screening_request,
        method=ScreeningRequest.ContactMethod.PHONE,
        outcome=Outcome.REACHED,
        made_by=staff(),
        made_at=due + timedelta(minutes=70),
    )
    after_reaching = run_at(due + timedelta(minutes=91))

    assert [len(first), len(same_period), len(second)] == [1, 0, 1]
    assert len(after_a_failed_call) == 1
    assert after_reaching == []


@override_settings(ON_CALL_REPEAT_MINUTES=10)
def test_the_repeat_period_is_a_setting():
    screening_request = waiting_request(Priority.URGENT)

    sent = [run_at(screening_request.due_at + timedelta(minutes=m)) for m in (1, 9, 11, 21)]

    assert [len(batch) for batch in sent] == [1, 0, 1, 1]


def test_a_staff_notice_not_sent_within_the_grace_time_alerts_the_same_way():
    screening_request = waiting_request(Priority.ROUTINE, notice_sent=False)
    received = screening_request.received_at

    within_grace = run_at(received + timedelta(minutes=14))
    after_grace = run_at(received + timedelta(minutes=16))
    ScreeningRequest.objects.filter(pk=screening_request.pk).update(
        notice_sent_at=received + timedelta(minutes=20)
    )
    once_sent = run_at(received + timedelta(minutes=50))

    assert within_grace == []
    (alert,) = after_grace
    assert screening_request.reference in alert.subject and "not sent" in alert.subject
    assert once_sent == []


def test_an_alert_names_the_reference_priority_and_wait_and_nothing_about_the_patient():
    screening_request = waiting_request(Priority.ACUTE)

    (alert,) = run_at(screening_request.received_at + timedelta(hours=3, minutes=5))

    text = alert.subject + "\n" + alert.body
    assert screening_request.reference in text and "ACUTE" in text and "3 h 05 min" in text
    for personal in (
        screening_request.first_name,
        screening_request.last_name,
        screening_request.email,
        screening_request.phone,
        screening_request.zip_code,
        str(screening_request.date_of_birth.year),
    ):
        assert personal and personal not in text


@override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_PORT=9)
def test_an_alert_the_mail_server_refused_is_sent_by_the_next_run():
    screening_request = waiting_request(Priority.ACUTE)
    moment = screening_request.due_at + timedelta(minutes=1)

    with time_machine.travel(moment, tick=False), pytest.raises(CommandError):
        call_command("alert_overdue", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not OnCallAlert.objects.exists()

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        assert len(run_at(moment + timedelta(minutes=5))) == 1


def test_without_an_on_call_address_the_command_fails_loudly():
    with override_settings(ON_CALL_EMAIL=""), pytest.raises(CommandError, match="ON_CALL_EMAIL"):
        call_command("alert_overdue")


SEED_AN_OVERDUE_ACUTE_REQUEST = """
from datetime import timedelta
from django.core.management import call_command
from intake.demo import demo_request_create
from intake.models import ScreeningRequest
call_command("migrate", verbosity=0)
r = demo_request_create(1)
ScreeningRequest.objects.filter(pk=r.pk).update(
    priority=ScreeningRequest.Priority.ACUTE, due_at=r.received_at - timedelta(minutes=10),
    notice_sent_at=r.received_at)
"""


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_one_alert():
    with postgres_database("alerts") as url:
        env = {
            "DATABASE_URL": url,
            "ON_CALL_EMAIL": ON_CALL,
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        }
        seeded = run_django(SEED_AN_OVERDUE_ACUTE_REQUEST, env=env)
        assert seeded.returncode == 0, seeded.stderr
        import os

        full_env = {**os.environ, **env}
        full_env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        runs = [
            subprocess.Popen(
                [sys.executable, "manage.py", "alert_overdue"],
                cwd=PROJECT_DIR,
                env=full_env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [run.communicate(timeout=120) for run in runs]

    assert [run.returncode for run in runs] == [0, 0], outputs
    printed = "".join(out for out, _err in outputs)
    assert printed.count(f"To: {ON_CALL}") == 1
    assert sorted(out.splitlines()[-1] for out, _err in outputs) == [
        "On-call alerts sent: 0. Not sent: 0.",
        "On-call alerts sent: 1. Not sent: 0.",
    ]

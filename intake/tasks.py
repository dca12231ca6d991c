"""Background work for the screening request: its e-mails, on the task queue.

Each e-mail (the staff notice; the patient's receipt, when asked for) is queued in the same
database transaction that stores the request (the database task backend writes the queue row
there too), so a stored request always has exactly one of each queued and a refused one has none.
The worker (`manage.py db_worker`) sends them; when the mail server refuses, the task queues its
own next attempt with exponential backoff. Django's tasks API has no retry of its own.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

try:  # Django 6 ships the tasks API; on 5.2 the django-tasks backport provides it.
    from django.tasks import task
except ImportError:  # pragma: no cover - depends on the Django version
    from django_tasks import task

from .models import ScreeningRequest
from .services import screening_notice_send, screening_receipt_send
from .staff.account_mail import staff_account_email_send

logger = logging.getLogger(__name__)

SENDERS = {"notice": screening_notice_send, "receipt": screening_receipt_send}


def notice_retry_delay(attempt: int) -> timedelta:
    """Wait before attempt `attempt + 1`: base, 2 x base, 4 x base..., at most NOTICE_RETRY_MAX."""
    base = settings.NOTICE_RETRY_BASE_SECONDS
    return timedelta(seconds=min(base * 2 ** (attempt - 1), settings.NOTICE_RETRY_MAX_SECONDS))


@task()
def screening_email_deliver(*, screening_request_id: int, what: str, attempt: int = 1) -> str:
    """Send one of a request's e-mails ("notice" or "receipt") unless it went out already; on
    failure, try again later."""
    pending = ScreeningRequest.objects.filter(
        pk=screening_request_id, **{f"{what}_sent_at__isnull": True}
    ).exists()
    if not pending:
        return "nothing to send"
    if SENDERS[what](screening_request_id=screening_request_id):
        return "sent"
    if attempt >= settings.NOTICE_RETRY_ATTEMPTS:
        # Still recorded as unsent: `manage.py retry_notices` (or the next deploy) picks it up.
        logger.error(
            "The %s for request id %s failed %s times; giving up.",
            what,
            screening_request_id,
            attempt,
        )
        return "gave up"
    screening_email_deliver.using(run_after=timezone.now() + notice_retry_delay(attempt)).enqueue(
        screening_request_id=screening_request_id, what=what, attempt=attempt + 1
    )
    return "retry queued"


@task()
def staff_account_email_deliver(
    *, user_id: int, what: str, actor_name: str, enrolment_id: int | None = None, attempt: int = 1
) -> str:
    """E-mail a staff member what a manager did to their account ("invite", "reset",
    "deactivated", "reactivated", "pause_lifted"); on failure, try again later.

    An enrolment link is made here, when the e-mail goes out, so its token is never stored
    anywhere but in the e-mail (a retry makes a new one)."""
    if staff_account_email_send(
        user_id=user_id, what=what, actor_name=actor_name, enrolment_id=enrolment_id
    ):
        return "sent"
    if attempt >= settings.NOTICE_RETRY_ATTEMPTS:
        logger.error("The %s e-mail to staff user id %s failed; giving up.", what, user_id)
        return "gave up"
    staff_account_email_deliver.using(
        run_after=timezone.now() + notice_retry_delay(attempt)
    ).enqueue(
        user_id=user_id,
        what=what,
        actor_name=actor_name,
        enrolment_id=enrolment_id,
        attempt=attempt + 1,
    )
    return "retry queued"


# --- Appointment e-mails and staff reminders (intake.staff.messages) ---------------------------


def _retry_later(task, attempt: int, **kwargs) -> str:
    """Queue the next try of a task whose e-mail the mail server refused, or give up."""
    if attempt >= settings.NOTICE_RETRY_ATTEMPTS:
        logger.error("A %s e-mail failed %s times; giving up.", task.name, attempt)
        return "gave up"
    task.using(run_after=timezone.now() + notice_retry_delay(attempt)).enqueue(
        **kwargs, attempt=attempt + 1
    )
    return "retry queued"


@task()
def appointment_email_deliver(
    *, appointment_id: int, what: str, sequence: int, attempt: int = 1
) -> str:
    """Send the patient an e-mail about their appointment (confirmation, change, cancellation,
    reminder), once; on failure, try again later."""
    from .staff.messages import appointment_email_send

    result = appointment_email_send(appointment_id=appointment_id, what=what, sequence=sequence)
    if result != "failed":
        return result
    return _retry_later(
        appointment_email_deliver,
        attempt,
        appointment_id=appointment_id,
        what=what,
        sequence=sequence,
    )


@task()
def call_back_reminder_deliver(*, screening_request_id: int, due_at: str, attempt: int = 1) -> str:
    """Remind the assigned nurse of a call-back coming due, once per due time."""
    from .staff.messages import call_back_reminder_send

    result = call_back_reminder_send(screening_request_id=screening_request_id, due_at=due_at)
    if result != "failed":
        return result
    return _retry_later(
        call_back_reminder_deliver,
        attempt,
        screening_request_id=screening_request_id,
        due_at=due_at,
    )


@task()
def assignment_notice_deliver(
    *, screening_request_id: int, assignee_id: int, version: int, attempt: int = 1
) -> str:
    """Tell a nurse a request was assigned to them, once per assignment."""
    from .staff.messages import assignment_notice_send

    result = assignment_notice_send(
        screening_request_id=screening_request_id, assignee_id=assignee_id, version=version
    )
    if result != "failed":
        return result
    return _retry_later(
        assignment_notice_deliver,
        attempt,
        screening_request_id=screening_request_id,
        assignee_id=assignee_id,
        version=version,
    )

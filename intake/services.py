"""Screening requests: creation (triaged), rate limiting and the staff notice."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from core.business_hours import response_time_words
from intake.due_times import due_at_for
from pages.clinic import clinic_facts

from . import consent, questionnaire
from .crypto import client_address_hash, email_blind_index, request_blind_indexes
from .models import ScreeningRateWindow, ScreeningRequest
from .triage import triage

logger = logging.getLogger(__name__)

# --- Rate limiting ------------------------------------------------------------------------------


class ScreeningRateLimited(Exception):
    """Too many accepted requests (or new drafts) from one client address in the last period."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"rate limited; retry after {retry_after}s")
        self.retry_after = retry_after


_RATE_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*(second|minute|hour|day)s?\s*$", re.IGNORECASE)
# Each rate limit's setting, and the scope its client address hashes are kept apart in.
RATE_LIMIT_SCOPES = {"SCREENING_RATE_LIMIT": "", "SCREENING_DRAFT_RATE_LIMIT": "drafts"}


def parse_rate(text: str, *, setting: str = "SCREENING_RATE_LIMIT") -> tuple[int, timedelta] | None:
    """ "5/hour" -> (5, 1 hour); "10/15minutes" works too; "off" (or empty) -> None."""
    if text.strip().lower() in {"", "off", "none", "0"}:
        return None
    match = _RATE_RE.match(text)
    if not match:
        raise ValueError(f"{setting} must look like '5/hour' or 'off', not {text!r}")
    count, multiple, unit = match.groups()
    seconds = int(multiple or 1) * _RATE_UNITS[unit.lower()]
    return int(count), timedelta(seconds=seconds)


def _window_start(now: datetime, period: timedelta) -> datetime:
    seconds = period.total_seconds()
    start = math.floor(now.timestamp() / seconds) * seconds
    return datetime.fromtimestamp(start, tz=UTC)


def _longest_period() -> timedelta:
    periods = [
        rate[1]
        for name in RATE_LIMIT_SCOPES
        if (rate := parse_rate(getattr(settings, name), setting=name))
    ]
    return max(periods, default=timedelta(0))


def _retry_after(*, limit: int, previous: int, current: int, elapsed: float, period: float) -> int:
    """Seconds until one more would pass, if nothing else is counted meanwhile.

    `current` counts the one refused; `elapsed` is the time since the current window began.
    """
    accepted = current - 1
    if accepted < limit:
        # Later in this window, once enough of the previous one has slid out of the period.
        wait = period - period * (limit - accepted - 1) / previous - elapsed
    else:
        # In the next window, once enough of this one has slid out.
        wait = 2 * period - period * (limit - 1) / accepted - elapsed
    return max(math.ceil(wait), 1)


@transaction.atomic
def rate_limit_count(*, setting: str, client_address: str, now: datetime | None = None) -> None:
    """Count one more for a client (by keyed address hash); raise when over the limit in `setting`.

    A sliding count over the last period: this window's count plus the previous window's, weighted
    by the share of it still inside the period (so no burst passes at a window's boundary).
    Called inside the transaction that does what is counted, so a refusal (or a failure) rolls its
    count back. The count is exact across processes: a row per (address hash, window) with a
    unique constraint, incremented with F() so each UPDATE is atomic and row-locked.
    """
    rate = parse_rate(getattr(settings, setting), setting=setting)
    if rate is None:
        return
    limit, period = rate
    address_hash = client_address_hash(client_address, scope=RATE_LIMIT_SCOPES[setting])
    now = now or timezone.now()
    start = _window_start(now, period)
    window = ScreeningRateWindow.objects.filter(address_hash=address_hash, window_start=start)
    if not window.update(count=F("count") + 1):
        try:
            with transaction.atomic():
                ScreeningRateWindow.objects.create(
                    address_hash=address_hash, window_start=start, count=1
                )
        except IntegrityError:
            window.update(count=F("count") + 1)  # another process created it first
        else:
            # A new window: forget those no limit counts any more, so no address hash outlives
            # the longest limit's two windows.
            ScreeningRateWindow.objects.filter(
                window_start__lt=start - 2 * _longest_period()
            ).delete()
    current = window.values_list("count", flat=True).get()
    previous = (
        ScreeningRateWindow.objects.filter(address_hash=address_hash, window_start=start - period)
        .values_list("count", flat=True)
        .first()
    ) or 0
    elapsed = (now - start).total_seconds()
    seconds = period.total_seconds()
    # previous * (share of it still inside the period) + current > limit, without a division.
    if previous * (seconds - elapsed) + current * seconds > limit * seconds:
        raise ScreeningRateLimited(
            retry_after=_retry_after(
                limit=limit,
                previous=previous,
                current=current,
                elapsed=elapsed,
                period=seconds,
            )
        )


def screening_rate_limit_check(*, client_address: str, now: datetime | None = None) -> None:
    """Count one accepted screening request; raise when over SCREENING_RATE_LIMIT."""
    rate_limit_count(setting="SCREENING_RATE_LIMIT", client_address=client_address, now=now)


# --- Creation -----------------------------------------------------------------------------------


@transaction.atomic
def screening_request_create(
    *,
    answers: Mapping[str, Any],
    answers_as_seen: list[dict[str, Any]],
    submission_token: str,
    client_address: str,
    language: str = "en",
    notify_staff: bool = True,
) -> ScreeningRequest:
    """Store a patient's screening request, triaged, and tell staff once it is committed.

    `answers` are the form's cleaned values (phone already in E.164). Idempotent on the form's
    one-time token: posting the same token again (a double click, a resubmit) returns the request
    already stored, and the database's unique constraint decides if two posts race.
    Raises ScreeningRateLimited when the client address is over SCREENING_RATE_LIMIT.
    `language` is the one the patient asked in (the page's): staff call in it, the receipt uses it.
    `notify_staff=False` (the demo queue) sends staff no notice of it.
    """
    existing = ScreeningRequest.objects.filter(submission_token=submission_token).first()
    if existing is not None:
        return existing

    now = timezone.now()
    area = clinic_facts().area_for_zip(answers["zip_code"])
    result = triage(answers=answers, in_service_area=area.in_area)
    definition = questionnaire.SCREENING
    columns = {q.column: answers.get(q.name) for q in definition.questions() if q.column}
    coded = {q.name: answers.get(q.name) for q in definition.answer_questions()}
    email_index = email_blind_index(answers["email"]) if answers.get("email") else ""
    receipt_wanted = bool(answers.get("email_receipt") and email_index) and (
        screening_receipt_allowed(email_index=email_index, now=now)
    )
    screening_request = ScreeningRequest(
        submission_token=submission_token,
        received_at=now,
        status_changed_at=now,
        priority=result.priority,
        due_at=due_at_for(priority=result.priority, received_at=now),
        flags=result.flags,
        peg_score=result.peg_score,
        phq2_positive=result.phq2_positive,
        asq_positive=result.asq_positive,
        in_service_area=area.in_area,
        county=area.county,
        **{name: "" if value is None else value for name, value in columns.items()},
        # The questionnaire's version is kept with the answers it asked: exports pin to it.
        answers={"sections": answers_as_seen, "values": coded, "version": definition.version},
        **request_blind_indexes(
            email=answers.get("email") or "",
            phone=answers.get("phone") or "",
            last_name=answers["last_name"],
            date_of_birth=answers["date_of_birth"],
        ),
        consent_version=consent.CONSENT_VERSION,
        consented_at=now,
        sms_reminders_consent=bool(answers.get("sms_reminders")),
        receipt_wanted=receipt_wanted,
        language=language,
    )
    # Uniqueness is the database's job (the token's constraint is what makes resubmits safe).
    screening_request.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            screening_request.save(force_insert=True)
    except IntegrityError:
        existing = ScreeningRequest.objects.filter(submission_token=submission_token).first()
        if existing is None:
            raise
        return existing

    screening_rate_limit_check(client_address=client_address, now=now)
    from .tasks import screening_email_deliver  # here: the task module imports this one

    # Queued in this transaction: each e-mail once for a stored request, none for a refused one.
    if notify_staff:
        screening_email_deliver.enqueue(screening_request_id=screening_request.pk, what="notice")
    if screening_request.receipt_wanted:
        screening_email_deliver.enqueue(screening_request_id=screening_request.pk, what="receipt")
    # The reference alone: a log line never says how urgent a patient's answers were.
    logger.info("Screening request %s received.", screening_request.reference)
    return screening_request


def screening_receipt_allowed(*, email_index: str, now: datetime) -> bool:
    """Whether a receipt may go to this address (by its blind index): none went to it in the last
    SCREENING_RECEIPT_HOURS. Called in the creating transaction, which it serialises per address,
    so two requests sent at once cannot both get one."""
    hours = settings.SCREENING_RECEIPT_HOURS
    if hours <= 0:
        return True
    if connection.vendor == "postgresql":
        # SQLite's immediate transactions already run one at a time.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(email_index[:15], 16)])
    return not ScreeningRequest.objects.filter(
        email_index=email_index, receipt_wanted=True, received_at__gt=now - timedelta(hours=hours)
    ).exists()


# --- E-mails: the staff notice and the patient's receipt -----------------------------------------


def screening_request_admin_url(screening_request: ScreeningRequest) -> str:
    """The absolute link to the request's page in the staff admin."""
    path = reverse("admin:intake_screeningrequest_change", args=[screening_request.pk])
    return settings.SITE_URL + path


def _send_once(screening_request: ScreeningRequest, *, what: str, message: EmailMessage) -> bool:
    """Send one of a request's e-mails ("notice" or "receipt"), counting the attempt and noting
    when it went out in `<what>_attempts` / `<what>_sent_at`. Never raises: a failure is logged
    (reference only) and left for `retry_notices`."""
    requests = ScreeningRequest.objects.filter(pk=screening_request.pk)
    try:
        requests.update(**{f"{what}_attempts": F(f"{what}_attempts") + 1})
        message.send()
    except Exception as exc:  # any mail failure, e.g. SMTP refused or timed out
        logger.warning(
            "The %s for screening request %s was not sent (%s); "
            "`manage.py retry_notices` will send it.",
            what,
            screening_request.reference,
            exc.__class__.__name__,
        )
        return False
    try:
        requests.update(**{f"{what}_sent_at": timezone.now()})
    except DatabaseError:
        # Sent but not recorded: a retry may send it twice, which beats never sending it.
        logger.warning("The %s for %s sent but not recorded.", what, screening_request.reference)
    return True


def screening_notice_send(*, screening_request_id: int) -> bool:
    """E-mail staff that a request arrived: reference, priority and a link, nothing personal.
    Always in English, whatever language the patient used. Returns whether the notice went out.
    """
    with translation.override("en"):
        return _notice_send(screening_request_id)


def _notice_send(screening_request_id: int) -> bool:
    screening_request = (
        ScreeningRequest.objects.only("reference", "priority", "received_at", "asq_positive")
        .filter(pk=screening_request_id)
        .first()
    )
    if screening_request is None:
        return False
    acute = screening_request.priority == ScreeningRequest.Priority.ACUTE
    urgent = screening_request.priority == ScreeningRequest.Priority.URGENT
    context = {
        "reference": screening_request.reference,
        "priority": screening_request.get_priority_display(),
        "urgent": urgent,
        "acute": acute,
        "received_at": timezone.localtime(screening_request.received_at),
        "admin_url": screening_request_admin_url(screening_request),
    }
    subject = f"New screening request {screening_request.reference}"
    if acute:
        subject = "ACUTE, CALL NOW: " + subject
    elif urgent:
        subject = "URGENT: " + subject
    else:
        subject += f" ({screening_request.get_priority_display().lower()})"
    message = EmailMessage(
        subject,
        render_to_string("intake/email/staff_notice.txt", context),
        to=[settings.INTAKE_NOTIFY_EMAIL],
    )
    return _send_once(screening_request, what="notice", message=message)


def screening_receipt_send(*, screening_request_id: int) -> bool:
    """E-mail the patient, when they asked, that we received a request: its reference, how and
    when we will contact them and how to reach us. Nothing about treatment or health and nothing
    they typed (not even their name): an address typed wrong must tell a stranger nothing. In the
    language the request was made in. Returns whether it went out."""
    screening_request = ScreeningRequest.objects.filter(
        pk=screening_request_id, receipt_wanted=True
    ).first()
    if screening_request is None or not screening_request.email:
        return False
    with translation.override(screening_request.language or settings.LANGUAGE_CODE):
        return _receipt_send(screening_request)


def _receipt_send(screening_request: ScreeningRequest) -> bool:
    clinic = clinic_facts()
    context = {
        "reference": screening_request.reference,
        "clinic_name": settings.CLINIC_NAME,
        "clinic_phone": clinic.phone,
        "clinic_email": clinic.email,
        "contact_method": screening_request.contact_method,
        "response_time": response_time_words(),
    }
    message = EmailMessage(
        gettext("%(clinic)s: we received your request %(reference)s")
        % {"clinic": settings.CLINIC_NAME, "reference": screening_request.reference},
        render_to_string("intake/email/patient_receipt.txt", context),
        to=[screening_request.email],
        reply_to=[clinic.email] if clinic.email else None,
    )
    return _send_once(screening_request, what="receipt", message=message)


def _pending(what: str, grace: timedelta):
    unsent = ScreeningRequest.objects.filter(**{f"{what}_sent_at__isnull": True})
    if what == "receipt":
        unsent = unsent.filter(receipt_wanted=True)
    return unsent.filter(
        Q(**{f"{what}_attempts__gt": 0}) | Q(received_at__lt=timezone.now() - grace)
    )


def screening_notices_pending(*, grace: timedelta = timedelta(minutes=5)):
    """Requests whose staff notice has not gone out: failed ones, and any left unsent past grace."""
    return _pending("notice", grace)


def screening_receipts_pending(*, grace: timedelta = timedelta(minutes=5)):
    """Requests whose patient asked for a receipt that has not gone out."""
    return _pending("receipt", grace)


def screening_notices_retry() -> tuple[int, int]:
    """Send every pending staff notice and patient receipt. Returns (sent, still failing)."""
    sent = failed = 0
    for pending, send in (
        (screening_notices_pending(), screening_notice_send),
        (screening_receipts_pending(), screening_receipt_send),
    ):
        for pk in pending.order_by("received_at").values_list("pk", flat=True):
            if send(screening_request_id=pk):
                sent += 1
            else:
                failed += 1
    return sent, failed

"""Screening requests: triage, creation, rate limiting and the staff notice."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from . import consent
from .crypto import client_address_hash, email_blind_index, phone_blind_index
from .models import Flag, ScreeningRateWindow, ScreeningRequest
from .service_area import service_area_for_zip

logger = logging.getLogger(__name__)

# The conditions a clinician reviews before ketamine (SOURCES.md), each asked yes / no / not sure.
HEALTH_CONDITION_FLAGS = (
    Flag.HEART,
    Flag.PSYCHOSIS,
    Flag.LIVER,
    Flag.PRESSURE,
    Flag.SUBSTANCE_USE,
    Flag.PREGNANCY,
    Flag.KETAMINE_ALLERGY,
    Flag.SEIZURES,
    Flag.BREATHING,
)
ASQ_FIELDS = ("asq_wish_dead", "asq_better_off", "asq_thoughts", "asq_attempt")
PEG_FIELDS = ("peg_pain", "peg_enjoyment", "peg_activity")
PHQ2_FIELDS = ("phq2_interest", "phq2_down")
PHQ2_POSITIVE_AT = 3
# Kept in their own encrypted columns, so left out of the coded answers stored beside them.
CONTACT_ANSWER_KEYS = frozenset(
    {
        "first_name",
        "last_name",
        "date_of_birth",
        "email",
        "phone",
        "zip_code",
        "contact_method",
        "contact_time",
        "how_heard",
    }
)


# --- Triage -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TriageResult:
    priority: ScreeningRequest.Priority
    flags: list[str] = field(default_factory=list)
    peg_score: Decimal | None = None
    phq2_score: int = 0
    phq2_positive: bool = False
    asq_positive: bool = False


def triage(*, answers: Mapping[str, Any], in_service_area: bool | None) -> TriageResult:
    """Decide a request's flags and priority from its coded answers.

    - A flag for each health condition answered "yes" or "not sure" (never an automatic "no":
      a clinician decides).
    - PEG score: the mean of its three 0-10 items, to one decimal place.
    - PHQ-2 positive at a total of 3 or more.
    - ASQ positive on any "yes" (including "thoughts of killing yourself right now"): urgent.
    - Pain for less than 3 months, a ZIP code outside the area or not found: noted as flags.

    Priority: urgent when ASQ is positive; needs review with any health-condition flag or a
    positive PHQ-2; otherwise routine.
    """
    flags: list[str] = []
    for flag in HEALTH_CONDITION_FLAGS:
        if answers.get(f"health_{flag.value}") in {"yes", "not_sure"}:
            flags.append(flag.value)

    peg_items = [answers.get(name) for name in PEG_FIELDS]
    peg_score = None
    if all(isinstance(item, int) for item in peg_items):
        peg_score = (Decimal(sum(peg_items)) / Decimal(3)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    phq2_score = sum(int(answers.get(name) or 0) for name in PHQ2_FIELDS)
    phq2_positive = phq2_score >= PHQ2_POSITIVE_AT
    if phq2_positive:
        flags.append(Flag.PHQ2_POSITIVE.value)

    asq_acute = answers.get("asq_now") == "yes"
    asq_positive = asq_acute or any(answers.get(name) == "yes" for name in ASQ_FIELDS)
    if asq_positive:
        flags.append(Flag.ASQ_POSITIVE.value)
    if asq_acute:
        flags.append(Flag.ASQ_ACUTE.value)

    if answers.get("pain_duration") == "under_3_months":
        flags.append(Flag.PAIN_UNDER_3_MONTHS.value)
    if in_service_area is False:
        flags.append(Flag.OUT_OF_AREA.value)
    elif in_service_area is None:
        flags.append(Flag.AREA_UNKNOWN.value)

    condition_flagged = any(flag.value in flags for flag in HEALTH_CONDITION_FLAGS)
    if asq_positive:
        priority = ScreeningRequest.Priority.URGENT
    elif condition_flagged or phq2_positive:
        priority = ScreeningRequest.Priority.NEEDS_REVIEW
    else:
        priority = ScreeningRequest.Priority.ROUTINE
    return TriageResult(
        priority=priority,
        flags=flags,
        peg_score=peg_score,
        phq2_score=phq2_score,
        phq2_positive=phq2_positive,
        asq_positive=asq_positive,
    )


# --- Rate limiting ------------------------------------------------------------------------------


class ScreeningRateLimited(Exception):
    """Too many accepted requests from one client address in the current window."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"rate limited; retry after {retry_after}s")
        self.retry_after = retry_after


_RATE_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*(second|minute|hour|day)s?\s*$", re.IGNORECASE)


def parse_rate(text: str) -> tuple[int, timedelta] | None:
    """ "5/hour" -> (5, 1 hour); "10/15minutes" works too; "off" (or empty) -> None."""
    if text.strip().lower() in {"", "off", "none", "0"}:
        return None
    match = _RATE_RE.match(text)
    if not match:
        raise ValueError(f"SCREENING_RATE_LIMIT must look like '5/hour' or 'off', not {text!r}")
    count, multiple, unit = match.groups()
    seconds = int(multiple or 1) * _RATE_UNITS[unit.lower()]
    return int(count), timedelta(seconds=seconds)


def _window_start(now: datetime, period: timedelta) -> datetime:
    seconds = period.total_seconds()
    start = math.floor(now.timestamp() / seconds) * seconds
    return datetime.fromtimestamp(start, tz=UTC)


@transaction.atomic
def screening_rate_limit_check(*, address_hash: str, now: datetime | None = None) -> None:
    """Count one accepted request for a client (by keyed address hash); raise when over the limit.

    Called inside the creating transaction, so a request that is rejected (or fails) rolls its
    count back. The count is exact across processes: a row per (address hash, window) with a
    unique constraint, incremented with F() so each UPDATE is atomic and row-locked.
    """
    rate = parse_rate(settings.SCREENING_RATE_LIMIT)
    if rate is None:
        return
    limit, period = rate
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
            # A new window: forget the ended ones, so no address hash outlives its window.
            ScreeningRateWindow.objects.filter(window_start__lt=start).delete()
    count = window.values_list("count", flat=True).get()
    if count > limit:
        retry_after = math.ceil((start + period - now).total_seconds())
        raise ScreeningRateLimited(retry_after=max(retry_after, 1))


# --- Creation -----------------------------------------------------------------------------------


@transaction.atomic
def screening_request_create(
    *,
    answers: Mapping[str, Any],
    answers_as_seen: list[dict[str, Any]],
    submission_token: str,
    client_address: str,
) -> ScreeningRequest:
    """Store a patient's screening request, triaged, and tell staff once it is committed.

    `answers` are the form's cleaned values (phone already in E.164). Idempotent on the form's
    one-time token: posting the same token again (a double click, a resubmit) returns the request
    already stored, and the database's unique constraint decides if two posts race.
    Raises ScreeningRateLimited when the client address is over SCREENING_RATE_LIMIT.
    """
    existing = ScreeningRequest.objects.filter(submission_token=submission_token).first()
    if existing is not None:
        return existing

    now = timezone.now()
    area = service_area_for_zip(answers["zip_code"])
    result = triage(answers=answers, in_service_area=area.in_area)
    coded = {
        key: value
        for key, value in answers.items()
        if key not in CONTACT_ANSWER_KEYS and key not in {"form_token", "website"}
    }
    screening_request = ScreeningRequest(
        submission_token=submission_token,
        received_at=now,
        status_changed_at=now,
        priority=result.priority,
        flags=result.flags,
        peg_score=result.peg_score,
        phq2_positive=result.phq2_positive,
        asq_positive=result.asq_positive,
        in_service_area=area.in_area,
        county=area.county,
        first_name=answers["first_name"],
        last_name=answers["last_name"],
        date_of_birth=answers["date_of_birth"],
        email=answers["email"],
        phone=answers["phone"],
        zip_code=answers["zip_code"],
        contact_method=answers["contact_method"],
        contact_time=answers["contact_time"],
        how_heard=answers.get("how_heard", ""),
        answers={"sections": answers_as_seen, "values": coded},
        email_index=email_blind_index(answers["email"]),
        phone_index=phone_blind_index(answers["phone"]) or "",
        consent_version=consent.CONSENT_VERSION,
        consented_at=now,
        sms_reminders_consent=bool(answers.get("sms_reminders")),
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

    screening_rate_limit_check(address_hash=client_address_hash(client_address), now=now)
    from .tasks import screening_notice_deliver  # here: the task module imports this one

    # Queued in this transaction: one notice for each stored request, none for a refused one.
    screening_notice_deliver.enqueue(screening_request_id=screening_request.pk)
    logger.info(
        "Screening request %s received (%s).",
        screening_request.reference,
        screening_request.get_priority_display(),
    )
    return screening_request


# --- Staff notice -------------------------------------------------------------------------------


def screening_request_admin_url(screening_request: ScreeningRequest) -> str:
    """The absolute link to the request's page in the staff admin."""
    path = reverse("admin:intake_screeningrequest_change", args=[screening_request.pk])
    return settings.SITE_URL + path


def screening_notice_send(*, screening_request_id: int) -> bool:
    """E-mail staff that a request arrived: reference, priority and a link, nothing personal.

    Never raises: a failure is logged (without personal data) and left for `retry_notices`.
    Returns whether the notice went out.
    """
    screening_request = (
        ScreeningRequest.objects.only("reference", "priority", "received_at", "asq_positive")
        .filter(pk=screening_request_id)
        .first()
    )
    if screening_request is None:
        return False
    urgent = screening_request.priority == ScreeningRequest.Priority.URGENT
    context = {
        "reference": screening_request.reference,
        "priority": screening_request.get_priority_display(),
        "urgent": urgent,
        "received_at": timezone.localtime(screening_request.received_at),
        "admin_url": screening_request_admin_url(screening_request),
    }
    subject = f"New screening request {screening_request.reference}"
    if urgent:
        subject = "URGENT: " + subject
    else:
        subject += f" ({screening_request.get_priority_display().lower()})"
    try:
        ScreeningRequest.objects.filter(pk=screening_request.pk).update(
            notice_attempts=F("notice_attempts") + 1
        )
        send_mail(
            subject,
            render_to_string("intake/email/staff_notice.txt", context),
            None,
            [settings.INTAKE_NOTIFY_EMAIL],
        )
    except Exception as exc:  # any mail failure, e.g. SMTP refused or timed out
        logger.warning(
            "Staff notice for screening request %s was not sent (%s); "
            "`manage.py retry_notices` will send it.",
            screening_request.reference,
            exc.__class__.__name__,
        )
        return False
    try:
        ScreeningRequest.objects.filter(pk=screening_request.pk).update(
            notice_sent_at=timezone.now()
        )
    except DatabaseError:
        # Sent but not recorded: a retry may send it twice, which beats never sending it.
        logger.warning("Staff notice for %s sent but not recorded.", screening_request.reference)
    return True


def screening_notices_pending(*, grace: timedelta = timedelta(minutes=5)):
    """Requests whose staff notice has not gone out: failed ones, and any left unsent past grace."""
    return ScreeningRequest.objects.filter(notice_sent_at__isnull=True).filter(
        Q(notice_attempts__gt=0) | Q(received_at__lt=timezone.now() - grace)
    )


def screening_notices_retry() -> tuple[int, int]:
    """Send every pending staff notice. Returns (sent, still failing)."""
    sent = failed = 0
    for pk in screening_notices_pending().order_by("received_at").values_list("pk", flat=True):
        if screening_notice_send(screening_request_id=pk):
            sent += 1
        else:
            failed += 1
    return sent, failed

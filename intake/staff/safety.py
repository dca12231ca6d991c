"""Contact attempts and the suicide-risk protocol: what must be on record before a request moves on.

A request moves to "contacted" only once an attempt reached the patient (a call answered, an e-mail
or text sent), and to "scheduled" only with that too and an upcoming appointment booked (either may
be recorded in the same save: intake.staff.appointments) and, for a positive suicide-risk screen,
after a conversation with the patient. A request with a positive suicide-risk screen (ASQ) may be
in no status other than the unanswered ones (new, in review) until a reviewer has confirmed the
clinic's protocol: so it leaves the open queue by no door (withdrawn included) without it. The
protocol has two paths, each with records that must agree with it: "spoke with the patient" needs a
call that reached them, and "could not reach the patient" needs an attempt that did not; both need
an internal note.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from core.audit import audit_record
from core.models import AuditEvent
from intake.due_times import due_at_for
from pages.clinic import clinic_facts

from ..crypto import normalise_phone, request_blind_indexes
from ..models import (
    ContactAttempt,
    ProtocolConfirmation,
    RequestLink,
    ScreeningRequest,
    SuicideRiskProtocol,
)
from .appointments import appointment_upcoming

Status = ScreeningRequest.Status
Outcome = ContactAttempt.Outcome
Method = ContactAttempt.Method
Path = ProtocolConfirmation.Path

# Outcomes after which the patient has heard from the clinic.
CONTACT_MADE_OUTCOMES = frozenset({Outcome.REACHED, Outcome.EMAIL_SENT, Outcome.TEXT_SENT})

# The default protocol, after the NIMH ASQ Suicide Risk Screening Pathway (outpatient/primary
# care version); the clinic edits it in the admin.
DEFAULT_PROTOCOL_TITLE = "Suicide-risk protocol (after the NIMH ASQ pathway)"
DEFAULT_PROTOCOL_TEXT = "\n\n".join(
    [
        "A positive ASQ screen means the patient needs a brief suicide safety assessment before "
        "anything else.",
        "1. Call the patient today, acute requests at once. Say who you are and that you are "
        "calling about the answers they gave.",
        "2. Ask the acuity question again: “Are you having thoughts of killing yourself right "
        "now?”",
        "3. If yes, or if you are worried for their safety right now: stay on the line and make a "
        "warm hand-off. Connect them with the 988 Suicide & Crisis Lifeline (call or text 988), "
        "or call 911 if they are in immediate danger. Do not end the call until someone has "
        "taken over.",
        "4. If no: tell the on-call clinician today, so that a clinician completes a brief suicide "
        "safety assessment before the screening goes on. Give the patient the 988 number.",
        "5. Document what you asked, what the patient said and what you did in an internal note "
        "on this request.",
    ]
)
DEFAULT_PROTOCOL_STEPS = "\n".join(
    [
        "Asked the acuity question by phone (thoughts of killing yourself right now?)",
        "If acute: warm hand-off to 988 or 911 made; if not: on-call clinician told today",
        "Gave the patient the 988 Suicide & Crisis Lifeline number",
        "Documented the call in an internal note",
    ]
)
# When the patient cannot be reached: shown after a failed attempt, and its own checklist.
DEFAULT_PROTOCOL_UNREACHED_TEXT = "\n\n".join(
    [
        "1. Call again now, and again within the hour.",
        "2. Leave a safe message: your name, the clinic and a number to call back. Say nothing "
        "about suicide or about their answers: someone else may hear or read it.",
        "3. Text or e-mail them the 988 Suicide & Crisis Lifeline (call or text 988, any time), "
        "with no other details.",
        "4. Tell the on-call clinician now. They decide what happens next, including asking for "
        "a welfare check (911) if they judge the patient may be in danger.",
        "5. Document every attempt and what was decided in an internal note.",
    ]
)
DEFAULT_PROTOCOL_UNREACHED_STEPS = "\n".join(
    [
        "Called again and left a safe message (nothing about suicide or the answers)",
        "Sent the patient the 988 Suicide & Crisis Lifeline number",
        "Told the on-call clinician, who decided the next steps (welfare check or not)",
        "Documented the attempts and the decision in an internal note",
    ]
)

# The clinic's "we could not reach you" message, offered after repeated failed attempts. The way
# back names the clinic's phone only when its profile has one.
COULD_NOT_REACH_GREETING = "Hello {first_name},"
COULD_NOT_REACH_TRIED = (
    "This is {clinic} about your request for a screening (reference {reference}). We have "
    "tried to reach you at the number you gave us but could not get through."
)
COULD_NOT_REACH_WAY_BACK = (
    "Please call us at {clinic_phone} or reply to this message with a good time to call."
)
COULD_NOT_REACH_WAY_BACK_BY_REPLY = "Please reply to this message with a good time to call."
COULD_NOT_REACH_CRISIS = (
    "If you are thinking about hurting yourself, call or text 988 (Suicide & Crisis "
    "Lifeline) at any time, or call 911 in an emergency."
)


def protocol_current() -> SuicideRiskProtocol:
    """The clinic's protocol as last edited; the default (stored) until someone edits it."""
    protocol = SuicideRiskProtocol.objects.first()
    if protocol is None:
        protocol = SuicideRiskProtocol.objects.create(
            title=DEFAULT_PROTOCOL_TITLE,
            text=DEFAULT_PROTOCOL_TEXT,
            steps=DEFAULT_PROTOCOL_STEPS,
            unreached_text=DEFAULT_PROTOCOL_UNREACHED_TEXT,
            unreached_steps=DEFAULT_PROTOCOL_UNREACHED_STEPS,
        )
    return protocol


# The protocol's parts, as an edit's audit event names them.
PROTOCOL_PARTS = (
    ("title", "title"),
    ("text", "text"),
    ("steps", "steps to confirm"),
    ("unreached_text", "what to do when the patient cannot be reached"),
    ("unreached_steps", "steps to confirm when not reached"),
)


def protocol_version(protocol: SuicideRiskProtocol) -> str:
    """A short fingerprint of the wording: tells two versions apart in the audit trail."""
    wording = "\x00".join(getattr(protocol, name) for name, _ in PROTOCOL_PARTS)
    return hashlib.sha256(wording.encode()).hexdigest()[:12]


@transaction.atomic
def protocol_update(
    *,
    protocol: SuicideRiskProtocol,
    actor: AbstractBaseUser,
    title: str,
    text: str,
    steps: str,
    unreached_text: str,
    unreached_steps: str,
) -> SuicideRiskProtocol:
    """Save new wording for the protocol and audit the edit: who, when, which parts, which version.

    The event names the parts changed, the new version's fingerprint and its size, not the
    wording itself (the text lives on the protocol; the trail says which version was in force).
    """
    before = protocol_version(protocol)
    new = {
        "title": title,
        "text": text,
        "steps": steps,
        "unreached_text": unreached_text,
        "unreached_steps": unreached_steps,
    }
    changed = [label for name, label in PROTOCOL_PARTS if getattr(protocol, name) != new[name]]
    for name, value in new.items():
        setattr(protocol, name, value)
    protocol.full_clean()
    protocol.save()
    if changed:
        count = len(protocol.step_list())
        audit_record(
            action=AuditEvent.Action.CHANGE,
            actor=actor,
            detail=(
                f"edited the suicide-risk protocol ({', '.join(changed)}): version {before} -> "
                f"{protocol_version(protocol)}, text {len(protocol.text)} characters, "
                f"{count} step{'s' if count != 1 else ''}"
            ),
        )
    return protocol


def protocol_confirmed(screening_request: ScreeningRequest) -> bool:
    return screening_request.protocol_confirmations.exists()


def protocol_needed(*, screening_request: ScreeningRequest, to_status: str) -> bool:
    """Whether being in `to_status` needs the suicide-risk protocol on record.

    Defined from the unanswered statuses, a subset of the open ones, so every status outside the
    open queue (today's and any added later) is behind the protocol, and so is "contacted".
    """
    return screening_request.asq_positive and to_status not in ScreeningRequest.UNANSWERED_STATUSES


def protocol_incomplete(queryset):
    """The requests in `queryset` with a positive screen and no protocol confirmation."""
    return queryset.filter(asq_positive=True, protocol_confirmations__isnull=True)


def deletion_refusals(screening_request: ScreeningRequest) -> list[str]:
    """Why a request may not be deleted yet; empty when it may.

    A deletion the patient asked for still waits for the suicide-risk protocol, as the retention
    purge does, and for a booked appointment to be cancelled, so the patient is told of it.
    """
    reference = screening_request.reference
    refusals = []
    if screening_request.asq_positive and not protocol_confirmed(screening_request):
        refusals.append(
            f"{reference}: a positive suicide-risk screen with no protocol on record. Confirm "
            "the protocol steps first; a patient who asks for deletion still goes through them."
        )
    if appointment_upcoming(screening_request) is not None:
        refusals.append(
            f"{reference}: an appointment ahead. Cancel it first (the patient is told)."
        )
    return refusals


def contact_made(screening_request: ScreeningRequest) -> bool:
    return screening_request.contact_attempts.filter(outcome__in=CONTACT_MADE_OUTCOMES).exists()


def suicide_risk_on_record(screening_request: ScreeningRequest) -> bool:
    """A positive screen on this request, or on one a manager linked or merged with it: the same
    person's answers, so a merge never sheds the risk."""
    return screening_request.asq_positive or (
        RequestLink.objects.filter(
            Q(kept=screening_request, other__asq_positive=True)
            | Q(other=screening_request, kept__asq_positive=True)
        ).exists()
    )


def conversation_held(screening_request: ScreeningRequest) -> bool:
    return screening_request.contact_attempts.filter(
        outcome__in=ContactAttempt.TWO_WAY_OUTCOMES
    ).exists()


def next_attempt_due_default(*, screening_request: ScreeningRequest, now: datetime) -> datetime:
    """When to try again after a failed attempt, when the reviewer gave no time.

    An acute request: at once. Otherwise the urgent allowance from now (the routine one for a
    routine request). The queue never lets this push an acute or urgent request past its own
    due time (intake.staff.queue).
    """
    if screening_request.acute:
        return now
    priority = max(screening_request.priority, ScreeningRequest.Priority.URGENT)
    return due_at_for(priority=priority, received_at=now)


def failed_attempts(screening_request: ScreeningRequest) -> int:
    """Attempts that did not reach the patient since the last one that did."""
    count = 0
    for attempt in screening_request.contact_attempts.order_by("-made_at", "-pk"):
        if attempt.outcome in CONTACT_MADE_OUTCOMES:
            break
        count += 1
    return count


def could_not_reach_message(screening_request: ScreeningRequest) -> str | None:
    """The "we could not reach you" message, after enough failed attempts (a setting)."""
    if failed_attempts(screening_request) < settings.SCREENING_FAILED_ATTEMPTS_BEFORE_MESSAGE:
        return None
    phone = clinic_facts().phone
    way_back = COULD_NOT_REACH_WAY_BACK if phone else COULD_NOT_REACH_WAY_BACK_BY_REPLY
    paragraphs = (COULD_NOT_REACH_GREETING, COULD_NOT_REACH_TRIED, way_back, COULD_NOT_REACH_CRISIS)
    return "\n\n".join(paragraphs).format(
        first_name=screening_request.first_name,
        clinic=settings.CLINIC_NAME,
        reference=screening_request.reference,
        clinic_phone=phone,
    )


COULD_NOT_REACH_SUBJECT = "Your screening request with {clinic}: we could not reach you"


def could_not_reach_send(
    *, screening_request: ScreeningRequest, actor: AbstractBaseUser
) -> ContactAttempt:
    """E-mail the patient the "we could not reach you" message and log it as an attempt.

    Raises ValidationError when it is not offered yet, or when the mail server refuses it.
    """
    message = could_not_reach_message(screening_request)
    if message is None:
        raise ValidationError("The “could not reach you” message is not offered yet.")
    try:
        send_mail(
            COULD_NOT_REACH_SUBJECT.format(clinic=settings.CLINIC_NAME),
            message,
            None,
            [screening_request.email],
        )
    except Exception as exc:  # any mail failure: say so, log nothing personal
        raise ValidationError(
            "The message could not be sent (the mail server did not take it). Try again later "
            "or send it yourself.",
            code="mail_failed",
        ) from exc
    return contact_attempt_log(
        screening_request=screening_request,
        actor=actor,
        method=ContactAttempt.Method.EMAIL,
        outcome=Outcome.EMAIL_SENT,
        note="Sent the clinic's “we could not reach you” message.",
    )


def protocol_records_check(
    *,
    screening_request: ScreeningRequest,
    path: str,
    method_logging: str = "",
    outcome_logging: str = "",
    note_writing: bool = False,
) -> None:
    """Raise ValidationError unless the records agree with the protocol path being confirmed.

    "Spoke with the patient" says the acuity question was asked by phone: it needs a phone call
    logged as reached. "Could not reach the patient" needs an attempt that did not reach them. Both
    say the call was documented: they need an internal note. What is logged or written in the same
    save counts.
    """
    attempts = screening_request.contact_attempts
    errors = []
    if path == Path.REACHED:
        logging_call = method_logging == Method.PHONE and outcome_logging == Outcome.REACHED
        if not (
            logging_call or attempts.filter(method=Method.PHONE, outcome=Outcome.REACHED).exists()
        ):
            errors.append(
                ValidationError(
                    "The protocol says you spoke with the patient by phone: log the call as "
                    "“Phone call: Reached the patient” first (or in the same save).",
                    code="protocol_no_call",
                )
            )
    else:
        logging_failed = bool(outcome_logging) and outcome_logging not in (
            ContactAttempt.TWO_WAY_OUTCOMES
        )
        if not (
            logging_failed or attempts.exclude(outcome__in=ContactAttempt.TWO_WAY_OUTCOMES).exists()
        ):
            errors.append(
                ValidationError(
                    "The protocol says you could not reach the patient: log the attempts that "
                    "did not reach them first (or in the same save).",
                    code="protocol_no_attempt",
                )
            )
    if not (note_writing or screening_request.notes.exists()):
        errors.append(
            ValidationError(
                "The protocol says the call was documented: add an internal note (in the same "
                "save is fine).",
                code="protocol_no_note",
            )
        )
    if errors:
        raise ValidationError(errors)


def status_move_requirements_check(
    *,
    screening_request: ScreeningRequest,
    to_status: str,
    outcome_logging: str = "",
    protocol_confirming: bool = False,
    appointment_booking: bool = False,
    appointment_cancelling: bool = False,
) -> None:
    """Raise ValidationError unless what a move needs is on record (or being recorded with it).

    Every path that moves a request (the review form, a merge, any later one) comes through here.
    """
    errors = []
    leaving_scheduled = screening_request.status == Status.SCHEDULED != to_status
    # Looked up only for a move into or out of "scheduled", the moves it decides.
    appointment_ahead = (to_status == Status.SCHEDULED or leaving_scheduled) and (
        appointment_upcoming(screening_request) is not None
    )
    if to_status == Status.SCHEDULED and not appointment_booking and not appointment_ahead:
        errors.append(
            ValidationError(
                "Book the appointment (date and time, how, and the clinician) before marking the "
                "request scheduled: the patient is sent it.",
                code="no_appointment",
            )
        )
    if leaving_scheduled and appointment_ahead and not appointment_cancelling:
        errors.append(
            ValidationError(
                "This request has an appointment ahead: cancel it (the patient is told) before "
                "moving the request out of Scheduled.",
                code="appointment_ahead",
            )
        )
    if to_status in (Status.CONTACTED, Status.SCHEDULED) and not (
        outcome_logging in CONTACT_MADE_OUTCOMES or contact_made(screening_request)
    ):
        errors.append(
            ValidationError(
                "Log a contact attempt that reached the patient (reached, e-mail sent or text "
                f"sent) before marking the request {Status(to_status).label.lower()}.",
                code="no_contact",
            )
        )
    # The "could not reach" path of the protocol and a one-way text open "contacted"; a treatment
    # is booked for a positive screen only once someone has spoken with the patient.
    if (
        to_status == Status.SCHEDULED
        and not (
            outcome_logging in ContactAttempt.TWO_WAY_OUTCOMES
            or conversation_held(screening_request)
        )
        and suicide_risk_on_record(screening_request)
    ):
        errors.append(
            ValidationError(
                "This person had a positive suicide-risk screen (on this request or one linked "
                "to it): book only after speaking with the patient. Log the call that reached "
                "them first (or in the same save).",
                code="no_conversation",
            )
        )
    if protocol_needed(screening_request=screening_request, to_status=to_status) and not (
        protocol_confirming or protocol_confirmed(screening_request)
    ):
        errors.append(
            ValidationError(
                "This request has a positive suicide-risk screen: confirm the protocol steps "
                f"(spoke with the patient, or could not reach them) before moving it to "
                f"“{Status(to_status).label}”. A patient who asks to withdraw still goes through "
                "the protocol.",
                code="protocol_unconfirmed",
            )
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def contact_attempt_log(
    *,
    screening_request: ScreeningRequest,
    actor: AbstractBaseUser,
    method: str,
    outcome: str,
    note: str = "",
    next_attempt_due: datetime | None = None,
) -> ContactAttempt:
    """Record one attempt to reach the patient and audit it (method and outcome, never the note)."""
    attempt = ContactAttempt(
        screening_request=screening_request,
        method=method,
        outcome=outcome,
        note=note.strip(),
        made_by=actor,
        next_attempt_due=next_attempt_due,
    )
    attempt.full_clean()
    attempt.save()
    screening_request.bump_version()
    audit_record(
        action=AuditEvent.Action.CONTACT,
        actor=actor,
        reference=screening_request.reference,
        detail=f"{attempt.get_method_display()}: {attempt.get_outcome_display()}",
    )
    if next_attempt_due is not None:
        call_back_reminder_queue(screening_request=screening_request, due_at=next_attempt_due)
    return attempt


def call_back_reminder_queue(*, screening_request: ScreeningRequest, due_at: datetime) -> None:
    """Queue the nurse's reminder for STAFF_REMINDER_MINUTES before a call-back comes due."""
    from ..tasks import call_back_reminder_deliver  # here: the task module imports the services

    remind_at = due_at - timedelta(minutes=settings.STAFF_REMINDER_MINUTES)
    call_back_reminder_deliver.using(run_after=max(remind_at, timezone.now())).enqueue(
        screening_request_id=screening_request.pk, due_at=due_at.isoformat()
    )


@transaction.atomic
def protocol_confirm(
    *,
    screening_request: ScreeningRequest,
    actor: AbstractBaseUser,
    steps: list[str],
    path: str = Path.REACHED,
) -> ProtocolConfirmation:
    """Record that a reviewer confirmed every step of one path of the protocol; audit it.

    The contact log and the notes must agree with the path (protocol_records_check).
    """
    required = protocol_current().step_list(path)
    if not screening_request.asq_positive:
        raise ValidationError("Only a request with a positive suicide-risk screen needs this.")
    if not required or sorted(steps) != sorted(required):
        raise ValidationError("Confirm every step of the protocol.", code="protocol_incomplete")
    protocol_records_check(screening_request=screening_request, path=path)
    confirmation = ProtocolConfirmation.objects.create(
        screening_request=screening_request, confirmed_by=actor, steps=required, path=path
    )
    screening_request.bump_version()
    audit_record(
        action=AuditEvent.Action.PROTOCOL,
        actor=actor,
        reference=screening_request.reference,
        detail=f"{len(required)} steps confirmed ({Path(path).label.lower()})",
    )
    return confirmation


# After a call reached a wrong number: a number the patient gave elsewhere, or no more calls.
class WrongNumberNext(models.TextChoices):
    NEW_NUMBER = "new_number", "I have another number for them"
    CLOSE_PHONE = "close_phone", "No other number: stop calling and texting (write instead)"


PHONE_METHODS = (ContactAttempt.Method.PHONE, ContactAttempt.Method.TEXT)


def phone_route_check(*, screening_request: ScreeningRequest, method: str) -> None:
    """Refuse a call or text to a number known to be wrong."""
    if screening_request.phone_route_closed and method in PHONE_METHODS:
        raise ValidationError(
            "This patient's phone number is known to be wrong: give another number with a "
            "“Wrong number” outcome, or write by e-mail.",
            code="phone_route_closed",
        )


@transaction.atomic
def wrong_number_resolve(
    *, screening_request: ScreeningRequest, actor: AbstractBaseUser, new_phone: str = ""
) -> None:
    """After a wrong number: call the new number from now on (re-indexed for search and
    duplicates), or, without one, close the phone route. Audited without the number."""
    if new_phone:
        e164 = normalise_phone(new_phone)
        if e164 is None:
            raise ValidationError("That is not a valid US phone number.", code="phone")
        screening_request.phone = e164
        screening_request.phone_route_closed = False
        indexes = request_blind_indexes(
            email=screening_request.email,
            phone=e164,
            last_name=screening_request.last_name,
            date_of_birth=screening_request.date_of_birth,
        )
        ScreeningRequest.objects.filter(pk=screening_request.pk).update(
            phone=screening_request.phone,
            phone_route_closed=False,
            phone_index=indexes["phone_index"],
            phone_tail_index=indexes["phone_tail_index"],
        )
        detail = "wrong number: another phone number recorded"
    else:
        screening_request.phone_route_closed = True
        ScreeningRequest.objects.filter(pk=screening_request.pk).update(phone_route_closed=True)
        detail = "wrong number: no more calls or texts to it"
    screening_request.bump_version()
    audit_record(
        action=AuditEvent.Action.CHANGE,
        actor=actor,
        reference=screening_request.reference,
        detail=detail,
    )

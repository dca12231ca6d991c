"""Contact attempts and the suicide-risk protocol: what must be on record before a request moves on.

A request moves to "contacted" only once an attempt reached the patient (a call answered, an e-mail
or text sent); a request with a positive suicide-risk screen (ASQ) leaves the queue (contacted, not
a candidate, closed) only once a reviewer has confirmed the clinic's protocol steps.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction

from pages.clinic import clinic_facts

from ..models import (
    AuditEvent,
    ContactAttempt,
    ProtocolConfirmation,
    ScreeningRequest,
    SuicideRiskProtocol,
)
from .audit import audit_record

Status = ScreeningRequest.Status
Outcome = ContactAttempt.Outcome

# Outcomes after which the patient has heard from the clinic.
CONTACT_MADE_OUTCOMES = frozenset({Outcome.REACHED, Outcome.EMAIL_SENT, Outcome.TEXT_SENT})
# Moves that take a request with a positive ASQ out of the queue's hands.
PROTOCOL_GATED_STATUSES = frozenset({Status.CONTACTED, Status.NOT_A_CANDIDATE, Status.CLOSED})

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

# The clinic's "we could not reach you" message, offered after repeated failed attempts.
COULD_NOT_REACH_MESSAGE = "\n\n".join(
    [
        "Hello {first_name},",
        "This is {clinic} about your request for a screening (reference {reference}). We have "
        "tried to reach you at the number you gave us but could not get through.",
        "Please call us at {clinic_phone} or reply to this message with a good time to call.",
        "If you are thinking about hurting yourself, call or text 988 (Suicide & Crisis "
        "Lifeline) at any time, or call 911 in an emergency.",
    ]
)


def protocol_current() -> SuicideRiskProtocol:
    """The clinic's protocol as last edited; the default (stored) until someone edits it."""
    protocol = SuicideRiskProtocol.objects.first()
    if protocol is None:
        protocol = SuicideRiskProtocol.objects.create(
            title=DEFAULT_PROTOCOL_TITLE, text=DEFAULT_PROTOCOL_TEXT, steps=DEFAULT_PROTOCOL_STEPS
        )
    return protocol


# The protocol's parts, as an edit's audit event names them.
PROTOCOL_PARTS = (("title", "title"), ("text", "text"), ("steps", "steps to confirm"))


def protocol_version(protocol: SuicideRiskProtocol) -> str:
    """A short fingerprint of the wording: tells two versions apart in the audit trail."""
    wording = "\x00".join([protocol.title, protocol.text, protocol.steps])
    return hashlib.sha256(wording.encode()).hexdigest()[:12]


@transaction.atomic
def protocol_update(
    *, protocol: SuicideRiskProtocol, actor: AbstractBaseUser, title: str, text: str, steps: str
) -> SuicideRiskProtocol:
    """Save new wording for the protocol and audit the edit: who, when, which parts, which version.

    The event names the parts changed, the new version's fingerprint and its size, not the
    wording itself (the text lives on the protocol; the trail says which version was in force).
    """
    before = protocol_version(protocol)
    new = {"title": title, "text": text, "steps": steps}
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


def contact_made(screening_request: ScreeningRequest) -> bool:
    return screening_request.contact_attempts.filter(outcome__in=CONTACT_MADE_OUTCOMES).exists()


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
    return COULD_NOT_REACH_MESSAGE.format(
        first_name=screening_request.first_name,
        clinic=settings.CLINIC_NAME,
        reference=screening_request.reference,
        clinic_phone=clinic_facts().phone,
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


def status_move_requirements_check(
    *,
    screening_request: ScreeningRequest,
    to_status: str,
    outcome_logging: str = "",
    protocol_confirming: bool = False,
) -> None:
    """Raise ValidationError unless what a move needs is on record (or being recorded with it)."""
    errors = []
    if to_status == Status.CONTACTED and not (
        outcome_logging in CONTACT_MADE_OUTCOMES or contact_made(screening_request)
    ):
        errors.append(
            ValidationError(
                "Log a contact attempt that reached the patient (reached, e-mail sent or text "
                "sent) before marking the request contacted.",
                code="no_contact",
            )
        )
    if (
        screening_request.asq_positive
        and to_status in PROTOCOL_GATED_STATUSES
        and not (protocol_confirming or protocol_confirmed(screening_request))
    ):
        errors.append(
            ValidationError(
                "This request has a positive suicide-risk screen: confirm the protocol steps "
                f"before moving it to “{Status(to_status).label}”.",
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
    audit_record(
        action=AuditEvent.Action.CONTACT,
        actor=actor,
        reference=screening_request.reference,
        detail=f"{attempt.get_method_display()}: {attempt.get_outcome_display()}",
    )
    return attempt


@transaction.atomic
def protocol_confirm(
    *, screening_request: ScreeningRequest, actor: AbstractBaseUser, steps: list[str]
) -> ProtocolConfirmation:
    """Record that a reviewer confirmed every step of the current protocol; audit it."""
    required = protocol_current().step_list()
    if not screening_request.asq_positive:
        raise ValidationError("Only a request with a positive suicide-risk screen needs this.")
    if sorted(steps) != sorted(required):
        raise ValidationError("Confirm every step of the protocol.", code="protocol_incomplete")
    confirmation = ProtocolConfirmation.objects.create(
        screening_request=screening_request, confirmed_by=actor, steps=required
    )
    audit_record(
        action=AuditEvent.Action.PROTOCOL,
        actor=actor,
        reference=screening_request.reference,
        detail=f"{len(required)} steps confirmed",
    )
    return confirmation
